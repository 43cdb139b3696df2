"""Convolutions in one, two and three dimensions, drawn.

A kernel has as many axes as the directions it slides in; a filter stacks one kernel
per input channel, so it has one axis more. ``draw_filter_shapes`` draws a 1-D, a 2-D
and a 3-D filter as stacks of kernels; ``show_signal_match`` a 1-D filter cut from a
multichannel signal and what it finds there; ``stack`` draws one stack of sheets, for
the other pictures of the chapter.
"""

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from ..sizes.arguments import positive
from .style import COLUMN_INCHES, SIGNED_CMAP, TEXT, edge, fill

SHIFT = 0.5  # how far each sheet of a stack lies up and right of the one in front


def sheet(ax: Axes, x: float, y: float, height: int, width: int, role: str,
          zorder: float = 2) -> None:
    """One kernel or channel: ``height`` x ``width`` cells with the lower left at (x, y)."""
    for i in range(height):
        for j in range(width):
            ax.add_patch(Rectangle((x + j, y + height - 1 - i), 1, 1, facecolor=fill(role),
                                   edgecolor=edge(role), lw=1.0, zorder=zorder))


def stack(ax: Axes, x: float, y: float, depth: int, height: int, width: int,
          role: str, shift: float = SHIFT) -> tuple[float, float]:
    """``depth`` sheets, the first in front and each next one ``shift`` up and right;
    returns the top right corner of the whole stack."""
    for s in reversed(range(depth)):
        sheet(ax, x + s * shift, y + s * shift, height, width, role, zorder=2 + (depth - s) / 100)
    return x + width + (depth - 1) * shift, y + height + (depth - 1) * shift


def arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float],
          colour: str = TEXT) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=colour,
                                 lw=1.4, zorder=4, shrinkA=0, shrinkB=0))


def _label(ax: Axes, x: float, y: float, text: str, colour: str = TEXT,
           size: float = 10, **kwargs: object) -> None:
    ax.text(x, y, text, ha="center", va="top", color=colour, fontsize=size, **kwargs)


def draw_filter_shapes(channels: Sequence[int] = (4, 3, 2), kernel: int = 3,
                       length: int = 5) -> Figure:
    """A 1-D, a 2-D and a 3-D filter side by side, each a stack of one kernel per input
    channel: ``channels`` gives the input channels of each; 1-D kernels are ``length``
    long, the others ``kernel`` along each axis. Under each: the kernel's shape, the
    filter's, and the layer's weight tensor, one axis more again."""
    if len(channels) != 3:
        raise ValueError(f"channels must give three channel counts (1-D, 2-D, 3-D); got "
                         f"{channels!r}")
    c1, c2, c3 = (positive("channels", c) for c in channels)
    positive("kernel", kernel)
    positive("length", length)
    k = kernel
    fig, ax = plt.subplots(figsize=(COLUMN_INCHES, 3.5))
    height = max(c1 * 1.25 - 0.25, k + (max(c2, k) - 1) * SHIFT)
    title_y, shape_y = height + 1.6, -1.9
    kernel_colour = edge("kernel")

    def panel(centre: float, title: str, motion: str, shapes: str) -> None:
        ax.text(centre, title_y, title, ha="center", va="bottom", fontsize=11,
                fontweight="bold", color=TEXT)
        ax.text(centre, -0.95, motion, ha="center", va="top", fontsize=10, color=TEXT)
        ax.text(centre, shape_y - 0.6 * motion.count("\n"), shapes, ha="center", va="top",
                fontsize=10, color=kernel_colour, linespacing=1.4)

    # 1-D: one row of `length` weights per channel, the rows stacked: a 2-D array.
    for c in range(c1):
        sheet(ax, 0, (c1 - 1 - c) * 1.25, 1, length, "kernel")
        ax.text(-0.3, (c1 - 1 - c) * 1.25 + 0.5, str(c + 1), ha="right", va="center",
                fontsize=9, color=kernel_colour)
    arrow(ax, (0, -0.6), (length, -0.6))
    panel(length / 2, f"1-D, {c1} channels", "slides along time",
          f"kernel ({length},)\nfilter ({c1}, {length}): 2-D\nweight (C_out, {c1}, {length})")

    # 2-D: c2 sheets of k x k, one per channel, stacked: a 3-D array.
    x0 = length + 4.5
    right, _ = stack(ax, x0, 0, c2, k, k, "kernel")
    arrow(ax, (x0, -0.6), (x0 + k, -0.6))
    arrow(ax, (x0 - 0.6, k), (x0 - 0.6, 0))
    ax.text((x0 + right) / 2, height + 0.45, f"{c2} kernels, one per channel", ha="center",
            va="bottom", fontsize=10, color=kernel_colour)
    panel((x0 + right) / 2, f"2-D, {c2} channels", "slides across and down",
          f"kernel ({k}, {k})\nfilter ({c2}, {k}, {k}): 3-D\nweight (C_out, {c2}, {k}, {k})")

    # 3-D: c3 blocks of k slices of k x k, one per channel, side by side: a 4-D array.
    x0 = right + 4.5
    x = x0
    for c in range(c3):
        right, _ = stack(ax, x, 0, k, k, k, "kernel")
        ax.text((x + right) / 2, height + 0.45, f"channel {c + 1}", ha="center", va="bottom",
                fontsize=10, color=kernel_colour)
        x = right + 1.0
    arrow(ax, (x0, -0.6), (x0 + k, -0.6))
    arrow(ax, (x0 - 0.6, k), (x0 - 0.6, 0))
    panel((x0 + right) / 2, f"3-D, {c3} channels", "slides across, down\nand through time",
          f"kernel ({k}, {k}, {k})\nfilter ({c3}, {k}, {k}, {k}): 4-D\n"
          f"weight (C_out, {c3}, {k}, {k}, {k})")

    ax.set_xlim(-1.2, right + 0.8)
    ax.set_ylim(shape_y - 3.0, title_y + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01)
    return fig


def show_signal_match(signal: np.ndarray, start: int, length: int, output: np.ndarray,
                      rate: float, names: Sequence[str] | None = None,
                      marks: Sequence[int] = ()) -> Figure:
    """A multichannel signal (channels, samples), the filter cut from it at ``start``
    (``length`` samples of every channel, shaded), and the 1-D output of sliding that
    filter along time; ``marks`` are output positions to point out. ``rate`` is in
    samples per second; output t is drawn at the middle of its window."""
    signal = np.asarray(signal, dtype=float)
    output = np.asarray(output, dtype=float)
    if signal.ndim != 2 or output.ndim != 1:
        raise ValueError("signal must be (channels, samples) and output 1-D")
    channels, samples = signal.shape
    if output.shape[0] != samples - length + 1:
        raise ValueError(f"an output of a valid slide of {length} samples over {samples} has "
                         f"{samples - length + 1} values; got {output.shape[0]}")
    if not 0 <= start <= samples - length:
        raise ValueError(f"start must be in 0..{samples - length}; got {start}")
    names = list(names or [f"channel {c + 1}" for c in range(channels)])
    template = signal[:, start:start + length]
    time = np.arange(samples) / rate
    fig = plt.figure(figsize=(COLUMN_INCHES, 5.0))
    grid = fig.add_gridspec(2, 2, width_ratios=[5, 1.3], height_ratios=[2.3, 1], wspace=0.2,
                            hspace=0.35)
    ax = fig.add_subplot(grid[0, 0])
    spacing = 2.2 * np.abs(signal).max(axis=1).mean()
    for c in range(channels):
        ax.plot(time, signal[c] - c * spacing, color=edge("input"), lw=0.8)
    ax.axvspan(start / rate, (start + length - 1) / rate, color=fill("kernel"), zorder=0)
    ax.axvspan(start / rate, (start + length - 1) / rate, fill=False, edgecolor=edge("kernel"),
               lw=1.5, zorder=3)
    ax.set_yticks([-c * spacing for c in range(channels)], names, fontsize=10)
    ax.set_xlim(0, time[-1])
    ax.tick_params(labelbottom=False)
    ax.set_title(f"input: {channels} channels × {samples} samples", fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    fx = fig.add_subplot(grid[0, 1])
    limit = float(np.abs(template).max()) or 1.0
    fx.imshow(template, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit, aspect="auto",
              interpolation="nearest")
    fx.set_xticks([0, length - 1], ["0", str(length - 1)], fontsize=9)
    fx.set_yticks(range(channels), [str(c + 1) for c in range(channels)], fontsize=9)
    fx.set_xlabel("sample", fontsize=9, labelpad=-2)
    fx.set_ylabel("channel", fontsize=9, labelpad=1)
    fx.set_title(f"filter ({channels}, {length})", fontsize=11, color=edge("kernel"))
    for spine in fx.spines.values():
        spine.set_edgecolor(edge("kernel"))
        spine.set_linewidth(1.5)

    key = fig.add_subplot(grid[1, 1])
    key.axis("off")
    key.text(0.5, 0.6, "filter weights:\nred above zero,\nblue below", ha="center",
             va="center", fontsize=9, color=TEXT, transform=key.transAxes)

    ox = fig.add_subplot(grid[1, 0])
    centres = (np.arange(output.shape[0]) + (length - 1) / 2) / rate
    ox.plot(centres, output, color=edge("output"), lw=1.0)
    for m in marks:
        ox.plot(centres[m], output[m], "o", color=edge("output"), ms=6)
        ox.annotate(f"{centres[m]:.1f} s", (centres[m], output[m]), xytext=(6, -2),
                    textcoords="offset points", fontsize=10, va="top")
    ox.set_xlim(0, time[-1])
    ox.set_xlabel("time (s)", fontsize=10)
    ox.set_ylabel("response", fontsize=10)
    ox.set_title(f"output: 1 channel × {output.shape[0]} values", fontsize=11)
    ox.tick_params(labelsize=9)
    for side in ("top", "right"):
        ox.spines[side].set_visible(False)
    fig.subplots_adjust(left=0.11, right=0.97, top=0.93, bottom=0.1)
    return fig
