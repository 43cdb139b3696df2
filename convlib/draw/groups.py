"""Grouped convolutions drawn as wiring: which input channels each output channel sees.

With ``groups=g`` the channels are split into g groups and each group is convolved
on its own, as g smaller convolutions side by side. A line from input channel i to
output channel o means that o's filter holds a kernel for i; the fewer the lines,
the fewer the weights. ``animate_groups`` steps through the choices, for the rendered
book; ``convlib.explore.groups`` has the live version.
"""

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..sizes.arguments import check_groups, positive
from ..sizes.counts import conv_params, valid_groups
from .animation import new_figure, render_frames
from .style import COLUMN_INCHES, edge, fill

GROUP_COLOURS = ("#e0730b", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#b7950b",
                 "#2c3e50", "#d35400")


def _name(groups: int, in_channels: int, out_channels: int) -> str:
    if groups == 1:
        return "standard"
    if groups == in_channels:
        return "depthwise" + (f", {out_channels // in_channels} per channel"
                              if out_channels > in_channels else "")
    return f"{groups} groups"


def _wiring(ax: Axes, in_channels: int, out_channels: int, groups: int,
            kernel_size: int) -> None:
    """Draw one layer's wiring on ``ax``, with its weight count in the title."""
    span = max(in_channels, out_channels) - 1 or 1
    y_in = np.linspace(span, 0, in_channels) if in_channels > 1 else np.array([span / 2])
    y_out = np.linspace(span, 0, out_channels) if out_channels > 1 else np.array([span / 2])
    per_in, per_out = in_channels // groups, out_channels // groups
    for o in range(out_channels):
        g = o // per_out
        for i in range(g * per_in, (g + 1) * per_in):
            ax.plot([0, 1], [y_in[i], y_out[o]], color=GROUP_COLOURS[g % len(GROUP_COLOURS)],
                    lw=1.4, alpha=0.85, zorder=1)
    ax.scatter(np.zeros(in_channels), y_in, s=110, color=fill("input"),
               edgecolor=edge("input"), zorder=3)
    ax.scatter(np.ones(out_channels), y_out, s=110, color=fill("output"),
               edgecolor=edge("output"), zorder=3)
    below = -0.06 * span - 0.5
    ax.text(0, below, f"{in_channels} input\nchannels", ha="center", va="top",
            color=edge("input"), fontsize=10)
    ax.text(1, below, f"{out_channels} output\nchannels", ha="center", va="top",
            color=edge("output"), fontsize=10)
    weights = conv_params(in_channels, out_channels, kernel_size, groups=groups, bias=False)
    ax.set_title(f"groups={groups} ({_name(groups, in_channels, out_channels)})\n"
                 f"{weights:,} weights of {kernel_size}×{kernel_size} kernels", fontsize=11)
    ax.set_xlim(-0.4, 1.4)
    ax.set_ylim(below - 0.1 * span - 1.0, span + 0.6)
    ax.axis("off")


def draw_groups(in_channels: int, out_channels: int, groups: Sequence[int] = (1, 2),
                kernel_size: int = 3) -> Figure:
    """One panel per entry of ``groups``: input channels (left) joined to the output
    channels (right) whose filters see them, a colour per group, with the weights."""
    if isinstance(groups, int):
        groups = (groups,)
    if not groups:
        raise ValueError("groups must list at least one value, e.g. (1, 2)")
    for g in groups:
        check_groups(g, in_channels, out_channels)
    positive("kernel_size", kernel_size)
    height = 0.26 * max(in_channels, out_channels) + 1.6
    panel = min(3.4, COLUMN_INCHES / len(groups))
    fig, axes = plt.subplots(1, len(groups), figsize=(panel * len(groups), height),
                             squeeze=False)
    for ax, g in zip(axes[0], groups, strict=True):
        _wiring(ax, in_channels, out_channels, g, kernel_size)
    fig.tight_layout()
    return fig


def animate_groups(in_channels: int, out_channels: int, kernel_size: int = 3,
                   interval: int = 1500, alt: str | None = None) -> HTML:
    """The wiring for every valid ``groups``, from 1 up, as an HTML animation."""
    choices = valid_groups(in_channels, out_channels)
    positive("kernel_size", kernel_size)
    height = 0.26 * max(in_channels, out_channels) + 1.6
    fig = new_figure(3.6, height)
    ax = fig.subplots()

    def frame(t: int) -> None:
        ax.clear()
        _wiring(ax, in_channels, out_channels, choices[t], kernel_size)
        fig.tight_layout()

    frame(0)
    alt = alt or (f"The connections between {in_channels} input and {out_channels} output channels "
                  f"for groups = {', '.join(map(str, choices))}, one setting per frame; the "
                  "more groups, the fewer lines")
    return render_frames(fig, frame, len(choices), interval, colors=64, alt=alt)
