"""The fast methods (FFT, shift-and-add taps, blocked im2col) agree with PyTorch through
convlib.conv1d and conv2d: every padding mode (convlib's own padding runs first),
stride, dilation and groups, float32 and float64, NumPy in and out.

The methods are registered into convlib's METHODS for these tests only (a fixture),
and run again with tiny chunk sizes so that their block-by-block paths are checked.
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_conv_against_torch import CONV, TOLERANCE, assert_close, conv_cases
from torch.nn import functional as nnf

import convlib
from convlib.ops import blocked, fft, taps

NEW = {"fft": fft.conv2d_fft, "taps": taps.conv2d_taps, "blocked": blocked.conv2d_blocked}
BY_METHOD = pytest.mark.parametrize("method", tuple(NEW))
DTYPES = pytest.mark.parametrize("dtype", [torch.float32, torch.float64],
                                 ids=["float32", "float64"])
BY_DIMS = pytest.mark.parametrize("dims", [1, 2], ids=["conv1d", "conv2d"])
# The module and chunk-size constant of each method that works block by block.
CHUNKED = {"fft": (fft, "CHUNK_BYTES"), "taps": (taps, "CHUNK_BYTES"),
           "blocked": (blocked, "BLOCK_BYTES")}


@pytest.fixture(scope="module", autouse=True)
def registered():
    """The new methods in convlib's METHODS, as if registered in convlib/ops/conv.py."""
    with pytest.MonkeyPatch.context() as mp:
        for name, method in NEW.items():
            mp.setitem(convlib.ops.conv.METHODS, name, method)
        yield


@BY_DIMS
@DTYPES
@BY_METHOD
@settings(max_examples=40)
@given(data=st.data())
def test_agrees_with_torch(torch_conv, dims, dtype, method, data):
    case = data.draw(conv_cases(dims), label="case")
    x, w, b = case.tensors(dtype)
    expected = torch_conv(x, w, b, *case.args(), case.padding_mode)
    got = CONV[dims](x, w, b, *case.args(), padding_mode=case.padding_mode, method=method)
    assert_close(got, expected, TOLERANCE[dtype])


@BY_METHOD
@settings(max_examples=30)
@given(data=st.data())
def test_agrees_with_torch_block_by_block(torch_conv, method, data):
    """With chunks of a few bytes, every image, row band or frequency row is a block."""
    case = data.draw(conv_cases(2), label="case")
    x, w, b = case.tensors(torch.float64)
    expected = torch_conv(x, w, b, *case.args(), case.padding_mode)
    module, constant = CHUNKED[method]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(module, constant, 1)
        got = convlib.conv2d(x, w, b, *case.args(), padding_mode=case.padding_mode,
                             method=method)
    assert_close(got, expected, TOLERANCE[torch.float64])


@DTYPES
@BY_METHOD
@settings(max_examples=15)
@given(data=st.data())
def test_numpy_in_numpy_out(dtype, method, data):
    case = data.draw(conv_cases(2), label="case")
    x, w, b = case.tensors(dtype)
    kwargs = {"padding_mode": case.padding_mode, "method": method}
    from_torch = convlib.conv2d(x, w, b, *case.args(), **kwargs)
    got = convlib.conv2d(x.numpy(), w.numpy(), None if b is None else b.numpy(),
                         *case.args(), **kwargs)
    assert isinstance(got, np.ndarray)
    assert got.dtype == x.numpy().dtype
    np.testing.assert_array_equal(got, from_torch.numpy())


# Larger layers than the property tests draw: a big kernel (the FFT's case), a size
# with a large prime factor (the FFT pads it to a fast length), strides with phases of
# unequal sizes (taps), and depthwise with several filters per channel.
LAYERS = [
    # (x shape, weight shape, stride, padding, dilation, groups)
    ((2, 3, 37, 41), (5, 3, 11, 9), (3, 2), (4, 0), (2, 1), 1),
    ((1, 4, 53, 29), (4, 2, 7, 7), 2, 3, 1, 2),
    ((3, 6, 31, 31), (12, 1, 3, 5), (2, 3), (1, 2), (3, 2), 6),
    ((2, 8, 20, 17), (8, 8, 3, 3), 1, 1, 1, 1),
]


@DTYPES
@BY_METHOD
@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: "x".join(map(str, layer[1])))
def test_larger_layers(dtype, method, layer):
    shape, kernel, stride, padding, dilation, groups = layer
    gen = torch.Generator().manual_seed(sum(shape))
    x = torch.randn(shape, generator=gen, dtype=dtype)
    w = torch.randn(kernel, generator=gen, dtype=dtype)
    expected = nnf.conv2d(x, w, None, stride, padding, dilation, groups)
    got = convlib.conv2d(x, w, None, stride, padding, dilation, groups, method=method)
    assert_close(got, expected, {torch.float32: 1e-3, torch.float64: 1e-10}[dtype])


@BY_DIMS
@BY_METHOD
def test_empty_batch(torch_conv, dims, method):
    x = torch.randn(0, 2, *(6,) * dims)
    w = torch.randn(4, 2, *(3,) * dims)
    assert_close(CONV[dims](x, w, padding=1, method=method), torch_conv(x, w, padding=1), 0)


def test_fast_fft_lengths():
    for n in (1, 2, 7, 11, 29, 58, 97, 224, 230):
        m = fft._fast_size(n)
        assert m >= n
        assert _smooth(m), f"{m} has a prime factor above 5"
        assert all(not _smooth(j) for j in range(n, m)), f"a smaller fast length than {m}"


def _smooth(j: int) -> bool:
    """Whether j has no prime factor above 5."""
    for p in (2, 3, 5):
        while j % p == 0:
            j //= p
    return j == 1
