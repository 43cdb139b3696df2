"""What a channel responds to: the input patches that excite it most.

A cheap way to see what a trained layer detects (Zeiler and Fergus, *Visualizing
and understanding convolutional networks*, 2014, show the same for ImageNet
networks): run many images through the layers, find for each channel the units
that respond most strongly, and cut out of the input the receptive field of each of
those units. Deeper layers have larger fields, so their patches show larger
structures.
"""

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from torch import nn

from .receptive import receptive_field
from .style import IMAGE_CMAP, edge


@dataclass
class TopPatches:
    """For each channel, the input patches of its ``count`` strongest units."""

    patches: np.ndarray  # (channels, count, side, side), greyscale
    activations: np.ndarray  # (channels, count), strongest first
    field_size: int  # r: the unit's receptive field
    margin: int  # context kept around the field on each side


def top_patches(layers: nn.Sequential, images: torch.Tensor, count: int = 6,
                margin: int = 0, batch_size: int = 500) -> TopPatches:
    """Run ``images`` (N, 1, H, W) through ``layers`` and keep, for every output
    channel, the ``count`` images where some unit of that channel responds most (one
    unit per image, its strongest), with the patch each unit sees: its receptive
    field plus ``margin`` pixels of context on each side (zeros beyond the image)."""
    if not isinstance(layers, nn.Sequential):
        raise TypeError(f"layers must be a torch.nn.Sequential; got {type(layers).__name__}")
    if not isinstance(images, torch.Tensor) or images.dim() != 4 or images.shape[1] != 1:
        shape = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images)
        raise ValueError(f"images must be a tensor of shape (N, 1, H, W); got {shape}")
    if not isinstance(count, int) or not 1 <= count <= len(images):
        raise ValueError(f"count must be an int from 1 to {len(images)}; got {count!r}")
    if not isinstance(margin, int) or margin < 0:
        raise ValueError(f"margin must be a nonnegative int; got {margin!r}")
    field = receptive_field(layers)
    parameter = next(layers.parameters(), None)
    where = parameter.device if parameter is not None else torch.device("cpu")
    best, places = [], []
    was_training = layers.training
    layers.eval()
    with torch.no_grad():
        for batch in images.split(batch_size):
            out = layers(batch.to(where))
            flat = out.flatten(2)  # (n, channels, positions)
            value, index = flat.max(dim=2)
            best.append(value.cpu())
            places.append(index.cpu())
            width = out.shape[-1]
    layers.train(was_training)
    best_all, place_all = torch.cat(best), torch.cat(places)  # (N, channels)
    values, order = best_all.topk(count, dim=0)  # (count, channels)
    side = field.size + 2 * margin
    pad = side + abs(field.start)
    padded = np.pad(images[:, 0].cpu().numpy(), ((0, 0), (pad, pad), (pad, pad)))
    channels = best_all.shape[1]
    patches = np.zeros((channels, count, side, side), dtype=np.float32)
    for c in range(channels):
        for k in range(count):
            n = int(order[k, c])
            y, x = divmod(int(place_all[n, c]), width)
            top = field.span(y)[0] - margin + pad
            left = field.span(x)[0] - margin + pad
            patches[c, k] = padded[n, top:top + side, left:left + side]
    return TopPatches(patches, values.T.numpy(), field.size, margin)


def show_top_patches(result: TopPatches, channels: list[int] | None = None,
                     columns: int = 8, per_row: int = 3, size: float = 1.45) -> Figure:
    """One panel per channel holding its top patches, ``per_row`` to a row, strongest
    first; when the patches keep a margin of context, the receptive field is
    outlined in orange."""
    channels = list(range(len(result.patches))) if channels is None else list(channels)
    if not channels or not all(0 <= c < len(result.patches) for c in channels):
        raise ValueError(f"channels must be indices below {len(result.patches)}; got {channels}")
    count, side = result.patches.shape[1], result.patches.shape[2]
    rows_in = -(-count // per_row)
    gap = max(1, side // 8)
    mosaic_h = rows_in * side + (rows_in - 1) * gap
    mosaic_w = per_row * side + (per_row - 1) * gap
    grid_rows = -(-len(channels) // columns)
    fig, axes = plt.subplots(grid_rows, columns, squeeze=False,
                             figsize=(size * columns, size * grid_rows * mosaic_h / mosaic_w
                                      + 0.3 * grid_rows))
    for ax in axes.ravel():
        ax.axis("off")
    halo = [patheffects.withStroke(linewidth=2.4, foreground="white")]
    for ax, c in zip(axes.ravel(), channels, strict=False):
        mosaic = np.full((mosaic_h, mosaic_w), np.nan)
        for k in range(count):
            r, q = divmod(k, per_row)
            y, x = r * (side + gap), q * (side + gap)
            mosaic[y:y + side, x:x + side] = result.patches[c, k]
            if result.margin:
                ax.add_patch(Rectangle((x + result.margin - 0.5, y + result.margin - 0.5),
                                       result.field_size, result.field_size, fill=False,
                                       edgecolor=edge("kernel"), lw=1.1, path_effects=halo))
        cmap = plt.get_cmap(IMAGE_CMAP).with_extremes(bad="white")
        ax.imshow(mosaic, cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(f"channel {c}", fontsize=9, fontweight="normal")
    fig.tight_layout(pad=0.4, h_pad=0.6, w_pad=0.4)
    return fig
