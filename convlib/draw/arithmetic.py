"""The relationships of Dumoulin and Visin's *A guide to convolution arithmetic for
deep learning* (2016), each with its example sizes, its formula and a picture.

The paper states fifteen: six for direct convolutions (1-6), one for pooling (7),
seven for transposed convolutions (8-14) and one for dilation (15). Each ties the
output size to the input size n, kernel size k, stride s, padding p and dilation d.
The examples are the paper's: small square inputs and 3x3 or 4x4 kernels. A
transposed relationship is drawn as the direct convolution that computes it (see
``convlib.ops.transposed``), its input being the output of the direct convolution
it reverses.

``draw_relationship`` draws one relationship compactly: the first window and the
next, a dot at the centre of every window (one per output value), the output and
the formula; ``animate_relationships`` puts them all in one figure to step through;
``animate_relationship`` slides the window over one example, position by position.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from .animation import new_figure, render_frames
from .formula import _grid
from .slide import Slide, render_slide
from .style import COLUMN_INCHES, TEXT, edge

EXAMPLE_KERNELS = {
    3: np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], dtype=np.float32),
    4: np.array([[0, 1, 2, 1], [2, 2, 0, 1], [0, 1, 2, 0], [1, 0, 1, 2]], dtype=np.float32),
}


def example_input(n: int) -> np.ndarray:
    """A small n x n grid of the digits 1 to 3, the same for every relationship."""
    i, j = np.indices((n, n))
    return ((i + 2 * j + i * j) % 3 + 1).astype(np.float32)


@dataclass(frozen=True)
class Relationship:
    """One relationship of the paper, with the example it is drawn with.

    ``formula`` is the paper's output size as LaTeX, with ``{n}``, ``{k}``, ``{s}``,
    ``{p}``, ``{d}`` and ``{a}`` (output padding) standing for the sizes; ``rule``
    computes the same number.
    """

    key: str
    number: int  # the relationship's number in the paper
    name: str
    n: int
    k: int
    formula: str
    rule: Callable[..., int]
    s: int = 1
    p: int = 0
    d: int = 1
    a: int = 0
    transposed: bool = False
    pooling: bool = False

    @property
    def kind(self) -> str:
        """"direct", "pooling" or "transposed"."""
        return "transposed" if self.transposed else "pooling" if self.pooling else "direct"

    @property
    def sizes(self) -> dict[str, int]:
        return {"n": self.n, "k": self.k, "s": self.s, "p": self.p, "d": self.d, "a": self.a}

    def output_size(self) -> int:
        """The output size the relationship's own formula gives for its example."""
        return self.rule(**self.sizes)

    def symbolic(self) -> str:
        """The formula in letters, as LaTeX."""
        return self.formula.format(**{name: name for name in self.sizes})

    def filled(self) -> str:
        """The formula with the example's numbers in place of the letters, and its value."""
        return self.formula.format(**self.sizes) + f" = {self.output_size()}"

    def settings(self) -> str:
        """The example's sizes, e.g. ``n = 5, k = 3, s = 2, p = 1``."""
        shown = ["n", "k", "s", "p"] + (["d"] if self.d != 1 else []) + (
            ["a"] if self.a else [])
        return ", ".join(f"{name} = {self.sizes[name]}" for name in shown)

    def title(self) -> str:
        """A figure title: the name, the sizes and the formula with its numbers."""
        return (f"Relationship {self.number}, {self.kind}: {self.name.lower()} "
                f"({self.settings()})\noutput ${self.symbolic()}$\n$= {self.filled()}$")

    def example(self) -> tuple[np.ndarray, np.ndarray]:
        """The example's input (n x n) and kernel (k x k)."""
        return example_input(self.n), EXAMPLE_KERNELS[self.k].copy()

    def slide(self) -> Slide:
        """The example's input and kernel, ready to draw."""
        x, kernel = self.example()
        if self.transposed:
            return Slide.transposed(x, kernel, self.s, self.p, self.a, self.d)
        return Slide.build(x, kernel, self.s, self.p, self.d)


_STRIDED = r"\lfloor ({n} + 2 \cdot {p} - {k}) / {s} \rfloor + 1"
RELATIONSHIPS: tuple[Relationship, ...] = (
    Relationship("no padding", 1, "No padding, unit stride", n=4, k=3,
                 formula="({n} - {k}) + 1", rule=lambda n, k, **_: n - k + 1),
    Relationship("arbitrary padding", 2, "Arbitrary padding, unit stride", n=5, k=4, p=2,
                 formula=r"({n} - {k}) + 2 \cdot {p} + 1",
                 rule=lambda n, k, p, **_: n - k + 2 * p + 1),
    Relationship("half padding", 3, "Half (same) padding", n=5, k=3, p=1,
                 formula=r"{n} + 2 \cdot \lfloor {k} / 2 \rfloor - ({k} - 1)",
                 rule=lambda n, k, **_: n + 2 * (k // 2) - (k - 1)),
    Relationship("full padding", 4, "Full padding", n=5, k=3, p=2,
                 formula="{n} + ({k} - 1)", rule=lambda n, k, **_: n + k - 1),
    Relationship("no padding, stride", 5, "No padding, stride 2", n=5, k=3, s=2,
                 formula=r"\lfloor ({n} - {k}) / {s} \rfloor + 1",
                 rule=lambda n, k, s, **_: (n - k) // s + 1),
    Relationship("padding, stride", 6, "Padding and stride", n=5, k=3, s=2, p=1,
                 formula=_STRIDED, rule=lambda n, k, s, p, **_: (n + 2 * p - k) // s + 1),
    Relationship("pooling", 7, "Pooling", n=5, k=3, s=1,
                 formula=r"\lfloor ({n} - {k}) / {s} \rfloor + 1",
                 rule=lambda n, k, s, **_: (n - k) // s + 1, pooling=True),
    Relationship("no padding, transposed", 8, "No padding, unit stride", n=2, k=3,
                 formula="{n} + ({k} - 1)", rule=lambda n, k, **_: n + k - 1, transposed=True),
    Relationship("arbitrary padding, transposed", 9, "Arbitrary padding, unit stride", n=6,
                 k=4, p=2, formula=r"{n} + ({k} - 1) - 2 \cdot {p}",
                 rule=lambda n, k, p, **_: n + k - 1 - 2 * p, transposed=True),
    Relationship("half padding, transposed", 10, "Half (same) padding", n=5, k=3, p=1,
                 formula=r"{n} + ({k} - 1) - 2 \cdot {p}",
                 rule=lambda n, k, p, **_: n + k - 1 - 2 * p, transposed=True),
    Relationship("full padding, transposed", 11, "Full padding", n=7, k=3, p=2,
                 formula="{n} - ({k} - 1)", rule=lambda n, k, **_: n - (k - 1), transposed=True),
    Relationship("no padding, stride, transposed", 12, "No padding, stride 2", n=2, k=3, s=2,
                 formula=r"{s} \cdot ({n} - 1) + {k}",
                 rule=lambda n, k, s, **_: s * (n - 1) + k, transposed=True),
    Relationship("padding, stride, transposed", 13, "Padding and stride", n=3, k=3, s=2, p=1,
                 formula=r"{s} \cdot ({n} - 1) + {k} - 2 \cdot {p}",
                 rule=lambda n, k, s, p, **_: s * (n - 1) + k - 2 * p, transposed=True),
    Relationship("padding, stride, odd, transposed", 14, "Padding and stride, odd size", n=3,
                 k=3, s=2, p=1, a=1, formula=r"{s} \cdot ({n} - 1) + {a} + {k} - 2 \cdot {p}",
                 rule=lambda n, k, s, p, a, **_: s * (n - 1) + a + k - 2 * p, transposed=True),
    Relationship("dilation", 15, "Dilation 2", n=7, k=3, d=2,
                 formula=r"\lfloor ({n} + 2 \cdot {p} - {k} - ({k} - 1)({d} - 1)) / {s} \rfloor"
                         " + 1",
                 rule=lambda n, k, s, p, d, **_: (n + 2 * p - k - (k - 1) * (d - 1)) // s + 1),
)




def relationship(key: str) -> Relationship:
    """The relationship called ``key`` (see ``RELATIONSHIPS``)."""
    for r in RELATIONSHIPS:
        if r.key == key:
            return r
    raise ValueError(f"no relationship {key!r}; the keys are {[r.key for r in RELATIONSHIPS]}")


def _as_relationship(r: Relationship | str) -> Relationship:
    if isinstance(r, Relationship):
        return r
    if isinstance(r, str):
        return relationship(r)
    raise TypeError(f"expected a Relationship or its key; got {type(r).__name__}")


def animate_relationship(r: Relationship | str, interval: int = 700,
                         colors: int | None = 32) -> HTML:
    """Every window position of relationship ``r``'s example, as an HTML animation."""
    r = _as_relationship(r)
    slide = r.slide()
    alt = f"{r.name} ({r.settings()}): " + slide.describe()
    return render_slide(slide, r.title(), interval, colors, alt)


def _box(cells: list[tuple[int, int]]) -> tuple[float, float, float, float]:
    """The bounding box (x, y, width, height) of a window's cells."""
    rows, cols = zip(*cells, strict=True)
    return min(cols), min(rows), max(cols) - min(cols) + 1, max(rows) - min(rows) + 1


def _draw_compact(fig: Figure, r: Relationship, extent: int) -> None:
    """Relationship ``r`` on ``fig``: the input as the direct convolution sees it (its
    made-up cells hatched), the first window filled and the next one dashed, a dot at
    the centre of every window, the output, and the paper's formula."""
    slide = r.slide()
    fig.clear()
    ax_in, ax_out = fig.subplots(1, 2)
    width, height = fig.get_size_inches()
    grids = 2 * extent * _cell(extent) + 0.6  # the panels' width, centred in the figure
    margin = (width - grids) / 2 / width
    fig.subplots_adjust(left=margin + 0.03 * grids / width, right=1 - margin,
                        top=1 - 0.85 / height, bottom=0.8 / height, wspace=0.08)
    _grid(ax_in, slide.padded.shape[0], extent, "input", slide.pad_cells)
    first = slide.window(0)
    ax_in.add_collection(PatchCollection([Rectangle((j, i), 1, 1) for i, j in first],
                                         facecolor=edge("kernel"), edgecolor="white", lw=1.2))
    ax_in.add_patch(Rectangle(_box(first)[:2], *_box(first)[2:], fill=False,
                              edgecolor=edge("kernel"), lw=2.5))
    if slide.steps > 1:
        second = slide.window(1)
        ax_in.add_patch(Rectangle(_box(second)[:2], *_box(second)[2:], fill=False,
                                  edgecolor=edge("kernel"), lw=2, linestyle="--"))
    dots = []
    for step in range(slide.steps):
        x, y, w, h = _box(slide.window(step))
        dots.append(Circle((x + w / 2, y + h / 2), 0.2))
    ax_in.add_collection(PatchCollection(dots, color=edge("output"), zorder=4))
    made_up = ", stretched" if r.transposed else f", padding {r.p}" if r.p else ""
    ax_in.set_title(f"input {r.n}×{r.n}{made_up}", fontsize=10)
    size = slide.output.shape[0]
    _grid(ax_out, size, extent, "output")
    ax_out.set_title(f"output {size}×{size}", fontsize=10)
    fig.suptitle(f"Relationship {r.number} ({r.kind}): {r.name.lower()}\n{r.settings()}",
                 fontsize=11, color=TEXT)
    fig.text(0.5, 0.42 / height, f"$o = {r.symbolic()}$", ha="center", fontsize=10,
             color=TEXT)
    fig.text(0.5, 0.12 / height, f"$= {r.filled()}$", ha="center", fontsize=10, color=TEXT)


def _cell(extent: int) -> float:
    """Inches per cell: as large as reads well, two grids side by side in the column."""
    return min(0.36, (COLUMN_INCHES - 0.6) / (2 * extent))


def _compact_size(extent: int, relationships: Sequence[Relationship]) -> tuple[float, float]:
    """Room for two grids ``extent`` cells wide, and for the longest formula."""
    longest = max(len(r.filled()) for r in relationships)
    text = min(COLUMN_INCHES, 0.075 * longest + 0.5)  # about 0.075 in per character
    return max(2 * extent * _cell(extent) + 0.6, text), extent * _cell(extent) + 1.75


def draw_relationship(r: Relationship | str) -> Figure:
    """Relationship ``r`` in one compact figure: its first two windows, a dot per
    output value, the output and the formula with the example's numbers."""
    r = _as_relationship(r)
    extent = r.slide().padded.shape[0]
    fig = plt.figure(figsize=_compact_size(extent, [r]))
    _draw_compact(fig, r, extent)
    return fig


def animate_relationships(relationships: Sequence[Relationship | str] = RELATIONSHIPS,
                          interval: int = 2500, alt: str | None = None) -> HTML:
    """One frame per relationship, drawn as by ``draw_relationship`` on a common scale:
    the whole paper in one figure to step through."""
    chosen = [_as_relationship(r) for r in relationships]
    if not chosen:
        raise ValueError("animate_relationships needs at least one relationship")
    extent = max(r.slide().padded.shape[0] for r in chosen)
    fig = new_figure(*_compact_size(extent, chosen))
    _draw_compact(fig, chosen[0], extent)
    numbers = ", ".join(str(r.number) for r in chosen)
    alt = alt or (f"Relationships {numbers} of the convolution arithmetic, one per frame: "
                  "each example's input with its first window and the next, a dot at the "
                  "centre of every window, the output grid, and the formula with the "
                  "example's numbers")
    return render_frames(fig, lambda i: _draw_compact(fig, chosen[i], extent), len(chosen),
                         interval, colors=64, alt=alt)
