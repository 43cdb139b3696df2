"""Hand-set kernels drawn above what they do to a photograph."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..ops.kernels import apply_kernel
from .grids import draw_grid
from .style import COLUMN_INCHES, IMAGE_CMAP, SIGNED_CMAP


def show_filtered(image: np.ndarray, kernels: dict[str, np.ndarray], signed: bool = False,
                  width: float = 3.0) -> Figure:
    """Each kernel drawn as a grid above the image it produces from ``image``.

    Brightness results are shown on the image's own 0..1 scale (values outside it
    are clipped); ``signed`` results on a red-white-blue scale centred at zero.
    """
    names = list(kernels)
    width = min(width, COLUMN_INCHES / len(names))  # side by side within the text column
    fig, axes = plt.subplots(2, len(names), figsize=(width * len(names), width * 1.75),
                             gridspec_kw={"height_ratios": [1, 2.2]}, squeeze=False)
    for col, name in enumerate(names):
        k = np.asarray(kernels[name], np.float32)
        draw_grid(axes[0, col], np.round(k, 2), "kernel", title=name, fontsize=10)
        out = apply_kernel(image, k)
        ax = axes[1, col]
        if signed:
            limit = float(np.abs(out).max()) or 1.0
            ax.imshow(out, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        else:
            ax.imshow(out, cmap=IMAGE_CMAP, vmin=0, vmax=1)
        ax.axis("off")
    fig.tight_layout()
    return fig
