"""Shared set-up for convlib's tests: repeatable runs and the PyTorch reference.

Every convolution test compares convlib with PyTorch, computed here by
``torch_conv``: ``torch.nn.functional.conv1d``/``conv2d`` for zero padding, and a
``torch.nn.Conv1d``/``Conv2d`` module with the weights copied in for the other
padding modes, so each mode is checked against torch's own semantics.

Hypothesis profiles (choose one with ``HYPOTHESIS_PROFILE=name``):

* ``repeatable`` (default): derandomized and without an example database, so every
  run, locally and in CI, tries the same examples.
* ``explore``: random examples on every run, for hunting new failures.
"""

import os
import sys
import warnings

import pytest
import torch
from hypothesis import HealthCheck, settings
from torch.nn import functional as nnf

# One thread: reductions are summed in one order, so every run gives the same bits.
torch.set_num_threads(1)

for name, derandomize in (("repeatable", True), ("explore", False)):
    settings.register_profile(
        name,
        derandomize=derandomize,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test leaves open (pyplot keeps them alive), if it drew any."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")

_FUNCTIONAL = {1: nnf.conv1d, 2: nnf.conv2d}
_MODULE = {1: torch.nn.Conv1d, 2: torch.nn.Conv2d}


def _torch_conv(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1,
                padding_mode="zeros"):
    """What PyTorch computes for these arguments (torch tensors in, a tensor out).

    ``padding`` may be anything convlib accepts; entries given as (before, after)
    pairs, which torch's convolutions cannot express, are padded with
    ``torch.nn.functional.pad`` in the same mode before a valid convolution.
    """
    dims = weight.dim() - 2
    with warnings.catch_warnings():
        # torch warns that 'same' with an even kernel copies the input; it is expected.
        warnings.filterwarnings("ignore", message=".*padding='same'.*", category=UserWarning)
        if isinstance(padding, tuple) and any(isinstance(p, tuple) for p in padding):
            pairs = [p if isinstance(p, tuple) else (p, p) for p in padding]
            flat = [v for before, after in reversed(pairs) for v in (before, after)]
            mode = "constant" if padding_mode == "zeros" else padding_mode
            x = nnf.pad(x, flat, mode=mode)
            return _FUNCTIONAL[dims](x, weight, bias, stride, 0, dilation, groups)
        if padding_mode == "zeros":
            return _FUNCTIONAL[dims](x, weight, bias, stride, padding, dilation, groups)
        out_channels, per_group, *kernel = weight.shape
        module = _MODULE[dims](
            per_group * groups, out_channels, tuple(kernel), stride=stride, padding=padding,
            dilation=dilation, groups=groups, bias=bias is not None,
            padding_mode=padding_mode, dtype=weight.dtype, device=weight.device,
        )
        with torch.no_grad():
            module.weight.copy_(weight)
            if bias is not None:
                module.bias.copy_(bias)
            return module(x)


@pytest.fixture(scope="session")
def torch_conv():
    """The PyTorch reference convolution, ``torch_conv(x, weight, bias, stride, padding,
    dilation, groups, padding_mode)``."""
    return _torch_conv
