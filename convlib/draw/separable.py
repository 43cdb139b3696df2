"""A standard convolution against a depthwise-separable one, drawn as stacks.

A standard layer's filters each hold one k x k kernel per input channel and mix space
and channels in one step. A depthwise-separable layer (Sifre, 2014; Xception;
MobileNet) splits that into two steps: a depthwise convolution, one k x k kernel per
channel, each on its own channel; then a pointwise (1x1) convolution whose filters mix
the channels at every pixel. ``draw_depthwise_separable`` draws both, with the weights
each step costs.
"""

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ..sizes.arguments import positive
from ..sizes.counts import conv_params
from .dimensions import arrow, stack
from .style import COLUMN_INCHES, TEXT, edge

MAX_SHEETS = 4  # stacks of more channels are drawn with this many sheets


def draw_depthwise_separable(in_channels: int = 3, out_channels: int = 128,
                             kernel_size: int = 3, size: int = 5) -> Figure:
    """Top: a standard layer, ``out_channels`` filters of kernel_size x kernel_size x
    ``in_channels``. Bottom: the depthwise-separable layer that replaces it: one
    kernel per input channel, then ``out_channels`` pointwise filters of 1 x 1 x
    ``in_channels``. Feature maps are ``size`` x ``size``; each step is labelled with
    its weights (no biases), counted by ``convlib.conv_params``."""
    for name, value in (("in_channels", in_channels), ("out_channels", out_channels),
                        ("kernel_size", kernel_size), ("size", size)):
        positive(name, value)
    c, n, k = in_channels, out_channels, kernel_size
    shown_in, shown_out = min(c, MAX_SHEETS), min(n, MAX_SHEETS)
    standard = conv_params(c, n, k, bias=False)
    depthwise = conv_params(c, c, k, groups=c, bias=False)
    pointwise = conv_params(c, n, 1, bias=False)
    fig, ax = plt.subplots(figsize=(COLUMN_INCHES, 4.6))
    gap = 3.2
    kernel_colour = edge("kernel")

    def label(x: float, y: float, text: str, colour: str = TEXT) -> None:
        ax.text(x, y, text, ha="center", va="top", fontsize=10, color=colour, linespacing=1.3)

    def maps(x: float, y: float, depth: int, role: str, what: str) -> float:
        right, _ = stack(ax, x, y, depth, size, size, role)
        label((x + right) / 2, y - 0.4, what, edge(role))
        return right

    # the bottom row first: it is the wider, and the top row follows its scale
    y = 0.0
    x = maps(0, y, shown_in, "input", f"input\n{c} channels")
    mid = y + size / 2
    arrow(ax, (x + 0.4, mid), (x + gap - 0.4, mid))
    x0 = x + gap
    right, _ = stack(ax, x0, y + (size - k) / 2, shown_in, k, k, "kernel", shift=1.15)
    label((x0 + right) / 2, y - 0.4, f"depthwise: one {k}×{k}\nkernel per channel:\n"
          f"{depthwise:,}", kernel_colour)
    arrow(ax, (right + 0.4, mid), (right + gap - 0.4, mid))
    x = maps(right + gap, y, shown_in, "output", f"{c} maps")
    arrow(ax, (x + 0.4, mid), (x + gap - 0.4, mid))
    x0 = x + gap
    right, _ = stack(ax, x0, y + (size - 1) / 2, shown_in, 1, 1, "kernel")
    ax.text(right + 0.3, y + size / 2 + 0.5, f"× {n}", ha="left", va="center", fontsize=11,
            color=kernel_colour)
    label((x0 + right) / 2 + 0.6, y - 0.4, f"pointwise: {n} filters\nof 1×1×{c}: "
          f"{pointwise:,}", kernel_colour)
    arrow(ax, (right + 2.0, mid), (right + gap + 1.2, mid))
    width = maps(right + gap + 1.6, y, shown_out, "output", f"output\n{n} channels")
    ax.text(-1.0, y + size + 1.6, f"depthwise separable: two steps, {depthwise:,} + "
            f"{pointwise:,} = {depthwise + pointwise:,} weights", ha="left", va="bottom",
            fontsize=11, fontweight="bold", color=TEXT)

    # the top row: one step
    y = size + 7.5
    x = maps(0, y, shown_in, "input", f"input\n{c} channels")
    mid = y + size / 2
    arrow(ax, (x + 0.4, mid), (x + gap - 0.4, mid))
    x0 = x + gap
    right, _ = stack(ax, x0, y + (size - k) / 2, shown_in, k, k, "kernel")
    ax.text(right + 0.3, y + size / 2 + 0.5, f"× {n}", ha="left", va="center", fontsize=11,
            color=kernel_colour)
    label((x0 + right) / 2 + 0.6, y - 0.4, f"{n} filters\nof {k}×{k}×{c}", kernel_colour)
    arrow(ax, (right + 2.0, mid), (right + gap + 1.2, mid))
    maps(right + gap + 1.6, y, shown_out, "output", f"output\n{n} channels")
    ax.text(-1.0, y + size + 1.6, f"standard: one step, {k}·{k}·{c}·{n} = {standard:,} weights",
            ha="left", va="bottom", fontsize=11, fontweight="bold", color=TEXT)

    ax.set_xlim(-1.2, width + 0.5)
    ax.set_ylim(-4.2, y + size + 3.2)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01)
    return fig
