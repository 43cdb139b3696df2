"""python -m convlib.bench: the quick run times every method on every layer, writes a
JSON file a chapter can read, and reports the im2col matrix's memory correctly."""

import io
import json
import math
from contextlib import redirect_stdout

import pytest
import torch
from torch.nn import functional as nnf

import convlib
from convlib import bench
from convlib.ops.blocked import conv2d_blocked
from convlib.ops.fft import conv2d_fft
from convlib.ops.taps import conv2d_taps
from convlib.ops.triton_kernel import conv2d_triton
from convlib.ops.winograd import conv2d_winograd, conv2d_winograd4

NEW = {"fft": conv2d_fft, "winograd": conv2d_winograd, "winograd4": conv2d_winograd4,
       "taps": conv2d_taps, "blocked": conv2d_blocked, "triton": conv2d_triton}


@pytest.fixture(scope="module", autouse=True)
def registered():
    """The new methods in convlib's METHODS, as if registered in convlib/ops/conv.py."""
    with pytest.MonkeyPatch.context() as mp:
        for name, method in NEW.items():
            mp.setitem(convlib.ops.conv.METHODS, name, method)
        yield


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """The report of one quick run (one repeat, no warm-up), and what it printed."""
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    threads = torch.get_num_threads()
    printed = io.StringIO()
    with redirect_stdout(printed):
        bench.main(["--quick", "--repeats", "1", "--warmup", "0", "--out", str(out),
                    "--cpu-only"])
    torch.set_num_threads(threads)
    return json.loads(out.read_text()), printed.getvalue()


def test_a_result_for_every_method_and_layer(quick):
    report, _ = quick
    layers = [layer["name"] for layer in report["layers"]]
    assert layers == [layer.name for layer in bench.QUICK_LAYERS]
    results = {(r["layer"], r["method"]): r for r in report["results"]}
    assert set(results) == {(layer, m) for layer in layers for m in convlib.METHODS}
    for r in results.values():
        assert r["device"] == "cpu"
        if r["ratio"] is None:
            assert r["note"].startswith("n/a: "), r
        else:
            assert r["ratio"] > 0 and math.isfinite(r["ratio"])
            assert r["ratio"] == pytest.approx(r["median"] / r["reference_median"])
            assert r["q1"] <= r["median"] <= r["q3"]
            assert r["max_error"] < 2e-3, r


def test_what_is_timed_and_what_is_not(quick):
    report, _ = quick
    ratio = {(r["layer"], r["method"]): r["ratio"] for r in report["results"]}
    stem = bench.QUICK_LAYERS[1].name  # 7x7 stride 2: no Winograd
    assert ratio[stem, "winograd"] is None and ratio[stem, "winograd4"] is None
    assert ratio[stem, "fft"] is not None and ratio[stem, "im2col"] is not None
    assert all(ratio[layer.name, "triton"] is None for layer in bench.QUICK_LAYERS)  # CPU
    timed_loops = [layer for layer in bench.QUICK_LAYERS if ratio[layer.name, "loops"]]
    assert timed_loops == [min(bench.QUICK_LAYERS, key=bench.Layer.input_bytes)]


def test_settings_are_recorded_and_printed(quick):
    report, printed = quick
    assert report["threads"] == 1 and report["repeats"] == 1 and report["warmup"] == 0
    assert "1 CPU thread(s)" in printed
    for method in convlib.METHODS:
        assert method in printed
    for layer in bench.QUICK_LAYERS:
        assert layer.name in printed


@pytest.mark.parametrize("layer", bench.LAYERS + bench.QUICK_LAYERS, ids=lambda la: la.name)
def test_im2col_memory_is_the_unfolded_matrix(layer):
    x = torch.empty(layer.batch, layer.channels, layer.size, layer.size, device="meta")
    columns = nnf.unfold(x, layer.kernel, padding=layer.padding, stride=layer.stride)
    assert layer.im2col_bytes() == columns.numel() * 4
    assert layer.input_bytes() == x.numel() * 4
    reported = bench.report([], (layer,), 1, 1, 0)["layers"][0]
    assert reported["im2col_over_input"] == pytest.approx(columns.numel() / x.numel())


def test_kernel_sweep_times_each_kernel_and_method():
    timings = bench.kernel_sweep(kernels=(3, 7), methods=("im2col", "fft"), batch=1,
                                 channels=2, size=12, repeats=1)
    assert [(t.layer, t.method) for t in timings] == [
        ("3x3", "im2col"), ("3x3", "fft"), ("7x7", "im2col"), ("7x7", "fft")]
    assert all(t.ratio > 0 and t.max_error < 2e-3 for t in timings)


@pytest.mark.parametrize("argv, message", [
    (["--methods", "nope"], "unknown method"),
    (["--threads", "0"], "--threads must be at least 1"),
])
def test_bad_options_are_refused(argv, message, capsys):
    with pytest.raises(SystemExit):
        bench.main(argv)
    assert message in capsys.readouterr().err


def test_processor_time_clock(tmp_path):
    out = tmp_path / "cpu.json"
    with redirect_stdout(io.StringIO()) as printed:
        bench.main(["--quick", "--repeats", "2", "--warmup", "0", "--clock", "cpu",
                    "--methods", "im2col", "--cpu-only", "--out", str(out)])
    report = json.loads(out.read_text())
    assert report["clock"] == "cpu" and "cpu clock" in printed.getvalue()
    assert {r["method"] for r in report["results"]} == {"im2col"}
    assert all(r["ratio"] > 0 for r in report["results"])
