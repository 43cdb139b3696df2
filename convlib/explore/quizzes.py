"""Each chapter's quick quiz: a few questions, multiple choice and numeric, whose numbers
convlib computes when the quiz is built, so that a question and its answer cannot
disagree with the chapter.

``chapter_quiz(n)`` shows chapter ``n``'s quiz (``convlib.explore.quiz``);
``chapter_questions(n)`` returns its questions.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from IPython.display import HTML
from torch import nn

from ..learn.attacks import fgsm
from ..learn.upsampling import overlap_range
from ..ops.conv import conv1d, conv2d
from ..ops.im2col import im2col
from ..ops.kernels import kernel
from ..ops.matrix import conv_matrix_index
from ..ops.padding import pad
from ..ops.winograd import F2_3
from ..sizes.counts import conv_macs, conv_params
from ..sizes.intensity import attainable, conv_costs, ridge_point
from ..sizes.receptive import receptive_field
from ..sizes.shapes import output_size, same_padding, transposed_output_size
from .quiz import Question, quiz


def _choice(prompt: str, options: list[tuple[str, str]], right: int) -> Question:
    return Question(prompt, right, choices=tuple(options))


def _number(prompt: str, answer: float, feedback: str, otherwise: str,
            mistakes: dict[float, str] | None = None, tolerance: float = 0.0) -> Question:
    return Question(prompt, answer, feedback=feedback, otherwise=otherwise,
                    mistakes=tuple((mistakes or {}).items()), tolerance=tolerance)


def _seq(values: object) -> str:
    """A short sequence of numbers as code: `[1, 2, 3]`."""
    numbers = np.asarray(values, dtype=float).ravel()
    return "`[" + ", ".join(f"{v:g}" for v in numbers) + "]`"


def _one(array: object) -> float:
    return float(np.asarray(array, dtype=float).ravel()[0])


# -- chapter 1: the operation ----------------------------------------------------------

def _chapter1() -> list[Question]:
    n, k = 7, 3
    out = output_size(n, k)
    signal = np.arange(1, 7, dtype=np.float32)
    taps = np.array([1, 0, -1], dtype=np.float32)
    first = _one(conv1d(signal[None, None], taps[None, None])[0, 0])
    flipped = float(np.convolve(signal, taps, mode="valid")[0])
    sharpen = kernel("sharpen")
    patch = np.full((3, 3), 2.0, dtype=np.float32)
    flat = _one(conv2d(patch[None, None], sharpen[None, None]))
    centre = float(sharpen[1, 1] * patch[1, 1])
    total = float(patch.sum())
    side, k_dense = 6, 3
    outputs = output_size(side, k_dense) ** 2
    dense = side * side * outputs
    return [
        _number(
            f"A {k}×{k} kernel slides over a {n}×{n} input, with no padding and stride 1. "
            "How many values does each row of the output hold?",
            out,
            f"The kernel's first weight can stand on columns 0 to $n - k = {n - k}$: "
            f"that is $n - k + 1 = {out}$ positions.",
            "Count the positions where the whole kernel fits: its first weight can stand "
            "on column 0 and on every column up to $n - k$.",
            {n - k: "That is the last column the kernel's first weight can reach; count "
                    "column 0 as well.",
             n: "Keeping the input's size needs padding. Without it the kernel cannot hang "
                "over the edges, so the output is shorter.",
             k: "That is the kernel's size, not the number of places it fits."},
        ),
        _choice(
            "PyTorch's `F.conv2d` slides the kernel over the input without flipping it. "
            "What does it compute?",
            [("True convolution, $x * w$",
              "True convolution flips the kernel (rotates it by 180°) before sliding it. "
              "NumPy's `np.convolve` does that; PyTorch does not."),
             ("Cross-correlation, $x \\star w$",
              "Deep-learning libraries compute cross-correlation and call it convolution. "
              "A network learns whichever kernel it needs, so the missing flip does no harm."),
             ("Convolution for symmetric kernels, cross-correlation for the others",
              "The operation does not depend on the kernel: it is always cross-correlation. "
              "Only the results of the two agree, when the kernel equals its 180° rotation.")],
            right=1,
        ),
        _number(
            "The sequence $1, 2, 3, 4, 5, 6$ is slid over by the kernel $1, 0, -1$ with "
            "`cl.conv1d`, which works like PyTorch. What is the first output value?",
            first,
            f"$1 \\cdot 1 + 2 \\cdot 0 + 3 \\cdot (-1) = {first:g}$: no flip, the first "
            "weight meets the first value.",
            "Multiply the first three values by the three weights, in the same order, and "
            "add the products.",
            {flipped: "That is the true convolution, which reverses the kernel to "
                      "$-1, 0, 1$ first; `cl.conv1d` and PyTorch do not reverse it.",
             float(signal[:3].sum()): "That adds the first three values; each must first "
                                      "be multiplied by its weight: 1, 0 and $-1$."},
        ),
        _choice(
            "The sharpen kernel has 5 in the centre and $-1$ on the four direct "
            "neighbours (0 in the corners). What does it give on a 3×3 patch whose nine "
            "pixels are all 2?",
            [(f"{centre:g}",
              f"That counts only the centre weight, $5 \\cdot 2 = {centre:g}$; the four "
              f"$-1$ weights take {4 * 2} away again."),
             ("0",
              "A kernel whose weights add up to 0, such as an edge detector, gives 0 on a "
              f"flat patch. The sharpen kernel's weights add up to {sharpen.sum():g}."),
             (f"{flat:g}",
              f"Its weights add up to {sharpen.sum():g}, so a flat patch keeps its value: "
              f"$5 \\cdot 2 - 4 \\cdot 2 = {flat:g}$. Only differences between neighbours "
              "are amplified."),
             (f"{total:g}",
              "That is the sum of the nine pixels, what a kernel of nine 1s gives. The "
              "sharpen kernel weighs the corners 0 and the neighbours $-1$.")],
            right=2,
        ),
        _number(
            f"A fully connected layer maps a {side}×{side} input to the "
            f"{output_size(side, k_dense)}×{output_size(side, k_dense)} output that a "
            f"{k_dense}×{k_dense} convolution gives. How many weights does it need (no "
            "biases)?",
            dense,
            f"One weight for every pair of an input pixel and an output value: "
            f"${side * side} \\times {outputs} = {dense}$. The convolution needs "
            f"{k_dense * k_dense}, reused at every position.",
            "A dense layer gives every output its own weight for every input pixel: count "
            "the input pixels, count the output values, and multiply.",
            {k_dense * k_dense: "That is the convolution's count: it reuses its "
                                f"{k_dense * k_dense} weights at every position. A dense "
                                "layer reuses nothing.",
             side * side * k_dense * k_dense: "That gives each input pixel "
                                              f"{k_dense * k_dense} weights, but every "
                                              f"input pixel meets all {outputs} outputs.",
             side * side + outputs: "That adds the two sizes; each pair of an input and "
                                    "an output needs its own weight, so multiply."},
        ),
    ]


# -- chapter 2: padding, stride and dilation -------------------------------------------

def _chapter2() -> list[Question]:
    n, k, s, p = 32, 5, 2, 2
    rows = output_size(n, k, s, p)
    k_d, d = 5, 2
    before, after = same_padding(k_d, d)
    padded = {mode: pad(torch.tensor([[[1.0, 2.0, 3.0]]]), ((2, 2),), mode)[0, 0]
              for mode in ("zeros", "reflect", "replicate", "circular")}
    n_t, a = 14, 1
    up = transposed_output_size(n_t, 3, 2, 1, a)
    span = 2 * (3 - 1) + 1
    assert output_size(span, 3, dilation=2) == 1  # one window of dilation 2 fills the span
    return [
        _number(
            f"A {n}×{n} image goes through a convolution with kernel size {k}, stride {s} "
            f"and padding {p}. How many rows does the output have?",
            rows,
            f"$\\lfloor ({n} + 2 \\cdot {p} - {k})/{s} \\rfloor + 1 = "
            f"\\lfloor {n + 2 * p - k}/{s} \\rfloor + 1 = {rows}$.",
            "Use $\\lfloor (n + 2p - d(k-1) - 1)/s \\rfloor + 1$ with $d = 1$: the kernel "
            "slides over the padded $n + 2p$ values, $s$ at a time.",
            {(n + 2 * p - k) // s: "You left out the $+1$: the floor counts the steps, "
                                   "and the window at position 0 adds one more.",
             output_size(n, k, s): "That leaves out the padding: the kernel slides over "
                                   f"$n + 2p = {n + 2 * p}$ values.",
             output_size(n, k, 1, p): "That is the size at stride 1; stride "
                                      f"{s} keeps about one position in {s}."},
        ),
        _number(
            f"A kernel of size {k_d} with dilation {d} is used with \"same\" padding at "
            "stride 1. How many zeros go on each side?",
            before,
            f"\"Same\" padding adds $d(k-1) = {before + after}$ zeros in all, split evenly "
            f"since the span $d(k-1) + 1 = {before + after + 1}$ is odd: {before} on each "
            "side.",
            "Work out the span of the dilated kernel, $d(k-1) + 1$: the padding must add "
            "one less than the span in all, shared between the two sides.",
            {(k_d - 1) // 2: "That is \"same\" padding for an undilated kernel; dilation "
                             f"{d} spreads the {k_d} weights over {d * (k_d - 1) + 1} "
                             "values.",
             before + after: "That is the total; it is split between the two sides."},
        ),
        _choice(
            f"The sequence `[1, 2, 3]` padded by 2 values on each side reads "
            f"{_seq(padded['replicate'])}. Which padding mode made it?",
            [("zeros", f"Zeros padding adds made-up zeros: {_seq(padded['zeros'])}."),
             ("reflect", "Reflect mirrors the sequence about its edge value, without "
                         f"repeating it: {_seq(padded['reflect'])}."),
             ("replicate", "Replicate repeats the edge value outwards, as here: the 1 and "
                           "the 3 spread into the border."),
             ("circular", "Circular wraps the sequence around, as if its ends touched: "
                          f"{_seq(padded['circular'])}.")],
            right=2,
        ),
        _number(
            "A decoder's `ConvTranspose2d(kernel_size=3, stride=2, padding=1, "
            f"output_padding={a})` receives a {n_t}×{n_t} map. How many rows does its "
            "output have?",
            up,
            f"$(n - 1)s - 2p + d(k-1) + a + 1 = {n_t - 1} \\cdot 2 - 2 + 2 + {a} + 1 = "
            f"{up}$: the size of the input a stride-2 encoder took to {n_t}.",
            "Use the transposed output size, $(n - 1)s - 2p + d(k-1) + a + 1$, where $a$ "
            "is the output padding.",
            {transposed_output_size(n_t, 3, 2, 1, 0): "That is the size without the output "
                                                      "padding, which adds one row at the "
                                                      "end.",
             transposed_output_size(n_t, 3, 2, 0, a): "That leaves out the padding: a "
                                                      "transposed convolution crops $p$ "
                                                      "rows from each end.",
             output_size(n_t, 3, 2, 1): "That is what the direct convolution would give; a "
                                        "transposed convolution makes the map larger."},
        ),
        _choice(
            "What does dilation 2 do to a 3×3 kernel?",
            [("It makes the kernel 6×6, with 36 weights.",
              "Dilation adds no weights: it spaces the same 9 apart."),
             (f"It spreads the same 9 weights over a {span}×{span} area.",
              f"The weights sit 2 pixels apart, so they span $d(k-1) + 1 = {span}$ pixels "
              "with 9 weights: a wider view at the same cost."),
             ("It moves the kernel 2 pixels at a time.",
              "That is stride 2, which skips output positions; dilation changes which "
              "pixels one window reads."),
             ("It adds 2 pixels of padding on each side.",
              "Padding adds made-up pixels around the input; dilation spaces the kernel's "
              "weights.")],
            right=1,
        ),
    ]


# -- chapter 3: channels and filters ---------------------------------------------------

def _chapter3() -> list[Question]:
    params = conv_params(3, 16, 5)
    macs = conv_macs((256, 28, 28), 64, 1)
    depthwise = conv_params(8, 8, 3, groups=8, bias=False)
    return [
        _number(
            "How many parameters does `torch.nn.Conv2d(3, 16, kernel_size=5)` have, biases "
            "included?",
            params,
            f"$16 \\cdot (3 \\cdot 5 \\cdot 5) + 16 = {params:,}$: each of the 16 filters "
            "holds one 5×5 kernel per input channel, and one bias.",
            "Each filter holds one kernel per input channel and one bias; multiply the "
            "weights of one filter by the number of filters and add the biases.",
            {conv_params(3, 16, 5, bias=False): "That leaves out the 16 biases, one per "
                                                "filter.",
             conv_params(1, 16, 5): "That gives each filter a single kernel; it needs one "
                                    "per input channel, 3 here.",
             conv_params(3, 1, 5): "That is one filter; the layer has 16."},
        ),
        _choice(
            "A layer has 32 filters of 3×3×3 and reads a colour (RGB) image. How many "
            "channels does its output have?",
            [("3", "3 is the number of input channels, and of kernels in each filter; "
                   "each filter sums its 3 results into one channel."),
             ("96", "That counts kernels, 32 × 3. A filter's kernels are summed into one "
                    "output channel, not kept apart."),
             ("32", "One output channel per filter: the number of filters is the number of "
                    "output channels."),
             ("1", "One filter gives one channel; 32 filters give 32.")],
            right=2,
        ),
        _number(
            "A 1×1 convolution takes 256 channels of 28×28 to 64 channels. How many "
            "multiply-accumulates does it do on one image?",
            macs,
            f"$64 \\cdot 28 \\cdot 28$ output values, each a dot product through 256 "
            f"channels: {macs:,}.",
            "Count the output values (channels × height × width); each costs one "
            "multiply-add per input channel of its filter.",
            {conv_params(256, 64, 1, bias=False): "That is the number of weights; each is "
                                                  "used once at every one of the "
                                                  f"{28 * 28} positions.",
             conv_macs((256, 28, 28), 64, 3, padding=1): "That is a 3×3 layer's count, "
                                                         "nine times more; a 1×1 kernel "
                                                         "reads one pixel.",
             2 * macs: "That counts FLOPs, two per multiply-accumulate."},
        ),
        _number(
            "How many weights does `Conv2d(8, 8, kernel_size=3, groups=8, bias=False)` "
            "have?",
            depthwise,
            f"With `groups=8` each filter sees one channel: 8 filters of one 3×3 kernel, "
            f"{depthwise} weights, 8 times fewer than without groups.",
            "With `groups=g` each filter has $C_\\text{in}/g$ kernels instead of "
            "$C_\\text{in}$.",
            {conv_params(8, 8, 3, bias=False): "That is the layer without groups; each of "
                                               "its filters would see all 8 channels.",
             9: "That is one filter; there are 8, one per channel.",
             64: "That is one weight per pair of channels, a 1×1 layer without groups."},
        ),
        _choice(
            "What does a 1×1 convolution with fewer filters than input channels do?",
            [("It reduces the number of channels and leaves the height and width alone.",
              "At every pixel it takes dot products through the channels, one per filter: "
              "new channels as mixtures of the old, the image size untouched."),
             ("It shrinks the image by averaging neighbouring pixels.",
              "A 1×1 kernel reads a single pixel, so it cannot combine neighbours."),
             ("It copies the input unchanged.",
              "Only a filter with a single weight of 1 on one channel would copy it; a 1×1 "
              "layer mixes channels."),
             ("It mixes neighbouring pixels within each channel.",
              "That is what a larger kernel does; a 1×1 kernel sees one pixel, all its "
              "channels.")],
            right=0,
        ),
    ]


# -- chapter 4: locality and weight sharing --------------------------------------------

def _chapter4() -> list[Question]:
    index = conv_matrix_index((3, 3), (6, 6))
    held = int((index >= 0).sum())
    rows, columns = index.shape
    stacked = 3 * conv_params(1, 1, 3, bias=False)
    field = receptive_field([(3, 1)] * 3).size
    flat = np.full((1, 1, 5, 5), 0.6, dtype=np.float32)
    sobel = kernel("sobel_x")
    on_flat = round(float(np.abs(conv2d(flat, sobel[None, None])).max()), 6) + 0.0
    return [
        _number(
            "A 3×3 kernel slides over a 6×6 input with stride 1 and no padding. Its "
            "convolution matrix has one row per output value and one column per input "
            "value. How many of its entries hold a kernel weight?",
            held,
            f"{rows} rows, one per output value, each holding all 9 weights: {held} of the "
            f"{index.numel()} entries; the other {index.numel() - held} are fixed at zero.",
            "Count the rows (the output values); each row holds the kernel's 9 weights "
            "at the pixels of its window.",
            {index.numel(): "That counts every entry; most of them are fixed at zero.",
             9: "9 is the number of distinct weights; each row holds all 9 again.",
             rows: f"That is the number of rows; each of the {rows} holds 9 weights.",
             columns: "That is the number of columns, one per input pixel."},
        ),
        _choice(
            "A convolution $f$ with stride 1 is *translation equivariant*. With $T$ a shift "
            "of the image, what does that mean (away from the border)?",
            [("$f(Tx) = f(x)$",
              "That is invariance: the output would not move at all. A classifier wants "
              "it in the end; pooling only approximates it."),
             ("$f(Tx) = T f(x)$",
              "Shift, then convolve, gives the same as convolve, then shift: the same "
              "kernel at every position finds a pattern wherever it is."),
             ("$f(Tx) = T^{-1} f(x)$",
              "The feature map moves the same way as the input, not back.")],
            right=1,
        ),
        _number(
            f"Three stacked 3×3 layers (stride 1) see a {field}×{field} patch, as one 7×7 "
            "kernel does. How many weights do the three layers have per pair of input and "
            "output channels?",
            stacked,
            f"$3 \\times 9 = {stacked}$, against $7 \\times 7 = 49$ for the one large kernel, "
            "with a non-linearity after every layer besides.",
            "Each 3×3 layer has 9 weights per pair of channels; add them up over the "
            "layers.",
            {49: "That is the single 7×7 kernel, the stack's competitor.",
             9: "That is one layer; the stack has three."},
        ),
        _choice(
            "The pixels of every digit are shuffled with one fixed permutation, for "
            "training and test alike. Which network loses its accuracy?",
            [("The dense network (MLP)",
              "Its first layer has one column per pixel; shuffling the pixels only "
              "shuffles the columns, so a shuffled twin computes the same function."),
             ("The CNN",
              "Its 3×3 windows now group pixels that are not neighbours any more: the "
              "locality it relies on is gone, and it falls to about the MLP's level."),
             ("Both, equally",
              "The MLP cannot see the order of the pixels at all, so it has nothing to "
              "lose; only the CNN relies on it."),
             ("Neither",
              "The CNN relies on neighbouring pixels being related; the shuffle breaks "
              "that.")],
            right=1,
        ),
        _number(
            "What is the largest response of the Sobel kernel `sobel_x` on a flat patch "
            "whose pixels are all 0.6?",
            on_flat,
            f"Its weights add up to {sobel.sum():g}, so any flat patch gives exactly 0: an "
            "edge detector answers only where brightness changes.",
            "Add up the kernel's weights, $-1, 0, 1$ in each row with the middle row "
            "doubled, and multiply by the constant pixel value.",
            {0.6: "That is what a kernel whose weights add up to 1 gives; Sobel's add up "
                  "to 0.",
             0.6 * float(np.abs(sobel).sum()): "That adds the weights' sizes; the negative "
                                               "weights cancel the positive ones."},
            tolerance=1e-6,
        ),
    ]


# -- chapter 5: receptive fields -------------------------------------------------------

def _chapter5() -> list[Question]:
    four = receptive_field([(3, 1)] * 4).size
    jump = receptive_field([(3, 2), (2, 2)]).jump
    after_stride = receptive_field([(3, 2), (3, 1)]).size
    after_pool = receptive_field([(2, 2), (3, 1)]).size
    deep = receptive_field([(3, 1)] * 16).size
    return [
        _number(
            "Four 3×3 convolutions with stride 1 are stacked. How wide is the receptive "
            "field of a unit of the fourth layer, in input pixels?",
            four,
            f"Each layer adds $k - 1 = 2$ pixels to the single pixel of the input: "
            f"$1 + 4 \\times 2 = {four}$.",
            "Start from 1 pixel and let each layer add $(k - 1)$ times the jump, which "
            "stays 1 at stride 1.",
            {12: "That adds the kernel sizes; neighbouring windows overlap, so each layer "
                 "adds only $k - 1$.",
             8: "That leaves out the pixel the field starts from: $r = 1 + \\sum (k-1)$."},
        ),
        _number(
            "A 3×3 convolution with stride 2 is followed by a 2×2 max pooling with stride "
            "2. How many input pixels apart are the fields of two neighbouring units after "
            "the pooling (the jump)?",
            jump,
            f"The jump multiplies the strides: $2 \\times 2 = {jump}$.",
            "The jump is the product of the strides of all the layers so far.",
            {2: "That counts one stride; the jump multiplies all of them.",
             3: "The kernel size does not enter the jump, only the strides."},
        ),
        _number(
            "A 3×3 convolution with stride 2 is followed by a 3×3 convolution with stride "
            "1. How wide is the receptive field of a unit of the second layer?",
            after_stride,
            f"The first layer gives $r = 3$ and jump 2; the second adds "
            f"$(3 - 1) \\times 2 = 4$: $r = {after_stride}$, every pixel of it reachable.",
            "Use $r_l = r_{l-1} + (k_l - 1)\\, j_{l-1}$: the second layer's kernel adds "
            "$k - 1$ times the jump the first layer's stride left.",
            {receptive_field([(3, 1), (3, 1)]).size: "That ignores the stride: after it, "
                                                     "neighbouring units are 2 pixels "
                                                     "apart, so the second kernel reaches "
                                                     "twice as far.",
             9: "That would be three 3×3 layers of stride 1 plus one; here the second "
                "kernel adds $2 \\times 2$ to the first one's 3."},
        ),
        _choice(
            "How does the *effective* receptive field of a stack of $n$ 3×3 layers grow "
            "with the depth $n$?",
            [("Like $n$, as fast as the theoretical field",
              f"The theoretical field grows like $n$ ({deep} pixels wide at 16 layers), but "
              "the gradient concentrates in its middle."),
             ("Like $\\sqrt{n}$",
              "The influence is roughly Gaussian, a sum of many small random steps, and its "
              "spread grows like the square root of the depth, far slower than the field."),
             ("Like $2^n$",
              "Only stride or doubling dilations make even the theoretical field grow that "
              "fast."),
             ("It does not grow",
              "It does grow, only much more slowly than the theoretical field.")],
            right=1,
        ),
        _choice(
            "After a 2×2 pooling with stride 2, a map has half the rows and half the "
            "columns. What does the pooled map show?",
            [("The whole image, at half the resolution",
              f"Every pixel of the new map stands for a 2×2 patch: it is resized, not "
              f"cropped, so a 3×3 window after it sees {after_pool}×{after_pool} input "
              "pixels."),
             ("The top-left quarter of the image",
              "Pooling keeps every part of the image; it summarises each 2×2 patch in one "
              "pixel."),
             ("Every other pixel, the others dropped",
              "That would be a 1×1 kernel with stride 2; a 2×2 pooling reads every pixel of "
              "its window.")],
            right=0,
        ),
    ]


# -- chapter 6: kernel variants --------------------------------------------------------

def _chapter6() -> list[Question]:
    standard = conv_params(3, 128, 3, bias=False)
    depthwise = conv_params(3, 3, 3, groups=3, bias=False)
    pointwise = conv_params(3, 128, 1, bias=False)
    full = conv_macs((64, 14, 14), 64, 3, padding=1)
    separable = (conv_macs((64, 14, 14), 64, 3, padding=1, groups=64)
                 + conv_macs((64, 14, 14), 64, 1))
    saving = full / separable
    most = overlap_range(3, 2, dims=2)[1]
    impulse = np.zeros(9, dtype=np.float32)
    impulse[4] = 1
    once = conv1d(impulse[None, None], np.ones((1, 1, 2), dtype=np.float32),
                  padding="same")[0, 0]
    shift = float((once * np.arange(9)).sum() / once.sum()) - 4
    return [
        _number(
            "A 3×3 layer maps 3 channels to 128 (no biases). How many weights does its "
            "depthwise separable replacement have: a 3×3 depthwise step, then a 1×1 step "
            "to 128 channels?",
            depthwise + pointwise,
            f"${depthwise}$ depthwise ($3 \\cdot 3 \\cdot 3$) plus ${pointwise}$ pointwise "
            f"($3 \\cdot 128$): {depthwise + pointwise}, against {standard:,} for the "
            "standard layer.",
            "Add the two steps: one 3×3 kernel per input channel, then one 1×1 filter of "
            "3 weights per output channel.",
            {standard: "That is the standard layer, $3 \\cdot 3 \\cdot 3 \\cdot 128$.",
             depthwise: "That is only the depthwise step; the pointwise step mixes the "
                        "channels with 384 more.",
             pointwise: "That is only the pointwise step; add the 27 depthwise weights."},
        ),
        _number(
            "A 3×3 layer with 64 filters on 64 channels is made depthwise separable. How "
            "many times fewer multiply-adds does it need? (Two decimals.)",
            round(saving, 2),
            f"The ratio is $1/N + 1/k^2 = 1/64 + 1/9$, so about {saving:.2f} times fewer.",
            "The separable layer costs $1/N + 1/k^2$ of the standard one, with $N$ filters "
            "and a $k \\times k$ kernel; take the reciprocal.",
            {9: "That is the limit with very many filters; with 64, the pointwise term "
                "$1/64$ still counts.",
             64: "That would be the saving if the pointwise step were free."},
            tolerance=0.01,
        ),
        _choice(
            "A transposed convolution takes a strided convolution's output back to the "
            "convolution's input size. What does it restore?",
            [("The input exactly: it is the convolution's inverse",
              "A strided convolution throws information away, so nothing can invert it; "
              "the transposed convolution multiplies by $M^\\top$, not $M^{-1}$."),
             ("The shape of the input, not its values",
              "It connects every value to the same positions as the convolution, the other "
              "way round: right shape, different values. \"Deconvolution\" is a misnomer."),
             ("Nothing: it keeps the size of its own input",
              "It makes the map larger: each input value stamps a whole kernel into the "
              "output, `stride` apart.")],
            right=1,
        ),
        _number(
            "A transposed convolution with a 3×3 kernel and stride 2 stamps its kernel "
            "into the output. Away from the borders, how many stamps land on an output "
            "position at most?",
            most,
            f"Along one axis a position gets 1 or 2 stamps, since 2 does not divide 3; in "
            f"two dimensions the counts multiply, up to {most}: the checkerboard.",
            "Count along one axis first ($\\lfloor k/s \\rfloor$ or "
            "$\\lceil k/s \\rceil$), then multiply the counts of the two axes.",
            {2: "That is one axis; in 2-D the counts of the rows and the columns multiply.",
             1: "Neighbouring stamps overlap where the stride is smaller than the kernel."},
        ),
        _choice(
            "An even-sized kernel, 2 wide, is used with \"same\" padding in PyTorch. What "
            "happens to the picture from layer to layer?",
            [("Nothing: \"same\" padding keeps everything in place",
              "It keeps the size, but the padding of 1 cannot be split evenly; the output "
              "is shifted."),
             ("It shifts by half a pixel per layer",
              f"The extra zero goes after the input, so each output sits half a pixel off "
              f"the middle of its window: a shift of {abs(shift):g} pixel per layer, which "
              "adds up."),
             ("It shifts by a whole pixel per layer",
              "The window is 2 wide, so its middle is only half a pixel from either "
              "input.")],
            right=1,
        ),
    ]


# -- chapter 7: adversarial examples ---------------------------------------------------

def _two_class(weights: list[float]) -> nn.Module:
    """A linear model whose class-0 logit is ``weights · x`` and class-1 logit 0."""
    layer = nn.Linear(len(weights), 2, bias=False)
    with torch.no_grad():
        layer.weight.zero_()
        layer.weight[0] = torch.tensor(weights)
    return layer


def _chapter7() -> list[Question]:
    pixel, eps = 0.95, 0.1
    stepped = float(fgsm(_two_class([1.0]), torch.tensor([[pixel]]), torch.tensor([1]),
                         eps)[0, 0])
    weights, budget = [0.5, -1.0, 2.0, -0.25], 0.05
    x = torch.full((1, 4), 0.5)
    moved = fgsm(_two_class(weights), x, torch.tensor([1]), budget)
    rise = round(float((torch.tensor(weights) * (moved - x)).sum()), 6)
    shown = ", ".join(f"{v:g}" for v in weights)
    return [
        _number(
            f"A pixel of value {pixel} has a positive gradient of the loss. What is its "
            f"value after one FGSM step with $\\varepsilon = {eps}$?",
            stepped,
            f"It moves up by $\\varepsilon$, to {pixel + eps:g}, and is clipped to the "
            f"range of images, $[0, 1]$: {stepped:g}.",
            "FGSM moves every pixel by $\\varepsilon$ in the direction of its gradient's "
            "sign, then clips it to $[0, 1]$.",
            {round(pixel + eps, 6): "Right direction, but images stay between 0 and 1: "
                                    "FGSM clips after the step.",
             round(pixel - eps, 6): "That goes down the gradient; an attack goes up the "
                                    "loss."},
            tolerance=1e-6,
        ),
        _number(
            f"A unit computes $w \\cdot x$ with the weights $w = ({shown})$. "
            f"By how much at most can a change of at most $\\varepsilon = {budget}$ per "
            "input raise it (ignore clipping)?",
            rise,
            f"Move each input by $\\varepsilon$ in the direction of its weight's sign: "
            f"every term then adds $\\varepsilon |w_i|$, in all "
            f"$\\varepsilon \\sum_i |w_i| = {rise:g}$.",
            "Choose each input's change so that its term $w_i \\delta_i$ is positive, and as "
            "large as the budget allows.",
            {round(budget * sum(weights), 6): "That moves every input up; the inputs with "
                                              "negative weights must move down.",
             round(budget * max(abs(v) for v in weights), 6): "That changes only the "
                                                              "input with the largest "
                                                              "weight; every input can "
                                                              "move.",
             budget: "That is the change of one input; the unit adds up the changes of "
                     "all of them, each times its weight."},
            tolerance=1e-4,
        ),
        _choice(
            "Measured on one model, FGSM lowers the accuracy more than ten-step PGD at "
            "some budget $\\varepsilon$. What does that suggest?",
            [("The model is robust against PGD",
              "PGD contains FGSM as a special case and searches further; if it does worse, "
              "the search is failing, not the model resisting."),
             ("The attack is broken, or the gradients are masked",
              "A working PGD is at least as strong as FGSM at every budget; a curve that "
              "breaks this check points to obfuscated gradients or a faulty attack."),
             ("FGSM is the stronger attack in general",
              "One big step along the gradient is a special case of PGD's many small ones, "
              "so a working PGD never does worse.")],
            right=1,
        ),
        _choice(
            "What does a *targeted* attack do, compared with an untargeted one?",
            [("It goes down the loss of a chosen wrong class",
              "It picks the class it wants and makes that class win; an untargeted attack "
              "goes up the loss of the true class, and any wrong class will do."),
             ("It changes only the pixels of the object",
              "Both kinds may change every pixel within the budget; targeting is about the "
              "class, not the pixels."),
             ("It is easier, since it knows where to go",
              "It is harder: one particular wrong class must win, not just any.")],
            right=0,
        ),
        _choice(
            "Adversarial examples made on one model are tried on a second model, trained "
            "separately. What happens, typically?",
            [("They have no effect: each model has its own weak spots",
              "They often transfer: models trained on the same data learn similar "
              "directions of weakness."),
             ("Many still fool it, though less than on the first model",
              "They transfer, weakened; so keeping a model's weights secret is no defence."),
             ("They fool it more than the first model",
              "They are made for the first model, and are strongest there.")],
            right=1,
        ),
    ]


# -- chapter 8: how convolutions are computed ------------------------------------------

def _chapter8() -> list[Question]:
    one = conv_macs((16, 8, 8), 32, 3, padding=1)
    batch = 2 * one
    x = torch.zeros(1, 4, 10, 10)
    columns = im2col(pad(x, ((1, 1), (1, 1))), (3, 3))
    copies = columns.numel() / x.numel()
    tile = len(F2_3.BT) ** 2
    direct = 9 * len(F2_3.AT) ** 2
    standard = conv_costs((64, 56, 56), 64, 3, padding=1, batch=8)
    depthwise = conv_costs((64, 56, 56), 64, 3, padding=1, groups=64, batch=8)
    stem = conv_costs((3, 224, 224), 64, 7, stride=2, padding=3, batch=8)
    peak, bandwidth, intensity = 1000e9, 50e9, 4.0
    bound = attainable(intensity, peak, bandwidth) / 1e9
    return [
        _number(
            "A batch of 2 maps of 16 channels, 8×8 each, goes through 32 filters of 3×3 "
            "with \"same\" padding. How many multiply-accumulates does the layer do on the "
            "whole batch?",
            batch,
            f"$N \\cdot C_\\text{{out}} \\cdot H_\\text{{out}} \\cdot W_\\text{{out}} \\cdot "
            f"C_\\text{{in}} \\cdot k_h k_w = 2 \\cdot 32 \\cdot 8 \\cdot 8 \\cdot 16 "
            f"\\cdot 9 = {batch:,}$.",
            "Multiply the seven loop lengths: batch, filters, output rows and columns, "
            "input channels, kernel rows and columns.",
            {one: "That is one image; the batch holds two.",
             2 * batch: "That counts FLOPs, two per multiply-accumulate.",
             2 * 32 * 8 * 8 * 9: "That leaves out the input channels: each output sums "
                                 "over all 16."},
        ),
        _number(
            "A 3×3 layer with stride 1 and \"same\" padding is computed by im2col. How many "
            "times the input's size is its column matrix?",
            copies,
            f"Every window becomes a column of $C \\cdot 3 \\cdot 3$ values, and there is "
            f"one window per input pixel: {copies:g} copies of the input.",
            "Count the columns (one per window) and the values in each (the window's "
            "channels times its $k_h k_w$ pixels); compare with the input's values.",
            {1: "im2col copies each value once for every window that covers it.",
             3: "A 3×3 window covers 9 pixels, so each value is copied into 9 columns."},
        ),
        _number(
            "How many multiplications that involve the data does Winograd's "
            "$F(2 \\times 2, 3 \\times 3)$ need for one 2×2 output tile?",
            tile,
            f"The transformed tile has $4 \\times 4 = {tile}$ values, one multiplication "
            f"each, against ${direct}$ for the direct way: "
            f"{direct / tile:g} times fewer.",
            "The input tile is $(m + 2) \\times (m + 2)$ for an $m \\times m$ output, and "
            "each of its transformed values is multiplied once.",
            {direct: "That is the direct way, 9 multiplications for each of the 4 outputs.",
             4: "That is the one-dimensional $F(2, 3)$; in 2-D the transforms are nested.",
             9: "That is one output the direct way; the tile has four."},
        ),
        _choice(
            "Three layers on a batch of 8: a standard 3×3 layer with 64 channels on "
            "56×56, a depthwise 3×3 layer of the same size, and a 7×7 stride-2 stem on "
            "224×224 colour images. Which is memory-bound on most machines?",
            [("The standard 3×3 layer",
              f"Its arithmetic intensity is about {standard.intensity:.0f} FLOPs per byte, "
              "above the ridge point of today's processors: it is compute-bound."),
             ("The 7×7 stem",
              f"About {stem.intensity:.0f} FLOPs per byte: it reuses each value it loads "
              "many times, so arithmetic limits it."),
             ("The depthwise layer",
              f"About {depthwise.intensity:.1f} FLOPs per byte: each value it reads is used "
              "in only 9 multiply-adds, so memory bandwidth sets its speed, far below the "
              "peak.")],
            right=2,
        ),
        _number(
            f"A machine does at most {peak / 1e9:,.0f} GFLOP/s and moves "
            f"{bandwidth / 1e9:.0f} GB/s. How many GFLOP/s can a layer of arithmetic "
            f"intensity {intensity:g} FLOPs per byte reach, by the roofline?",
            bound,
            f"$\\min(\\text{{peak}}, I \\times \\text{{bandwidth}}) = "
            f"\\min({peak / 1e9:.0f}, {intensity:g} \\times {bandwidth / 1e9:.0f}) = "
            f"{bound:g}$: below the ridge point "
            f"({ridge_point(peak, bandwidth):g} FLOPs per byte), memory sets the limit.",
            "The roofline bound is $\\min(\\text{peak}, I \\times \\text{bandwidth})$.",
            {peak / 1e9: "That is the peak, which only layers above the ridge point can "
                         "approach.",
             ridge_point(peak, bandwidth): "That is the ridge point, an intensity in "
                                           "FLOPs per byte, not a rate."},
        ),
    ]


QUIZZES: dict[int, Callable[[], list[Question]]] = {
    1: _chapter1, 2: _chapter2, 3: _chapter3, 4: _chapter4,
    5: _chapter5, 6: _chapter6, 7: _chapter7, 8: _chapter8,
}


def chapter_questions(n: int) -> list[Question]:
    """The questions of chapter ``n``'s quiz, their numbers computed now."""
    if n not in QUIZZES:
        raise ValueError(f"there is a quiz for chapters {min(QUIZZES)} to {max(QUIZZES)}; "
                         f"got {n!r}")
    return QUIZZES[n]()


def chapter_quiz(n: int) -> HTML:
    """Chapter ``n``'s quick quiz, answered in the page (no kernel needed)."""
    return quiz(chapter_questions(n))
