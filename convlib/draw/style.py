"""The book's visual language: one colour per role, used by every figure.

Input is blue, the kernel orange, the output green and padding grey, in every
chapter, so a reader can tell at a glance what a cell or a line stands for.
"""

import matplotlib as mpl

ROLES = {
    #          light fill, strong edge / highlight
    "input": ("#dbe7f3", "#2f6db3"),
    "kernel": ("#fde3c8", "#e0730b"),
    "output": ("#d8efdc", "#2e8b46"),
    "padding": ("#eeeeee", "#9a9a9a"),
}
IMAGE_CMAP = "gray"  # photographs and feature maps that are brightness
SIGNED_CMAP = "RdBu_r"  # feature maps with sign: red positive, blue negative, white zero
TEXT = "#222222"


def fill(role: str) -> str:
    """The light fill colour of a role (input, kernel, output, padding)."""
    return ROLES[role][0]


def edge(role: str) -> str:
    """The strong colour of a role, for highlights, outlines and lines."""
    return ROLES[role][1]


# Figures are laid out for the book's text column, at most this many inches wide at
# figure.dpi: 656 CSS pixels, the column's width beside the theme's two sidebars
# (688 px) less the margins around an output.
COLUMN_INCHES = 8.2
# The smallest font size any figure uses, in points: 10 CSS pixels at figure.dpi.
MIN_FONTSIZE = 9


def ink(colour: str | tuple[float, ...]) -> str:
    """The text colour that reads on a cell of ``colour``: the book's dark text on light
    colours, white on dark ones (by the colour's relative luminance)."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
               for c in mpl.colors.to_rgb(colour))
    return TEXT if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.22 else "white"


def use() -> None:
    """Set matplotlib defaults shared by every figure in the book.

    In a notebook, figures are stored at twice their pixel density (``retina``) and
    shown at their drawn size, so that they are crisp on high-density screens.
    """
    _retina_in_notebooks()
    mpl.rcParams.update({
        "figure.dpi": 80,
        "savefig.dpi": 80,
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "figure.facecolor": "white",
        "image.cmap": IMAGE_CMAP,
        "animation.embed_limit": 40,
    })


def _retina_in_notebooks() -> None:
    """Store inline figures at twice the resolution, when running in IPython."""
    from IPython import get_ipython

    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("retina")
