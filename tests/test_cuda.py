"""The same agreement with PyTorch on a CUDA GPU, and the mixed-device error.

Skipped as a whole, with the reason shown by ``-ra``, on a machine without a GPU.
"""

import numpy as np
import pytest
import torch

import convlib

pytestmark = pytest.mark.cuda
if not torch.cuda.is_available():  # one line in the report, not one per test
    pytest.skip("needs a CUDA GPU; torch.cuda.is_available() is False", allow_module_level=True)

CONV = {1: convlib.conv1d, 2: convlib.conv2d}
TOLERANCE = {torch.float32: 1e-4, torch.float64: 1e-10}

# (dims, batch or None, in, out, groups, size, kernel, stride, padding, dilation, bias)
CONFIGS = [
    (2, 2, 3, 4, 1, (7, 6), (3, 3), 1, 1, 1, True),
    (2, None, 4, 4, 4, (8, 9), (2, 3), (2, 1), (1, 2), (2, 1), False),  # depthwise, unbatched
    (2, 1, 6, 4, 2, (9, 9), (4, 2), 1, "same", (1, 2), True),  # even kernel, 'same'
    (2, 2, 2, 2, 1, (5, 6), (3, 2), (1, 2), "valid", 1, True),
    (2, 1, 2, 3, 1, (6, 6), (3, 3), 2, ((1, 2), 0), 1, False),  # (before, after) padding
    (1, 2, 3, 6, 3, (9,), (4,), 1, "same", 2, True),
    (1, None, 2, 2, 1, (8,), (3,), 3, 2, 1, True),
]


def _case(config, dtype):
    dims, batch, cin, cout, groups, size, kernel, stride, padding, dilation, bias = config
    gen = torch.Generator().manual_seed(CONFIGS.index(config))
    lead = () if batch is None else (batch,)
    x = torch.randn(*lead, cin, *size, generator=gen, dtype=dtype)
    w = torch.randn(cout, cin // groups, *kernel, generator=gen, dtype=dtype)
    b = torch.randn(cout, generator=gen, dtype=dtype) if bias else None
    return dims, x, w, b, (stride, padding, dilation, groups)


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("mode", convlib.PADDING_MODES)
@pytest.mark.parametrize("method", convlib.GENERAL_METHODS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_agrees_with_torch_on_the_gpu(torch_conv, config, mode, method, dtype):
    dims, x, w, b, args = _case(config, dtype)
    x, w = x.cuda(), w.cuda()
    b = None if b is None else b.cuda()
    expected = torch_conv(x, w, b, *args, mode)
    got = CONV[dims](x, w, b, *args, padding_mode=mode, method=method)
    assert isinstance(got, torch.Tensor)
    assert got.device == x.device and got.device.type == "cuda"
    assert got.shape == expected.shape and got.dtype == expected.dtype
    err = (got - expected).abs().max().item()
    assert err <= TOLERANCE[dtype], f"max abs error {err:.3g}"
    # and the same numbers as on the CPU
    cpu = CONV[dims](x.cpu(), w.cpu(), None if b is None else b.cpu(), *args,
                     padding_mode=mode, method=method)
    assert (got.cpu() - cpu).abs().max().item() <= TOLERANCE[dtype]


@pytest.mark.parametrize("method", convlib.GENERAL_METHODS)
def test_syllabus_example_on_the_gpu(method):
    x = torch.tensor([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
                      [2, 0, 0, 0, 1]], dtype=torch.float32, device="cuda")[None, None]
    w = torch.tensor([[0, 1, 2], [2, 2, 0], [0, 1, 2]], dtype=torch.float32,
                     device="cuda")[None, None]
    got = convlib.conv2d(x, w, method=method)
    assert got.device.type == "cuda"
    torch.testing.assert_close(got, torch.nn.functional.conv2d(x, w))
    np.testing.assert_array_equal(got[0, 0].cpu().numpy(),
                                  [[12, 12, 17], [10, 17, 19], [9, 6, 14]])


@pytest.mark.parametrize("mode", convlib.PADDING_MODES)
def test_pad_stays_on_the_gpu(mode):
    x = torch.randn(2, 3, 5, 6, device="cuda")
    out = convlib.pad(x, ((1, 2), (2, 1)), mode)
    assert out.device == x.device
    expected = torch.nn.functional.pad(x, (2, 1, 1, 2),
                                       mode="constant" if mode == "zeros" else mode)
    torch.testing.assert_close(out, expected, rtol=0, atol=0)


@pytest.mark.parametrize("which", ["weight", "bias"])
def test_mixed_devices(which):
    x = torch.ones(1, 2, 5, 5, device="cuda")
    args = {"weight": torch.ones(3, 2, 3, 3, device="cuda"),
            "bias": torch.ones(3, device="cuda")}
    args[which] = args[which].cpu()
    with pytest.raises(ValueError, match=rf"conv2d: x is on cuda:0 but {which} is on cpu; "
                                         r"move them to one device"):
        convlib.conv2d(x, args["weight"], args["bias"])


def test_mixed_devices_gpu_weight_cpu_input():
    with pytest.raises(ValueError, match=r"conv1d: x is on cpu but weight is on cuda:0"):
        convlib.conv1d(torch.ones(1, 1, 5), torch.ones(1, 1, 3, device="cuda"))


def test_device_is_cuda(monkeypatch):
    monkeypatch.delenv("CONVLIB_DEVICE", raising=False)
    assert convlib.device().type == "cuda"
    monkeypatch.setenv("CONVLIB_DEVICE", "cuda:0")
    assert convlib.device() == torch.device("cuda:0")
    monkeypatch.setenv("CONVLIB_DEVICE", "cpu")
    assert convlib.device() == torch.device("cpu")
