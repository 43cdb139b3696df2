"""Adversarial examples drawn: digits before and after an attack, the change an attack
makes, one digit at growing sizes of change, accuracy against the size of the change,
targeted attacks class by class, and attacks carried from one model to others.

Every function draws what ``convlib.learn`` returns. Attacks keep one colour across
the figures: random sign noise grey, FGSM orange, PGD blue; what the classifier gets
wrong is written in red.
"""

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from ..learn.adversarial import EpsSweep, Gallery, Prediction, TargetedSuccess
from ..learn.robustness import RobustAccuracy
from .style import COLUMN_INCHES, IMAGE_CMAP, SIGNED_CMAP, TEXT, edge, fill

WRONG = "#b2182b"  # the red end of SIGNED_CMAP: a prediction that is wrong
SUCCESS_CMAP = LinearSegmentedColormap.from_list("success", ["#ffffff", edge("input")])


def attack_colour(name: str) -> str:
    """The colour of an attack in every figure, by its name: PGD blue, FGSM orange,
    random noise grey, anything else (the clean images) the input's light fill."""
    lowered = name.lower()
    if "pgd" in lowered:
        return edge("input")
    if "fgsm" in lowered:
        return edge("kernel")
    if "noise" in lowered:
        return edge("padding")
    return fill("input")


def _style(name: str) -> dict:
    """Line style of an attack: PGD solid, FGSM dashed, noise dotted."""
    lowered = name.lower()
    line = "-" if "pgd" in lowered else "--" if "fgsm" in lowered else ":"
    marker = "o" if "pgd" in lowered else "s" if "fgsm" in lowered else "^"
    return {"color": attack_colour(name), "ls": line, "marker": marker, "ms": 5, "lw": 1.8}


def _bare(ax: plt.Axes) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


def _label(prediction: Prediction, k: int) -> str:
    return f"{int(prediction.label[k])}  ({100 * float(prediction.confidence[k]):.0f}%)"


def _pixels(t: torch.Tensor) -> np.ndarray:
    a = t.detach().cpu().numpy()
    return a[0] if a.ndim == 3 else a


def show_gallery(gallery: Gallery, shown: int = 8, size: float = 0.86) -> Figure:
    """The first ``shown`` images of ``gallery`` in three rows: the digits with the
    classifier's prediction and confidence; the change the attack made, red where it
    brightened a pixel and blue where it darkened one, on a scale from -eps to +eps (so
    the change is shown amplified); and the attacked digits with the new prediction,
    in red when it is wrong."""
    if not isinstance(gallery, Gallery):
        raise TypeError(f"show_gallery takes what attack_gallery returns; got "
                        f"{type(gallery).__name__}")
    if not isinstance(shown, int) or isinstance(shown, bool) or not 1 <= shown <= 9:
        raise ValueError(f"show_gallery draws 1 to 9 images; got shown={shown!r}")
    n = min(shown, len(gallery.images))
    width = min(COLUMN_INCHES, size * n + 1.9)
    fig = plt.figure(figsize=(width, 3 * size + 1.1))
    grid = fig.add_gridspec(3, n + 1, width_ratios=[1] * n + [0.12], wspace=0.08,
                            hspace=0.32, left=1.15 / width, right=1 - 0.55 / width,
                            top=0.9, bottom=0.04)
    limit = gallery.eps or 1.0
    rows = ("digit", "change", "attacked")
    for k in range(n):
        axes = [fig.add_subplot(grid[r, k]) for r in range(3)]
        axes[0].imshow(_pixels(gallery.images[k]), cmap=IMAGE_CMAP, vmin=0, vmax=1)
        change = axes[1].imshow(_pixels(gallery.perturbation[k]), cmap=SIGNED_CMAP,
                                vmin=-limit, vmax=limit)
        axes[2].imshow(_pixels(gallery.adversarial[k]), cmap=IMAGE_CMAP, vmin=0, vmax=1)
        for r, (ax, prediction) in enumerate(((axes[0], gallery.before),
                                              (axes[2], gallery.after))):
            wrong = int(prediction.label[k]) != int(gallery.labels[k])
            ax.set_title(_label(prediction, k), fontsize=9.5, pad=3,
                         color=WRONG if wrong else TEXT,
                         fontweight="bold" if wrong and r else "normal")
        for r, ax in enumerate(axes):
            _bare(ax)
            if k == 0:
                ax.set_ylabel(rows[r], fontsize=10, rotation=0, ha="right", va="center",
                              labelpad=8)
    bar = fig.colorbar(change, cax=fig.add_subplot(grid[1, n]))
    bar.set_ticks([-limit, 0, limit], labels=[f"−{limit:g}", "0", f"+{limit:g}"])
    bar.ax.tick_params(labelsize=9)
    fig.suptitle(f"ε = {gallery.eps:g}; above each digit: predicted class (confidence)",
                 fontsize=10, y=0.995)
    return fig


def show_eps_sweep(sweep: EpsSweep, size: float = 0.95) -> Figure:
    """The same digit attacked at each size (columns) by each attack (rows), with the
    classifier's prediction and confidence under each image, in red when wrong."""
    if not isinstance(sweep, EpsSweep):
        raise TypeError(f"show_eps_sweep takes what eps_sweep returns; got "
                        f"{type(sweep).__name__}")
    rows, cols = sweep.images.shape[:2]
    if cols > 8:
        raise ValueError(f"show_eps_sweep draws at most 8 sizes; got {cols}")
    width = min(COLUMN_INCHES, size * cols + 0.9)
    fig, axes = plt.subplots(rows, cols, squeeze=False,
                             figsize=(width, (size + 0.42) * rows + 0.3))
    for r in range(rows):
        prediction = sweep.predictions[r]
        for c in range(cols):
            ax = axes[r, c]
            ax.imshow(_pixels(sweep.images[r, c]), cmap=IMAGE_CMAP, vmin=0, vmax=1)
            _bare(ax)
            wrong = int(prediction.label[c]) != sweep.label
            ax.set_xlabel(_label(prediction, c), fontsize=9.5, labelpad=2,
                          color=WRONG if wrong else TEXT,
                          fontweight="bold" if wrong else "normal")
            if r == 0:
                ax.set_title(f"ε = {sweep.eps[c]:g}", fontsize=10, fontweight="normal")
        axes[r, 0].set_ylabel(sweep.attacks[r], fontsize=10, rotation=0, ha="right",
                              va="center", labelpad=6, color=attack_colour(sweep.attacks[r]))
    fig.subplots_adjust(left=0.75 / width, right=0.995, top=1 - 0.3 / fig.get_figheight(),
                        bottom=0.06, wspace=0.08, hspace=0.32)
    return fig


def plot_robust_accuracy(curves: Mapping[str, Mapping[str, RobustAccuracy]],
                         clean: Mapping[str, float] | None = None) -> Figure:
    """Accuracy against the size of the change, one panel per model (the keys of
    ``curves``), one line per attack (``RobustAccuracy`` by attack name), starting at
    eps = 0 from the model's accuracy on the same images when ``clean`` gives it."""
    if not curves or not all(isinstance(c, Mapping) and c for c in curves.values()):
        raise ValueError("curves must map each model's name to {attack name: RobustAccuracy}")
    for lines in curves.values():
        for name, result in lines.items():
            if not isinstance(result, RobustAccuracy):
                raise TypeError(f"curve {name!r} must be what robust_accuracy returns; got "
                                f"{type(result).__name__}")
    panels = len(curves)
    fig, axes = plt.subplots(1, panels, squeeze=False, sharey=True,
                             figsize=(min(COLUMN_INCHES, 0.6 + 3.5 * panels), 3.3))
    for ax, (model, lines) in zip(axes[0], curves.items(), strict=True):
        for name, result in lines.items():
            eps, accuracy = list(result.eps), [100 * a for a in result.accuracy]
            if clean is not None and model in clean and 0.0 not in eps:
                eps, accuracy = [0.0, *eps], [100 * clean[model], *accuracy]
            ax.plot(eps, accuracy, label=name, **_style(name))
        ax.set_title(model, fontsize=11)
        ax.set_xlabel("ε (largest change of a pixel)", fontsize=10)
        ax.set_ylim(-3, 103)
        ax.grid(alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0, 0].set_ylabel("accuracy (%)", fontsize=10)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), frameon=False,
               fontsize=10, bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    return fig


def show_targeted(success: TargetedSuccess, size: float = 0.42) -> Figure:
    """The success rate of the targeted attack for each true class (rows) and target
    class (columns), in percent, darker for more; the row and column means beside and
    under the table; the diagonal, where there is nothing to attack, blank."""
    if not isinstance(success, TargetedSuccess):
        raise TypeError(f"show_targeted takes what targeted_success returns; got "
                        f"{type(success).__name__}")
    rate = 100 * success.rate.numpy()
    classes = len(rate)
    side = size * classes
    fig = plt.figure(figsize=(side + 1.9, side + 1.5))
    grid = fig.add_gridspec(2, 2, width_ratios=[classes, 1.3], height_ratios=[classes, 1.3],
                            wspace=0.06, hspace=0.08, left=0.9 / (side + 1.9),
                            right=0.98, top=1 - 0.35 / (side + 1.5), bottom=0.6 / (side + 1.5))
    ax = fig.add_subplot(grid[0, 0])
    rows = fig.add_subplot(grid[0, 1])
    columns = fig.add_subplot(grid[1, 0])
    means = {"rows": np.nanmean(rate, axis=1)[:, None], "columns": np.nanmean(rate, axis=0)[None]}
    for target, values in ((ax, rate), (rows, means["rows"]), (columns, means["columns"])):
        shown = np.ma.masked_invalid(values)
        target.imshow(shown, cmap=SUCCESS_CMAP.with_extremes(bad=fill("padding")), vmin=0,
                      vmax=100, aspect="equal")
        for (i, j), v in np.ndenumerate(values):
            text = "" if np.isnan(v) else f"{v:.0f}"
            target.text(j, i, text, ha="center", va="center", fontsize=9,
                        color="white" if v > 55 else TEXT)
        _bare(target)
    ax.set_yticks(range(classes))
    ax.set_ylabel("true class", fontsize=10)
    columns.set_xticks(range(classes))
    columns.set_xlabel("target class", fontsize=10)
    columns.set_yticks([0], ["mean"], fontsize=9)
    rows.set_xticks([0], ["mean"], fontsize=9)
    rows.xaxis.tick_top()
    ax.tick_params(labelsize=10)
    columns.tick_params(labelsize=10)
    return fig


def show_transfer(accuracies: Mapping[str, Mapping[str, float]]) -> Figure:
    """The accuracy of each model (groups of bars) on each version of the test images
    (bars: clean, noise, and attacks made on another model), in percent, coloured by
    attack as in the other figures."""
    if not accuracies or not all(isinstance(v, Mapping) and v for v in accuracies.values()):
        raise ValueError("accuracies must map each model's name to {images: accuracy}")
    models = list(accuracies)
    versions = list(next(iter(accuracies.values())))
    if any(list(v) != versions for v in accuracies.values()):
        raise ValueError("every model needs an accuracy for the same versions of the images")
    fig, ax = plt.subplots(figsize=(min(COLUMN_INCHES, 1.4 + 1.9 * len(models)), 3.4))
    bar = 0.82 / len(versions)
    for v, version in enumerate(versions):
        xs = np.arange(len(models)) + (v - (len(versions) - 1) / 2) * bar
        values = [100 * accuracies[m][version] for m in models]
        bars = ax.bar(xs, values, bar * 0.92, label=version, color=attack_colour(version),
                      edgecolor=edge("input"), linewidth=0.8)
        ax.bar_label(bars, labels=[f"{x:.0f}" for x in values], fontsize=9, padding=1.5)
    ax.set_xticks(np.arange(len(models)), models, fontsize=10)
    ax.set_ylabel("accuracy (%)", fontsize=10)
    ax.set_ylim(0, 112)
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(versions),
              fontsize=9.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig
