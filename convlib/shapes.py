"""How big the output of a convolution is."""


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
