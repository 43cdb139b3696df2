"""The slide itself, drawn: the window on the input, the kernel, the output so far.

``draw_slide`` draws one position of the kernel; ``animate_slide`` steps through all
of them as a self-contained HTML animation (play, pause and step buttons) that works
in a notebook and in the rendered book alike.
"""

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

from .conv import conv2d
from .grids import as_grid, draw_grid


def _two(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


@dataclass
class Slide:
    """Everything needed to draw any position of the kernel over the input."""

    padded: np.ndarray
    pad_cells: set[tuple[int, int]]
    kernel: np.ndarray
    output: np.ndarray
    stride: tuple[int, int]
    dilation: tuple[int, int]

    @classmethod
    def build(cls, x: object, kernel: object, stride: int | tuple[int, int] = 1,
              padding: int | tuple[int, int] = 0,
              dilation: int | tuple[int, int] = 1) -> "Slide":
        x, kernel = as_grid(x), as_grid(kernel)
        stride, (pad_h, pad_w), dilation = _two(stride), _two(padding), _two(dilation)
        padded = np.pad(x, ((pad_h, pad_h), (pad_w, pad_w)))
        pad_cells = {
            (i, j) for i in range(padded.shape[0]) for j in range(padded.shape[1])
            if not (pad_h <= i < pad_h + x.shape[0] and pad_w <= j < pad_w + x.shape[1])
        }
        output = conv2d(x[None, None], kernel[None, None], stride=stride,
                        padding=(pad_h, pad_w), dilation=dilation)[0, 0]
        return cls(padded, pad_cells, kernel, output, stride, dilation)

    @property
    def steps(self) -> int:
        return self.output.size

    def window(self, step: int) -> list[tuple[int, int]]:
        """The input cells under each kernel weight at ``step``, in the kernel's order."""
        i, j = divmod(step, self.output.shape[1])
        kh, kw = self.kernel.shape
        (sh, sw), (dh, dw) = self.stride, self.dilation
        return [(i * sh + a * dh, j * sw + b * dw) for a in range(kh) for b in range(kw)]

    def equation(self, step: int) -> str:
        """The sum of products that gives the output value at ``step``."""
        terms = [f"{self.padded[c]:g}×{w:g}" for c, w in zip(self.window(step),
                                                                self.kernel.ravel(), strict=True)]
        return " + ".join(terms) + f" = {self.output.flat[step]:g}"


def _draw(fig: Figure, slide: Slide, step: int, title: str | None) -> None:
    fig.clear()
    shapes = [slide.padded.shape, slide.kernel.shape, slide.output.shape]
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [s[1] for s in shapes]})
    cells = slide.window(step)
    notes = {c: f"×{w:g}" for c, w in zip(cells, slide.kernel.ravel(), strict=True)}
    draw_grid(axes[0], slide.padded, "input", title="input", highlight=cells,
              highlight_role="kernel", padding=slide.pad_cells, notes=notes)
    draw_grid(axes[1], slide.kernel, "kernel", title="kernel")
    shown = np.full(slide.output.shape, np.nan)
    shown.flat[: step + 1] = slide.output.flat[: step + 1]
    draw_grid(axes[2], shown, "output", title="output",
              highlight=[divmod(step, slide.output.shape[1])])
    fig.text(0.5, 0.03, slide.equation(step), ha="center", fontsize=11)
    if title:
        fig.suptitle(title, fontsize=12)


def _figure(slide: Slide) -> Figure:
    width = sum(s[1] for s in (slide.padded.shape, slide.kernel.shape, slide.output.shape))
    height = max(slide.padded.shape[0], 1)
    return plt.figure(figsize=(0.5 * width + 2.0, 0.5 * height + 1.2))


def draw_slide(x: object, kernel: object, step: int = 0, stride: int | tuple[int, int] = 1,
               padding: int | tuple[int, int] = 0, dilation: int | tuple[int, int] = 1,
               title: str | None = None) -> Figure:
    """Draw the kernel at position ``step`` (row by row) over ``x``, with its products."""
    slide = Slide.build(x, kernel, stride, padding, dilation)
    if not 0 <= step < slide.steps:
        raise ValueError(f"step must be in 0..{slide.steps - 1}; got {step}")
    fig = _figure(slide)
    _draw(fig, slide, step, title)
    return fig


def animate_slide(x: object, kernel: object, stride: int | tuple[int, int] = 1,
                  padding: int | tuple[int, int] = 0, dilation: int | tuple[int, int] = 1,
                  title: str | None = None, interval: int = 900) -> HTML:
    """Every position of the kernel over ``x`` as an HTML animation one can step through."""
    slide = Slide.build(x, kernel, stride, padding, dilation)
    fig = _figure(slide)
    anim = FuncAnimation(fig, lambda t: _draw(fig, slide, t, title), frames=slide.steps,
                         interval=interval)
    html = anim.to_jshtml(default_mode="once")
    plt.close(fig)
    return HTML(html)
