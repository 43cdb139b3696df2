"""A tensor's memory layout drawn: the same small image stored channels first (NCHW)
and channels last (NHWC).

Memory is one long line of numbers. A (channels, height, width) image is written
into it either a whole channel after another (NCHW, PyTorch's default) or a whole
pixel after another, its channels side by side (NHWC, ``torch.channels_last``). The
figure lights the numbers of one pixel in both: far apart in one layout, neighbours
in the other.
"""

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .colour import TINTS
from .style import COLUMN_INCHES, MIN_FONTSIZE, TEXT

_LETTERS = "RGBCDEFHIJ"


def _label(c: int, h: int, w: int, width: int) -> str:
    return f"{_LETTERS[c]}{h * width + w}"


def _tint(c: int) -> str:
    return TINTS[c % len(TINTS)]


def _cell(ax: Axes, x: float, y: float, c: int, text: str, lit: bool) -> None:
    ax.add_patch(Rectangle((x, y), 1, 1, facecolor=_tint(c), alpha=1.0 if lit else 0.22,
                           edgecolor="white", linewidth=1.5))
    ax.text(x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=MIN_FONTSIZE + 1,
            color="white" if lit else TEXT, fontweight="bold")
    if lit:
        ax.add_patch(Rectangle((x, y), 1, 1, fill=False, edgecolor=TEXT, linewidth=2))


def memory_order(channels: int, height: int, width: int, channels_last: bool
                 ) -> list[tuple[int, int, int]]:
    """The (channel, row, column) of each number of a (channels, height, width) image in
    the order PyTorch stores it, read from its strides."""
    x = torch.empty(1, channels, height, width)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    _, sc, sh, sw = x.stride()
    index = {c * sc + h * sh + w * sw: (c, h, w)
             for c in range(channels) for h in range(height) for w in range(width)}
    return [index[k] for k in sorted(index)]


def draw_memory_layout(channels: int = 3, height: int = 2, width: int = 3,
                       pixel: tuple[int, int] = (0, 1)) -> Figure:
    """A ``channels`` x ``height`` x ``width`` image (each number named by its channel's
    letter and its pixel's place, R0, G0, ...), and the order of its numbers in memory
    channels first (NCHW) and channels last (NHWC); the numbers of ``pixel`` are lit."""
    if not 1 <= channels <= len(_LETTERS):
        raise ValueError(f"channels must be from 1 to {len(_LETTERS)}; got {channels}")
    total = channels * height * width
    u = min(0.4, (COLUMN_INCHES - 2.0) / total)
    fig_w = total * u + 2.0
    fig_h = (height + 6.6) * u  # the image, the two strips, their labels
    fig = plt.figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, fig_w / u)
    ax.set_ylim(fig_h / u, 0)
    ax.axis("off")
    left = 1.8 / u  # where the strips start, in cells
    # the image, one plane per channel
    y0 = 0.8
    for c in range(channels):
        x0 = left + c * (width + 1)
        ax.text(x0 + width / 2, y0 - 0.25, f"channel {c}", ha="center", va="bottom",
                fontsize=10, color=_tint(c), fontweight="bold")
        for h in range(height):
            for w in range(width):
                _cell(ax, x0 + w, y0 + h, c, _label(c, h, w, width), (h, w) == pixel)
    ax.text(left - 0.4, y0 + height / 2, "the image", ha="right", va="center", fontsize=11,
            color=TEXT)
    # the two orders in memory
    for row, (name, last) in enumerate((("NCHW\n(channels first)", False),
                                        ("NHWC\n(channels last)", True))):
        y = y0 + height + 1.4 + row * 2.3
        for k, (c, h, w) in enumerate(memory_order(channels, height, width, last)):
            _cell(ax, left + k, y, c, _label(c, h, w, width), (h, w) == pixel)
            ax.text(left + k + 0.5, y + 1.08, str(k), ha="center", va="top",
                    fontsize=MIN_FONTSIZE, color="#666666")
        ax.text(left - 0.4, y + 0.5, name, ha="right", va="center", fontsize=11, color=TEXT)
    ax.text(left + total, y0 + height + 1.4 + 2.3 + 1.6, "memory address →", ha="right",
            va="top", fontsize=MIN_FONTSIZE, color="#666666")
    return fig
