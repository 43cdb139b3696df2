"""Self-checks for chapter 1, "The operation"."""

import numpy as np
import torch

from ..ops.conv import conv2d
from . import exercise

# Exercise 1.1: the output of this input and kernel, computed by hand.
EX1_INPUT = np.array([[1, 0, 2, 1], [0, 1, 3, 0], [2, 1, 0, 1], [1, 0, 1, 2]], dtype=np.float32)
EX1_KERNEL = np.array([[1, 0], [0, -1]], dtype=np.float32)

# Exercise 1.2: the output length of a plain slide.
EX2_LENGTH, EX2_KERNEL = 100, 7


def _as_array(answer: object) -> np.ndarray | None:
    try:
        return np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None


@exercise("1.1")
def _hand_computed(answer: object) -> str | None:
    expected = conv2d(EX1_INPUT[None, None], EX1_KERNEL[None, None])[0, 0]
    got = _as_array(answer)
    if got is None or got.ndim != 2:
        return "give the output as a 2-D list of lists (rows of numbers)."
    if got.shape != expected.shape:
        return (f"your answer has shape {got.shape}. A kernel of size k fits n - k + 1 times "
                "along an axis of size n; count the positions in each direction.")
    wrong = np.argwhere(~np.isclose(got, expected))
    if len(wrong) == 0:
        return None
    if np.allclose(got, expected[::-1, ::-1]) or np.allclose(got, -expected):
        return "the layout looks flipped or negated: slide left to right, top to bottom."
    i, j = wrong[0]
    return (f"{len(wrong)} of {expected.size} values differ, the first at row {i}, column {j}. "
            f"Put the kernel's top-left weight on input pixel ({i}, {j}), multiply the "
            "4 overlapping pairs and add them.")


@exercise("1.2")
def _output_length(answer: object) -> str | None:
    if not isinstance(answer, (int, np.integer)) or isinstance(answer, bool):
        return "give the length as a whole number."
    expected = EX2_LENGTH - EX2_KERNEL + 1
    if answer == expected:
        return None
    if answer == EX2_LENGTH - EX2_KERNEL:
        return "off by one: the kernel's first position counts too."
    return "count where the kernel's first weight can stand so that the whole kernel still fits."


def _flip(kernel: torch.Tensor) -> torch.Tensor:
    return torch.flip(kernel, dims=(-2, -1))


@exercise("1.3")
def _true_convolution(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    rng = np.random.default_rng(3)
    for shape, k in (((6, 7), 3), ((5, 5), 2), ((8, 4), 3)):
        image = rng.standard_normal(shape).astype(np.float32)
        kernel = rng.standard_normal((k, k)).astype(np.float32)
        got = _as_array(answer(image, kernel))
        x, w = torch.from_numpy(image)[None, None], torch.from_numpy(kernel)[None, None]
        expected = conv2d(x, _flip(w))[0, 0].numpy()
        correlation = conv2d(x, w)[0, 0].numpy()
        if got is None or got.shape != expected.shape:
            shape_got = None if got is None else got.shape
            return (f"for a {shape} image and a {k}x{k} kernel your function returned shape "
                    f"{shape_got}; a valid slide gives (n - k + 1) per axis.")
        if np.allclose(got, expected, atol=1e-4):
            continue
        if np.allclose(got, correlation, atol=1e-4):
            return "that is the cross-correlation: flip the kernel along both axes first."
        return "the values are off: flip the kernel upside down and left to right, then slide."
    return None


@exercise("1.4")
def _vertical_edges(answer: object) -> str | None:
    kernel = _as_array(answer)
    if kernel is None or kernel.shape != (3, 3):
        return "give a 3x3 kernel (a list of three rows of three numbers)."
    w = torch.tensor(kernel, dtype=torch.float32)[None, None]
    flat = torch.full((1, 1, 7, 7), 0.6)
    step = torch.zeros(1, 1, 7, 7)
    step[..., 4:] = 1.0  # dark on the left, bright on the right
    rows = torch.zeros(1, 1, 7, 7)
    rows[..., 4:, :] = 1.0  # a horizontal edge
    if conv2d(flat, w).abs().max() > 1e-4:
        return "on a flat image the response should be zero: make the weights add up to 0."
    if conv2d(rows, w).abs().max() > 1e-4:
        return "it also responds to horizontal edges: make every column of the kernel equal."
    response = conv2d(step, w)[0, 0]
    if response.max() <= 1e-4:
        return ("a dark-to-bright step from left to right should give a positive response: "
                "put negative weights on the left, positive on the right.")
    if response.min() < -1e-4:
        return "the response should never be negative on a single dark-to-bright step."
    return None


@exercise("1.5")
def _parameter_economy(answer: object) -> str | None:
    if not (isinstance(answer, tuple) and len(answer) == 2):
        return "give a pair: (weights of the dense layer, weights of the convolution)."
    dense, conv = answer
    size_in, k = 28, 3
    size_out = size_in - k + 1
    if dense != (size_in**2) * (size_out**2):
        if dense == size_in**2 * size_out:
            return "a dense layer joins every input pixel to every output pixel, not to a row."
        return (f"the dense layer has one weight per (input pixel, output pixel) pair; the "
                f"output is {size_out}x{size_out}.")
    if conv != k * k:
        return "a convolution reuses one kernel at every position: count the kernel's weights."
    return None
