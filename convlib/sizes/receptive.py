"""Receptive fields: which pixels of the original input a unit can depend on.

``receptive_field`` walks a network's convolution and pooling layers with the closed
form of Araujo, Norris and Sim (*Computing receptive fields of convolutional neural
networks*, Distill 2019). Along one axis, with ``r`` the field size, ``j`` the jump
(the distance in input pixels between neighbouring units) and ``start`` the first
input pixel of the first unit's field, a layer with kernel ``k``, stride ``s``,
dilation ``d`` and padding ``p`` (added before the first pixel) gives::

    k' = d (k - 1) + 1          the span of the dilated kernel
    r  = r_prev + (k' - 1) j_prev
    j  = j_prev s
    start = start_prev - p j_prev

starting from the input itself, ``r = 1, j = 1, start = 0``. Unit ``i`` of a layer
then sees input pixels ``start + i j`` to ``start + i j + r - 1``; pixels before 0
or past the end are padding.

How strongly each pixel of that field actually influences the unit is measured in
``convlib.learn.erf``.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from torch import nn

from .arguments import is_whole

# Layers that act on each position separately (or only across channels): they pass
# the field through unchanged. BatchNorm counts as such with its statistics fixed,
# as in evaluation mode.
PASS_THROUGH: tuple[type, ...] = (
    nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.RReLU, nn.ELU, nn.SELU, nn.CELU, nn.GELU,
    nn.SiLU, nn.Mish, nn.Sigmoid, nn.Tanh, nn.Hardtanh, nn.Hardswish, nn.Hardsigmoid,
    nn.Softplus, nn.Softsign, nn.Tanhshrink, nn.Softshrink, nn.Hardshrink, nn.Threshold,
    nn.LogSigmoid, nn.GLU,
    nn.modules.batchnorm._BatchNorm, nn.modules.dropout._DropoutNd, nn.Dropout, nn.AlphaDropout,
    nn.Identity, nn.LocalResponseNorm, nn.CrossMapLRN2d,
)
CONVOLUTIONS = (nn.Conv1d, nn.Conv2d)
POOLINGS = (nn.MaxPool1d, nn.MaxPool2d, nn.AvgPool1d, nn.AvgPool2d)


@dataclass(frozen=True)
class FieldRow:
    """One layer of a ``ReceptiveField``: the layer's settings along the axis, and the
    field of its units in input pixels."""

    name: str
    layer: str  # a short description, e.g. "conv 3, stride 1, pad 1"
    kernel_size: int
    stride: int
    dilation: int
    padding: int  # added before the first pixel
    size: int  # r: how many input pixels, end to end, one unit can depend on
    jump: int  # j: input pixels between the fields of neighbouring units
    start: int  # the first input pixel of unit 0's field (negative: in the padding)

    @property
    def centre(self) -> float:
        """The centre of unit 0's field, in input pixel coordinates."""
        return self.start + (self.size - 1) / 2

    def span(self, unit: int = 0) -> tuple[int, int]:
        """The first and last input pixel (inclusive) that unit ``unit`` can depend on."""
        first = self.start + unit * self.jump
        return first, first + self.size - 1

    def nearest_unit(self, point: float) -> int:
        """The unit (0 or more) whose field is centred nearest to input pixel ``point``:
        the one a figure outlines for a point of the image."""
        return max(0, round((point - self.centre) / self.jump))


class ReceptiveField(Sequence[FieldRow]):
    """The receptive field after every layer of a network, along one axis.

    Index it or iterate over it for the rows; ``size``, ``jump``, ``start`` and
    ``centre`` are those of the last layer. Displayed in a notebook, it is a table
    (``convlib.field_table`` adds columns to it).
    """

    def __init__(self, rows: Sequence[FieldRow]) -> None:
        self.rows: tuple[FieldRow, ...] = tuple(rows)
        last = self.rows[-1] if self.rows else None
        self.size: int = last.size if last else 1
        self.jump: int = last.jump if last else 1
        self.start: int = last.start if last else 0

    @property
    def centre(self) -> float:
        return self.start + (self.size - 1) / 2

    def span(self, unit: int = 0) -> tuple[int, int]:
        """The first and last input pixel (inclusive) that unit ``unit`` of the last
        layer can depend on."""
        first = self.start + unit * self.jump
        return first, first + self.size - 1

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):  # type: ignore[override]
        return self.rows[index]

    def __iter__(self) -> Iterator[FieldRow]:
        return iter(self.rows)

    def __repr__(self) -> str:
        return (f"ReceptiveField({len(self.rows)} layers: size={self.size}, jump={self.jump}, "
                f"start={self.start})")

    def as_rows(self) -> list[dict[str, object]]:
        """The table as a list of dicts, one per layer."""
        return [{"name": r.name, "layer": r.layer, "size": r.size, "jump": r.jump,
                 "start": r.start, "centre": r.centre} for r in self.rows]

    def _cells(self, extra: dict[str, Sequence[object]]) -> tuple[list[str], list[list[str]],
                                                                  list[bool]]:
        """The header, the rows as text, and which columns hold numbers."""
        for column, values in extra.items():
            if len(values) != len(self.rows):
                raise ValueError(f"column {column!r} has {len(values)} values for "
                                 f"{len(self.rows)} layers")
        head = ["layer", "kind", *extra, "size r", "jump j", "start", "centre"]
        body = [[r.name, r.layer, *(str(v[i]) for v in extra.values()), str(r.size),
                 str(r.jump), str(r.start), f"{r.centre:g}"] for i, r in enumerate(self.rows)]
        return head, body, [False, False] + [True] * (len(head) - 2)

    def to_markdown(self, **extra: Sequence[object]) -> str:
        """The table in Markdown. Each keyword adds a column of that name, one value
        per layer (the output channels, say)."""
        head, body, numeric = self._cells(extra)
        lines = ["| " + " | ".join(head) + " |",
                 "|" + "|".join("--:" if n else ":--" for n in numeric) + "|"]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return "\n".join(lines)

    def to_html(self, **extra: Sequence[object]) -> str:
        """The table in HTML, which renders alike in a notebook and in the book;
        keywords add columns as in ``to_markdown``."""
        head, body, numeric = self._cells(extra)
        align = [f'style="text-align: {"right" if n else "left"}; padding: 0.1em 0.45em; '
                 'white-space: nowrap"' for n in numeric]
        html = ['<table style="font-size: 0.9em">', "<thead><tr>"]
        html += [f"<th {a}>{escape(h)}</th>" for h, a in zip(head, align, strict=True)]
        html.append("</tr></thead><tbody>")
        for cells in body:
            html.append("<tr>" + "".join(f"<td {a}>{escape(c)}</td>"
                                         for c, a in zip(cells, align, strict=True)) + "</tr>")
        html.append("</tbody></table>")
        return "\n".join(html)

    def _repr_html_(self) -> str:
        return self.to_html()


# -- reading layers --------------------------------------------------------------------

Spec = tuple[int, int, int, int]  # kernel_size, stride, dilation, padding


def field_step(r: int, j: int, start: int,
               layer: tuple[int, int, int, int]) -> tuple[int, int, int]:
    """The field (size r, jump j, start) after one more layer,
    given as (kernel_size, stride, dilation, padding)."""
    k, s, d, p = layer
    span = d * (k - 1) + 1  # a dilated kernel's reach
    return r + (span - 1) * j, j * s, start - p * j


def _tuple_spec(index: int, name: str, entry: object) -> Spec:
    """(kernel_size, stride[, dilation[, padding]]) checked and completed."""
    form = "(kernel_size, stride), (kernel_size, stride, dilation) or " \
           "(kernel_size, stride, dilation, padding)"
    if not isinstance(entry, (tuple, list)) or not 2 <= len(entry) <= 4:
        raise TypeError(f"layer {index} ({name}) must be a tuple {form}; got {entry!r}")
    if not all(is_whole(v) for v in entry):
        raise TypeError(f"layer {index} ({name}) must hold ints; got {entry!r}")
    values = [int(v) for v in entry]
    k, s, d, p = values + [1, 0][len(values) - 2:]
    for label, value, low in (("kernel_size", k, 1), ("stride", s, 1), ("dilation", d, 1),
                              ("padding", p, 0)):
        if value < low:
            raise ValueError(f"layer {index} ({name}): {label} must be at least {low}; "
                             f"got {entry!r}")
    return k, s, d, p


def _along(layer: nn.Module, name: str, what: str, value: object, axis: int | None,
           dims: int) -> int:
    """One axis of a layer setting that may be an int or a tuple."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * dims
    if axis is None:
        if len(set(values)) > 1:
            raise ValueError(f"layer {name} ({type(layer).__name__}) has {what} {values}, "
                             "different along the axes; pass axis=0 (rows) or axis=1 "
                             "(columns)")
        return int(values[0])
    if axis >= len(values):
        raise ValueError(f"axis={axis}, but layer {name} ({type(layer).__name__}) has "
                         f"{len(values)} spatial axes")
    return int(values[axis])


def _module_spec(layer: nn.Module, name: str, axis: int | None) -> tuple[Spec, str]:
    """(kernel_size, stride, dilation, padding) of a convolution or pooling layer, and
    a short description."""
    dims = 1 if isinstance(layer, (nn.Conv1d, nn.MaxPool1d, nn.AvgPool1d)) else 2
    k = _along(layer, name, "kernel_size", layer.kernel_size, axis, dims)
    s = _along(layer, name, "stride", layer.stride, axis, dims)
    d = _along(layer, name, "dilation", getattr(layer, "dilation", 1), axis, dims)
    padding = layer.padding
    if padding == "valid":
        p = 0
    elif padding == "same":  # PyTorch puts the smaller half before the first pixel
        p = d * (k - 1) // 2
    else:
        p = _along(layer, name, "padding", padding, axis, dims)
    if isinstance(layer, CONVOLUTIONS):
        kind = "conv"
    else:
        kind = "max pool" if isinstance(layer, (nn.MaxPool1d, nn.MaxPool2d)) else "avg pool"
    words = [f"{kind} {k}"]
    if s != 1:
        words.append(f"stride {s}")
    if d != 1:
        words.append(f"dilation {d}")
    if p:
        words.append(f"pad {p}")
    return (k, s, d, p), ", ".join(words)


def _unsupported(layer: nn.Module, name: str) -> TypeError:
    return TypeError(
        f"receptive_field reads convolution and pooling layers (Conv1d, Conv2d, MaxPool, "
        f"AvgPool) and passes pointwise ones (activations, BatchNorm, Dropout); layer {name} "
        f"is {type(layer).__name__}, which it cannot read. Pass the layers before it, "
        "e.g. model[:i]."
    )


def _walk(module: nn.Module, prefix: str, axis: int | None,
          rows: list[tuple[str, str, Spec]]) -> None:
    """Flatten nested Sequentials into (name, description, spec) items."""
    for child_name, child in module.named_children():
        name = f"{prefix}{child_name}"
        if isinstance(child, nn.Sequential):
            _walk(child, f"{name}.", axis, rows)
        elif isinstance(child, CONVOLUTIONS + POOLINGS):
            spec, words = _module_spec(child, name, axis)
            rows.append((name, words, spec))
        elif _is_parallel(child):
            spec = _branches_spec(child, name, axis)
            rows.append((name, f"{len(child.branches)} branches, span {spec[0]}", spec))
        elif isinstance(child, PASS_THROUGH):
            continue
        else:
            raise _unsupported(child, name)


def _is_parallel(module: nn.Module) -> bool:
    """Branches side by side, their outputs concatenated (an Inception module)."""
    return isinstance(getattr(module, "branches", None), nn.ModuleList)


def _branches_spec(module: nn.Module, name: str, axis: int | None) -> Spec:
    """Branches side by side act together as one layer whose span reaches from the
    leftmost first pixel to the rightmost last pixel of all branches; their jumps
    must agree, or their outputs could not be stacked."""
    fields = [receptive_field(branch if isinstance(branch, nn.Sequential)
                              else nn.Sequential(branch), axis=axis)
              for branch in module.branches]
    jumps = {f.jump for f in fields}
    if len(jumps) != 1:
        raise ValueError(f"the branches of layer {name} have different jumps {sorted(jumps)}")
    first = min(f.start for f in fields)
    last = max(f.start + f.size - 1 for f in fields)
    return last - first + 1, jumps.pop(), 1, -first


def _specs(layers: object, axis: int | None) -> list[tuple[str, str, Spec]]:
    if isinstance(layers, nn.Module):
        if isinstance(layers, nn.Sequential):
            items: list[tuple[str, str, Spec]] = []
            _walk(layers, "", axis, items)
            return items
        return _specs(nn.Sequential(layers), axis)
    if isinstance(layers, Mapping):
        entries = list(layers.items())
    elif isinstance(layers, (list, tuple)):
        entries = [(f"layer {i + 1}", e) for i, e in enumerate(layers)]
    else:
        raise TypeError("receptive_field expects a torch.nn.Sequential (or one layer), a list "
                        "of (kernel_size, stride[, dilation[, padding]]) tuples, or a dict "
                        f"from names to such tuples; got {type(layers).__name__}")
    items = []
    for i, (name, entry) in enumerate(entries):
        if isinstance(entry, nn.Module):
            raise TypeError(f"layer {i} ({name}) is a module; pass nn.Sequential(...) for "
                            "modules, tuples for layer lists")
        k, s, d, p = spec = _tuple_spec(i, str(name), entry)
        words = f"k {k}, s {s}" + (f", d {d}" if d != 1 else "") + (f", p {p}" if p else "")
        items.append((str(name), words, spec))
    return items


def receptive_field(layers: object, axis: int | None = None) -> ReceptiveField:
    """The receptive field (size, jump and start, in input pixels) after every layer.

    ``layers`` is a ``torch.nn.Sequential`` of convolution and pooling layers (nested
    Sequentials are flattened; activations, BatchNorm and Dropout pass the field
    through; modules with a ``branches`` ModuleList count as branches side by side),
    or a list of tuples ``(kernel_size, stride)``, ``(kernel_size, stride, dilation)``
    or ``(kernel_size, stride, dilation, padding)``, or a dict from layer names to
    such tuples. A tuple without padding means no padding, so ``start`` counts from
    the first real pixel; size and jump do not depend on padding.

    Square layers have one field; for layers whose settings differ between rows and
    columns, ``axis`` (0 rows, 1 columns) says which axis to follow.
    """
    if axis is not None and axis not in (0, 1):
        raise ValueError(f"axis must be None, 0 (rows) or 1 (columns); got {axis!r}")
    r, j, start = 1, 1, 0
    rows = []
    for name, words, spec in _specs(layers, axis):
        r, j, start = field_step(r, j, start, spec)
        k, s, d, p = spec
        rows.append(FieldRow(name, words, k, s, d, p, r, j, start))
    return ReceptiveField(rows)


# -- measuring with gradients ----------------------------------------------------------


def stack_layers(depth: int, kernel_size: int, stride: int, dilation: int | str) -> list[Spec]:
    """``depth`` layers of one kind, padded to keep the size at stride 1;
    ``dilation="doubling"`` gives dilations 1, 2, 4, ..."""
    specs = []
    for i in range(depth):
        d = 2**i if dilation == "doubling" else int(dilation)
        specs.append((kernel_size, stride, d, d * (kernel_size - 1) // 2))
    return specs
