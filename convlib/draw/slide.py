"""The slide itself, drawn: the window on the input, the kernel, the output so far.

``draw_slide`` draws one position of the kernel; ``animate_slide`` steps through all
of them as a self-contained HTML animation (play, pause and step buttons) that works
in a notebook and in the rendered book alike. ``draw_transposed`` and
``animate_transposed`` draw a transposed convolution the same way, as the direct
convolution it equals: the flipped kernel sliding over the input with zeros
inserted between its pixels and around it, every inserted zero drawn as a made-up
(hatched grey) cell.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML
from matplotlib.artist import Artist
from matplotlib.figure import Figure

from ..ops.conv import conv2d
from ..ops.transposed import zero_stuff
from .animation import new_figure, render_frames
from .grids import as_grid
from .scene import GridArtists
from .style import COLUMN_INCHES

Pair = int | tuple[int, int]
# Per axis, an int (both sides alike) or a (before, after) pair:
# 1, (1, 2) or ((0, 0), (0, 1)).
SlidePadding = int | tuple[int | tuple[int, int], int | tuple[int, int]]


def _two(value: Pair) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


def _pads(padding: SlidePadding) -> tuple[tuple[int, int], tuple[int, int]]:
    """Padding as ((top, bottom), (left, right))."""
    per_axis = (padding, padding) if isinstance(padding, int) else padding
    pairs = None
    if isinstance(per_axis, tuple) and len(per_axis) == 2:
        pairs = tuple((p, p) if isinstance(p, int) else p for p in per_axis)
    if pairs is None or not all(
        isinstance(p, tuple) and len(p) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in p)
        for p in pairs
    ):
        raise ValueError(
            "padding must be an int, a (rows, columns) pair of ints or a pair of "
            f"(before, after) pairs, none negative; got {padding!r}"
        )
    return pairs


@dataclass
class Slide:
    """Everything needed to draw any position of the kernel over the input."""

    padded: np.ndarray
    pad_cells: set[tuple[int, int]]
    kernel: np.ndarray
    output: np.ndarray
    stride: tuple[int, int]
    dilation: tuple[int, int]
    input_title: str = "input"
    kernel_title: str = "kernel"

    @classmethod
    def build(cls, x: object, kernel: object, stride: Pair = 1, padding: SlidePadding = 0,
              dilation: Pair = 1) -> "Slide":
        x, kernel = as_grid(x), as_grid(kernel)
        stride, dilation = _two(stride), _two(dilation)
        (top, bottom), (left, right) = pads = _pads(padding)
        padded = np.pad(x, pads)
        pad_cells = {
            (i, j) for i in range(padded.shape[0]) for j in range(padded.shape[1])
            if not (top <= i < top + x.shape[0] and left <= j < left + x.shape[1])
        }
        output = conv2d(x[None, None], kernel[None, None], stride=stride, padding=pads,
                        dilation=dilation)[0, 0]
        return cls(padded, pad_cells, kernel, output, stride, dilation)

    @classmethod
    def transposed(cls, x: object, kernel: object, stride: Pair = 1, padding: Pair = 0,
                   output_padding: Pair = 0, dilation: Pair = 1) -> "Slide":
        """A transposed convolution of ``x``, as the direct convolution that computes it."""
        x, kernel = as_grid(x), as_grid(kernel)
        stuffed, fake = zero_stuff(x, kernel.shape, stride, padding, output_padding, dilation)
        flipped = np.ascontiguousarray(kernel[::-1, ::-1])
        dilation = _two(dilation)
        output = conv2d(stuffed[None, None], flipped[None, None], dilation=dilation)[0, 0]
        pad_cells = {(int(i), int(j)) for i, j in zip(*np.nonzero(fake), strict=True)}
        return cls(stuffed, pad_cells, flipped, output, (1, 1), dilation,
                   input_title="input, zeros inserted", kernel_title="kernel, flipped")

    @property
    def steps(self) -> int:
        return self.output.size

    def window(self, step: int) -> list[tuple[int, int]]:
        """The input cells under each kernel weight at ``step``, in the kernel's order."""
        i, j = divmod(step, self.output.shape[1])
        kh, kw = self.kernel.shape
        (sh, sw), (dh, dw) = self.stride, self.dilation
        return [(i * sh + a * dh, j * sw + b * dw) for a in range(kh) for b in range(kw)]

    def describe(self) -> str:
        """What an animation of this slide shows, in words (its alt text)."""
        (h, w), (kh, kw) = self.padded.shape, self.kernel.shape
        (oh, ow), (sh, sw) = self.output.shape, self.stride
        made_up = f", {len(self.pad_cells)} of its cells made up" if self.pad_cells else ""
        stride = f" with stride {sh}" if (sh, sw) == (sh, sh) and sh > 1 else (
            f" with stride {sh} by {sw}" if (sh, sw) != (1, 1) else "")
        return (f"A {kh} by {kw} {self.kernel_title} sliding{stride} over a {h} by {w} "
                f"{self.input_title}{made_up}, one frame per position: the products under "
                f"the kernel and their sum, which fills the {oh} by {ow} output")

    def equation(self, step: int) -> str:
        """The sum of products that gives the output value at ``step``."""
        terms = [f"{self.padded[c]:g}×{w:g}" for c, w in zip(self.window(step),
                                                                self.kernel.ravel(), strict=True)]
        return " + ".join(terms) + f" = {self.output.flat[step]:g}"


def title_width(title: str | None, fontsize: float = 12) -> float:
    """About how many inches a (multi-line) title needs, margins included; a LaTeX
    command such as ``\\lfloor`` counts as one character."""
    if not title:
        return 0.0
    shown = [re.sub(r"\\[a-zA-Z]+ ?", "x", line).replace("$", "") for line in title.split("\n")]
    return 0.0078 * fontsize * max(len(line) for line in shown) + 0.4


def _size(slide: Slide) -> tuple[float, float]:
    """The figure size, in inches, for the input, kernel and output side by side."""
    width = sum(s[1] for s in (slide.padded.shape, slide.kernel.shape, slide.output.shape))
    height = max(slide.padded.shape[0], 1)
    cell = min(0.5, (COLUMN_INCHES - 2.0) / width)  # the whole row fits the text column
    return cell * width + 2.0, cell * height + 1.2


def _figsize(slide: Slide, title: str | None) -> tuple[float, float]:
    """The size of the figure, room for a title included."""
    width, height = _size(slide)
    lines = title.count("\n") + 1 if title else 0
    return max(width, title_width(title, 12)), height + 0.22 * max(lines - 1, 0)


def _one(slide: Slide, step: int, title: str | None) -> Figure:
    """Position ``step`` of ``slide``, drawn by the same scene as the animation frames."""
    if not 0 <= step < slide.steps:
        raise ValueError(f"step must be in 0..{slide.steps - 1}; got {step}")
    fig = plt.figure(figsize=_figsize(slide, title))
    _scene(fig, slide, title)(step)
    return fig


def _scene(fig: Figure, slide: Slide, title: str | None) -> Callable[[int], list[Artist]]:
    """Draw ``slide`` once on ``fig``, before any step; return a function that shows
    position ``step`` and returns the artists it changed."""
    lines = title.count("\n") + 1 if title else 0
    height = fig.get_size_inches()[1]
    shapes = [slide.padded.shape, slide.kernel.shape, slide.output.shape]
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [s[1] for s in shapes]})
    fig.subplots_adjust(top=1 - (0.45 + 0.22 * lines) / height, bottom=0.45 / height)
    board = GridArtists(axes[0], slide.padded, "input", title=slide.input_title,
                        padding=slide.pad_cells)
    GridArtists(axes[1], slide.kernel, "kernel", title=slide.kernel_title)
    out = GridArtists(axes[2], np.full(slide.output.shape, np.nan), "output", title="output")
    equation = fig.text(0.5, 0.15 / height, "", ha="center", fontsize=11)
    if title:
        fig.suptitle(title, fontsize=12)

    def show(step: int) -> list[Artist]:
        cells = slide.window(step)
        notes = {c: f"×{w:g}" for c, w in zip(cells, slide.kernel.ravel(), strict=True)}
        shown = np.full(slide.output.shape, np.nan)
        shown.flat[: step + 1] = slide.output.flat[: step + 1]
        equation.set_text(slide.equation(step))
        return [*board.show(highlight=cells, highlight_role="kernel", notes=notes),
                *out.show(shown, highlight=[divmod(step, slide.output.shape[1])]), equation]

    return show


def render_slide(slide: Slide, title: str | None, interval: int, colors: int,
                 alt: str | None = None) -> HTML:
    """Every position of ``slide`` as HTML: the figure is drawn once, only what changes
    is redrawn, and each frame is stored with a palette of ``colors`` colours. ``alt``
    describes it in words (by default, ``slide.describe()``)."""
    fig = new_figure(*_figsize(slide, title))
    return render_frames(fig, _scene(fig, slide, title), slide.steps, interval, colors,
                         alt=alt or slide.describe())


def draw_slide(x: object, kernel: object, step: int = 0, stride: Pair = 1,
               padding: SlidePadding = 0, dilation: Pair = 1,
               title: str | None = None) -> Figure:
    """Draw the kernel at position ``step`` (row by row) over ``x``, with its products.

    ``padding`` may give (before, after) pairs per axis, e.g. ``((0, 0), (0, 1))``.
    """
    return _one(Slide.build(x, kernel, stride, padding, dilation), step, title)


def animate_slide(x: object, kernel: object, stride: Pair = 1, padding: SlidePadding = 0,
                  dilation: Pair = 1, title: str | None = None, interval: int = 900,
                  colors: int = 32, alt: str | None = None) -> HTML:
    """Every position of the kernel over ``x`` as an HTML animation one can step through.

    Each frame is stored with a palette of ``colors`` colours, for a lighter page;
    ``alt`` replaces the description generated for readers who cannot see it.
    """
    slide = Slide.build(x, kernel, stride, padding, dilation)
    return render_slide(slide, title, interval, colors, alt)


def draw_transposed(x: object, kernel: object, step: int = 0, stride: Pair = 1,
                    padding: Pair = 0, output_padding: Pair = 0, dilation: Pair = 1,
                    title: str | None = None) -> Figure:
    """One position of a transposed convolution of ``x``, drawn as a direct one."""
    slide = Slide.transposed(x, kernel, stride, padding, output_padding, dilation)
    return _one(slide, step, title)


def animate_transposed(x: object, kernel: object, stride: Pair = 1, padding: Pair = 0,
                       output_padding: Pair = 0, dilation: Pair = 1, title: str | None = None,
                       interval: int = 900, colors: int = 32, alt: str | None = None) -> HTML:
    """Every position of a transposed convolution of ``x``, drawn as the direct
    convolution it equals, as an HTML animation."""
    slide = Slide.transposed(x, kernel, stride, padding, output_padding, dilation)
    return render_slide(slide, title, interval, colors, alt)
