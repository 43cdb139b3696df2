"""convlib's deform_conv2d against a slow loop written from the papers' formulas, against
conv2d where the two must agree, under gradcheck, and with every bad input.

The reference is Dai et al. (2017), eq. (2) and (3), with Zhu et al. (2019)'s mask:

    y(p0) = sum_n w(pn) * m_n * x(p0 * stride - padding + pn * dilation + offset_n)
    x(p)  = sum_q max(0, 1 - |q_y - p_y|) * max(0, 1 - |q_x - p_x|) * x(q),

q running over every pixel of the input, so that a sample near or beyond the border
mixes in zeros from outside. The tensor layouts are torchvision's.
"""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import convlib
from convlib.ops.deformable import deform_conv2d


def bilinear_by_formula(image: np.ndarray, py: float, px: float) -> float:
    """x(p) = sum over every pixel q of g(q_y, p_y) g(q_x, p_x) x(q)."""
    height, width = image.shape
    gy = np.maximum(0.0, 1 - np.abs(np.arange(height) - py))
    gx = np.maximum(0.0, 1 - np.abs(np.arange(width) - px))
    return float(gy @ image @ gx)


def deform_by_loops(x, offset, weight, bias, stride, padding, dilation, mask):
    """The deformable convolution, one output value and one kernel weight at a time
    (NumPy, float64; stride, padding and dilation as pairs)."""
    batch, channels, _, _ = x.shape
    out_channels, per_group, kh, kw = weight.shape
    groups = channels // per_group
    offset_groups = offset.shape[1] // (2 * kh * kw)
    out_h, out_w = offset.shape[2:]
    out = np.zeros((batch, out_channels, out_h, out_w))
    for n in range(batch):
        for o in range(out_channels):
            first = (o // (out_channels // groups)) * per_group  # the filter's first channel
            for i in range(out_h):
                for j in range(out_w):
                    total = 0.0 if bias is None else bias[o]
                    for c in range(first, first + per_group):
                        g = c // (channels // offset_groups)  # the channel's offset group
                        for a in range(kh):
                            for b in range(kw):
                                tap = g * kh * kw + a * kw + b
                                dy, dx = offset[n, 2 * tap, i, j], offset[n, 2 * tap + 1, i, j]
                                py = i * stride[0] - padding[0] + a * dilation[0] + dy
                                px = j * stride[1] - padding[1] + b * dilation[1] + dx
                                m = 1.0 if mask is None else mask[n, tap, i, j]
                                total += (weight[o, c - first, a, b] * m
                                          * bilinear_by_formula(x[n, c], py, px))
                    out[n, o, i, j] = total
    return out


@st.composite
def cases(draw):
    offset_groups, groups = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    channels = math.lcm(offset_groups, groups) * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    size = tuple(draw(st.integers(max(1, d * (k - 1) + 1 - 2 * p), 6))
                 for k, p, d in zip(kernel, padding, dilation, strict=True))
    return {
        "batch": draw(st.integers(1, 2)), "channels": channels, "groups": groups,
        "offset_groups": offset_groups, "out_channels": groups * draw(st.integers(1, 2)),
        "size": size, "kernel": kernel, "stride": stride, "padding": padding,
        "dilation": dilation, "bias": draw(st.booleans()), "mask": draw(st.booleans()),
        "reach": draw(st.sampled_from([0.5, 2.0, 4.0])),  # how far the offsets move
        "seed": draw(st.integers(0, 2**32 - 1)),
    }


def make(case, dtype=torch.float64):
    """x, offset, weight, bias, mask for ``case``."""
    gen = torch.Generator().manual_seed(case["seed"])
    (kh, kw), taps = case["kernel"], case["kernel"][0] * case["kernel"][1]
    out = [convlib.output_size(n, k, s, p, d) for n, k, s, p, d in zip(
        case["size"], case["kernel"], case["stride"], case["padding"], case["dilation"],
        strict=True)]
    x = torch.randn(case["batch"], case["channels"], *case["size"], generator=gen, dtype=dtype)
    offset = case["reach"] * torch.randn(case["batch"], 2 * case["offset_groups"] * taps, *out,
                                         generator=gen, dtype=dtype)
    weight = torch.randn(case["out_channels"], case["channels"] // case["groups"], kh, kw,
                         generator=gen, dtype=dtype)
    bias = torch.randn(case["out_channels"], generator=gen, dtype=dtype) if case["bias"] else None
    mask = (torch.rand(case["batch"], case["offset_groups"] * taps, *out, generator=gen,
                       dtype=dtype) if case["mask"] else None)
    return x, offset, weight, bias, mask


def _numpy(t):
    return None if t is None else t.double().numpy()


@settings(max_examples=40)
@given(case=cases())
def test_agrees_with_the_papers_formula(case):
    x, offset, weight, bias, mask = make(case)
    settings_ = case["stride"], case["padding"], case["dilation"]
    got = deform_conv2d(x, offset, weight, bias, *settings_, mask=mask)
    expected = deform_by_loops(*map(_numpy, (x, offset, weight, bias)), *settings_, _numpy(mask))
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float64
    np.testing.assert_allclose(got.numpy(), expected, rtol=0, atol=1e-10)


@settings(max_examples=10)
@given(case=cases())
def test_float32_numpy_in_numpy_out(case):
    x, offset, weight, bias, mask = make(case, torch.float32)
    settings_ = case["stride"], case["padding"], case["dilation"]
    got = deform_conv2d(x.numpy(), offset.numpy(), weight.numpy(),
                        None if bias is None else bias.numpy(), *settings_,
                        mask=None if mask is None else mask.numpy())
    assert isinstance(got, np.ndarray) and got.dtype == np.float32
    expected = deform_by_loops(*map(_numpy, (x, offset, weight, bias)), *settings_, _numpy(mask))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-4)


@settings(max_examples=30)
@given(case=cases())
def test_zero_offsets_and_a_mask_of_ones_are_conv2d(case):
    x, offset, weight, bias, mask = make(case)
    settings_ = case["stride"], case["padding"], case["dilation"]
    expected = convlib.conv2d(x, weight, bias, *settings_, groups=case["groups"])
    got = deform_conv2d(x, torch.zeros_like(offset), weight, bias, *settings_,
                        mask=None if mask is None else torch.ones_like(mask))
    torch.testing.assert_close(got, expected, rtol=0, atol=1e-10)


@pytest.mark.parametrize("dy, dx", [(1, 0), (0, 2), (-2, 1), (3, -3)])
def test_a_constant_integer_offset_shifts_the_input(dy, dx):
    """Every kernel weight moved by (dy, dx) reads what conv2d reads (dy, dx) further on;
    away from the border, where the shifted reads stay inside the input."""
    gen = torch.Generator().manual_seed(10 * dy + dx)
    x = torch.randn(2, 4, 13, 12, generator=gen, dtype=torch.float64)
    w = torch.randn(6, 2, 3, 2, generator=gen, dtype=torch.float64)
    moved = torch.tensor([dy, dx], dtype=torch.float64).repeat(2 * 3 * 2)  # 2 offset groups
    offset = moved[None, :, None, None].expand(2, -1, 11, 11)
    got = deform_conv2d(x, offset, w)
    direct = convlib.conv2d(x, w, groups=2)  # (11, 11) positions
    rows = slice(max(0, -dy), 11 - max(0, dy))
    cols = slice(max(0, -dx), 11 - max(0, dx))
    shifted = direct[:, :, max(0, dy):11 + min(0, dy), max(0, dx):11 + min(0, dx)]
    torch.testing.assert_close(got[:, :, rows, cols], shifted, rtol=0, atol=1e-10)
    assert not torch.allclose(got, direct)  # the offsets did move the kernel


def test_offset_groups_move_their_own_channels():
    """With two offset groups, moving only the second group's samples changes only what
    the second half of the channels contributes."""
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(1, 4, 7, 7, generator=gen, dtype=torch.float64)
    w = torch.randn(3, 4, 3, 3, generator=gen, dtype=torch.float64)
    offset = torch.zeros(1, 2 * 2 * 9, 5, 5, dtype=torch.float64)
    offset[:, 18:] = 0.5 * torch.randn(1, 18, 5, 5, generator=gen, dtype=torch.float64)
    got = deform_conv2d(x, offset, w)
    first_half = convlib.conv2d(x[:, :2], w[:, :2])
    second_half = deform_conv2d(x[:, 2:], offset[:, 18:], w[:, 2:])
    torch.testing.assert_close(got, first_half + second_half, rtol=0, atol=1e-10)


def test_empty_batch():
    x = torch.randn(0, 2, 6, 6)
    got = deform_conv2d(x, torch.zeros(0, 18, 4, 4), torch.randn(5, 2, 3, 3),
                        mask=torch.ones(0, 9, 4, 4))
    assert isinstance(got, torch.Tensor) and got.shape == (0, 5, 4, 4)


def _fractional(shape, gen, reach=1):
    """Offsets whose fractional parts lie in [0.2, 0.8], off the grid lines where bilinear
    interpolation has a kink."""
    whole = torch.randint(-reach, reach + 1, shape, generator=gen).double()
    return whole + 0.2 + 0.6 * torch.rand(shape, generator=gen, dtype=torch.float64)


@pytest.mark.parametrize("with_mask", [False, True], ids=["v1", "v2 (mask)"])
def test_gradcheck(with_mask):
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(2, 4, 5, 4, generator=gen, dtype=torch.float64)
    w = torch.randn(4, 2, 2, 2, generator=gen, dtype=torch.float64)  # groups 2
    b = torch.randn(4, generator=gen, dtype=torch.float64)
    # stride (2, 1), padding 1, dilation (1, 2): output (3, 4); 2 offset groups
    offset = _fractional((2, 2 * 2 * 4, 3, 4), gen)
    mask = torch.rand(2, 2 * 4, 3, 4, generator=gen, dtype=torch.float64)
    inputs = [x, offset, w, b] + ([mask] if with_mask else [])
    for t in inputs:
        t.requires_grad_(True)

    def f(x, offset, w, b, mask=None):
        return deform_conv2d(x, offset, w, b, (2, 1), 1, (1, 2), mask=mask)

    assert torch.autograd.gradcheck(f, inputs)


def test_gradients_flow_to_every_input():
    gen = torch.Generator().manual_seed(4)
    x = torch.randn(1, 2, 5, 5, generator=gen, requires_grad=True)
    offset = _fractional((1, 18, 3, 3), gen).float().requires_grad_(True)
    mask = torch.rand(1, 9, 3, 3, generator=gen, requires_grad=True)
    w = torch.randn(3, 2, 3, 3, generator=gen, requires_grad=True)
    b = torch.randn(3, generator=gen, requires_grad=True)
    deform_conv2d(x, offset, w, b, mask=mask).square().sum().backward()
    for t in (x, offset, mask, w, b):
        assert t.grad is not None and t.grad.abs().sum() > 0


# -- bad input ---------------------------------------------------------------------------


def t(*shape):
    return torch.ones(*shape)


@pytest.mark.parametrize("offset_shape, pattern", [
    ((1, 10, 4, 4), r"deform_conv2d: offset has 10 channels, but it needs 18 per offset group, "
                    r"so a positive multiple of 18"),
    ((1, 0, 4, 4), r"offset has 0 channels, but it needs 18 per offset group"),
    ((1, 18, 5, 4), r"deform_conv2d: offset has one value per output position, so it must be "
                    r"4x4 like the output; got 5x4"),
    ((2, 18, 4, 4), r"deform_conv2d: offset is for a batch of 2, but x has a batch of 1"),
    ((18, 4, 4), r"deform_conv2d expects offset of shape \(batch, channels, out_h, out_w\), 4 "
                 r"dimensions; got 3 dimensions"),
    ((1, 36 * 2, 4, 4), r"offset has 72 channels, so 4 offset groups \(2 \* 3 \* 3 channels "
                        r"each\), which must divide x's 6 channels"),
])
def test_offset_of_the_wrong_shape(offset_shape, pattern):
    with pytest.raises(ValueError, match=pattern):
        deform_conv2d(t(1, 6, 6, 6), t(*offset_shape), t(2, 6, 3, 3))


@pytest.mark.parametrize("mask_shape, pattern", [
    ((1, 18, 4, 4), r"deform_conv2d: mask has 18 channels, but the offset's 1 offset group\(s\) "
                    r"need 9 \(1 \* 3 \* 3\)"),
    ((1, 5, 4, 4), r"mask has 5 channels, but it needs 9 per offset group"),
    ((1, 9, 3, 3), r"mask has one value per output position, so it must be 4x4 like the output; "
                   r"got 3x3"),
])
def test_mask_of_the_wrong_shape(mask_shape, pattern):
    with pytest.raises(ValueError, match=pattern):
        deform_conv2d(t(1, 6, 6, 6), t(1, 18, 4, 4), t(2, 6, 3, 3), mask=t(*mask_shape))


def test_weight_groups_and_bias():
    with pytest.raises(ValueError, match=r"deform_conv2d: the kernels have 4 channels, which does "
                                         r"not divide x's 6 input channels"):
        deform_conv2d(t(1, 6, 6, 6), t(1, 18, 4, 4), t(2, 4, 3, 3))
    with pytest.raises(ValueError, match=r"split x's 6 into groups=3, which must divide the "
                                         r"output channels \(filters in weight\), 4"):
        deform_conv2d(t(1, 6, 6, 6), t(1, 18, 4, 4), t(4, 2, 3, 3))
    with pytest.raises(ValueError, match=r"deform_conv2d: bias must hold one value per filter, "
                                         r"shape \(2,\); got shape \(3,\)"):
        deform_conv2d(t(1, 6, 6, 6), t(1, 18, 4, 4), t(2, 6, 3, 3), t(3))


@pytest.mark.parametrize("which, shape", [("x", (6, 6, 6)), ("x", (1, 1, 6, 6, 6)),
                                          ("weight", (2, 6, 3))])
def test_x_or_weight_with_wrong_number_of_dimensions(which, shape):
    args = {"x": t(1, 6, 6, 6), "weight": t(2, 6, 3, 3)}
    args[which] = t(*shape)
    with pytest.raises(ValueError, match=rf"deform_conv2d expects {which} of shape \(.*\), 4 "
                                         rf"dimensions; got {len(shape)} dimensions"):
        deform_conv2d(args["x"], t(1, 18, 4, 4), args["weight"])


def test_kernel_larger_than_padded_input():
    with pytest.raises(ValueError, match=r"deform_conv2d: the kernel spans 5 along width \(size "
                                         r"3, dilation 2\), more than the padded input's 4"):
        deform_conv2d(t(1, 1, 6, 4), t(1, 18, 2, 1), t(1, 1, 3, 3), dilation=(1, 2))


@pytest.mark.parametrize("name, value, error, pattern", [
    ("stride", 0, ValueError, r"stride must be at least 1 along every axis"),
    ("padding", -1, ValueError, r"padding must be at least 0 along every axis"),
    ("padding", "same", TypeError, r"padding must be an int or a tuple of 2 ints; got 'same'"),
    ("dilation", (1, 1, 1), TypeError, r"dilation must be an int or a tuple of 2 ints"),
])
def test_settings_of_the_wrong_form(name, value, error, pattern):
    with pytest.raises(error, match=pattern):
        deform_conv2d(t(1, 1, 6, 6), t(1, 18, 4, 4), t(1, 1, 3, 3), **{name: value})


def test_kinds_dtypes_and_devices():
    with pytest.raises(TypeError, match=r"deform_conv2d: x, offset, weight, bias and mask must "
                                        r"all be NumPy arrays or all torch tensors; got x: Tensor, "
                                        r"offset: ndarray"):
        deform_conv2d(t(1, 1, 6, 6), np.zeros((1, 18, 4, 4), np.float32), t(1, 1, 3, 3))
    with pytest.raises(TypeError, match=r"deform_conv2d: x is torch.float32 but offset is "
                                        r"torch.float64"):
        deform_conv2d(t(1, 1, 6, 6), t(1, 18, 4, 4).double(), t(1, 1, 3, 3))
    with pytest.raises(TypeError, match=r"mask must hold floating-point numbers; got dtype bool"):
        deform_conv2d(t(1, 1, 6, 6), t(1, 18, 4, 4), t(1, 1, 3, 3),
                      mask=torch.ones(1, 9, 4, 4, dtype=torch.bool))
    with pytest.raises(ValueError, match=r"deform_conv2d: x is on cpu but mask is on meta"):
        deform_conv2d(t(1, 1, 6, 6), t(1, 18, 4, 4), t(1, 1, 3, 3), mask=t(1, 9, 4, 4).to("meta"))
