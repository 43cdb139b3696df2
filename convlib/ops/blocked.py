"""im2col a block at a time: the column matrix of a few images, or of a few output rows,
then its matrix multiply straight into the output.

"im2col" builds the column matrix of the whole batch, kernel_h * kernel_w times the
input's size. Past a few tens of megabytes that matrix costs more than its copying:
each call asks the operating system for fresh memory, page after page, and the
matrix no longer fits in the processor's cache. Built block by block into one reused
buffer, each block is still in the cache when its matrix multiply reads it.
"""

import torch

from .im2col import conv_im2col

# The column matrix of one block takes at most about this many bytes (at least one
# output row of one image).
BLOCK_BYTES = 2 * 2**20


def _blocks(batch: int, out_h: int, row_bytes: int) -> list[tuple[int, int, int, int]]:
    """(first image, images, first output row, rows) of every block: whole images while
    one fits in BLOCK_BYTES, else bands of rows of one image."""
    rows = max(1, BLOCK_BYTES // row_bytes)
    if rows >= out_h:
        images = rows // out_h
        return [(n, min(images, batch - n), 0, out_h) for n in range(0, batch, images)]
    return [(n, 1, r, min(rows, out_h - r)) for n in range(batch) for r in range(0, out_h, rows)]


def conv2d_blocked(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
    groups: int = 1,
) -> torch.Tensor:
    """Cross-correlate an already padded batch ``x`` (N, C, H, W) with ``weight``, one
    block of the column matrix at a time.

    Writing every block into one reused buffer cannot be differentiated, so when a
    gradient is wanted the whole column matrix is built at once ("im2col")."""
    if torch.is_grad_enabled() and (x.requires_grad or weight.requires_grad):
        return conv_im2col(x, weight, stride, dilation, groups)
    batch, channels, height, width = x.shape
    out_channels, per_group, kernel_h, kernel_w = weight.shape
    filters = out_channels // groups
    out_h = (height - dilation[0] * (kernel_h - 1) - 1) // stride[0] + 1
    out_w = (width - dilation[1] * (kernel_w - 1) - 1) // stride[1] + 1
    depth = per_group * kernel_h * kernel_w  # the length of a column, per group
    out = x.new_empty(batch, groups, filters, out_h, out_w)
    rows = weight.reshape(groups, filters, depth)
    s_n, s_c, s_h, s_w = x.stride()
    blocks = _blocks(batch, out_h, channels * kernel_h * kernel_w * out_w * x.element_size())
    buffer = x.new_empty(max((n * h for _, n, _, h in blocks), default=0) * channels
                         * kernel_h * kernel_w * out_w)
    for first, n, top, h in blocks:
        # Every window of the block, as a strided view of x: (n, C, kh, kw, h, out_w)
        windows = x.as_strided(
            (n, channels, kernel_h, kernel_w, h, out_w),
            (s_n, s_c, dilation[0] * s_h, dilation[1] * s_w, stride[0] * s_h, stride[1] * s_w),
            x.storage_offset() + first * s_n + top * stride[0] * s_h)
        columns = buffer[:windows.numel()].view(windows.shape)
        columns.copy_(windows)
        torch.bmm(rows.expand(n, groups, filters, depth).reshape(n * groups, filters, depth),
                  columns.view(n * groups, depth, h * out_w),
                  out=out[first:first + n, :, :, top:top + h].view(n * groups, filters,
                                                                   h * out_w))
    return out.view(batch, out_channels, out_h, out_w)
