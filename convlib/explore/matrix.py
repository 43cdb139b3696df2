"""The conv-matrix explorer: sliders for the input size, kernel size, stride and padding
of a one-channel convolution."""

import ipywidgets as widgets
import numpy as np
from IPython.display import HTML

from ..draw.matrix import draw_conv_matrix
from .interactive import draw_or_explain, interactive
from .web import web_conv_matrix_explorer


def conv_matrix_explorer(n: int = 4, kernel_size: int = 3) -> widgets.interactive | HTML:
    """Sliders for the input size, kernel size, stride and padding of a one-channel
    convolution; draws its matrix and counts its entries and weights."""

    def show(n: int, kernel_size: int, stride: int, padding: int) -> None:
        k = np.arange(1, kernel_size**2 + 1, dtype=np.float64).reshape(kernel_size, kernel_size)
        draw_or_explain(lambda: draw_conv_matrix(k, (n, n), stride, padding))

    return interactive(
        show,
        offline=lambda: web_conv_matrix_explorer(n, kernel_size),
        n=widgets.IntSlider(value=n, min=2, max=6, description="input n"),
        kernel_size=widgets.IntSlider(value=kernel_size, min=1, max=4, description="kernel k"),
        stride=widgets.IntSlider(value=1, min=1, max=3, description="stride s"),
        padding=widgets.IntSlider(value=0, min=0, max=2, description="padding p"),
    )
