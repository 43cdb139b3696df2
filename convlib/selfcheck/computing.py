"""Self-checks for chapter 8, "How convolutions are computed"."""

import numpy as np
import torch
from torch.nn import functional as nnf

from ..sizes.counts import conv_macs
from ..sizes.intensity import conv_costs
from ..sizes.shapes import output_size
from . import exercise

# Exercise 8.1: the multiply-accumulates of one layer on a batch.
EX1 = {"batch": 4, "input_shape": (128, 28, 28), "filters": 256, "kernel": 3, "stride": 2,
       "padding": 1}

# Exercise 8.2: the bytes of the im2col matrix of one layer, in float32.
EX2 = {"batch": 16, "input_shape": (128, 28, 28), "filters": 128, "kernel": 3, "stride": 1,
       "padding": 1}

# Exercise 8.3: the arithmetic intensity of a 1x1 (pointwise) layer, in float32.
EX3 = {"batch": 8, "input_shape": (64, 56, 56), "filters": 64, "kernel": 1}


def _number(answer: object) -> bool:
    return isinstance(answer, (int, float, np.integer, np.floating)) \
        and not isinstance(answer, bool)


def ex1_macs() -> int:
    e = EX1
    return e["batch"] * conv_macs(e["input_shape"], e["filters"], e["kernel"], e["stride"],
                                  e["padding"])


@exercise("8.1")
def _macs(answer: object) -> str | None:
    if not _number(answer) or float(answer) != int(answer):
        return "give the count as a whole number."
    expected, e = ex1_macs(), EX1
    answer = int(answer)
    if answer == expected:
        return None
    if answer == 2 * expected:
        return "that is the FLOP count: one multiply-accumulate is two operations."
    if answer * e["batch"] == expected:
        return "the question asks for the whole batch, not one image."
    if answer == expected * e["stride"] ** 2:
        return "with stride 2 the output has half the rows and half the columns."
    if answer * e["input_shape"][0] == expected:
        return "each output value sums over every input channel, not one."
    return "multiply the number of output values (N C_out H_out W_out) by the multiply-adds " \
           "each one costs (C_in k_h k_w)."


def ex2_bytes() -> int:
    e = EX2
    channels, height, width = e["input_shape"]
    out_h = output_size(height, e["kernel"], e["stride"], e["padding"])
    out_w = output_size(width, e["kernel"], e["stride"], e["padding"])
    return channels * e["kernel"] ** 2 * e["batch"] * out_h * out_w * 4


@exercise("8.2")
def _im2col_bytes(answer: object) -> str | None:
    if not _number(answer):
        return "give the size as a number of bytes."
    expected, e = ex2_bytes(), EX2
    if answer == expected:
        return None
    if answer * 4 == expected:
        return "that is the number of numbers; each float32 takes 4 bytes."
    if abs(answer * 2**20 - expected) < 2**20 or abs(answer * 1e6 - expected) < 1e6:
        return "give the size in bytes, not in megabytes."
    if answer * e["kernel"] ** 2 == expected:
        return "that is the input's size: every window copies k_h k_w values per channel."
    if answer * e["batch"] == expected:
        return "the matrix holds the windows of every image of the batch."
    return "the matrix has C k_h k_w rows and one column per window (N H_out W_out)."


def ex3_intensity() -> float:
    e = EX3
    return conv_costs(e["input_shape"], e["filters"], e["kernel"], batch=e["batch"]).intensity


@exercise("8.3")
def _intensity(answer: object) -> str | None:
    if not _number(answer):
        return "give the intensity as a number (FLOPs per byte)."
    expected = ex3_intensity()
    if abs(answer - expected) <= 0.01 * expected:
        return None
    if abs(2 * answer - expected) <= 0.01 * expected:
        return "count FLOPs, two per multiply-accumulate, not multiply-adds."
    e = EX3
    costs = conv_costs(e["input_shape"], e["filters"], e["kernel"], batch=e["batch"])
    numbers = costs.bytes // 4
    if abs(answer - costs.flops / numbers) <= 0.01 * costs.flops / numbers:
        return "divide by bytes, not by numbers: a float32 is 4 bytes."
    if answer > expected * 1.3:
        return "count every byte the layer must move: its input, its weights and its output."
    return "FLOPs (2 per multiply-add) divided by the bytes of input, weights and output."


def _cases(rng: np.random.Generator):
    """(x, w, stride, padding) to try a learner's convolution on."""
    for shape, filters, kernel, stride, padding in (
        ((1, 1, 5, 5), 1, 3, 1, 0), ((2, 3, 7, 6), 4, 3, 1, 1), ((1, 2, 9, 9), 3, 5, 2, 2),
        ((3, 4, 8, 10), 2, (2, 3), 2, 0),
    ):
        kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
        x = torch.from_numpy(rng.standard_normal(shape).astype(np.float32))
        w = torch.from_numpy(rng.standard_normal((filters, shape[1], kh, kw)).astype(np.float32))
        yield x, w, stride, padding


@exercise("8.4")
def _by_unfold(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    for x, w, stride, padding in _cases(np.random.default_rng(84)):
        expected = nnf.conv2d(x, w, stride=stride, padding=padding)
        got = torch.as_tensor(answer(x, w, stride, padding)).float()
        if got.shape != expected.shape:
            return (f"for x of shape {tuple(x.shape)}, weight {tuple(w.shape)}, stride "
                    f"{stride}, padding {padding} your function returned shape "
                    f"{tuple(got.shape)}, not {tuple(expected.shape)}: reshape the product "
                    "to (N, C_out, H_out, W_out).")
        if torch.allclose(got, expected, atol=1e-4):
            continue
        flipped = nnf.conv2d(x, w.flip(-1, -2), stride=stride, padding=padding)
        if torch.allclose(got, flipped, atol=1e-4):
            return "the kernel is flipped: deep learning's convolution is a cross-correlation."
        return (f"wrong values for x of shape {tuple(x.shape)}, stride {stride}, padding "
                f"{padding}: pass kernel size, stride and padding to F.unfold, and multiply "
                "the weight reshaped to (C_out, C_in k_h k_w) by the columns.")
    return None


@exercise("8.5")
def _winograd_2d(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    rng = np.random.default_rng(85)
    for size in ((4, 4), (6, 8), (10, 6)):
        image = rng.standard_normal(size)
        kernel = rng.standard_normal((3, 3))
        expected = nnf.conv2d(torch.from_numpy(image)[None, None],
                              torch.from_numpy(kernel)[None, None])[0, 0].numpy()
        got = np.asarray(answer(image, kernel), dtype=np.float64)
        if got.shape != expected.shape:
            return (f"for a {size[0]}x{size[1]} image your function returned shape "
                    f"{got.shape}, not {expected.shape}: a 3x3 kernel gives H - 2 rows and "
                    "W - 2 columns, in 2x2 tiles whose input tiles are 4x4, 2 apart.")
        if np.allclose(got, expected, atol=1e-8):
            continue
        flipped = nnf.conv2d(torch.from_numpy(image)[None, None],
                             torch.from_numpy(kernel[::-1, ::-1].copy())[None, None])[0, 0]
        if np.allclose(got, flipped.numpy(), atol=1e-8):
            return "the kernel is flipped: F(2x2, 3x3) as in cl.F2_3 is a cross-correlation."
        if np.allclose(got[:2, :2], expected[:2, :2], atol=1e-8):
            return "the first tile is right, later ones are not: tile (i, j) starts at " \
                   "input row 2i, column 2j, and its output goes to rows 2i, 2i + 1."
        return "each tile is Y = A^T [(G g G^T) * (B^T d B)] A, with d the 4x4 input tile."
    return None
