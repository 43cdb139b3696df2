"""A convolution on a GPU drawn: the output cut into tiles, one program (a block of
threads) per tile, each stepping through the depth of the implicit matrix product.

The picture is the im2col product of the book's earlier figure, filters (rows) times
columns of windows: the output is filters x output pixels. A Triton program computes
one BLOCK_N x BLOCK_M tile of it; to do so it reads the filters' BLOCK_N rows of
weights and the BLOCK_M columns of windows, BLOCK_K deep at a time. The windows are
never stored: each block of them is gathered from the input by address arithmetic
("implicit GEMM"). Where a tile runs past the matrix, masks keep the program from
reading or writing there (hatched).
"""

from math import ceil

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .style import COLUMN_INCHES, MIN_FONTSIZE, TEXT, edge, fill


def _box(ax: Axes, x: float, y: float, w: float, h: float, face: str, **kw: object) -> None:
    ax.add_patch(Rectangle((x, y), w, h, facecolor=face, edgecolor=kw.pop("edge", "white"),
                           linewidth=kw.pop("lw", 1.0), **kw))


def _masked(ax: Axes, x: float, y: float, w: float, h: float) -> None:
    if w > 0 and h > 0:
        ax.add_patch(Rectangle((x, y), w, h, facecolor="white", edgecolor="#9a9a9a",
                               hatch="///", linewidth=0.8, linestyle="--"))


def draw_gpu_tiles(pixels: int, filters: int, depth: int, block_m: int = 64,
                   block_n: int = 32, block_k: int = 16, program: tuple[int, int] = (1, 0),
                   step: int = 1) -> Figure:
    """The tiles of an implicit matrix product with ``pixels`` output pixels (N H_out
    W_out), ``filters`` filters and ``depth`` = C k_h k_w: one tile per program, the
    program ``program`` = (pid0, pid1) lit, at its K step ``step``."""
    for name, value in (("pixels", pixels), ("filters", filters), ("depth", depth),
                        ("block_m", block_m), ("block_n", block_n), ("block_k", block_k)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int; got {value!r}")
    grid_m, grid_n, steps = ceil(pixels / block_m), ceil(filters / block_n), ceil(depth / block_k)
    p0, p1 = program
    if not (0 <= p0 < grid_m and 0 <= p1 < grid_n and 0 <= step < steps):
        raise ValueError(f"program must be in (0..{grid_m - 1}, 0..{grid_n - 1}) and step in "
                         f"0..{steps - 1}; got {program}, {step}")
    cover_m, cover_n, cover_k = grid_m * block_m, grid_n * block_n, steps * block_k
    gap = max(0.12 * cover_k, 0.3 / ((COLUMN_INCHES - 1.0) / (cover_k + cover_m)))
    units_w = cover_k + gap + cover_m
    scale = (COLUMN_INCHES - 1.0) / units_w  # inches per unit
    units_h = cover_k + gap + cover_n
    fig = plt.figure(figsize=(units_w * scale + 1.0, units_h * scale + 1.6))
    ax = fig.add_axes((0.5 / fig.get_figwidth(), 0.85 / fig.get_figheight(),
                       units_w * scale / fig.get_figwidth(), units_h * scale / fig.get_figheight()))
    ax.set_xlim(0, units_w)
    ax.set_ylim(units_h, 0)
    ax.set_aspect("equal")
    ax.axis("off")
    cx, cy = cover_k + gap, cover_k + gap  # the output's top left corner
    m0, n0, k0 = p0 * block_m, p1 * block_n, step * block_k

    # the windows (depth x pixels), above the output; this program's columns lit
    _box(ax, cx, 0, pixels, depth, fill("input"), edge=edge("input"), lw=0.8)
    _masked(ax, cx + pixels, 0, cover_m - pixels, cover_k)
    _masked(ax, cx, depth, pixels, cover_k - depth)
    _box(ax, cx + m0, 0, min(block_m, pixels - m0), depth, edge("input"), alpha=0.35)
    _box(ax, cx + m0, k0, min(block_m, pixels - m0), min(block_k, depth - k0), edge("input"))
    ax.text(cx, -3, f"windows: depth {depth} (C·k·k) × {pixels} output pixels, never stored",
            fontsize=10, color=edge("input"), va="bottom")
    # the weights (filters x depth), left of the output; this program's rows lit
    _box(ax, 0, cy, depth, filters, fill("kernel"), edge=edge("kernel"), lw=0.8)
    _masked(ax, depth, cy, cover_k - depth, filters)
    _masked(ax, 0, cy + filters, cover_k, cover_n - filters)
    _box(ax, 0, cy + n0, depth, min(block_n, filters - n0), edge("kernel"), alpha=0.35)
    _box(ax, k0, cy + n0, min(block_k, depth - k0), min(block_n, filters - n0), edge("kernel"))
    ax.text(0, cy - 3, "weights", fontsize=10, color=edge("kernel"), va="bottom")
    ax.text(k0 + block_k / 2, cy + cover_n + 3, f"BLOCK_K = {block_k}", fontsize=MIN_FONTSIZE,
            color=TEXT, ha="center", va="top")
    # the output (filters x pixels), tile by tile
    _box(ax, cx, cy, pixels, filters, fill("output"), edge=edge("output"), lw=0.8)
    _masked(ax, cx + pixels, cy, cover_m - pixels, cover_n)
    _masked(ax, cx, cy + filters, pixels, cover_n - filters)
    _box(ax, cx + m0, cy + n0, block_m, block_n, edge("output"), alpha=0.9)
    for i in range(grid_m):
        for j in range(grid_n):
            ax.add_patch(Rectangle((cx + i * block_m, cy + j * block_n), block_m, block_n,
                                   fill=False, edgecolor=TEXT, linewidth=1.2))
            lit = (i, j) == (p0, p1)
            ax.text(cx + (i + 0.5) * block_m, cy + (j + 0.5) * block_n, f"program\n({i}, {j})",
                    ha="center", va="center", fontsize=MIN_FONTSIZE,
                    color="white" if lit else TEXT, fontweight="bold" if lit else "normal")
    ax.text(cx + m0 + block_m / 2, cy + cover_n + 3, f"BLOCK_M = {block_m} pixels",
            fontsize=MIN_FONTSIZE, color=TEXT, ha="center", va="top")
    ax.text(cx - gap / 2, cy + n0 + block_n / 2, f"BLOCK_N = {block_n}",
            fontsize=MIN_FONTSIZE, color=TEXT, ha="center", va="center", rotation=90)
    fig.text(0.5 / fig.get_figwidth(), 0.2 / fig.get_figheight(),
             f"grid ({grid_m}, {grid_n}): {grid_m * grid_n} programs, each {steps} steps of "
             f"BLOCK_K deep (step {step} lit); hatched: masked",
             fontsize=10, color=TEXT)
    return fig
