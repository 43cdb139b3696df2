"""Self-checks for chapter 6, "Kernel variants"."""

import numpy as np
import torch
from torch import nn

from ..learn.upsampling import checkerboard, overlap_range
from ..ops.conv import conv2d
from ..ops.deformable import deform_conv2d
from ..sizes.counts import conv_params
from . import exercise

# Exercise 6.1: one filter of torch.nn.Conv3d(EX1_IN, EX1_OUT, kernel_size=EX1_KERNEL).
EX1_IN, EX1_OUT, EX1_KERNEL = 3, 16, (2, 5, 5)
# Exercise 6.2: a 3x3 layer from EX2_IN to EX2_OUT channels, no biases.
EX2_IN, EX2_OUT, EX2_KERNEL = 32, 64, 3
# Exercise 6.3: the stride, and the kernel sizes to choose from.
EX3_STRIDE, EX3_SIZES = 3, range(1, 10)


def _whole(answer: object) -> bool:
    return isinstance(answer, (int, np.integer)) and not isinstance(answer, bool)


@exercise("6.1")
def _filter_shape(answer: object) -> str | None:
    if not (isinstance(answer, (tuple, list)) and all(_whole(a) for a in answer)):
        return "give the shape as a tuple of whole numbers, as PyTorch prints it."
    answer = tuple(int(a) for a in answer)
    kernel = EX1_KERNEL
    if answer == (EX1_IN, *kernel):
        return None
    if answer == (EX1_OUT, EX1_IN, *kernel):
        return "that is the whole layer's weight, every filter; one filter drops the first axis."
    if answer == kernel:
        return "that is one kernel; a filter holds one kernel per input channel."
    if len(answer) == 4 and sorted(answer) == sorted((EX1_IN, *kernel)):
        return "PyTorch puts the channels first, then depth (time), height and width."
    return "a filter has one kernel (depth x height x width) for each input channel."


@exercise("6.2")
def _separable_count(answer: object) -> str | None:
    if not (isinstance(answer, (tuple, list)) and len(answer) == 2
            and all(_whole(a) for a in answer)):
        return "give a pair of whole numbers: (standard weights, separable weights)."
    standard, separable = (int(a) for a in answer)
    expected_standard = conv_params(EX2_IN, EX2_OUT, EX2_KERNEL, bias=False)
    depthwise = conv_params(EX2_IN, EX2_IN, EX2_KERNEL, groups=EX2_IN, bias=False)
    pointwise = conv_params(EX2_IN, EX2_OUT, 1, bias=False)
    if standard != expected_standard:
        return ("the standard layer has one k x k kernel for every (input channel, output "
                "channel) pair.")
    if separable == depthwise + pointwise:
        return None
    if separable in (depthwise, pointwise):
        return "add both steps: the depthwise kernels and the pointwise filters."
    if separable == EX2_KERNEL * EX2_KERNEL * EX2_OUT + pointwise:
        return "the depthwise step has one kernel per INPUT channel."
    return ("depthwise: one k x k kernel per input channel; pointwise: one 1x1 weight per "
            "(input, output) channel pair.")


@exercise("6.3")
def _even_kernels(answer: object) -> str | None:
    if not (isinstance(answer, (list, tuple, set)) and all(_whole(a) for a in answer)):
        return "give a list of whole numbers, the kernel sizes."
    chosen = {int(a) for a in answer}
    if not chosen <= set(EX3_SIZES):
        return f"choose among the kernel sizes {EX3_SIZES.start} to {EX3_SIZES.stop - 1}."
    even = {k for k in EX3_SIZES if len(set(overlap_range(k, EX3_STRIDE))) == 1}
    if chosen == even:
        return None
    if any(k < EX3_STRIDE for k in chosen):
        return ("a kernel shorter than the stride leaves gaps: some positions get no stamp "
                "at all, which is as uneven as it gets.")
    if chosen < even:
        return "some sizes are missing: count the stamps for every size in the range."
    return ("count the stamps on a position away from the borders: floor(k/s) or ceil(k/s); "
            "the two agree only for some k.")


def _dilated_reference(x: torch.Tensor, weight: torch.Tensor, d: int) -> torch.Tensor:
    return conv2d(x, weight, padding=d, dilation=d)


@exercise("6.4")
def _dilation_offsets(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    generator = torch.Generator().manual_seed(64)
    for d, (height, width) in ((2, (7, 8)), (3, (9, 9)), (1, (5, 6))):
        x = torch.randn(1, 2, height, width, generator=generator, dtype=torch.float64)
        weight = torch.randn(3, 2, 3, 3, generator=generator, dtype=torch.float64)
        offsets = answer(d, height, width)
        if not isinstance(offsets, torch.Tensor):
            return f"for d={d} your function returned a {type(offsets).__name__}; return a tensor."
        if tuple(offsets.shape) != (1, 18, height, width):
            return (f"for d={d} on a {height}x{width} input the offsets must have shape "
                    f"(1, 18, {height}, {width}): a (dy, dx) per kernel position per output "
                    f"position; got {tuple(offsets.shape)}.")
        got = deform_conv2d(x, offsets.to(x.dtype), weight, padding=1)
        if not torch.allclose(got, _dilated_reference(x, weight, d), atol=1e-8):
            return (f"with d={d} the result differs from the dilated convolution. Kernel "
                    "position (a, b) reads row i - 1 + a + dy; the dilated one reads "
                    "row i - d + d*a. Solve for dy, and lay the offsets out as (dy, dx) for "
                    "position (0, 0), then (0, 1), ...")
    return None


@exercise("6.5")
def _upsampler(answer: object) -> str | None:
    if not callable(answer):
        return "give the function that builds your upsampler (its name, without calling it)."
    for seed in range(5):
        torch.manual_seed(seed)
        model = answer()
        if not isinstance(model, nn.Module):
            return "your function should return a torch.nn.Module."
        if not any(p.requires_grad for p in model.parameters()):
            return "the upsampler should have weights to learn, as a layer in a network does."
        with torch.no_grad():
            out = model(torch.ones(2, 1, 12, 12))
        if tuple(out.shape) != (2, 1, 24, 24):
            return (f"a 12x12 image should become 24x24 (one channel); got "
                    f"{tuple(out.shape)[1:]}.")
        if checkerboard(out[0, 0], stride=2, border=3) > 1e-5:
            return ("on a constant image the output still varies with the position modulo "
                    "2, for some random weights: the kernel's stamps overlap unevenly, or "
                    "unevenly weighted. Make every output pixel see the same mix.")
    return None
