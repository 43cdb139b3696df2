"""Where a kernel reads: dilated grids, deformable sampling points, and the half-pixel
drift of even-sized kernels.

``draw_dilated`` marks the pixels a 3x3 kernel reads at several dilations, and what a
stack of dilated layers reaches (the gridding of Chapter 2); ``show_sampling_points``
draws the points a (deformable) kernel samples over an image; ``draw_drift`` shows the
response to a single bright pixel after several layers, with its centre marked.
"""

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..ops.conv import conv2d
from ..sizes.arguments import positive
from .grids import number_text
from .style import COLUMN_INCHES, IMAGE_CMAP, TEXT, edge, fill


def _cells(ax: Axes, size: int, marked: np.ndarray, mark_role: str) -> None:
    """A size x size grid of input cells, the ``marked`` ones (a boolean array) filled in
    the strong colour of ``mark_role``."""
    for i in range(size):
        for j in range(size):
            face = edge(mark_role) if marked[i, j] else fill("input")
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=face, edgecolor="white", lw=1.0))
    ax.set_xlim(-0.1, size + 0.1)
    ax.set_ylim(size + 0.1, -0.1)
    ax.set_aspect("equal")
    ax.axis("off")


def _span_box(ax: Axes, size: int, span: int) -> None:
    first = (size - span) / 2
    ax.add_patch(Rectangle((first, first), span, span, fill=False, edgecolor=TEXT, lw=1.5,
                           ls=(0, (4, 3)), zorder=3))


def reached(dilations: Sequence[int], size: int, kernel_size: int = 3) -> np.ndarray:
    """The pixels of a ``size`` x ``size`` input that the centre output of a stack of
    ``kernel_size`` convolutions with these ``dilations`` depends on (stride 1, 'same'
    padding), as a boolean array: a single bright pixel pushed back through the stack."""
    if not dilations:
        raise ValueError("give at least one dilation")
    x = np.zeros((1, 1, size, size), dtype=np.float64)
    x[0, 0, size // 2, size // 2] = 1.0
    ones = np.ones((1, 1, kernel_size, kernel_size))
    for d in dilations:
        positive("dilation", d)
        x = conv2d(x, ones, padding="same", dilation=d)
    return x[0, 0] > 0


def draw_dilated(dilations: Sequence[int] = (1, 2, 3), stacked: Sequence[int] = (2, 2),
                 size: int = 11) -> Figure:
    """A 3x3 kernel at each of ``dilations`` on a ``size`` x ``size`` input: the nine
    pixels it reads (orange) and its span (dashed). A last panel, unless ``stacked`` is
    empty, shows every pixel that a stack of layers with those dilations reaches."""
    positive("size", size)
    panels = len(dilations) + (1 if stacked else 0)
    if panels == 0:
        raise ValueError("nothing to draw: give dilations or a stack")
    fig, axes = plt.subplots(1, panels, figsize=(min(COLUMN_INCHES, 2.15 * panels), 2.75),
                             squeeze=False)
    for ax, d in zip(axes[0], dilations, strict=False):
        positive("dilation", d)
        span = d * 2 + 1
        if span > size:
            raise ValueError(f"dilation {d} spans {span} pixels, more than the {size} drawn")
        marked = reached([d], size)
        _cells(ax, size, marked, "kernel")
        _span_box(ax, size, span)
        ax.set_title(f"dilation {d}\n9 weights, span {span}×{span}", fontsize=10)
    if stacked:
        hit = reached(stacked, size)
        span = 1 + sum(2 * d for d in stacked)
        if span > size:
            raise ValueError(f"the stack spans {span} pixels, more than the {size} drawn")
        ax = axes[0, -1]
        _cells(ax, size, hit, "output")
        _span_box(ax, size, span)
        rates = ", ".join(map(str, stacked))
        ax.set_title(f"layers with dilations {rates}\nreach {int(hit.sum())} of "
                     f"{span * span} pixels", fontsize=10)
    fig.tight_layout(w_pad=0.8)
    return fig


def show_sampling_points(panels: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray | None]],
                         size: float = 2.6,
                         zoom: tuple[int, int, int, int] | None = None) -> Figure:
    """Where kernels read, over images: ``panels`` maps a title to (image, points,
    regular), the image (H, W) in greyscale, ``points`` (P, 2) the (row, column)
    positions read (orange dots), and ``regular`` (P, 2) the positions of the plain
    grid (white rings, joined to the points that moved), or None. ``zoom`` = (top,
    bottom, left, right) shows only those rows and columns (bottom and right
    excluded)."""
    if not panels:
        raise ValueError("show_sampling_points needs at least one panel")
    if zoom is not None and not (len(zoom) == 4 and zoom[0] < zoom[1] and zoom[2] < zoom[3]):
        raise ValueError(f"zoom must be (top, bottom, left, right) with top < bottom and "
                         f"left < right; got {zoom!r}")
    count = len(panels)
    size = min(size, (COLUMN_INCHES - 0.2) / count)
    fig, axes = plt.subplots(1, count, figsize=(size * count + 0.2, size + 0.75), squeeze=False)
    for ax, (title, (image, points, regular)) in zip(axes[0], panels.items(), strict=True):
        image, points = np.asarray(image, dtype=float), np.asarray(points, dtype=float)
        if image.ndim != 2 or points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"panel {title!r}: the image must be 2-D and the points (P, 2)")
        ax.imshow(image, cmap=IMAGE_CMAP, interpolation="nearest")
        if regular is not None:
            regular = np.asarray(regular, dtype=float)
            if regular.shape != points.shape:
                raise ValueError(f"panel {title!r}: regular and points must have one shape")
            for (r0, c0), (r1, c1) in zip(regular, points, strict=True):
                ax.plot([c0, c1], [r0, r1], color=edge("kernel"), lw=1.0, zorder=2)
            ax.scatter(regular[:, 1], regular[:, 0], s=26, facecolor="none",
                       edgecolor="white", lw=1.2, zorder=3)
        ax.scatter(points[:, 1], points[:, 0], s=26, color=edge("kernel"), edgecolor="white",
                   lw=0.6, zorder=4)
        top, bottom, left, right = zoom or (0, image.shape[0], 0, image.shape[1])
        ax.set_xlim(left - 0.5, right - 0.5)
        ax.set_ylim(bottom - 0.5, top - 0.5)
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def draw_drift(rows: dict[str, np.ndarray], labels: Sequence[str] | None = None) -> Figure:
    """Responses to a single bright pixel, one grid per entry of ``rows`` (title: array
    of shape (layers + 1, n), the input first). Zero cells are left empty; a dashed box
    marks the column of the input pixel and a triangle under each row the centre of mass
    of its values."""
    if not rows:
        raise ValueError("draw_drift needs at least one grid")
    arrays = {t: np.asarray(a, dtype=float) for t, a in rows.items()}
    shapes = {a.shape for a in arrays.values()}
    if len(shapes) != 1 or next(iter(shapes))[0] < 2:
        raise ValueError("every grid must have the same shape, (layers + 1, n), layers >= 1")
    lines, n = next(iter(shapes))
    labels = list(labels or ["input", *(f"{k} layer{'s' * (k > 1)}" for k in range(1, lines))])
    cell = min(0.42, (COLUMN_INCHES - 1.3) / (len(arrays) * (n + 0.3)))
    fig, axes = plt.subplots(1, len(arrays), squeeze=False,
                             figsize=(len(arrays) * (n + 0.3) * cell + 1.3,
                                      lines * cell * 1.45 + 0.9))
    for c, (ax, (title, a)) in enumerate(zip(axes[0], arrays.items(), strict=True)):
        centre = int(np.argmax(a[0]))
        for i in range(lines):
            y = i * 1.45
            total = a[i].sum()
            for j in range(n):
                v = a[i, j]
                role = "input" if i == 0 else "output"
                face = fill(role) if v == 0 else edge(role)
                ax.add_patch(Rectangle((j, y), 1, 1, facecolor=face, edgecolor="white", lw=1.2))
                if v != 0:
                    ax.text(j + 0.5, y + 0.5, number_text(v), ha="center", va="center",
                            fontsize=9.5, color="white", fontweight="bold")
            if total:
                mass = float((a[i] * np.arange(n)).sum() / total) + 0.5
                ax.plot([mass], [y + 1.18], marker="^", color=edge("kernel"), ms=7)
            if c == 0:
                ax.text(-0.3, y + 0.5, labels[i], ha="right", va="center", fontsize=10)
        ax.add_patch(Rectangle((centre - 0.04, -0.12), 1.08, (lines - 1) * 1.45 + 1.24,
                               fill=False, edgecolor=TEXT, lw=1.4, ls=(0, (3, 2)), zorder=3))
        ax.set_title(title, fontsize=11)
        ax.set_xlim(-0.1, n + 0.1)
        ax.set_ylim((lines - 1) * 1.45 + 1.45, -0.3)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.tight_layout(w_pad=1.0)
    return fig
