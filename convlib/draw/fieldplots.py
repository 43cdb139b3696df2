"""Receptive fields drawn: on a stack of 1-D layers, and on a photograph.

``draw_field_stack`` draws a network along one axis as rows of units, the input at
the bottom, and traces every connection that leads to one unit of the top layer:
locality is what one row sees of the row below, the receptive field is what the
top unit reaches at the bottom (``animate_field_stack`` moves that unit along).
``draw_field_overlay`` draws, on an image, the field of the unit nearest to a point
after each layer, as nested rectangles; ``animate_field_growth`` grows them layer
by layer for several stacks side by side. ``show_pyramid`` shows that pooling
resizes the picture and widens what the next kernel sees; ``show_contributions``
counts the paths from each input pixel to one unit.
"""

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import HTML
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from ..sizes.receptive import ReceptiveField, receptive_field, stack_layers
from ..sizes.shapes import output_size
from .animation import new_figure, render_frames
from .grids import draw_grid
from .style import COLUMN_INCHES, IMAGE_CMAP, TEXT, edge, fill

Spec = tuple[int, int, int, int]


def _field(layers: object) -> ReceptiveField:
    return layers if isinstance(layers, ReceptiveField) else receptive_field(layers)


def field_shades(count: int) -> list[tuple[float, ...]]:
    """``count`` shades of the kernel's orange, light to dark: the outlines of the fields
    of ``count`` layers, the first layer's lightest (here and in the web explorer)."""
    return [plt.get_cmap("Oranges")(v) for v in np.linspace(0.5, 1.0, max(count, 1))]


# -- a stack of layers along one axis ----------------------------------------------


def _stack_geometry(field: ReceptiveField, n: int) -> list[int]:
    """The number of units in each row, the input first."""
    lengths = [n]
    for row in field:
        lengths.append(output_size(lengths[-1], row.kernel_size, row.stride, row.padding,
                                   row.dilation))
    return lengths


def _x(field: ReceptiveField, level: int, index: int) -> float:
    """Where unit ``index`` of row ``level`` is drawn: at the centre of its field."""
    if level == 0:
        return float(index)
    row = field[level - 1]
    return row.centre + index * row.jump


UNIT = 0.42  # inches per unit of the stack diagrams
CHAR = 0.16  # the width of a 10-point character, in units


def _stack_names(field: ReceptiveField, labels: Sequence[str] | None) -> list[str]:
    if labels is not None and len(labels) != len(field):
        raise ValueError(f"labels must name each of the {len(field)} layers; got {len(labels)}")
    return ["input", *(labels if labels is not None else [row.layer for row in field])]


def _stack_limits(field: ReceptiveField, n: int,
                  labels: Sequence[str] | None) -> tuple[float, float, float, float]:
    """The label anchors and the x limits, the same for every unit of the top row."""
    units = _stack_geometry(field, n)[-1]
    x_low = min(0, field.span(0)[0]) - 0.9
    x_high = max(n - 1, field.span(units - 1)[1]) + 0.9
    longest = max(len(name) for name in _stack_names(field, labels))
    return (x_low, x_high, x_low - CHAR * longest - 0.3,
            x_high + CHAR * len("r = 999, j = 99") + 0.3)


def _draw_stack(ax: Axes, field: ReceptiveField, n: int, unit: int | None,
                labels: Sequence[str] | None) -> None:
    lengths = _stack_geometry(field, n)
    top = len(field)
    unit = lengths[-1] // 2 if unit is None else unit
    if not 0 <= unit < lengths[-1]:
        raise ValueError(f"unit must be in 0..{lengths[-1] - 1}; got {unit}")
    # which units of each row lead to the chosen unit, walking down
    reached: list[set[int]] = [set() for _ in lengths]
    reached[top] = {unit}
    lines = []
    for level in range(top, 0, -1):
        row = field[level - 1]
        for u in reached[level]:
            for a in range(row.kernel_size):
                below = u * row.stride - row.padding + a * row.dilation
                reached[level - 1].add(below)
                lines.append((level, u, below))
    for level, u, below in lines:
        ax.plot([_x(field, level, u), _x(field, level - 1, below)], [level, level - 1],
                color=edge("kernel"), lw=1.4, zorder=1, alpha=0.85)
    radius = 0.3
    for level, length in enumerate(lengths):
        role = "input" if level == 0 else "output"
        low = min([0, *reached[level]])
        high = max([length - 1, *reached[level]])
        for i in range(low, high + 1):
            pad = not 0 <= i < length
            if pad and i not in reached[level]:
                continue
            face = fill("padding") if pad else fill(role)
            if i in reached[level] and not pad:
                face = edge(role)
            ax.add_patch(Circle((_x(field, level, i), level), radius, facecolor=face,
                                edgecolor=edge("padding") if pad else edge(role), lw=1.2,
                                hatch="////" if pad else None, zorder=2))
    x_low, x_high, left, right = _stack_limits(field, n, labels)
    for level, name in enumerate(_stack_names(field, labels)):
        role = "input" if level == 0 else "output"
        ax.text(x_low, level, name, ha="right", va="center", fontsize=10, color=edge(role))
        if level:
            row = field[level - 1]
            ax.text(x_high, level, f"r = {row.size}, j = {row.jump}", ha="left", va="center",
                    fontsize=10, color=TEXT)
    first, last = field.span(unit)
    ax.annotate("", xy=(first - 0.4, -0.75), xytext=(last + 0.4, -0.75),
                arrowprops={"arrowstyle": "|-|", "color": edge("input"), "lw": 1.5,
                            "shrinkA": 0, "shrinkB": 0})
    ax.text((first + last) / 2, -1.0, f"receptive field: input pixels {first} to {last}, "
            f"{last - first + 1} wide", ha="center", va="top", color=edge("input"), fontsize=10)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_xlim(left, right)
    ax.set_ylim(-1.9, top + 0.6)


def _stack_size(field: ReceptiveField, n: int,
                labels: Sequence[str] | None) -> tuple[float, float]:
    _, _, left, right = _stack_limits(field, n, labels)
    unit = min(UNIT, COLUMN_INCHES / (right - left))  # the row fits the text column
    return unit * (right - left), unit * (len(field) + 2.5)


def draw_field_stack(layers: object, n: int = 16, unit: int | None = None,
                     labels: Sequence[str] | None = None) -> Figure:
    """A network along one axis: rows of units, the input (blue) at the bottom, each
    layer's units (green) above it, drawn at the centre of their fields.

    The orange lines trace every connection that leads to unit ``unit`` of the top
    row (its middle unit by default); the filled units are those it depends on, and
    the bracket marks its receptive field in the input. Padding units are hatched
    grey. ``layers`` is anything ``receptive_field`` reads; ``n`` the input length;
    ``labels`` names the layers (their settings by default).
    """
    field = _field(layers)
    if not field.rows:
        raise ValueError("draw_field_stack needs at least one convolution or pooling layer")
    fig = plt.figure(figsize=_stack_size(field, n, labels))
    ax = fig.add_axes((0, 0, 1, 1))
    _draw_stack(ax, field, n, unit, labels)
    return fig


def animate_field_stack(layers: object, n: int = 16, labels: Sequence[str] | None = None,
                        interval: int = 1100, alt: str | None = None) -> HTML:
    """``draw_field_stack`` for each unit of the top row in turn, as an HTML animation:
    the field moves by the jump from one unit to the next."""
    field = _field(layers)
    if not field.rows:
        raise ValueError("animate_field_stack needs at least one convolution or pooling layer")
    units = _stack_geometry(field, n)[-1]
    fig = new_figure(*_stack_size(field, n, labels))
    ax = fig.add_axes((0, 0, 1, 1))

    def show(frame: int) -> None:
        ax.clear()
        _draw_stack(ax, field, n, frame, labels)

    show(0)
    alt = alt or (f"A stack of {len(field.rows)} layers over a row of {n} input pixels, one frame "
                  f"per unit of the top layer: the pixels each layer's units see, and the "
                  f"{field.size} input pixels of the unit's receptive field, which moves "
                  f"{field.jump} pixel{'s' * (field.jump > 1)} from one unit to the next")
    return render_frames(fig, show, units, interval, colors=32, alt=alt)


# -- on a photograph ---------------------------------------------------------------


def _overlay(ax: Axes, image: np.ndarray, field: ReceptiveField, point: tuple[float, float],
             rows: Sequence[str] | None, view: int | None, label: bool) -> list[Rectangle]:
    """Draw the image, the padding around it and one rectangle per chosen layer;
    return the rectangles, innermost first."""
    chosen = [r for r in field if rows is None or r.name in rows]
    colours = field_shades(len(chosen))
    h, w = image.shape[:2]
    boxes = []
    for row in chosen:
        (top, bottom), (left, right) = (row.span(row.nearest_unit(point[0])),
                                        row.span(row.nearest_unit(point[1])))
        boxes.append((top, bottom, left, right))
    if view is None:  # room for every box, its outline included
        margin = 0.5 + 0.02 * max(h, w)
        y0 = min([0, *(b[0] for b in boxes)]) - margin
        y1 = max([h - 1, *(b[1] for b in boxes)]) + margin
        x0 = min([0, *(b[2] for b in boxes)]) - margin
        x1 = max([w - 1, *(b[3] for b in boxes)]) + margin
    else:
        y0, y1 = point[0] - view / 2, point[0] + view / 2
        x0, x1 = point[1] - view / 2, point[1] + view / 2
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=fill("padding"),
                           edgecolor=edge("padding"), hatch="//", lw=0, zorder=0))
    cmap = IMAGE_CMAP if image.ndim == 2 else None
    ax.imshow(image, cmap=cmap, vmin=0, vmax=1, zorder=1, interpolation="nearest")
    halo = [patheffects.withStroke(linewidth=4.2, foreground="white")]
    handles = []
    for row, (top, bottom, left, right), colour in zip(chosen, boxes, colours, strict=True):
        handles.append(ax.add_patch(Rectangle(
            (left - 0.5, top - 0.5), right - left + 1, bottom - top + 1, fill=False,
            edgecolor=colour, lw=2.2, zorder=3, path_effects=halo,
            label=(f"layer {row.name} ({row.layer})" if row.name.isdigit() else row.name)
            + f": {row.size}×{row.size}")))
    ax.plot(point[1], point[0], marker="+", color=edge("output"), ms=10, mew=2, zorder=5)
    if label:
        ax.legend(handles=handles[::-1], loc="upper left", bbox_to_anchor=(1.02, 1.0),
                  frameon=False, title="field after", fontsize=9, title_fontsize=10)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)
    ax.axis("off")
    return handles


def draw_field_overlay(image: np.ndarray, layers: object, point: tuple[float, float] | None = None,
                       rows: Sequence[str] | None = None, view: int | None = None,
                       size: float = 5.0) -> Figure:
    """On ``image``, the receptive field after each layer of the unit whose field is
    centred nearest to ``point`` (row, column; the image centre by default), as
    nested rectangles from light to dark orange, labelled with the layer and the
    field size. ``rows`` picks layers by name; ``view`` zooms to a square of that
    many pixels around the point. Beyond the image, the hatched grey is padding.
    """
    image = np.asarray(image)
    if image.ndim not in (2, 3):
        raise ValueError(f"image must be (H, W) or (H, W, 3); got shape {image.shape}")
    field = _field(layers)
    if point is None:
        point = ((image.shape[0] - 1) / 2, (image.shape[1] - 1) / 2)
    fig, ax = plt.subplots(figsize=(size * 1.5, size))
    _overlay(ax, image, field, point, rows, view, label=True)
    fig.tight_layout()
    return fig


def animate_field_growth(image: np.ndarray, stacks: dict[str, tuple[int, int, int | str]],
                         depth: int = 6, interval: int = 1300, alt: str | None = None) -> HTML:
    """One panel per named stack (kernel_size, stride, dilation; dilation may be
    ``"doubling"``), one frame per depth from 1 to ``depth``: the field of the
    centre unit after each layer so far, drawn on ``image``."""
    image = np.asarray(image)
    if not stacks:
        raise ValueError("animate_field_growth needs at least one stack")
    fields = {name: receptive_field(stack_layers(depth, *spec)) for name, spec in stacks.items()}
    panel = min(2.9, COLUMN_INCHES / len(stacks))
    fig = new_figure(panel * len(stacks), 3.9)
    axes = fig.subplots(1, len(stacks), squeeze=False)[0]
    fig.subplots_adjust(left=0.01, right=0.99, top=0.84, bottom=0.01, wspace=0.05)
    centre = ((image.shape[0] - 1) / 2, (image.shape[1] - 1) / 2)
    boxes = []
    for ax, field in zip(axes, fields.values(), strict=True):
        boxes.append(_overlay(ax, image, field, centre, None, None, label=False))
        for box in boxes[-1]:
            box.set_visible(False)
        ax.set_title(" \n ", fontsize=10)

    def show(frame: int) -> list:
        changed = []
        for ax, (name, field), rects in zip(axes, fields.items(), boxes, strict=True):
            for k, rect in enumerate(rects):
                rect.set_visible(k <= frame)
            row = field[frame]
            ax.set_title(f"{name}\n{frame + 1} layer{'s' * (frame > 0)}: r = {row.size}, "
                         f"j = {row.jump}", fontsize=10)
            changed += [*rects[: frame + 1], ax.title]
        return changed

    alt = alt or (f"The receptive field of the centre unit drawn on a photograph for "
                  f"{len(stacks)} stacks of layers ({', '.join(stacks)}), one frame per depth "
                  f"from 1 to {depth} layers; each new layer adds a larger box")
    return render_frames(fig, show, depth, interval, colors=256, alt=alt)


# -- which pixels contribute ---------------------------------------------------------


def show_contributions(maps: dict[str, np.ndarray], size: float = 0.3) -> Figure:
    """Each map drawn as a grid of input pixels: the number in a cell is how many paths
    lead from that pixel to the unit (zero left blank); contributing pixels are filled
    blue, and the outline marks the receptive field, end to end."""
    if not maps:
        raise ValueError("show_contributions needs at least one map")
    arrays = {name: np.asarray(m, dtype=float) for name, m in maps.items()}
    for name, a in arrays.items():
        if a.ndim != 2:
            raise ValueError(f"map {name!r} must be 2-D; got shape {a.shape}")
    cols = max(a.shape[1] for a in arrays.values())
    rows = max(a.shape[0] for a in arrays.values())
    size = min(size, COLUMN_INCHES / ((cols + 1.5) * len(arrays)))
    fig, axes = plt.subplots(1, len(arrays), figsize=(size * (cols + 1.5) * len(arrays),
                                                      size * rows + 1.0), squeeze=False)
    for ax, (name, a) in zip(axes[0], arrays.items(), strict=True):
        cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(a), strict=True)]
        shown = np.where(a > 0, np.round(a), np.nan)
        draw_grid(ax, shown, "input", title=name, highlight=cells, fontsize=9)
    fig.tight_layout()
    return fig


# -- pooling resizes, it does not crop ---------------------------------------------------


def _pooled(image: np.ndarray, times: int) -> np.ndarray:
    """``image`` after ``times`` 2x2 average poolings with stride 2."""
    out = image
    for _ in range(times):
        h, w = out.shape[0] // 2 * 2, out.shape[1] // 2 * 2
        out = out[:h, :w].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))
    return out


def show_pyramid(image: np.ndarray, levels: int = 3, point: tuple[int, int] | None = None,
                 size: float = 2.5) -> Figure:
    """Top: a greyscale ``image`` after 0, 1, ..., ``levels`` 2x2 poolings (stride 2),
    each drawn at the same display size, with a 3x3 kernel window (orange) on the pixel
    over ``point``. Bottom: the photograph with the receptive field of that window."""
    image = np.asarray(image, dtype=float)
    if image.ndim != 2:
        raise ValueError(f"show_pyramid needs a 2-D greyscale image; got shape {image.shape}")
    if not isinstance(levels, int) or not 1 <= levels <= 5:
        raise ValueError(f"levels must be an int from 1 to 5; got {levels!r}")
    side = 2**levels
    image = image[: image.shape[0] // side * side, : image.shape[1] // side * side]
    if point is None:
        point = (image.shape[0] // 2, image.shape[1] // 2)
    size = min(size, COLUMN_INCHES / (levels + 1))
    fig, axes = plt.subplots(2, levels + 1, figsize=(size * (levels + 1), 2 * size * 1.12))
    h, w = image.shape
    for level in range(levels + 1):
        pooled = _pooled(image, level)
        field = receptive_field([(2, 2, 1, 0)] * level + [(3, 1, 1, 1)])
        scale = 2**level
        i, j = point[0] // scale, point[1] // scale
        top_ax, bottom_ax = axes[0, level], axes[1, level]
        top_ax.imshow(pooled, cmap=IMAGE_CMAP, vmin=0, vmax=1, interpolation="nearest",
                      extent=(-0.5, pooled.shape[1] - 0.5, pooled.shape[0] - 0.5, -0.5))
        top_ax.add_patch(Rectangle((j - 1.5, i - 1.5), 3, 3, fill=False,
                                   edgecolor=edge("kernel"), lw=2,
                                   path_effects=[patheffects.withStroke(linewidth=3.6,
                                                                         foreground="white")]))
        top_ax.set_title(f"{pooled.shape[0]}×{pooled.shape[1]}; 1 pixel = {scale}×{scale}",
                         fontsize=10, fontweight="normal")
        (first_r, last_r), (first_c, last_c) = field.span(i), field.span(j)
        bottom_ax.imshow(image, cmap=IMAGE_CMAP, vmin=0, vmax=1)
        bottom_ax.add_patch(Rectangle((first_c - 0.5, first_r - 0.5), last_c - first_c + 1,
                                      last_r - first_r + 1, fill=False,
                                      edgecolor=edge("kernel"), lw=2,
                                      path_effects=[patheffects.withStroke(
                                          linewidth=3.6, foreground="white")]))
        bottom_ax.set_title(f"the 3×3 window sees {field.size}×{field.size}", fontsize=10,
                            fontweight="normal")
        for ax in (top_ax, bottom_ax):
            ax.set_xticks([])
            ax.set_yticks([])
        bottom_ax.set_xlim(-0.5, w - 0.5)
        bottom_ax.set_ylim(h - 0.5, -0.5)
    axes[0, 0].set_ylabel("feature map", fontsize=10)
    axes[1, 0].set_ylabel("original image", fontsize=10)
    fig.tight_layout()
    return fig
