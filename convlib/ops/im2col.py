"""The convolution as one matrix multiply: unfold every patch into a column.

Each column of the unfolded matrix is one window of the input, flattened; each row
of the reshaped weight is one filter, flattened. Their product is every output
value at once. The price is memory: each input pixel is copied once for every
window that covers it, up to kernel_h * kernel_w times.
"""

import torch


def im2col(
    x: torch.Tensor,
    kernel_size: tuple[int, int],
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
) -> torch.Tensor:
    """Unfold a padded batch (N, C, H, W) into (N, C * kernel_h * kernel_w, windows)."""
    batch, channels, height, width = x.shape
    (kernel_h, kernel_w), (stride_h, stride_w), (dil_h, dil_w) = kernel_size, stride, dilation
    out_h = (height - dil_h * (kernel_h - 1) - 1) // stride_h + 1
    out_w = (width - dil_w * (kernel_w - 1) - 1) // stride_w + 1
    # One shifted, strided view of x per kernel position: the pixel that kernel
    # weight (a, b) meets in every window.
    shifted = [
        x[:, :,
          a * dil_h:a * dil_h + stride_h * (out_h - 1) + 1:stride_h,
          b * dil_w:b * dil_w + stride_w * (out_w - 1) + 1:stride_w]
        for a in range(kernel_h)
        for b in range(kernel_w)
    ]
    columns = torch.stack(shifted, dim=2)  # (N, C, kernel_h * kernel_w, out_h, out_w)
    return columns.reshape(batch, channels * kernel_h * kernel_w, out_h * out_w)


def conv2d_im2col(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
    groups: int = 1,
) -> torch.Tensor:
    """Cross-correlate an already padded batch ``x`` (N, C, H, W) with ``weight``."""
    batch, _, height, width = x.shape
    out_channels, channels_per_group, kernel_h, kernel_w = weight.shape
    out_h = (height - dilation[0] * (kernel_h - 1) - 1) // stride[0] + 1
    out_w = (width - dilation[1] * (kernel_w - 1) - 1) // stride[1] + 1
    columns = im2col(x, (kernel_h, kernel_w), stride, dilation)
    columns = columns.reshape(batch, groups, channels_per_group * kernel_h * kernel_w,
                              out_h * out_w)  # not -1: an empty batch has no size to infer
    rows = weight.reshape(groups, out_channels // groups, -1)
    out = rows @ columns  # (N, groups, filters per group, windows)
    return out.reshape(batch, out_channels, out_h, out_w)
