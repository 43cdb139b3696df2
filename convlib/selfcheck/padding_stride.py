"""Self-checks for chapter 2, "Padding, stride and dilation"."""

import itertools

import numpy as np
import torch
from torch.nn import functional as nnf

from ..sizes.shapes import output_size, transposed_output_size
from . import exercise

# Exercise 2.1: the output size of one layer.
EX1 = {"n": 28, "kernel_size": 5, "stride": 2, "padding": 1}

# Exercise 2.2: PyTorch's "same" padding for an even kernel.
EX2_KERNEL = 4

# Exercise 2.4: the output_padding that undoes a stride-2 convolution's size.
EX4 = {"n": 28, "kernel_size": 3, "stride": 2, "padding": 1}

# Exercise 2.5: every (kernel_size, stride, padding) that halves this input.
EX5_N, EX5_OUT = 64, 32
EX5_KERNELS, EX5_STRIDES, EX5_PADDINGS = range(1, 8), range(1, 5), range(0, 4)


def _whole(answer: object) -> bool:
    return isinstance(answer, (int, np.integer)) and not isinstance(answer, bool)


@exercise("2.1")
def _output_size(answer: object) -> str | None:
    n, k, s, p = EX1["n"], EX1["kernel_size"], EX1["stride"], EX1["padding"]
    expected = output_size(n, k, s, p)
    if isinstance(answer, float) and not answer.is_integer():
        return "an output has a whole number of values: the formula rounds down (floor)."
    if not isinstance(answer, (int, float, np.integer, np.floating)) or isinstance(answer, bool):
        return "give the size as a whole number."
    if answer == expected:
        return None
    if answer == (n + 2 * p - k) // s:
        return "off by one: the kernel's first position counts too (the + 1)."
    if answer == output_size(n, k, s):
        return "the padding adds p values on both sides of the input: n + 2p."
    if answer == -(-(n + 2 * p - k) // s) + 1:
        return "the division rounds down, not up: a last step that does not fit is not taken."
    return "count how far the kernel can step: floor((n + 2p - k) / s) steps, plus one."


@exercise("2.2")
def _even_same_padding(answer: object) -> str | None:
    if not (isinstance(answer, tuple) and len(answer) == 2):
        return "give a pair: (padding before, padding after)."
    before, after = answer
    if not (_whole(before) and _whole(after)):
        return "padding comes in whole pixels: give two whole numbers."
    total = EX2_KERNEL - 1
    if before + after != total:
        return (f"to keep the size at stride 1, the two sides together must add "
                f"kernel_size - 1 = {total} pixels.")
    if before > after:
        return "right total, wrong side: PyTorch puts the extra pixel at the end."
    if after - before > 1:
        return "split the padding as evenly as possible between the two sides."
    return None


def _reference_causal(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    xt = torch.from_numpy(x)[None, None]
    wt = torch.from_numpy(w)[None, None]
    return nnf.conv1d(nnf.pad(xt, (len(w) - 1, 0)), wt)[0, 0].numpy()


@exercise("2.3")
def _causal(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    rng = np.random.default_rng(2)
    for n, k in ((10, 3), (7, 5), (6, 1), (4, 4)):
        x = rng.standard_normal(n).astype(np.float32)
        w = rng.standard_normal(k).astype(np.float32)
        got = np.asarray(answer(x, w), dtype=np.float64).reshape(-1)
        expected = _reference_causal(x, w)
        if got.shape != expected.shape:
            return (f"for a signal of {n} values and a kernel of {k} your function returned "
                    f"{got.size} values; a causal convolution keeps the length: pad k - 1 "
                    "values, all on one side.")
        if np.allclose(got, expected, atol=1e-4):
            continue
        future = nnf.conv1d(nnf.pad(torch.from_numpy(x)[None, None], (0, k - 1)),
                            torch.from_numpy(w)[None, None])[0, 0].numpy()
        if np.allclose(got, future, atol=1e-4):
            return "the padding is on the wrong side: output t now sees inputs after t."
        return "output t must be the kernel slid over inputs t - k + 1 .. t, zeros before 0."
    return None


@exercise("2.4")
def _output_padding(answer: object) -> str | None:
    n, k, s, p = EX4["n"], EX4["kernel_size"], EX4["stride"], EX4["padding"]
    if not _whole(answer):
        return "give output_padding as a whole number."
    if answer >= s:
        return "PyTorch accepts output_padding only when it is smaller than the stride."
    small = output_size(n, k, s, p)
    if transposed_output_size(small, k, s, p, int(answer)) == n:
        return None
    return (f"with that value ConvTranspose2d gives "
            f"{transposed_output_size(small, k, s, p, int(answer))}, not {n}.")


def ex5_solutions() -> set[tuple[int, int, int]]:
    """Every (kernel_size, stride, padding) of the ranges that maps EX5_N to EX5_OUT."""
    found = set()
    for k, s, p in itertools.product(EX5_KERNELS, EX5_STRIDES, EX5_PADDINGS):
        if k <= EX5_N + 2 * p and output_size(EX5_N, k, s, p) == EX5_OUT:
            found.add((k, s, p))
    return found


@exercise("2.5")
def _halving_layers(answer: object) -> str | None:
    try:
        got = {tuple(int(v) for v in item) for item in answer}
    except (TypeError, ValueError):
        return "give a set of (kernel_size, stride, padding) tuples."
    if any(len(item) != 3 for item in got):
        return "each entry is a triple: (kernel_size, stride, padding)."
    expected = ex5_solutions()
    if got == expected:
        return None
    wrong = got - expected
    if wrong:
        return (f"{len(wrong)} of your settings do not give {EX5_OUT} outputs from {EX5_N}; "
                "check them with cl.output_size.")
    return (f"all yours are right, but {len(expected - got)} are missing: try every "
            "combination of the three ranges, even kernel sizes included.")
