"""An explorer as a piece of a page: its controls, the line that states its numbers,
the drawing, and the script that computes and draws, all inline.

Nothing is fetched: the script (the .js files beside this module) and the styles are
written into every explorer, so a page works opened from disk and offline, and an
output works on its own in a notebook. The script defines itself once per page.
"""

import hashlib
import itertools
import json
from collections.abc import Sequence
from functools import cache
from html import escape
from importlib.resources import files
from string import Template

from IPython.display import HTML

from ...draw.style import ROLES, TEXT, edge
from .controls import Control

SCRIPTS = ("numbers.js", "drawing.js", "panel.js", "explorers.js")
# Ids count up per process: the same notebook run gives the same ids.
_ids = itertools.count(1)


@cache
def script() -> str:
    """The explorers' JavaScript, as one function that defines ``window.convlibExplorers``
    unless the page already holds this very version."""
    folder = files(__package__).joinpath("js")
    source = "\n".join(folder.joinpath(name).read_text("utf-8") for name in SCRIPTS)
    version = hashlib.sha256(source.encode()).hexdigest()[:12]
    return ('(function () {\n"use strict";\n'
            f'const VERSION = "{version}";\n'
            "if (window.convlibExplorers && window.convlibExplorers.version === VERSION) "
            "return;\n"
            f"{source}\n}})();")


@cache
def stylesheet() -> str:
    """The explorers' CSS, in the colours of ``convlib.draw.style``."""
    css = files(__package__).joinpath("explorers.css").read_text("utf-8")
    return Template(css).substitute(text=TEXT, input_edge=edge("input"),
                                    kernel_edge=edge("kernel"))


def palette() -> dict[str, object]:
    """The book's colours for the script: [light fill, strong edge] per role, and text."""
    return {**{role: list(colours) for role, colours in ROLES.items()}, "text": TEXT}


def explorer_html(kind: str, title: str, controls: Sequence[Control],
                  config: dict[str, object]) -> HTML:
    """An explorer of ``kind`` (a key of the script's EXPLORERS) with ``controls``,
    drawing with ``config``; ``title`` names its settings for screen readers."""
    root = f"convlib-{kind}-{next(_ids)}"
    data = json.dumps({"palette": palette(), **config}, separators=(",", ":"),
                      allow_nan=False).replace("</", "<\\/")
    return HTML(
        f'<div class="convlib-explorer" id="{root}" data-explorer="{kind}">'
        f"<style>{stylesheet()}</style>"
        f'<div class="cl-controls" role="group" aria-label="{escape(title)}">'
        + "".join(control.html(root) for control in controls) + "</div>"
        '<p class="cl-summary" aria-live="polite"></p>'
        '<div class="cl-drawing"><p class="cl-waiting">This explorer computes and draws in '
        "the page, with JavaScript; in Jupyter it starts when its cell is run.</p></div>"
        f"<script>{script()}\n"
        f"window.convlibExplorers.mount({json.dumps(root)}, {json.dumps(kind)}, {data});"
        "</script></div>")
