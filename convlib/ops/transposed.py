"""A transposed convolution as a direct convolution over a zero-stuffed input.

A transposed convolution with stride s, padding p and dilation d equals a plain
convolution (stride 1, dilation d) of the same kernel, flipped, over a stretched
input: s - 1 zeros between neighbouring pixels, and a border of d(k - 1) - p zeros
around them (cropped instead when that is negative), with ``output_padding`` more
zeros after the last row and column. Libraries never build this input, which is
mostly zeros; drawing it shows what a transposed convolution connects to what.
"""

import numpy as np
import torch

from ..sizes.shapes import transposed_output_size

Pair = int | tuple[int, int]


def _two(name: str, value: Pair) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not (isinstance(pair, tuple) and len(pair) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in pair)):
        raise TypeError(f"{name} must be an int or a pair of ints; got {value!r}")
    return pair


def _resize(a: np.ndarray | torch.Tensor, axis: int, before: int, after: int,
            fill: float | bool) -> np.ndarray | torch.Tensor:
    """Add ``before``/``after`` cells of ``fill`` along ``axis``; a negative count crops."""
    n = a.shape[axis]
    index = [slice(None)] * a.ndim
    index[axis] = slice(max(-before, 0), n - max(-after, 0))
    a = a[tuple(index)]
    parts = []
    for count in (max(before, 0), max(after, 0)):
        shape = list(a.shape)
        shape[axis] = count
        if isinstance(a, torch.Tensor):
            parts.append(torch.full(shape, fill, dtype=a.dtype, device=a.device))
        else:
            parts.append(np.full(shape, fill, dtype=a.dtype))
    if isinstance(a, torch.Tensor):
        return torch.cat([parts[0], a, parts[1]], dim=axis)
    return np.concatenate([parts[0], a, parts[1]], axis=axis)


def zero_stuff(
    x: np.ndarray | torch.Tensor,
    kernel_size: Pair,
    stride: Pair = 1,
    padding: Pair = 0,
    output_padding: Pair = 0,
    dilation: Pair = 1,
) -> tuple[np.ndarray | torch.Tensor, np.ndarray]:
    """The input of the direct convolution that computes a transposed one, and a mask.

    ``x`` is a NumPy array or a torch tensor whose last two axes are the image; the
    other arguments are those of ``torch.nn.ConvTranspose2d``, an int or a
    (height, width) pair each. Returns the stretched input, of the same kind as
    ``x``, and a boolean array over its last two axes that is True on every
    inserted (made-up) cell. Sliding the flipped kernel over it with stride 1 and
    dilation ``dilation`` gives ``torch.nn.functional.conv_transpose2d``.
    """
    if not isinstance(x, (np.ndarray, torch.Tensor)) or x.ndim < 2:
        described = (f"shape {tuple(x.shape)}" if isinstance(x, (np.ndarray, torch.Tensor))
                     else type(x).__name__)
        raise ValueError(
            f"zero_stuff expects a NumPy array or torch tensor with at least 2 dimensions "
            f"(the image's height and width last); got {described}"
        )
    params = [_two(name, value) for name, value in (
        ("kernel_size", kernel_size), ("stride", stride), ("padding", padding),
        ("output_padding", output_padding), ("dilation", dilation))]
    stuffed = x
    fake = np.zeros(x.shape[-2:], dtype=bool)
    for axis in (0, 1):
        k, s, p, a, d = (pair[axis] for pair in params)
        transposed_output_size(x.shape[x.ndim - 2 + axis], k, s, p, a, d)  # checks all
        data_axis = x.ndim - 2 + axis
        n = stuffed.shape[data_axis]
        shape = list(stuffed.shape)
        shape[data_axis] = (n - 1) * s + 1
        spread = (stuffed.new_zeros(shape) if isinstance(stuffed, torch.Tensor)
                  else np.zeros(shape, dtype=stuffed.dtype))
        index = [slice(None)] * stuffed.ndim
        index[data_axis] = slice(None, None, s)
        spread[tuple(index)] = stuffed
        mask_shape = list(fake.shape)
        mask_shape[axis] = (n - 1) * s + 1
        spread_mask = np.ones(mask_shape, dtype=bool)
        mask_index = [slice(None), slice(None)]
        mask_index[axis] = slice(None, None, s)
        spread_mask[tuple(mask_index)] = fake
        border = d * (k - 1) - p
        stuffed = _resize(spread, data_axis, border, border + a, 0)
        fake = _resize(spread_mask, axis, border, border + a, True)
    return stuffed, fake
