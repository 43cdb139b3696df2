"""Self-checks for chapter 3, "Channels and filters"."""

import numpy as np
import torch
from torch.nn import functional as nnf

from ..sizes.counts import conv_macs, conv_params
from . import exercise

# Exercise 3.1: the output shape of a layer, PyTorch's layout (channels first).
EX1_INPUT, EX1_FILTERS, EX1_KERNEL = (3, 32, 32), 16, 5

# Exercise 3.2: the parameters of torch.nn.Conv2d(64, 128, kernel_size=3).
EX2_IN, EX2_OUT, EX2_KERNEL = 64, 128, 3

# Exercise 3.4: the 5x5 branch of GoogLeNet's inception (3a) module, with "same" padding.
EX4_INPUT, EX4_REDUCE, EX4_FILTERS, EX4_KERNEL = (192, 28, 28), 16, 32, 5


def _whole(answer: object) -> bool:
    return isinstance(answer, (int, np.integer)) and not isinstance(answer, bool)


@exercise("3.1")
def _layer_shape(answer: object) -> str | None:
    if not (isinstance(answer, (tuple, list)) and len(answer) == 3
            and all(_whole(a) for a in answer)):
        return "give the shape as a tuple of three whole numbers, (channels, height, width)."
    channels, height, width = EX1_INPUT
    side = height - EX1_KERNEL + 1
    expected = (EX1_FILTERS, side, side)
    answer = tuple(int(a) for a in answer)
    if answer == expected:
        return None
    if sorted(answer) == sorted(expected):
        return "PyTorch puts the channels first: (channels, height, width)."
    if answer[0] != EX1_FILTERS:
        return "each filter makes one output channel, whatever the input's channel count."
    return "a kernel of size k fits n - k + 1 times along an axis of size n (no padding)."


@exercise("3.2")
def _layer_params(answer: object) -> str | None:
    if not _whole(answer):
        return "give the count as a whole number."
    expected = conv_params(EX2_IN, EX2_OUT, EX2_KERNEL)
    if answer == expected:
        return None
    if answer == conv_params(EX2_IN, EX2_OUT, EX2_KERNEL, bias=False):
        return "close: each filter also has a bias."
    if answer in (conv_params(1, EX2_OUT, EX2_KERNEL), conv_params(1, EX2_OUT, EX2_KERNEL,
                                                                    bias=False)):
        return "a filter holds one kernel for every input channel, not a single kernel."
    return "count the weights of one filter (a kernel per input channel), add its bias, " \
           "and multiply by the number of filters."


def _random_case(rng: np.random.Generator, channels: int, filters: int, size: tuple[int, int],
                 kernel: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = rng.standard_normal((channels, *size)).astype(np.float32)
    w = rng.standard_normal((filters, channels, *kernel)).astype(np.float32)
    b = rng.standard_normal(filters).astype(np.float32)
    return x, w, b


@exercise("3.3")
def _conv_by_channels(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    rng = np.random.default_rng(31)
    for channels, filters, size, kernel in ((3, 1, (4, 4), (3, 3)), (2, 4, (5, 6), (2, 3)),
                                            (1, 3, (4, 5), (3, 3))):
        x, w, b = _random_case(rng, channels, filters, size, kernel)
        expected = nnf.conv2d(torch.from_numpy(x)[None], torch.from_numpy(w),
                              torch.from_numpy(b))[0].numpy()
        got = np.asarray(answer(x, w, b), dtype=np.float64)
        if got.shape != expected.shape:
            return (f"for an input of shape {x.shape} and weight {w.shape} your function "
                    f"returned shape {got.shape}; there is one output channel per filter.")
        if np.allclose(got, expected, atol=1e-4):
            continue
        no_bias = expected - b[:, None, None]
        if np.allclose(got, no_bias, atol=1e-4):
            return "add each filter's bias, once, to its output channel."
        if channels > 1 and np.allclose(got, no_bias / channels + b[:, None, None], atol=1e-4):
            return "the per-channel results are added up, not averaged."
        return ("the values are off: for filter f, slide kernel weight[f, c] over channel "
                "x[c], add the results over c, then add bias[f].")
    return None


@exercise("3.4")
def _inception_macs(answer: object) -> str | None:
    if not (isinstance(answer, (tuple, list)) and len(answer) == 2
            and all(_whole(a) for a in answer)):
        return "give a pair of whole numbers: (direct, with the 1x1 reduction)."
    channels = EX4_INPUT[0]
    direct = conv_macs(EX4_INPUT, EX4_FILTERS, EX4_KERNEL, padding="same")
    reduce = conv_macs(EX4_INPUT, EX4_REDUCE, 1)
    after = conv_macs((EX4_REDUCE, *EX4_INPUT[1:]), EX4_FILTERS, EX4_KERNEL, padding="same")
    first, second = (int(a) for a in answer)
    if first != direct:
        if first == conv_params(channels, EX4_FILTERS, EX4_KERNEL, bias=False):
            return ("the first number counts the weights; multiply-accumulates count every "
                    "weight once per output position.")
        if first == conv_macs(EX4_INPUT, EX4_FILTERS, EX4_KERNEL):
            return "with 'same' padding the output stays 28x28."
        return ("the direct 5x5 layer: output elements times the multiply-adds of each "
                "(input channels x 5 x 5).")
    if second == after:
        return "the 1x1 reduction layer costs multiply-accumulates too: add them."
    if second != reduce + after:
        return ("add two layers: 1x1 from 192 to 16 channels, then 5x5 from 16 to 32 "
                "channels, both on 28x28.")
    return None


@exercise("3.5")
def _grouped_conv(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    rng = np.random.default_rng(35)
    for channels, filters, groups in ((4, 4, 2), (6, 3, 3), (3, 6, 3), (4, 8, 1), (2, 2, 2)):
        x = torch.from_numpy(rng.standard_normal((1, channels, 5, 5)).astype(np.float32))
        w = torch.from_numpy(
            rng.standard_normal((filters, channels // groups, 3, 3)).astype(np.float32))
        expected = nnf.conv2d(x, w, groups=groups)
        got = answer(x, w, groups)
        got = torch.as_tensor(np.asarray(got) if not isinstance(got, torch.Tensor) else got)
        if tuple(got.shape) != tuple(expected.shape):
            return (f"for {channels} input channels, {filters} filters and groups={groups} "
                    f"your function returned shape {tuple(got.shape)}; it should have "
                    f"{filters} output channels, one per filter.")
        if not torch.allclose(got.float(), expected, atol=1e-4):
            return (f"the values differ for {channels} input channels, {filters} filters and "
                    f"groups={groups}: group g takes the g-th block of input channels and the "
                    "g-th block of filters; concatenate the results along the channel axis.")
    return None
