"""The transposed convolution, computed two ways.

By its definition (``"scatter"``): every input value stamps a copy of the kernel,
scaled by that value, into the output; the stamps lie ``stride`` apart, the kernel's
weights ``dilation`` apart within each, and where stamps overlap they add up. Then
``padding`` cells are cropped from each side of the result and ``output_padding``
cells added after the end. It is the convolution's gradient with respect to its
input, which is why it maps the convolution's output size back to its input size.

As a direct convolution (``"conv"``): the same kernel, flipped, with its in and out
channels swapped, slid with stride 1 and dilation d over a stretched input: s - 1
zeros between neighbouring values, and a border of d(k - 1) - p zeros around them
(cropped instead when that is negative), with ``output_padding`` more zeros after the
end. Libraries never build this input, which is mostly zeros; ``zero_stuff`` builds it
for a picture, to show what a transposed convolution connects to what.
"""

import itertools
from collections.abc import Callable

import numpy as np
import torch

from ..sizes.shapes import transposed_output_size
from .arguments import Array, Size, prepare_transposed
from .im2col import conv_im2col, every

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


def stuff(a: np.ndarray | torch.Tensor, strides: tuple[int, ...],
          borders: tuple[tuple[int, int], ...]) -> np.ndarray | torch.Tensor:
    """Along each of the trailing ``len(strides)`` axes of ``a``: s - 1 zeros (False for a
    boolean array) between neighbouring cells, then (before, after) zeros around them; a
    negative count crops instead."""
    first = a.ndim - len(strides)
    for axis, s, (before, after) in zip(range(first, a.ndim), strides, borders, strict=True):
        shape = list(a.shape)
        shape[axis] = (a.shape[axis] - 1) * s + 1
        spread = (a.new_zeros(shape) if isinstance(a, torch.Tensor)
                  else np.zeros(shape, dtype=a.dtype))
        index = [slice(None)] * a.ndim
        index[axis] = slice(None, None, s)
        spread[tuple(index)] = a
        a = _resize(spread, axis, before, after, 0)
    return a


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
    borders = []
    for axis in (0, 1):
        k, s, p, a, d = (pair[axis] for pair in params)
        transposed_output_size(x.shape[x.ndim - 2 + axis], k, s, p, a, d)  # checks all
        borders.append((d * (k - 1) - p, d * (k - 1) - p + a))
    strides = params[1]
    real = stuff(np.ones(x.shape[-2:], dtype=bool), strides, tuple(borders))
    return stuff(x, strides, tuple(borders)), ~real


def conv_transpose_scatter(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, ...],
    padding: tuple[int, ...],
    output_padding: tuple[int, ...],
    groups: int,
    dilation: tuple[int, ...],
) -> torch.Tensor:
    """The transposed convolution of a batch ``x`` (N, C, *size) by its definition: one
    stamp of the kernel per input value, overlaps summed, then the border cropped.

    The stamps are laid down one kernel weight at a time: the weight at ``position``,
    times every input value, lands ``stride`` apart from ``position * dilation`` on.
    """
    batch, in_channels, *size = x.shape
    _, per_group, *kernel = weight.shape
    # the extent of the stamps, and room for output_padding past the last one
    extent = [(n - 1) * s + d * (k - 1) + 1 + a
              for n, k, s, d, a in zip(size, kernel, stride, dilation, output_padding, strict=True)]
    out = x.new_zeros(batch, groups, per_group, *extent)
    xg = x.reshape(batch, groups, in_channels // groups, *size)
    wg = weight.reshape(groups, in_channels // groups, per_group, *kernel)
    for position in itertools.product(*(range(k) for k in kernel)):
        # every input value times this kernel weight, for every output channel
        stamp = torch.einsum("ngc...,gco->ngo...", xg, wg[(..., *position)])
        landing = (every(p * d, s, n)
                   for p, d, s, n in zip(position, dilation, stride, size, strict=True))
        out[(..., *landing)] += stamp
    size_out = [e - 2 * p for e, p in zip(extent, padding, strict=True)]
    cropped = out[(..., *(slice(p, p + m) for p, m in zip(padding, size_out, strict=True)))]
    return cropped.reshape(batch, groups * per_group, *size_out)


def conv_transpose_as_conv(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, ...],
    padding: tuple[int, ...],
    output_padding: tuple[int, ...],
    groups: int,
    dilation: tuple[int, ...],
) -> torch.Tensor:
    """The transposed convolution of a batch ``x`` (N, C, *size) as a direct one: the
    flipped kernel, in and out channels swapped group by group, slid with stride 1 over
    the zero-stuffed, bordered input."""
    in_channels, per_group, *kernel = weight.shape
    dims = len(kernel)
    borders = tuple((d * (k - 1) - p, d * (k - 1) - p + a)
                    for k, p, a, d in zip(kernel, padding, output_padding, dilation, strict=True))
    stuffed = stuff(x, stride, borders)
    swapped = (weight.reshape(groups, in_channels // groups, per_group, *kernel)
               .transpose(1, 2)
               .reshape(groups * per_group, in_channels // groups, *kernel))
    flipped = swapped.flip(tuple(range(2, 2 + dims)))
    return conv_im2col(stuffed, flipped, (1,) * dims, dilation, groups)


# Each method of computing a transposed convolution of a checked batch.
TRANSPOSED_METHODS: dict[str, Callable[..., torch.Tensor]] = {
    "scatter": conv_transpose_scatter,
    "conv": conv_transpose_as_conv,
}


def _transpose(x, weight, bias, stride, padding, output_padding, groups, dilation, method,
               dims):
    if method not in TRANSPOSED_METHODS:
        raise ValueError(f"method must be one of {tuple(TRANSPOSED_METHODS)}; got {method!r}")
    c = prepare_transposed(x, weight, bias, stride, padding, output_padding, groups, dilation,
                           dims)
    out = TRANSPOSED_METHODS[method](c.x, c.weight, c.stride, c.padding, c.output_padding,
                                     c.groups, c.dilation)
    if c.bias is not None:
        out = out + c.bias.reshape(1, -1, *([1] * dims))
    if not c.was_batched:
        out = out.squeeze(0)
    return out.cpu().numpy() if c.was_numpy else out


def conv_transpose1d(
    x: Array,
    weight: Array,
    bias: Array | None = None,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    dilation: Size = 1,
    *,
    method: str = "scatter",
) -> Array:
    """1-D transposed convolution of ``x`` (batch, channels, length) with ``weight``
    (in_channels, out_channels / groups, kernel_size), as
    ``torch.nn.functional.conv_transpose1d``, arguments in its order; otherwise as
    ``conv_transpose2d``."""
    return _transpose(x, weight, bias, stride, padding, output_padding, groups, dilation,
                      method, dims=1)


def conv_transpose2d(
    x: Array,
    weight: Array,
    bias: Array | None = None,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    dilation: Size = 1,
    *,
    method: str = "scatter",
) -> Array:
    """2-D transposed convolution of ``x`` (batch, channels, height, width) with ``weight``
    (in_channels, out_channels / groups, kernel_h, kernel_w), as
    ``torch.nn.functional.conv_transpose2d``, arguments in its order.

    Each input value stamps its kernel, scaled, into the output, ``stride`` apart; the
    output has ``weight.shape[1] * groups`` channels and is (n - 1)s - 2p + d(k - 1) +
    output_padding + 1 long along each axis (``output_padding``, smaller than the stride
    or the dilation, picks one of the input sizes that a strided convolution maps to the
    same output size). ``method`` is ``"scatter"`` (the definition) or ``"conv"`` (a
    direct convolution of the zero-stuffed input with the flipped kernel).
    """
    return _transpose(x, weight, bias, stride, padding, output_padding, groups, dilation,
                      method, dims=2)


def conv_transpose3d(
    x: Array,
    weight: Array,
    bias: Array | None = None,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    groups: int = 1,
    dilation: Size = 1,
    *,
    method: str = "scatter",
) -> Array:
    """3-D transposed convolution of ``x`` (batch, channels, depth, height, width) with
    ``weight`` (in_channels, out_channels / groups, kernel_d, kernel_h, kernel_w), as
    ``torch.nn.functional.conv_transpose3d``, arguments in its order; otherwise as
    ``conv_transpose2d``."""
    return _transpose(x, weight, bias, stride, padding, output_padding, groups, dilation,
                      method, dims=3)
