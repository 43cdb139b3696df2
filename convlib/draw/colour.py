"""A colour photograph taken apart into its channels.

A colour image is three greyscale images of the same size, one each for red,
green and blue; a pixel's colour is its three numbers read together. Convolution
layers see exactly this: a stack of channels, each a grid of numbers.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .style import COLUMN_INCHES

NAMES = ("red", "green", "blue")
TINTS = ("#c0392b", "#27ae60", "#2f6db3")


def show_channels(image: np.ndarray, width: float = 2.6) -> Figure:
    """A colour ``image`` (H, W, 3), values 0..1, beside each of its channels shown
    on its own as a greyscale picture (bright where that colour is strong)."""
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(
            f"show_channels expects a colour image of shape (height, width, 3), channels last; "
            f"got shape {image.shape}"
        )
    width = min(width, COLUMN_INCHES / 4)  # four panels side by side in the text column
    height = width * image.shape[0] / image.shape[1]
    fig, axes = plt.subplots(1, 4, figsize=(4 * width, height + 0.5))
    axes[0].imshow(np.clip(image, 0, 1))
    axes[0].set_title("colour photograph")
    for c, (ax, name, tint) in enumerate(zip(axes[1:], NAMES, TINTS, strict=True)):
        ax.imshow(image[:, :, c], cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"channel {c}: {name}", color=tint)
    for ax in axes:
        ax.axis("off")
    fig.tight_layout()
    return fig
