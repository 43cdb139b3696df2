"""Small kernels stacked: the view of one big kernel, for fewer weights.

Each layer of ``k`` x ``k`` kernels (stride 1) widens what a unit sees by ``k - 1``
pixels, so ``L`` stacked layers see ``1 + L(k - 1)`` pixels across, as one kernel of
that size would, with ``L k^2`` weights per channel pair instead of its square.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .style import COLUMN_INCHES, TEXT, edge, fill


def _field(depth: int, kernel_size: int = 3) -> int:
    """Pixels across that one unit sees after ``depth`` stacked layers (stride 1)."""
    for name, value in (("depth", depth), ("kernel_size", kernel_size)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int; got {value!r}")
    return 1 + depth * (kernel_size - 1)


def _row(ax: Axes, y: float, n: int, lit: range, role: str, label: str) -> None:
    xs = np.arange(n) - (n - 1) / 2
    on = [x for i, x in enumerate(xs) if i in lit]
    off = [x for i, x in enumerate(xs) if i not in lit]
    ax.scatter(off, [y] * len(off), s=70, color="white", edgecolor="#c8c8c8", zorder=3)
    ax.scatter(on, [y] * len(on), s=70, color=fill(role), edgecolor=edge(role), zorder=3,
               lw=1.5)
    ax.text(xs[0] - 0.9, y, label, ha="right", va="center", fontsize=9, color=TEXT)


def _wires(ax: Axes, y_top: float, y_bottom: float, centres: range, k: int) -> None:
    for c in centres:
        for a in range(-(k // 2), k - k // 2):
            ax.plot([c, c + a], [y_top, y_bottom], color=edge("kernel"), lw=1.0, alpha=0.7,
                    zorder=1)


def draw_stacking(depth: int = 3, kernel_size: int = 3) -> Figure:
    """One row of pixels seen from the side: a single big kernel (left) and ``depth``
    stacked ``kernel_size`` layers (right) giving one output unit the same view; the
    lit units are the ones that reach it, the orange lines the weights on the way."""
    field = _field(depth, kernel_size)
    k = kernel_size
    n = field + 4
    fig, (left, right) = plt.subplots(1, 2, figsize=(COLUMN_INCHES - 0.6, 1.0 + 0.75 * (depth + 1)))
    centre = (n - 1) // 2
    offset = (n - 1) / 2
    # one big kernel
    _row(left, 0, n, range(centre - field // 2, centre + field // 2 + 1), "input", "input")
    _row(left, depth, n, range(centre, centre + 1), "output", "output")
    for a in range(-(field // 2), field // 2 + 1):
        left.plot([0, a], [depth, 0], color=edge("kernel"), lw=1.0, alpha=0.7, zorder=1)
    left.set_title(f"one {field}x{field} layer: {field * field} weights, 1 non-linearity",
                   fontsize=11)
    # stacked small kernels
    for level in range(depth + 1):
        half = (depth - level) * (k // 2)
        lit = range(centre - half, centre + half + 1)
        role = "input" if level == 0 else "output"
        label = "input" if level == 0 else f"layer {level}"
        _row(right, level, n, lit, role, label)
        if level:
            _wires(right, level, level - 1,
                   range(-((depth - level) * (k // 2)), (depth - level) * (k // 2) + 1), k)
    right.set_title(f"{depth} stacked {k}x{k} layers: {depth} x {k * k} = {depth * k * k} "
                    f"weights, {depth} non-linearities", fontsize=11)
    for ax in (left, right):
        ax.set_xlim(-offset - 3.2, offset + 0.8)
        ax.set_ylim(-0.6, depth + 0.6)
        ax.axis("off")
    fig.tight_layout()
    return fig
