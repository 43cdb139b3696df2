"""convlib: the shared library of *Convolutions, Hands-On*.

Convolutions written out so they can be read, checked against PyTorch, and drawn.
Every chapter imports it as ``import convlib as cl``.
"""

from . import style
from .conv import METHODS, conv1d, conv2d
from .device import device, seed
from .diagrams import draw_connections, draw_pipeline
from .explore import slide_explorer
from .filters import KERNELS, apply_kernel, kernel, show_filtered
from .grids import draw_grid, show_grids, show_pixels
from .im2col import im2col
from .images import photo
from .loops import conv2d_loops
from .padding import PADDING_MODES, pad, same_padding
from .selfcheck import check
from .shapes import output_size
from .slide import animate_slide, draw_slide
from .source import show_source

style.use()

__all__ = [
    "KERNELS",
    "METHODS",
    "PADDING_MODES",
    "animate_slide",
    "apply_kernel",
    "check",
    "conv1d",
    "conv2d",
    "conv2d_loops",
    "device",
    "draw_connections",
    "draw_grid",
    "draw_pipeline",
    "draw_slide",
    "im2col",
    "kernel",
    "output_size",
    "pad",
    "photo",
    "same_padding",
    "seed",
    "show_filtered",
    "show_grids",
    "show_pixels",
    "show_source",
    "slide_explorer",
    "style",
]
