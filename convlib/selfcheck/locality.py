"""Self-checks for chapter 4, "Locality and weight sharing"."""

import numpy as np
import torch
from torch.nn import functional as nnf

from ..ops.kernels import kernel
from ..ops.matrix import conv_matrix_index
from . import exercise

# Exercise 4.1: the matrix of a 3x3 kernel on a 5x5 input (stride 1, no padding).
EX1_INPUT, EX1_KERNEL = 5, 3
# Exercise 4.3: how many stacked 3x3 layers see this many pixels across.
EX3_FIELD, EX3_KERNEL = 11, 3


def _ints(answer: object, count: int) -> tuple[int, ...] | None:
    """``answer`` as a tuple of ``count`` whole numbers, or None."""
    if not isinstance(answer, (tuple, list)) or len(answer) != count:
        return None
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in answer):
        return None
    return tuple(int(v) for v in answer)


@exercise("4.1")
def _matrix_counts(answer: object) -> str | None:
    got = _ints(answer, 3)
    if got is None:
        return "give three whole numbers: (rows, columns, entries that hold a kernel weight)."
    index = conv_matrix_index((EX1_KERNEL, EX1_KERNEL), (EX1_INPUT, EX1_INPUT))
    rows, cols = index.shape
    stored = int((index >= 0).sum())
    if got[1] != cols:
        return "there is one column per input value: count the input's pixels."
    if got[0] != rows:
        return "there is one row per output value: how big is the output of a valid 3x3 slide?"
    if got[2] != stored:
        if got[2] == EX1_KERNEL**2:
            return "that is the number of distinct weights; count every entry that holds one."
        return "every output reads a full window, so each row holds every kernel weight once."
    return None


@exercise("4.2")
def _step_response(answer: object) -> str | None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return "give a pair of numbers: (largest Sobel response, largest Prewitt response)."
    step = torch.zeros(1, 1, 9, 9)
    step[..., 5:] = 1.0  # dark on the left, bright on the right
    expected = [nnf.conv2d(step, torch.from_numpy(kernel(name))[None, None]).max().item()
                for name in ("sobel_x", "prewitt_x")]
    try:
        got = [float(v) for v in answer]
    except (TypeError, ValueError):
        return "give two numbers."
    for value, right, name in zip(got, expected, ("Sobel", "Prewitt"), strict=True):
        if abs(value - right) > 1e-6:
            if abs(value + right) < 1e-6:
                return (f"the {name} value has the wrong sign: the kernel's positive column is on "
                        "the right, where the image is bright.")
            return (f"the {name} value is off. Put the kernel where its right column covers the "
                    "bright side and its left column the dark side, and add up the weights "
                    "over bright pixels.")
    return None


@exercise("4.3")
def _stacking(answer: object) -> str | None:
    got = _ints(answer, 3)
    if got is None:
        return "give three whole numbers: (layers, their weights, weights of one big kernel)."
    layers = (EX3_FIELD - 1) // (EX3_KERNEL - 1)
    if got[0] != layers:
        return "each 3x3 layer widens the view by 2 pixels, starting from 1 pixel."
    if got[1] != layers * EX3_KERNEL**2:
        return "each layer has one 3x3 kernel per channel pair: multiply by the layer count."
    if got[2] != EX3_FIELD**2:
        return "one kernel that sees the same patch has as many weights as the patch has pixels."
    return None


@exercise("4.4")
def _conv1d_matrix(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    rng = np.random.default_rng(4)
    for n, k in ((6, 3), (8, 1), (7, 4), (5, 5)):
        w = rng.standard_normal(k).astype(np.float32)
        x = rng.standard_normal(n).astype(np.float32)
        matrix = np.asarray(answer(w, n), dtype=np.float64)
        if matrix.shape != (n - k + 1, n):
            return (f"for a kernel of size {k} and n = {n} your matrix has shape {matrix.shape}; "
                    "it needs one row per output and one column per input.")
        expected = nnf.conv1d(torch.from_numpy(x)[None, None], torch.from_numpy(w)[None, None])
        if not np.allclose(matrix @ x, expected[0, 0].numpy(), atol=1e-4):
            if np.allclose(matrix[:, ::-1] @ x[::-1], expected[0, 0].numpy()[::-1], atol=1e-4):
                return "the rows look reversed: row 0 is the kernel's first position."
            return ("matrix @ x does not match the convolution: row i should hold the kernel in "
                    "columns i to i + k - 1, in order, and zeros elsewhere.")
    return None


@exercise("4.5")
def _block_permutation(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    for size, block in ((28, 4), (8, 2), (12, 3)):
        p = torch.as_tensor(answer(size, block, 1))
        if p.shape != (size * size,) or not torch.equal(p.sort().values,
                                                        torch.arange(size * size)):
            return (f"for size={size}, block={block} the result must hold each of 0 to "
                    f"{size * size - 1} once: a permutation of the pixels, counted row by row.")
        target_rows, target_cols = torch.arange(size * size).div(size, rounding_mode="floor"), \
            torch.arange(size * size) % size
        source_rows, source_cols = p.div(size, rounding_mode="floor"), p % size
        if not (torch.equal(target_rows // block, source_rows // block)
                and torch.equal(target_cols // block, source_cols // block)):
            return "some pixels leave their block: only shuffle within each block x block tile."
        if torch.equal(p, torch.arange(size * size)):
            return "that is the identity: the pixels have to move within their blocks."
        if torch.equal(p, torch.as_tensor(answer(size, block, 2))):
            return "the seed should change the shuffle: use it to seed your random generator."
    return None
