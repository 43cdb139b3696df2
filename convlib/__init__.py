"""convlib: the shared library of *Convolutions, Hands-On*.

Convolutions written out so they can be read, checked against PyTorch, and drawn.
"""

from .conv import METHODS, conv1d, conv2d
from .device import device, seed
from .im2col import im2col
from .padding import PADDING_MODES, pad, same_padding
from .shapes import output_size

__all__ = [
    "METHODS",
    "PADDING_MODES",
    "conv1d",
    "conv2d",
    "device",
    "im2col",
    "output_size",
    "pad",
    "same_padding",
    "seed",
]
