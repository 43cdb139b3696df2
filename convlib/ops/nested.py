"""The convolution as seven nested loops, one per index, counting its multiply-adds.

``loops.conv2d_loops`` writes the three innermost loops as one vectorised line, a
window times a filter, summed. Here every loop is written out, in the order a
direct implementation runs them: batch, output channel, output row, output column,
then input channel, kernel row and kernel column. The body is one multiply-accumulate,
and a counter says how often it ran, which is the count of ``sizes.counts.conv_macs``
times the batch. Pure Python, so for tiny layers only.
"""

import numpy as np
import torch

from .im2col import window_counts


def conv2d_nested(
    x: torch.Tensor | np.ndarray,
    weight: torch.Tensor | np.ndarray,
    stride: int = 1,
    dilation: int = 1,
    groups: int = 1,
) -> tuple[torch.Tensor, int]:
    """Cross-correlate an already padded batch ``x`` (N, C, H, W) with
    ``weight`` (C_out, C / groups, k_h, k_w) by seven nested loops, and count
    the multiply-adds: (the output as a float64 tensor, how many times the
    innermost line ran)."""
    x = np.asarray(torch.as_tensor(x).cpu(), dtype=np.float64)
    w = np.asarray(torch.as_tensor(weight).cpu(), dtype=np.float64)
    batch, channels, height, width = x.shape
    out_channels, per_group, kernel_h, kernel_w = w.shape
    if channels != per_group * groups or out_channels % groups:
        raise ValueError(f"a weight of shape {w.shape} with groups={groups} "
                         f"does not fit an input with {channels} channels")
    out_h, out_w = window_counts((height, width), (kernel_h, kernel_w),
                                 (stride, stride), (dilation, dilation))
    filters = out_channels // groups  # per group
    y = np.zeros((batch, out_channels, out_h, out_w))
    macs = 0
    for n in range(batch):  # 1. batch
        for f in range(out_channels):  # 2. output channel (filter)
            c0 = f // filters * per_group  # the first channel of f's group
            for i in range(out_h):  # 3. output row
                for j in range(out_w):  # 4. output column
                    for c in range(per_group):  # 5. input channel
                        for a in range(kernel_h):  # 6. kernel row
                            for b in range(kernel_w):  # 7. kernel column
                                pixel = x[n, c0 + c, i * stride + a * dilation,
                                          j * stride + b * dilation]
                                y[n, f, i, j] += w[f, c, a, b] * pixel
                                macs += 1
    return torch.from_numpy(y), macs
