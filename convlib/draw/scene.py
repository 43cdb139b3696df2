"""Grids drawn once and restyled frame by frame, for animations that render fast.

``GridArtists`` draws a grid in the look of ``grids.draw_grid`` (the same cells,
colours, hatching and fonts) but keeps its cells and texts. ``show`` then sets what
one frame highlights and displays, and returns only the artists that differ from
the grid as first drawn, so ``animation.render_frames`` redraws just those.
"""

from collections.abc import Iterable

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from .grids import as_grid, number_text
from .style import TEXT, edge, fill

Cell = tuple[int, int]


class GridArtists:
    """A grid of numbered cells on ``ax``, first drawn with ``values`` (NaN: empty)."""

    def __init__(self, ax: Axes, values: object, role: str = "input", *,
                 title: str | None = None, padding: Iterable[Cell] = (),
                 fontsize: float = 12) -> None:
        self.values = as_grid(values)
        self.role, self.padding = role, set(padding)
        rows, cols = self.values.shape
        ax.set_xlim(-0.05, cols + 0.05)
        ax.set_ylim(rows + 0.05, -0.05)
        ax.set_aspect("equal")
        ax.axis("off")
        self.cells: dict[Cell, Rectangle] = {}
        self.texts = {}
        self.notes = {}
        for i in range(rows):
            for j in range(cols):
                cell = (i, j)
                self.cells[cell] = ax.add_patch(Rectangle(
                    (j, i), 1, 1, facecolor=self._face(cell), edgecolor="white",
                    linewidth=1.5, hatch="//" if cell in self.padding else None))
                self.texts[cell] = ax.text(j + 0.5, i + 0.5, "", ha="center", va="center",
                                           fontsize=fontsize, color=TEXT, fontweight="bold")
                self.notes[cell] = ax.text(j + 0.95, i + 0.93, "", ha="right", va="bottom",
                                           fontsize=fontsize * 0.62, color=TEXT)
        self.outline = ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, linewidth=2.5,
                                              visible=False))
        if title:
            ax.set_title(title)
        self.show()

    def _face(self, cell: Cell, strong: str | None = None) -> str:
        if strong:
            return strong
        return fill("padding") if cell in self.padding else fill(self.role)

    def show(self, values: object = None, highlight: Iterable[Cell] = (),
             highlight_role: str | None = None,
             notes: dict[Cell, str] | None = None) -> list[Artist]:
        """Display ``values`` (the first-drawn values by default) with ``highlight``
        cells filled in the strong colour of ``highlight_role`` and ``notes`` in their
        corners; return the artists that now differ from the first drawing."""
        shown = self.values if values is None else as_grid(values)
        if shown.shape != self.values.shape:
            raise ValueError(f"values of shape {shown.shape} do not fit a grid of shape "
                             f"{self.values.shape}")
        highlight, notes = set(highlight), notes or {}
        strong = edge(highlight_role or self.role)
        rects, texts = [], []
        for cell, rect in self.cells.items():
            lit, v, note = cell in highlight, shown[cell], notes.get(cell, "")
            rect.set_facecolor(self._face(cell, strong if lit else None))
            text, corner = self.texts[cell], self.notes[cell]
            text.set_visible(not np.isnan(v))  # an empty text would still be laid out
            text.set_text("" if np.isnan(v) else number_text(v))
            text.set_color("white" if lit else TEXT)
            corner.set_visible(bool(note))
            corner.set_text(note)
            corner.set_color("white" if lit else TEXT)
            base = self.values[cell]
            same_value = (np.isnan(v) and np.isnan(base)) or v == base
            if lit or note or not same_value:
                rects.append(rect)
                texts += [a for a in (text, corner) if a.get_visible()]
        if highlight:
            top, left = min(i for i, _ in highlight), min(j for _, j in highlight)
            bottom, right = max(i for i, _ in highlight) + 1, max(j for _, j in highlight) + 1
            self.outline.set_bounds(left, top, right - left, bottom - top)
            self.outline.set_edgecolor(strong)
        self.outline.set_visible(bool(highlight))
        return rects + ([self.outline] if highlight else []) + texts
