"""Show convlib's own code in a page, so the book reads the code it runs."""

import inspect
from collections.abc import Callable

from IPython.display import Markdown


def show_source(obj: Callable | type) -> Markdown:
    """The source of a convlib function or class, as a highlighted code block."""
    return Markdown(f"```python\n{inspect.getsource(obj).rstrip()}\n```")
