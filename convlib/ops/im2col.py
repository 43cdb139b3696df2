"""The convolution as one matrix multiply: unfold every patch into a column.

Each column of the unfolded matrix is one window of the input, flattened; each row
of the reshaped weight is one filter, flattened. Their product is every output
value at once. The price is memory: each input value is copied once for every
window that covers it, up to once per kernel weight. The same code serves images
(2-D) and volumes (3-D).
"""

import itertools
import math

import torch


def every(start: int, step: int, count: int) -> slice:
    """``count`` positions ``step`` apart, from ``start``, as a slice."""
    return slice(start, start + step * (count - 1) + 1, step)


def window_counts(size: tuple[int, ...], kernel_size: tuple[int, ...],
                  stride: tuple[int, ...], dilation: tuple[int, ...]) -> tuple[int, ...]:
    """How many windows fit along each axis of an already padded input."""
    return tuple((n - d * (k - 1) - 1) // s + 1
                 for n, k, s, d in zip(size, kernel_size, stride, dilation, strict=True))


def im2col(
    x: torch.Tensor,
    kernel_size: tuple[int, ...],
    stride: tuple[int, ...] | None = None,
    dilation: tuple[int, ...] | None = None,
) -> torch.Tensor:
    """Unfold a padded batch (N, C, H, W), or (N, C, D, H, W), into (N, C * kernel values,
    windows); ``stride`` and ``dilation`` are 1 along every axis unless given."""
    dims = len(kernel_size)
    stride, dilation = stride or (1,) * dims, dilation or (1,) * dims
    batch, channels, *size = x.shape
    out = window_counts(tuple(size), kernel_size, stride, dilation)
    # One shifted, strided view of x per kernel position: the value that the kernel
    # weight at `position` meets in every window.
    shifted = [
        x[(..., *(every(p * d, s, m)
                  for p, d, s, m in zip(position, dilation, stride, out, strict=True)))]
        for position in itertools.product(*(range(k) for k in kernel_size))
    ]
    columns = torch.stack(shifted, dim=2)  # (N, C, kernel values, *out)
    return columns.reshape(batch, channels * math.prod(kernel_size), math.prod(out))


def filters_times_columns(columns: torch.Tensor, weight: torch.Tensor,
                          groups: int = 1) -> torch.Tensor:
    """Each filter of ``weight`` (out_channels, channels per group, *kernel) times the
    columns (N, C * kernel values, windows) of its group: (N, out_channels, windows)."""
    batch, rows, windows = columns.shape
    # not -1: an empty batch has no size to infer
    columns = columns.reshape(batch, groups, rows // groups, windows)
    rows_of_filters = weight.reshape(groups, weight.shape[0] // groups, -1)
    out = rows_of_filters @ columns  # (N, groups, filters per group, windows)
    return out.reshape(batch, weight.shape[0], windows)


def conv_im2col(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    groups: int = 1,
) -> torch.Tensor:
    """Cross-correlate an already padded batch ``x`` (N, C, H, W) or (N, C, D, H, W) with
    ``weight``."""
    kernel = tuple(weight.shape[2:])
    out = window_counts(tuple(x.shape[2:]), kernel, stride, dilation)
    columns = im2col(x, kernel, stride, dilation)
    return filters_times_columns(columns, weight, groups).reshape(
        x.shape[0], weight.shape[0], *out)
