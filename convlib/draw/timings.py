"""Timings drawn: how the time of each method grows with the kernel size.

Times vary from run to run and machine to machine; these plots draw whatever a run
of ``convlib.bench`` measured, with the library's time (torch.nn.functional.conv2d)
as the line every method is compared with.
"""

import statistics
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .style import MIN_FONTSIZE, SIGNED_CMAP, TEXT, edge, fill

_STYLES = {  # method: colour, marker
    "im2col": (edge("input"), "s"),
    "fft": (edge("kernel"), "^"),
    "blocked": ("#7a4fa0", "D"),
    "taps": ("#8c6d31", "v"),
    "winograd": ("#c0392b", "P"),
    "winograd4": ("#d35400", "X"),
}


def _kernel(layer: str) -> int:
    """The kernel size of a sweep's layer, named "7x7"."""
    return int(layer.split("x")[0])


def plot_kernel_sweep(timings: Sequence, width: float = 6.4, height: float = 3.6) -> Figure:
    """The median time of each method, and of the library, against the kernel size,
    from the timings of ``convlib.bench.kernel_sweep`` (times on a logarithmic axis)."""
    timed = [t for t in timings if t.median is not None]
    if not timed:
        raise ValueError("no timings to plot (every method was n/a)")
    kernels = sorted({_kernel(t.layer) for t in timed})
    library = [1e3 * statistics.median(t.reference_median for t in timed
                                       if _kernel(t.layer) == k) for k in kernels]
    fig, ax = plt.subplots(figsize=(width, height))
    ax.plot(kernels, library, "o-", color=edge("output"), lw=2.2, ms=6,
            label="F.conv2d (the library)")
    for method in dict.fromkeys(t.method for t in timed):
        points = sorted((_kernel(t.layer), 1e3 * t.median) for t in timed if t.method == method)
        colour, marker = _STYLES.get(method, (TEXT, "o"))
        ax.plot(*zip(*points, strict=True), marker=marker, color=colour, lw=1.6, ms=6,
                label=f"convlib {method}")
    ax.set_yscale("log")
    ax.set_xticks(kernels, [f"{k}×{k}" for k in kernels])
    ax.set_xlabel("kernel size")
    ax.set_ylabel("time per call (ms)")
    ax.grid(True, which="major", color="#e4e4e4", lw=0.6)
    ax.legend(frameon=False, fontsize=10)
    fig.tight_layout()
    return fig


def plot_ratios(timings: Sequence, width: float = 7.8) -> Figure:
    """Each method's time divided by the library's, from the timings of
    ``convlib.bench.run``, as a table of coloured cells: a row per device and layer, a
    column per method that was timed somewhere. Blue cells are faster than the
    library, red ones slower (the colour follows the logarithm of the ratio, so 2
    and 1/2 are equally strong); cells not timed are hatched, marked n/a."""
    rows = list(dict.fromkeys((t.device, t.layer) for t in timings))
    methods = [m for m in dict.fromkeys(t.method for t in timings)
               if any(t.ratio is not None for t in timings if t.method == m)]
    if not methods:
        raise ValueError("no timings to plot (every method was n/a)")
    ratio = {(t.device, t.layer, t.method): t.ratio for t in timings}
    devices = {device for device, _ in rows}
    label_width = 0.075 * max(len(layer) + 5 * (len(devices) > 1) for _, layer in rows) + 0.3
    cell = min(0.95, (width - label_width) / len(methods))
    fig = plt.figure(figsize=(label_width + cell * len(methods) + 0.2, 0.42 * len(rows) + 0.75))
    ax = fig.add_axes((label_width / fig.get_figwidth(), 0.05 / fig.get_figheight(),
                       cell * len(methods) / fig.get_figwidth(),
                       0.42 * len(rows) / fig.get_figheight()))
    cmap = plt.get_cmap(SIGNED_CMAP)
    for i, (device, layer) in enumerate(rows):
        for j, method in enumerate(methods):
            r = ratio.get((device, layer, method))
            if r is None:
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor=fill("padding"), hatch="//",
                                       edgecolor="white", lw=1.5))
                ax.text(j + 0.5, i + 0.5, "n/a", ha="center", va="center",
                        fontsize=MIN_FONTSIZE, color="#666666")
                continue
            strength = float(np.clip(np.log2(r) / 3, -1, 1))  # 1/8 .. 8
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=cmap(0.5 + strength / 2),
                                   edgecolor="white", lw=1.5))
            ax.text(j + 0.5, i + 0.5, f"{r:.2f}", ha="center", va="center", fontsize=10,
                    color="white" if abs(strength) > 0.6 else TEXT)
    ax.set_xlim(0, len(methods))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(np.arange(len(methods)) + 0.5, methods, fontsize=10)
    ax.xaxis.tick_top()
    ax.set_yticks(np.arange(len(rows)) + 0.5,
                  [f"{d}: {la}" if len(devices) > 1 else la for d, la in rows], fontsize=10)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig
