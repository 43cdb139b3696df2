"""The roofline drawn: what a machine can reach at each arithmetic intensity, and
where layers land on it (Williams, Waterman and Patterson, 2009).

Both axes are logarithmic. The roof rises with slope one (memory-bound: the rate is
intensity times bandwidth) until the ridge point, then stays flat at the peak
(compute-bound). Each layer is drawn at its intensity twice: a hollow marker on the
roof, the best it could reach, and a filled one at the rate it was measured at,
joined by a dotted line, the distance between them.
"""

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..sizes.intensity import attainable, ridge_point
from .style import MIN_FONTSIZE, TEXT, edge, fill

Point = tuple[str, float, float]  # label, intensity (FLOP/byte), measured rate (FLOP/s)


def plot_roofline(peak: float, bandwidth: float, points: Sequence[Point],
                  width: float = 7.6, height: float = 4.6) -> Figure:
    """The roofline of a machine with this ``peak`` (FLOP/s) and memory ``bandwidth``
    (bytes/s), and each of ``points`` = (label, intensity, measured FLOP/s) on it,
    numbered, with a key of the numbers in the empty lower right corner."""
    ridge = ridge_point(peak, bandwidth)
    intensities = [p[1] for p in points] or [ridge]
    lo = min(min(intensities), ridge) / 4
    hi = max(max(intensities), ridge) * 4
    xs = np.geomspace(lo, hi, 200)
    roof = np.array([attainable(x, peak, bandwidth) for x in xs]) / 1e9
    fig, ax = plt.subplots(figsize=(width, height))
    ax.fill_between(xs, roof, where=xs <= ridge, color=fill("input"), alpha=0.6, lw=0)
    ax.fill_between(xs, roof, where=xs >= ridge, color=fill("output"), alpha=0.6, lw=0)
    ax.plot(xs, roof, color=TEXT, lw=2)
    ax.axvline(ridge, color="#888888", lw=1, ls=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    rates = [p[2] / 1e9 for p in points]
    low = min(rates + [attainable(lo, peak, bandwidth) / 1e9]) / 4
    ax.set_ylim(low, peak / 1e9 * 2.5)
    ax.set_xlim(lo, hi)
    ax.text(ridge * 1.3, peak / 1e9 * 1.2, f"peak: {peak / 1e9:.0f} GFLOP/s", fontsize=10,
            color=TEXT, va="bottom", ha="left")
    ax.text(ridge * 1.08, low * 1.3, f"ridge:\n{ridge:.1f} FLOP/byte", fontsize=MIN_FONTSIZE,
            color="#555555", va="bottom")
    # the bandwidth written along the slope, just above it
    fig.canvas.draw()
    a, b = lo * 1.5, lo * 3
    (x0, y0), (x1, y1) = ax.transData.transform(
        [(a, attainable(a, peak, bandwidth) / 1e9), (b, attainable(b, peak, bandwidth) / 1e9)])
    ax.annotate(f"bandwidth × intensity\n({bandwidth / 1e9:.0f} GB/s)",
                (a, attainable(a, peak, bandwidth) / 1e9), xytext=(0, 6),
                textcoords="offset points", fontsize=MIN_FONTSIZE, color=TEXT,
                rotation=np.degrees(np.arctan2(y1 - y0, x1 - x0)), rotation_mode="anchor",
                ha="left", va="bottom")
    ax.text(0.02, 0.03, "memory-bound", transform=ax.transAxes, fontsize=10,
            color=edge("input"), fontweight="bold")
    ax.text(ridge * 1.08, low * 1.3 * 3.2, "compute-bound", fontsize=10,
            color=edge("output"), fontweight="bold")
    key = []
    for n, (label, intensity, rate) in enumerate(points, 1):
        bound = attainable(intensity, peak, bandwidth) / 1e9
        ax.plot([intensity, intensity], [rate / 1e9, bound], color="#777777", lw=1, ls=":")
        ax.plot(intensity, bound, "o", mfc="white", mec=edge("kernel"), ms=7, mew=1.6)
        ax.plot(intensity, rate / 1e9, "o", color=edge("kernel"), ms=7)
        ax.annotate(str(n), (intensity, rate / 1e9), xytext=(5, -4), textcoords="offset points",
                    fontsize=10, color=TEXT, va="top", fontweight="bold")
        key.append(f"{n}  {label}")
    ax.text(0.98, 0.03, "\n".join(key), transform=ax.transAxes, fontsize=MIN_FONTSIZE + 0.5,
            color=TEXT, ha="right", va="bottom", linespacing=1.4, multialignment="left",
            bbox={"facecolor": "white", "edgecolor": "#cccccc", "boxstyle": "round,pad=0.4"})
    ax.set_xlabel("arithmetic intensity (FLOP per byte moved)")
    ax.set_ylabel("GFLOP/s")
    ax.grid(True, which="major", color="#e4e4e4", lw=0.6)
    ax.set_axisbelow(True)
    fig.tight_layout()
    return fig
