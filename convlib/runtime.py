"""Where and how the book runs: the device it computes on, seeding for repeatable
runs, and whether anyone is there to move a slider.

Three environment variables steer it: ``CONVLIB_DEVICE`` (``cpu``, ``cuda`` or
``cuda:N``) picks the device, and ``CONVLIB_WIDGETS=0``, set by the book build and the
notebook tests, says that nobody watches: explorers and progress bars stay quiet.
"""

import os
import random

import numpy as np
import torch

ENV_VAR = "CONVLIB_DEVICE"
WIDGETS_ENV_VAR = "CONVLIB_WIDGETS"


def device() -> torch.device:
    """The device every chapter computes on.

    CUDA when PyTorch sees a GPU, else the CPU. The environment variable
    ``CONVLIB_DEVICE`` (``cpu``, ``cuda`` or ``cuda:N``) overrides the choice, so the
    same notebook can be pinned to the CPU on a GPU machine.
    """
    wanted = os.environ.get(ENV_VAR, "").strip().lower()
    if not wanted:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    kind, colon, index = wanted.partition(":")
    if kind not in ("cpu", "cuda") or (colon and (kind == "cpu" or not index.isdigit())):
        raise ValueError(f"{ENV_VAR} must be 'cpu', 'cuda' or 'cuda:N'; got {wanted!r}")
    if kind == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError(
                f"{ENV_VAR}={wanted} asks for a CUDA GPU, but PyTorch sees none on this machine "
                "(torch.cuda.is_available() is False); unset it or set it to 'cpu'"
            )
        count = torch.cuda.device_count()
        if index and int(index) >= count:
            raise RuntimeError(f"{ENV_VAR}={wanted} names GPU {index}, but there are only {count}")
    return torch.device(wanted)


def seed(n: int) -> None:
    """Seed Python, NumPy and PyTorch (every CUDA device too) with ``n``."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"seed expects an int; got {type(n).__name__}")
    random.seed(n)
    np.random.seed(n % 2**32)
    torch.manual_seed(n)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(n)


def live() -> bool:
    """Whether a person may be watching: explorers are live widgets and long loops show
    a progress bar (unless ``CONVLIB_WIDGETS=0``).

    Unattended runs set ``CONVLIB_WIDGETS=0``: nobody can move a slider there, and
    widgets with no front end can stall the notebook executor for as long as its
    timeout (nbclient issue 312).
    """
    return os.environ.get(WIDGETS_ENV_VAR, "1").strip() != "0"
