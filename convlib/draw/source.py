"""Show convlib's own code in a page, so the book reads the code it runs."""

import inspect
from collections.abc import Callable

from IPython.display import Markdown

# The longest line a page shows without cutting it off.
MAX_LINE = 88


def show_source(obj: Callable | type) -> Markdown:
    """The source of a convlib function or class, as a highlighted code block.

    Its lines must fit the page, at most MAX_LINE characters, or it is refused: a
    reader should never have to scroll sideways through the code they are reading.
    """
    source = inspect.getsource(obj).rstrip()
    long = [n for n, line in enumerate(source.splitlines(), 1) if len(line) > MAX_LINE]
    if long:
        raise ValueError(f"{getattr(obj, '__qualname__', obj)} has lines longer than "
                         f"{MAX_LINE} characters, which a page would cut off: {long}")
    return Markdown(f"```python\n{source}\n```")
