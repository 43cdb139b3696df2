"""A convolution layer drawn as shapes: the input's channels, the filters, the output.

Each filter is a stack of kernels, one per input channel, and makes one output
channel; so a layer has as many output channels as filters. ``draw_layer`` draws
that bookkeeping for given shapes, the numbers left out.
"""

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from ..sizes.arguments import kernel_sizes, positive
from ..sizes.shapes import output_size
from .style import TEXT, edge, fill

DEPTH = 0.45  # how far each slice of a stack is shifted up and right, in pixels
MAX_SLICES = 8  # stacks deeper than this are drawn with this many slices
MAX_FILTERS = 5  # layers with more filters draw the first few, a gap, and the last


def _slice(ax: Axes, x: float, y: float, height: int, width: int, role: str,
           lines: bool) -> None:
    """One channel: a height x width rectangle of pixels with its lower left at (x, y)."""
    ax.add_patch(Rectangle((x, y), width, height, facecolor=fill(role), edgecolor=edge(role),
                           lw=1.3, zorder=2))
    if lines:
        for i in range(1, height):
            ax.plot([x, x + width], [y + i, y + i], color="white", lw=0.8, zorder=2)
        for j in range(1, width):
            ax.plot([x + j, x + j], [y, y + height], color="white", lw=0.8, zorder=2)


def _stack(ax: Axes, x: float, y: float, depth: int, height: int, width: int,
           role: str) -> float:
    """``depth`` slices (at most MAX_SLICES drawn), the first in front, the rest shifted
    back; returns the top."""
    drawn = min(depth, MAX_SLICES)
    lines = height <= 12 and width <= 12
    for s in reversed(range(drawn)):
        _slice(ax, x + s * DEPTH, y + s * DEPTH, height, width, role, lines and s == 0)
    return y + height + drawn * DEPTH


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=TEXT,
                                 lw=1.2, zorder=3, shrinkA=2, shrinkB=2))


def draw_layer(input_shape: tuple[int, int, int], out_channels: int,
               kernel_size: int | tuple[int, int], stride: int = 1,
               padding: int = 0) -> Figure:
    """A layer with ``out_channels`` filters on an input of ``input_shape`` = (C, H, W):
    the input as a stack of C channels, each filter as a stack of C kernels, and one
    output channel per filter; labelled with both H x W x C and PyTorch's shapes."""
    if not isinstance(input_shape, tuple) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (channels, height, width); got {input_shape!r}")
    channels, height, width = (positive(name, n) for name, n in
                               zip(("channels", "height", "width"), input_shape, strict=True))
    positive("out_channels", out_channels)
    kh, kw = kernel_sizes(kernel_size, 2)
    out_h = output_size(height, kh, stride, padding)
    out_w = output_size(width, kw, stride, padding)

    shown = list(range(out_channels))
    if out_channels > MAX_FILTERS:
        shown = [*range(MAX_FILTERS - 2), None, out_channels - 1]  # None: the gap
    depth = min(channels, MAX_SLICES) * DEPTH
    row = max(kh, out_h) + depth + 2.4
    total = row * len(shown)
    # inches per pixel: larger for small layers, smaller so that tall ones fit a page
    scale = min(0.3, 5.5 / max(total, height + depth))
    gap = max(4.5, 1.9 / scale)  # between the columns, room for their labels
    fx = width + depth + gap  # where the filters start
    ox = fx + kw + depth + gap  # where the output channels start
    left = min(-0.5, (width + depth) / 2 - 0.85 / scale)  # room for the input's label
    right = ox + out_w + 1.3 / scale
    bottom = -0.2 - 0.55 / scale
    fig, ax = plt.subplots(figsize=(scale * (right - left),
                                    scale * (max(total, height + depth) + 1.2 - bottom)))
    # the input, centred on the column of filters
    y0 = (total - height - depth) / 2
    top = _stack(ax, 0, y0, channels, height, width, "input")
    ax.text(width / 2 + depth / 2, y0 - 0.8, f"input {height}×{width}×{channels}\n"
            f"tensor ({channels}, {height}, {width})", ha="center", va="top", color=edge("input"))
    ax.text(width / 2 + depth / 2, top + 0.4, f"{channels} channel{'s' * (channels > 1)}",
            ha="center", va="bottom", color=TEXT)
    for r, f in enumerate(shown):
        y = total - (r + 1) * row + 0.8
        middle = y + max(kh, out_h) / 2
        if f is None:
            ax.text(fx + kw / 2, middle, "⋮", ha="center", va="center", fontsize=18, color=TEXT)
            ax.text(ox + out_w / 2, middle, "⋮", ha="center", va="center", fontsize=18,
                    color=TEXT)
            continue
        ky = y + (max(kh, out_h) - kh) / 2
        _stack(ax, fx, ky, channels, kh, kw, "kernel")
        ax.text(fx + (kw + depth) / 2, ky + kh + depth + 0.2, f"filter {f}", ha="center",
                va="bottom", color=edge("kernel"), fontsize=11)
        oy = y + (max(kh, out_h) - out_h) / 2
        _slice(ax, ox, oy, out_h, out_w, "output", out_h <= 12 and out_w <= 12)
        ax.text(ox + out_w + 0.5, oy + out_h / 2, f"channel {f}", ha="left", va="center",
                color=edge("output"), fontsize=11)
        _arrow(ax, (width + depth + 0.3, y0 + height / 2 + depth / 2), (fx - 0.3, ky + kh / 2))
        _arrow(ax, (fx + kw + depth + 0.3, ky + kh / 2), (ox - 0.3, oy + out_h / 2))
    ax.text(fx + (kw + depth) / 2, -0.2,
            f"{out_channels} filter{'s' * (out_channels > 1)} of {kh}×{kw}×{channels}\n"
            f"weight ({out_channels}, {channels}, {kh}, {kw})", ha="center", va="top",
            color=edge("kernel"))
    ax.text(ox + out_w / 2, -0.2, f"output {out_h}×{out_w}×{out_channels}\n"
            f"tensor ({out_channels}, {out_h}, {out_w})", ha="center", va="top",
            color=edge("output"))
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, max(total, top) + 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
    return fig
