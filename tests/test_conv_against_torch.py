"""convlib's conv1d and conv2d, by every method, agree with PyTorch.

The property tests draw only combinations PyTorch accepts: groups dividing both
channel counts, a (dilated) kernel that fits the padded input, reflect padding
smaller than the input and circular padding no larger. The reference is the
``torch_conv`` fixture of conftest.py.
"""

from typing import NamedTuple

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as nnf

import convlib

CONV = {1: convlib.conv1d, 2: convlib.conv2d}
METHODS = convlib.GENERAL_METHODS
TOLERANCE = {torch.float32: 1e-4, torch.float64: 1e-10}
DTYPES = pytest.mark.parametrize("dtype", [torch.float32, torch.float64],
                                 ids=["float32", "float64"])
BY_METHOD = pytest.mark.parametrize("method", METHODS)
BY_DIMS = pytest.mark.parametrize("dims", [1, 2], ids=["conv1d", "conv2d"])


class Case(NamedTuple):
    """One convolution's shapes and arguments; the values come from ``seed``."""

    batch: int | None  # None: unbatched input
    in_channels: int
    out_channels: int
    groups: int
    size: tuple[int, ...]
    kernel: tuple[int, ...]
    stride: int | tuple[int, ...]
    padding: int | str | tuple
    dilation: int | tuple[int, ...]
    bias: bool
    padding_mode: str
    seed: int

    def tensors(self, dtype=torch.float32, device="cpu"):
        gen = torch.Generator().manual_seed(self.seed)
        lead = () if self.batch is None else (self.batch,)
        x = torch.randn(*lead, self.in_channels, *self.size, generator=gen, dtype=dtype)
        w = torch.randn(self.out_channels, self.in_channels // self.groups, *self.kernel,
                        generator=gen, dtype=dtype)
        b = torch.randn(self.out_channels, generator=gen, dtype=dtype) if self.bias else None
        return tuple(None if t is None else t.to(device) for t in (x, w, b))

    def args(self):
        return self.stride, self.padding, self.dilation, self.groups


def _pad_limit(n: int, mode: str) -> int:
    """The most padding PyTorch allows on one side of an axis of size ``n`` (capped at 3)."""
    return min(3, {"reflect": n - 1, "circular": n}.get(mode, 3))


def _per_axis(draw, values, dims):
    """An int for every axis, or a tuple with one per axis; returns (argument, per-axis)."""
    if draw(st.booleans()):
        v = draw(values)
        return v, (v,) * dims
    vs = tuple(draw(values) for _ in range(dims))
    return vs, vs


@st.composite
def conv_cases(draw, dims: int) -> Case:
    mode = draw(st.sampled_from(convlib.PADDING_MODES))
    form = draw(st.sampled_from(["int", "tuple", "pairs", "same", "same", "valid"]))
    size = tuple(draw(st.integers(1, 9)) for _ in range(dims))
    limits = [_pad_limit(n, mode) for n in size]

    if form == "same":  # 'same' is for stride 1 only
        stride = draw(st.sampled_from([1, (1,) * dims]))
    else:
        stride, _ = _per_axis(draw, st.integers(1, 3), dims)
    dilation, dilations = _per_axis(draw, st.integers(1, 3), dims)

    if form == "int":
        padding = draw(st.integers(0, min(limits)))
        pairs = [(padding, padding)] * dims
    elif form == "tuple":
        padding = tuple(draw(st.integers(0, lim)) for lim in limits)
        pairs = [(p, p) for p in padding]
    elif form == "pairs":  # convlib's extension: (before, after) per axis, or an int
        entries, pairs = [], []
        for lim in limits:
            before, after = draw(st.integers(0, lim)), draw(st.integers(0, lim))
            if before == after and draw(st.booleans()):
                entries.append(before)
            else:
                entries.append((before, after))
            pairs.append((before, after))
        padding = tuple(entries)
    else:
        padding = form
        pairs = [(0, 0)] * dims

    kernel = []
    for n, lim, d, (before, after) in zip(size, limits, dilations, pairs, strict=True):
        if form == "same":
            # 'same' pads ceil(d(k-1)/2) after: it must stay within the mode's limit
            most = 5 if mode in ("zeros", "replicate") else (2 * lim) // d + 1
        else:
            most = (n + before + after - 1) // d + 1  # the span d(k-1)+1 fits
        most = max(1, min(5, most))
        kernel.append(draw(st.just(most) | st.integers(1, most)))  # often the largest that fits

    layout = draw(st.sampled_from(["dense", "grouped", "depthwise"]))
    if layout == "dense":
        groups = 1
    elif layout == "grouped":
        groups = draw(st.integers(2, 3))
    else:  # one channel per group: each filter sees one input channel
        groups = draw(st.integers(1, 6))
    in_channels = groups * (1 if layout == "depthwise" else draw(st.integers(1, 6 // groups)))
    out_channels = groups * draw(st.integers(1, 6 // groups))
    return Case(
        batch=draw(st.sampled_from([None, 1, 2])),
        in_channels=in_channels, out_channels=out_channels, groups=groups,
        size=size, kernel=tuple(kernel), stride=stride, padding=padding, dilation=dilation,
        bias=draw(st.booleans()), padding_mode=mode, seed=draw(st.integers(0, 2**32 - 1)),
    )


def assert_close(got: torch.Tensor, expected: torch.Tensor, tol: float) -> None:
    assert isinstance(got, torch.Tensor)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype
    assert got.device == expected.device
    err = (got - expected).abs().max().item() if got.numel() else 0.0
    assert err <= tol, f"max abs error {err:.3g} > {tol:g}"


@BY_DIMS
@DTYPES
@BY_METHOD
@settings(max_examples=70)
@given(data=st.data())
def test_agrees_with_torch(torch_conv, dims, dtype, method, data):
    case = data.draw(conv_cases(dims), label="case")
    x, w, b = case.tensors(dtype)
    expected = torch_conv(x, w, b, *case.args(), case.padding_mode)
    got = CONV[dims](x, w, b, *case.args(), padding_mode=case.padding_mode, method=method)
    assert_close(got, expected, TOLERANCE[dtype])


@BY_DIMS
@DTYPES
@BY_METHOD
@settings(max_examples=25)
@given(data=st.data())
def test_numpy_in_numpy_out(dims, dtype, method, data):
    case = data.draw(conv_cases(dims), label="case")
    x, w, b = case.tensors(dtype)
    kwargs = {"padding_mode": case.padding_mode, "method": method}
    from_torch = CONV[dims](x, w, b, *case.args(), **kwargs)
    got = CONV[dims](x.numpy(), w.numpy(), None if b is None else b.numpy(), *case.args(),
                     **kwargs)
    assert isinstance(got, np.ndarray)
    assert got.dtype == x.numpy().dtype
    np.testing.assert_array_equal(got, from_torch.numpy())


def exact(got: np.ndarray, expected: object, method: str) -> None:
    """Whole numbers come out exact from the direct methods; the FFT's transforms round
    them to within float32's precision."""
    if method == "fft":
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-4)
    else:
        np.testing.assert_array_equal(got, expected)


@BY_METHOD
def test_torch_out_on_input_device_and_numpy_layouts(method):
    """Non-contiguous and reversed NumPy arrays are read by value, not by memory."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 9, 3, 8)).astype(np.float32).transpose(0, 2, 1, 3)[:, :, ::-1]
    w = rng.standard_normal((4, 3, 3, 2)).astype(np.float32)[:, :, :, ::-1]
    assert not x.flags.c_contiguous and not w.flags.c_contiguous
    expected = nnf.conv2d(torch.tensor(x.copy()), torch.tensor(w.copy()), padding=1)
    got = convlib.conv2d(x, w, padding=1, method=method)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32
    np.testing.assert_allclose(got, expected.numpy(), rtol=0, atol=1e-4)

    xt, wt = torch.tensor(x.copy()), torch.tensor(w.copy())
    out = convlib.conv2d(xt, wt, padding=1, method=method)
    assert isinstance(out, torch.Tensor) and out.device == xt.device


@BY_METHOD
def test_module_parameters_as_weights(method):
    """An nn.Conv2d's weight and bias (nn.Parameter, a torch.Tensor subclass) are accepted."""
    torch.manual_seed(0)
    layer = torch.nn.Conv2d(3, 4, 3, padding=1, padding_mode="circular")
    x = torch.randn(2, 3, 6, 5)
    got = convlib.conv2d(x, layer.weight, layer.bias, padding=1, padding_mode="circular",
                         method=method)
    assert_close(got, layer(x), 1e-4)


@BY_DIMS
@BY_METHOD
def test_empty_batch(torch_conv, dims, method):
    x = torch.randn(0, 2, *(6,) * dims)
    w = torch.randn(4, 2, *(3,) * dims)
    assert_close(CONV[dims](x, w, padding=1, method=method), torch_conv(x, w, padding=1), 0)


@pytest.mark.parametrize("mode", convlib.PADDING_MODES)
@settings(max_examples=60)
@given(data=st.data())
def test_pad_agrees_with_torch_pad(mode, data):
    dims = data.draw(st.sampled_from([1, 2]), label="dims")
    size = tuple(data.draw(st.integers(1, 7)) for _ in range(dims))
    pads = tuple((data.draw(st.integers(0, _pad_limit(n, mode))),
                  data.draw(st.integers(0, _pad_limit(n, mode)))) for n in size)
    x = torch.randn(2, 3, *size, generator=torch.Generator().manual_seed(len(size)))
    flat = [v for pair in reversed(pads) for v in pair]
    expected = nnf.pad(x, flat, mode="constant" if mode == "zeros" else mode)
    torch.testing.assert_close(convlib.pad(x, pads, mode), expected, rtol=0, atol=0)


@settings(max_examples=60)
@given(data=st.data())
def test_im2col_agrees_with_torch_unfold(data):
    h, w = data.draw(st.integers(1, 9)), data.draw(st.integers(1, 9))
    dil = (data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)))
    kernel = (data.draw(st.integers(1, (h - 1) // dil[0] + 1)),
              data.draw(st.integers(1, (w - 1) // dil[1] + 1)))
    stride = (data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)))
    x = torch.randn(2, 3, h, w, generator=torch.Generator().manual_seed(h * 10 + w))
    expected = nnf.unfold(x, kernel, dilation=dil, stride=stride)
    torch.testing.assert_close(convlib.im2col(x, kernel, stride, dil), expected, rtol=0, atol=0)


# The worked examples of the book's syllabus. Each is checked against PyTorch and
# against the values the syllabus gives.

SYLLABUS_IMAGE = [[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
                  [2, 0, 0, 0, 1]]
SYLLABUS_KERNEL = [[0, 1, 2], [2, 2, 0], [0, 1, 2]]


@BY_METHOD
def test_syllabus_2d_example(method):
    x = np.array(SYLLABUS_IMAGE, dtype=np.float32)[None, None]
    w = np.array(SYLLABUS_KERNEL, dtype=np.float32)[None, None]
    got = convlib.conv2d(x, w, method=method)
    np.testing.assert_allclose(got, nnf.conv2d(torch.tensor(x), torch.tensor(w)).numpy(),
                               rtol=0, atol=1e-4)
    exact(got[0, 0], [[12, 12, 17], [10, 17, 19], [9, 6, 14]], method)


SYLLABUS_1D = [
    # (kernel size, stride, padding, dilation, output)
    (1, 1, 0, 1, [2, 4, 6, 8, 10, 12]),
    (2, 1, 0, 1, [6, 10, 14, 18, 22]),
    (3, 1, 0, 1, [12, 18, 24, 30]),
    (3, 1, 1, 1, [6, 12, 18, 24, 30, 22]),
    (5, 1, 2, 1, [12, 20, 30, 40, 36, 30]),
    (3, 3, 0, 1, [12, 30]),
    (3, 1, 0, 2, [18, 24]),
]


@BY_METHOD
@pytest.mark.parametrize("k, stride, padding, dilation, expected", SYLLABUS_1D)
def test_syllabus_1d_examples(method, k, stride, padding, dilation, expected):
    x = np.arange(1, 7, dtype=np.float32)[None, None]
    w = np.full((1, 1, k), 2, dtype=np.float32)
    got = convlib.conv1d(x, w, stride=stride, padding=padding, dilation=dilation,
                         method=method)
    reference = nnf.conv1d(torch.tensor(x), torch.tensor(w), stride=stride, padding=padding,
                         dilation=dilation)
    np.testing.assert_allclose(got, reference.numpy())
    exact(got[0, 0], expected, method)
