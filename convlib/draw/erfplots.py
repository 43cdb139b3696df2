"""Effective receptive fields drawn: gradient maps, their profile, their growth.

The maps come from ``effective_receptive_field``: how strongly each input pixel
moves one unit. Drawn next to the theoretical field, they show that the influence
is concentrated in the middle of it, and these figures measure by how much.
"""

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .style import COLUMN_INCHES, TEXT, edge

ERF_CMAP = "Blues"  # the gradient lives on the input: the input's blue, white for zero

Box = tuple[tuple[int, int], tuple[int, int]]  # (top, bottom), (left, right), inclusive


def _check_maps(maps: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    if not maps:
        raise ValueError("at least one map is needed")
    arrays = {name: np.asarray(m, dtype=float) for name, m in maps.items()}
    for name, a in arrays.items():
        if a.ndim != 2 or not a.max() > 0:
            raise ValueError(f"map {name!r} must be 2-D with a positive entry; got shape {a.shape}")
    return arrays


def show_erf(maps: dict[str, np.ndarray], boxes: dict[str, Box] | None = None,
             columns: int | None = None, size: float = 2.4,
             notes: dict[str, str] | None = None, view: int | None = None) -> Figure:
    """Each gradient map as a heatmap, scaled to its own maximum (white 0, dark blue
    the largest influence), with the theoretical receptive field, when ``boxes``
    gives it, outlined in dashed orange. ``notes`` adds a line under a title;
    ``view`` zooms to a square of that many pixels around each map's centre."""
    arrays = _check_maps(maps)
    columns = columns or len(arrays)
    rows = -(-len(arrays) // columns)
    size = min(size, COLUMN_INCHES / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows + 0.5),
                             squeeze=False)
    for ax in axes.ravel()[len(arrays):]:
        ax.axis("off")
    for ax, (name, a) in zip(axes.ravel(), arrays.items(), strict=False):
        ax.imshow(a / a.max(), cmap=ERF_CMAP, vmin=0, vmax=1, interpolation="nearest")
        if boxes and name in boxes:
            (top, bottom), (left, right) = boxes[name]
            ax.add_patch(Rectangle((left - 0.5, top - 0.5), right - left + 1, bottom - top + 1,
                                   fill=False, edgecolor=edge("kernel"), lw=1.8, ls="--"))
        if view is not None:
            ax.set_xlim((a.shape[1] - 1) / 2 - view / 2, (a.shape[1] - 1) / 2 + view / 2)
            ax.set_ylim((a.shape[0] - 1) / 2 + view / 2, (a.shape[0] - 1) / 2 - view / 2)
        title = name if not notes or name not in notes else f"{name}\n{notes[name]}"
        ax.set_title(title, fontsize=10, fontweight="normal")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor(edge("padding"))
    fig.tight_layout()
    return fig


def plot_erf_profile(maps: dict[str, np.ndarray], spreads: dict[str, float],
                     field_sizes: dict[str, int]) -> Figure:
    """The middle row of each map, scaled to sum to 1, as points; beside it the
    Gaussian with the map's measured spread (dashed), and the theoretical field as a
    shaded band: how much of the field the influence really covers."""
    arrays = _check_maps(maps)
    panel = min(3.3, COLUMN_INCHES / len(arrays))
    fig, axes = plt.subplots(1, len(arrays), figsize=(panel * len(arrays), 2.9), squeeze=False,
                             sharey=False)
    for ax, (name, a) in zip(axes[0], arrays.items(), strict=True):
        middle = a.shape[0] // 2
        profile = a[middle] / a[middle].sum()
        x = np.arange(len(profile)) - a.shape[1] // 2
        sigma = spreads[name]
        gauss = np.exp(-x**2 / (2 * sigma**2))
        gauss /= gauss.sum()
        half = (field_sizes[name] - 1) / 2
        ax.axvspan(-half - 0.5, half + 0.5, color=edge("kernel"), alpha=0.12, lw=0)
        ax.plot(x, gauss, color=TEXT, ls="--", lw=1.2, label=f"Gaussian, σ = {sigma:.2f}")
        ax.plot(x, profile, "o", ms=3.5, color=edge("input"), label="gradient")
        ax.set_title(name, fontsize=10, fontweight="normal")
        ax.set_xlabel("pixels from the centre")
        ax.set_xlim(-half - 3, half + 3)
        ax.legend(fontsize=9, frameon=False, loc="upper left")
        ax.set_ylim(top=ax.get_ylim()[1] * 1.3)  # room for the legend
    axes[0, 0].set_ylabel("share of the influence")
    fig.tight_layout()
    return fig


def plot_erf_growth(depths: Sequence[int], spreads: Sequence[float], field_sizes: Sequence[int],
                    exponent: float, scale: float) -> Figure:
    """The measured spread of the effective field against depth, the fitted power law
    ``scale * depth ** exponent``, and the theoretical field's half width, on log-log
    axes where a power law is a straight line."""
    depths = np.asarray(depths, dtype=float)
    if not len(depths) == len(spreads) == len(field_sizes) or len(depths) < 2:
        raise ValueError("depths, spreads and field_sizes need the same length, at least 2")
    fig, ax = plt.subplots(figsize=(6.2, 3.9))
    half = (np.asarray(field_sizes, dtype=float) - 1) / 2
    ax.loglog(depths, half, "s-", color=edge("kernel"), ms=4,
              label="theoretical field, half width (r - 1)/2")
    ax.loglog(depths, spreads, "o", color=edge("input"), ms=5,
              label="effective field, spread σ (measured)")
    ax.loglog(depths, scale * depths**exponent, "--", color=TEXT, lw=1.2,
              label=f"fit: σ ∝ n^{exponent:.2f}")
    ax.set_xlabel("depth n (number of 3×3 layers)")
    ax.set_ylabel("pixels")
    ax.set_xticks([1, 2, 4, 8, 16])
    ax.set_xticklabels(["1", "2", "4", "8", "16"])
    ax.legend(frameon=False, fontsize=9)
    ax.grid(True, which="major", color="#dddddd", lw=0.6)
    fig.tight_layout()
    return fig


def plot_field_growth(series: dict[str, Sequence[int]], xlabel: str = "depth (layers)",
                      limit: int | None = None) -> Figure:
    """The theoretical field size after each layer for each named network, on a
    logarithmic scale; ``limit`` draws a dotted line at an image size."""
    if not series:
        raise ValueError("plot_field_growth needs at least one series")
    fig, ax = plt.subplots(figsize=(6.2, 3.6))
    colours = [edge("kernel"), edge("input"), edge("output"), TEXT]
    markers = ["o", "s", "^", "D"]
    for k, (name, sizes) in enumerate(series.items()):
        ax.semilogy(np.arange(1, len(sizes) + 1), sizes, marker=markers[k % 4], ms=4,
                    color=colours[k % 4], label=name)
    if limit:
        ax.axhline(limit, color=edge("padding"), ls=":", lw=1.2)
        ax.text(1, limit * 1.08, f"image size {limit}", color=edge("padding"), fontsize=9)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # layers are counted
    ax.set_xlabel(xlabel)
    ax.set_ylabel("field size r (pixels)")
    ax.legend(frameon=False, fontsize=9)
    ax.grid(True, which="major", color="#dddddd", lw=0.6)
    fig.tight_layout()
    return fig
