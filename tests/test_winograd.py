"""Winograd's minimal filtering: the transform matrices compute the convolution of a
tile, the methods agree with PyTorch on every 3x3 stride-1 layer, refuse the others
clearly, and the larger tile is the less accurate in float32."""

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_conv_against_torch import TOLERANCE, Case, assert_close
from torch.nn import functional as nnf

import convlib
from convlib.ops import winograd
from convlib.ops.winograd import F2_3, F4_3, conv2d_winograd, conv2d_winograd4, winograd_error

NEW = {"winograd": conv2d_winograd, "winograd4": conv2d_winograd4}
BY_METHOD = pytest.mark.parametrize("method", tuple(NEW))
BY_TILE = pytest.mark.parametrize("tile, transforms", [(2, F2_3), (4, F4_3)],
                                  ids=["F(2,3)", "F(4,3)"])
DTYPES = pytest.mark.parametrize("dtype", [torch.float32, torch.float64],
                                 ids=["float32", "float64"])


@pytest.fixture(scope="module", autouse=True)
def registered():
    """The Winograd methods in convlib's METHODS, as if registered in convlib/ops/conv.py."""
    with pytest.MonkeyPatch.context() as mp:
        for name, method in NEW.items():
            mp.setitem(convlib.ops.conv.METHODS, name, method)
        yield


def _matrices(transforms):
    return (torch.tensor(m, dtype=torch.float64) for m in transforms)


# -- the transforms, on single tiles ---------------------------------------------------


@BY_TILE
def test_matrix_shapes(tile, transforms):
    BT, G, AT = _matrices(transforms)
    assert BT.shape == (tile + 2, tile + 2)
    assert G.shape == (tile + 2, 3)
    assert AT.shape == (tile, tile + 2)


@BY_TILE
@settings(max_examples=50)
@given(seed=st.integers(0, 2**32 - 1))
def test_1d_tile_is_the_direct_product(tile, transforms, seed):
    BT, G, AT = _matrices(transforms)
    gen = torch.Generator().manual_seed(seed)
    d = torch.randn(tile + 2, generator=gen, dtype=torch.float64)
    g = torch.randn(3, generator=gen, dtype=torch.float64)
    direct = torch.stack([(d[i:i + 3] * g).sum() for i in range(tile)])
    torch.testing.assert_close(AT @ ((G @ g) * (BT @ d)), direct, rtol=0, atol=1e-12)


@BY_TILE
@settings(max_examples=50)
@given(seed=st.integers(0, 2**32 - 1))
def test_2d_tile_is_the_direct_product(tile, transforms, seed):
    BT, G, AT = _matrices(transforms)
    gen = torch.Generator().manual_seed(seed)
    d = torch.randn(tile + 2, tile + 2, generator=gen, dtype=torch.float64)
    g = torch.randn(3, 3, generator=gen, dtype=torch.float64)
    direct = torch.tensor([[(d[i:i + 3, j:j + 3] * g).sum().item() for j in range(tile)]
                           for i in range(tile)], dtype=torch.float64)
    nested = AT @ ((G @ g @ G.T) * (BT @ d @ BT.T)) @ AT.T
    torch.testing.assert_close(nested, direct, rtol=0, atol=1e-12)


@BY_TILE
def test_fewer_multiplies(tile, transforms):
    """(m + 2)^2 element-wise products per m x m tile, instead of 9 m^2."""
    assert (tile + 2) ** 2 < 9 * tile ** 2
    assert winograd.TRANSFORMS[tile] is transforms


# -- the methods, against PyTorch ------------------------------------------------------


@st.composite
def winograd_cases(draw) -> Case:
    """A 3x3, stride 1, dilation 1 convolution: any padding mode, padding, groups."""
    mode = draw(st.sampled_from(convlib.PADDING_MODES))
    size = (draw(st.integers(1, 11)), draw(st.integers(1, 11)))
    pads = []
    for n in size:
        limit = min(3, {"reflect": n - 1, "circular": n}.get(mode, 3))  # as PyTorch allows
        short = max(0, 3 - n)  # the padding the kernel needs to fit
        assume(2 * limit >= short)
        before = draw(st.integers(max(0, short - limit), limit))
        pads.append((before, draw(st.integers(max(0, short - before), limit))))
    groups = draw(st.integers(1, 3))
    depthwise = draw(st.booleans())
    return Case(
        batch=draw(st.sampled_from([None, 1, 3])),
        in_channels=groups * (1 if depthwise else draw(st.integers(1, 3))),
        out_channels=groups * draw(st.integers(1, 3)), groups=groups, size=size,
        kernel=(3, 3), stride=1, padding=tuple(pads), dilation=1, bias=draw(st.booleans()),
        padding_mode=mode, seed=draw(st.integers(0, 2**32 - 1)),
    )


@DTYPES
@BY_METHOD
@settings(max_examples=60)
@given(case=winograd_cases())
def test_agrees_with_torch(torch_conv, dtype, method, case):
    x, w, b = case.tensors(dtype)
    expected = torch_conv(x, w, b, *case.args(), case.padding_mode)
    got = convlib.conv2d(x, w, b, *case.args(), padding_mode=case.padding_mode,
                         method=method)
    assert_close(got, expected, TOLERANCE[dtype])


@BY_METHOD
@settings(max_examples=30)
@given(case=winograd_cases())
def test_agrees_with_torch_an_image_at_a_time(torch_conv, method, case):
    x, w, b = case.tensors(torch.float64)
    expected = torch_conv(x, w, b, *case.args(), case.padding_mode)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(winograd, "CHUNK_BYTES", 1)
        mp.setattr(winograd, "MIN_TILES", 1)
        got = convlib.conv2d(x, w, b, *case.args(), padding_mode=case.padding_mode,
                             method=method)
    assert_close(got, expected, TOLERANCE[torch.float64])


@DTYPES
@BY_METHOD
@settings(max_examples=15)
@given(case=winograd_cases())
def test_numpy_in_numpy_out(dtype, method, case):
    x, w, b = case.tensors(dtype)
    kwargs = {"padding_mode": case.padding_mode, "method": method}
    from_torch = convlib.conv2d(x, w, b, *case.args(), **kwargs)
    got = convlib.conv2d(x.numpy(), w.numpy(), None if b is None else b.numpy(),
                         *case.args(), **kwargs)
    assert isinstance(got, np.ndarray) and got.dtype == x.numpy().dtype
    np.testing.assert_array_equal(got, from_torch.numpy())


@BY_METHOD
def test_a_layer_of_many_tiles(method):
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(4, 32, 30, 27, generator=gen, dtype=torch.float64)
    w = torch.randn(48, 16, 3, 3, generator=gen, dtype=torch.float64)
    expected = nnf.conv2d(x, w, padding=1, groups=2)
    assert_close(convlib.conv2d(x, w, padding=1, groups=2, method=method), expected, 1e-10)


@BY_METHOD
def test_empty_batch(method):
    x, w = torch.randn(0, 2, 6, 6), torch.randn(4, 2, 3, 3)
    assert_close(convlib.conv2d(x, w, padding=1, method=method),
                 nnf.conv2d(x, w, padding=1), 0)


# -- what it does not compute ----------------------------------------------------------

UNSUPPORTED = [
    # (weight shape, stride, dilation, what the message names)
    ((2, 2, 5, 5), 1, 1, "5x5 kernel"),
    ((2, 2, 3, 1), 1, 1, "3x1 kernel"),
    ((2, 2, 3, 3), 2, 1, r"stride \(2, 2\)"),
    ((2, 2, 3, 3), (1, 2), 1, r"stride \(1, 2\)"),
    ((2, 2, 3, 3), 1, 2, r"dilation \(2, 2\)"),
]


@BY_METHOD
@pytest.mark.parametrize("shape, stride, dilation, named", UNSUPPORTED)
def test_unsupported_settings_are_refused(method, shape, stride, dilation, named):
    x = torch.randn(1, 2, 12, 12)
    with pytest.raises(ValueError, match="3x3 kernels at stride 1 and dilation 1") as info:
        convlib.conv2d(x, torch.randn(shape), stride=stride, dilation=dilation,
                       method=method)
    assert info.match(named)


@BY_METHOD
def test_conv1d_is_refused(method):
    with pytest.raises(ValueError, match="1x3 kernel"):
        convlib.conv1d(torch.randn(1, 2, 9), torch.randn(2, 2, 3), method=method)


@pytest.mark.parametrize("tile", [3, 6, 0])
def test_unknown_tile_is_refused(tile):
    with pytest.raises(ValueError, match=rf"tile must be one of \(2, 4\).*got {tile}"):
        conv2d_winograd(torch.randn(1, 1, 6, 6), torch.randn(1, 1, 3, 3), tile=tile)


# -- accuracy --------------------------------------------------------------------------


def test_float32_error_grows_with_the_tile():
    small, large = winograd_error(2), winograd_error(4)
    assert 0 < small < large < 1e-2
    # the direct method's float32 error on the same data, for scale
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(2, 16, 32, 32, generator=gen, dtype=torch.float64)
    w = torch.randn(16, 16, 3, 3, generator=gen, dtype=torch.float64)
    direct = (nnf.conv2d(x.float(), w.float()).double() - nnf.conv2d(x, w)).abs().max().item()
    assert direct < large


@pytest.mark.parametrize("tile", [2, 4])
def test_error_is_measured_on_the_data_asked_for(tile):
    assert winograd_error(tile, seed=1) != winograd_error(tile, seed=2)
    assert winograd_error(tile, seed=1) == winograd_error(tile, seed=1)
