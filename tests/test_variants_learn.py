"""Chapter 6's numbers: stamp counts and checkerboards of upsamplers, the depthwise-
separable digit CNNs, the deformable layer and its twin, the warped digits, the moving
digit, and the exercises' self-checks."""

import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as nnf
from torch.utils.data import TensorDataset

import convlib as cl
from convlib.learn.deformable import DeformConv2d
from convlib.learn.upsampling import interior

# -- upsampling: stamps, overlap, checkerboards -----------------------------------------

def test_stamp_counts_of_a_3_wide_kernel_at_stride_2():
    assert cl.stamp_counts(3, 2, 4).tolist() == [1, 1, 2, 1, 2, 1, 2, 1, 1]


@pytest.mark.parametrize("kernel_size, stride, size", [(3, 2, 4), (4, 2, 3), (5, 3, 4),
                                                        (2, 3, 3), (1, 1, 2)])
def test_stamp_counts_are_the_transposed_convolution_of_ones_in_torch(kernel_size, stride,
                                                                        size):
    ones = torch.ones(1, 1, size, size, dtype=torch.float64)
    kernel = torch.ones(1, 1, kernel_size, kernel_size, dtype=torch.float64)
    expected = nnf.conv_transpose2d(ones, kernel, stride=stride)[0, 0].round().long().numpy()
    counts = cl.stamp_counts(kernel_size, stride, size, dims=2)
    assert np.array_equal(counts, expected)
    line = cl.stamp_counts(kernel_size, stride, size)
    assert np.array_equal(counts, np.outer(line, line))  # the two axes multiply


@pytest.mark.parametrize("stride", [1, 2, 3, 4])
@pytest.mark.parametrize("kernel_size", range(1, 10))
def test_overlap_is_floor_and_ceil_of_k_over_s(kernel_size, stride):
    low, high = kernel_size // stride, math.ceil(kernel_size / stride)
    assert cl.overlap_range(kernel_size, stride) == (low, high)
    assert cl.overlap_range(kernel_size, stride, dims=2) == (low * low, high * high)


def test_bad_stamp_arguments():
    with pytest.raises(ValueError, match="kernel_size must be at least 1"):
        cl.stamp_counts(0, 2, 4)
    with pytest.raises(TypeError, match="stride must be a positive int"):
        cl.stamp_counts(3, 1.5, 4)
    with pytest.raises(ValueError, match="dims must be 1 or 2"):
        cl.stamp_counts(3, 2, 4, dims=3)
    with pytest.raises(ValueError, match="no interior"):
        interior(cl.stamp_counts(3, 2, 1), 3)


def test_checkerboard_scores():
    assert cl.checkerboard(np.ones((10, 10))) == 0
    assert cl.checkerboard(np.zeros((10, 10))) == 0
    pattern = np.tile([[1.0, 2.0], [2.0, 4.0]], (6, 6))
    assert cl.checkerboard(pattern) == pytest.approx(4 / 3)
    assert cl.checkerboard(torch.tensor(pattern)) == pytest.approx(4 / 3)
    smooth = np.add.outer(np.arange(12.0), np.arange(12.0)) + 10  # a ramp, no period
    assert cl.checkerboard(smooth) < 0.1


def test_checkerboard_rejects_bad_input():
    with pytest.raises(ValueError, match="2-D image"):
        cl.checkerboard(np.ones((2, 3, 3)))
    with pytest.raises(ValueError, match="border must be 0 or more"):
        cl.checkerboard(np.ones((6, 6)), border=-1)
    with pytest.raises(ValueError, match="too small"):
        cl.checkerboard(np.ones((5, 5)), border=2)


@pytest.mark.parametrize("kind", cl.UPSAMPLERS)
def test_every_upsampler_doubles_the_size(kind):
    torch.manual_seed(0)
    with torch.no_grad():
        assert cl.upsampler(kind)(torch.ones(2, 1, 7, 7)).shape == (2, 1, 14, 14)


def test_checkerboards_of_the_upsamplers_on_a_constant_image():
    ones = torch.ones(1, 1, 12, 12)
    score = {}
    for equal in (True, False):
        for kind in cl.UPSAMPLERS:
            torch.manual_seed(0)
            with torch.no_grad():
                score[equal, kind] = cl.checkerboard(cl.upsampler(kind, equal)(ones)[0, 0])
    assert score[True, "transposed 3x3"] == pytest.approx(4 / 3)  # the 1, 2, 2, 4 pattern
    assert score[True, "transposed 4x4"] < 1e-6
    assert score[False, "transposed 4x4"] > 0.1  # random weights are not balanced
    for equal in (True, False):
        assert score[equal, "resize, then 3x3"] < 1e-6


def test_equal_weights_keep_the_mean_of_a_constant_image():
    ones = torch.ones(1, 1, 12, 12)
    for kind in cl.UPSAMPLERS:
        with torch.no_grad():
            inner = cl.upsampler(kind, equal_weights=True)(ones)[0, 0, 4:-4, 4:-4]
        assert inner.mean().item() == pytest.approx(1.0)


def test_upsampler_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="kind must be one of"):
        cl.upsampler("bicubic")
    with pytest.raises(TypeError, match="equal_weights"):
        cl.upsampler("transposed 3x3", equal_weights=1)


# -- depthwise-separable digit CNNs -------------------------------------------------------

def test_digit_cnn_parameter_counts():
    assert cl.count_parameters(cl.digit_cnn()) == 25_866
    assert cl.count_parameters(cl.digit_cnn(separable=True)) == 5_866
    assert cl.count_parameters(cl.digit_cnn(channels=(8, 16, 24))) == 5_698
    block = cl.separable_block(16, 32)
    expected = cl.conv_params(16, 16, 3, groups=16) + cl.conv_params(16, 32, 1)
    assert cl.count_parameters(block) == expected == 704


def test_separable_block_computes_depthwise_then_pointwise():
    torch.manual_seed(0)
    block = cl.separable_block(4, 6)
    x = torch.randn(2, 4, 8, 8)
    depthwise, pointwise = block
    expected = cl.depthwise_separable_conv2d(x, depthwise.weight, pointwise.weight,
                                             depthwise.bias, pointwise.bias, padding=1)
    with torch.no_grad():
        assert torch.allclose(block(x), expected, atol=1e-5)


def test_digit_cnn_classifies_8x8_and_28x28_digits():
    with torch.no_grad():
        assert cl.digit_cnn()(torch.zeros(3, 1, 8, 8)).shape == (3, 10)
        assert cl.digit_cnn(True, image_size=28)(torch.zeros(3, 1, 28, 28)).shape == (3, 10)


def test_digit_cnn_rejects_bad_settings():
    with pytest.raises(ValueError, match="multiple of 4"):
        cl.digit_cnn(image_size=14)
    with pytest.raises(ValueError, match="three widths"):
        cl.digit_cnn(channels=(8, 16))
    with pytest.raises(TypeError, match="separable must be True or False"):
        cl.digit_cnn(separable="yes")


def test_rank_one_share():
    sobel = torch.tensor(cl.kernel("sobel_x"), dtype=torch.float64)
    assert cl.rank_one_share(sobel).item() == pytest.approx(1.0)
    sharpen = torch.tensor(cl.kernel("sharpen"), dtype=torch.float64)
    assert cl.rank_one_share(sharpen).item() < 1
    many = cl.rank_one_share(torch.randn(5, 3, 3))
    assert many.shape == (5,) and bool(((many > 1 / 3 - 1e-9) & (many <= 1)).all())
    with pytest.raises(ValueError, match="no energy"):
        cl.rank_one_share(torch.zeros(3, 3))
    with pytest.raises(ValueError, match="2-D kernels"):
        cl.rank_one_share(torch.ones(3))


# -- the deformable layer -----------------------------------------------------------------

def test_a_fresh_deformable_layer_is_the_plain_convolution():
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 5, 3, stride=2, padding=1, dilation=1)
    layer = DeformConv2d.from_conv(conv)
    x = torch.randn(2, 3, 9, 9)
    with torch.no_grad():
        assert torch.allclose(layer(x), conv(x), atol=1e-5)
    assert layer.weight is not conv.weight  # a copy: the two train apart


def test_the_same_seed_gives_a_deformable_layer_the_conv_weights():
    torch.manual_seed(3)
    conv = nn.Conv2d(2, 4, 3, padding=1)
    torch.manual_seed(3)
    layer = cl.DeformConv2d(2, 4, 3, padding=1)
    assert torch.equal(layer.weight, conv.weight) and torch.equal(layer.bias, conv.bias)


def test_modulated_layer_starts_at_half_the_samples():
    torch.manual_seed(0)
    conv = nn.Conv2d(2, 3, 3, padding=1)
    layer = DeformConv2d.from_conv(conv, modulated=True)
    x = torch.randn(1, 2, 6, 6)
    with torch.no_grad():
        plain = nnf.conv2d(x, conv.weight, padding=1)
        assert torch.allclose(layer(x), 0.5 * plain + conv.bias[:, None, None], atol=1e-5)


def test_gradients_reach_the_offset_branch():
    torch.manual_seed(0)
    layer = cl.DeformConv2d(1, 2, 3, padding=1)
    x = torch.rand(2, 1, 7, 7)
    layer(x).square().sum().backward()
    assert layer.offset.weight.grad is not None
    assert layer.offset.weight.grad.abs().sum() > 0


def test_sampling_points_of_a_fresh_layer_are_the_regular_grid():
    layer = cl.DeformConv2d(1, 1, 3, padding=1, dilation=2)
    points = layer.sampling_points(torch.rand(1, 1, 8, 8))
    assert points.shape == (1, 9, 2, 6, 6)
    # output (2, 3) with padding 1 and dilation 2 reads rows 1, 3, 5 and columns 2, 4, 6
    rows = points[0, :, 0, 2, 3].reshape(3, 3)[:, 0].tolist()
    cols = points[0, :, 1, 2, 3].reshape(3, 3)[0].tolist()
    assert rows == [1, 3, 5] and cols == [2, 4, 6]
    assert cl.offset_size(layer, torch.rand(1, 1, 8, 8)).abs().max() == 0


def test_sampling_points_follow_the_offsets():
    layer = cl.DeformConv2d(1, 1, 3, padding=1)
    with torch.no_grad():
        layer.offset.bias.copy_(torch.tensor([0.5, -1.0] * 9))  # every point moves alike
    points = layer.sampling_points(torch.zeros(1, 1, 5, 5))
    assert torch.allclose(points[0, 4, :, 2, 2], torch.tensor([2.5, 1.0]))  # the centre tap
    assert torch.allclose(cl.offset_size(layer, torch.zeros(1, 1, 5, 5)),
                          torch.full((1, 9, 5, 5), math.hypot(0.5, 1.0)))


def test_from_conv_rejects_what_it_cannot_copy():
    with pytest.raises(TypeError, match="groups=1"):
        DeformConv2d.from_conv(nn.Conv2d(2, 2, 3, groups=2))
    with pytest.raises(ValueError, match="padding as numbers"):
        DeformConv2d.from_conv(nn.Conv2d(2, 2, 3, padding="same"))
    with pytest.raises(TypeError, match="offset_size takes a DeformConv2d"):
        cl.offset_size(nn.Conv2d(1, 1, 3), torch.zeros(1, 1, 5, 5))


def test_twin_cnns_start_as_the_same_function():
    torch.manual_seed(0)
    plain, twin = cl.twin_cnns(image_size=14)
    x = torch.rand(4, 1, 14, 14)
    with torch.no_grad():
        assert torch.allclose(plain(x), twin(x), atol=1e-6)
    assert isinstance(twin[0], DeformConv2d)
    assert cl.count_parameters(twin) - cl.count_parameters(plain) == 18 * 9 + 18
    with pytest.raises(ValueError, match="at least 4"):
        cl.twin_cnns(image_size=3)


# -- warps and shrinking ------------------------------------------------------------------

def test_a_swirl_of_strength_zero_moves_nothing_and_warp_with_it_copies():
    assert torch.equal(cl.swirl(9, strength=0.0), torch.zeros(9, 9, 2))
    images = torch.rand(2, 1, 9, 9)
    assert torch.allclose(cl.warp(images, cl.swirl(9, strength=0.0)), images, atol=1e-6)


def test_a_swirl_turns_the_middle_more_than_the_edge():
    flow = cl.swirl(15, strength=1.0)
    assert flow[7, 7].abs().max() < 1e-6  # the centre stays
    near = flow[7, 9].norm()  # 2 pixels from the centre
    far = flow[7, 14].norm() / 7  # per pixel of distance, at 7 pixels
    assert near / 2 > far


def test_warp_by_a_whole_pixel_shifts():
    images = torch.rand(1, 1, 6, 6)
    flow = torch.zeros(6, 6, 2)
    flow[..., 1] = 1.0  # read one pixel to the right
    out = cl.warp(images, flow)
    assert torch.allclose(out[..., :, :-1], images[..., :, 1:], atol=1e-6)
    assert out[..., :, -1].abs().max() < 1e-6  # zero outside


def test_warp_and_swirl_reject_bad_input():
    with pytest.raises(ValueError, match="flow must have shape"):
        cl.warp(torch.rand(1, 1, 6, 6), torch.zeros(5, 5, 2))
    with pytest.raises(ValueError, match="N, C, H, W"):
        cl.warp(torch.rand(6, 6), torch.zeros(6, 6, 2))
    with pytest.raises(ValueError, match="radius must be positive"):
        cl.swirl(8, radius=0)


def test_shrink_and_warped_digits():
    images = torch.arange(16.0).reshape(1, 1, 4, 4)
    assert cl.shrink(images).tolist() == [[[[2.5, 4.5], [10.5, 12.5]]]]
    data = TensorDataset(torch.rand(3, 1, 8, 8), torch.tensor([1, 2, 3]))
    plain = cl.warped_digits(data, None)
    assert plain.tensors[0].shape == (3, 1, 4, 4) and plain.tensors[1].tolist() == [1, 2, 3]
    assert torch.allclose(plain.tensors[0], cl.shrink(data.tensors[0]))
    swirled = cl.warped_digits(data, cl.swirl(4))
    assert swirled.tensors[0].shape == (3, 1, 4, 4)


# -- a moving digit and a 3-D kernel that follows it --------------------------------------

def test_moving_digit_frames():
    image = np.arange(6, dtype=np.float32).reshape(2, 3) + 1
    right = cl.moving_digit(image, frames=3, step=2)
    assert right.shape == (3, 2, 7)
    for t in range(3):
        assert np.array_equal(right[t, :, 2 * t:2 * t + 3], image)
        assert right[t].sum() == image.sum()
    left = cl.moving_digit(image, frames=3, step=-2)
    assert np.array_equal(left, right[::-1])
    with pytest.raises(ValueError, match="no room"):
        cl.moving_digit(image, frames=3, step=2, width=5)
    with pytest.raises(TypeError, match="step must be an int"):
        cl.moving_digit(image, step=1.5)


def test_trajectory_kernel_follows_a_rightward_motion():
    kernel = cl.trajectory_kernel(frames=3, speed=2)
    assert kernel.shape == (3, 3, 5) and kernel.sum() == 3
    assert [tuple(np.argwhere(kernel[t])[0]) for t in range(3)] == [(1, 0), (1, 2), (1, 4)]
    rng = np.random.default_rng(0)
    image = rng.random((6, 6)).astype(np.float32)
    right = cl.moving_digit(image, frames=5, step=2)
    out = cl.conv3d(right[None, None], kernel[None, None])[0, 0]
    assert np.allclose(out, 3 * right[:-2, 1:-1, :-4], atol=1e-5)  # three times frame t
    left = cl.moving_digit(image, frames=5, step=-2)
    out_left = cl.conv3d(left[None, None], kernel[None, None])[0, 0]
    assert not np.allclose(out_left, 3 * left[:-2, 1:-1, :-4], atol=1e-2)


# -- the exercises' self-checks -----------------------------------------------------------

def _verdict(capsys, label, answer):
    cl.check(label, answer)
    return capsys.readouterr().out


def _dilation_offsets(d, height, width):
    offsets = torch.zeros(1, 18, height, width)
    for a in range(3):
        for b in range(3):
            tap = 3 * a + b
            offsets[0, 2 * tap], offsets[0, 2 * tap + 1] = (d - 1) * (a - 1), (d - 1) * (b - 1)
    return offsets


def test_right_answers_pass(capsys):
    answers = {
        "6.1": (3, 2, 5, 5),
        "6.2": (18_432, 2_336),
        "6.3": [3, 6, 9],
        "6.4": _dilation_offsets,
        "6.5": lambda: nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(1, 1, 3, padding=1)),
    }
    for label, answer in answers.items():
        assert f"Exercise {label}: correct." in _verdict(capsys, label, answer)


@pytest.mark.parametrize("label, answer, hint", [
    ("6.1", (16, 3, 2, 5, 5), "whole layer"),
    ("6.1", (2, 5, 5), "one kernel"),
    ("6.1", (2, 5, 5, 3), "channels first"),
    ("6.2", (18_432, 288), "add both steps"),
    ("6.2", (9_216, 2_336), "one k x k kernel"),
    ("6.3", [1, 3, 6, 9], "gaps"),
    ("6.3", [3, 6], "missing"),
    ("6.4", lambda d, h, w: torch.zeros(1, 18, h, w), "differs"),
    ("6.4", lambda d, h, w: torch.zeros(18, h, w), "shape"),
    ("6.5", lambda: nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1),
     "modulo 2"),
    ("6.5", lambda: nn.Upsample(scale_factor=2), "weights to learn"),
])
def test_wrong_answers_get_a_hint_without_the_answer(capsys, label, answer, hint):
    out = _verdict(capsys, label, answer)
    assert "not yet" in out and hint in out
    for secret in ("3, 2, 5, 5", "2336", "2,336", "[3, 6, 9]"):
        assert secret not in out
