"""One filter at work on a multi-channel input, with every number shown.

A filter holds one kernel per input channel. Each kernel slides over its own
channel, giving one result per channel; the results are added up and the filter's
bias is added, which makes ONE output channel. ``draw_multichannel`` draws that
whole computation; ``animate_multichannel`` steps the filter across the positions,
all channels at once, so the reader sees which numbers meet in each output value.
"""

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import ConnectionPatch
from matplotlib.text import Text

from ..ops.conv import conv2d
from .animation import new_figure, render_frames
from .grids import draw_grid, number_text
from .style import COLUMN_INCHES, TEXT, edge

CELL = 0.48  # inches per grid cell, unless the layout is too wide for the text column
OPERATOR = 1.0  # width, in cells, of the gaps that hold the operators
TITLE = 1.0  # height, in cells, kept above each row of grids for its titles


@dataclass
class Filtered:
    """One filter applied to one input: the per-channel results, their sum, the output."""

    x: np.ndarray  # (C, H, W)
    weight: np.ndarray  # (C, k_h, k_w)
    bias: float
    partial: np.ndarray  # (C, H_out, W_out), one result per channel
    total: np.ndarray  # (H_out, W_out), their sum
    output: np.ndarray  # total + bias

    @classmethod
    def build(cls, x: object, weight: object, bias: float | None = None) -> "Filtered":
        x, weight = np.asarray(x, dtype=np.float64), np.asarray(weight, dtype=np.float64)
        if x.ndim != 3:
            raise ValueError(
                f"x must be one input of shape (channels, height, width); got shape {x.shape}"
            )
        if weight.ndim == 4 and weight.shape[0] == 1:
            weight = weight[0]
        if weight.ndim != 3:
            raise ValueError(
                "weight must be one filter of shape (channels, kernel_h, kernel_w) or "
                f"(1, channels, kernel_h, kernel_w); got shape {weight.shape}"
            )
        if weight.shape[0] != x.shape[0]:
            raise ValueError(
                f"a filter needs one kernel per input channel: x has {x.shape[0]} channels but "
                f"the filter has {weight.shape[0]} kernels"
            )
        if bias is None:
            bias = 0.0
        if isinstance(bias, bool) or not isinstance(bias, (int, float, np.number)):
            raise TypeError(f"bias must be a number (one per filter) or None; got {bias!r}")
        partial = np.stack([conv2d(x[c][None, None], weight[c][None, None])[0, 0]
                            for c in range(x.shape[0])])
        total = partial.sum(axis=0)
        return cls(x, weight, float(bias), partial, total, total + float(bias))

    @property
    def steps(self) -> int:
        return self.total.size

    def window(self, step: int) -> list[tuple[int, int]]:
        i, j = divmod(step, self.total.shape[1])
        kh, kw = self.weight.shape[1:]
        return [(i + a, j + b) for a in range(kh) for b in range(kw)]

    def equation(self, step: int) -> str:
        terms = [_signed(v) for v in self.partial.reshape(len(self.x), -1)[:, step]]
        total = self.total.flat[step]
        out = number_text(self.output.flat[step])
        return (f"channels: {' + '.join(terms)} = {number_text(total)};   "
                f"{number_text(total)} + bias {_signed(self.bias)} = {out}")


def _signed(v: float) -> str:
    return f"({number_text(v)})" if v < 0 else number_text(v)


def _shown(values: np.ndarray, step: int | None) -> np.ndarray:
    """The values computed up to ``step`` (all of them when ``step`` is None)."""
    if step is None:
        return values
    shown = np.full(values.shape, np.nan)
    shown.flat[: step + 1] = values.flat[: step + 1]
    return shown


def _layout(f: Filtered) -> tuple[list[float], list[float]]:
    """Widths and heights of the layout's columns and rows, in grid cells."""
    channels, height, width = f.x.shape
    out_h, out_w = f.total.shape
    widths = [width, OPERATOR, f.weight.shape[2], OPERATOR, out_w, 1.6 * OPERATOR, out_w,
              2.4 * OPERATOR, out_w]
    heights = [max(height, f.weight.shape[1], out_h) + TITLE] * channels
    return widths, heights


def _size(f: Filtered, with_equation: bool) -> tuple[float, float]:
    """The figure's size in inches: CELL per grid cell, less when the row of panels
    would not fit the text column."""
    widths, heights = _layout(f)
    top, bottom = _margins(with_equation)
    cell = min(CELL, (COLUMN_INCHES - 0.2) / sum(widths))
    return cell * sum(widths) + 0.2, cell * sum(heights) + top + bottom


def _margins(with_equation: bool) -> tuple[float, float]:
    """Room above the grids and below them (for the equation), in inches."""
    return 0.1, (0.55 if with_equation else 0.1)


@dataclass
class Panels:
    """The axes of the figure, by role, and the text line that holds the equation."""

    inputs: list[Axes]
    kernels: list[Axes]
    results: list[Axes]
    total: Axes
    output: Axes
    equation: Text | None


def _build(fig: Figure, f: Filtered, with_equation: bool) -> Panels:
    """Lay out the panels, operators and arrows; the grids are drawn by ``_fill``."""
    channels = len(f.x)
    widths, heights = _layout(f)
    (fig_w, fig_h), (top, bottom) = fig.get_size_inches(), _margins(with_equation)
    # Every cell is as wide as it is high: the grids of all panels line up.
    grid = fig.add_gridspec(channels, len(widths), width_ratios=widths, height_ratios=heights,
                            left=0.1 / fig_w, right=1 - 0.1 / fig_w, top=1 - top / fig_h,
                            bottom=bottom / fig_h, wspace=0.0, hspace=0.0)
    inputs, kernels, results = [], [], []
    for c in range(channels):
        inputs.append(fig.add_subplot(grid[c, 0]))
        kernels.append(fig.add_subplot(grid[c, 2]))
        results.append(fig.add_subplot(grid[c, 4]))
        for col, symbol in ((1, "⋆"), (3, "=")):
            box = grid[c, col].get_position(fig)
            fig.text((box.x0 + box.x1) / 2, box.y0 + (box.y1 - box.y0) * 0.45, symbol,
                     ha="center", va="center", fontsize=20, color=TEXT)
    total = fig.add_subplot(grid[:, 6])
    output = fig.add_subplot(grid[:, 8])
    out_h, out_w = f.total.shape
    for ax in (*results, total, output):  # the arrows' ends must lie within the limits
        ax.set_xlim(-0.05, out_w + 0.05)
        ax.set_ylim(out_h + 0.05, -0.05)
    for ax in results:
        fig.add_artist(ConnectionPatch((out_w, out_h / 2), (0, out_h / 2), "data", "data",
                                       axesA=ax, axesB=total, arrowstyle="-|>", shrinkA=5,
                                       shrinkB=5, mutation_scale=14, color=edge("output"),
                                       lw=1.4))
    box = grid[:, 7].get_position(fig)
    middle = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    fig.text(middle[0], middle[1] + 0.3 / fig_h, "bias", ha="center", va="bottom",
             fontsize=10, color=edge("kernel"), fontweight="bold")
    fig.text(*middle, f"+ {_signed(f.bias)}  =", ha="center", va="center", fontsize=15,
             color=TEXT)
    equation = None
    if with_equation:
        equation = fig.text(0.5, 0.2 / fig_h, "", ha="center", va="bottom", fontsize=11,
                            color=TEXT)
    return Panels(inputs, kernels, results, total, output, equation)


def _fill(panels: Panels, f: Filtered, step: int | None) -> None:
    """Draw the grids as they stand at ``step`` (all values when ``step`` is None)."""
    for ax in (*panels.inputs, *panels.kernels, *panels.results, panels.total, panels.output):
        for artist in (*ax.patches, *ax.texts):  # cheaper than clearing the axes
            artist.remove()
    cells = None if step is None else f.window(step)
    here = [] if step is None else [divmod(step, f.total.shape[1])]
    for c in range(len(f.x)):
        notes = None if step is None else {
            cell: f"×{number_text(w)}" for cell, w in zip(cells, f.weight[c].ravel(), strict=True)}
        draw_grid(panels.inputs[c], f.x[c], "input", title=f"input channel {c}",
                  highlight=cells or (), highlight_role="kernel", notes=notes, fontsize=11)
        draw_grid(panels.kernels[c], f.weight[c], "kernel", title=f"kernel {c}", fontsize=11)
        draw_grid(panels.results[c], _shown(f.partial[c], step), "output",
                  title=f"result {c}", highlight=here, fontsize=11)
    draw_grid(panels.total, _shown(f.total, step), "output", title="sum", highlight=here,
              fontsize=11)
    draw_grid(panels.output, _shown(f.output, step), "output", title="output",
              highlight=here, fontsize=11)
    if panels.equation is not None and step is not None:
        panels.equation.set_text(f.equation(step))


def draw_multichannel(x: object, weight: object, bias: float | None = None,
                      step: int | None = None) -> Figure:
    """Draw one filter on a multi-channel input: every channel with its kernel, the
    per-channel results, their sum and the output (sum + ``bias``).

    ``x`` is one input (channels, height, width); ``weight`` one filter (channels,
    kernel_h, kernel_w). With ``step`` the figure shows the filter at that position
    (row by row), with the values computed so far and the sums that give this one.
    """
    f = Filtered.build(x, weight, bias)
    if step is not None and not (isinstance(step, int) and 0 <= step < f.steps):
        raise ValueError(f"step must be None or an int in 0..{f.steps - 1}; got {step!r}")
    fig = plt.figure(figsize=_size(f, step is not None))
    _fill(_build(fig, f, step is not None), f, step)
    return fig


def animate_multichannel(x: object, weight: object, bias: float | None = None,
                         interval: int = 1200, alt: str | None = None) -> HTML:
    """The filter stepping over every position of ``x``, all channels at once, as an
    HTML animation one can step through."""
    f = Filtered.build(x, weight, bias)
    fig = new_figure(*_size(f, True))
    panels = _build(fig, f, True)
    _fill(panels, f, 0)
    channels = f.x.shape[0]
    alt = alt or (f"One filter of {channels} kernels stepping over a {channels}-channel input, one "
                  "frame per position: each kernel's products on its own channel, their sum, "
                  "the bias, and the output value they give")
    return render_frames(fig, lambda t: _fill(panels, f, t), f.steps, interval, colors=64,
                         alt=alt)
