"""The transposed convolution drawn by its definition: every input value stamps a scaled
copy of the kernel into the output, ``stride`` apart, and overlapping stamps add up.

``animate_stamps`` lays the stamps down one input value at a time; ``draw_overlap``
and ``animate_overlap`` count how many stamps land on each output position (the cause
of checkerboard artifacts when the stride does not divide the kernel); ``show_images``
sets images side by side, such as the outputs of several upsamplers.
"""

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..learn.upsampling import interior, stamp_counts
from ..ops.transposed import conv_transpose2d
from ..sizes.arguments import positive
from .animation import new_figure, render_frames
from .grids import as_grid, number_text
from .scene import GridArtists
from .style import COLUMN_INCHES, IMAGE_CMAP, SIGNED_CMAP, TEXT, edge, fill


def _stamp_sums(x: np.ndarray, kernel: np.ndarray, stride: int) -> list[np.ndarray]:
    """The output after the first 1, 2, ... stamps, row by row over the input."""
    kh, kw = kernel.shape
    out = np.zeros(((x.shape[0] - 1) * stride + kh, (x.shape[1] - 1) * stride + kw))
    sums = []
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i * stride:i * stride + kh, j * stride:j * stride + kw] += x[i, j] * kernel
            sums.append(out.copy())
    return sums


def animate_stamps(x: object, kernel: object, stride: int = 2, interval: int = 1400,
                   alt: str | None = None) -> HTML:
    """A transposed convolution of the 2-D ``x`` (no padding) built stamp by stamp, as an
    HTML animation: one frame per input value, which adds value x kernel to the output
    ``stride`` pixels further along; the last frame shows the finished output, checked
    against ``convlib.conv_transpose2d``."""
    x, kernel = as_grid(x), as_grid(kernel)
    positive("stride", stride)
    kh, kw = kernel.shape
    sums = _stamp_sums(x, kernel, stride)
    reference = conv_transpose2d(x[None, None], kernel[None, None], stride=stride)[0, 0]
    if not np.allclose(sums[-1], reference):
        raise AssertionError("the stamps do not add up to conv_transpose2d")  # a bug here
    out_h, out_w = sums[-1].shape
    cells = x.shape[1] + kw + out_w
    cell = min(0.5, (COLUMN_INCHES - 1.6) / cells)
    fig = new_figure(cell * cells + 1.6, cell * max(out_h, kh) + 1.5)
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [x.shape[1], kw, out_w]})
    fig.subplots_adjust(left=0.03, right=0.97, top=1 - 0.5 / fig.get_figheight(),
                        bottom=0.75 / fig.get_figheight(), wspace=0.25)
    board = GridArtists(axes[0], x, "input", title="input")
    GridArtists(axes[1], kernel, "kernel", title="kernel")
    out = GridArtists(axes[2], np.zeros((out_h, out_w)), "output",
                      title=f"output (stride {stride})")
    line = fig.text(0.5, 0.3 / fig.get_figheight(), "", ha="center", fontsize=11, color=TEXT)
    steps = x.size

    def show(frame: int):
        if frame == steps:  # the finished output
            line.set_text(f"all {steps} stamps added: the transposed convolution's output")
            return [*board.show(), *out.show(sums[-1]), line]
        i, j = divmod(frame, x.shape[1])
        v = x[i, j]
        top, left = i * stride, j * stride
        stamp = [(top + a, left + b) for a in range(kh) for b in range(kw)]
        notes = {(top + a, left + b): f"+{number_text(v * kernel[a, b])}"
                 for a in range(kh) for b in range(kw)}
        line.set_text(f"input ({i}, {j}) = {number_text(v)} adds {number_text(v)} × kernel "
                      f"to rows {top}–{top + kh - 1}, columns {left}–{left + kw - 1}")
        return [*board.show(highlight=[(i, j)]),
                *out.show(sums[frame], highlight=stamp, highlight_role="kernel", notes=notes),
                line]

    alt = alt or (f"A {x.shape[0]} by {x.shape[1]} input and a {kh} by {kw} kernel. One frame "
                  f"per input value: the value times the kernel is added to the {out_h} by "
                  f"{out_w} output, {stride} pixels further along for each step across the "
                  "input; where stamps overlap the numbers add up. The last frame shows the "
                  "finished output")
    return render_frames(fig, show, steps + 1, interval, colors=48, alt=alt)


def _count_colours(top: int) -> LinearSegmentedColormap:
    """No stamp white, one stamp the output's light green, ``top`` stamps its strong green."""
    if top < 2:
        return LinearSegmentedColormap.from_list("counts", ["#ffffff", fill("output")])
    return LinearSegmentedColormap.from_list(
        "counts", [(0, "#ffffff"), (1 / top, fill("output")), (1, edge("output"))])


def _counts_panel(strip_ax: Axes, grid_ax: Axes, kernel_size: int, stride: int, size: int,
                  cells: int, fontsize: float, top: int) -> None:
    """One case on two axes: the 1-D counts as a strip, the 2-D counts as a grid, coloured
    on a scale from 0 to ``top`` stamps."""
    line = stamp_counts(kernel_size, stride, size)
    square = stamp_counts(kernel_size, stride, size, dims=2)
    for ax, counts in ((strip_ax, line[None, :]), (grid_ax, square)):
        ax.clear()
        rows, cols = counts.shape
        ax.imshow(counts, cmap=_count_colours(top), vmin=0, vmax=top, extent=(0, cols, rows, 0),
                  interpolation="nearest")
        for i in range(rows):
            for j in range(cols):
                v = counts[i, j]
                ax.text(j + 0.5, i + 0.5, str(v), ha="center", va="center", fontsize=fontsize,
                        color="white" if v > 0.6 * top else TEXT, fontweight="bold")
        for k in range(rows + 1):
            ax.axhline(k, color="white", lw=1.2)
        for k in range(cols + 1):
            ax.axvline(k, color="white", lw=1.2)
        cut = kernel_size - 1
        inner_rows = (cut, rows - cut) if rows > 1 else (0, 1)
        ax.add_patch(Rectangle((cut, inner_rows[0]), cols - 2 * cut,
                               inner_rows[1] - inner_rows[0], fill=False, edgecolor=TEXT,
                               lw=2, ls=(0, (4, 3)), zorder=5))
        margin = (cells - cols) / 2  # centred in the room of the largest case
        ax.set_xlim(-margin, cols + margin)
        ax.set_ylim(rows + 2 * margin if rows > 1 else 1, 0)  # top-aligned
        ax.set_aspect("equal")
        ax.axis("off")
    inner_line = interior(line, kernel_size)
    inner_square = interior(square, kernel_size)
    strip_ax.set_title(f"kernel {kernel_size}, stride {stride}\n1-D: "
                       f"{_spread(inner_line)}", fontsize=11)
    grid_ax.set_title(f"2-D: {_spread(inner_square)}", fontsize=11)


def _spread(counts: np.ndarray) -> str:
    values = sorted({int(v) for v in counts.ravel()})
    if len(values) == 1:
        return f"{values[0]} stamp{'s' * (values[0] != 1)} everywhere"
    return f"{', '.join(map(str, values[:-1]))} or {values[-1]} stamps"


def _most(cases: list[tuple[int, int]]) -> int:
    """The most stamps on any position in any of the 2-D cases: ceil(k / s) squared."""
    return max((-(-k // s)) ** 2 for k, s in cases)


def _check_cases(cases: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    if not cases:
        raise ValueError("give at least one (kernel_size, stride) case")
    checked = []
    for case in cases:
        if not (isinstance(case, tuple) and len(case) == 2):
            raise ValueError(f"each case is a (kernel_size, stride) pair; got {case!r}")
        checked.append((positive("kernel_size", case[0]), positive("stride", case[1])))
    return checked


def draw_overlap(cases: Sequence[tuple[int, int]] = ((3, 2), (4, 2)), size: int = 4) -> Figure:
    """For each (kernel_size, stride) in ``cases``, how many stamps of a transposed
    convolution of ``size`` input values (``size`` x ``size`` in 2-D) land on each output
    position: a strip for 1-D and a grid for 2-D, darker for more stamps, with the
    positions away from the borders inside the dashed box."""
    cases = _check_cases(cases)
    positive("size", size)
    lengths = [(size - 1) * s + k for k, s in cases]
    cells = max(lengths)
    cell = min(0.34, (COLUMN_INCHES - 0.4) / (len(cases) * (cells + 1)))
    fig, axes = plt.subplots(2, len(cases), squeeze=False,
                             figsize=(len(cases) * (cells + 1) * cell + 0.4,
                                      (cells + 1) * cell + 1.9),
                             gridspec_kw={"height_ratios": [1.6, cells]})
    for c, (k, s) in enumerate(cases):
        _counts_panel(axes[0, c], axes[1, c], k, s, size, cells, 10, _most(cases))
    fig.tight_layout(h_pad=0.6)
    return fig


def animate_overlap(cases: Sequence[tuple[int, int]], length: int = 10, interval: int = 1500,
                    alt: str | None = None) -> HTML:
    """``draw_overlap`` for one case per frame, as an HTML animation. Each case's input is
    as long as fits an output of at most ``length`` values (at least 2 inputs), so that
    the frames are about the same size."""
    cases = _check_cases(cases)
    positive("length", length)
    sizes = [max(2, (length - k) // s + 1) for k, s in cases]
    cells = max((n - 1) * s + k for n, (k, s) in zip(sizes, cases, strict=True))
    cell = min(0.4, (COLUMN_INCHES - 0.5) / (cells + 1))
    fig = new_figure((cells + 1) * cell + 0.5, (cells + 1) * cell + 1.3)
    strip, grid = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1.6, cells]})

    def frame(t: int) -> None:
        k, s = cases[t]
        _counts_panel(strip, grid, k, s, sizes[t], cells, 10, _most(cases))
        fig.tight_layout(h_pad=0.6)

    frame(0)
    alt = alt or ("The number of kernel stamps that land on each output position of a "
                  "transposed convolution, one frame per kernel size and stride: "
                  + "; ".join(f"kernel {k}, stride {s}" for k, s in cases)
                  + ". The counts are even away from the borders only when the stride "
                  "divides the kernel size")
    return render_frames(fig, frame, len(cases), interval, colors=64, alt=alt)


def show_images(rows: dict[str, dict[str, np.ndarray]], *, size: float = 1.9,
                role: str | dict[str, str] = "output", signed: bool = False,
                same_scale: bool = False) -> Figure:
    """Images in rows: ``rows`` maps a row label ("" for none) to {title: image}.

    Each image (H, W) is drawn in greyscale from its own minimum to its maximum (or
    red-white-blue centred at zero when ``signed``), or on one scale for all with
    ``same_scale``; its frame has the colour of ``role`` (one for all, or one per row
    label).
    """
    roles = role if isinstance(role, dict) else dict.fromkeys(rows, role)
    if set(roles) != set(rows):
        raise ValueError(f"role must name a role for every row: {sorted(rows)}")
    if not rows or not all(rows.values()):
        raise ValueError("show_images needs at least one row with at least one image")
    cols = max(len(r) for r in rows.values())
    arrays = {label: {t: np.asarray(a, dtype=float) for t, a in r.items()}
              for label, r in rows.items()}
    for r in arrays.values():
        for title, a in r.items():
            if a.ndim != 2:
                raise ValueError(f"image {title!r} must be 2-D; got shape {a.shape}")
    every = np.concatenate([a.ravel() for r in arrays.values() for a in r.values()])
    labelled = any(arrays)
    width = min(COLUMN_INCHES, cols * size + (0.5 if labelled else 0.1))
    size = (width - (0.5 if labelled else 0.1)) / cols
    aspect = max(a.shape[0] / a.shape[1] for r in arrays.values() for a in r.values())
    fig, axes = plt.subplots(len(rows), cols, squeeze=False,
                             figsize=(width, len(rows) * (size * aspect + 0.5)))
    for r, (label, images) in enumerate(arrays.items()):
        for c in range(cols):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            if c >= len(images):
                ax.axis("off")
                continue
            title, a = list(images.items())[c]
            scale = every if same_scale else a
            if signed:
                limit = float(np.abs(scale).max()) or 1.0
                ax.imshow(a, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit, interpolation="nearest")
            else:
                low, high = float(scale.min()), float(scale.max())
                ax.imshow(a, cmap=IMAGE_CMAP, vmin=low, vmax=high if high > low else low + 1,
                          interpolation="nearest")
            ax.set_title(title, fontsize=10)
            for spine in ax.spines.values():
                spine.set_edgecolor(edge(roles[label]))
                spine.set_linewidth(1.5)
            if c == 0 and label:
                ax.set_ylabel(label, fontsize=10)
    fig.tight_layout()
    return fig
