"""The convolution matrix drawn: one colour per kernel weight, fixed zeros blank, and
each output traced back to the input pixels its row reads."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import HTML
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..ops.matrix import Pair, as_input_shape, conv_matrix, conv_matrix_index, pair
from ..sizes.shapes import output_size
from .animation import new_figure, render_frames
from .grids import number_text
from .style import COLUMN_INCHES, TEXT, edge, fill, ink


def weight_colours(count: int) -> list[tuple[float, float, float, float]]:
    """One colour per kernel weight, the same as ``draw_connections`` uses for its lines."""
    if not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a positive int; got {count!r}")
    cmap = plt.get_cmap("tab10" if count <= 10 else "tab20")
    if count <= 20:
        return [cmap(n) for n in range(count)]
    return [plt.get_cmap("hsv")(n / count) for n in range(count)]


def _cells(ax: Axes, values: np.ndarray, index: np.ndarray, colours: list, *,
           fontsize: float = 9) -> None:
    """Cells coloured by the weight they hold; fixed zeros blank (white, grey outline).

    Drawn as one image with grid lines over it, so that large matrices draw fast.
    """
    rows, cols = index.shape
    rgba = np.ones((rows, cols, 4))
    for r, c in np.argwhere(index >= 0):
        rgba[r, c] = to_rgba(colours[index[r, c]])
        ax.text(c + 0.5, r + 0.5, number_text(values[r, c]), ha="center", va="center",
                fontsize=fontsize, color=ink(colours[index[r, c]]), fontweight="bold")
    ax.imshow(rgba, extent=(0, cols, rows, 0), interpolation="nearest")
    ax.hlines(np.arange(rows + 1), 0, cols, color="#d5d5d5", lw=0.6)
    ax.vlines(np.arange(cols + 1), 0, rows, color="#d5d5d5", lw=0.6)
    ax.set_xlim(-0.05, cols + 0.05)
    ax.set_ylim(rows + 0.05, -0.05)
    ax.set_aspect("equal")
    ax.axis("off")


def _pixel_grid(ax: Axes, height: int, width: int, role: str, title: str) -> None:
    """A grid of pixels in the role's colour, numbered in flatten order."""
    for n in range(height * width):
        i, j = divmod(n, width)
        ax.add_patch(Rectangle((j, i), 1, 1, facecolor=fill(role), edgecolor="white", lw=1.5))
        ax.text(j + 0.5, i + 0.5, str(n), ha="center", va="center", fontsize=9, color=TEXT)
    ax.set_xlim(-0.05, width + 0.05)
    ax.set_ylim(height + 0.05, -0.05)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=11)


def _counts(index: np.ndarray) -> str:
    rows, cols = index.shape
    stored = int((index >= 0).sum())
    distinct = len(np.unique(index[index >= 0]))
    return (f"{rows * cols} entries: {stored} hold a kernel weight, "
            f"{rows * cols - stored} are fixed zeros; {distinct} distinct weights")


_CELL, _MARGIN, _GAP, _TITLE = 0.36, 0.25, 0.55, 0.45  # inches
_MIN_CELL = 0.26  # inches: a two-digit number at 9 points still fits a cell


def _cell(kernel: torch.Tensor, input_shape: tuple[int, ...], stride: Pair,
          padding: Pair) -> float:
    """Inches per cell: _CELL, or less, down to _MIN_CELL, to fit the text column."""
    kw = kernel.shape[1]
    _, _, width = as_input_shape(input_shape)
    cols = conv_matrix_index(tuple(kernel.shape), input_shape, stride, padding).shape[1]
    wo = output_size(width, kw, pair("stride", stride, 1)[1], pair("padding", padding, 0)[1])
    cells = max(kw, width, 4) + cols + max(wo, 2)
    fit = (COLUMN_INCHES - 2 * _MARGIN - 2 * _GAP - 0.3) / cells
    return max(_MIN_CELL, min(_CELL, fit))


def _figure_size(kernel: torch.Tensor, input_shape: tuple[int, ...], stride: Pair,
                 padding: Pair) -> tuple[float, float]:
    """The figure size, in inches, that the panels of ``_draw`` need."""
    u = _cell(kernel, input_shape, stride, padding)
    kh, kw = kernel.shape
    _, height, width = as_input_shape(input_shape)
    rows, cols = conv_matrix_index(tuple(kernel.shape), input_shape, stride, padding).shape
    wo = output_size(width, kw, pair("stride", stride, 1)[1], pair("padding", padding, 0)[1])
    left = max(kw, width, 4) * u
    total_w = 2 * _MARGIN + left + 2 * _GAP + 0.3 + (cols + max(wo, 2)) * u
    left_h = (kh + height) * u + 2 * _TITLE + 0.5
    total_h = 2 * _MARGIN + max(left_h, rows * u + _TITLE + 0.8)
    return total_w, total_h


def _axes(fig: Figure, x: float, top: float, w: float, h: float) -> Axes:
    """An axes ``x`` inches from the left edge, its top ``top`` inches from the top."""
    fw, fh = fig.get_size_inches()
    return fig.add_axes((x / fw, 1 - (top + h) / fh, w / fw, h / fh))


@dataclass
class _Panels:
    """The axes of a drawn matrix figure, and what tracing a row needs to know."""

    ax_in: Axes
    ax_m: Axes
    ax_out: Axes
    index: np.ndarray
    colours: list
    width: int
    out_width: int


def _draw(fig: Figure, kernel: torch.Tensor, input_shape: tuple[int, ...], stride: Pair,
          padding: Pair) -> _Panels:
    """Kernel, input, matrix and output on ``fig``, every row in full colour."""
    fig.clear()
    k = kernel.cpu().double()
    index = conv_matrix_index(tuple(k.shape), input_shape, stride, padding).numpy()
    values = conv_matrix(k, input_shape, stride, padding).numpy()
    colours = weight_colours(k.numel())
    _, height, width = as_input_shape(input_shape)
    rows, cols = index.shape
    kh, kw = k.shape
    wo = output_size(width, kw, pair("stride", stride, 1)[1], pair("padding", padding, 0)[1])
    ho = rows // wo
    u, top = _cell(k, input_shape, stride, padding), _MARGIN + _TITLE
    # left column: the kernel above the input
    ax_k = _axes(fig, _MARGIN, top, kw * u, kh * u)
    flat = k.flatten().numpy()
    for n in range(k.numel()):
        a, b = divmod(n, kw)
        ax_k.add_patch(Rectangle((b, a), 1, 1, facecolor=colours[n], edgecolor="white",
                                 lw=1.5))
        ax_k.text(b + 0.5, a + 0.5, number_text(flat[n]), ha="center", va="center",
                  fontsize=10, color=ink(colours[n]), fontweight="bold")
    ax_k.set_xlim(0, kw)
    ax_k.set_ylim(kh, 0)
    ax_k.axis("off")
    ax_k.set_title("kernel", fontsize=11, color=edge("kernel"), loc="left")
    ax_in = _axes(fig, _MARGIN, top + kh * u + _TITLE + 0.5, width * u, height * u)
    _pixel_grid(ax_in, height, width, "input", "")
    ax_in.set_title("input x, pixels\nin flatten order", fontsize=11, loc="left",
                    color=edge("input"))
    # the matrix, input numbers above its columns, output numbers left of its rows
    x_m = _MARGIN + max(kw, width, 4) * u + _GAP + 0.3
    ax_m = _axes(fig, x_m, top + 0.3, cols * u, rows * u)
    _cells(ax_m, values, index, colours)
    ax_m.set_title(f"the matrix M ({rows} x {cols})", fontsize=11, pad=14, loc="left")
    for c in range(cols):
        ax_m.text(c + 0.5, -0.12, str(c), ha="center", va="bottom", fontsize=9,
                  color=edge("input"))
    for r in range(rows):
        ax_m.text(-0.15, r + 0.5, str(r), ha="right", va="center", fontsize=9,
                  color=edge("output"))
    ax_m.text(0, rows + 0.25, _counts(index), ha="left", va="top", fontsize=10, color=TEXT)
    ax_out = _axes(fig, x_m + cols * u + _GAP, top + 0.3, wo * u, ho * u)
    _pixel_grid(ax_out, ho, wo, "output", "")
    ax_out.set_title("output y", fontsize=11, loc="left", color=edge("output"), pad=14)
    return _Panels(ax_in, ax_m, ax_out, index, colours, width, wo)


def _trace(p: _Panels, row: int) -> list[Artist]:
    """Artists that trace output ``row``: the other rows of the matrix faded, the row
    outlined, the pixels it reads coloured by their weight, the output cell lit."""
    rows, cols = p.index.shape
    added: list[Artist] = []
    for start, stop in ((0, row), (row + 1, rows)):
        if stop > start:
            added.append(p.ax_m.add_patch(Rectangle((0, start), cols, stop - start,
                                                    facecolor="white", alpha=0.75, lw=0,
                                                    zorder=3.5)))
    added.append(p.ax_m.add_patch(Rectangle((0, row), cols, 1, fill=False,
                                            edgecolor=edge("output"), lw=2.5, zorder=4)))
    for c in np.flatnonzero(p.index[row] >= 0):
        i, j = divmod(int(c), p.width)
        added.append(p.ax_in.add_patch(Rectangle((j, i), 1, 1, lw=1.5, edgecolor="white",
                                                 facecolor=p.colours[p.index[row, c]],
                                                 zorder=3.5)))
        added.append(p.ax_in.text(j + 0.5, i + 0.5, str(c), ha="center", va="center",
                                  fontsize=9, color=ink(p.colours[p.index[row, c]]),
                                  zorder=4))
    i, j = divmod(row, p.out_width)
    added.append(p.ax_out.add_patch(Rectangle((j, i), 1, 1, lw=1.5, edgecolor="white",
                                              facecolor=edge("output"), zorder=3.5)))
    added.append(p.ax_out.text(j + 0.5, i + 0.5, str(row), ha="center", va="center",
                               fontsize=9, color="white", zorder=4))
    return added


def _as_kernel(kernel: object) -> torch.Tensor:
    """A one-channel kernel as a 2-D tensor, for drawing."""
    if isinstance(kernel, torch.Tensor):
        k = kernel.detach()
    else:
        try:
            k = torch.as_tensor(np.asarray(kernel, dtype=np.float64))
        except (TypeError, ValueError) as error:
            raise TypeError(f"kernel must be an array of numbers; got {kernel!r}") from error
    if k.dim() not in (2, 3, 4) or (k.dim() > 2 and math.prod(k.shape[:-2]) != 1):
        raise ValueError(f"the drawings take a one-channel kernel, 2-D (height, width); "
                         f"got shape {tuple(k.shape)}")
    return k.reshape(k.shape[-2:])


def draw_conv_matrix(kernel: object, input_shape: tuple[int, ...], stride: Pair = 1,
                     padding: Pair = 0, row: int | None = None) -> Figure:
    """The convolution's matrix beside its kernel, input and output.

    Every entry that holds a kernel weight is filled with that weight's colour (the
    kernel's own cells show the colours), fixed zeros are blank. ``row`` traces one
    output value: its row of the matrix, and the input pixels it reads, coloured by the
    weight that multiplies them.
    """
    k = _as_kernel(kernel)
    index = conv_matrix_index(tuple(k.shape), input_shape, stride, padding)
    if row is not None and not (isinstance(row, int) and 0 <= row < index.shape[0]):
        raise ValueError(f"row must be an int from 0 to {index.shape[0] - 1}; got {row!r}")
    fig = plt.figure(figsize=_figure_size(k, input_shape, stride, padding))
    panels = _draw(fig, k, input_shape, stride, padding)
    if row is not None:
        _trace(panels, row)
    return fig


def animate_conv_matrix(kernel: object, input_shape: tuple[int, ...], stride: Pair = 1,
                        padding: Pair = 0, interval: int = 1200, alt: str | None = None) -> HTML:
    """One frame per output value: its row of the matrix, and the window it reads on the
    input, coloured by weight. The slide of chapter 1, read off the matrix."""
    k = _as_kernel(kernel)
    index = conv_matrix_index(tuple(k.shape), input_shape, stride, padding)
    fig = new_figure(*_figure_size(k, input_shape, stride, padding))
    panels = _draw(fig, k, input_shape, stride, padding)
    shown: list[Artist] = []

    def show(frame: int) -> list[Artist]:
        for artist in shown:
            artist.remove()
        shown[:] = _trace(panels, frame)
        return shown

    rows, cols = index.shape
    alt = alt or (f"The {rows} by {cols} matrix of the convolution, one frame per output value: "
                  "its row, holding the kernel's weights in their colours, and the input pixels "
                  "those weights multiply")
    return render_frames(fig, show, rows, interval, colors=48, alt=alt)


def draw_conv_matrix_settings(n: int = 4, kernel_size: int = 3,
                              settings: Sequence[tuple[int, int]] = ((1, 0), (2, 0), (1, 1),
                                                                     (2, 1))) -> Figure:
    """The matrix of a ``kernel_size`` kernel (weights 1, 2, ...) on an ``n`` x ``n``
    input for each (stride, padding) setting, side by side at one scale: how stride
    removes rows and padding adds rows that lose some weights. The explorer's sweep,
    without a kernel."""
    settings = [(pair("stride", s, 1)[0], pair("padding", p, 0)[0]) for s, p in settings]
    if not settings:
        raise ValueError("draw_conv_matrix_settings needs at least one (stride, padding)")
    k = torch.arange(1, kernel_size**2 + 1, dtype=torch.float64).reshape(kernel_size, -1)
    colours = weight_colours(k.numel())
    shapes = [conv_matrix_index(tuple(k.shape), (n, n), s, p).shape for s, p in settings]
    cols = max(c for _, c in shapes)
    per_line = max(1, min(len(settings), int(COLUMN_INCHES // (cols * 0.22 + 0.4))))
    lines = [settings[i:i + per_line] for i in range(0, len(settings), per_line)]
    u = min(_CELL, (COLUMN_INCHES - 0.4 * per_line) / (per_line * cols))
    heights = [max(r for (r, _), setting in zip(shapes, settings, strict=True)
                   if setting in line) * u + 0.75 for line in lines]
    fig = plt.figure(figsize=(per_line * (cols * u + 0.4), sum(heights)))
    top = 0.0
    for line, height in zip(lines, heights, strict=True):
        for j, (stride, padding) in enumerate(line):
            index = conv_matrix_index(tuple(k.shape), (n, n), stride, padding).numpy()
            values = conv_matrix(k, (n, n), stride, padding).numpy()
            rows = index.shape[0]
            ax = _axes(fig, 0.2 + j * (cols * u + 0.4), top + 0.55, cols * u, rows * u)
            _cells(ax, values, index, colours)
            ax.set_title(f"stride {stride}, padding {padding}: {rows} × {index.shape[1]}",
                         fontsize=10, loc="left")
        top += height
    return fig
