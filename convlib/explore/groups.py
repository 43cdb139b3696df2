"""The groups explorer: choose ``groups`` and the kernel size, see the wiring and what
it costs."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import HTML

from ..draw.groups import draw_groups
from ..sizes.counts import conv_params, valid_groups
from .interactive import interactive
from .web import web_groups_explorer


def groups_explorer(in_channels: int = 8, out_channels: int = 8) -> widgets.interactive | HTML:
    """Choose ``groups`` and the kernel size; see the wiring and the weights it costs."""
    choices = valid_groups(in_channels, out_channels)

    def show(groups: int, kernel_size: int) -> None:
        draw_groups(in_channels, out_channels, (groups,), kernel_size)
        plt.show()
        full = conv_params(in_channels, out_channels, kernel_size, bias=False)
        mine = conv_params(in_channels, out_channels, kernel_size, groups=groups, bias=False)
        print(f"{mine:,} weights, {full / mine:g} times fewer than groups=1 ({full:,})",
              flush=True)

    return interactive(
        show,
        offline=lambda: web_groups_explorer(in_channels, out_channels),
        groups=widgets.Dropdown(options=choices, value=choices[0], description="groups"),
        kernel_size=widgets.IntSlider(value=3, min=1, max=7, step=2, description="kernel"),
    )

