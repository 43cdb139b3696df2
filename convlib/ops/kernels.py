"""Hand-set kernels, and what they do to a picture.

Before networks learned their kernels, image processing chose them by hand. A few
of them show what a single convolution can extract.
"""

import numpy as np
import torch

from ..runtime import device
from .conv import conv2d

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


def strided(image: np.ndarray, kernel: np.ndarray, stride: int) -> np.ndarray:
    """Slide ``kernel`` over a greyscale ``image`` with ``stride``, no padding, on the
    book's device."""
    image, kernel = np.asarray(image, np.float32), np.asarray(kernel, np.float32)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"strided expects a 2-D image and a 2-D kernel; got shapes "
                         f"{image.shape} and {kernel.shape}")
    x = torch.from_numpy(image)[None, None].to(device())
    w = torch.from_numpy(kernel)[None, None].to(device())
    return conv2d(x, w, stride=stride)[0, 0].cpu().numpy()
