"""Tables shown in a page: a receptive field layer by layer."""

from collections.abc import Sequence

from IPython.display import HTML

from ..sizes.receptive import ReceptiveField


def field_table(field: ReceptiveField, **extra: Sequence[object]) -> HTML:
    """``field`` as a table, one row per layer, which renders alike in a notebook and in
    the book; each keyword adds a column of that name, one value per layer (the output
    channels, say)."""
    if not isinstance(field, ReceptiveField):
        raise TypeError(f"field_table takes what receptive_field returns; got "
                        f"{type(field).__name__}")
    return HTML(field.to_html(**extra))
