"""Schematic diagrams: how a layer is wired, and where it sits in training."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .style import COLUMN_INCHES, TEXT, edge, fill


def _column(n: int, height: float) -> np.ndarray:
    """``n`` evenly spaced heights, centred on the same middle for any ``n``."""
    return np.linspace(0, height, n) if n > 1 else np.array([height / 2])


def draw_connections(input_size: int = 5, kernel_size: int = 3) -> Figure:
    """A fully connected layer next to a convolution, both mapping a square input to
    the same output, with every weight drawn as a line.

    Pixels are listed row by row in a column, inputs on the left, outputs on the
    right. In the dense layer every pair is joined by its own weight; in the
    convolution each output is joined only to the pixels of its window, and lines
    of the same colour are the same shared weight.
    """
    out_size = input_size - kernel_size + 1
    n_in, n_out = input_size**2, out_size**2
    y_in, y_out = _column(n_in, n_in)[::-1], _column(n_out, n_in * 0.6)[::-1] + n_in * 0.2
    colours = plt.get_cmap("tab10" if kernel_size**2 <= 10 else "tab20")
    fig, axes = plt.subplots(1, 2, figsize=(8.2, 5.0))
    for ax, dense in zip(axes, (True, False), strict=True):
        count = 0
        for i in range(out_size):
            for j in range(out_size):
                o = i * out_size + j
                for a in range(input_size if dense else kernel_size):
                    for b in range(input_size if dense else kernel_size):
                        p = a * input_size + b if dense else (i + a) * input_size + (j + b)
                        colour = "#b5b5b5" if dense else colours(a * kernel_size + b)
                        ax.plot([0, 1], [y_in[p], y_out[o]], color=colour,
                                lw=0.5 if dense else 1.1, alpha=0.8)
                        count += 1
        ax.scatter(np.zeros(n_in), y_in, s=60, color=fill("input"), edgecolor=edge("input"),
                   zorder=3)
        ax.scatter(np.ones(n_out), y_out, s=60, color=fill("output"),
                   edgecolor=edge("output"), zorder=3)
        weights = count if dense else kernel_size**2
        kind = "fully connected" if dense else f"{kernel_size}x{kernel_size} convolution"
        ax.set_title(f"{kind}\n{count} connections, {weights} distinct weights")
        ax.text(0, -1.5, f"{n_in} inputs\n({input_size}x{input_size})", ha="center",
                va="top", color=edge("input"))
        ax.text(1, -1.5, f"{n_out} outputs\n({out_size}x{out_size})", ha="center", va="top",
                color=edge("output"))
        ax.set_xlim(-0.3, 1.3)
        ax.set_ylim(-5, n_in + 1)
        ax.axis("off")
    fig.tight_layout()
    return fig


def draw_pipeline() -> Figure:
    """The loop of supervised training, with the convolution layers in it."""
    boxes = [
        ("images\n+ labels", "input"),
        ("convolution layers\n(extract features)", "kernel"),
        ("prediction", "output"),
        ("loss: prediction\nvs. true label", "padding"),
    ]
    fig, ax = plt.subplots(figsize=(COLUMN_INCHES, 2.6))
    centres = []
    for k, (label, role) in enumerate(boxes):
        x = k * 2.6
        ax.add_patch(FancyBboxPatch((x, 0), 2.0, 1.0, boxstyle="round,pad=0.08",
                                    facecolor=fill(role), edgecolor=edge(role), lw=2))
        ax.text(x + 1.0, 0.5, label, ha="center", va="center", fontsize=11, color=TEXT)
        centres.append(x + 1.0)
        if k:
            ax.add_patch(FancyArrowPatch((x - 0.6 + 0.08, 0.5), (x - 0.08, 0.5),
                                         arrowstyle="-|>", mutation_scale=18, color=TEXT))
    ax.add_patch(FancyArrowPatch((centres[-1], -0.12), (centres[1], -0.12),
                                 connectionstyle="arc3,rad=-0.25", arrowstyle="-|>",
                                 mutation_scale=18, color=edge("kernel"), lw=2))
    ax.text((centres[1] + centres[-1]) / 2, -1.05,
            "backpropagation: the gradient of the loss adjusts the kernels; repeat",
            ha="center", va="center", color=edge("kernel"), fontsize=11)
    ax.set_xlim(-0.3, len(boxes) * 2.6 - 0.3)
    ax.set_ylim(-1.4, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig
