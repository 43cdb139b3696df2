"""The input patches that excite a channel most, drawn in rows."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..learn.hierarchy import TopPatches
from .style import COLUMN_INCHES, IMAGE_CMAP, edge


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
    size = min(size, COLUMN_INCHES / columns)
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
