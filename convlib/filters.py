"""Hand-set kernels, and what they do to a picture.

Before networks learned their kernels, image processing chose them by hand. A few
of them show what a single convolution can extract.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from .conv import conv2d
from .device import device
from .grids import draw_grid
from .style import IMAGE_CMAP, SIGNED_CMAP

KERNELS: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.float32),
    "blur": np.full((3, 3), 1 / 9, dtype=np.float32),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float32),
    # Edge detectors: the weights add up to zero, so flat regions give zero. "_x" kernels
    # respond to a change from left to right (vertical edges), "_y" kernels to a change
    # from top to bottom; positive where the image gets brighter along that direction.
    # Prewitt weighs the three rows (or columns) alike, Sobel doubles the middle one.
    "prewitt_x": np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=np.float32),
    "prewitt_y": np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]], dtype=np.float32),
    "sobel_x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float32),
    "sobel_y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=np.float32),
}


def kernel(name: str) -> np.ndarray:
    """A copy of the named hand-set kernel."""
    if name not in KERNELS:
        raise ValueError(f"no kernel named {name!r}; the kernels are {sorted(KERNELS)}")
    return KERNELS[name].copy()


def apply_kernel(image: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Slide ``k`` over a greyscale ``image`` on the book's device; same size out.

    The border is padded by replicating the edge pixels, so it does not darken.
    """
    image, k = np.asarray(image, np.float32), np.asarray(k, np.float32)
    if image.ndim != 2 or k.ndim != 2:
        raise ValueError(
            f"apply_kernel expects a 2-D greyscale image and a 2-D kernel; got shapes "
            f"{image.shape} and {k.shape}"
        )
    x = torch.from_numpy(image)[None, None].to(device())
    w = torch.from_numpy(k)[None, None].to(device())
    return conv2d(x, w, padding="same", padding_mode="replicate")[0, 0].cpu().numpy()


def show_filtered(image: np.ndarray, kernels: dict[str, np.ndarray], signed: bool = False,
                  width: float = 3.0) -> Figure:
    """Each kernel drawn as a grid above the image it produces from ``image``.

    Brightness results are shown on the image's own 0..1 scale (values outside it
    are clipped); ``signed`` results on a red-white-blue scale centred at zero.
    """
    names = list(kernels)
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
