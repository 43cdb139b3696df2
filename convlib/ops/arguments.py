"""Checking and normalising the arguments of a convolution.

Every mistake a learner can make with a convolution's arguments is caught here and
reported in terms of the convolution (what was expected, what was given), before
any arithmetic starts.
"""

from dataclasses import dataclass

import numpy as np
import torch

from ..sizes.arguments import Padding, Size, padding_pairs, per_axis
from .padding import PADDING_MODES

Array = np.ndarray | torch.Tensor

_LAYOUT = {1: "(batch, channels, length)", 2: "(batch, channels, height, width)"}
_AXES = {1: ("length",), 2: ("height", "width")}


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


def _describe(a: object) -> str:
    if isinstance(a, (np.ndarray, torch.Tensor)):
        return f"{type(a).__module__.split('.')[0]} array of shape {tuple(a.shape)}"
    return type(a).__name__


def _as_tensor(name: str, a: object) -> torch.Tensor:
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


def prepare(
    x: Array, weight: Array, bias: Array | None, stride: Size, padding: Padding,
    dilation: Size, groups: int, padding_mode: str, dims: int,
) -> Conv:
    """Check every argument of a ``dims``-D convolution; raise a clear error on the first
    one that is wrong."""
    name = f"conv{dims}d"
    kinds = {isinstance(a, np.ndarray) for a in (x, weight, bias)
             if isinstance(a, (np.ndarray, torch.Tensor))}  # subclasses (nn.Parameter) too
    if len(kinds) > 1:
        raise TypeError(
            f"{name}: x, weight and bias must all be NumPy arrays or all torch tensors; got "
            f"x: {type(x).__name__}, weight: {type(weight).__name__}, bias: {type(bias).__name__}"
        )
    was_numpy = isinstance(x, np.ndarray)
    xt, wt = _as_tensor("x", x), _as_tensor("weight", weight)
    bt = None if bias is None else _as_tensor("bias", bias)
    for other_name, other in (("weight", wt), ("bias", bt)):
        if other is None:
            continue
        if other.dtype != xt.dtype:
            raise TypeError(
                f"{name}: x is {xt.dtype} but {other_name} is {other.dtype}; "
                "convert them to one dtype"
            )
        if other.device != xt.device:
            raise ValueError(
                f"{name}: x is on {xt.device} but {other_name} is on {other.device}; "
                "move them to one device (convlib.device() gives the book's)"
            )

    if xt.dim() not in (dims + 1, dims + 2):
        hint = " (for one greyscale image use x[None, None])" if xt.dim() == dims else ""
        raise ValueError(
            f"{name} expects x of shape {_LAYOUT[dims]}, {dims + 2} dimensions, or without "
            f"the batch axis, {dims + 1}; got {xt.dim()} dimensions, shape {tuple(xt.shape)}"
            + hint
        )
    if wt.dim() != dims + 2:
        raise ValueError(
            f"{name} expects weight of shape (out_channels, in_channels / groups, "
            f"{', '.join('kernel_' + a for a in _AXES[dims])}), {dims + 2} dimensions; got "
            f"{wt.dim()} dimensions, shape {tuple(wt.shape)}"
        )
    was_batched = xt.dim() == dims + 2
    if not was_batched:
        xt = xt.unsqueeze(0)

    if not isinstance(groups, int) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"groups must be a positive int; got {groups!r}")
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
    if bt is not None and tuple(bt.shape) != (out_channels,):
        raise ValueError(
            f"{name}: bias must hold one value per filter, shape ({out_channels},); "
            f"got shape {tuple(bt.shape)}"
        )

    kernel = tuple(wt.shape[2:])
    strides = per_axis("stride", stride, dims, 1)
    dilations = per_axis("dilation", dilation, dims, 1)
    pads = padding_pairs(padding, kernel, strides, dilations)
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {PADDING_MODES}; got {padding_mode!r}")

    for axis, n, k, d, (before, after) in zip(
        _AXES[dims], xt.shape[2:], kernel, dilations, pads, strict=True
    ):
        limit = {"reflect": n - 1, "circular": n}.get(padding_mode)
        if limit is not None and max(before, after) > limit:
            raise ValueError(
                f"padding_mode={padding_mode!r} can pad at most {limit} along {axis}, whose "
                f"size is {n}; got padding ({before}, {after})"
            )
        span = d * (k - 1) + 1
        if span > n + before + after:
            raise ValueError(
                f"{name}: the kernel spans {span} along {axis} (size {k}, dilation {d}), "
                f"more than the padded input's {n + before + after} (size {n}, padding "
                f"({before}, {after}))"
            )
    return Conv(xt, wt, bt, strides, pads, dilations, groups, padding_mode, was_numpy,
                was_batched)
