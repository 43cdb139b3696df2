"""separate_kernel and depthwise_separable_conv2d against their definitions: the outer
product gives the kernel back, the two 1-D passes give the 2-D convolution, and the
depthwise-separable convolution is a grouped convolution followed by a 1x1 one."""

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as nnf

import convlib
from convlib.ops.separable import depthwise_separable_conv2d, separate_kernel


def _sums_to_zero(v):
    return abs(float(v.sum())) <= 1e-6 * float(abs(v).sum())


# -- separate_kernel -------------------------------------------------------------------


@pytest.mark.parametrize("name, column, row", [
    ("sobel_x", [1, 2, 1], [-1, 0, 1]),
    ("sobel_y", [-1, 0, 1], [1, 2, 1]),
    ("prewitt_x", [1, 1, 1], [-1, 0, 1]),
    ("prewitt_y", [-1, 0, 1], [1, 1, 1]),
    ("blur", [1, 1, 1], [1 / 9, 1 / 9, 1 / 9]),
    ("identity", [0, 1, 0], [0, 1, 0]),
])
def test_hand_set_kernels_separate_naturally(name, column, row):
    got_column, got_row = separate_kernel(convlib.kernel(name))
    assert isinstance(got_column, np.ndarray) and got_column.dtype == np.float32
    assert got_column.shape == (3,) and got_row.shape == (3,)
    np.testing.assert_allclose(got_column, column, atol=1e-6)
    np.testing.assert_allclose(got_row, row, atol=1e-6)


def test_sharpen_is_not_separable_and_the_error_names_its_rank():
    # its first and last rows are equal, and the middle one is independent: rank 2
    expected_rank = int(np.linalg.matrix_rank(convlib.kernel("sharpen")))
    with pytest.raises(ValueError, match=rf"the kernel has rank {expected_rank}: "):
        separate_kernel(convlib.kernel("sharpen"))


@settings(max_examples=50)
@given(data=st.data())
def test_outer_products_separate_and_reconstruct(data):
    rows, cols = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6))
    dtype = data.draw(st.sampled_from([torch.float32, torch.float64]))
    values = st.floats(-4, 4, allow_nan=False).filter(lambda v: abs(v) > 0.1 or v == 0)
    a = torch.tensor(data.draw(st.lists(values, min_size=rows, max_size=rows)), dtype=dtype)
    b = torch.tensor(data.draw(st.lists(values, min_size=cols, max_size=cols)), dtype=dtype)
    if not (a.any() and b.any()):
        a[0], b[-1] = 1.5, -0.5  # not the zero kernel
    kernel = a[:, None] * b[None, :]
    column, row = separate_kernel(kernel)
    assert column.dtype == row.dtype == dtype and column.shape == (rows,)
    tolerance = 1e-5 if dtype == torch.float32 else 1e-12
    torch.testing.assert_close(column[:, None] * row[None, :], kernel, rtol=tolerance,
                               atol=tolerance * float(kernel.abs().max()))
    # the stated convention: the first nonzero column entry is +-1, and the signs
    first = column[column.abs() > 1e-6 * column.abs().max()][0]
    assert abs(abs(float(first)) - 1) < 1e-6
    if not _sums_to_zero(column):
        assert column.sum() > 0
    elif not _sums_to_zero(row):
        assert row.sum() > 0
    else:
        assert first > 0


def test_separated_passes_give_the_2d_convolution():
    """Column down, then row across: the same as the 2-D kernel, with 5 + 5 weights
    instead of 25."""
    gauss = torch.tensor([1.0, 4, 6, 4, 1], dtype=torch.float64)
    kernel = torch.outer(gauss, gauss) / 256
    column, row = separate_kernel(kernel)
    torch.testing.assert_close(column, gauss, rtol=0, atol=1e-12)
    image = torch.randn(1, 1, 12, 11, generator=torch.Generator().manual_seed(0),
                        dtype=torch.float64)
    two_passes = convlib.conv2d(convlib.conv2d(image, column.reshape(1, 1, 5, 1)),
                                row.reshape(1, 1, 1, 5))
    torch.testing.assert_close(two_passes, convlib.conv2d(image, kernel[None, None]))


def test_negating_a_kernel_negates_the_row():
    column, row = separate_kernel(convlib.kernel("sobel_x"))
    neg_column, neg_row = separate_kernel(-convlib.kernel("sobel_x"))
    np.testing.assert_allclose(neg_column, column, atol=1e-6)
    np.testing.assert_allclose(neg_row, -row, atol=1e-6)


def test_both_factors_summing_to_zero_start_the_column_with_plus_one():
    diff = np.array([-1.0, 0.0, 1.0])
    column, row = separate_kernel(np.outer(diff, diff))
    np.testing.assert_allclose(column, -diff, atol=1e-12)
    np.testing.assert_allclose(row, -diff, atol=1e-12)


def test_torch_in_torch_out():
    kernel = torch.tensor(convlib.kernel("sobel_x"), dtype=torch.float64)
    column, row = separate_kernel(kernel)
    assert isinstance(column, torch.Tensor) and column.dtype == torch.float64
    assert column.tolist() == pytest.approx([1, 2, 1]) and row.tolist() == pytest.approx([-1, 0, 1])


def test_a_random_kernel_has_full_rank_and_cannot_be_separated():
    kernel = np.random.default_rng(0).standard_normal((3, 3))
    singular = np.linalg.svd(kernel, compute_uv=False)
    shown = ", ".join(f"{v:.3g}" for v in singular)
    with pytest.raises(ValueError, match=r"separate_kernel: the kernel has rank 3: 3 of its "
                                         rf"singular values \({re.escape(shown)}\) exceed "
                                         r"rtol=.* times the largest, so it is a sum of 3 "
                                         r"column-times-row products"):
        separate_kernel(kernel)


def test_a_sum_of_two_outer_products_has_rank_two():
    kernel = np.outer([1.0, 2, 3, 4], [1.0, 0, 1]) + np.outer([0.0, 1, 0, 1], [0.0, 1, 1])
    with pytest.raises(ValueError, match=r"has rank 2: 2 of its singular values"):
        separate_kernel(kernel)


def test_a_nearly_separable_kernel_needs_a_larger_rtol():
    """The Gaussian rounded to three decimals, as textbooks print it."""
    exact = np.outer([0.274, 0.452, 0.274], [0.274, 0.452, 0.274])
    rounded = exact.round(3)
    with pytest.raises(ValueError, match=r"has rank 2"):  # singular values 0.354, 0.00043, 0
        separate_kernel(rounded)
    column, row = separate_kernel(rounded, rtol=1e-2)
    np.testing.assert_allclose(np.outer(column, row), rounded, atol=1e-3)


@pytest.mark.parametrize("kernel, pattern", [
    (np.zeros((3, 3)), r"the kernel is all zeros, rank 0"),
    (np.ones(3), r"separate_kernel expects a 2-D kernel \(height, width\); got 1 dimensions, "
                 r"shape \(3,\)"),
    (np.ones((1, 3, 3)), r"got 3 dimensions, shape \(1, 3, 3\)"),
    (np.ones((0, 3)), r"at least one entry; got shape \(0, 3\)"),
    (np.array([[1.0, np.nan]]), r"finite numbers.*with inf or nan"),
])
def test_kernels_that_cannot_be_separated_at_all(kernel, pattern):
    with pytest.raises(ValueError, match=pattern):
        separate_kernel(kernel)


def test_separate_kernel_wrong_types():
    with pytest.raises(TypeError, match=r"kernel must be a NumPy array or a torch.Tensor; "
                                        r"got list"):
        separate_kernel([[1.0, 2.0]])
    with pytest.raises(TypeError, match=r"kernel must hold floating-point numbers; got dtype "
                                        r"int64"):
        separate_kernel(np.array([[1, 2], [2, 4]]))
    for rtol in (-0.1, 1.0, "big", True):
        with pytest.raises(ValueError, match=r"rtol must be a number from 0 up to"):
            separate_kernel(np.ones((2, 2)), rtol=rtol)


# -- depthwise_separable_conv2d ----------------------------------------------------------


@st.composite
def separable_cases(draw):
    channels, multiplier = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    out_channels = draw(st.integers(1, 4))
    size = (draw(st.integers(5, 8)), draw(st.integers(5, 8)))  # a dilated 3x3 fits
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return {
        "batch": draw(st.sampled_from([None, 1, 2])), "channels": channels,
        "multiplier": multiplier, "out_channels": out_channels, "size": size,
        "kernel": kernel, "stride": draw(st.integers(1, 2)), "padding": draw(st.integers(0, 1)),
        "dilation": draw(st.integers(1, 2)), "biases": draw(st.booleans()),
        "seed": draw(st.integers(0, 2**32 - 1)),
    }


def separable_tensors(case, dtype=torch.float64):
    gen = torch.Generator().manual_seed(case["seed"])
    middle = case["channels"] * case["multiplier"]
    lead = () if case["batch"] is None else (case["batch"],)
    x = torch.randn(*lead, case["channels"], *case["size"], generator=gen, dtype=dtype)
    dw = torch.randn(middle, 1, *case["kernel"], generator=gen, dtype=dtype)
    pw = torch.randn(case["out_channels"], middle, 1, 1, generator=gen, dtype=dtype)
    db = torch.randn(middle, generator=gen, dtype=dtype) if case["biases"] else None
    pb = torch.randn(case["out_channels"], generator=gen, dtype=dtype) if case["biases"] else None
    return x, dw, pw, db, pb


@settings(max_examples=40)
@given(case=separable_cases())
def test_depthwise_separable_is_grouped_then_pointwise(case):
    x, dw, pw, db, pb = separable_tensors(case)
    settings_ = case["stride"], case["padding"], case["dilation"]
    expected = nnf.conv2d(nnf.conv2d(x, dw, db, *settings_, groups=case["channels"]), pw, pb)
    got = depthwise_separable_conv2d(x, dw, pw, db, pb, *settings_)
    torch.testing.assert_close(got, expected, rtol=1e-10, atol=1e-10)


@settings(max_examples=20)
@given(case=separable_cases())
def test_depthwise_separable_channel_by_channel(case):
    """The definition, without groups: filter each channel with its own K kernels, then
    mix all the filtered channels at every position."""
    x, dw, pw, db, pb = separable_tensors(case)
    x = x if case["batch"] is not None else x[None]
    k, settings_ = case["multiplier"], (case["stride"], case["padding"], case["dilation"])
    own = [slice(c * k, (c + 1) * k) for c in range(case["channels"])]  # channel c's kernels
    filtered = torch.cat([
        nnf.conv2d(x[:, c:c + 1], dw[mine], None if db is None else db[mine], *settings_)
        for c, mine in enumerate(own)], dim=1)
    expected = torch.einsum("om,nmhw->nohw", pw[:, :, 0, 0], filtered)
    if pb is not None:
        expected = expected + pb[:, None, None]
    got = depthwise_separable_conv2d(x, dw, pw, db, pb, *settings_)
    torch.testing.assert_close(got, expected, rtol=1e-10, atol=1e-10)


def test_depthwise_separable_numpy_in_numpy_out_and_same_padding():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 7, 6)).astype(np.float32)  # unbatched
    dw = rng.standard_normal((6, 1, 3, 3)).astype(np.float32)
    pw = rng.standard_normal((5, 6, 1, 1)).astype(np.float32)
    got = depthwise_separable_conv2d(x, dw, pw, padding="same")
    assert isinstance(got, np.ndarray) and got.shape == (5, 7, 6) and got.dtype == np.float32
    expected = nnf.conv2d(nnf.conv2d(torch.from_numpy(x), torch.from_numpy(dw), padding=1,
                                     groups=3), torch.from_numpy(pw))
    np.testing.assert_allclose(got, expected.numpy(), atol=1e-5)


def t(*shape):
    return torch.ones(*shape)


@pytest.mark.parametrize("dw_shape, pw_shape, pattern", [
    ((6, 3, 3, 3), (4, 6, 1, 1), r"depthwise_weight must have shape \(channels \* multiplier, "
                                 r"1, kernel_h, kernel_w\), single-channel kernels; got shape "
                                 r"\(6, 3, 3, 3\)"),
    ((6, 1, 3), (4, 6, 1, 1), r"depthwise_weight must have shape .*got shape \(6, 1, 3\)"),
    ((5, 1, 3, 3), (4, 5, 1, 1), r"depthwise_weight has 5 kernels, but x has 3 channels: .* a "
                                 r"positive multiple of 3"),
    ((6, 1, 3, 3), (4, 3, 1, 1), r"pointwise_weight must have shape \(out_channels, 6, 1, 1\), "
                                 r"one 1x1 filter over the 6 channels of the depthwise step; "
                                 r"got shape \(4, 3, 1, 1\)"),
    ((6, 1, 3, 3), (4, 6, 3, 3), r"pointwise_weight must have shape \(out_channels, 6, 1, 1\).*"
                                 r"got shape \(4, 6, 3, 3\)"),
])
def test_depthwise_separable_weights_of_the_wrong_shape(dw_shape, pw_shape, pattern):
    with pytest.raises(ValueError, match=pattern):
        depthwise_separable_conv2d(t(1, 3, 6, 6), t(*dw_shape), t(*pw_shape))


def test_depthwise_separable_biases_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"depthwise_separable_conv2d: depthwise_bias must hold "
                                         r"one value per filter, shape \(6,\); got shape \(3,\)"):
        depthwise_separable_conv2d(t(1, 3, 6, 6), t(6, 1, 3, 3), t(4, 6, 1, 1), t(3))
    with pytest.raises(ValueError, match=r"pointwise_bias must hold one value per filter, "
                                         r"shape \(4,\); got shape \(6,\)"):
        depthwise_separable_conv2d(t(1, 3, 6, 6), t(6, 1, 3, 3), t(4, 6, 1, 1), t(6), t(6))


def test_depthwise_separable_kinds_and_x():
    with pytest.raises(TypeError, match=r"x, depthwise_weight, pointwise_weight, depthwise_bias "
                                        r"and pointwise_bias must all be NumPy arrays or all "
                                        r"torch tensors; got x: Tensor, depthwise_weight: "
                                        r"ndarray"):
        depthwise_separable_conv2d(t(1, 1, 4, 4), np.ones((1, 1, 3, 3), np.float32),
                                   t(1, 1, 1, 1))
    with pytest.raises(ValueError, match=r"depthwise_separable_conv2d expects x of shape "
                                         r"\(batch, channels, height, width\)"):
        depthwise_separable_conv2d(t(4, 4), t(1, 1, 3, 3), t(1, 1, 1, 1))
    with pytest.raises(ValueError, match=r"conv2d: the kernel spans 5 along height"):
        depthwise_separable_conv2d(t(1, 1, 4, 4), t(1, 1, 3, 3), t(1, 1, 1, 1), dilation=2)
