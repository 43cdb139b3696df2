"""Locality drawn: images beside their pixel-shuffled versions, and test accuracies as bars."""

from collections.abc import Iterable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from ..learn.locality import neighbour_correlation, permute_pixels
from .style import COLUMN_INCHES, IMAGE_CMAP, edge, fill


def show_permuted(images: Sequence[np.ndarray] | np.ndarray, permutation: torch.Tensor,
                  shown: int = 5, distances: Iterable[int] = range(1, 11),
                  size: float = 1.5) -> Figure:
    """A few ``images`` above their pixel-shuffled versions, and beside them the
    correlation between pixels ``distance`` columns apart, before and after the shuffle
    (computed over all of ``images``)."""
    stack = np.asarray(images, dtype=np.float32)
    if stack.ndim == 2:
        stack = stack[None]
    if stack.ndim == 4 and stack.shape[1] == 1:
        stack = stack[:, 0]
    if stack.ndim != 3:
        raise ValueError(f"show_permuted expects images of shape (N, H, W) or (N, 1, H, W); "
                         f"got {np.asarray(images).shape}")
    shuffled = permute_pixels(stack, permutation)
    distances = list(distances)
    shown = min(shown, len(stack))
    aspect = stack.shape[1] / stack.shape[2]
    size = min(size, (COLUMN_INCHES - 3.4) / shown)  # the digits and the plot fit the column
    fig = plt.figure(figsize=(size * shown + 3.4, 2 * size * aspect + 0.9))
    grid = fig.add_gridspec(2, shown + 1, width_ratios=[1] * shown + [2.6 / size * 1.1],
                            wspace=0.08)
    for row, (batch, label) in enumerate(((stack, "as recorded"), (shuffled, "shuffled"))):
        for k in range(shown):
            ax = fig.add_subplot(grid[row, k])
            ax.imshow(batch[k], cmap=IMAGE_CMAP, vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if k == 0:
                ax.set_ylabel(label, fontsize=11)
    ax = fig.add_subplot(grid[:, shown])
    for batch, label, colour, style in ((stack, "as recorded", edge("input"), "-"),
                                        (shuffled, "shuffled", "#9a9a9a", "--")):
        corr = [neighbour_correlation(batch, d) for d in distances]
        ax.plot(distances, corr, style, marker="o", ms=4, color=colour, label=label)
    ax.axhline(0, color="#cccccc", lw=0.8)
    ax.set_xlabel("distance between pixels (columns)")
    ax.set_ylabel("correlation")
    ax.set_ylim(-0.1, 1.0)
    ax.legend(frameon=False, fontsize=10)
    ax.yaxis.set_label_position("right")
    ax.yaxis.tick_right()
    fig.subplots_adjust(left=0.06, right=0.92, top=0.95, bottom=0.15)
    return fig


def show_accuracies(accuracies: dict[str, dict[str, float]]) -> Figure:
    """Test accuracy of each model (groups of bars) on each version of the data (bars),
    as percentages written on the bars."""
    if not accuracies or not all(isinstance(v, dict) and v for v in accuracies.values()):
        raise ValueError("accuracies must map each model's name to {data name: accuracy}")
    models = list(accuracies)
    versions = list(next(iter(accuracies.values())))
    styles = [dict(color=edge("input")), dict(color=fill("input"), edgecolor=edge("input"),
                                               hatch="//")]
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    bar = 0.8 / len(versions)
    for v, version in enumerate(versions):
        xs = np.arange(len(models)) + (v - (len(versions) - 1) / 2) * bar
        values = [100 * accuracies[m][version] for m in models]
        bars = ax.bar(xs, values, bar * 0.95, label=version, **styles[v % len(styles)])
        ax.bar_label(bars, labels=[f"{x:.1f}%" for x in values], fontsize=10, padding=2)
    ax.set_xticks(np.arange(len(models)), models)
    ax.set_ylabel("test accuracy (%)")
    low = min(100 * a for d in accuracies.values() for a in d.values())
    ax.set_ylim(max(0, low - 15), 101)
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(versions),
              fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig
