"""The padding modes side by side: where each one gets its made-up border from.

Zeros adds a frame of zeros; reflect mirrors the input about its edge pixel;
replicate repeats the edge pixel; circular wraps around to the opposite edge. Each
figure draws the made-up border hatched grey, so it reads as pixels that were
never there.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..ops.padding import PADDING_MODES, pad
from .grids import as_grid, draw_grid
from .style import COLUMN_INCHES, IMAGE_CMAP, edge, fill


def _padded(values: np.ndarray, amount: int, mode: str) -> np.ndarray:
    x = torch.from_numpy(np.ascontiguousarray(values, dtype=np.float32))
    return pad(x, ((amount, amount), (amount, amount)), mode).numpy()


def _check_amount(amount: object, shape: tuple[int, int]) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
        raise ValueError(f"amount must be a positive int; got {amount!r}")
    if amount > min(shape) - 1:  # reflect cannot mirror more than n - 1 pixels
        raise ValueError(f"amount must be smaller than the input's shorter side, "
                         f"{min(shape)}, for reflect padding; got {amount}")
    return amount


def show_padding_modes(values: object, amount: int = 2, fontsize: float = 11) -> Figure:
    """A small grid of numbers padded by ``amount`` cells in each mode, the made-up
    cells hatched grey and the grid itself in the middle of each panel."""
    a = as_grid(values)
    amount = _check_amount(amount, a.shape)
    rows, cols = a.shape
    panels = [
        (mode, _padded(a, amount, mode),
         {(i, j) for i in range(rows + 2 * amount) for j in range(cols + 2 * amount)
          if not (amount <= i < amount + rows and amount <= j < amount + cols)})
        for mode in PADDING_MODES]
    size, side = 0.36, cols + 2 * amount + 1.2
    per_row = max(1, int(COLUMN_INCHES // (size * side)))
    lines = -(-len(panels) // per_row)
    fig, axes = plt.subplots(lines, per_row, squeeze=False,
                             figsize=(size * side * per_row,
                                      lines * (size * (rows + 2 * amount) + 0.8)))
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    for ax, (title, grid, fake) in zip(axes.flat, panels, strict=False):
        draw_grid(ax, grid, "input", title=title, padding=fake, fontsize=fontsize)
        ax.set_ylim(rows + 2 * amount + 0.05, -0.05)  # the same height for every panel
    fig.tight_layout()
    return fig


def show_padding_modes_photo(image: np.ndarray, amount: int = 24) -> Figure:
    """A greyscale photograph padded by ``amount`` pixels in each mode. The made-up
    border is hatched grey; the blue frame marks where the real photograph ends."""
    image = np.asarray(image, dtype=np.float32)
    if image.ndim != 2:
        raise ValueError(f"show_padding_modes_photo expects a 2-D greyscale image; got shape "
                         f"{image.shape}")
    amount = _check_amount(amount, image.shape)
    height, width = image.shape
    side = min(2.2, COLUMN_INCHES / len(PADDING_MODES))
    fig, axes = plt.subplots(1, len(PADDING_MODES), figsize=(side * len(PADDING_MODES), 2.9))
    for ax, mode in zip(axes, PADDING_MODES, strict=True):
        ax.imshow(_padded(image, amount, mode), cmap=IMAGE_CMAP, vmin=0, vmax=1)
        outer_w = width + 2 * amount
        for x, y, w, h in ((0, 0, outer_w, amount), (0, amount + height, outer_w, amount),
                           (0, amount, amount, height), (amount + width, amount, amount, height)):
            ax.add_patch(Rectangle((x - 0.5, y - 0.5), w, h, facecolor=fill("padding"),
                                   alpha=0.35, edgecolor=edge("padding"), hatch="///", lw=0))
        ax.add_patch(Rectangle((amount - 0.5, amount - 0.5), width, height, fill=False,
                               edgecolor=edge("input"), lw=1.5))
        ax.set_title(mode)
        ax.axis("off")
    fig.tight_layout()
    return fig
