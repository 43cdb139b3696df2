"""Live controls for the notebooks, and what stands in for them when nobody is there.

Every explorer in the book is ``interactive(show, **controls)``. In Jupyter that is an
ipywidgets explorer. Unattended runs (the book build and the notebook tests set
``CONVLIB_WIDGETS=0``) get its kernel-free form instead: the explorer written in
JavaScript (``explore.web``), which the rendered page runs with no kernel, or, for an
explorer with none, a one-line note. Nobody can move a widget's slider there, and
executing widgets with no front end can stall the notebook executor for as long as
its timeout (nbclient issue 312).
"""

from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import HTML, Markdown

from ..runtime import live


def interactive(show: Callable[..., None], *, offline: Callable[[], HTML] | None = None,
                **controls: widgets.ValueWidget) -> widgets.interactive | HTML | Markdown:
    """``show`` redrawn whenever one of the ``controls`` changes; in an unattended run,
    what ``offline`` returns (the in-page explorer), or a note saying where the explorer
    runs."""
    if live():
        return widgets.interactive(show, **controls)
    if offline is not None:
        return offline()
    names = ", ".join(control.description or name for name, control in controls.items())
    return Markdown(f"*An explorer with controls for {names}: run this cell in Jupyter "
                    "to use it.*")


def draw_or_explain(draw: Callable[[], object]) -> None:
    """Show the figure ``draw`` makes; when the chosen settings admit no output, print
    the ValueError that says why, in place of the figure."""
    try:
        draw()
    except ValueError as error:
        print(f"No output: {error}")
        return
    plt.show()
