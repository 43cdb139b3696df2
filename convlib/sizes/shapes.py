"""How big the output of a convolution is, and how much padding keeps the size."""


def _pair(padding: int | tuple[int, int]) -> tuple[int, int]:
    """Padding as (before, after): an int pads both sides alike."""
    if isinstance(padding, int) and not isinstance(padding, bool):
        return padding, padding
    if (
        isinstance(padding, tuple)
        and len(padding) == 2
        and all(isinstance(p, int) and not isinstance(p, bool) for p in padding)
    ):
        return padding
    raise TypeError(f"padding must be an int or a (before, after) pair of ints; got {padding!r}")


def output_size(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int = 1,
) -> int:
    """Length of the output along one axis: floor((n + 2p - d(k - 1) - 1) / s) + 1.

    ``padding`` is the count added on each side, or a ``(before, after)`` pair.
    """
    for name, value in (("n", n), ("kernel_size", kernel_size), ("stride", stride),
                        ("dilation", dilation)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int; got {value!r}")
        if value < 1:
            raise ValueError(f"{name} must be at least 1; got {value}")
    before, after = _pair(padding)
    if before < 0 or after < 0:
        raise ValueError(f"padding must not be negative; got {padding!r}")
    span = dilation * (kernel_size - 1) + 1
    padded = n + before + after
    if span > padded:
        raise ValueError(
            f"the kernel spans {span} (kernel_size={kernel_size}, dilation={dilation}) but the "
            f"padded input is only {padded} long (n={n}, padding={padding!r})"
        )
    return (padded - span) // stride + 1


def _whole(name: str, value: object, minimum: int) -> int:
    """An int of at least ``minimum``, or an error naming what was given."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int; got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value}")
    return value


def transposed_output_size(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> int:
    """Length along one axis of what ``torch.nn.ConvTranspose2d`` makes of ``n`` values:
    (n - 1)s - 2p + d(k - 1) + output_padding + 1.

    A transposed convolution goes back from the output size of the direct convolution
    with the same kernel_size, stride, padding and dilation to its input size. A
    strided convolution maps up to ``stride`` input sizes to the same output size, so
    ``output_padding`` picks one of them; like PyTorch, it must be smaller than the
    stride or the dilation.
    """
    _whole("n", n, 1)
    _whole("kernel_size", kernel_size, 1)
    _whole("stride", stride, 1)
    _whole("padding", padding, 0)
    _whole("output_padding", output_padding, 0)
    _whole("dilation", dilation, 1)
    if output_padding >= stride and output_padding >= dilation:
        raise ValueError(
            f"output_padding must be smaller than the stride or the dilation, as PyTorch "
            f"requires; got output_padding={output_padding} with stride={stride} and "
            f"dilation={dilation}"
        )
    size = (n - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1
    if size < 1:
        raise ValueError(
            f"padding={padding} crops away the whole output: (n - 1)s - 2p + d(k - 1) + "
            f"output_padding + 1 = {size} for n={n}, kernel_size={kernel_size}, "
            f"stride={stride}, dilation={dilation}, output_padding={output_padding}"
        )
    return size


def same_padding(kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    """The (before, after) padding that keeps the size unchanged at stride 1.

    A kernel spanning an odd number of pixels pads both sides alike; an even span
    cannot, and puts the extra pixel after, as PyTorch does.
    """
    if kernel_size < 1 or dilation < 1:
        raise ValueError(
            f"kernel_size and dilation must be at least 1; got {kernel_size} and {dilation}"
        )
    total = dilation * (kernel_size - 1)
    return total // 2, total - total // 2
