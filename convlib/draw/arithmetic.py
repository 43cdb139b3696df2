"""The relationships of Dumoulin and Visin's *A guide to convolution arithmetic for
deep learning* (2016), each with its example sizes, its formula and a picture.

Every relationship ties the output size of a convolution (or of a transposed one) to
its input size n, kernel size k, stride s, padding p and dilation d. The examples
are the paper's: small square inputs and 3x3 or 4x4 kernels, so every window
position can be drawn. A transposed relationship is drawn as the direct convolution
that computes it (see ``convlib.ops.transposed``), its input being the output of the
direct convolution it reverses.
"""

from collections.abc import Callable
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from .slide import Slide, render_slide, title_width
from .style import edge, fill

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
        kind = "transposed, " if self.transposed else ""
        return (f"{self.name} ({kind}relationship {self.number}): {self.settings()}\n"
                f"output ${self.symbolic()} = {self.filled()}$")

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
    Relationship("padding, stride, odd", 6, "Padding and stride, the floor bites", n=6, k=3,
                 s=2, p=1, formula=_STRIDED,
                 rule=lambda n, k, s, p, **_: (n + 2 * p - k) // s + 1),
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
    return render_slide(r.slide(), r.title(), interval, colors)


def _rgb(colour: str) -> np.ndarray:
    return np.array(to_rgb(colour)) * 255


def positions_image(slide: Slide, cell: int | None = None) -> np.ndarray:
    """The collage of ``draw_positions`` as an RGB image: a panel per window position,
    ``cell`` pixels per cell (by default about 5 inches wide in all), panels 1.5 cells
    apart. Drawing pixels directly keeps even 49 panels quick."""
    rows, cols = slide.output.shape
    height, width = slide.padded.shape
    if cell is None:
        span = max(cols * (width + 1.5), rows * (height + 1.5))
        cell = int(min(max(5.0 * plt.rcParams["figure.dpi"] / span, 7), 24))
    gap = int(1.5 * cell)
    panel_h, panel_w = height * cell + 1, width * cell + 1
    canvas = np.full((rows * (panel_h + gap) - gap, cols * (panel_w + gap) - gap, 3), 255.0)
    # the pixels of one panel: which cell each pixel is in, and where cell borders are
    y, x = np.mgrid[0:panel_h, 0:panel_w]
    on_row, on_col = y % cell == 0, x % cell == 0
    border = on_row | on_col
    hatch = ((x + y) % max(4, cell // 2) == 0) & ~border  # "//", like grids.draw_grid's
    ci, cj = np.minimum(y // cell, height - 1), np.minimum(x // cell, width - 1)
    above, before = np.maximum(y - 1, 0) // cell, np.maximum(x - 1, 0) // cell
    fake = np.zeros((height, width), bool)
    for i, j in slide.pad_cells:
        fake[i, j] = True
    colours = {name: _rgb(c) for name, c in (
        ("input", fill("input")), ("rim", edge("input")), ("padding", fill("padding")),
        ("kernel", edge("kernel")), ("white", "white"))}
    for step in range(slide.steps):
        window = np.zeros((height, width), bool)
        for i, j in slide.window(step):
            window[i, j] = True
        in_window, is_fake = window[ci, cj], fake[ci, cj]
        panel = np.where(in_window[..., None], colours["kernel"],
                         np.where(is_fake[..., None], colours["padding"], colours["input"]))
        plain = ~window & ~fake  # real input cells outside the window get a blue rim
        rimmed = border & (plain[ci, cj] | (on_row & plain[above, cj])
                           | (on_col & plain[ci, before])
                           | (on_row & on_col & plain[above, before]))
        panel = np.where(border[..., None], colours["white"], panel)
        panel = np.where(rimmed[..., None], colours["rim"], panel)
        panel = np.where((hatch & is_fake)[..., None], colours["white"], panel)
        cells = np.argwhere(window)
        (top, left), (bottom, right) = cells.min(axis=0) * cell, (cells.max(axis=0) + 1) * cell
        for thickness in range(2):  # the window's outline, two pixels wide
            panel[top + thickness, left:right + 1] = colours["kernel"]
            panel[bottom - thickness, left:right + 1] = colours["kernel"]
            panel[top:bottom + 1, left + thickness] = colours["kernel"]
            panel[top:bottom + 1, right - thickness] = colours["kernel"]
        r, c = divmod(step, cols)
        canvas[r * (panel_h + gap):r * (panel_h + gap) + panel_h,
               c * (panel_w + gap):c * (panel_w + gap) + panel_w] = panel
    return canvas.astype(np.uint8)


def draw_positions(slide: Slide, title: str | None = None, cell: int | None = None) -> Figure:
    """Every window position of ``slide`` at once: one small panel per output value.

    The panels are laid out like the output itself, so the panel in row i, column j
    shows the window that computes output (i, j). Input cells are blue (with a blue
    rim), made-up cells (padding, inserted zeros) hatched grey, the window's cells
    orange.
    """
    canvas = positions_image(slide, cell)
    dpi = plt.rcParams["figure.dpi"]
    image_w, image_h = canvas.shape[1] / dpi, canvas.shape[0] / dpi
    top_in = 0.3 + 0.2 * (title.count("\n") + 1 if title else 0)
    width_in = max(image_w + 0.4, title_width(title, 11))
    height_in = image_h + top_in + 0.2
    fig = plt.figure(figsize=(width_in, height_in))
    ax = fig.add_axes(((1 - image_w / width_in) / 2, 0.2 / height_in,
                       image_w / width_in, image_h / height_in))
    ax.imshow(canvas, interpolation="nearest")
    ax.axis("off")
    if title:
        fig.suptitle(title, fontsize=11, y=1 - 0.12 / height_in, va="top")
    return fig


def draw_relationship(r: Relationship | str) -> Figure:
    """All window positions of relationship ``r``'s example in one static figure."""
    r = _as_relationship(r)
    return draw_positions(r.slide(), r.title())
