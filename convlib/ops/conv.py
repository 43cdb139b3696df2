"""conv1d and conv2d: PyTorch's shapes and semantics, computed by convlib.

Like every deep-learning library, these compute cross-correlation: the kernel is
not flipped. Inputs may be NumPy arrays or torch tensors (on the CPU or a GPU); the
result is of the same kind, on the same device.
"""

from collections.abc import Callable

import torch

from .arguments import Array, Padding, Size, prepare
from .im2col import conv2d_im2col
from .loops import conv2d_loops
from .padding import pad

METHODS: dict[str, Callable[..., torch.Tensor]] = {
    "loops": conv2d_loops,
    "im2col": conv2d_im2col,
}


def _convolve(x, weight, bias, stride, padding, dilation, groups, padding_mode, method, dims):
    if method not in METHODS:
        raise ValueError(f"method must be one of {tuple(METHODS)}; got {method!r}")
    c = prepare(x, weight, bias, stride, padding, dilation, groups, padding_mode, dims)
    xp, w = pad(c.x, c.pads, c.padding_mode), c.weight
    stride, dilation = c.stride, c.dilation
    if dims == 1:  # a 1-D convolution is a 2-D one over an image one pixel high
        xp, w = xp.unsqueeze(2), w.unsqueeze(2)
        stride, dilation = (1, *stride), (1, *dilation)
    out = METHODS[method](xp, w, stride, dilation, c.groups)
    if dims == 1:
        out = out.squeeze(2)
    if c.bias is not None:
        out = out + c.bias.reshape(1, -1, *([1] * dims))
    if not c.was_batched:
        out = out.squeeze(0)
    return out.cpu().numpy() if c.was_numpy else out


def conv1d(
    x: Array,
    weight: Array,
    bias: Array | None = None,
    stride: Size = 1,
    padding: Padding = 0,
    dilation: Size = 1,
    groups: int = 1,
    *,
    padding_mode: str = "zeros",
    method: str = "im2col",
) -> Array:
    """1-D cross-correlation of ``x`` (batch, channels, length) with ``weight``
    (out_channels, in_channels / groups, kernel_size), as ``torch.nn.functional.conv1d``.

    ``padding`` is an int, a tuple, ``"valid"`` or ``"same"`` (an entry may also be a
    ``(before, after)`` pair, for causal padding); ``padding_mode`` is one of zeros,
    reflect, replicate, circular; ``method`` is ``"loops"`` or ``"im2col"``.
    """
    return _convolve(x, weight, bias, stride, padding, dilation, groups, padding_mode,
                     method, dims=1)


def conv2d(
    x: Array,
    weight: Array,
    bias: Array | None = None,
    stride: Size = 1,
    padding: Padding = 0,
    dilation: Size = 1,
    groups: int = 1,
    *,
    padding_mode: str = "zeros",
    method: str = "im2col",
) -> Array:
    """2-D cross-correlation of ``x`` (batch, channels, height, width) with ``weight``
    (out_channels, in_channels / groups, kernel_h, kernel_w), as
    ``torch.nn.functional.conv2d``.

    ``padding`` is an int, a tuple, ``"valid"`` or ``"same"`` (an entry may also be a
    ``(before, after)`` pair); ``padding_mode`` is one of zeros, reflect, replicate,
    circular; ``method`` is ``"loops"`` or ``"im2col"``.
    """
    return _convolve(x, weight, bias, stride, padding, dilation, groups, padding_mode,
                     method, dims=2)
