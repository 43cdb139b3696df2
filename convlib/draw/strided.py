"""Stride as downsampling, on a photograph.

A convolution with stride s keeps one window position in s along each axis, so its
output is about s times smaller per axis. ``show_strided`` draws the outputs at
their true pixel sizes, side by side, so the shrinking is seen, not just stated.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..ops.kernels import strided
from .style import IMAGE_CMAP


def show_strided(image: np.ndarray, kernels: dict[str, np.ndarray],
                 strides: tuple[int, ...] = (1, 2, 4), scale: float = 0.022) -> Figure:
    """One row per named kernel, one output per stride, each drawn at its own pixel
    size (``scale`` inches per pixel) and titled with its shape."""
    if not kernels or not strides:
        raise ValueError("show_strided needs at least one kernel and one stride")
    outputs = {name: [strided(image, k, s) for s in strides] for name, k in kernels.items()}
    gap = 12  # pixels between outputs
    span = max(sum(o.shape[1] for o in row) + gap * (len(row) - 1) for row in outputs.values())
    tallest = max(o.shape[0] for row in outputs.values() for o in row)
    size = (scale * (span + 3 * gap) + 0.6, len(kernels) * (scale * tallest + 0.5))
    fig, axes = plt.subplots(len(kernels), 1, squeeze=False, figsize=size)
    for ax, (name, results) in zip(axes[:, 0], outputs.items(), strict=True):
        left = 0
        for s, out in zip(strides, results, strict=True):
            h, w = out.shape
            ax.imshow(out, cmap=IMAGE_CMAP, vmin=0, vmax=1, interpolation="nearest",
                      extent=(left, left + w, h, 0))
            ax.text(left + w / 2, -3, f"stride {s}: {h}×{w}", ha="center", va="bottom",
                    fontsize=10)
            left += w + gap
        ax.set_xlim(-gap, span + 2 * gap)
        ax.set_ylim(tallest, -gap * 1.5)
        ax.text(-gap / 2, tallest / 2, name, rotation=90, ha="right", va="center",
                fontsize=10)
        ax.axis("off")
    fig.tight_layout(pad=0.3)
    return fig
