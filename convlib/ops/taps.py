"""The convolution as shift-and-add: one pass over the input per kernel tap.

Kernel weight (a, b) meets, across all windows, a shifted copy of the input. So the
output is the sum, over the kernel's taps, of a shifted input times that tap's
weights: for a depthwise convolution an element-wise multiply-add per tap, and when
each group has several channels, a matrix multiply per tap that mixes them. No
column matrix is built, which is what makes grouped and depthwise layers fast.

A shift need not be copied. Over an image flattened row after row, the pixels that
tap (a, b) meets in the windows of every output row, taken with the few between the
rows, are one contiguous run: so each output row is computed on the input's full
width (the extra columns are discarded), and every shifted input is a view. A
strided convolution is first split into its stride's phases (the pixels at each
offset within a stride), so that every tap reads one phase at stride 1.
"""

from math import ceil

import torch

from .im2col import conv_im2col

# A chunk of images whose input and output take about this many bytes is done tap
# after tap while it stays in the processor's cache.
CHUNK_BYTES = 4 * 2**20


def _phases(x: torch.Tensor, stride: tuple[int, int]) -> torch.Tensor:
    """``x`` split by stride phase: (stride_h, stride_w, N, C, ceil(H / s_h), ceil(W / s_w)),
    where phase (r, s) holds x[..., r::s_h, s::s_w], zero-filled to the common size."""
    sh, sw = stride
    if (sh, sw) == (1, 1):
        return x.contiguous()[None, None]
    batch, channels, height, width = x.shape
    phases = x.new_zeros(sh, sw, batch, channels, ceil(height / sh), ceil(width / sw))
    for r in range(sh):
        for s in range(sw):
            part = x[:, :, r::sh, s::sw]
            phases[r, s, :, :, :part.shape[2], :part.shape[3]] = part
    return phases


def _accumulate(acc: torch.Tensor, shifted: torch.Tensor, w: torch.Tensor,
                first: bool) -> None:
    """acc (N, groups, filters, run) (+)= w (groups, filters, channels) applied to
    shifted (N, groups, channels, run)."""
    batch, groups, filters, run = acc.shape
    per_group = shifted.shape[2]
    if per_group == 1:  # depthwise: every filter scales one input channel
        if first:
            torch.mul(shifted, w, out=acc)
        else:
            acc.addcmul_(shifted, w)
        return
    # each filter mixes its group's channels: (filters, channels) @ (channels, run)
    w = w.expand(batch, groups, filters, per_group).reshape(batch * groups, filters,
                                                             per_group)
    shifted = shifted.reshape(batch * groups, per_group, run)
    acc = acc.view(batch * groups, filters, run)
    if first:
        torch.bmm(w, shifted, out=acc)
    else:
        acc.baddbmm_(w, shifted)


def conv2d_taps(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
    groups: int = 1,
) -> torch.Tensor:
    """Cross-correlate an already padded batch ``x`` (N, C, H, W) with ``weight``, one
    kernel tap at a time.

    The taps are added in place into one buffer, which cannot be differentiated, so
    when a gradient is wanted the column matrix is built at once ("im2col")."""
    if torch.is_grad_enabled() and (x.requires_grad or weight.requires_grad):
        return conv_im2col(x, weight, stride, dilation, groups)
    batch, channels, height, width = x.shape
    out_channels, per_group, kernel_h, kernel_w = weight.shape
    filters = out_channels // groups  # per group
    out_h = (height - dilation[0] * (kernel_h - 1) - 1) // stride[0] + 1
    out_w = (width - dilation[1] * (kernel_w - 1) - 1) // stride[1] + 1
    phases = _phases(x, stride)
    pitch = phases.shape[-1]  # the length of a row, in the phases and in the output
    plane = phases.shape[-2] * pitch
    run = (out_h - 1) * pitch + out_w  # one tap's pixels over every window, in a row
    phases = phases.reshape(*phases.shape[:2], batch, groups, per_group, plane)
    # The output on rows of the phases' full width; the columns past out_w are discarded.
    full = x.new_empty(batch, groups, filters, out_h * pitch)
    taps = weight.permute(2, 3, 0, 1).reshape(kernel_h, kernel_w, groups, filters, per_group)
    image_bytes = (channels * plane + out_channels * out_h * pitch) * x.element_size()
    chunk = max(1, CHUNK_BYTES // image_bytes)
    for n in range(0, batch, chunk):
        acc = full[n:n + chunk, ..., :run]
        for a in range(kernel_h):
            top, r = divmod(a * dilation[0], stride[0])  # the row shift, in phase r
            for b in range(kernel_w):
                left, s = divmod(b * dilation[1], stride[1])
                start = top * pitch + left
                shifted = phases[r, s, n:n + chunk, ..., start:start + run]
                _accumulate(acc, shifted, taps[a, b], first=a == b == 0)
    return full.view(batch, out_channels, out_h, pitch)[..., :out_w]
