"""A convolution's settings (kernel size, stride, padding, dilation, groups) checked and
normalised to one value per spatial axis.

Every function that takes these settings, from ``conv2d`` to ``conv_macs``, reads
them here, so a mistake gets the same message wherever it is made.
"""

import numpy as np

from .shapes import same_padding

Size = int | tuple[int, ...]
Padding = int | str | tuple[int | tuple[int, int], ...]


def is_whole(v: object) -> bool:
    """A whole number, Python's or NumPy's, but not a bool."""
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def positive(name: str, value: object) -> int:
    """A positive whole number, or a clear error naming what was given."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be a positive int; got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1; got {value}")
    return value


def per_axis(name: str, value: Size, dims: int, minimum: int) -> tuple[int, ...]:
    """An int or a tuple of ``dims`` ints, each at least ``minimum``, as a tuple."""
    values = (value,) * dims if is_whole(value) else value
    if (
        not isinstance(values, tuple)
        or len(values) != dims
        or not all(is_whole(v) for v in values)
    ):
        raise TypeError(f"{name} must be an int or a tuple of {dims} ints; got {value!r}")
    if any(v < minimum for v in values):
        raise ValueError(f"{name} must be at least {minimum} along every axis; got {value!r}")
    return tuple(int(v) for v in values)


def kernel_sizes(kernel_size: Size, dims: int | None = None) -> tuple[int, ...]:
    """The kernel's size per axis; an int means the same size along ``dims`` axes (2 if
    ``dims`` is not given)."""
    if isinstance(kernel_size, int) and not isinstance(kernel_size, bool):
        sizes = (kernel_size,) * (dims or 2)
    elif (
        isinstance(kernel_size, tuple)
        and kernel_size
        and all(isinstance(k, int) and not isinstance(k, bool) for k in kernel_size)
    ):
        sizes = kernel_size
    else:
        raise TypeError(
            f"kernel_size must be an int or a tuple of ints, e.g. 3 or (3, 5); got {kernel_size!r}"
        )
    if dims is not None and len(sizes) != dims:
        raise ValueError(
            f"kernel_size must have one entry per spatial axis of the input, {dims}; "
            f"got {kernel_size!r}"
        )
    if any(k < 1 for k in sizes):
        raise ValueError(f"kernel_size must be at least 1 along every axis; got {kernel_size!r}")
    return sizes


def check_groups(groups: object, in_channels: int, out_channels: int) -> int:
    """``groups``, checked to be a positive int that divides both channel counts."""
    positive("groups", groups)
    for name, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
        if channels % groups:
            raise ValueError(
                f"groups={groups} must divide {name}, {channels}: each of the {groups} groups "
                f"takes an equal share of the channels"
            )
    return groups


def padding_pairs(padding: Padding, kernel: tuple[int, ...], stride: tuple[int, ...],
                  dilation: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """Padding as a (before, after) pair per spatial axis.

    ``padding`` is an int, ``"valid"``, ``"same"`` (stride 1 only), or a tuple with an
    int or a (before, after) pair per axis.
    """
    dims = len(kernel)
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * dims
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(
                    f"padding='same' keeps the size only at stride 1; got stride={stride}. "
                    "Give the padding as numbers for a strided convolution"
                )
            return tuple(same_padding(k, d) for k, d in zip(kernel, dilation, strict=True))
        raise ValueError(f"padding must be an int, a tuple, 'valid' or 'same'; got {padding!r}")
    items = (padding,) * dims if is_whole(padding) else padding
    if not isinstance(items, tuple) or len(items) != dims:
        raise TypeError(
            f"padding must be an int, 'valid', 'same' or a tuple of {dims} entries; "
            f"got {padding!r}"
        )
    pairs = []
    for item in items:
        pair = (item, item) if is_whole(item) else item
        if not (
            isinstance(pair, tuple)
            and len(pair) == 2
            and all(is_whole(p) for p in pair)
        ):
            raise TypeError(
                f"each padding entry must be an int or a (before, after) pair; got {item!r}"
            )
        if min(pair) < 0:
            raise ValueError(f"padding must not be negative; got {padding!r}")
        pairs.append((int(pair[0]), int(pair[1])))
    return tuple(pairs)
