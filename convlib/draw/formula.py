"""The output-size formula, drawn: where the windows fall, and what the formula says.

``draw_output_size`` shows a square input with its padding, the kernel's first
window (and, dashed, the next one a stride away), a dot at the centre of every
window (one dot per output value) and the output grid, with the formula
floor((n + 2p - d(k - 1) - 1) / s) + 1 written out with the numbers.
``animate_output_size`` sweeps through settings, for the rendered book, where the
live explorer (``explore.output_size_explorer``) cannot run.
"""

from collections.abc import Iterable, Sequence

import matplotlib.pyplot as plt
from IPython.display import HTML
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from ..sizes.shapes import output_size
from .animation import new_figure, render_frames
from .style import COLUMN_INCHES, TEXT, edge, fill

Setting = tuple[int, int, int, int, int]  # n, kernel_size, stride, padding, dilation


def formula_text(n: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 dilation: int = 1) -> str:
    """The output-size formula with the numbers filled in, as matplotlib mathtext."""
    size = output_size(n, kernel_size, stride, padding, dilation)
    top = n + 2 * padding - dilation * (kernel_size - 1) - 1
    return (rf"$\lfloor ({n} + 2 \cdot {padding} - {dilation} \cdot ({kernel_size} - 1) - 1)"
            rf" / {stride} \rfloor + 1 = \lfloor {top} / {stride} \rfloor + 1 = {size}$")


def _check(setting: Sequence[int]) -> Setting:
    if len(setting) != 5:
        raise ValueError("a setting is (n, kernel_size, stride, padding, dilation); "
                         f"got {setting!r}")
    n, k, s, p, d = setting
    output_size(n, k, s, p, d)  # raises a clear error for a setting that cannot work
    return n, k, s, p, d


def _grid(ax, size: int, extent: int, role: str, fake: set[tuple[int, int]] = frozenset()):
    """Cells in the look of ``grids.draw_grid``, drawn as a few collections (fast)."""
    cells = {False: [], True: []}
    for i in range(size):
        for j in range(size):
            cells[(i, j) in fake].append(Rectangle((j, i), 1, 1))
    for padded, rects in cells.items():
        if rects:
            ax.add_collection(PatchCollection(rects, facecolor=fill("padding" if padded else role),
                                              edgecolor="white", linewidth=1.2,
                                              hatch="//" if padded else None))
    ax.set_xlim(-0.1, extent + 0.1)
    ax.set_ylim(extent + 0.1, -0.1)
    ax.set_aspect("equal")
    ax.axis("off")


def _draw(fig: Figure, setting: Setting, extent: int) -> None:
    n, k, s, p, d = setting
    fig.clear()
    size = output_size(n, k, s, p, d)
    span, padded = d * (k - 1) + 1, n + 2 * p
    reach = (size - 1) * s + span  # cells some window covers, from the top-left
    ax_in, ax_out = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.03, right=0.97, top=0.8, bottom=0.17, wspace=0.1)
    fake = {(i, j) for i in range(padded) for j in range(padded)
            if not (p <= i < p + n and p <= j < p + n)}
    _grid(ax_in, padded, extent, "input", fake)
    taps = [Rectangle((b * d, a * d), 1, 1) for a in range(k) for b in range(k)]
    ax_in.add_collection(PatchCollection(taps, facecolor=edge("kernel"), edgecolor="white",
                                         linewidth=1.2))
    ax_in.add_patch(Rectangle((0, 0), span, span, fill=False, edgecolor=edge("kernel"), lw=2.5))
    if size > 1:
        ax_in.add_patch(Rectangle((s, 0), span, span, fill=False, edgecolor=edge("kernel"),
                                  lw=2, linestyle="--"))
    if reach < padded:  # the floor: these rows and columns are never under a window
        for box in ((reach, 0, padded - reach, padded), (0, reach, reach, padded - reach)):
            ax_in.add_patch(Rectangle(box[:2], box[2], box[3], facecolor="none",
                                      edgecolor=TEXT, hatch="xx", lw=0, alpha=0.45))
    dots = [Circle((j * s + span / 2, i * s + span / 2), 0.22)
            for i in range(size) for j in range(size)]
    ax_in.add_collection(PatchCollection(dots, color=edge("output"), zorder=4))
    ax_in.set_title(f"input {n}×{n}, padded to {padded}×{padded}")
    _grid(ax_out, size, extent, "output")
    ax_out.set_title(f"output {size}×{size}")
    fig.suptitle(f"n = {n}, k = {k}, p = {p}, s = {s}, d = {d}: the kernel spans "
                 f"d(k − 1) + 1 = {span}", fontsize=12)
    fig.text(0.5, 0.05, formula_text(n, k, s, p, d), ha="center", fontsize=13)


def _figure_size(extent: int) -> tuple[float, float]:
    cell = min(0.32, (COLUMN_INCHES - 0.8) / (2 * extent))
    return 2 * extent * cell + 0.8, extent * cell + 1.8


def draw_output_size(n: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1) -> Figure:
    """A square input of side ``n`` with its padding, every window's centre (a green
    dot per output value), the first window (and, dashed, the next), the output, and
    the formula with its numbers. Cells no window reaches are cross-hatched."""
    setting = _check((n, kernel_size, stride, padding, dilation))
    extent = n + 2 * padding
    fig = plt.figure(figsize=_figure_size(extent))
    _draw(fig, setting, extent)
    return fig


def animate_output_size(settings: Iterable[Sequence[int]], interval: int = 1600,
                        colors: int = 32, alt: str | None = None) -> HTML:
    """One frame per (n, kernel_size, stride, padding, dilation) setting, drawn as by
    ``draw_output_size`` on a common scale, as an HTML animation."""
    settings = [_check(tuple(s)) for s in settings]
    if not settings:
        raise ValueError("animate_output_size needs at least one setting")
    extent = max(n + 2 * p for n, _, _, p, _ in settings)
    fig = new_figure(*_figure_size(extent))
    _draw(fig, settings[0], extent)

    def show(frame: int) -> None:
        _draw(fig, settings[frame], extent)

    alt = alt or (f"The output-size formula for {len(settings)} settings of input size n, "
                  "kernel size k, stride s, padding p and dilation d, one per frame: the "
                  "padded input, the windows that fit and the output they make")
    return render_frames(fig, show, len(settings), interval, colors, alt=alt)
