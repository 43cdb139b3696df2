"""Self-checks for chapter 5, "Receptive fields"."""

import numpy as np
import torch
from torch.nn import functional as nnf

from ..sizes.receptive import receptive_field
from . import exercise

# Exercise 5.1: three 5x5 convolutions, stride 1.
EX1_LAYERS = [(5, 1)] * 3
# Exercise 5.2: ResNet's stem (7x7 stride 2, 3x3 max pooling stride 2), then two 3x3.
EX2_LAYERS = [(7, 2, 1, 3), (3, 2, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1)]
# Exercise 5.4: at most this many 3x3 layers, a field at least this wide, jump 1.
EX4_MAX_LAYERS, EX4_MIN_FIELD = 6, 100
# Exercise 5.5: depth and kernel size of the uniform stack.
EX5_DEPTH, EX5_KERNEL = 4, 5


def _whole(answer: object) -> bool:
    return isinstance(answer, (int, np.integer)) and not isinstance(answer, bool)


@exercise("5.1")
def _three_fives(answer: object) -> str | None:
    if not _whole(answer):
        return "give the field size as a whole number of pixels."
    expected = receptive_field(EX1_LAYERS).size
    if answer == expected:
        return None
    if answer == 5 * len(EX1_LAYERS):
        return ("neighbouring windows overlap: each layer adds k - 1 pixels to the field, "
                "not k.")
    if answer == 5:
        return "that is what one layer sees; the second and third layers widen it."
    return "start from 1 pixel and add k - 1 for every layer (the jump stays 1)."


@exercise("5.2")
def _resnet_stem(answer: object) -> str | None:
    if not (isinstance(answer, tuple) and len(answer) == 2 and all(map(_whole, answer))):
        return "give a pair of whole numbers: (field size, jump)."
    field = receptive_field(EX2_LAYERS)
    size, jump = answer
    if jump != field.jump:
        return "the jump is the product of all the strides so far."
    if size == field.size:
        return None
    if size == 1 + sum(k - 1 for k, *_ in EX2_LAYERS):
        return ("after a stride, one step of the next kernel moves several input pixels: "
                "multiply each k - 1 by the jump before that layer.")
    return "go layer by layer: r = r_prev + (k - 1) * j_prev, then j = j_prev * s."


def _random_stacks() -> list[list[tuple[int, int, int]]]:
    rng = np.random.default_rng(5)
    stacks = [[(3, 1, 1)], [(1, 1, 1)], [(2, 2, 1), (3, 1, 2)]]
    for depth in (1, 2, 3, 5):
        for _ in range(4):
            stacks.append([(int(rng.integers(1, 6)), int(rng.integers(1, 4)),
                            int(rng.integers(1, 4))) for _ in range(depth)])
    return stacks


@exercise("5.3")
def _field_function(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    for stack in _random_stacks():
        expected = receptive_field(stack).size
        got = answer(stack)
        if not _whole(got):
            return f"for {stack} your function returned {got!r}; it should return an int."
        if got != expected:
            if got == receptive_field([(k, s) for k, s, _ in stack]).size:
                return (f"for the layers {stack} the dilation seems ignored: a dilated kernel "
                        "spans d(k - 1) + 1 pixels.")
            return (f"for the layers {stack} the result is off. Keep the jump (product of "
                    "the strides so far) and add (k - 1) times it for each layer.")
    return None


def _contributing(stack: list[tuple[int, int, int]]) -> np.ndarray:
    """Which input pixels of a 1-D field lead to the unit (number of paths)."""
    size = receptive_field(stack).size
    x = torch.zeros(1, 1, size, dtype=torch.float64, requires_grad=True)
    y = x
    for k, s, d in stack:
        y = nnf.conv1d(y, torch.ones(1, 1, k, dtype=torch.float64), stride=s, dilation=d)
    y.sum().backward()
    return x.grad[0, 0].numpy()


@exercise("5.4")
def _design(answer: object) -> str | None:
    if not isinstance(answer, (list, tuple)) or not answer or not all(
            isinstance(t, tuple) and len(t) == 3 and all(map(_whole, t)) for t in answer):
        return "give a list of (kernel_size, stride, dilation) tuples."
    if len(answer) > EX4_MAX_LAYERS:
        return f"use at most {EX4_MAX_LAYERS} layers."
    if any(k != 3 for k, _, _ in answer):
        return "every kernel must be 3 wide."
    if any(s < 1 or d < 1 for _, s, d in answer):
        return "strides and dilations are at least 1."
    field = receptive_field(list(answer))
    if field.jump != 1:
        return ("a stride above 1 lowers the resolution (the jump becomes more than 1); "
                "grow the field without it.")
    if field.size < EX4_MIN_FIELD:
        return (f"the field is {field.size} wide; it must reach {EX4_MIN_FIELD}. Which "
                "setting widens the kernel's reach without a stride?")
    if np.any(_contributing(list(answer)) == 0):
        return ("the field is wide enough but has holes: some input pixels inside it reach "
                "the unit by no path. Make each layer's gaps covered by the layers before.")
    return None


@exercise("5.5")
def _uniform_spread(answer: object) -> str | None:
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.floating)):
        return "give the measured spread as a number of pixels."
    variance = (EX5_KERNEL**2 - 1) / 12  # of one layer's uniform kernel, along an axis
    expected = float(np.sqrt(EX5_DEPTH * variance))
    if abs(answer - expected) < 0.01:
        return None
    three = float(np.sqrt(EX5_DEPTH * 8 / 12))
    if abs(answer - three) < 0.05:
        return f"that is the spread of 3x3 kernels; the exercise uses {EX5_KERNEL}x{EX5_KERNEL}."
    if abs(answer - expected**2) < 0.05:
        return "that looks like a variance; the spread is its square root."
    return ("measure a stack of linear layers whose weights are all equal, and read the "
            "spread with cl.erf_spread.")

