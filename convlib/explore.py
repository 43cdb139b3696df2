"""Parameter explorers for the live notebook (ipywidgets).

The rendered book has no kernel to run them, so every explorer here has a
kernel-free twin in the book: an animation over the same parameter.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt

from .slide import Slide, draw_slide


def slide_explorer(x: object, kernel: object) -> widgets.interactive:
    """A slider that moves the kernel over ``x`` one position at a time."""
    steps = Slide.build(x, kernel).steps

    def show(step: int) -> None:
        draw_slide(x, kernel, step)
        plt.show()

    slider = widgets.IntSlider(value=0, min=0, max=steps - 1, description="position")
    return widgets.interactive(show, step=slider)
