"""How much arithmetic a convolution does for each byte it moves: its arithmetic
intensity, and the roofline bound that follows from it.

Williams, Waterman and Patterson (2009), "Roofline: an insightful visual performance
model for multicore architectures". A processor does at most ``peak`` floating-point
operations per second and moves at most ``bandwidth`` bytes per second between its
memory and its cores. A computation of F operations on M bytes therefore takes at
least max(F / peak, M / bandwidth) seconds, and runs at no more than
min(peak, I * bandwidth) operations per second, where I = F / M is its intensity.
Below the *ridge point* I = peak / bandwidth a layer is memory-bound: faster
arithmetic would not help it.

The bytes counted here are the least a layer must move: its input and weights read
once and its output written once. Real code moves more (an im2col matrix, say), so
the intensity is an upper bound on what is achieved.
"""

from math import prod
from typing import NamedTuple

from .arguments import Padding, Size, kernel_sizes
from .counts import conv_macs, conv_params


class Costs(NamedTuple):
    """What a convolution layer costs on one batch."""

    macs: int  # multiply-accumulates
    flops: int  # floating-point operations: two per multiply-accumulate
    bytes: int  # input + weights + output, each moved once
    intensity: float  # flops / bytes


def conv_costs(
    input_shape: tuple[int, ...],
    out_channels: int,
    kernel_size: Size,
    stride: Size = 1,
    padding: Padding = 0,
    dilation: Size = 1,
    groups: int = 1,
    *,
    batch: int = 1,
    itemsize: int = 4,
) -> Costs:
    """The multiply-adds, FLOPs, bytes and arithmetic intensity of a convolution on a
    batch of ``batch`` inputs of ``input_shape`` = (C, H, W) (or (C, L)), with numbers
    of ``itemsize`` bytes (4 for float32). The other arguments are as ``conv_macs``'s;
    the bias is not counted."""
    if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
        raise ValueError(f"batch must be a positive int; got {batch!r}")
    if not isinstance(itemsize, int) or isinstance(itemsize, bool) or itemsize < 1:
        raise ValueError(f"itemsize must be a positive int; got {itemsize!r}")
    per_input = conv_macs(input_shape, out_channels, kernel_size, stride, padding, dilation,
                          groups)
    in_channels, *spatial = input_shape
    kernel = kernel_sizes(kernel_size, len(spatial))
    outputs = per_input // ((in_channels // groups) * prod(kernel))  # C_out * H_out * W_out
    weights = conv_params(in_channels, out_channels, kernel, groups, bias=False)
    numbers = batch * (prod(input_shape) + outputs) + weights
    macs = batch * per_input
    return Costs(macs, 2 * macs, numbers * itemsize, 2 * macs / (numbers * itemsize))


def attainable(intensity: float, peak: float, bandwidth: float) -> float:
    """The roofline: the most operations per second a computation of this
    ``intensity`` (operations per byte) can reach on a machine with this ``peak``
    (operations per second) and memory ``bandwidth`` (bytes per second)."""
    for name, value in (("intensity", intensity), ("peak", peak), ("bandwidth", bandwidth)):
        if not value > 0:
            raise ValueError(f"{name} must be positive; got {value!r}")
    return min(peak, intensity * bandwidth)


def ridge_point(peak: float, bandwidth: float) -> float:
    """The intensity at which the roofline bends: below it a computation is
    memory-bound, above it compute-bound."""
    if not (peak > 0 and bandwidth > 0):
        raise ValueError(f"peak and bandwidth must be positive; got {peak!r}, {bandwidth!r}")
    return peak / bandwidth
