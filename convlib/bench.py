"""How fast is each of convlib's methods? Timed against torch.nn.functional.conv2d.

Run ``python -m convlib.bench`` (``--help`` for the options). Every method in
``convlib.METHODS`` is timed through ``convlib.conv2d`` (its argument checks and its
padding included) on the reference layers (``LAYERS``), against ``torch.nn.functional.conv2d``
on the same device, in the same run and on the same data. The two are timed in
turns, one call each, so that a change in the machine's load affects both alike. The
table gives each method's median time divided by the library's (below 1: faster
than PyTorch), and the results, with the spread of the times and the memory an
im2col matrix would take, are written to a JSON file that a chapter can read.

On the CPU the number of threads is fixed (one by default). With a CUDA GPU, the
methods are timed on it too, against cuDNN, with TF32 turned off for both so that
they compute in full float32. A method that does not apply to a layer (Winograd's to
a 7x7 kernel, say) is shown as n/a, with the reason in the JSON file.
"""

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import NamedTuple

import torch
from torch.nn import functional as nnf

from .ops.conv import METHODS, conv2d
from .sizes.intensity import Costs, conv_costs
from .sizes.shapes import output_size


class Layer(NamedTuple):
    """A convolution layer to time: its input's shape and its settings."""

    name: str
    batch: int
    channels: int
    size: int  # height and width
    filters: int
    kernel: int
    stride: int = 1
    padding: int = 0
    groups: int = 1

    def describe(self) -> str:
        groups = f", groups {self.groups}" if self.groups > 1 else ""
        return (f"x {self.batch}x{self.channels}x{self.size}x{self.size}, {self.filters} "
                f"filters {self.kernel}x{self.kernel}, stride {self.stride}, padding "
                f"{self.padding}{groups}")

    def out_size(self) -> int:
        return output_size(self.size, self.kernel, self.stride, self.padding)

    def im2col_bytes(self, itemsize: int = 4) -> int:
        """The size of the layer's im2col matrix: (C k k) x (N H_out W_out) numbers."""
        return (self.channels * self.kernel ** 2 * self.batch * self.out_size() ** 2
                * itemsize)

    def input_bytes(self, itemsize: int = 4) -> int:
        return self.batch * self.channels * self.size ** 2 * itemsize


LAYERS = (
    Layer("3x3, 64 channels, 56x56", 8, 64, 56, 64, 3, padding=1),
    Layer("7x7 stride 2, RGB 224x224", 1, 3, 224, 64, 7, stride=2, padding=3),
    Layer("3x3, 256 channels, 14x14", 8, 256, 14, 256, 3, padding=1),
    Layer("3x3, 1 channel, 28x28", 32, 1, 28, 32, 3, padding=1),
    Layer("depthwise 3x3, 64 channels, 56x56", 8, 64, 56, 64, 3, padding=1, groups=64),
)
# The same kinds of layer, small, for --quick (inside a chapter or a test).
QUICK_LAYERS = (
    Layer("3x3, 16 channels, 28x28", 2, 16, 28, 16, 3, padding=1),
    Layer("7x7 stride 2, RGB 64x64", 1, 3, 64, 16, 7, stride=2, padding=3),
    Layer("3x3, 64 channels, 7x7", 2, 64, 7, 64, 3, padding=1),
    Layer("3x3, 1 channel, 12x12", 2, 1, 12, 4, 3, padding=1),
    Layer("depthwise 3x3, 16 channels, 28x28", 2, 16, 28, 16, 3, padding=1, groups=16),
)


class Timing(NamedTuple):
    """One method on one layer and device: its times and the library's, in seconds."""

    device: str
    layer: str
    method: str
    ratio: float | None  # median time / the library's median time; None: not timed
    median: float | None
    q1: float | None  # the interquartile range of the method's times
    q3: float | None
    reference_median: float | None
    max_error: float | None  # the largest difference from the library's output
    note: str = ""  # why a method was not timed


def _skip_reason(method: str, device: str, layer: Layer, smallest: Layer | None) -> str:
    """Why ``method`` is not timed here, or "" when it is."""
    if method == "loops" and layer is not smallest:
        return "n/a: Python loops, far too slow (timed with --quick on its smallest layer)"
    if method == "triton" and device == "cpu":
        return "n/a: runs in Triton's interpreter on the CPU (timed on a CUDA GPU)"
    return ""


def _quartiles(times: list[float]) -> tuple[float, float, float]:
    if len(times) == 1:
        return times[0], times[0], times[0]
    q1, median, q3 = statistics.quantiles(times, n=4, method="inclusive")
    return q1, median, q3


def time_method(layer: Layer, method: str, device: str = "cpu", repeats: int = 7,
                warmup: int = 2, seed: int = 0,
                clock: Callable[[], float] = time.perf_counter) -> Timing:
    """Time ``convlib.conv2d(..., method=method)`` against ``torch.nn.functional.conv2d``
    on ``layer``, in turns: ``warmup`` calls each first, then ``repeats`` timed calls.

    ``clock`` is wall-clock time by default; ``time.process_time`` counts only the
    processor time of this process, which other programs on a busy machine disturb
    less (with several threads, it is their sum)."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(layer.batch, layer.channels, layer.size, layer.size, generator=gen)
    w = torch.randn(layer.filters, layer.channels // layer.groups, layer.kernel,
                    layer.kernel, generator=gen)
    x, w = x.to(device), w.to(device)
    settings = (None, layer.stride, layer.padding, 1, layer.groups)

    def reference() -> torch.Tensor:
        return nnf.conv2d(x, w, *settings)

    def candidate() -> torch.Tensor:
        return conv2d(x, w, *settings, method=method)

    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)

    def timed(fn: Callable[[], torch.Tensor]) -> float:
        sync()
        start = clock()
        fn()
        sync()
        return clock() - start

    try:
        got = candidate()
    except (ValueError, ImportError) as refusal:  # not this layer, or Triton is missing
        reason = str(refusal).split(":")[0].split(";")[0]
        return Timing(device, layer.name, method, *[None] * 6, note=f"n/a: {reason}")
    max_error = (got - reference()).abs().max().item() if got.numel() else 0.0
    for _ in range(warmup):
        reference()
        candidate()
    ours, theirs = [], []
    for _ in range(repeats):
        theirs.append(timed(reference))
        ours.append(timed(candidate))
    q1, median, q3 = _quartiles(ours)
    reference_median = statistics.median(theirs)
    return Timing(device, layer.name, method, median / reference_median, median, q1, q3,
                  reference_median, max_error)


@contextmanager
def full_float32() -> Iterator[None]:
    """TF32 off for cuDNN's convolutions and CUDA's matrix multiplies, while timing."""
    conv, matmul = torch.backends.cudnn.conv, torch.backends.cuda.matmul
    before = conv.fp32_precision, matmul.fp32_precision
    conv.fp32_precision = matmul.fp32_precision = "ieee"
    try:
        yield
    finally:
        conv.fp32_precision, matmul.fp32_precision = before


def run(layers: tuple[Layer, ...] = LAYERS, devices: tuple[str, ...] = ("cpu",),
        repeats: int = 7, warmup: int = 2, methods: tuple[str, ...] | None = None,
        loops_on_smallest: bool = False,
        clock: Callable[[], float] = time.perf_counter) -> list[Timing]:
    """Time every method (all of ``convlib.METHODS`` by default) on every layer and device."""
    methods = tuple(METHODS) if methods is None else methods
    smallest = min(layers, key=Layer.input_bytes) if loops_on_smallest else None
    timings = []
    for device in devices:
        with full_float32() if device.startswith("cuda") else nullcontext():
            for layer in layers:
                for method in methods:
                    reason = _skip_reason(method, device, layer, smallest)
                    if reason:
                        timings.append(Timing(device, layer.name, method, *[None] * 6,
                                              note=reason))
                    else:
                        timings.append(time_method(layer, method, device, repeats, warmup,
                                                   clock=clock))
    return timings


def _cell(t: Timing | None) -> str:
    """A ratio and, after the sign, half the interquartile range of the method's times
    relative to the library's median."""
    if t is None or t.ratio is None:
        return f"{'n/a':>10}"
    return f"{t.ratio:>5.2f}±{(t.q3 - t.q1) / 2 / t.reference_median:<4.2f}"


def table(timings: list[Timing], layers: tuple[Layer, ...]) -> str:
    """The ratios as a text table: a row per device and layer, a column per method."""
    methods = list(dict.fromkeys(t.method for t in timings))
    by_key = {(t.device, t.layer, t.method): t for t in timings}
    width = max(len(layer.name) for layer in layers) + 7
    head = f"{'layer':<{width}} {'F.conv2d':>9} " + " ".join(f"{m:>10}" for m in methods)
    head += f" {'im2col MB':>10} {'x input':>8}"
    lines = [head, "-" * len(head)]
    for device in dict.fromkeys(t.device for t in timings):
        for layer in layers:
            cells = [by_key.get((device, layer.name, m)) for m in methods]
            medians = [c.reference_median for c in cells if c and c.reference_median]
            ref = f"{statistics.median(medians) * 1e3:7.2f}ms" if medians else "-"
            ratios = " ".join(_cell(c) for c in cells)
            memory = layer.im2col_bytes()
            lines.append(f"{device + ' ' + layer.name:<{width}} {ref:>9} {ratios} "
                         f"{memory / 2**20:>10.1f} {memory / layer.input_bytes():>8.1f}")
    return "\n".join(lines)


def report(timings: list[Timing], layers: tuple[Layer, ...], threads: int, repeats: int,
           warmup: int, clock: str = "wall") -> dict:
    """Everything measured, for the JSON file."""
    return {
        "threads": threads,
        "clock": clock,
        "repeats": repeats,
        "warmup": warmup,
        "torch": torch.__version__,
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "tf32": "off on CUDA (cuDNN and matrix multiplies in IEEE float32)",
        "ratio": "median time of the method / median time of torch.nn.functional.conv2d",
        "layers": [
            {**layer._asdict(), "out_size": layer.out_size(),
             "input_bytes": layer.input_bytes(), "im2col_bytes": layer.im2col_bytes(),
             "im2col_over_input": layer.im2col_bytes() / layer.input_bytes()}
            for layer in layers
        ],
        "results": [t._asdict() for t in timings],
    }


def kernel_sweep(kernels: tuple[int, ...] = (3, 5, 7, 9, 11, 15),
                 methods: tuple[str, ...] = ("im2col", "fft"), batch: int = 2,
                 channels: int = 16, size: int = 32, repeats: int = 3) -> list[Timing]:
    """Time ``methods`` against PyTorch over square kernel sizes, 'same' padding at
    stride 1: where the FFT, whose cost does not grow with the kernel, overtakes the
    direct methods. A few seconds with the defaults."""
    layers = tuple(Layer(f"{k}x{k}", batch, channels, size, channels, k, padding=k // 2)
                   for k in kernels)
    return run(layers, repeats=repeats, warmup=1, methods=methods)


def layer_tensors(layer: Layer, device: str | torch.device = "cpu",
                  seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """A random input and weight of ``layer``'s shapes, float32, on ``device``: the
    data ``time_method`` times the layer on."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(layer.batch, layer.channels, layer.size, layer.size, generator=gen)
    w = torch.randn(layer.filters, layer.channels // layer.groups, layer.kernel,
                    layer.kernel, generator=gen)
    return x.to(device), w.to(device)


def layer_costs(layer: Layer, itemsize: int = 4) -> Costs:
    """The multiply-adds, FLOPs, bytes moved (input, weights, output) and arithmetic
    intensity of ``layer`` on its whole batch (``sizes.intensity.conv_costs``)."""
    return conv_costs((layer.channels, layer.size, layer.size), layer.filters, layer.kernel,
                      layer.stride, layer.padding, groups=layer.groups, batch=layer.batch,
                      itemsize=itemsize)


def crossover(timings: list[Timing], method: str, rival: str | None = None) -> str | None:
    """The first layer, in the order timed, on which ``method`` was faster than
    ``rival`` (another method, or the library when None); None if on no layer."""
    ratios: dict[str, dict[str, float]] = {}
    for t in timings:
        if t.ratio is not None:
            ratios.setdefault(t.layer, {})[t.method] = t.ratio
    for layer, by_method in ratios.items():
        if method in by_method and by_method[method] < by_method.get(rival, 1.0) \
                and (rival is None or rival in by_method):
            return layer
    return None


def main(argv: list[str] | None = None) -> None:
    layers = "\n".join(f"  {layer.describe()}" for layer in LAYERS)
    parser = argparse.ArgumentParser(prog="python -m convlib.bench", description=__doc__,
                                     epilog=f"reference layers:\n{layers}",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1,
                        help="CPU threads for PyTorch and convlib (default 1)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed calls per method and layer (default 9, 3 with --quick)")
    parser.add_argument("--warmup", type=int, default=None,
                        help="untimed calls first (default 2, 1 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="small layers and few repeats: seconds, for a chapter or a test")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall-clock time (default), or the process's processor time, "
                             "less disturbed by other programs on a busy machine (CPU only)")
    parser.add_argument("--cpu-only", action="store_true", help="no CUDA rows even with a GPU")
    parser.add_argument("--methods", nargs="+", default=None, metavar="METHOD",
                        help=f"the methods to time (default all: {', '.join(METHODS)})")
    parser.add_argument("--out", type=Path, default=Path("_build/bench.json"),
                        help="the JSON file written (default _build/bench.json)")
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error(f"--threads must be at least 1; got {args.threads}")
    unknown = set(args.methods or ()) - set(METHODS)
    if unknown:
        parser.error(f"unknown method(s) {sorted(unknown)}; convlib has {list(METHODS)}")
    repeats = args.repeats or (3 if args.quick else 9)
    warmup = args.warmup if args.warmup is not None else (1 if args.quick else 2)
    layers = QUICK_LAYERS if args.quick else LAYERS
    devices = ("cpu",) if args.cpu_only or not torch.cuda.is_available() else ("cpu", "cuda")
    if args.clock == "cpu" and "cuda" in devices:
        parser.error("--clock cpu cannot time a GPU: add --cpu-only")
    clock = time.process_time if args.clock == "cpu" else time.perf_counter

    torch.set_num_threads(args.threads)
    print(f"convlib.bench: torch {torch.__version__}, {torch.get_num_threads()} CPU "
          f"thread(s), {repeats} repeats after {warmup} warm-up call(s), {args.clock} clock"
          + (", CUDA with TF32 off" if "cuda" in devices else ", no CUDA GPU"))
    print("ratio = median time of convlib.conv2d(method=...) / median time of "
          "torch.nn.functional.conv2d (below 1: faster than PyTorch)\n")
    timings = run(layers, devices, repeats, warmup,
                  tuple(args.methods) if args.methods else None, loops_on_smallest=args.quick,
                  clock=clock)
    print(table(timings, layers))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = report(timings, layers, args.threads, repeats, warmup, args.clock)
    args.out.write_text(json.dumps(results, indent=1))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
