"""convlib's conv3d, by every method, agrees with PyTorch, and refuses bad input in the
volume's terms (depth, height, width).

The reference is ``torch.nn.functional.conv3d`` for zero padding and a
``torch.nn.Conv3d`` with the weights copied in for the other padding modes; entries
given as (before, after) pairs, which torch cannot express, are padded with
``torch.nn.functional.pad`` first. The property test draws only what PyTorch accepts.
"""

import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as nnf

import convlib
from convlib.ops.conv import METHODS_3D, conv3d

TOLERANCE = {torch.float32: 1e-4, torch.float64: 1e-10}
BY_METHOD = pytest.mark.parametrize("method", tuple(METHODS_3D))
DTYPES = pytest.mark.parametrize("dtype", [torch.float32, torch.float64],
                                 ids=["float32", "float64"])


def torch_conv3d(x, w, b, stride, padding, dilation, groups, padding_mode):
    """What PyTorch computes for these arguments."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*padding='same'.*", category=UserWarning)
        if isinstance(padding, tuple) and any(isinstance(p, tuple) for p in padding):
            pairs = [p if isinstance(p, tuple) else (p, p) for p in padding]
            flat = [v for before, after in reversed(pairs) for v in (before, after)]
            mode = "constant" if padding_mode == "zeros" else padding_mode
            return nnf.conv3d(nnf.pad(x, flat, mode=mode), w, b, stride, 0, dilation, groups)
        if padding_mode == "zeros":
            return nnf.conv3d(x, w, b, stride, padding, dilation, groups)
        out_channels, per_group, *kernel = w.shape
        layer = torch.nn.Conv3d(per_group * groups, out_channels, tuple(kernel), stride=stride,
                                padding=padding, dilation=dilation, groups=groups,
                                bias=b is not None, padding_mode=padding_mode, dtype=w.dtype)
        with torch.no_grad():
            layer.weight.copy_(w)
            if b is not None:
                layer.bias.copy_(b)
            return layer(x)


def _per_axis(draw, values):
    """An int for all three axes, or a tuple of three; returns (argument, per-axis)."""
    if draw(st.booleans()):
        v = draw(values)
        return v, (v,) * 3
    vs = tuple(draw(values) for _ in range(3))
    return vs, vs


@st.composite
def cases(draw):
    """A conv3d's shapes and arguments: (batch, in, out, groups, size, kernel, stride,
    padding, dilation, bias, mode, seed)."""
    mode = draw(st.sampled_from(convlib.PADDING_MODES))
    form = draw(st.sampled_from(["int", "tuple", "pairs", "same", "valid"]))
    size = tuple(draw(st.integers(1, 5)) for _ in range(3))
    limits = [min(2, {"reflect": n - 1, "circular": n}.get(mode, 2)) for n in size]
    stride = draw(st.sampled_from([1, (1, 1, 1)])) if form == "same" else \
        _per_axis(draw, st.integers(1, 3))[0]
    dilation, dilations = _per_axis(draw, st.integers(1, 2))
    if form == "int":
        padding = draw(st.integers(0, min(limits)))
        pairs = [(padding, padding)] * 3
    elif form == "tuple":
        padding = tuple(draw(st.integers(0, lim)) for lim in limits)
        pairs = [(p, p) for p in padding]
    elif form == "pairs":
        pairs = [(draw(st.integers(0, lim)), draw(st.integers(0, lim))) for lim in limits]
        padding = tuple(pairs)
    else:
        padding, pairs = form, [(0, 0)] * 3
    kernel = []
    for n, lim, d, (before, after) in zip(size, limits, dilations, pairs, strict=True):
        if form == "same":  # 'same' pads ceil(d(k-1)/2) after: within the mode's limit
            most = 4 if mode in ("zeros", "replicate") else (2 * lim) // d + 1
        else:
            most = (n + before + after - 1) // d + 1
        kernel.append(draw(st.integers(1, max(1, min(3, most)))))
    groups = draw(st.integers(1, 2))
    in_channels = groups * draw(st.integers(1, 2))
    out_channels = groups * draw(st.integers(1, 2))
    return (draw(st.sampled_from([None, 1, 2])), in_channels, out_channels, groups, size,
            tuple(kernel), stride, padding, dilation, draw(st.booleans()), mode,
            draw(st.integers(0, 2**32 - 1)))


def tensors(case, dtype):
    batch, cin, cout, groups, size, kernel, *_, bias, _, seed = case
    gen = torch.Generator().manual_seed(seed)
    lead = () if batch is None else (batch,)
    x = torch.randn(*lead, cin, *size, generator=gen, dtype=dtype)
    w = torch.randn(cout, cin // groups, *kernel, generator=gen, dtype=dtype)
    b = torch.randn(cout, generator=gen, dtype=dtype) if bias else None
    return x, w, b


@DTYPES
@BY_METHOD
@settings(max_examples=40)
@given(case=cases())
def test_conv3d_agrees_with_torch(dtype, method, case):
    x, w, b = tensors(case, dtype)
    groups, stride, padding, dilation, mode = case[3], case[6], case[7], case[8], case[10]
    expected = torch_conv3d(x, w, b, stride, padding, dilation, groups, mode)
    got = conv3d(x, w, b, stride, padding, dilation, groups, padding_mode=mode, method=method)
    assert isinstance(got, torch.Tensor)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert (got - expected).abs().max().item() <= TOLERANCE[dtype]


@BY_METHOD
@settings(max_examples=15)
@given(case=cases())
def test_conv3d_numpy_in_numpy_out(method, case):
    x, w, b = tensors(case, torch.float64)
    args = case[6], case[7], case[8], case[3]
    from_torch = conv3d(x, w, b, *args, padding_mode=case[10], method=method)
    got = conv3d(x.numpy(), w.numpy(), None if b is None else b.numpy(), *args,
                 padding_mode=case[10], method=method)
    assert isinstance(got, np.ndarray) and got.dtype == np.float64
    np.testing.assert_array_equal(got, from_torch.numpy())


@BY_METHOD
def test_conv3d_empty_batch(method):
    x, w = torch.randn(0, 2, 4, 5, 3), torch.randn(4, 2, 2, 3, 1)
    got = conv3d(x, w, padding=1, method=method)
    assert got.shape == nnf.conv3d(x, w, padding=1).shape == (0, 4, 5, 5, 5)


def test_conv3d_methods_agree_on_a_video_clip():
    """Eight frames of 12x10 through sixteen 3x3x3 filters: both methods, one answer."""
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(1, 3, 8, 12, 10, generator=gen, dtype=torch.float64)
    w = torch.randn(16, 3, 3, 3, 3, generator=gen, dtype=torch.float64)
    expected = nnf.conv3d(x, w, padding=1, stride=(1, 2, 2))
    for method in METHODS_3D:
        got = conv3d(x, w, padding=1, stride=(1, 2, 2), method=method)
        torch.testing.assert_close(got, expected, rtol=0, atol=1e-10)


def test_a_kernel_one_slice_deep_is_conv2d_frame_by_frame():
    gen = torch.Generator().manual_seed(4)
    x = torch.randn(2, 3, 5, 6, 7, generator=gen)
    w = torch.randn(4, 3, 1, 3, 2, generator=gen)
    got = conv3d(x, w, padding=(0, 1, 0))
    for t in range(5):
        frame = convlib.conv2d(x[:, :, t], w[:, :, 0], padding=(1, 0))
        torch.testing.assert_close(got[:, :, t], frame)


def test_im2col_unfolds_volumes():
    """Each column of the 3-D im2col is one window of the volume, flattened."""
    x = torch.arange(2 * 3 * 4 * 5 * 6, dtype=torch.float32).reshape(2, 3, 4, 5, 6)
    kernel, stride, dilation = (2, 3, 2), (2, 1, 2), (1, 1, 2)
    columns = convlib.im2col(x, kernel, stride, dilation)
    out = [convlib.output_size(n, k, s, 0, d)
           for n, k, s, d in zip(x.shape[2:], kernel, stride, dilation, strict=True)]
    assert columns.shape == (2, 3 * 12, out[0] * out[1] * out[2])
    window = 0
    for i in range(out[0]):
        for j in range(out[1]):
            for k in range(out[2]):
                patch = x[:, :, i * 2:i * 2 + 2, j:j + 3, k * 2:k * 2 + 3:2]
                assert torch.equal(columns[:, :, window], patch.reshape(2, -1))
                window += 1


# -- bad input ---------------------------------------------------------------------------


def t(*shape):
    return torch.ones(*shape)


@pytest.mark.parametrize("shape", [(5, 5, 5), (1, 1, 1, 1, 5, 5)])
def test_conv3d_x_with_wrong_number_of_dimensions(shape):
    pattern = (r"conv3d expects x of shape \(batch, channels, depth, height, width\), 5 "
               rf"dimensions, or without the batch axis, 4; got {len(shape)} dimensions, shape "
               + re.escape(str(shape)))
    with pytest.raises(ValueError, match=pattern):
        conv3d(t(*shape), t(1, 1, 3, 3, 3))


def test_conv3d_weight_with_wrong_number_of_dimensions():
    with pytest.raises(ValueError, match=r"conv3d expects weight of shape \(out_channels, "
                                         r"in_channels / groups, kernel_depth, kernel_height, "
                                         r"kernel_width\), 5 dimensions; got 4 dimensions"):
        conv3d(t(1, 1, 5, 5, 5), t(1, 1, 3, 3))


def test_conv3d_kernel_channels_and_groups():
    with pytest.raises(ValueError, match=r"conv3d: the kernels have 2 channels, so with "
                                         r"groups=1 they expect 2 input channels, but x has 3"):
        conv3d(t(1, 3, 4, 4, 4), t(2, 2, 1, 1, 1))
    with pytest.raises(ValueError, match=r"groups=2 must divide the input channels, 3"):
        conv3d(t(1, 3, 4, 4, 4), t(2, 1, 1, 1, 1), groups=2)


def test_conv3d_kernel_larger_than_padded_input_names_depth():
    with pytest.raises(ValueError, match=r"conv3d: the kernel spans 5 along depth \(size 3, "
                                         r"dilation 2\), more than the padded input's 4"):
        conv3d(t(1, 1, 4, 9, 9), t(1, 1, 3, 1, 1), dilation=(2, 1, 1))


def test_conv3d_padding_mode_limit_names_depth():
    with pytest.raises(ValueError, match=r"padding_mode='reflect' can pad at most 1 along "
                                         r"depth, whose size is 2"):
        conv3d(t(1, 1, 2, 5, 5), t(1, 1, 1, 1, 1), padding=(2, 0, 0), padding_mode="reflect")


@pytest.mark.parametrize("name", ["stride", "dilation"])
def test_conv3d_stride_or_dilation_for_two_axes(name):
    with pytest.raises(TypeError, match=rf"{name} must be an int or a tuple of 3 ints; "
                                        r"got \(1, 1\)"):
        conv3d(t(1, 1, 5, 5, 5), t(1, 1, 2, 2, 2), **{name: (1, 1)})


@pytest.mark.parametrize("method", ["fft", "scatter", None])
def test_conv3d_unknown_method(method):
    with pytest.raises(ValueError, match=r"method must be one of \('loops', 'im2col'\); "
                                         rf"got {re.escape(repr(method))}"):
        conv3d(t(1, 1, 5, 5, 5), t(1, 1, 3, 3, 3), method=method)


def test_conv3d_mixed_kinds_and_dtypes():
    with pytest.raises(TypeError, match=r"conv3d: x, weight and bias must all be NumPy arrays "
                                        r"or all torch tensors; got x: ndarray, weight: Tensor"):
        conv3d(np.ones((1, 1, 3, 3, 3), np.float32), t(1, 1, 1, 1, 1))
    with pytest.raises(TypeError, match=r"conv3d: x is torch.float32 but weight is "
                                        r"torch.float64"):
        conv3d(t(1, 1, 3, 3, 3), t(1, 1, 1, 1, 1).double())
