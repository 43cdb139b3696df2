"""What a convolution layer costs: its parameters and its multiply-accumulates.

A layer's size (how many numbers it learns) and its work (how many multiply-adds
one input costs) follow from its shapes alone, without running it. Both grow with
the product of the input and output channels, which is why 1x1 reductions and
groups, which cut that product, matter.
"""

from math import gcd, prod

from .arguments import Size, check_groups, kernel_sizes, padding_pairs, per_axis, positive
from .shapes import output_size


def valid_groups(in_channels: int, out_channels: int) -> list[int]:
    """Every ``groups`` a layer with these channel counts accepts: the common divisors."""
    positive("in_channels", in_channels)
    positive("out_channels", out_channels)
    common = gcd(in_channels, out_channels)
    return [g for g in range(1, common + 1) if common % g == 0]


def conv_params(
    in_channels: int,
    out_channels: int,
    kernel_size: Size,
    groups: int = 1,
    bias: bool = True,
) -> int:
    """The number of learned numbers of a convolution layer:
    ``out_channels * (in_channels / groups * k_h * k_w) + out_channels`` (the bias).

    Each of the ``out_channels`` filters holds one kernel per input channel of its
    group, and one bias. ``kernel_size`` is an int for a square 2-D kernel, or a
    tuple with one size per axis: ``(k,)`` for 1-D, ``(k_h, k_w)``, ``(k_d, k_h, k_w)``.
    """
    positive("in_channels", in_channels)
    positive("out_channels", out_channels)
    kernel = kernel_sizes(kernel_size)
    check_groups(groups, in_channels, out_channels)
    if not isinstance(bias, bool):
        raise TypeError(f"bias must be True or False; got {bias!r}")
    weights = out_channels * (in_channels // groups) * prod(kernel)
    return weights + (out_channels if bias else 0)


def conv_macs(
    input_shape: tuple[int, ...],
    out_channels: int,
    kernel_size: Size,
    stride: Size = 1,
    padding: int | str | tuple = 0,
    dilation: Size = 1,
    groups: int = 1,
) -> int:
    """Multiply-accumulates of a convolution on ONE input of shape ``input_shape``:
    ``C_out * H_out * W_out * (C_in / groups) * k_h * k_w``.

    ``input_shape`` is channels first and has no batch axis: ``(C, H, W)``, or
    ``(C, L)`` for a 1-D convolution; multiply by the batch size for a batch. Every
    output value costs one multiply-add per weight of its filter; the bias adds are
    not counted. ``stride``, ``padding`` and ``dilation`` are given as to
    ``conv2d`` (``padding`` may be ``"valid"``, ``"same"``, or per axis an int or a
    ``(before, after)`` pair); the output size comes from ``output_size``.
    """
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) not in (2, 3):
        raise ValueError(
            "input_shape must be (channels, height, width), or (channels, length) for 1-D, "
            f"for one input without the batch axis; got {input_shape!r}"
        )
    in_channels, *spatial = input_shape
    positive("input_shape's channels", in_channels)
    for n in spatial:
        positive("every spatial size in input_shape", n)
    dims = len(spatial)
    positive("out_channels", out_channels)
    kernel = kernel_sizes(kernel_size, dims)
    check_groups(groups, in_channels, out_channels)
    strides = per_axis("stride", stride, dims, 1)
    dilations = per_axis("dilation", dilation, dims, 1)
    pads = padding_pairs(padding, kernel, strides, dilations)
    out = [output_size(n, k, s, p, d)
           for n, k, s, p, d in zip(spatial, kernel, strides, pads, dilations, strict=True)]
    return out_channels * prod(out) * (in_channels // groups) * prod(kernel)
