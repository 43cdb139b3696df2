"""The convolution as the book describes it: slide the kernel, multiply, sum.

Written for reading, not speed: one output value per pass of the innermost loop.
A 1-D convolution runs as a 2-D one over an image one pixel high; a 3-D one has a
loop of its own for the extra axis.
"""

import torch


def conv2d_loops(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
    groups: int = 1,
) -> torch.Tensor:
    """Cross-correlate an already padded batch ``x`` (N, C, H, W) with ``weight``."""
    batch, _, height, width = x.shape
    out_channels, channels_per_group, kernel_h, kernel_w = weight.shape
    filters_per_group = out_channels // groups
    span_h = dilation[0] * (kernel_h - 1) + 1  # rows the kernel covers, gaps included
    span_w = dilation[1] * (kernel_w - 1) + 1
    out_h = (height - span_h) // stride[0] + 1
    out_w = (width - span_w) // stride[1] + 1
    out = x.new_zeros(batch, out_channels, out_h, out_w)
    for n in range(batch):
        for f in range(out_channels):
            group = f // filters_per_group
            first = group * channels_per_group
            channels = slice(first, first + channels_per_group)
            for i in range(out_h):
                for j in range(out_w):
                    top, left = i * stride[0], j * stride[1]
                    patch = x[n, channels,
                              top:top + span_h:dilation[0],
                              left:left + span_w:dilation[1]]
                    out[n, f, i, j] = (patch * weight[f]).sum()
    return out


def conv3d_loops(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, int, int] = (1, 1, 1),
    dilation: tuple[int, int, int] = (1, 1, 1),
    groups: int = 1,
) -> torch.Tensor:
    """Cross-correlate an already padded batch ``x`` (N, C, D, H, W) with ``weight``.

    ``conv2d_loops`` with one more axis, depth, and so one more loop: the kernel is a
    box that slides through a volume.
    """
    batch, _, depth, height, width = x.shape
    out_channels, channels_per_group, kernel_d, kernel_h, kernel_w = weight.shape
    filters_per_group = out_channels // groups
    span_d = dilation[0] * (kernel_d - 1) + 1  # slices the kernel covers, gaps included
    span_h = dilation[1] * (kernel_h - 1) + 1
    span_w = dilation[2] * (kernel_w - 1) + 1
    out_d = (depth - span_d) // stride[0] + 1
    out_h = (height - span_h) // stride[1] + 1
    out_w = (width - span_w) // stride[2] + 1
    out = x.new_zeros(batch, out_channels, out_d, out_h, out_w)
    for n in range(batch):
        for f in range(out_channels):
            group = f // filters_per_group
            first = group * channels_per_group
            channels = slice(first, first + channels_per_group)
            for i in range(out_d):
                for j in range(out_h):
                    for k in range(out_w):
                        front, top, left = i * stride[0], j * stride[1], k * stride[2]
                        patch = x[n, channels,
                                  front:front + span_d:dilation[0],
                                  top:top + span_h:dilation[1],
                                  left:left + span_w:dilation[2]]
                        out[n, f, i, j, k] = (patch * weight[f]).sum()
    return out
