"""Chapter 8's numbers: the seven loops agree with PyTorch and count conv_macs, the
costs and intensities of a layer add up, the machine's measurements are sane, the
benchmark's helpers read timings right, and the self-checks accept the right
answers and hint at the usual mistakes without giving the answer."""

import io
import math
from contextlib import redirect_stdout

import numpy as np
import pytest
import torch
from torch.nn import functional as nnf

import convlib as cl
from convlib import bench
from convlib.selfcheck import computing


def _checked(label: str, answer: object) -> str:
    printed = io.StringIO()
    with redirect_stdout(printed):
        cl.check(label, answer)
    return printed.getvalue()


# -- the seven loops ---------------------------------------------------------------


@pytest.mark.parametrize("shape, weight, stride, dilation, groups", [
    ((1, 1, 5, 5), (1, 1, 3, 3), 1, 1, 1),
    ((2, 4, 6, 7), (6, 2, 3, 2), 1, 1, 2),
    ((1, 3, 9, 8), (2, 3, 3, 3), 2, 1, 1),
    ((2, 2, 9, 9), (2, 1, 3, 3), 1, 2, 2),
])
def test_seven_loops_agree_with_torch_and_count_the_macs(shape, weight, stride, dilation,
                                                          groups):
    gen = torch.Generator().manual_seed(0)
    x, w = torch.randn(shape, generator=gen), torch.randn(weight, generator=gen)
    y, macs = cl.conv2d_nested(x, w, stride, dilation, groups)
    expected = nnf.conv2d(x.double(), w.double(), None, stride, 0, dilation, groups)
    torch.testing.assert_close(y, expected)
    assert macs == shape[0] * cl.conv_macs(shape[1:], weight[0], weight[2:], stride,
                                           dilation=dilation, groups=groups)


def test_seven_loops_refuse_a_weight_that_does_not_fit():
    with pytest.raises(ValueError, match="does not fit"):
        cl.conv2d_nested(torch.zeros(1, 3, 4, 4), torch.zeros(2, 2, 3, 3))


# -- costs and intensity -----------------------------------------------------------


def test_costs_of_a_layer_add_up():
    costs = cl.conv_costs((64, 56, 56), 64, 3, padding=1, batch=8)
    numbers = 8 * 64 * 56 * 56 * 2 + 64 * 64 * 9  # input, output, weights
    assert costs.macs == 8 * cl.conv_macs((64, 56, 56), 64, 3, padding=1)
    assert costs.flops == 2 * costs.macs
    assert costs.bytes == 4 * numbers
    assert costs.intensity == pytest.approx(costs.flops / costs.bytes)


@pytest.mark.parametrize("layer", bench.LAYERS, ids=lambda la: la.name)
def test_layer_costs_match_the_layer(layer):
    costs = bench.layer_costs(layer)
    x = torch.empty(layer.batch, layer.channels, layer.size, layer.size, device="meta")
    w = torch.empty(layer.filters, layer.channels // layer.groups, layer.kernel, layer.kernel,
                    device="meta")
    y = nnf.conv2d(x, w, None, layer.stride, layer.padding, 1, layer.groups)
    assert costs.bytes == 4 * (x.numel() + w.numel() + y.numel())
    assert costs.macs == y.numel() * w[0].numel()


def test_depthwise_is_low_intensity_and_standard_high():
    depthwise = bench.layer_costs(bench.LAYERS[4])
    standard = bench.layer_costs(bench.LAYERS[0])
    assert depthwise.intensity < 3 < 100 < standard.intensity


def test_roofline_and_ridge():
    assert cl.attainable(1.0, peak=100.0, bandwidth=10.0) == 10.0
    assert cl.attainable(50.0, peak=100.0, bandwidth=10.0) == 100.0
    assert cl.ridge_point(100.0, 10.0) == 10.0
    with pytest.raises(ValueError, match="positive"):
        cl.attainable(0.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="batch"):
        cl.conv_costs((1, 4, 4), 1, 3, batch=0)


# -- measuring the machine ---------------------------------------------------------


def test_machine_measurements_are_positive_and_finite():
    peak = cl.peak_flops(size=64, repeats=2)
    bandwidth = cl.memory_bandwidth(megabytes=4, repeats=2)
    assert 1e6 < peak < 1e15 and math.isfinite(peak)
    assert 1e6 < bandwidth < 1e14 and math.isfinite(bandwidth)


def test_time_in_turns_calls_each_in_turn():
    calls = []
    medians = cl.time_in_turns({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")},
                               repeats=3, warmup=1)
    assert calls == ["a", "b"] * 4
    assert set(medians) == {"a", "b"} and all(t >= 0 for t in medians.values())
    with pytest.raises(ValueError, match="at least one"):
        cl.time_in_turns({})


def test_timing_clock_is_processor_time_on_one_thread():
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        assert cl.timing_clock("cpu").__name__ == "process_time"
        assert cl.timing_clock("cuda").__name__ == "perf_counter"
    finally:
        torch.set_num_threads(threads)


# -- the benchmark's helpers ---------------------------------------------------------


def _timing(layer: str, method: str, ratio: float | None) -> bench.Timing:
    return bench.Timing("cpu", layer, method, ratio, *([None] * 5))


def test_crossover_finds_the_first_faster_layer():
    timings = [_timing("3x3", "im2col", 1.5), _timing("3x3", "fft", 4.0),
               _timing("7x7", "im2col", 2.0), _timing("7x7", "fft", 1.2),
               _timing("15x15", "im2col", 2.0), _timing("15x15", "fft", 0.5)]
    assert bench.crossover(timings, "fft", "im2col") == "7x7"
    assert bench.crossover(timings, "fft") == "15x15"
    assert bench.crossover(timings, "im2col") is None
    assert bench.crossover([_timing("3x3", "fft", None)], "fft") is None


# -- the self-checks ---------------------------------------------------------------


def _unfold_conv(x, w, stride, padding):
    n, _, h, wd = x.shape
    kh, kw = w.shape[-2:]
    columns = nnf.unfold(x, (kh, kw), padding=padding, stride=stride)
    out_h = (h + 2 * padding - kh) // stride + 1
    out_w = (wd + 2 * padding - kw) // stride + 1
    return (w.reshape(w.shape[0], -1) @ columns).reshape(n, w.shape[0], out_h, out_w)


def _winograd(image, kernel):
    BT, G, AT = (np.array(m) for m in cl.F2_3)
    U = G @ kernel @ G.T
    h, w = image.shape[0] - 2, image.shape[1] - 2
    out = np.zeros((h, w))
    for i in range(0, h, 2):
        for j in range(0, w, 2):
            d = image[i:i + 4, j:j + 4]
            out[i:i + 2, j:j + 2] = AT @ (U * (BT @ d @ BT.T)) @ AT.T
    return out


@pytest.mark.parametrize("label, right", [
    ("8.1", computing.ex1_macs()),
    ("8.2", computing.ex2_bytes()),
    ("8.3", round(computing.ex3_intensity(), 2)),
    ("8.4", _unfold_conv),
    ("8.5", _winograd),
])
def test_right_answers_pass(label, right):
    assert "correct" in _checked(label, right)


@pytest.mark.parametrize("label, wrong, hint", [
    ("8.1", 2 * computing.ex1_macs(), "FLOP"),
    ("8.1", computing.ex1_macs() // 4, "batch"),
    ("8.1", computing.ex1_macs() * 4, "stride"),
    ("8.2", computing.ex2_bytes() // 4, "4 bytes"),
    ("8.2", computing.ex2_bytes() / 2**20, "megabytes"),
    ("8.2", computing.ex2_bytes() // 9, "input's size"),
    ("8.3", computing.ex3_intensity() / 2, "two per multiply"),
    ("8.3", computing.ex3_intensity() * 4, "bytes, not by numbers"),
    ("8.4", lambda x, w, s, p: nnf.conv2d(x, w.flip(-1, -2), stride=s, padding=p), "flipped"),
    ("8.4", lambda x, w, s, p: nnf.conv2d(x, w), "shape"),
    ("8.5", lambda image, kernel: _winograd(image, kernel[::-1, ::-1]), "flipped"),
    ("8.5", lambda image, kernel: np.zeros((3, 3)), "shape"),
])
def test_wrong_answers_get_a_hint_not_the_answer(label, wrong, hint):
    said = _checked(label, wrong)
    assert "not yet" in said and hint in said
    assert str(computing.ex1_macs()) not in said and str(computing.ex2_bytes()) not in said


def test_no_answer_yet():
    assert "no answer yet" in _checked("8.1", None)


@pytest.mark.parametrize("layer", bench.QUICK_LAYERS, ids=lambda la: la.name)
def test_layer_tensors_have_the_layers_shapes(layer):
    x, w = bench.layer_tensors(layer)
    y = nnf.conv2d(x, w, None, layer.stride, layer.padding, 1, layer.groups)
    assert y.shape == (layer.batch, layer.filters, layer.out_size(), layer.out_size())
    assert torch.equal(bench.layer_tensors(layer)[0], x)  # seeded
