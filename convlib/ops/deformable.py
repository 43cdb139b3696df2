"""Deformable convolution: every kernel weight reads the input where an offset moves it.

A convolution reads its input on a fixed grid: for output position p0, the kernel
weight at position pn reads the input at p0 * stride - padding + pn * dilation. A
deformable convolution (Dai et al., 2017, "Deformable Convolutional Networks") adds
an offset to that position, a different one for every output position and kernel
weight, usually predicted from the same input by an ordinary convolution; the
grid can then bend to the shape of what it looks at. Offsets are fractional, so the
input is read between pixels by bilinear interpolation, with zeros outside it. The
modulated form (Zhu et al., 2019, "Deformable ConvNets v2") also scales every sample
by a mask value, so that a kernel weight can switch itself off where it is of no use.

Computed as im2col computes a convolution: gather every sample into columns, then one
matrix multiply. Shapes and layouts are those of ``torchvision.ops.deform_conv2d``.
Everything is plain torch, so gradients reach the input, offsets, mask, weight and
bias.
"""

from dataclasses import dataclass

import torch

from ..sizes.arguments import per_axis
from .arguments import Array, Size, as_tensors, check_bias, check_fits
from .im2col import filters_times_columns, window_counts


def bilinear_sample(x: torch.Tensor, rows: torch.Tensor, cols: torch.Tensor) -> torch.Tensor:
    """``x`` (N, G, C, H, W) read at fractional positions ``rows``, ``cols`` (N, G, P):
    (N, G, C, P), group g read at the positions of group g.

    Each sample is a weighted sum of the four pixels around it, the nearer pixel
    weighing more along each axis; pixels outside the input count as zero.
    """
    batch, groups, channels, height, width = x.shape
    flat = x.reshape(batch, groups, channels, height * width)
    top, left = rows.floor(), cols.floor()
    down, right = rows - top, cols - left  # how far past the top-left pixel, 0 to 1
    corners = (
        (top, left, (1 - down) * (1 - right)),
        (top, left + 1, (1 - down) * right),
        (top + 1, left, down * (1 - right)),
        (top + 1, left + 1, down * right),
    )
    out = x.new_zeros(batch, groups, channels, rows.shape[-1])
    for row, col, weight in corners:
        inside = (row >= 0) & (row < height) & (col >= 0) & (col < width)
        index = torch.where(inside, row.long() * width + col.long(), 0)  # outside: any pixel
        values = flat.gather(3, index[:, :, None, :].expand(-1, -1, channels, -1))
        out = out + values * (weight * inside)[:, :, None, :]
    return out


def _groups_per_tap(name: str, what: str, t: torch.Tensor, per_group: int, batch: int,
                   size: tuple[int, int]) -> int:
    """``t`` holds ``per_group`` channels per offset group, for every image of the batch
    and every output position; returns the number of groups."""
    if t.dim() != 4:
        raise ValueError(f"{name} expects {what} of shape (batch, channels, out_h, out_w), "
                         f"4 dimensions; got {t.dim()} dimensions, shape {tuple(t.shape)}")
    if t.shape[0] != batch:
        raise ValueError(f"{name}: {what} is for a batch of {t.shape[0]}, but x has a batch of "
                         f"{batch}")
    if tuple(t.shape[2:]) != size:
        raise ValueError(
            f"{name}: {what} has one value per output position, so it must be "
            f"{size[0]}x{size[1]} like the output; got {t.shape[2]}x{t.shape[3]}"
        )
    if t.shape[1] == 0 or t.shape[1] % per_group:
        raise ValueError(
            f"{name}: {what} has {t.shape[1]} channels, but it needs {per_group} per offset "
            f"group, so a positive multiple of {per_group}"
        )
    return t.shape[1] // per_group


@dataclass
class Deformable:
    """A deformable convolution's arguments, checked, as torch tensors."""

    x: torch.Tensor
    offset: torch.Tensor
    weight: torch.Tensor
    bias: torch.Tensor | None
    mask: torch.Tensor | None
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    dilation: tuple[int, ...]
    groups: int
    offset_groups: int
    size: tuple[int, int]
    was_numpy: bool


def prepare_deformable(x: Array, offset: Array, weight: Array, bias: Array | None,
                       stride: Size, padding: Size, dilation: Size,
                       mask: Array | None) -> Deformable:
    """Check every argument of ``deform_conv2d``; raise a clear error on the first one
    that is wrong."""
    name = "deform_conv2d"
    (xt, off, wt, bt, mt), was_numpy = as_tensors(
        name, {"x": x, "offset": offset, "weight": weight, "bias": bias, "mask": mask})
    for what, t in (("x", xt), ("weight", wt)):
        if t.dim() != 4:
            layout = ("(batch, in_channels, height, width)" if what == "x" else
                      "(out_channels, in_channels / groups, kernel_h, kernel_w)")
            raise ValueError(f"{name} expects {what} of shape {layout}, 4 dimensions; got "
                             f"{t.dim()} dimensions, shape {tuple(t.shape)}")
    batch, in_channels, height, width = xt.shape
    out_channels, per_group, kh, kw = wt.shape
    if per_group == 0 or in_channels % per_group:
        raise ValueError(
            f"{name}: the kernels have {per_group} channels, which does not divide x's "
            f"{in_channels} input channels into groups"
        )
    groups = in_channels // per_group
    if out_channels % groups:
        raise ValueError(
            f"{name}: the kernels' {per_group} channels split x's {in_channels} into "
            f"groups={groups}, which must divide the output channels (filters in weight), "
            f"{out_channels}"
        )
    check_bias(name, bt, out_channels)
    strides = per_axis("stride", stride, 2, 1)
    pads = per_axis("padding", padding, 2, 0)
    dilations = per_axis("dilation", dilation, 2, 1)
    check_fits(name, ("height", "width"), (height, width), (kh, kw), dilations,
               tuple((p, p) for p in pads))
    size = window_counts((height + 2 * pads[0], width + 2 * pads[1]), (kh, kw), strides,
                         dilations)

    taps = kh * kw
    offset_groups = _groups_per_tap(name, "offset", off, 2 * taps, batch, size)
    if in_channels % offset_groups:
        raise ValueError(
            f"{name}: offset has {off.shape[1]} channels, so {offset_groups} offset groups "
            f"(2 * {kh} * {kw} channels each), which must divide x's {in_channels} channels"
        )
    if mt is not None and _groups_per_tap(name, "mask", mt, taps, batch, size) != offset_groups:
        raise ValueError(
            f"{name}: mask has {mt.shape[1]} channels, but the offset's {offset_groups} "
            f"offset group(s) need {offset_groups * taps} ({offset_groups} * {kh} * {kw})"
        )
    return Deformable(xt, off, wt, bt, mt, strides, pads, dilations, groups, offset_groups,
                      size, was_numpy)


def deform_conv2d(
    x: Array,
    offset: Array,
    weight: Array,
    bias: Array | None = None,
    stride: Size = 1,
    padding: Size = 0,
    dilation: Size = 1,
    mask: Array | None = None,
) -> Array:
    """Deformable 2-D convolution, as ``torchvision.ops.deform_conv2d``.

    ``x`` is (batch, in_channels, height, width) and ``weight`` (out_channels,
    in_channels / groups, kernel_h, kernel_w), the groups following from the shapes as
    in ``conv2d``. ``offset`` (batch, 2 * G * kernel_h * kernel_w, out_h, out_w) holds a
    (dy, dx) pair per kernel position, in row-major order, for each of G offset groups:
    the input channels split into G groups that move alike. The kernel weight at
    position pn of output p0 reads the input at p0 * stride - padding + pn * dilation +
    offset, interpolated bilinearly (zero outside the input). ``mask`` (batch, G *
    kernel_h * kernel_w, out_h, out_w), if given, scales every sample (DCNv2). NumPy in,
    NumPy out.
    """
    c = prepare_deformable(x, offset, weight, bias, stride, padding, dilation, mask)
    batch, in_channels, height, width = c.x.shape
    out_channels, _, kh, kw = c.weight.shape
    (out_h, out_w), offset_groups, taps = c.size, c.offset_groups, kh * kw
    # Where each kernel position reads for each output position, before the offsets.
    like_x = {"dtype": c.x.dtype, "device": c.x.device}
    tap_rows = torch.arange(kh, **like_x).repeat_interleave(kw) * c.dilation[0]
    tap_cols = torch.arange(kw, **like_x).repeat(kh) * c.dilation[1]
    grid_rows = torch.arange(out_h, **like_x) * c.stride[0] - c.padding[0]
    grid_cols = torch.arange(out_w, **like_x) * c.stride[1] - c.padding[1]
    rows = tap_rows[:, None, None] + grid_rows[None, :, None]  # (taps, out_h, 1)
    cols = tap_cols[:, None, None] + grid_cols[None, None, :]  # (taps, 1, out_w)
    # ... and after: one (dy, dx) per offset group, kernel position and output position
    moves = c.offset.reshape(batch, offset_groups, taps, 2, out_h, out_w)
    rows = (rows + moves[:, :, :, 0]).reshape(batch, offset_groups, taps * out_h * out_w)
    cols = (cols + moves[:, :, :, 1]).reshape(batch, offset_groups, taps * out_h * out_w)

    grouped = c.x.reshape(batch, offset_groups, in_channels // offset_groups, height, width)
    samples = bilinear_sample(grouped, rows, cols)  # (N, G, C / G, taps * out_h * out_w)
    if c.mask is not None:
        samples = samples * c.mask.reshape(batch, offset_groups, 1, taps * out_h * out_w)
    columns = samples.reshape(batch, in_channels * taps, out_h * out_w)
    out = filters_times_columns(columns, c.weight, c.groups)
    out = out.reshape(batch, out_channels, out_h, out_w)
    if c.bias is not None:
        out = out + c.bias.reshape(1, -1, 1, 1)
    return out.cpu().numpy() if c.was_numpy else out
