"""What the machine can do, measured: its peak arithmetic and its memory bandwidth,
and a fair way to time computations against each other.

Timings vary from run to run and from machine to machine, so the book never states
one as a fact: it times candidates *in turns* (one call of each, again and again),
so that a change in the machine's load affects them alike, and reports medians and
ratios measured in the same run.

The peak is the best rate of a large matrix multiply, the operation processors and
their libraries are tuned for; the bandwidth is the best rate of copying a buffer much
larger than the processor's caches (every byte is read once and written once). Both
are what this program reaches with the threads it has, not the vendor's figures.
"""

import statistics
import time
from collections.abc import Callable

import torch

Clock = Callable[[], float]


def timing_clock(device: str | torch.device = "cpu") -> Clock:
    """The clock to time on ``device`` with: on the CPU with one thread, the processor
    time of this process (which other programs on a busy machine disturb less than
    the wall clock); otherwise, and on a GPU, the wall clock."""
    if torch.device(device).type == "cpu" and torch.get_num_threads() == 1:
        return time.process_time
    return time.perf_counter


def _sync(device: str | torch.device) -> Callable[[], None]:
    if torch.device(device).type == "cuda":
        return torch.cuda.synchronize
    return lambda: None


def time_in_turns(calls: dict[str, Callable[[], object]], repeats: int = 5, warmup: int = 1,
                  device: str | torch.device = "cpu", clock: Clock | None = None
                  ) -> dict[str, float]:
    """The median time in seconds of each of ``calls`` (name: function of no
    argument), called in turns: ``warmup`` untimed rounds, then ``repeats`` timed
    rounds of one call each. ``clock`` defaults to ``timing_clock(device)``."""
    if not calls:
        raise ValueError("give at least one call to time")
    if repeats < 1 or warmup < 0:
        raise ValueError(f"repeats must be at least 1 and warmup at least 0; got "
                         f"{repeats}, {warmup}")
    clock = clock or timing_clock(device)
    sync = _sync(device)
    times: dict[str, list[float]] = {name: [] for name in calls}
    for round_ in range(warmup + repeats):
        for name, call in calls.items():
            sync()
            start = clock()
            call()
            sync()
            if round_ >= warmup:
                times[name].append(clock() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def _best(call: Callable[[], object], repeats: int, device: str | torch.device) -> float:
    """The shortest of ``repeats`` timed calls, after one untimed call."""
    clock, sync = timing_clock(device), _sync(device)
    call()
    best = float("inf")
    for _ in range(repeats):
        sync()
        start = clock()
        call()
        sync()
        best = min(best, clock() - start)
    return max(best, 1e-9)


def peak_flops(size: int = 512, repeats: int = 10, device: str | torch.device = "cpu") -> float:
    """Floating-point operations per second of the best of ``repeats`` float32 matrix
    multiplies of two ``size`` x ``size`` matrices (2 size^3 operations each)."""
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=gen).to(device)
    b = torch.randn(size, size, generator=gen).to(device)
    out = torch.empty(size, size, device=device)
    return 2 * size ** 3 / _best(lambda: torch.mm(a, b, out=out), repeats, device)


def memory_bandwidth(megabytes: int = 128, repeats: int = 5,
                     device: str | torch.device = "cpu") -> float:
    """Bytes per second of the best of ``repeats`` copies of a float32 buffer of
    ``megabytes`` (2^20 bytes) into another: each byte is read once and written once,
    so a copy moves twice the buffer. Choose a buffer several times larger than the
    processor's last cache, so that the copy goes to memory."""
    numbers = megabytes * 2 ** 20 // 4
    source = torch.ones(numbers, device=device)
    target = torch.empty(numbers, device=device)
    return 2 * numbers * 4 / _best(lambda: target.copy_(source), repeats, device)
