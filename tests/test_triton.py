"""The Triton kernel agrees with PyTorch: on CPU tensors through Triton's interpreter
(so the examples are few and small), or on CUDA tensors where the kernel is compiled
(TF32 off for the reference); and without Triton, or with a compiled kernel given
CPU tensors, the method says what to do."""

import os
import sys

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_conv_against_torch import CONV, TOLERANCE, assert_close, conv_cases
from torch.nn import functional as nnf

import convlib
from convlib.bench import full_float32
from convlib.ops import triton_kernel
from convlib.ops.triton_kernel import TRITON_VERSION, conv2d_triton

pytest.importorskip("triton", reason=f"needs Triton: pip install triton=={TRITON_VERSION}")
_, INTERPRETED = triton_kernel.load_kernel()
DEVICE = "cpu" if INTERPRETED else "cuda"  # where the kernel runs

DTYPES = pytest.mark.parametrize("dtype", [torch.float32, torch.float64],
                                 ids=["float32", "float64"])


@pytest.fixture(scope="module", autouse=True)
def registered():
    """The Triton method in convlib's METHODS, as if registered in convlib/ops/conv.py;
    on a GPU, PyTorch's reference in full float32 as the kernel's."""
    with pytest.MonkeyPatch.context() as mp, full_float32():
        mp.setitem(convlib.ops.conv.METHODS, "triton", conv2d_triton)
        yield


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU compiles the kernel instead")
def test_cpu_machine_runs_the_interpreter():
    assert os.environ.get("TRITON_INTERPRET") == "1"
    _, interpreted = triton_kernel.load_kernel()
    assert interpreted


@pytest.mark.parametrize("dims", [1, 2], ids=["conv1d", "conv2d"])
@DTYPES
@settings(max_examples=20)
@given(data=st.data())
def test_agrees_with_torch(torch_conv, dims, dtype, data):
    case = data.draw(conv_cases(dims), label="case")
    x, w, b = case.tensors(dtype, DEVICE)
    expected = torch_conv(x, w, b, *case.args(), case.padding_mode)
    got = CONV[dims](x, w, b, *case.args(), padding_mode=case.padding_mode, method="triton")
    assert_close(got, expected, TOLERANCE[dtype])


# Shapes that span several programs in every direction of the grid: more output pixels
# than BLOCK_M, more filters than BLOCK_N, a depth of several BLOCK_K steps, groups.
@pytest.mark.parametrize("shape, kernel, stride, padding, dilation, groups", [
    ((2, 6, 11, 9), (70, 3, 3, 2), (2, 1), 1, (1, 2), 2),
    ((1, 20, 9, 10), (5, 20, 2, 3), 1, (0, 2), 1, 1),
    ((3, 4, 8, 8), (8, 1, 3, 3), 1, 1, 1, 4),
])
def test_tiles_across_the_grid(shape, kernel, stride, padding, dilation, groups):
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(shape, generator=gen, dtype=torch.float64).to(DEVICE)
    w = torch.randn(kernel, generator=gen, dtype=torch.float64).to(DEVICE)
    expected = nnf.conv2d(x, w, None, stride, padding, dilation, groups)
    got = convlib.conv2d(x, w, None, stride, padding, dilation, groups, method="triton")
    assert_close(got, expected, 1e-10)


@pytest.mark.skipif(not INTERPRETED, reason="NumPy arrays are CPU tensors: interpreted only")
def test_numpy_in_numpy_out_and_empty_batch():
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 7)).astype(np.float32)
    w = np.random.default_rng(1).standard_normal((4, 3, 3, 3)).astype(np.float32)
    got = convlib.conv2d(x, w, padding=1, method="triton")
    assert isinstance(got, np.ndarray) and got.dtype == np.float32
    expected = nnf.conv2d(torch.from_numpy(x), torch.from_numpy(w), padding=1).numpy()
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-4)
    empty = convlib.conv2d(torch.randn(0, 3, 6, 7), torch.from_numpy(w), method="triton")
    assert empty.shape == (0, 4, 4, 5)


def test_missing_triton_names_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "triton", None)  # `import triton` now fails
    monkeypatch.setitem(sys.modules, "triton.language", None)
    triton_kernel.load_kernel.cache_clear()
    try:
        with pytest.raises(ImportError, match=rf"pip install triton=={TRITON_VERSION}"):
            convlib.conv2d(torch.randn(1, 1, 5, 5), torch.randn(1, 1, 3, 3), method="triton")
    finally:
        triton_kernel.load_kernel.cache_clear()


def test_compiled_kernel_refuses_cpu_tensors(monkeypatch):
    kernel, _ = triton_kernel.load_kernel()
    monkeypatch.setattr(triton_kernel, "load_kernel", lambda: (kernel, False))  # as on a GPU
    with pytest.raises(ValueError, match="TRITON_INTERPRET=1"):
        convlib.conv2d(torch.randn(1, 1, 5, 5), torch.randn(1, 1, 3, 3), method="triton")
