"""Learned kernels and feature visualisations drawn as tiles."""

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from ..learn.features import Visualisation
from .style import COLUMN_INCHES, IMAGE_CMAP, SIGNED_CMAP, edge


def show_features(vis: Visualisation, size: float = 1.6, per_line: int = 4) -> Figure:
    """The optimised input of each channel, greyscale from 0 (black) to 1 (white), with
    the channel's mean activation on noise and on the image; ``per_line`` per row."""
    if not isinstance(vis, Visualisation):
        raise TypeError(f"show_features takes what visualise_features returns; got "
                        f"{type(vis).__name__}")
    n = len(vis.channels)
    cols = min(n, per_line)
    lines = -(-n // cols)
    size = min(size, COLUMN_INCHES / cols)
    fig, axes = plt.subplots(lines, cols, figsize=(size * cols, (size + 0.6) * lines),
                             squeeze=False)
    for ax in axes.flat[n:]:
        ax.axis("off")
    for ax, c, image, a, b in zip(axes.flat, vis.channels, vis.images, vis.start, vis.end,
                                  strict=False):
        pixels = image.numpy()
        ax.imshow(pixels[0] if pixels.ndim == 3 else pixels, cmap=IMAGE_CMAP, vmin=0, vmax=1)
        a, b = round(a, 1) + 0.0, round(b, 1) + 0.0  # no "-0.0"
        ax.set_title(f"channel {c}\n{a:.1f} → {b:.1f}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def show_tiles(rows: dict[str, np.ndarray | torch.Tensor], *, signed: bool = True,
               role: str | dict[str, str] = "kernel", size: float = 0.75,
               per_line: int | None = None) -> Figure:
    """Rows of small images, such as the kernels of a layer or its feature maps.

    Each row is an array (count, height, width) (or (count, 1, height, width)), drawn
    on one scale per row: red-white-blue centred at zero when ``signed`` (red
    positive), greyscale otherwise; each tile is framed in the colour of ``role``
    (one role for all rows, or a role per row name). A row longer than ``per_line``
    tiles wraps onto further lines.
    """
    arrays = {}
    for name, values in rows.items():
        a = values.detach().cpu().numpy() if isinstance(values, torch.Tensor) else np.asarray(
            values)
        if a.ndim == 4 and a.shape[1] == 1:
            a = a[:, 0]
        if a.ndim != 3:
            raise ValueError(f"row {name!r} must have shape (count, height, width); got "
                             f"{a.shape}")
        arrays[name] = a
    if not arrays:
        raise ValueError("show_tiles needs at least one row")
    if per_line is not None and (not isinstance(per_line, int) or per_line < 1):
        raise ValueError(f"per_line must be a positive int or None; got {per_line!r}")
    cols = min(max(len(a) for a in arrays.values()), per_line or 10**9)
    lines = [(name, start) for name, a in arrays.items() for start in range(0, len(a), cols)]
    aspect = max(a.shape[1] / a.shape[2] for a in arrays.values())
    size = min(size, (COLUMN_INCHES - 1.4) / cols)  # a row of tiles fits the text column
    fig, axes = plt.subplots(len(lines), cols, squeeze=False,
                             figsize=(size * cols + 1.4, (size * aspect + 0.15) * len(lines)))
    for r, (name, start) in enumerate(lines):
        a = arrays[name]
        limit = float(np.abs(a).max()) or 1.0
        for c in range(cols):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            if start + c >= len(a):
                ax.axis("off")
                continue
            if signed:
                ax.imshow(a[start + c], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            else:
                ax.imshow(a[start + c], cmap=IMAGE_CMAP)
            for spine in ax.spines.values():
                spine.set_edgecolor(edge(role if isinstance(role, str) else role[name]))
                spine.set_linewidth(1.5)
        if start == 0:
            axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=10)
    fig.tight_layout(w_pad=0.2, h_pad=0.3)
    return fig
