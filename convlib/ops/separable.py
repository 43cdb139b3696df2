"""Separable convolutions: one costly convolution replaced by two cheap ones.

A 2-D kernel of rank 1 is an outer product, a column times a row. Sliding it over an
image equals sliding the column down the image and then the row across the result:
k + k multiplications per output value instead of k * k. The singular value
decomposition tells whether a kernel has rank 1, and gives the two factors.

A depthwise-separable convolution (MobileNet, Xception) separates channels from space
instead: a depthwise convolution filters every input channel on its own (groups =
channels), then a 1x1 pointwise convolution mixes the channels.
"""

import numpy as np
import torch

from .arguments import Array, Padding, Size, as_tensor, as_tensors, check_bias, with_batch_axis
from .conv import conv2d


def _clearly_nonzero(value: torch.Tensor, scale: torch.Tensor, rtol: float) -> bool:
    return bool(value.abs() > rtol * scale)


def separate_kernel(kernel: Array, *, rtol: float | None = None) -> tuple[Array, Array]:
    """A rank-1 2-D ``kernel`` as ``(column, row)`` with ``column[:, None] * row[None, :]``
    equal to it, e.g. Sobel x as the smoothing column [1, 2, 1] times the difference row
    [-1, 0, 1].

    The rank counts the singular values above ``rtol`` times the largest; by default
    ``rtol`` is max(height, width) times the machine epsilon of the kernel's dtype, as in
    ``numpy.linalg.matrix_rank``, so only rounding is forgiven (give a larger ``rtol``,
    e.g. 1e-2, to accept a kernel that is separable only nearly). A kernel of higher
    rank is a sum of that many column-times-row products and cannot be separated.

    The factors are scaled so that the column's first nonzero entry is 1 or -1, and
    signed so that the column sums to a positive number; if it sums to zero, the row
    does; if both do, the column's first nonzero entry is 1. Entries smaller than
    ``rtol`` times the largest count as zero here. NumPy in, NumPy out; a tensor comes
    back with the kernel's dtype, on its device.
    """
    k = as_tensor("kernel", kernel)
    if k.dim() != 2:
        raise ValueError(
            f"separate_kernel expects a 2-D kernel (height, width); got {k.dim()} dimensions, "
            f"shape {tuple(k.shape)}"
        )
    if k.numel() == 0 or not bool(torch.isfinite(k).all()):
        raise ValueError(
            f"separate_kernel expects a kernel of finite numbers with at least one entry; "
            f"got shape {tuple(k.shape)}" + ("" if k.numel() == 0 else " with inf or nan")
        )
    if rtol is None:
        rtol = max(k.shape) * torch.finfo(k.dtype).eps
    elif isinstance(rtol, bool) or not isinstance(rtol, (int, float)) or not 0 <= rtol < 1:
        raise ValueError(f"rtol must be a number from 0 up to (not including) 1; got {rtol!r}")

    u, s, vh = torch.linalg.svd(k.double())
    if s[0] == 0:
        raise ValueError(
            "separate_kernel: the kernel is all zeros, rank 0: any column times a row of "
            "zeros gives it, so there is no factorisation to speak of"
        )
    rank = int((s > rtol * s[0]).sum())
    if rank > 1:
        shown = ", ".join(f"{v:.3g}" for v in s.tolist())
        raise ValueError(
            f"separate_kernel: the kernel has rank {rank}: {rank} of its singular values "
            f"({shown}) exceed rtol={rtol:.3g} times the largest, so it is a sum of {rank} "
            f"column-times-row products and no single column times a row equals it"
        )
    column, row = u[:, 0], vh[0] * s[0]
    magnitude = column.abs()
    pivot = column[magnitude > rtol * magnitude.max()][0]  # the first nonzero entry
    column, row = column / pivot.abs(), row * pivot.abs()
    if _clearly_nonzero(column.sum(), column.abs().sum(), rtol):
        sign = column.sum().sign()
    elif _clearly_nonzero(row.sum(), row.abs().sum(), rtol):
        sign = row.sum().sign()
    else:
        sign = pivot.sign()
    column, row = (sign * column).to(k.dtype), (sign * row).to(k.dtype)
    if isinstance(kernel, np.ndarray):
        return column.cpu().numpy(), row.cpu().numpy()
    return column, row


def depthwise_separable_conv2d(
    x: Array,
    depthwise_weight: Array,
    pointwise_weight: Array,
    depthwise_bias: Array | None = None,
    pointwise_bias: Array | None = None,
    stride: Size = 1,
    padding: Padding = 0,
    dilation: Size = 1,
) -> Array:
    """A depthwise convolution of ``x`` (batch, channels, height, width), then a 1x1
    pointwise one: what MobileNet uses in place of a full 2-D convolution.

    ``depthwise_weight`` (channels * K, 1, kernel_h, kernel_w) holds K single-channel
    kernels per input channel (K is the channel multiplier), slid with ``stride``,
    ``padding`` and ``dilation`` as in ``conv2d`` with groups = channels;
    ``pointwise_weight`` (out_channels, channels * K, 1, 1) then mixes the channels at
    every position. Computed with ``conv2d``; NumPy in, NumPy out.
    """
    name = "depthwise_separable_conv2d"
    (xt, dw, pw, db, pb), was_numpy = as_tensors(name, {
        "x": x, "depthwise_weight": depthwise_weight, "pointwise_weight": pointwise_weight,
        "depthwise_bias": depthwise_bias, "pointwise_bias": pointwise_bias})
    xt, was_batched = with_batch_axis(name, xt, 2)
    channels = xt.shape[1]
    if dw.dim() != 4 or dw.shape[1] != 1:
        raise ValueError(
            f"{name}: depthwise_weight must have shape (channels * multiplier, 1, kernel_h, "
            f"kernel_w), single-channel kernels; got shape {tuple(dw.shape)}"
        )
    if dw.shape[0] == 0 or dw.shape[0] % channels:
        raise ValueError(
            f"{name}: depthwise_weight has {dw.shape[0]} kernels, but x has {channels} "
            f"channels: each channel needs the same number of kernels (the channel "
            f"multiplier), so the count must be a positive multiple of {channels}"
        )
    middle = dw.shape[0]
    if pw.dim() != 4 or tuple(pw.shape[1:]) != (middle, 1, 1):
        raise ValueError(
            f"{name}: pointwise_weight must have shape (out_channels, {middle}, 1, 1), one "
            f"1x1 filter over the {middle} channels of the depthwise step; got shape "
            f"{tuple(pw.shape)}"
        )
    check_bias(name, db, middle, "depthwise_bias")
    check_bias(name, pb, pw.shape[0], "pointwise_bias")
    filtered = conv2d(xt, dw, db, stride, padding, dilation, groups=channels)
    out = conv2d(filtered, pw, pb)
    if not was_batched:
        out = out.squeeze(0)
    return out.cpu().numpy() if was_numpy else out
