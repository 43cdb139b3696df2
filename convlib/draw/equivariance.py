"""Translation equivariance drawn: shift then convolve against convolve then shift."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..learn.equivariance import border_margin, equivariance_gap, feature_map, translate
from .style import COLUMN_INCHES, IMAGE_CMAP, SIGNED_CMAP, edge


def show_equivariance(image: np.ndarray, kernel: np.ndarray, dy: int, dx: int,
                      width: float = 2.6) -> Figure:
    """The two orders side by side: convolve then shift (top row), shift then convolve
    (bottom row), and the pixels where the two results differ (bottom right, black),
    with the interior, more than ``border_margin`` from the edge, outlined."""
    image = np.asarray(image, np.float32)
    kernel = np.asarray(kernel, np.float32)
    if kernel.ndim != 2:
        raise ValueError(f"show_equivariance takes a 2-D kernel; got shape {kernel.shape}")
    shifted_then_conv, conv_then_shifted = equivariance_gap(image, kernel, dy, dx)
    conv = feature_map(image, kernel)
    gap = np.abs(shifted_then_conv - conv_then_shifted)
    limit = float(np.abs(conv).max()) or 1.0
    margin = border_margin(max(kernel.shape), dy, dx)
    width = min(width, (COLUMN_INCHES - 0.6) / 3)
    height = width * image.shape[0] / image.shape[1]
    fig, axes = plt.subplots(2, 3, figsize=(3 * width + 0.6, 2 * height + 0.9))
    panels = [
        (axes[0, 0], image, "image", False),
        (axes[0, 1], conv, "feature map", True),
        (axes[0, 2], conv_then_shifted, f"feature map, shifted ({dy}, {dx})", True),
        (axes[1, 0], translate(image, dy, dx), f"image, shifted ({dy}, {dx})", False),
        (axes[1, 1], shifted_then_conv, "feature map of the\nshifted image", True),
    ]
    for ax, values, title, signed in panels:
        if signed:
            ax.imshow(values, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        else:
            ax.imshow(values, cmap=IMAGE_CMAP, vmin=0, vmax=1)
        ax.set_title(title, fontsize=10)
    ax = axes[1, 2]
    ax.imshow(gap > 1e-4, cmap="Greys", vmin=0, vmax=1, interpolation="nearest")
    rows, cols = gap.shape
    ax.add_patch(Rectangle((margin - 0.5, margin - 0.5), cols - 2 * margin, rows - 2 * margin,
                           fill=False, edgecolor=edge("output"), lw=1.5, ls="--"))
    inside = gap[margin:rows - margin, margin:cols - margin].max()
    ax.set_title(f"where the two differ (black)\nlargest inside the box: {inside:.4f}",
                 fontsize=10)
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig
