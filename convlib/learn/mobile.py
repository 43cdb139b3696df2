"""Small digit classifiers built from standard or depthwise-separable convolutions
(MobileNet, Xception), what they cost, and how far learned kernels are from rank 1.

A depthwise-separable block replaces one k x k convolution from C_in to C_out
channels by a depthwise k x k convolution (groups = C_in, one kernel per channel)
followed by a 1x1 pointwise convolution that mixes the channels, as
``convlib.depthwise_separable_conv2d`` computes it. The first layer of both models is
a standard convolution, as in MobileNet: on a single input channel, a depthwise
convolution would leave the pointwise one nothing to mix.
"""

from collections.abc import Sequence

import torch
from torch import nn

from ..sizes.arguments import positive


def separable_block(in_channels: int, out_channels: int, kernel_size: int = 3,
                    padding: int = 1) -> nn.Sequential:
    """A depthwise k x k convolution (groups = ``in_channels``), then a 1x1 pointwise
    convolution to ``out_channels``; both with biases, nothing in between."""
    for name, value in (("in_channels", in_channels), ("out_channels", out_channels),
                        ("kernel_size", kernel_size)):
        positive(name, value)
    return nn.Sequential(
        nn.Conv2d(in_channels, in_channels, kernel_size, padding=padding, groups=in_channels),
        nn.Conv2d(in_channels, out_channels, 1),
    )


def digit_cnn(separable: bool = False, channels: Sequence[int] = (16, 32, 64),
              image_size: int = 8, num_classes: int = 10) -> nn.Sequential:
    """Three 3x3 convolutions with ReLU (2x2 max pooling after the second and third),
    then a linear classifier, for ``image_size`` x ``image_size`` digits.

    With ``separable``, the second and third convolutions are depthwise-separable
    blocks (``separable_block``); the first is standard in both. ``channels`` are the
    three layers' widths.
    """
    if not isinstance(separable, bool):
        raise TypeError(f"separable must be True or False; got {separable!r}")
    if len(channels) != 3:
        raise ValueError(f"channels must give three widths; got {channels!r}")
    c1, c2, c3 = (positive("channels", c) for c in channels)
    positive("image_size", image_size)
    if image_size % 4:
        raise ValueError(f"image_size must be a multiple of 4 (two 2x2 poolings); "
                         f"got {image_size}")

    def conv(a: int, b: int) -> nn.Module:
        return separable_block(a, b) if separable else nn.Conv2d(a, b, 3, padding=1)

    return nn.Sequential(
        nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(),
        conv(c1, c2), nn.ReLU(), nn.MaxPool2d(2),
        conv(c2, c3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c3 * (image_size // 4) ** 2, num_classes),
    )


def rank_one_share(kernels: torch.Tensor) -> torch.Tensor:
    """For each 2-D kernel of ``kernels`` (..., k_h, k_w), the share of its energy (sum
    of squared weights) that its best column-times-row approximation keeps: s1^2 / sum
    of s_i^2 over its singular values. 1 exactly for a separable (rank-1) kernel."""
    if not isinstance(kernels, torch.Tensor) or kernels.dim() < 2:
        raise ValueError("rank_one_share expects a tensor of 2-D kernels, shape (..., k_h, k_w)")
    s = torch.linalg.svdvals(kernels.detach().double())
    energy = (s**2).sum(-1)
    if bool((energy == 0).any()):
        raise ValueError("rank_one_share: a kernel of zeros has no energy to share")
    return s[..., 0] ** 2 / energy
