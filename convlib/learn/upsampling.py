"""Upsampling by transposed convolution or by resizing, and the checkerboard that
uneven overlap leaves behind (Odena, Dumoulin and Olah, *Deconvolution and
checkerboard artifacts*, Distill 2016).

A transposed convolution with stride s stamps a scaled copy of its kernel into the
output for every input value, s pixels apart. Where the stamps overlap, their values
add up. Along one axis, a position away from the borders receives floor(k / s) or
ceil(k / s) stamps of a kernel of size k: the same number everywhere only when s
divides k. In two dimensions the counts multiply, so the unevenness squares.
``stamp_counts`` counts the stamps, ``checkerboard`` measures the periodic pattern in
an output, and ``upsampler`` builds the three 2x upsamplers the chapter compares.
"""

import numpy as np
import torch
from torch import nn

from ..ops.transposed import conv_transpose1d, conv_transpose2d
from ..sizes.arguments import positive

UPSAMPLERS = ("transposed 3x3", "transposed 4x4", "resize, then 3x3")


def stamp_counts(kernel_size: int, stride: int, size: int, dims: int = 1) -> np.ndarray:
    """How many stamps land on each output position of a transposed convolution of an
    input ``size`` values long (``size`` x ``size`` when ``dims`` is 2) with a kernel
    of ``kernel_size`` (square in 2-D) and ``stride``, no padding.

    Computed as what it is: the transposed convolution of ones with a kernel of ones.
    The result is (size - 1) * stride + kernel_size long along each axis, as ints.
    """
    for name, value in (("kernel_size", kernel_size), ("stride", stride), ("size", size)):
        positive(name, value)
    if dims not in (1, 2):
        raise ValueError(f"dims must be 1 or 2; got {dims!r}")
    if dims == 1:
        counts = conv_transpose1d(torch.ones(1, 1, size, dtype=torch.float64),
                                  torch.ones(1, 1, kernel_size, dtype=torch.float64),
                                  stride=stride)
    else:
        counts = conv_transpose2d(torch.ones(1, 1, size, size, dtype=torch.float64),
                                  torch.ones(1, 1, kernel_size, kernel_size,
                                             dtype=torch.float64), stride=stride)
    return counts[0, 0].round().long().numpy()


def interior(counts: np.ndarray, kernel_size: int) -> np.ndarray:
    """``counts`` without the ``kernel_size - 1`` positions at each end of every axis,
    where the stamps thin out because the input ends."""
    positive("kernel_size", kernel_size)
    cut = kernel_size - 1
    index = tuple(slice(cut, n - cut) for n in counts.shape)
    inner = counts[index]
    if inner.size == 0:
        raise ValueError(f"counts of shape {counts.shape} have no interior for a kernel of "
                         f"size {kernel_size}; count over a longer input")
    return inner


def overlap_range(kernel_size: int, stride: int, dims: int = 1) -> tuple[int, int]:
    """The fewest and the most stamps that land on an output position away from the
    borders: (floor(k/s), ceil(k/s)) in 1-D, their squares in 2-D, counted."""
    size = kernel_size // stride + 3  # long enough for a full period inside
    inner = interior(stamp_counts(kernel_size, stride, size, dims), kernel_size)
    return int(inner.min()), int(inner.max())


def checkerboard(y: np.ndarray | torch.Tensor, stride: int = 2, border: int = 2) -> float:
    """How strongly the 2-D image ``y`` varies with its position modulo ``stride``.

    The image is split into its stride x stride interleaved sub-images
    (``y[a::stride, b::stride]``), after ``border`` pixels are cut off every side;
    the result is the largest of their means minus the smallest, over the mean
    absolute value of the image. An output with no periodic pattern scores about 0;
    a pattern of 1, 2, 2 and 4 repeated over every 2 x 2 block scores 4/3.
    """
    a = y.detach().cpu().double().numpy() if isinstance(y, torch.Tensor) else np.asarray(
        y, dtype=float)
    if a.ndim != 2:
        raise ValueError(f"checkerboard expects a 2-D image; got shape {a.shape}")
    positive("stride", stride)
    if border < 0:
        raise ValueError(f"border must be 0 or more; got {border}")
    a = a[border:a.shape[0] - border, border:a.shape[1] - border]
    if min(a.shape) < stride:
        raise ValueError("the image is too small for this stride once its border is cut")
    means = [a[i::stride, j::stride].mean() for i in range(stride) for j in range(stride)]
    scale = np.abs(a).mean()
    return 0.0 if scale == 0 else float((max(means) - min(means)) / scale)


def upsampler(kind: str, equal_weights: bool = False) -> nn.Module:
    """A 2x upsampler of one channel, with no bias: ``kind`` is one of ``UPSAMPLERS``.

    * ``"transposed 3x3"``: a transposed convolution, kernel 3, stride 2, padding 1,
      output padding 1 (stride 2 does not divide the kernel);
    * ``"transposed 4x4"``: kernel 4, stride 2, padding 1 (it does);
    * ``"resize, then 3x3"``: nearest-neighbour resizing to twice the size, then a 3x3
      convolution with padding 1.

    All three map an n x n image to 2n x 2n. Weights are PyTorch's random
    initialisation (seed first), or with ``equal_weights`` all alike and scaled so that
    a constant image keeps its mean value away from the borders.
    """
    if kind == "transposed 3x3":
        model: nn.Module = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1,
                                              bias=False)
        conv, share = model, 4 / 9  # 9 weights per stamp, 4 output pixels per input
    elif kind == "transposed 4x4":
        model = nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1, bias=False)
        conv, share = model, 4 / 16
    elif kind == "resize, then 3x3":
        conv = nn.Conv2d(1, 1, 3, padding=1, bias=False)
        model = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), conv)
        share = 1 / 9
    else:
        raise ValueError(f"kind must be one of {UPSAMPLERS}; got {kind!r}")
    if not isinstance(equal_weights, bool):
        raise TypeError(f"equal_weights must be True or False; got {equal_weights!r}")
    if equal_weights:
        with torch.no_grad():
            conv.weight.fill_(share)
    return model
