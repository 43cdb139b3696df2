"""A convolution written out as a matrix: the linear map it is, sparse and with tied weights.

For a fixed input size a convolution is a linear function of its input, so there is a
matrix ``M`` with ``conv2d(x, w).flatten() == M @ x.flatten()``. Each row of ``M`` is
the kernel laid out at one position of the slide: most entries are fixed at zero, and
the others repeat the same few kernel weights. Drawing ``M`` with one colour per
kernel weight makes both facts visible.
"""

from collections.abc import Sequence

import numpy as np
import torch

from ..sizes.shapes import output_size

Pair = int | tuple[int, int]


def pair(name: str, value: object, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints, each at least ``minimum``, as a (rows, columns) pair."""
    pair = (value, value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not (
        isinstance(pair, tuple) and len(pair) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in pair)
    ):
        raise TypeError(f"{name} must be an int or a (rows, columns) pair of ints; got {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} must be at least {minimum} along each axis; got {value!r}")
    return pair


def _kernel_shape(shape: Sequence[int]) -> tuple[int, int, int, int]:
    """A kernel's shape as (out_channels, in_channels, height, width)."""
    shape = tuple(shape)
    if len(shape) not in (2, 3, 4):
        raise ValueError(
            "the kernel must be 2-D (height, width), 3-D (in_channels, height, width) or 4-D "
            f"(out_channels, in_channels, height, width); got shape {shape}"
        )
    if min(shape) < 1:
        raise ValueError(f"the kernel must not have an empty axis; got shape {shape}")
    return (1,) * (4 - len(shape)) + shape


def as_input_shape(input_shape: object) -> tuple[int, int, int]:
    """The input's shape as (channels, height, width)."""
    if not (
        isinstance(input_shape, (tuple, list)) and len(input_shape) in (2, 3)
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                for v in input_shape)
    ):
        raise TypeError(
            "input_shape must be a tuple (height, width) or (channels, height, width) of ints; "
            f"got {input_shape!r}"
        )
    if min(input_shape) < 1:
        raise ValueError(f"input_shape must be positive along every axis; got {input_shape!r}")
    return (1,) * (3 - len(input_shape)) + tuple(int(v) for v in input_shape)


def conv_matrix_index(
    kernel_shape: Sequence[int],
    input_shape: tuple[int, ...],
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
) -> torch.Tensor:
    """Which kernel weight each entry of the convolution's matrix holds.

    An int64 tensor of the matrix's shape, (output values, input values): the index of
    the weight in the flattened kernel, or -1 where the entry is fixed at zero. Shapes
    and arguments are as for ``conv_matrix``.
    """
    c_out, c_in, kh, kw = _kernel_shape(kernel_shape)
    channels, height, width = as_input_shape(input_shape)
    if channels != c_in:
        raise ValueError(
            f"the kernel has {c_in} input channel(s) but input_shape {tuple(input_shape)} has "
            f"{channels}: a filter needs one kernel per input channel"
        )
    (sh, sw), (ph, pw), (dh, dw) = (pair("stride", stride, 1), pair("padding", padding, 0),
                                    pair("dilation", dilation, 1))
    ho = output_size(height, kh, sh, ph, dh)
    wo = output_size(width, kw, sw, pw, dw)
    o, i, j, c, a, b = torch.meshgrid(
        *(torch.arange(n) for n in (c_out, ho, wo, c_in, kh, kw)), indexing="ij")
    r, s = i * sh - ph + a * dh, j * sw - pw + b * dw  # the input pixel under weight (a, b)
    inside = (r >= 0) & (r < height) & (s >= 0) & (s < width)  # else it multiplies padding
    row = (o * ho + i) * wo + j
    col = (c * height + r) * width + s
    weight = ((o * c_in + c) * kh + a) * kw + b
    index = torch.full((c_out * ho * wo, c_in * height * width), -1, dtype=torch.int64)
    index[row[inside], col[inside]] = weight[inside]
    return index


def conv_matrix(
    kernel: np.ndarray | torch.Tensor,
    input_shape: tuple[int, ...],
    stride: Pair = 1,
    padding: Pair = 0,
    dilation: Pair = 1,
) -> torch.Tensor:
    """The matrix ``M`` of the convolution with ``kernel`` as a linear map of its input.

    ``M @ x.flatten()`` equals ``conv2d(x, kernel, stride=stride, padding=padding,
    dilation=dilation).flatten()`` for an input ``x`` of shape ``input_shape``, with zero
    padding. The kernel is 2-D (height, width) for one channel, 3-D (in_channels, height,
    width) for one filter, or 4-D (out_channels, in_channels, height, width) for a layer;
    ``input_shape`` is (height, width) or (channels, height, width). The matrix has one
    row per output value and one column per input value, in the order of ``flatten``;
    it is built on the kernel's device and with its dtype, and gradients flow back to
    the kernel.
    """
    if isinstance(kernel, np.ndarray):
        kernel = torch.from_numpy(np.require(kernel, requirements=["C", "W"]))
    if not isinstance(kernel, torch.Tensor):
        raise TypeError(f"kernel must be a NumPy array or a torch.Tensor; got "
                        f"{type(kernel).__name__}")
    if not kernel.is_floating_point():
        raise TypeError(f"kernel must hold floating-point numbers; got dtype {kernel.dtype}")
    index = conv_matrix_index(tuple(kernel.shape), input_shape, stride, padding, dilation)
    index = index.to(kernel.device)
    tied = index >= 0
    matrix = torch.zeros(index.shape, dtype=kernel.dtype, device=kernel.device)
    return matrix.index_put((tied.nonzero(as_tuple=True)), kernel.flatten()[index[tied]])
