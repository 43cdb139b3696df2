"""Translation equivariance: shift the input, and the feature map shifts with it.

The same kernel is applied at every position, so a pattern moved by a few pixels
gives the same response, moved by the same few pixels. Only the border differs,
where pixels leave the image on one side and padding comes in on the other.
"""

import numpy as np
import torch

from ..ops.conv import conv2d
from ..runtime import device


def _shift(name: str, value: object) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int (a number of pixels); got {value!r}")
    return int(value)


def translate(image: np.ndarray | torch.Tensor, dy: int, dx: int) -> np.ndarray | torch.Tensor:
    """``image`` moved ``dy`` pixels down and ``dx`` pixels right (negative: up, left).

    Works on the last two axes of a NumPy array or a tensor. Pixels pushed over the
    edge are lost and the uncovered strip is filled with zeros, as a camera that pans
    would see nothing it had not recorded.
    """
    dy, dx = _shift("dy", dy), _shift("dx", dx)
    if not isinstance(image, (np.ndarray, torch.Tensor)) or image.ndim < 2:
        raise ValueError(
            "translate expects a NumPy array or a tensor with at least 2 axes (height, width); "
            f"got {type(image).__name__}{getattr(image, 'shape', '')}"
        )
    height, width = image.shape[-2:]
    if abs(dy) >= height or abs(dx) >= width:
        raise ValueError(f"a shift of ({dy}, {dx}) moves the whole {height}x{width} image out")
    out = np.zeros_like(image) if isinstance(image, np.ndarray) else torch.zeros_like(image)
    src_rows = slice(max(0, -dy), height - max(0, dy))
    dst_rows = slice(max(0, dy), height - max(0, -dy))
    src_cols = slice(max(0, -dx), width - max(0, dx))
    dst_cols = slice(max(0, dx), width - max(0, -dx))
    out[..., dst_rows, dst_cols] = image[..., src_rows, src_cols]
    return out


def border_margin(kernel_size: int, dy: int, dx: int) -> int:
    """How far from the border the two orders of shift and convolution may differ:
    the shift plus the half-width of the kernel, which reaches into the padding."""
    return max(abs(_shift("dy", dy)), abs(_shift("dx", dx))) + kernel_size // 2


def feature_map(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``image`` convolved with ``kernel`` on the book's device, zero "same" padding."""
    x = torch.from_numpy(image)[None, None].to(device())
    w = torch.from_numpy(kernel)[None, None].to(device())
    return conv2d(x, w, padding="same")[0, 0].cpu().numpy()


def equivariance_gap(image: np.ndarray, kernel: np.ndarray, dy: int,
                     dx: int) -> tuple[np.ndarray, np.ndarray]:
    """Feature map of the shifted image, and the shifted feature map of the image.

    Both with zero padding that keeps the size (``padding="same"``). They agree away
    from the border; ``border_margin`` says how far away.
    """
    image = np.asarray(image, np.float32)
    kernel = np.asarray(kernel, np.float32)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"equivariance_gap takes a 2-D greyscale image and a 2-D kernel; got "
                         f"shapes {image.shape} and {kernel.shape}")
    return (feature_map(translate(image, dy, dx), kernel),
            translate(feature_map(image, kernel), dy, dx))
