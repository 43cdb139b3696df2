"""im2col drawn: every window of the input becomes a column of a matrix, and one
matrix multiply, filters (rows) times columns, gives every output value at once.

The layout is the textbook picture of a matrix product C = A B: the column matrix B
at the top, the filters A to the left of the product C, so that each output value
sits in the row of its filter and the column of its window. The input (blue) is at
the top left and the output maps (green), C's rows reshaped, at the right.
"""

import numpy as np
from IPython.display import HTML
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .animation import new_figure, render_frames
from .grids import as_grid
from .scene import GridArtists
from .style import COLUMN_INCHES, MIN_FONTSIZE, TEXT, edge

_CELL, _MARGIN, _GAP, _TITLE = 0.28, 0.3, 0.45, 0.4  # inches


def _axes(fig: Figure, x: float, top: float, w: float, h: float) -> Axes:
    """An axes ``x`` inches from the left edge, its top ``top`` inches from the top."""
    fw, fh = fig.get_size_inches()
    return fig.add_axes((x / fw, 1 - (top + h) / fh, w / fw, h / fh))


def im2col_parts(x: object, weights: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(columns, filters as rows, output) of a single-channel image ``x`` (H, W) and
    kernels ``weights`` (F, k_h, k_w) at stride 1 without padding: columns is
    (k_h k_w, windows), one window per column in row-major order."""
    x = as_grid(x)
    w = np.asarray(weights, dtype=float)
    if w.ndim == 2:
        w = w[None]
    if w.ndim != 3:
        raise ValueError(f"weights must be one kernel (k_h, k_w) or several (F, k_h, k_w); "
                         f"got shape {w.shape}")
    _, kh, kw = w.shape
    out_h, out_w = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    if out_h < 1 or out_w < 1:
        raise ValueError(f"a {kh}x{kw} kernel does not fit in a {x.shape[0]}x{x.shape[1]} input")
    columns = np.stack([x[i:i + kh, j:j + kw].ravel()
                        for i in range(out_h) for j in range(out_w)], axis=1)
    rows = w.reshape(len(w), -1)
    return columns, rows, rows @ columns


def animate_im2col(x: object, weights: object, interval: int = 1100, colors: int = 32,
                   alt: str | None = None) -> HTML:
    """im2col as an animation: one frame per window of the single-channel image ``x``
    (H, W), lit in the input and as its column of the column matrix, and the output
    values that column gives with each of the kernels ``weights`` (F, k_h, k_w), in
    the product matrix and in the output maps."""
    x = as_grid(x)
    columns, rows, product = im2col_parts(x, weights)
    filters, taps = rows.shape
    windows = columns.shape[1]
    kh, kw = np.asarray(weights).shape[-2:]
    out_h, out_w = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    u = _CELL
    left_w = max(taps * u, (x.shape[1] + kw) * u + _GAP)
    x_b = _MARGIN + left_w + _GAP
    x_maps = x_b + windows * u + _GAP + 0.1
    width = x_maps + out_w * u + _MARGIN
    top_b = _MARGIN + _TITLE
    top_c = top_b + taps * u + _TITLE + 0.1
    height = top_c + filters * u + 0.75
    if width > COLUMN_INCHES or filters * (kh * u + _TITLE) > taps * u + _TITLE:
        raise ValueError(f"{filters} kernels, {windows} windows and {taps} taps do not fit "
                         f"the text column ({COLUMN_INCHES} inches); use a smaller input, "
                         "kernel, or fewer kernels")
    fig = new_figure(width, height)
    size = 10
    board_ax = _axes(fig, _MARGIN, top_b, x.shape[1] * u, x.shape[0] * u)
    board = GridArtists(board_ax, x, "input", fontsize=size)
    board_ax.set_title(f"input ({x.shape[0]}×{x.shape[1]})", fontsize=11, color=edge("input"))
    kernels = np.asarray(weights, dtype=float).reshape(filters, kh, kw)
    top = top_b
    for f in range(filters):
        ax = _axes(fig, _MARGIN + left_w - kw * u, top, kw * u, kh * u)
        GridArtists(ax, kernels[f], "kernel", fontsize=size)
        ax.set_title(f"kernel {f}", fontsize=MIN_FONTSIZE + 1, color=edge("kernel"))
        top += kh * u + _TITLE
    cols_ax = _axes(fig, x_b, top_b, windows * u, taps * u)
    cols = GridArtists(cols_ax, columns, "input", fontsize=size)
    cols_ax.set_title(f"columns: one window each ({taps}×{windows})", fontsize=11,
                      color=edge("input"), pad=16)
    for c in range(windows):
        cols_ax.text(c + 0.5, -0.15, str(c), ha="center", va="bottom", fontsize=MIN_FONTSIZE,
                     color=TEXT)
    GridArtists(_axes(fig, _MARGIN + left_w - taps * u, top_c, taps * u, filters * u), rows,
                "kernel", fontsize=size)
    fig.axes[-1].set_title(f"kernels flattened, one per row ({filters}×{taps})", fontsize=11,
                           color=edge("kernel"))
    out = GridArtists(_axes(fig, x_b, top_c, windows * u, filters * u),
                      np.full(product.shape, np.nan), "output", fontsize=size)
    fig.axes[-1].set_title("output = kernel rows × columns", fontsize=11, color=edge("output"))
    maps = []
    top = top_b
    for f in range(filters):
        maps.append(GridArtists(_axes(fig, x_maps, top, out_w * u, out_h * u),
                                np.full((out_h, out_w), np.nan), "output", fontsize=size))
        fig.axes[-1].set_title(f"map {f}", fontsize=MIN_FONTSIZE + 1, color=edge("output"))
        top += out_h * u + _TITLE
    caption = fig.text(_MARGIN / width, 0.3 / height, "", fontsize=10.5, color=TEXT)

    def show(step: int) -> list[Artist]:
        i, j = divmod(step, out_w)
        window = [(i + a, j + b) for a in range(kh) for b in range(kw)]
        seen = np.full(product.shape, np.nan)
        seen[:, :step + 1] = product[:, :step + 1]
        changed = [*board.show(highlight=window),
                   *cols.show(highlight=[(r, step) for r in range(taps)]),
                   *out.show(seen, highlight=[(f, step) for f in range(filters)])]
        for f, grid in enumerate(maps):
            changed += grid.show(seen[f].reshape(out_h, out_w), highlight=[(i, j)])
        values = ", ".join(f"{product[f, step]:g}" for f in range(filters))
        caption.set_text(f"window {step}: rows {i}–{i + kh - 1}, columns {j}–{j + kw - 1} "
                         f"→ column {step}; kernel rows · column {step} = {values}")
        return [*changed, caption]

    described = alt or (
        f"An animation, one frame per window: a {x.shape[0]} by {x.shape[1]} input with one "
        f"{kh} by {kw} window lit; the {taps} by {windows} column matrix with that window's "
        f"values lit as a column; the {filters} by {taps} matrix of the flattened kernels; "
        f"and the {filters} by {windows} product filling in one column per frame, its rows "
        f"reshaped into {filters} output maps of {out_h} by {out_w}")
    return render_frames(fig, show, windows, interval, colors, alt=described)
