"""Live controls for the notebooks, and what stands in for them when nobody is there.

Every explorer in the book is ``interactive(show, **controls)``. In Jupyter that is an
ipywidgets explorer. Unattended runs (the book build and the notebook tests set
``CONVLIB_WIDGETS=0``) get a one-line note instead: nobody can move a slider there,
and executing widgets with no front end can stall the notebook executor for as long
as its timeout (nbclient issue 312).
"""

from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import Markdown

from ..runtime import live


def interactive(show: Callable[..., None],
                **controls: widgets.ValueWidget) -> widgets.interactive | Markdown:
    """``show`` redrawn whenever one of the ``controls`` changes, or a note saying where
    the explorer runs."""
    if live():
        return widgets.interactive(show, **controls)
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
