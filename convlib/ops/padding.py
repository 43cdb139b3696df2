"""Padding: the border of made-up pixels added around an input before the kernel slides.

The four modes differ only in where a border pixel takes its value from, so each is
an index map from padded positions back into the input.
"""

import torch

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _source_index(n: int, before: int, after: int, mode: str) -> torch.Tensor:
    """For each padded position, the input position its value is copied from."""
    i = torch.arange(-before, n + after)
    if mode == "replicate":
        return i.clamp(0, n - 1)
    if mode == "circular":
        return i % n
    if mode == "reflect":  # mirror about the edge pixel, which is not repeated
        i = i.abs()
        return torch.where(i > n - 1, 2 * (n - 1) - i, i)
    raise ValueError(f"no index map for padding mode {mode!r}")


def pad(x: torch.Tensor, pads: tuple[tuple[int, int], ...], mode: str = "zeros") -> torch.Tensor:
    """Pad the trailing ``len(pads)`` axes of ``x``; ``pads`` holds (before, after) per axis."""
    if mode not in PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {PADDING_MODES}; got {mode!r}")
    first = x.dim() - len(pads)
    for axis, (before, after) in enumerate(pads, start=first):
        if before == after == 0:
            continue
        if mode == "zeros":
            shape = list(x.shape)
            shape[axis] = before
            head = x.new_zeros(shape)
            shape[axis] = after
            x = torch.cat([head, x, x.new_zeros(shape)], dim=axis)
        else:
            index = _source_index(x.shape[axis], before, after, mode).to(x.device)
            x = x.index_select(axis, index)
    return x
