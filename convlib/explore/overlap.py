"""The overlap explorer: choose a transposed convolution's kernel size and stride, and
see how many kernel stamps land on each output position."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import Markdown

from ..draw.stamps import draw_overlap
from ..learn.upsampling import overlap_range
from .interactive import interactive


def overlap_explorer(kernel_size: int = 3, stride: int = 2) -> widgets.interactive | Markdown:
    """Sliders for the kernel size and the stride; the stamp counts in 1-D and 2-D, and
    how uneven they are away from the borders."""

    def show(kernel_size: int, stride: int) -> None:
        draw_overlap([(kernel_size, stride)])
        plt.show()
        low, high = overlap_range(kernel_size, stride, dims=2)
        verdict = ("even: no checkerboard from the overlap" if low == high else
                   "holes: some positions get no stamp at all" if low == 0 else
                   f"uneven: {high / low:g} times more stamps on some positions")
        print(f"2-D, away from the borders: {low} to {high} stamps per position; {verdict}",
              flush=True)

    return interactive(
        show,
        kernel_size=widgets.IntSlider(value=kernel_size, min=1, max=7, description="kernel"),
        stride=widgets.IntSlider(value=stride, min=1, max=4, description="stride"),
    )
