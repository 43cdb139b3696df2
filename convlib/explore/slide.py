"""Parameter explorers for the live notebook (ipywidgets, through ``interactive``).

The rendered book has no kernel to run them: there, and in every unattended run, each
returns its twin from ``explore.web``, the same controls written in JavaScript.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import HTML

from ..draw.formula import draw_output_size
from ..draw.slide import Slide, draw_slide
from .interactive import draw_or_explain, interactive
from .web import web_output_size_explorer, web_slide_explorer


def slide_explorer(x: object, kernel: object) -> widgets.interactive | HTML:
    """A slider that moves the kernel over ``x`` one position at a time."""
    steps = Slide.build(x, kernel).steps

    def show(step: int) -> None:
        draw_slide(x, kernel, step)
        plt.show()

    slider = widgets.IntSlider(value=0, min=0, max=steps - 1, description="position")
    return interactive(show, offline=lambda: web_slide_explorer(x, kernel), step=slider)


def output_size_explorer(n: int = 7, kernel_size: int = 3) -> widgets.interactive | HTML:
    """Sliders for input size, kernel size, padding, stride and dilation, drawing the
    windows, the output and the output-size formula with the numbers filled in."""

    def show(n: int, kernel_size: int, padding: int, stride: int, dilation: int) -> None:
        draw_or_explain(lambda: draw_output_size(n, kernel_size, stride, padding, dilation))

    return interactive(
        show,
        offline=lambda: web_output_size_explorer(n, kernel_size),
        n=widgets.IntSlider(value=n, min=1, max=12, description="input n"),
        kernel_size=widgets.IntSlider(value=kernel_size, min=1, max=5, description="kernel k"),
        padding=widgets.IntSlider(value=1, min=0, max=3, description="padding p"),
        stride=widgets.IntSlider(value=2, min=1, max=3, description="stride s"),
        dilation=widgets.IntSlider(value=1, min=1, max=3, description="dilation d"),
    )
