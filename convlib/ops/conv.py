"""conv1d, conv2d and conv3d: PyTorch's shapes and semantics, computed by convlib.

Like every deep-learning library, these compute cross-correlation: the kernel is
not flipped. Inputs may be NumPy arrays or torch tensors (on the CPU or a GPU); the
result is of the same kind, on the same device.
"""

from collections.abc import Callable

import torch

from .arguments import Array, Padding, Size, prepare
from .blocked import conv2d_blocked
from .fft import conv2d_fft
from .im2col import conv_im2col
from .loops import conv2d_loops, conv3d_loops
from .padding import pad
from .taps import conv2d_taps
from .winograd import conv2d_winograd, conv2d_winograd4


def conv2d_triton(*args: object) -> torch.Tensor:
    """The Triton kernel of ``ops.triton_kernel``, whose module is imported on first use
    (importing it sets up Triton's interpreter on a machine without a GPU)."""
    from .triton_kernel import conv2d_triton as kernel

    return kernel(*args)


# Each method of computing a 2-D convolution of an already padded batch; a 1-D
# convolution runs as a 2-D one over an image one pixel high.
METHODS: dict[str, Callable[..., torch.Tensor]] = {
    "loops": conv2d_loops,  # the seven nested loops, to read
    "im2col": conv_im2col,  # every window unfolded into a column, one matrix multiply
    "blocked": conv2d_blocked,  # the same, a block of columns at a time
    "taps": conv2d_taps,  # one multiply-add of a shifted input per kernel weight
    "fft": conv2d_fft,  # the convolution theorem
    "winograd": conv2d_winograd,  # minimal filtering F(2x2, 3x3): 3x3, stride 1 only
    "winograd4": conv2d_winograd4,  # F(4x4, 3x3)
    "triton": conv2d_triton,  # a Triton kernel; interpreted on CPU tensors
}
# The methods that compute every convolution conv2d accepts, at a speed to test them
# on many random settings (Winograd takes only 3x3 kernels at stride 1, and Triton's
# interpreter is slow on a CPU: each has tests of its own).
GENERAL_METHODS = ("loops", "im2col", "blocked", "taps", "fft")
# The same for volumes (3-D).
METHODS_3D: dict[str, Callable[..., torch.Tensor]] = {
    "loops": conv3d_loops,
    "im2col": conv_im2col,
}


def _convolve(x, weight, bias, stride, padding, dilation, groups, padding_mode, method, dims):
    methods = METHODS_3D if dims == 3 else METHODS
    if method not in methods:
        raise ValueError(f"method must be one of {tuple(methods)}; got {method!r}")
    c = prepare(x, weight, bias, stride, padding, dilation, groups, padding_mode, dims)
    xp, w = pad(c.x, c.pads, c.padding_mode), c.weight
    stride, dilation = c.stride, c.dilation
    if dims == 1:  # a 1-D convolution is a 2-D one over an image one pixel high
        xp, w = xp.unsqueeze(2), w.unsqueeze(2)
        stride, dilation = (1, *stride), (1, *dilation)
    out = methods[method](xp, w, stride, dilation, c.groups)
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
    reflect, replicate, circular; ``method`` is a key of ``METHODS``.
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
    circular; ``method`` is a key of ``METHODS`` (see each one's module for what it
    supports).
    """
    return _convolve(x, weight, bias, stride, padding, dilation, groups, padding_mode,
                     method, dims=2)


def conv3d(
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
    """3-D cross-correlation of ``x`` (batch, channels, depth, height, width) with
    ``weight`` (out_channels, in_channels / groups, kernel_d, kernel_h, kernel_w), as
    ``torch.nn.functional.conv3d``: a box-shaped kernel slides through a volume, such
    as a video (time, height, width) or a medical scan.

    ``padding`` is an int, a tuple, ``"valid"`` or ``"same"`` (an entry may also be a
    ``(before, after)`` pair); ``padding_mode`` is one of zeros, reflect, replicate,
    circular; ``method`` is ``"loops"`` or ``"im2col"`` (a key of ``METHODS_3D``).
    """
    return _convolve(x, weight, bias, stride, padding, dilation, groups, padding_mode,
                     method, dims=3)
