"""A receptive-field explorer for the live notebook (ipywidgets).

Sliders set a stack of identical layers; the explorer draws the centre unit's field
after every layer on a photograph and prints the layer-by-layer table. In the
rendered book its twin from ``explore.web`` runs the same controls in JavaScript.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML, display

from ..data.images import photo
from ..draw.fieldplots import draw_field_overlay
from ..draw.tables import field_table
from ..sizes.receptive import receptive_field, stack_layers
from .interactive import interactive
from .web import web_receptive_field_explorer


def receptive_field_explorer(image: np.ndarray | None = None) -> widgets.interactive | HTML:
    """Sliders for the depth, kernel size, stride and dilation of a stack of equal
    layers (padded to keep the size at stride 1; "doubling" dilation gives 1, 2, 4,
    ...), drawing the field of the centre unit after each layer on ``image``. In
    unattended runs (``CONVLIB_WIDGETS=0``) its in-page twin stands in for the widgets."""
    image = photo(gray=True, size=128) if image is None else image

    def show(depth: int, kernel_size: int, stride: int, dilation: str) -> None:
        d = "doubling" if dilation == "1, 2, 4, ..." else int(dilation)
        field = receptive_field(stack_layers(depth, kernel_size, stride, d))
        draw_field_overlay(image, field, size=4.0)
        plt.show()
        display(field_table(field))

    return interactive(
        show,
        offline=lambda: web_receptive_field_explorer(image),
        depth=widgets.IntSlider(value=3, min=1, max=6, description="layers"),
        kernel_size=widgets.IntSlider(value=3, min=1, max=7, step=2, description="kernel k"),
        stride=widgets.IntSlider(value=1, min=1, max=3, description="stride s"),
        dilation=widgets.Dropdown(options=["1", "2", "3", "1, 2, 4, ..."], value="1",
                                  description="dilation d"),
    )
