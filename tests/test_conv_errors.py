"""Every wrong argument raises the documented error, naming what was expected and what
was given, before any arithmetic; and where PyTorch draws the line, convlib draws it
in the same place."""

import re

import numpy as np
import pytest
import torch
from torch.nn import functional as nnf

import convlib

BY_METHOD = pytest.mark.parametrize("method", convlib.GENERAL_METHODS)


def t(*shape, dtype=torch.float32):
    return torch.ones(*shape, dtype=dtype)


def a(*shape, dtype=np.float32):
    return np.ones(shape, dtype=dtype)


# -- shapes -------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(5, 5), (1, 1, 1, 5, 5), (5,)])
def test_conv2d_x_with_wrong_number_of_dimensions(shape):
    pattern = (r"conv2d expects x of shape \(batch, channels, height, width\), 4 dimensions,"
               rf" or without the batch axis, 3; got {len(shape)} dimensions, shape "
               + re.escape(str(shape)))
    with pytest.raises(ValueError, match=pattern):
        convlib.conv2d(t(*shape), t(1, 1, 3, 3))


def test_conv2d_greyscale_image_gets_a_hint():
    with pytest.raises(ValueError, match=r"got 2 dimensions.*x\[None, None\]"):
        convlib.conv2d(a(5, 5), a(1, 1, 3, 3))


@pytest.mark.parametrize("shape", [(5,), (1, 1, 1, 5)])
def test_conv1d_x_with_wrong_number_of_dimensions(shape):
    with pytest.raises(ValueError, match=r"conv1d expects x of shape \(batch, channels, length\)"
                                         rf".*got {len(shape)} dimensions"):
        convlib.conv1d(t(*shape), t(1, 1, 3))


def test_zero_dimensional_x_is_reported_as_such():
    with pytest.raises(ValueError, match=r"got 0 dimensions, shape \(\)"):
        convlib.conv2d(np.array(1.0, dtype=np.float32), a(1, 1, 1, 1))


@pytest.mark.parametrize("shape", [(3, 3), (1, 3, 3), (1, 1, 1, 3, 3)])
def test_conv2d_weight_with_wrong_number_of_dimensions(shape):
    pattern = (r"conv2d expects weight of shape \(out_channels, in_channels / groups, "
               r"kernel_height, kernel_width\), 4 dimensions; got "
               rf"{len(shape)} dimensions, shape " + re.escape(str(shape)))
    with pytest.raises(ValueError, match=pattern):
        convlib.conv2d(t(1, 1, 5, 5), t(*shape))


def test_conv1d_weight_with_wrong_number_of_dimensions():
    with pytest.raises(ValueError, match=r"conv1d expects weight of shape \(out_channels, "
                                         r"in_channels / groups, kernel_length\), 3 dimensions; "
                                         r"got 2 dimensions"):
        convlib.conv1d(t(1, 1, 5), t(1, 3))


def test_kernel_channels_do_not_match_input_channels():
    with pytest.raises(ValueError, match=r"kernels have 2 channels.*expect 2 input channels, "
                                         r"but x has 3"):
        convlib.conv2d(t(1, 3, 5, 5), t(4, 2, 3, 3))


def test_kernel_channels_do_not_match_with_groups():
    with pytest.raises(ValueError, match=r"kernels have 3 channels, so with groups=2 they expect "
                                         r"6 input channels, but x has 4"):
        convlib.conv1d(t(2, 4, 7), t(2, 3, 3), groups=2)


def test_groups_must_divide_input_channels():
    with pytest.raises(ValueError, match=r"groups=2 must divide the input channels, 3"):
        convlib.conv2d(t(1, 3, 5, 5), t(4, 1, 3, 3), groups=2)


def test_groups_must_divide_output_channels():
    with pytest.raises(ValueError, match=r"groups=2 must divide the output channels.*, 3$"):
        convlib.conv2d(t(1, 4, 5, 5), t(3, 2, 3, 3), groups=2)


@pytest.mark.parametrize("groups", [0, -1, 1.0, True])
def test_groups_must_be_a_positive_int(groups):
    with pytest.raises(ValueError, match=rf"groups must be a positive int; got {groups!r}"):
        convlib.conv2d(t(1, 2, 5, 5), t(2, 2, 3, 3), groups=groups)


@pytest.mark.parametrize("bias_shape", [(2,), (3, 1), (1, 3), ()])
def test_bias_of_the_wrong_shape(bias_shape):
    pattern = (r"conv2d: bias must hold one value per filter, shape \(3,\); got shape "
               + re.escape(str(bias_shape)))
    with pytest.raises(ValueError, match=pattern):
        convlib.conv2d(t(1, 2, 5, 5), t(3, 2, 3, 3), torch.ones(bias_shape))


# -- kernel, stride, padding, dilation -----------------------------------------------


@pytest.mark.parametrize("size, k, padding, dilation, span, padded", [
    (4, 5, 0, 1, 5, 4),
    (4, 3, 0, 2, 5, 4),    # dilated: 2 * (3 - 1) + 1
    (4, 7, 1, 1, 7, 6),    # padding counts
    (6, 3, (0, 1), 4, 9, 7),
])
def test_kernel_larger_than_padded_input(size, k, padding, dilation, span, padded):
    x, w = t(1, 1, 3, size), t(1, 1, 1, k)
    pad = (0, padding)
    with pytest.raises(ValueError, match=rf"the kernel spans {span} along width \(size {k}, "
                                         rf"dilation {dilation}\), more than the padded "
                                         rf"input's {padded} \(size {size}, padding"):
        convlib.conv2d(x, w, padding=pad, dilation=(1, dilation))


def test_kernel_larger_than_input_along_height_and_1d():
    with pytest.raises(ValueError, match=r"kernel spans 4 along height"):
        convlib.conv2d(t(1, 1, 3, 9), t(1, 1, 4, 1))
    with pytest.raises(ValueError, match=r"conv1d: the kernel spans 9 along length"):
        convlib.conv1d(t(1, 1, 8), t(1, 1, 9))


@pytest.mark.parametrize("name", ["stride", "dilation"])
@pytest.mark.parametrize("value", [0, -1, (1, 0), (-2, 1)])
def test_non_positive_stride_or_dilation(name, value):
    with pytest.raises(ValueError, match=rf"{name} must be at least 1 along every axis; "
                                         rf"got {re.escape(repr(value))}"):
        convlib.conv2d(t(1, 1, 5, 5), t(1, 1, 2, 2), **{name: value})


@pytest.mark.parametrize("name", ["stride", "dilation"])
@pytest.mark.parametrize("value", [(1,), (1, 1, 1), [1, 1], 1.5, (1, 1.0), True])
def test_stride_or_dilation_of_the_wrong_form(name, value):
    with pytest.raises(TypeError, match=rf"{name} must be an int or a tuple of 2 ints; "
                                        rf"got {re.escape(repr(value))}"):
        convlib.conv2d(t(1, 1, 5, 5), t(1, 1, 2, 2), **{name: value})


@pytest.mark.parametrize("dims, padding", [(2, -1), (2, (0, -1)), (2, ((1, -1), 0)),
                                            (1, -3), (1, ((-2, 0),))])
def test_negative_padding(dims, padding):
    x, w = t(1, 1, *(5,) * dims), t(1, 1, *(2,) * dims)
    conv = convlib.conv2d if dims == 2 else convlib.conv1d
    with pytest.raises(ValueError, match=r"padding must not be negative; got "
                                         + re.escape(repr(padding))):
        conv(x, w, padding=padding)


@pytest.mark.parametrize("padding", [(1,), (1, 1, 1), [1, 1], 1.0, True])
def test_padding_of_the_wrong_form(padding):
    with pytest.raises(TypeError, match=r"padding must be an int, 'valid', 'same' or a tuple of "
                                        rf"2 entries; got {re.escape(repr(padding))}$"
                                        if padding is not True else "got True"):
        convlib.conv2d(t(1, 1, 5, 5), t(1, 1, 2, 2), padding=padding)


@pytest.mark.parametrize("entry", [(1, 2, 3), (1,), (1.0, 1), True, "same", (0, False)])
def test_padding_entry_of_the_wrong_form(entry):
    with pytest.raises(TypeError, match=r"each padding entry must be an int or a \(before, "
                                        rf"after\) pair; got {re.escape(repr(entry))}$"):
        convlib.conv2d(t(1, 1, 5, 5), t(1, 1, 2, 2), padding=(entry, 0))


@pytest.mark.parametrize("stride, per_axis", [(2, (2, 2)), ((1, 2), (1, 2)), ((3, 1), (3, 1))])
def test_same_padding_needs_stride_one(stride, per_axis):
    with pytest.raises(ValueError, match=r"padding='same' keeps the size only at stride 1; "
                                         rf"got stride={re.escape(repr(per_axis))}"):
        convlib.conv2d(t(1, 1, 5, 5), t(1, 1, 3, 3), stride=stride, padding="same")


def test_kernel_that_fits_exactly_is_accepted():
    # span 4 * (3 - 1) + 1 = 9 = 6 + 0 + 3: one output column
    out = convlib.conv2d(t(1, 1, 3, 6), t(1, 1, 1, 3), padding=(0, (0, 3)), dilation=(1, 4))
    assert out.shape == (1, 1, 3, 1)


@pytest.mark.parametrize("padding", ["full", "SAME", "", "causal"])
def test_unknown_padding_string(padding):
    with pytest.raises(ValueError, match=r"padding must be an int, a tuple, 'valid' or 'same'; "
                                         rf"got {re.escape(repr(padding))}"):
        convlib.conv1d(t(1, 1, 5), t(1, 1, 3), padding=padding)


@pytest.mark.parametrize("mode", ["mirror", "constant", "zero", "Reflect"])
def test_unknown_padding_mode(mode):
    with pytest.raises(ValueError, match=r"padding_mode must be one of \('zeros', 'reflect', "
                                         rf"'replicate', 'circular'\); got '{mode}'"):
        convlib.conv2d(t(1, 1, 5, 5), t(1, 1, 3, 3), padding=1, padding_mode=mode)
    with pytest.raises(ValueError, match=rf"padding_mode must be one of .*; got '{mode}'"):
        convlib.pad(t(1, 1, 5, 5), ((1, 1), (1, 1)), mode)


@pytest.mark.parametrize("method", ["FFT", "LOOPS", "direct", None])
def test_unknown_method(method):
    known = re.escape(repr(tuple(convlib.METHODS)))
    with pytest.raises(ValueError, match=rf"method must be one of {known}; "
                                         rf"got {re.escape(repr(method))}"):
        convlib.conv2d(t(1, 1, 5, 5), t(1, 1, 3, 3), method=method)


@pytest.mark.parametrize("mode, n, padding, limit", [
    ("reflect", 4, 4, 3),
    ("reflect", 1, 1, 0),
    ("reflect", 5, (0, 5), 4),
    ("circular", 4, 5, 4),
    ("circular", 3, (4, 0), 3),
])
def test_padding_mode_limits(mode, n, padding, limit):
    pattern = (rf"padding_mode='{mode}' can pad at most {limit} along width, whose size is {n}; "
               r"got padding \(")
    with pytest.raises(ValueError, match=pattern):
        convlib.conv2d(t(1, 1, 3, n), t(1, 1, 1, 1), padding=(0, padding), padding_mode=mode)


@pytest.mark.parametrize("mode", ["reflect", "circular"])
@pytest.mark.parametrize("n", range(1, 6))
@pytest.mark.parametrize("p", range(0, 8))
def test_padding_mode_limits_are_torchs(mode, n, p):
    """convlib refuses exactly the paddings torch.nn.Conv1d refuses."""
    x, w = torch.randn(1, 1, n), torch.randn(1, 1, 1)
    layer = torch.nn.Conv1d(1, 1, 1, padding=p, padding_mode=mode, bias=False)
    try:
        layer(x)
        torch_ok = True
    except RuntimeError:
        torch_ok = False
    if torch_ok:
        convlib.conv1d(x, w, padding=p, padding_mode=mode)
    else:
        with pytest.raises(ValueError, match=rf"padding_mode='{mode}' can pad at most"):
            convlib.conv1d(x, w, padding=p, padding_mode=mode)


@pytest.mark.parametrize("n", range(1, 6))
@pytest.mark.parametrize("k", range(1, 5))
@pytest.mark.parametrize("d", range(1, 4))
def test_kernel_limits_are_torchs(n, k, d):
    """convlib refuses exactly the kernels torch's conv1d refuses."""
    x, w = torch.randn(1, 1, n), torch.randn(1, 1, k)
    try:
        nnf.conv1d(x, w, padding=1, dilation=d)
        torch_ok = True
    except RuntimeError:
        torch_ok = False
    if torch_ok:
        convlib.conv1d(x, w, padding=1, dilation=d)
    else:
        with pytest.raises(ValueError, match=r"kernel spans"):
            convlib.conv1d(x, w, padding=1, dilation=d)


# -- kinds and dtypes ----------------------------------------------------------------


@pytest.mark.parametrize("make", [t, a], ids=["torch", "numpy"])
def test_mixed_dtypes(make):
    x, w = make(1, 1, 5, 5), make(1, 1, 3, 3)
    w64 = w.double() if isinstance(w, torch.Tensor) else w.astype(np.float64)
    with pytest.raises(TypeError, match=r"conv2d: x is torch.float32 but weight is "
                                        r"torch.float64; convert them to one dtype"):
        convlib.conv2d(x, w64)
    b64 = make(1)
    b64 = b64.double() if isinstance(b64, torch.Tensor) else b64.astype(np.float64)
    with pytest.raises(TypeError, match=r"x is torch.float32 but bias is torch.float64"):
        convlib.conv2d(x, w, b64)


@pytest.mark.parametrize("x_kind, w_kind, b_kind, names", [
    ("numpy", "torch", None, "x: ndarray, weight: Tensor, bias: NoneType"),
    ("torch", "numpy", None, "x: Tensor, weight: ndarray, bias: NoneType"),
    ("torch", "torch", "numpy", "x: Tensor, weight: Tensor, bias: ndarray"),
    ("numpy", "numpy", "torch", "x: ndarray, weight: ndarray, bias: Tensor"),
])
def test_mixed_kinds(x_kind, w_kind, b_kind, names):
    make = {"numpy": a, "torch": t}
    x, w = make[x_kind](1, 2, 5, 5), make[w_kind](3, 2, 3, 3)
    b = None if b_kind is None else make[b_kind](3)
    with pytest.raises(TypeError, match=r"conv2d: x, weight and bias must all be NumPy arrays "
                                        r"or all torch tensors; got " + re.escape(names)):
        convlib.conv2d(x, w, b)


@pytest.mark.parametrize("which", ["x", "weight", "bias"])
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_, np.complex64])
def test_non_floating_numpy_input(which, dtype):
    args = {"x": a(1, 2, 5, 5), "weight": a(3, 2, 3, 3), "bias": a(3)}
    args[which] = args[which].astype(dtype)
    got = str(np.dtype(dtype))
    with pytest.raises(TypeError, match=rf"{which} must hold floating-point numbers; "
                                        rf"got dtype {got}"):
        convlib.conv2d(args["x"], args["weight"], args["bias"])


@pytest.mark.parametrize("dtype", [torch.int64, torch.int16, torch.bool])
def test_non_floating_torch_input(dtype):
    name = str(dtype).split(".")[-1]
    with pytest.raises(TypeError, match=rf"x must hold floating-point numbers; got dtype {name}"):
        convlib.conv1d(torch.ones(1, 1, 5, dtype=dtype), t(1, 1, 3))


@pytest.mark.parametrize("which, value, given", [
    ("x", [[[1.0, 2.0, 3.0]]], "list"),
    ("x", ((1.0, 2.0, 3.0),), "tuple"),
    ("x", 3.0, "float"),
    ("weight", [[[1.0]]], "list"),
    ("bias", [0.0], "list"),
])
def test_not_an_array(which, value, given):
    args = {"x": a(1, 1, 3), "weight": a(1, 1, 1), "bias": None}
    args[which] = value
    with pytest.raises(TypeError, match=rf"{which} must be a NumPy array or a torch.Tensor; "
                                        rf"got {given} \(wrap it with np.asarray"):
        convlib.conv1d(args["x"], args["weight"], args["bias"])


@BY_METHOD
def test_errors_come_before_arithmetic(method):
    """A bad argument is reported even when the rest would be costly to compute."""
    with pytest.raises(ValueError, match="padding_mode"):
        convlib.conv2d(t(2, 3, 9, 9), t(6, 3, 3, 3), padding=1, padding_mode="nope",
                       method=method)


@pytest.mark.parametrize("which", ["weight", "bias"])
def test_mixed_devices_without_a_gpu(which):
    """PyTorch's 'meta' device stands in for a GPU (test_cuda.py checks a real one)."""
    args = {"weight": t(3, 2, 3, 3), "bias": t(3)}
    args[which] = args[which].to("meta")
    with pytest.raises(ValueError, match=rf"conv2d: x is on cpu but {which} is on meta; "
                                         r"move them to one device"):
        convlib.conv2d(t(1, 2, 5, 5), args["weight"], args["bias"])
