"""Chapter 3's additions to convlib: parameter and multiply-accumulate counts against
real PyTorch layers, their errors, and the figures of multi-channel convolutions.

Layers are built on PyTorch's "meta" device: they have real parameter shapes and
compute real output shapes, without allocating or initialising any numbers.
"""

import re
from itertools import product
from math import prod

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch.nn import functional as nnf

import convlib
from convlib.draw.multichannel import Filtered
from convlib.sizes.counts import valid_groups

matplotlib.use("Agg")

META = torch.device("meta")
LAYER = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d, 3: torch.nn.Conv3d}


def _divisors(n: int) -> list[int]:
    return [g for g in range(1, n + 1) if n % g == 0]


def _torch_params(layer: torch.nn.Module) -> int:
    return sum(p.numel() for p in layer.parameters())


# -- conv_params -----------------------------------------------------------------------

@pytest.mark.parametrize("c_in, c_out", list(product((1, 2, 3, 4, 6, 8), (1, 2, 4, 6, 12))))
def test_conv_params_matches_torch_conv2d(c_in, c_out):
    """Every kernel size (square, non-square), valid groups value and bias setting."""
    for kernel, groups, bias in product((1, 3, (1, 3), (5, 2), (7, 7)), _divisors(c_in),
                                        (True, False)):
        if c_out % groups:
            continue
        layer = torch.nn.Conv2d(c_in, c_out, kernel, groups=groups, bias=bias, device=META)
        got = convlib.conv_params(c_in, c_out, kernel, groups, bias)
        assert got == _torch_params(layer), (kernel, groups, bias)


@pytest.mark.parametrize("dims, kernel", [(1, (1,)), (1, (5,)), (3, (3, 3, 3)),
                                          (3, (1, 2, 3))])
@pytest.mark.parametrize("c_in, c_out, groups", [(4, 8, 1), (4, 8, 2), (4, 8, 4), (6, 3, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_conv_params_matches_torch_1d_and_3d(dims, kernel, c_in, c_out, groups, bias):
    layer = LAYER[dims](c_in, c_out, kernel, groups=groups, bias=bias, device=META)
    assert convlib.conv_params(c_in, c_out, kernel, groups, bias) == _torch_params(layer)


def test_conv_params_of_known_layers():
    """Counts published for well-known layers, worked out by hand."""
    assert convlib.conv_params(3, 64, 7, bias=False) == 9_408  # ResNet-50's first layer
    assert convlib.conv_params(3, 64, 3) == 1_792  # VGG-16's first layer
    assert convlib.conv_params(512, 512, 3) == 2_359_808  # one of VGG-16's last ones
    assert convlib.conv_params(32, 32, 3, groups=32, bias=False) == 288  # depthwise 3x3


# -- conv_macs --------------------------------------------------------------------------

def _fits(shape, k, p, d) -> bool:
    """Whether torch accepts the layer: the dilated kernel fits the padded input."""
    if p == "same":
        return True
    ks = (k, k) if isinstance(k, int) else k
    ps = (0, 0) if p == "valid" else ((p, p) if isinstance(p, int) else p)
    return all(d * (kk - 1) + 1 <= n + 2 * pp for n, kk, pp in zip(shape[1:], ks, ps,
                                                                   strict=True))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
@pytest.mark.parametrize("shape", [(1, 7, 7), (3, 8, 5), (4, 6, 9), (6, 10, 10)])
@pytest.mark.parametrize("c_out", [2, 6])
def test_conv_macs_matches_torch_output_shape(shape, c_out):
    """MACs = output elements * (C_in / groups) * k_h * k_w, the output from a real layer,
    over kernel sizes, strides, paddings, dilations and groups."""
    checked = 0
    for kernel, stride, padding, dilation, groups in product(
            (1, 3, (2, 3)), (1, 2, (2, 1)), (0, 1, (2, 0), "valid", "same"), (1, 2),
            _divisors(shape[0])):
        if c_out % groups or (padding == "same" and stride != 1):
            continue
        if not _fits(shape, kernel, padding, dilation):
            continue
        layer = torch.nn.Conv2d(shape[0], c_out, kernel, stride, padding, dilation, groups,
                                device=META)
        out = layer(torch.empty(1, *shape, device=META))
        per_output = layer.weight[0].numel()  # (C_in / groups) * k_h * k_w multiply-adds
        got = convlib.conv_macs(shape, c_out, kernel, stride, padding, dilation, groups)
        assert got == out.numel() * per_output, (kernel, stride, padding, dilation, groups)
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("length, kernel, stride, padding, dilation", [
    (10, 3, 1, 0, 1), (10, 3, 2, 1, 1), (16, 5, 1, "same", 2), (9, 4, 3, 2, 1),
])
@pytest.mark.parametrize("c_in, c_out, groups", [(2, 4, 1), (2, 4, 2), (6, 6, 3)])
def test_conv_macs_1d_matches_torch(length, kernel, stride, padding, dilation, c_in, c_out,
                                    groups):
    layer = torch.nn.Conv1d(c_in, c_out, kernel, stride, padding, dilation, groups, device=META)
    out = layer(torch.empty(1, c_in, length, device=META))
    expected = out.numel() * (c_in // groups) * kernel
    assert convlib.conv_macs((c_in, length), c_out, (kernel,), stride, padding, dilation,
                             groups) == expected
    assert convlib.conv_macs((c_in, length), c_out, kernel, stride, padding, dilation,
                             groups) == expected


def test_conv_macs_counts_the_loops():
    """A direct count: one multiply-add per (output value, weight of its filter) pair,
    visited by the seven nested loops of a plain convolution."""
    c_in, c_out, h, w, k, groups = 4, 6, 6, 5, 3, 2
    count = 0
    for _ in range(c_out):
        for _ in range(h - k + 1):
            for _ in range(w - k + 1):
                count += (c_in // groups) * k * k
    assert convlib.conv_macs((c_in, h, w), c_out, k, groups=groups) == count


def test_conv_macs_of_known_layers():
    # ResNet-50's first layer on a 224x224 image: about 118 million multiply-adds
    assert convlib.conv_macs((3, 224, 224), 64, 7, stride=2, padding=3) == 118_013_952
    # VGG-16's first layer: about 87 million
    assert convlib.conv_macs((3, 224, 224), 64, 3, padding=1) == 86_704_128


# -- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("c_in, c_out, groups, name, channels", [
    (6, 4, 4, "in_channels", 6), (4, 6, 4, "out_channels", 6), (3, 6, 2, "in_channels", 3),
])
def test_groups_must_divide_channels(c_in, c_out, groups, name, channels):
    with pytest.raises(ValueError, match=rf"groups={groups} must divide {name}, {channels}"):
        convlib.conv_params(c_in, c_out, 3, groups)
    with pytest.raises(ValueError, match=rf"groups={groups} must divide {name}, {channels}"):
        convlib.conv_macs((c_in, 8, 8), c_out, 3, groups=groups)
    with pytest.raises(ValueError):  # torch refuses the same layers
        torch.nn.Conv2d(c_in, c_out, 3, groups=groups, device=META)


@pytest.mark.parametrize("name, kwargs, error, pattern", [
    ("in_channels", {"in_channels": 0}, ValueError, r"in_channels must be at least 1; got 0"),
    ("out_channels", {"out_channels": -2}, ValueError, r"out_channels must be at least 1; got -2"),
    ("in_channels", {"in_channels": 3.0}, TypeError, r"in_channels must be a positive int; "
                                                     r"got 3\.0"),
    ("out_channels", {"out_channels": True}, TypeError, r"out_channels must be a positive int"),
    ("groups", {"groups": 0}, ValueError, r"groups must be at least 1; got 0"),
    ("groups", {"groups": 1.5}, TypeError, r"groups must be a positive int; got 1\.5"),
    ("kernel_size", {"kernel_size": 0}, ValueError, r"kernel_size must be at least 1 along "
                                                    r"every axis; got 0"),
    ("kernel_size", {"kernel_size": (3, 0)}, ValueError, r"got \(3, 0\)"),
    ("kernel_size", {"kernel_size": [3, 3]}, TypeError,
     r"kernel_size must be an int or a tuple of ints, e\.g\. 3 or \(3, 5\); got \[3, 3\]"),
    ("kernel_size", {"kernel_size": ()}, TypeError, r"kernel_size must be an int or a tuple"),
    ("bias", {"bias": 1}, TypeError, r"bias must be True or False; got 1"),
])
def test_conv_params_bad_arguments(name, kwargs, error, pattern):
    args = {"in_channels": 4, "out_channels": 8, "kernel_size": 3, **kwargs}
    with pytest.raises(error, match=pattern):
        convlib.conv_params(**args)


@pytest.mark.parametrize("shape", [(3, 8, 8, 8, 8), (8,), (), [1, 2, 3, 4]])
def test_conv_macs_input_shape_of_the_wrong_length(shape):
    with pytest.raises(ValueError, match=r"input_shape must be \(channels, height, width\), or "
                                         r"\(channels, length\) for 1-D, for one input without "
                                         r"the batch axis; got " + re.escape(repr(shape))):
        convlib.conv_macs(shape, 4, 3)


def test_conv_macs_batched_shape_is_refused():
    # (N, C, H, W) is 4 long: refused, with the hint to leave the batch out
    with pytest.raises(ValueError, match=r"without the batch axis; got \(1, 3, 8, 8\)"):
        convlib.conv_macs((1, 3, 8, 8), 4, 3)


@pytest.mark.parametrize("shape, pattern", [
    ((0, 8, 8), r"input_shape's channels must be at least 1; got 0"),
    ((3, 8, -1), r"every spatial size in input_shape must be at least 1; got -1"),
    ((3, 8.0, 8), r"every spatial size in input_shape must be a positive int; got 8\.0"),
    ("3x8x8", r"input_shape must be \(channels, height, width\)"),
])
def test_conv_macs_bad_sizes(shape, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        convlib.conv_macs(shape, 4, 3)


def test_conv_macs_kernel_with_the_wrong_number_of_axes():
    with pytest.raises(ValueError, match=r"kernel_size must have one entry per spatial axis of "
                                         r"the input, 2; got \(3,\)"):
        convlib.conv_macs((3, 8, 8), 4, (3,))
    with pytest.raises(ValueError, match=r"one entry per spatial axis of the input, 1; "
                                         r"got \(3, 3\)"):
        convlib.conv_macs((3, 8), 4, (3, 3))


def test_conv_macs_kernel_larger_than_the_input():
    with pytest.raises(ValueError, match=r"the kernel spans 5 .* padded input is only 4 long"):
        convlib.conv_macs((3, 4, 9), 4, 5)


@pytest.mark.parametrize("kwargs, error, pattern", [
    ({"stride": 0}, ValueError, r"stride must be at least 1 along every axis; got 0"),
    ({"stride": (1, 2, 3)}, TypeError, r"stride must be an int or a tuple of 2 ints"),
    ({"dilation": -1}, ValueError, r"dilation must be at least 1 along every axis"),
    ({"padding": -1}, ValueError, r"padding must not be negative; got -1"),
    ({"padding": "full"}, ValueError, r"padding must be an int, a tuple, 'valid' or 'same'"),
    ({"padding": "same", "stride": 2}, ValueError, r"padding='same' keeps the size only at "
                                                   r"stride 1"),
])
def test_conv_macs_bad_stride_padding_dilation(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        convlib.conv_macs((3, 8, 8), 4, 3, **kwargs)


# -- groups -----------------------------------------------------------------------------


@pytest.mark.parametrize("c_in, c_out", [(1, 1), (4, 8), (6, 9), (12, 12), (7, 5)])
def test_valid_groups_are_the_ones_torch_accepts(c_in, c_out):
    accepted = []
    for g in range(1, max(c_in, c_out) + 1):
        try:
            torch.nn.Conv2d(c_in, c_out, 1, groups=g, device=META)
            accepted.append(g)
        except ValueError:
            pass
    assert valid_groups(c_in, c_out) == accepted


# -- figures ----------------------------------------------------------------------------

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("channels, size, kernel", [(3, 4, 3), (1, 5, 2), (2, 3, 1)])
def test_filtered_numbers_agree_with_torch(channels, size, kernel):
    x = RNG.integers(-3, 4, (channels, size, size)).astype(np.float32)
    w = RNG.integers(-2, 3, (channels, kernel, kernel)).astype(np.float32)
    f = Filtered.build(x, w, 1.5)
    xt, wt = torch.from_numpy(x), torch.from_numpy(w)
    per_channel = nnf.conv2d(xt[:, None], wt[:, None], groups=1)  # (C, C, ., .): diagonal
    for c in range(channels):
        np.testing.assert_allclose(f.partial[c], per_channel[c, c].numpy(), atol=1e-5)
    expected = nnf.conv2d(xt[None], wt[None], torch.tensor([1.5]))[0, 0].numpy()
    np.testing.assert_allclose(f.output, expected, atol=1e-5)
    np.testing.assert_allclose(f.total + 1.5, expected, atol=1e-5)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
@pytest.mark.parametrize("step", [None, 0, 3])
def test_draw_multichannel_draws_three_panels_per_channel_and_two_more(channels, step):
    x = RNG.integers(0, 3, (channels, 4, 4)).astype(np.float32)
    w = RNG.integers(-1, 2, (channels, 3, 3)).astype(np.float32)
    fig = convlib.draw_multichannel(x, w, bias=1.0, step=step)
    # per channel: input, kernel, result; then the sum and the output
    assert len(fig.axes) == 3 * channels + 2
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[-2:] == ["sum", "output"]
    assert sum(t.startswith("input channel") for t in titles) == channels
    plt.close(fig)


def test_draw_multichannel_accepts_a_filter_with_a_leading_axis():
    x, w = np.ones((2, 3, 3)), np.ones((1, 2, 2, 2))
    fig = convlib.draw_multichannel(x, w)
    assert len(fig.axes) == 3 * 2 + 2
    plt.close(fig)


@pytest.mark.parametrize("x_shape, w_shape, pattern", [
    ((3, 4, 4), (2, 3, 3), r"a filter needs one kernel per input channel: x has 3 channels but "
                           r"the filter has 2 kernels"),
    ((4, 4), (1, 3, 3), r"x must be one input of shape \(channels, height, width\); got shape "
                        r"\(4, 4\)"),
    ((3, 4, 4), (2, 3, 3, 3), r"weight must be one filter of shape \(channels, kernel_h, "
                              r"kernel_w\) or \(1, channels, kernel_h, kernel_w\); got shape "
                              r"\(2, 3, 3, 3\)"),
])
def test_draw_multichannel_bad_shapes(x_shape, w_shape, pattern):
    with pytest.raises(ValueError, match=pattern):
        convlib.draw_multichannel(np.ones(x_shape), np.ones(w_shape))


def test_draw_multichannel_bad_step_and_bias():
    x, w = np.ones((2, 4, 4)), np.ones((2, 3, 3))
    with pytest.raises(ValueError, match=r"step must be None or an int in 0\.\.3; got 4"):
        convlib.draw_multichannel(x, w, step=4)
    with pytest.raises(TypeError, match=r"bias must be a number \(one per filter\) or None; "
                                        r"got \[1\.0\]"):
        convlib.draw_multichannel(x, w, bias=[1.0])


def test_animate_multichannel_has_a_frame_per_position():
    x, w = np.ones((3, 4, 4)), np.ones((3, 3, 3))
    html = convlib.animate_multichannel(x, w, 1.0).data
    assert html.count("frames[3]") == 1 and "frames[4]" not in html


@pytest.mark.parametrize("input_shape, filters", [((3, 5, 5), 4), ((1, 7, 7), 32),
                                                  ((32, 5, 5), 64)])
def test_draw_layer_runs(input_shape, filters):
    fig = convlib.draw_layer(input_shape, filters, 3)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    channels, height, width = input_shape
    side = height - 2
    assert f"output {side}×{side}×{filters}" in texts
    assert f"weight ({filters}, {channels}, 3, 3)" in texts
    plt.close(fig)


def test_draw_layer_bad_shape():
    with pytest.raises(ValueError, match=r"input_shape must be \(channels, height, width\); "
                                         r"got \(5, 5\)"):
        convlib.draw_layer((5, 5), 4, 3)


@pytest.mark.parametrize("groups", [(1,), (1, 2), (1, 2, 4, 8)])
def test_draw_groups_one_panel_per_groups_value(groups):
    fig = convlib.draw_groups(8, 8, groups)
    assert len(fig.axes) == len(groups)
    plt.close(fig)


def test_draw_groups_lines_join_only_channels_of_a_group():
    fig = convlib.draw_groups(4, 6, (2,))
    lines = fig.axes[0].get_lines()
    assert len(lines) == 6 * (4 // 2)  # each output channel sees its group's 2 inputs
    plt.close(fig)


def test_draw_groups_bad_groups():
    with pytest.raises(ValueError, match=r"groups=3 must divide in_channels, 8"):
        convlib.draw_groups(8, 6, (1, 3))
    with pytest.raises(ValueError, match=r"groups must list at least one value"):
        convlib.draw_groups(8, 8, ())


def test_animate_groups_has_a_frame_per_valid_groups():
    html = convlib.animate_groups(4, 8).data  # groups 1, 2, 4
    assert "frames[2]" in html and "frames[3]" not in html


def test_show_channels():
    image = convlib.photo(gray=False, size=32)
    fig = convlib.show_channels(image)
    assert [ax.get_title() for ax in fig.axes][1:] == ["channel 0: red", "channel 1: green",
                                                       "channel 2: blue"]
    plt.close(fig)
    with pytest.raises(ValueError, match=r"show_channels expects a colour image of shape "
                                         r"\(height, width, 3\), channels last; got shape "
                                         r"\(32, 32\)"):
        convlib.show_channels(np.zeros((32, 32)))


def test_macs_and_params_agree_with_the_layer_diagrams_shapes():
    """The syllabus's shape examples: 5x5x3 with 4 filters of 3x3x3 gives 3x3x4."""
    layer = torch.nn.Conv2d(3, 4, 3, device=META)
    assert tuple(layer(torch.empty(3, 5, 5, device=META)).shape) == (4, 3, 3)
    assert convlib.conv_macs((3, 5, 5), 4, 3) == 4 * 3 * 3 * prod((3, 3, 3))
