"""An explorer's controls in the page: sliders and drop-down lists, each with a visible
label, written as HTML for the explorer's script to read.

They mirror the ipywidgets explorers' controls (same names, ranges and descriptions),
so the live notebook and the rendered page offer the same choices. They start
disabled, and the script enables them: where the script cannot run (an untrusted
notebook), no control pretends to work.
"""

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Slider:
    """A whole number from ``low`` to ``high`` in steps of ``step``; ``name`` is the
    argument it sets, ``label`` what the reader sees beside it."""

    name: str
    label: str
    low: int
    high: int
    value: int
    step: int = 1
    hidden: bool = False  # shown by the script only where it changes something

    def __post_init__(self) -> None:
        choices = range(self.low, self.high + 1, self.step)
        if not isinstance(self.value, int) or isinstance(self.value, bool) \
                or self.value not in choices:
            every = f" in steps of {self.step}" if self.step != 1 else ""
            raise ValueError(f"{self.name} must be an int from {self.low} to {self.high}"
                             f"{every}; got {self.value!r}")

    def html(self, root: str) -> str:
        """The labelled slider, with its value written beside it, in the panel ``root``."""
        ident = f"{root}-{self.name}"
        return (f'<div class="cl-control"{" hidden" if self.hidden else ""}>'
                f'<label for="{ident}">{escape(self.label)}</label>'
                f'<input type="range" id="{ident}" data-control="{self.name}" '
                f'min="{self.low}" max="{self.high}" step="{self.step}" value="{self.value}" '
                "disabled>"
                f'<output for="{ident}" data-readout="{self.name}">{self.value}</output></div>')


@dataclass(frozen=True)
class Choice:
    """One of ``options`` (all ints, or all text), chosen from a drop-down list."""

    name: str
    label: str
    options: tuple[int | str, ...]
    value: int | str

    def __post_init__(self) -> None:
        if self.value not in self.options:
            raise ValueError(f"{self.name} must be one of {list(self.options)}; "
                             f"got {self.value!r}")

    def html(self, root: str) -> str:
        """The labelled drop-down list in the panel ``root``."""
        ident = f"{root}-{self.name}"
        kind = "int" if all(isinstance(o, int) for o in self.options) else "text"
        options = "".join(
            f'<option value="{escape(str(o))}"{" selected" if o == self.value else ""}>'
            f"{escape(str(o))}</option>" for o in self.options)
        return (f'<div class="cl-control"><label for="{ident}">{escape(self.label)}</label>'
                f'<select id="{ident}" data-control="{self.name}" data-type="{kind}" '
                f"disabled>{options}</select></div>")


Control = Slider | Choice
