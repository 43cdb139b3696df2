"""Matrices drawn as grids of numbered cells, coloured by their role."""

from collections.abc import Iterable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .style import COLUMN_INCHES, TEXT, edge, fill

Cell = tuple[int, int]


def number_text(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2g}"


def as_grid(values: object) -> np.ndarray:
    """A 2-D float array; a 1-D sequence becomes one row."""
    a = np.asarray(values, dtype=float)
    if a.ndim == 1:
        a = a[None, :]
    if a.ndim != 2:
        raise ValueError(f"a grid needs 1-D or 2-D values; got shape {a.shape}")
    return a


def draw_grid(
    ax: Axes,
    values: object,
    role: str = "input",
    *,
    title: str | None = None,
    highlight: Iterable[Cell] = (),
    highlight_role: str | None = None,
    padding: Iterable[Cell] = (),
    notes: dict[Cell, str] | None = None,
    fontsize: float = 12,
) -> None:
    """Draw ``values`` on ``ax`` as cells holding their numbers.

    ``highlight`` cells are filled and outlined in the strong colour of
    ``highlight_role`` (the grid's own role by default); ``padding`` cells are drawn
    hatched grey, as made-up pixels; ``notes`` adds a small text in a cell's corner
    (the kernel weight that multiplies it, say). NaN cells are drawn empty.
    """
    a = as_grid(values)
    rows, cols = a.shape
    highlight, padding = set(highlight), set(padding)
    strong = edge(highlight_role or role)
    ax.set_xlim(-0.05, cols + 0.05)
    ax.set_ylim(rows + 0.05, -0.05)
    ax.set_aspect("equal")
    ax.axis("off")
    for i in range(rows):
        for j in range(cols):
            cell = (i, j)
            face = fill("padding") if cell in padding else fill(role)
            if cell in highlight:
                face = strong
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=face, edgecolor="white",
                                   linewidth=1.5, hatch="//" if cell in padding else None))
            if not np.isnan(a[i, j]):
                colour = "white" if cell in highlight else TEXT
                ax.text(j + 0.5, i + 0.5, number_text(a[i, j]), ha="center", va="center",
                        fontsize=fontsize, color=colour, fontweight="bold")
            if notes and cell in notes:
                ax.text(j + 0.95, i + 0.93, notes[cell], ha="right", va="bottom",
                        fontsize=fontsize * 0.62, color="white" if cell in highlight else TEXT)
    if highlight:
        top = min(i for i, _ in highlight)
        left = min(j for _, j in highlight)
        bottom = max(i for i, _ in highlight) + 1
        right = max(j for _, j in highlight) + 1
        ax.add_patch(Rectangle((left, top), right - left, bottom - top, fill=False,
                               edgecolor=strong, linewidth=2.5))
    if title:
        ax.set_title(title)


def show_grids(
    panels: list[tuple[str, object, str]],
    *,
    size: float = 0.45,
    fontsize: float = 12,
) -> Figure:
    """One figure with a grid per panel; each panel is (title, values, role).

    The panels go side by side, in as many rows as it takes to stay within the text
    column (``COLUMN_INCHES``)."""
    shapes = [as_grid(v).shape for _, v, _ in panels]
    rows = panel_rows([size * (c + 1.2) for _, c in shapes], COLUMN_INCHES)
    width = max(sum(size * (shapes[i][1] + 1.2) for i in row) for row in rows)
    heights = [size * max(shapes[i][0] for i in row) + 0.7 for row in rows]
    fig = plt.figure(figsize=(width, sum(heights)))
    for subfig, row in zip(np.atleast_1d(fig.subfigures(len(rows), 1, height_ratios=heights)),
                           rows, strict=True):
        used = sum(size * (shapes[i][1] + 1.2) for i in row)
        axes = subfig.subplots(1, len(row) + 1, squeeze=False, gridspec_kw={
            "width_ratios": [shapes[i][1] + 1.2 for i in row] + [max(width - used, 1e-3) / size]})
        for ax, i in zip(axes[0], row, strict=False):
            title, values, role = panels[i]
            draw_grid(ax, values, role, title=title, fontsize=fontsize)
        axes[0, -1].axis("off")  # what is left of the row's width
    return fig


def panel_rows(widths: list[float], limit: float) -> list[list[int]]:
    """Panels of these widths (inches), in order, grouped into rows of at most
    ``limit`` inches (a panel wider than that gets a row of its own)."""
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, w in enumerate(widths):
        if rows[-1] and used + w > limit:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += w
    return rows


def show_pixels(image: np.ndarray, top: int, left: int, size: int = 8) -> Figure:
    """A greyscale photograph beside a ``size`` x ``size`` crop of it written out as
    the numbers a computer stores (0 black to 255 white); the crop is outlined."""
    image = np.asarray(image)
    crop = np.round(image[top:top + size, left:left + size] * 255).astype(int)
    if crop.shape != (size, size):
        raise ValueError(f"a {size}x{size} crop at ({top}, {left}) does not fit in an image "
                         f"of shape {image.shape}")
    fig, (ax_photo, ax_crop) = plt.subplots(1, 2, figsize=(COLUMN_INCHES, 4.0),
                                            gridspec_kw={"width_ratios": [1, 1.3]})
    ax_photo.imshow(image, cmap="gray", vmin=0, vmax=1)
    ax_photo.add_patch(Rectangle((left - 0.5, top - 0.5), size, size, fill=False,
                                 edgecolor=edge("input"), linewidth=2))
    ax_photo.set_title("what we see")
    ax_photo.axis("off")
    ax_crop.imshow(crop, cmap="gray", vmin=0, vmax=255)
    for i in range(size):
        for j in range(size):
            ax_crop.text(j, i, str(crop[i, j]), ha="center", va="center", fontsize=9,
                         color="white" if crop[i, j] < 128 else "black")
    for spine in ax_crop.spines.values():
        spine.set_edgecolor(edge("input"))
        spine.set_linewidth(2)
    ax_crop.set_xticks([])
    ax_crop.set_yticks([])
    ax_crop.set_title(f"what the computer stores ({size}x{size} pixels)")
    fig.tight_layout()
    return fig
