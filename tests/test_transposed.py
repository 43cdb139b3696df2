"""convlib's conv_transpose1d/2d/3d, by both methods, agree with PyTorch, follow the
definition (one stamp of the kernel per input value), and refuse bad input clearly.

The property test draws only combinations PyTorch accepts: groups dividing the input
channels, output_padding smaller than the stride or the dilation, and a padding that
leaves at least one output value.
"""

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.nn import functional as nnf

import convlib
from convlib.ops.transposed import (
    TRANSPOSED_METHODS,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
)

OURS = {1: conv_transpose1d, 2: conv_transpose2d, 3: conv_transpose3d}
TORCH = {1: nnf.conv_transpose1d, 2: nnf.conv_transpose2d, 3: nnf.conv_transpose3d}
TOLERANCE = {torch.float32: 1e-4, torch.float64: 1e-10}
BY_METHOD = pytest.mark.parametrize("method", tuple(TRANSPOSED_METHODS))
BY_DIMS = pytest.mark.parametrize("dims", [1, 2, 3])
DTYPES = pytest.mark.parametrize("dtype", [torch.float32, torch.float64],
                                 ids=["float32", "float64"])


def _argument(draw, per_axis):
    """The per-axis values as an int when they are all alike (sometimes), else a tuple."""
    if len(set(per_axis)) == 1 and draw(st.booleans()):
        return per_axis[0]
    return tuple(per_axis)


@st.composite
def cases(draw, dims):
    """A transposed convolution's shapes and arguments, as a dict."""
    biggest = {1: 6, 2: 5, 3: 3}[dims]
    size = [draw(st.integers(1, biggest)) for _ in range(dims)]
    kernel = [draw(st.integers(1, 4 if dims < 3 else 3)) for _ in range(dims)]
    stride = [draw(st.integers(1, 3)) for _ in range(dims)]
    dilation = [draw(st.integers(1, 3)) for _ in range(dims)]
    # output_padding < max(stride, dilation); padding leaves at least one output value
    extra = [draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation, strict=True)]
    padding = [draw(st.integers(0, min(3, ((n - 1) * s + d * (k - 1) + a) // 2)))
               for n, k, s, d, a in zip(size, kernel, stride, dilation, extra, strict=True)]
    groups = draw(st.integers(1, 3))
    return {
        "batch": draw(st.sampled_from([None, 1, 2])),
        "in_channels": groups * draw(st.integers(1, 2)),
        "per_group": draw(st.integers(1, 3)),
        "size": size, "kernel": kernel, "bias": draw(st.booleans()),
        # in torch's order: stride, padding, output_padding, groups, dilation
        "args": (_argument(draw, stride), _argument(draw, padding), _argument(draw, extra),
                 groups, _argument(draw, dilation)),
        "seed": draw(st.integers(0, 2**32 - 1)),
    }


def tensors(case, dtype=torch.float64):
    gen = torch.Generator().manual_seed(case["seed"])
    lead = () if case["batch"] is None else (case["batch"],)
    groups = case["args"][3]
    x = torch.randn(*lead, case["in_channels"], *case["size"], generator=gen, dtype=dtype)
    w = torch.randn(case["in_channels"], case["per_group"], *case["kernel"], generator=gen,
                    dtype=dtype)
    b = (torch.randn(case["per_group"] * groups, generator=gen, dtype=dtype)
         if case["bias"] else None)
    return x, w, b


@BY_DIMS
@DTYPES
@BY_METHOD
@settings(max_examples=40)
@given(data=st.data())
def test_agrees_with_torch(dims, dtype, method, data):
    case = data.draw(cases(dims), label="case")
    x, w, b = tensors(case, dtype)
    expected = TORCH[dims](x, w, b, *case["args"])
    got = OURS[dims](x, w, b, *case["args"], method=method)
    assert isinstance(got, torch.Tensor)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert (got - expected).abs().max().item() <= TOLERANCE[dtype]


@BY_DIMS
@BY_METHOD
@settings(max_examples=15)
@given(data=st.data())
def test_numpy_in_numpy_out(dims, method, data):
    case = data.draw(cases(dims), label="case")
    x, w, b = tensors(case, torch.float32)
    from_torch = OURS[dims](x, w, b, *case["args"], method=method)
    got = OURS[dims](x.numpy(), w.numpy(), None if b is None else b.numpy(), *case["args"],
                     method=method)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32
    np.testing.assert_array_equal(got, from_torch.numpy())


@BY_DIMS
@BY_METHOD
def test_empty_batch(dims, method):
    x, w = torch.randn(0, 4, *(3,) * dims), torch.randn(4, 3, *(2,) * dims)
    got = OURS[dims](x, w, None, 2, 1, 1, 2, method=method)
    expected = TORCH[dims](x, w, None, 2, 1, 1, 2)
    assert got.shape == expected.shape == (0, 6, *(5,) * dims)


@BY_METHOD
def test_one_input_value_stamps_the_kernel(method):
    """The definition: a lone 1 at (i, j) leaves a copy of the kernel at (i, j) * stride,
    its weights dilation apart, and zeros elsewhere."""
    kernel = torch.arange(1.0, 7.0).reshape(2, 3)
    x = torch.zeros(1, 1, 3, 4)
    x[0, 0, 1, 2] = 1.0
    got = conv_transpose2d(x, kernel[None, None], stride=(3, 2), dilation=(2, 1),
                           method=method)[0, 0]
    expected = torch.zeros(convlib.transposed_output_size(3, 2, 3, 0, 0, 2),
                           convlib.transposed_output_size(4, 3, 2, 0, 0, 1))
    expected[3:3 + 3:2, 4:4 + 3] = kernel
    assert torch.equal(got, expected)


@BY_METHOD
def test_overlapping_stamps_add_up_and_padding_crops(method):
    """Two ones, one apart, with a 1x3 kernel of ones at stride 1: the stamps overlap on
    two cells; padding 1 removes one cell from each end."""
    x = torch.tensor([[[1.0, 1.0]]])
    w = torch.ones(1, 1, 3)
    assert conv_transpose1d(x, w, method=method).tolist() == [[[1.0, 2.0, 2.0, 1.0]]]
    assert conv_transpose1d(x, w, padding=1, method=method).tolist() == [[[2.0, 2.0]]]
    assert conv_transpose1d(x, w, stride=2, padding=1, output_padding=1,
                            method=method).tolist() == [[[1.0, 2.0, 1.0, 1.0]]]


@BY_METHOD
def test_gradient_of_a_convolution_is_the_transposed_convolution(method):
    """conv_transpose2d is the adjoint of conv2d (the gradient of conv2d with respect to
    its input): <conv2d(x, w), y> = <x, conv_transpose2d(y, w)>."""
    gen = torch.Generator().manual_seed(5)
    x = torch.randn(2, 4, 9, 8, generator=gen, dtype=torch.float64)
    w = torch.randn(6, 2, 3, 2, generator=gen, dtype=torch.float64)
    args = dict(stride=(2, 3), padding=(1, 0), dilation=(1, 2), groups=2)
    y = torch.randn(convlib.conv2d(x, w, **args).shape, generator=gen, dtype=torch.float64)
    extra = tuple((n + 2 * p - d * (k - 1) - 1) % s for n, k, s, p, d in
                  zip((9, 8), (3, 2), (2, 3), (1, 0), (1, 2), strict=True))
    back = conv_transpose2d(y, w, None, args["stride"], args["padding"], extra, 2,
                            args["dilation"], method=method)
    assert back.shape == x.shape
    torch.testing.assert_close((convlib.conv2d(x, w, **args) * y).sum(), (x * back).sum())


@BY_METHOD
def test_unbatched_and_module_parameters(method):
    layer = torch.nn.ConvTranspose2d(4, 6, (3, 2), stride=2, padding=1, output_padding=1,
                                     groups=2, dilation=(1, 2))
    x = torch.randn(4, 5, 6)
    got = conv_transpose2d(x, layer.weight, layer.bias, 2, 1, 1, 2, (1, 2), method=method)
    torch.testing.assert_close(got, layer(x))


def test_methods_agree_on_a_mnist_sized_batch():
    gen = torch.Generator().manual_seed(6)
    x = torch.randn(1, 16, 28, 28, generator=gen)
    w = torch.randn(16, 16, 3, 3, generator=gen)
    expected = nnf.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1)
    for method in TRANSPOSED_METHODS:
        got = conv_transpose2d(x, w, stride=2, padding=1, output_padding=1, method=method)
        torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-4)


# -- bad input ---------------------------------------------------------------------------


def t(*shape):
    return torch.ones(*shape)


@pytest.mark.parametrize("dims, shape", [(2, (5, 5)), (2, (1, 1, 1, 5, 5)), (1, (5,)),
                                         (3, (1, 5, 5))])
def test_x_with_wrong_number_of_dimensions(dims, shape):
    layout = {1: "length", 2: "height, width", 3: "depth, height, width"}[dims]
    pattern = (rf"conv_transpose{dims}d expects x of shape \(batch, channels, {layout}\), "
               rf"{dims + 2} dimensions, or without the batch axis, {dims + 1}; got "
               rf"{len(shape)} dimensions")
    with pytest.raises(ValueError, match=pattern):
        OURS[dims](t(*shape), t(1, 1, *(2,) * dims))


def test_weight_with_wrong_number_of_dimensions():
    with pytest.raises(ValueError, match=r"conv_transpose2d expects weight of shape "
                                         r"\(in_channels, out_channels / groups, kernel_height, "
                                         r"kernel_width\), 4 dimensions; got 3 dimensions"):
        conv_transpose2d(t(1, 1, 4, 4), t(1, 1, 3))


def test_weight_in_channels_must_match_x():
    with pytest.raises(ValueError, match=r"conv_transpose2d: weight holds kernels for 4 input "
                                         r"channels \(its first axis, in_channels\), but x has 3"):
        conv_transpose2d(t(1, 3, 4, 4), t(4, 3, 3, 3))


def test_the_out_in_layout_of_conv2d_is_refused():
    """A conv2d weight (out, in, ...) passed by mistake is caught, not silently used."""
    with pytest.raises(ValueError, match=r"weight holds kernels for 8 input channels"):
        conv_transpose2d(t(1, 3, 4, 4), t(8, 3, 3, 3))


def test_groups_must_divide_input_channels():
    with pytest.raises(ValueError, match=r"groups=2 must divide the input channels, 3"):
        conv_transpose1d(t(1, 3, 4), t(3, 1, 3), groups=2)


@pytest.mark.parametrize("groups", [0, -2, 1.0, True])
def test_groups_must_be_a_positive_int(groups):
    with pytest.raises(ValueError, match=rf"groups must be a positive int; got {groups!r}"):
        conv_transpose2d(t(1, 2, 4, 4), t(2, 1, 3, 3), groups=groups)


def test_bias_of_the_wrong_shape():
    # 2 groups of 3 output channels: the bias needs 6 values
    with pytest.raises(ValueError, match=r"conv_transpose2d: bias must hold one value per "
                                         r"filter, shape \(6,\); got shape \(3,\)"):
        conv_transpose2d(t(1, 4, 4, 4), t(4, 3, 3, 3), t(3), groups=2)


@pytest.mark.parametrize("stride, dilation, output_padding", [(2, 1, 2), (1, 1, 1), (2, 3, 3)])
def test_output_padding_must_be_smaller_than_stride_or_dilation(stride, dilation,
                                                                 output_padding):
    with pytest.raises(ValueError, match=r"conv_transpose2d: along height, output_padding must "
                                         r"be smaller than the stride or the dilation, as "
                                         rf"PyTorch requires; got output_padding="
                                         rf"{output_padding} with stride={stride} and "
                                         rf"dilation={dilation}"):
        conv_transpose2d(t(1, 1, 4, 4), t(1, 1, 3, 3), None, stride, 0, output_padding, 1,
                         dilation)


def test_output_padding_limits_are_torchs():
    """convlib refuses exactly the output paddings torch refuses."""
    for s in range(1, 4):
        for d in range(1, 4):
            for a in range(0, 5):
                x, w = torch.ones(1, 1, 3), torch.ones(1, 1, 2)
                try:
                    nnf.conv_transpose1d(x, w, stride=s, output_padding=a, dilation=d)
                    torch_ok = True
                except RuntimeError:
                    torch_ok = False
                if torch_ok:
                    conv_transpose1d(x, w, stride=s, output_padding=a, dilation=d)
                else:
                    with pytest.raises(ValueError, match=r"output_padding must be smaller"):
                        conv_transpose1d(x, w, stride=s, output_padding=a, dilation=d)


def test_padding_that_crops_away_the_whole_output():
    with pytest.raises(ValueError, match=r"conv_transpose3d: along width, padding=2 crops away "
                                         r"the whole output: .* = -1 for n=2"):
        conv_transpose3d(t(1, 1, 2, 2, 2), t(1, 1, 2, 2, 2), padding=(0, 0, 2))


@pytest.mark.parametrize("name, value, error, pattern", [
    ("stride", 0, ValueError, r"stride must be at least 1 along every axis; got 0"),
    ("stride", (1, 2, 1), TypeError,
     r"stride must be an int or a tuple of 2 ints; got \(1, 2, 1\)"),
    ("padding", -1, ValueError, r"padding must be at least 0 along every axis; got -1"),
    ("padding", "same", TypeError, r"padding must be an int or a tuple of 2 ints; got 'same'"),
    ("output_padding", (0, -1), ValueError, r"output_padding must be at least 0 along every"),
    ("output_padding", 0.5, TypeError, r"output_padding must be an int or a tuple of 2 ints"),
    ("dilation", (0, 1), ValueError, r"dilation must be at least 1 along every axis"),
])
def test_settings_of_the_wrong_form(name, value, error, pattern):
    with pytest.raises(error, match=pattern):
        conv_transpose2d(t(1, 1, 4, 4), t(1, 1, 3, 3), **{name: value})


def test_x_without_values_along_an_axis():
    with pytest.raises(ValueError, match=r"conv_transpose2d: x has no values along width"):
        conv_transpose2d(t(1, 1, 4, 0), t(1, 1, 3, 3))


@pytest.mark.parametrize("method", ["loops", "im2col", "Scatter", None])
def test_unknown_method(method):
    with pytest.raises(ValueError, match=r"method must be one of \('scatter', 'conv'\); "
                                         rf"got {re.escape(repr(method))}"):
        conv_transpose2d(t(1, 1, 4, 4), t(1, 1, 3, 3), method=method)


def test_kinds_dtypes_and_devices():
    with pytest.raises(TypeError, match=r"conv_transpose2d: x, weight and bias must all be "
                                        r"NumPy arrays or all torch tensors; got x: Tensor, "
                                        r"weight: ndarray, bias: NoneType"):
        conv_transpose2d(t(1, 1, 4, 4), np.ones((1, 1, 3, 3), np.float32))
    with pytest.raises(TypeError, match=r"x is torch.float32 but bias is torch.float64"):
        conv_transpose2d(t(1, 1, 4, 4), t(1, 1, 3, 3), t(1).double())
    with pytest.raises(TypeError, match=r"weight must hold floating-point numbers; got dtype "
                                        r"int64"):
        conv_transpose1d(np.ones((1, 1, 4), np.float32), np.ones((1, 1, 3), np.int64))
    with pytest.raises(ValueError, match=r"conv_transpose2d: x is on cpu but weight is on meta"):
        conv_transpose2d(t(1, 1, 4, 4), t(1, 1, 3, 3).to("meta"))
