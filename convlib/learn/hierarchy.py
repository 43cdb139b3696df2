"""What a channel responds to: the input patches that excite it most.

A cheap way to see what a trained layer detects (Zeiler and Fergus, *Visualizing
and understanding convolutional networks*, 2014, show the same for ImageNet
networks): run many images through the layers, find for each channel the units
that respond most strongly, and cut out of the input the receptive field of each of
those units. Deeper layers have larger fields, so their patches show larger
structures.
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..sizes.receptive import receptive_field


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
