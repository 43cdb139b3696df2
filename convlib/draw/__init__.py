"""The book's pictures: one visual language (``style``), and every figure and
animation, drawn from what the numeric packages return.

Importing this package applies the book's matplotlib style.
"""

from . import style

style.use()
