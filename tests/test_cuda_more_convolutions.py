"""conv3d, the transposed convolutions, the separable and the deformable convolutions on a
CUDA GPU: the same numbers as PyTorch and as on the CPU, and the result stays on the GPU.

Skipped as a whole, with the reason shown by ``-ra``, on a machine without a GPU.
"""

import pytest
import torch
from torch.nn import functional as nnf

from convlib.ops.conv import METHODS_3D, conv3d
from convlib.ops.deformable import deform_conv2d
from convlib.ops.separable import depthwise_separable_conv2d, separate_kernel
from convlib.ops.transposed import (
    TRANSPOSED_METHODS,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
)

pytestmark = pytest.mark.cuda
if not torch.cuda.is_available():  # one line in the report, not one per test
    pytest.skip("needs a CUDA GPU; torch.cuda.is_available() is False", allow_module_level=True)

DEVICE = "cuda"
TOLERANCE = {torch.float32: 1e-4, torch.float64: 1e-10}
DTYPES = pytest.mark.parametrize("dtype", [torch.float32, torch.float64],
                                 ids=["float32", "float64"])


def _randn(*shape, dtype, seed):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def _on_gpu_and_close(got, expected, dtype):
    assert isinstance(got, torch.Tensor) and got.device == expected.device
    assert got.device.type == "cuda"
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert (got - expected).abs().max().item() <= TOLERANCE[dtype]


@DTYPES
@pytest.mark.parametrize("method", tuple(METHODS_3D))
@pytest.mark.parametrize("padding_mode", ["zeros", "circular"])
def test_conv3d_on_the_gpu(dtype, method, padding_mode):
    x = _randn(2, 4, 5, 6, 4, dtype=dtype, seed=0)
    w = _randn(6, 2, 3, 2, 3, dtype=dtype, seed=1)
    b = _randn(6, dtype=dtype, seed=2)
    args = ((1, 2, 1), 1, (1, 1, 2), 2)
    layer = torch.nn.Conv3d(4, 6, (3, 2, 3), *args, padding_mode=padding_mode, dtype=dtype)
    with torch.no_grad():
        layer.weight.copy_(w)
        layer.bias.copy_(b)
        expected = layer.to(DEVICE)(x.to(DEVICE))
    got = conv3d(x.to(DEVICE), w.to(DEVICE), b.to(DEVICE), *args, padding_mode=padding_mode,
                 method=method)
    _on_gpu_and_close(got, expected, dtype)
    cpu = conv3d(x, w, b, *args, padding_mode=padding_mode, method=method)
    assert (got.cpu() - cpu).abs().max().item() <= TOLERANCE[dtype]


@DTYPES
@pytest.mark.parametrize("method", tuple(TRANSPOSED_METHODS))
@pytest.mark.parametrize("dims", [1, 2, 3])
def test_conv_transpose_on_the_gpu(dtype, method, dims):
    ours = {1: conv_transpose1d, 2: conv_transpose2d, 3: conv_transpose3d}[dims]
    reference = {1: nnf.conv_transpose1d, 2: nnf.conv_transpose2d,
                 3: nnf.conv_transpose3d}[dims]
    x = _randn(2, 4, *(4,) * dims, dtype=dtype, seed=3).to(DEVICE)
    w = _randn(4, 3, *(3,) * dims, dtype=dtype, seed=4).to(DEVICE)
    b = _randn(6, dtype=dtype, seed=5).to(DEVICE)
    args = (2, 1, 1, 2, 2)  # stride, padding, output_padding, groups, dilation
    got = ours(x, w, b, *args, method=method)
    _on_gpu_and_close(got, reference(x, w, b, *args), dtype)


def test_separate_kernel_on_the_gpu():
    kernel = torch.outer(torch.tensor([1.0, 2, 1]), torch.tensor([-1.0, 0, 1])).to(DEVICE)
    column, row = separate_kernel(kernel)
    assert column.device == row.device == kernel.device and column.dtype == torch.float32
    torch.testing.assert_close(column[:, None] * row[None, :], kernel)


@DTYPES
def test_depthwise_separable_on_the_gpu(dtype):
    x = _randn(2, 3, 7, 6, dtype=dtype, seed=6).to(DEVICE)
    dw = _randn(6, 1, 3, 3, dtype=dtype, seed=7).to(DEVICE)
    pw = _randn(5, 6, 1, 1, dtype=dtype, seed=8).to(DEVICE)
    got = depthwise_separable_conv2d(x, dw, pw, padding=1, stride=2)
    expected = nnf.conv2d(nnf.conv2d(x, dw, padding=1, stride=2, groups=3), pw)
    _on_gpu_and_close(got, expected, dtype)


@DTYPES
@pytest.mark.parametrize("with_mask", [False, True])
def test_deform_conv2d_on_the_gpu(dtype, with_mask):
    x = _randn(2, 4, 7, 6, dtype=dtype, seed=9)
    w = _randn(6, 2, 3, 3, dtype=dtype, seed=10)
    b = _randn(6, dtype=dtype, seed=11)
    offset = 1.5 * _randn(2, 2 * 2 * 9, 4, 2, dtype=dtype, seed=12)  # two offset groups
    mask = torch.rand(2, 2 * 9, 4, 2, generator=torch.Generator().manual_seed(13),
                      dtype=dtype) if with_mask else None
    args = (2, 1, (1, 2))  # stride, padding, dilation
    cpu = deform_conv2d(x, offset, w, b, *args, mask=mask)
    gpu_inputs = [t.to(DEVICE).requires_grad_(True) for t in (x, offset, w, b)]
    gpu_mask = None if mask is None else mask.to(DEVICE).requires_grad_(True)
    got = deform_conv2d(*gpu_inputs, *args, mask=gpu_mask)
    _on_gpu_and_close(got, cpu.to(DEVICE), dtype)
    got.square().sum().backward()
    for t in gpu_inputs + ([] if gpu_mask is None else [gpu_mask]):
        assert t.grad is not None and t.grad.device.type == "cuda"
