"""Checking and normalising the arguments of a convolution.

Every mistake a learner can make with a convolution's arguments is caught here and
reported in terms of the convolution (what was expected, what was given), before
any arithmetic starts.
"""

from dataclasses import dataclass

import numpy as np
import torch

from ..sizes.arguments import Padding, Size, padding_pairs, per_axis
from ..sizes.shapes import transposed_output_size
from .padding import PADDING_MODES

Array = np.ndarray | torch.Tensor

AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}
LAYOUT = {dims: f"(batch, channels, {', '.join(axes)})" for dims, axes in AXES.items()}


@dataclass
class Conv:
    """A convolution's arguments, checked, as torch tensors with a batch axis."""

    x: torch.Tensor
    weight: torch.Tensor
    bias: torch.Tensor | None
    stride: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]
    dilation: tuple[int, ...]
    groups: int
    padding_mode: str
    was_numpy: bool
    was_batched: bool


@dataclass
class TransposedConv:
    """A transposed convolution's arguments, checked, as torch tensors with a batch axis."""

    x: torch.Tensor
    weight: torch.Tensor
    bias: torch.Tensor | None
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    output_padding: tuple[int, ...]
    groups: int
    dilation: tuple[int, ...]
    was_numpy: bool
    was_batched: bool


def _describe(a: object) -> str:
    if isinstance(a, (np.ndarray, torch.Tensor)):
        return f"{type(a).__module__.split('.')[0]} array of shape {tuple(a.shape)}"
    return type(a).__name__


def as_tensor(name: str, a: object) -> torch.Tensor:
    """``a`` as a floating-point torch tensor (a NumPy array is wrapped, not copied when
    it can be), or a clear error."""
    if isinstance(a, torch.Tensor):
        t = a
    elif isinstance(a, np.ndarray):
        # contiguous and writable (torch warns on read-only memory); 0-d stays 0-d
        t = torch.from_numpy(np.require(a, requirements=["C", "W"]))
    else:
        raise TypeError(
            f"{name} must be a NumPy array or a torch.Tensor; got {_describe(a)} "
            f"(wrap it with np.asarray(..., dtype=np.float32))"
        )
    if not t.is_floating_point():
        raise TypeError(
            f"{name} must hold floating-point numbers; got dtype {str(t.dtype).split('.')[-1]} "
            f"(convert with .astype(np.float32) for NumPy or .float() for torch)"
        )
    return t


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def as_tensors(
    name: str, arrays: dict[str, object]
) -> tuple[list[torch.Tensor | None], bool]:
    """The arrays (the first is ``x``; None stands for an absent bias or mask) as torch
    tensors of one dtype on one device, and whether they were NumPy arrays.

    ``name`` is the function's, for the messages. The arrays must be all NumPy or all
    torch: mixing them is more often a mistake than a plan.
    """
    kinds = {isinstance(a, np.ndarray) for a in arrays.values()
             if isinstance(a, (np.ndarray, torch.Tensor))}  # subclasses (nn.Parameter) too
    if len(kinds) > 1:
        given = ", ".join(f"{k}: {type(a).__name__}" for k, a in arrays.items())
        raise TypeError(
            f"{name}: {_listed(list(arrays))} must all be NumPy arrays or all torch tensors; "
            f"got {given}"
        )
    was_numpy = isinstance(next(iter(arrays.values())), np.ndarray)
    tensors = [None if a is None else as_tensor(k, a) for k, a in arrays.items()]
    x = tensors[0]
    for other_name, other in zip(list(arrays)[1:], tensors[1:], strict=True):
        if other is None:
            continue
        if other.dtype != x.dtype:
            raise TypeError(
                f"{name}: x is {x.dtype} but {other_name} is {other.dtype}; "
                "convert them to one dtype"
            )
        if other.device != x.device:
            raise ValueError(
                f"{name}: x is on {x.device} but {other_name} is on {other.device}; "
                "move them to one device (convlib.device() gives the book's)"
            )
    return tensors, was_numpy


def with_batch_axis(name: str, x: torch.Tensor, dims: int) -> tuple[torch.Tensor, bool]:
    """``x`` of a ``dims``-D convolution with its batch axis (added if it had none), and
    whether it had one."""
    if x.dim() not in (dims + 1, dims + 2):
        hint = " (for one greyscale image use x[None, None])" if x.dim() == dims else ""
        raise ValueError(
            f"{name} expects x of shape {LAYOUT[dims]}, {dims + 2} dimensions, or without "
            f"the batch axis, {dims + 1}; got {x.dim()} dimensions, shape {tuple(x.shape)}"
            + hint
        )
    was_batched = x.dim() == dims + 2
    return (x if was_batched else x.unsqueeze(0)), was_batched


def positive_groups(groups: object) -> int:
    """``groups`` as a positive int, or a clear error (its divisibility is checked where
    the channel counts are known)."""
    if not isinstance(groups, int) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"groups must be a positive int; got {groups!r}")
    return groups


def check_bias(name: str, bias: torch.Tensor | None, out_channels: int,
               what: str = "bias") -> None:
    """A bias holds one value per output channel."""
    if bias is not None and tuple(bias.shape) != (out_channels,):
        raise ValueError(
            f"{name}: {what} must hold one value per filter, shape ({out_channels},); "
            f"got shape {tuple(bias.shape)}"
        )


def check_fits(name: str, axes: tuple[str, ...], size: tuple[int, ...],
               kernel: tuple[int, ...], dilation: tuple[int, ...],
               pads: tuple[tuple[int, int], ...]) -> None:
    """The (dilated) kernel fits the padded input along every axis."""
    for axis, n, k, d, (before, after) in zip(axes, size, kernel, dilation, pads, strict=True):
        if k == 0:
            raise ValueError(f"{name}: the kernel has no weights along {axis}; its size "
                             f"there must be at least 1")
        span = d * (k - 1) + 1
        if span > n + before + after:
            raise ValueError(
                f"{name}: the kernel spans {span} along {axis} (size {k}, dilation {d}), "
                f"more than the padded input's {n + before + after} (size {n}, padding "
                f"({before}, {after}))"
            )


def prepare(
    x: Array, weight: Array, bias: Array | None, stride: Size, padding: Padding,
    dilation: Size, groups: int, padding_mode: str, dims: int,
) -> Conv:
    """Check every argument of a ``dims``-D convolution; raise a clear error on the first
    one that is wrong."""
    name = f"conv{dims}d"
    (xt, wt, bt), was_numpy = as_tensors(name, {"x": x, "weight": weight, "bias": bias})
    xt, was_batched = with_batch_axis(name, xt, dims)
    if wt.dim() != dims + 2:
        raise ValueError(
            f"{name} expects weight of shape (out_channels, in_channels / groups, "
            f"{', '.join('kernel_' + a for a in AXES[dims])}), {dims + 2} dimensions; got "
            f"{wt.dim()} dimensions, shape {tuple(wt.shape)}"
        )

    positive_groups(groups)
    in_channels, out_channels = xt.shape[1], wt.shape[0]
    if in_channels % groups:
        raise ValueError(f"groups={groups} must divide the input channels, {in_channels}")
    if out_channels % groups:
        raise ValueError(
            f"groups={groups} must divide the output channels (filters in weight), {out_channels}"
        )
    if wt.shape[1] * groups != in_channels:
        raise ValueError(
            f"{name}: the kernels have {wt.shape[1]} channels, so with groups={groups} they "
            f"expect {wt.shape[1] * groups} input channels, but x has {in_channels}"
        )
    check_bias(name, bt, out_channels)

    kernel = tuple(wt.shape[2:])
    strides = per_axis("stride", stride, dims, 1)
    dilations = per_axis("dilation", dilation, dims, 1)
    pads = padding_pairs(padding, kernel, strides, dilations)
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {PADDING_MODES}; got {padding_mode!r}")
    for axis, n, (before, after) in zip(AXES[dims], xt.shape[2:], pads, strict=True):
        limit = {"reflect": n - 1, "circular": n}.get(padding_mode)
        if limit is not None and max(before, after) > limit:
            raise ValueError(
                f"padding_mode={padding_mode!r} can pad at most {limit} along {axis}, whose "
                f"size is {n}; got padding ({before}, {after})"
            )
    check_fits(name, AXES[dims], tuple(xt.shape[2:]), kernel, dilations, pads)
    return Conv(xt, wt, bt, strides, pads, dilations, groups, padding_mode, was_numpy,
                was_batched)


def prepare_transposed(
    x: Array, weight: Array, bias: Array | None, stride: Size, padding: Size,
    output_padding: Size, groups: int, dilation: Size, dims: int,
) -> TransposedConv:
    """Check every argument of a ``dims``-D transposed convolution; raise a clear error on
    the first one that is wrong."""
    name = f"conv_transpose{dims}d"
    (xt, wt, bt), was_numpy = as_tensors(name, {"x": x, "weight": weight, "bias": bias})
    xt, was_batched = with_batch_axis(name, xt, dims)
    if wt.dim() != dims + 2:
        raise ValueError(
            f"{name} expects weight of shape (in_channels, out_channels / groups, "
            f"{', '.join('kernel_' + a for a in AXES[dims])}), {dims + 2} dimensions; got "
            f"{wt.dim()} dimensions, shape {tuple(wt.shape)}"
        )

    positive_groups(groups)
    in_channels = xt.shape[1]
    if wt.shape[0] != in_channels:
        raise ValueError(
            f"{name}: weight holds kernels for {wt.shape[0]} input channels (its first axis, "
            f"in_channels), but x has {in_channels}"
        )
    if in_channels % groups:
        raise ValueError(f"groups={groups} must divide the input channels, {in_channels}")
    check_bias(name, bt, wt.shape[1] * groups)

    strides = per_axis("stride", stride, dims, 1)
    pads = per_axis("padding", padding, dims, 0)
    extras = per_axis("output_padding", output_padding, dims, 0)
    dilations = per_axis("dilation", dilation, dims, 1)
    for axis, n, k, s, p, a, d in zip(AXES[dims], xt.shape[2:], wt.shape[2:], strides, pads,
                                      extras, dilations, strict=True):
        if n == 0:
            raise ValueError(f"{name}: x has no values along {axis} (shape {tuple(xt.shape)})")
        try:
            transposed_output_size(n, k, s, p, a, d)  # at least one output value
        except ValueError as error:  # say which axis, in the function's terms
            raise ValueError(f"{name}: along {axis}, {error}") from None
    return TransposedConv(xt, wt, bt, strides, pads, extras, groups, dilations, was_numpy,
                          was_batched)
