"""What a convolution layer costs: its parameters and its multiply-accumulates.

A layer's size (how many numbers it learns) and its work (how many multiply-adds
one input costs) follow from its shapes alone, without running it. Both grow with
the product of the input and output channels, which is why 1x1 reductions and
groups, which cut that product, matter.
"""

from math import prod

from .arguments import _pads, _per_axis
from .shapes import output_size

Size = int | tuple[int, ...]


def _count(name: str, value: object) -> int:
    """A positive whole number, or a clear error naming what was given."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be a positive int; got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1; got {value}")
    return value


def _kernel(kernel_size: Size, dims: int | None = None) -> tuple[int, ...]:
    """The kernel's size per axis; an int means the same size along ``dims`` axes."""
    if isinstance(kernel_size, int) and not isinstance(kernel_size, bool):
        sizes = (kernel_size,) * (dims or 2)
    elif (
        isinstance(kernel_size, tuple)
        and kernel_size
        and all(isinstance(k, int) and not isinstance(k, bool) for k in kernel_size)
    ):
        sizes = kernel_size
    else:
        raise TypeError(
            f"kernel_size must be an int or a tuple of ints, e.g. 3 or (3, 5); got {kernel_size!r}"
        )
    if dims is not None and len(sizes) != dims:
        raise ValueError(
            f"kernel_size must have one entry per spatial axis of the input, {dims}; "
            f"got {kernel_size!r}"
        )
    if any(k < 1 for k in sizes):
        raise ValueError(f"kernel_size must be at least 1 along every axis; got {kernel_size!r}")
    return sizes


def _groups(groups: object, in_channels: int, out_channels: int) -> int:
    _count("groups", groups)
    for name, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
        if channels % groups:
            raise ValueError(
                f"groups={groups} must divide {name}, {channels}: each of the {groups} groups "
                f"takes an equal share of the channels"
            )
    return groups


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
    _count("in_channels", in_channels)
    _count("out_channels", out_channels)
    kernel = _kernel(kernel_size)
    _groups(groups, in_channels, out_channels)
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
    _count("input_shape's channels", in_channels)
    for n in spatial:
        _count("every spatial size in input_shape", n)
    dims = len(spatial)
    _count("out_channels", out_channels)
    kernel = _kernel(kernel_size, dims)
    _groups(groups, in_channels, out_channels)
    strides = _per_axis("stride", stride, dims, 1)
    dilations = _per_axis("dilation", dilation, dims, 1)
    pads = _pads(padding, kernel, strides, dilations)
    out = [output_size(n, k, s, p, d)
           for n, k, s, p, d in zip(spatial, kernel, strides, pads, dilations, strict=True)]
    return out_channels * prod(out) * (in_channels // groups) * prod(kernel)
