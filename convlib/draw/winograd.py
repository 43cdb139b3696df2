"""Winograd's minimal filtering drawn on one tile: the input cut into overlapping
tiles, and one tile's way through the transforms of F(2x2, 3x3).

Top: the input, zero-filled below and right so that whole tiles cover the output,
with one (tile + 2) x (tile + 2) input tile lit and its neighbour dashed (they
overlap by two pixels); the output with the tile x tile output tile it gives.
Bottom: the tile d and the kernel g transformed (V = B^T d B, U = G g G^T), their
element-wise product M (the only multiplications that depend on the data), and the
output tile Y = A^T M A, equal to the direct convolution's.
"""

from math import ceil

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from ..ops.winograd import TRANSFORMS
from .grids import as_grid, draw_grid
from .style import MIN_FONTSIZE, TEXT, edge, fill

_MARGIN, _TITLE = 0.3, 0.42  # inches


def _axes(fig: Figure, x: float, top: float, w: float, h: float) -> Axes:
    """An axes ``x`` inches from the left edge, its top ``top`` inches from the top."""
    fw, fh = fig.get_size_inches()
    return fig.add_axes((x / fw, 1 - (top + h) / fh, w / fw, h / fh))


def _text(v: float) -> str:
    """A number as short as it is exact: 3, -0.5, 2.25."""
    v = float(v) + 0.0  # no negative zero
    return f"{v:.0f}" if v.is_integer() else f"{v:.2f}".rstrip("0")


def _values(ax: Axes, values: np.ndarray, role: str, title: str) -> None:
    """A small grid of exact numbers in a role's light colour, titled."""
    rows, cols = values.shape
    for i in range(rows):
        for j in range(cols):
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=fill(role), edgecolor="white",
                                   linewidth=1.5))
            ax.text(j + 0.5, i + 0.5, _text(values[i, j]), ha="center", va="center",
                    fontsize=MIN_FONTSIZE + 1, color=TEXT, fontweight="bold")
    ax.set_xlim(-0.05, cols + 0.05)
    ax.set_ylim(rows + 0.05, -0.05)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=11, color=edge(role))


def _arrow(fig: Figure, start: tuple[float, float], end: tuple[float, float],
           label: str = "") -> None:
    """An arrow between two points given in inches from the top left, labelled above."""
    fw, fh = fig.get_size_inches()
    a, b = (start[0] / fw, 1 - start[1] / fh), (end[0] / fw, 1 - end[1] / fh)
    fig.add_artist(FancyArrowPatch(a, b, transform=fig.transFigure, arrowstyle="-|>",
                                   mutation_scale=14, color=TEXT, lw=1.3))
    if label:
        fig.text((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + 0.1 / fh, label, ha="center",
                 va="bottom", fontsize=10, color=TEXT)


def winograd_tile(x: np.ndarray, kernel: np.ndarray, tile: int = 2,
                  position: tuple[int, int] = (0, 0)) -> dict[str, np.ndarray]:
    """The arrays of one tile of F(tile x tile, 3x3): the zero-filled input, the input
    tile d, V, U, M and the output tile Y (float64)."""
    x, g = as_grid(x), as_grid(kernel)
    if g.shape != (3, 3):
        raise ValueError(f"Winograd's F(m x m, 3x3) takes a 3x3 kernel; got {g.shape}")
    if tile not in TRANSFORMS:
        raise ValueError(f"tile must be one of {tuple(TRANSFORMS)}; got {tile!r}")
    BT, G, AT = (np.array(m, dtype=float) for m in TRANSFORMS[tile])
    tiles_h, tiles_w = ceil((x.shape[0] - 2) / tile), ceil((x.shape[1] - 2) / tile)
    ti, tj = position
    if not (0 <= ti < tiles_h and 0 <= tj < tiles_w):
        raise ValueError(f"position must be a tile in (0..{tiles_h - 1}, 0..{tiles_w - 1}); "
                         f"got {position}")
    filled = np.zeros((tiles_h * tile + 2, tiles_w * tile + 2))
    filled[:x.shape[0], :x.shape[1]] = x
    d = filled[ti * tile:ti * tile + tile + 2, tj * tile:tj * tile + tile + 2]
    V, U = BT @ d @ BT.T, G @ g @ G.T
    M = U * V
    return {"filled": filled, "d": d, "V": V, "U": U, "M": M, "Y": AT @ M @ AT.T}


def draw_winograd_tile(x: object, kernel: object,
                       position: tuple[int, int] = (0, 0)) -> Figure:
    """One tile of Winograd's F(2x2, 3x3) on the image ``x`` (H, W) and the 3x3
    ``kernel``: the input's tiles, then the tile ``position`` (row, column of tiles)
    through the input, kernel and output transforms. (F(4x4, 3x3)'s 6x6 tiles of
    fractions do not fit the text column; ``winograd_tile`` computes them.)"""
    x, g = as_grid(x), as_grid(kernel)
    tile = 2
    parts = winograd_tile(x, g, tile, position)
    filled, size = parts["filled"], tile + 2
    ti, tj = position
    out_h, out_w = x.shape[0] - 2, x.shape[1] - 2
    covered = (filled.shape[0] - 2, filled.shape[1] - 2)
    direct = np.array([[(filled[i:i + 3, j:j + 3] * g).sum() for j in range(covered[1])]
                       for i in range(covered[0])])
    small, u = 0.27, 0.36  # cell sizes: the top row, the transforms
    top_h = max(filled.shape[0], 1) * small
    pipe_top = 0.1 + _TITLE + top_h + 0.2 + _TITLE
    row2 = pipe_top + size * u + _TITLE + 0.25
    x_v = _MARGIN + size * u + 0.8
    x_m = x_v + size * u + 0.75
    x_y = x_m + size * u + 0.8
    width = x_y + tile * u + _MARGIN
    height = row2 + size * u + 0.35
    fig = plt.figure(figsize=(width, height))

    # the tiles over the input and the output
    top = 0.1 + _TITLE
    ax_in = _axes(fig, _MARGIN, top, filled.shape[1] * small, top_h)
    pad = {(i, j) for i in range(filled.shape[0]) for j in range(filled.shape[1])
           if i >= x.shape[0] or j >= x.shape[1]}
    lit = [(ti * tile + a, tj * tile + b) for a in range(size) for b in range(size)]
    draw_grid(ax_in, filled, "input", padding=pad, highlight=lit, fontsize=MIN_FONTSIZE + 1)
    ax_in.set_title(f"input, {size}×{size} tiles {tile} apart", fontsize=11,
                    color=edge("input"))
    if tj + 1 < covered[1] // tile:  # the neighbouring tile, to show the overlap
        ax_in.add_patch(Rectangle(((tj + 1) * tile, ti * tile), size, size, fill=False,
                                  edgecolor=edge("input"), linewidth=2, linestyle="--"))
    x_out = _MARGIN + filled.shape[1] * small + 1.1
    ax_out = _axes(fig, x_out, top + small, covered[1] * small, covered[0] * small)
    cut = {(i, j) for i in range(covered[0]) for j in range(covered[1])
           if i >= out_h or j >= out_w}
    shown = direct.copy()
    shown[[i for i, _ in cut], [j for _, j in cut]] = np.nan
    out_lit = [(ti * tile + a, tj * tile + b) for a in range(tile) for b in range(tile)]
    draw_grid(ax_out, shown, "output", padding=cut, highlight=out_lit,
              fontsize=MIN_FONTSIZE + 1)
    ax_out.set_title(f"output, {tile}×{tile} tiles", fontsize=11, color=edge("output"))
    mid = top + small + covered[0] * small / 2
    _arrow(fig, (_MARGIN + filled.shape[1] * small + 0.15, mid), (x_out - 0.15, mid))
    notes = (f"Each {size}×{size} input tile gives a {tile}×{tile}\n"
             "output tile; neighbouring tiles overlap\n"
             "by 2 pixels (dashed). Hatched: zeros\n"
             "added so that whole tiles cover the\n"
             "output, and the outputs they give,\n"
             "which are discarded.")
    fig.text((x_out + covered[1] * small + 0.4) / width, 1 - (top + 0.1) / height, notes,
             ha="left", va="top", fontsize=10, color=TEXT, linespacing=1.5)

    # one tile through the transforms
    multiplies, direct_count = size * size, 9 * tile * tile
    _values(_axes(fig, _MARGIN, pipe_top, size * u, size * u), parts["d"], "input",
            f"d: input tile ({size}×{size})")
    _values(_axes(fig, _MARGIN + u / 2, row2, 3 * u, 3 * u), g, "kernel", "g: kernel (3×3)")
    _values(_axes(fig, x_v, pipe_top, size * u, size * u), parts["V"], "input",
            "V = Bᵀ d B")
    _values(_axes(fig, x_v, row2, size * u, size * u), parts["U"], "kernel", "U = G g Gᵀ")
    y_m = (pipe_top + row2) / 2
    _values(_axes(fig, x_m, y_m, size * u, size * u), parts["M"], "output", "M = U ⊙ V")
    fig.text((x_m + size * u / 2) / width, 1 - (y_m + size * u + 0.12) / height,
             f"{multiplies} multiplications", ha="center", va="top", fontsize=10, color=TEXT)
    y_y = y_m + (size - tile) * u / 2
    _values(_axes(fig, x_y, y_y, tile * u, tile * u), parts["Y"], "output", "Y = Aᵀ M A")
    fig.text((x_y + tile * u / 2) / width, 1 - (y_y + tile * u + 0.12) / height,
             f"as direct, which\ntakes {direct_count}\nmultiplications", ha="center",
             va="top", fontsize=10, color=TEXT)
    mid_d, mid_g = pipe_top + size * u / 2, row2 + size * u / 2
    _arrow(fig, (_MARGIN + size * u + 0.1, mid_d), (x_v - 0.1, mid_d), "Bᵀ · B")
    _arrow(fig, (_MARGIN + size * u + 0.1, mid_g), (x_v - 0.1, mid_g), "G · Gᵀ")
    _arrow(fig, (x_v + size * u + 0.1, mid_d), (x_m - 0.1, y_m + size * u / 2 - 0.2))
    _arrow(fig, (x_v + size * u + 0.1, mid_g), (x_m - 0.1, y_m + size * u / 2 + 0.2))
    mid_m = y_m + size * u / 2
    _arrow(fig, (x_m + size * u + 0.1, mid_m), (x_y - 0.1, mid_m), "Aᵀ · A")
    return fig
