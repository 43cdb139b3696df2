"""Animations as self-contained HTML, light and quick to make.

matplotlib's ``to_jshtml`` redraws the whole figure for every frame and embeds it
as a full-colour PNG. ``render_frames`` draws the figure once and, for each frame,
only redraws the artists that frame changes; and since the book's figures use a
handful of flat colours, it stores each frame with a small palette, which looks
the same and weighs about a quarter as much. The result has the same play, pause
and step buttons.

Frames are drawn at twice the figure's resolution and shown at its size, so they
are crisp on high-density screens; the frame image carries alt text that says what
the animation shows.
"""

import base64
import html
import re
from collections.abc import Callable, Iterable
from io import BytesIO
from pathlib import Path
from tempfile import TemporaryDirectory

from IPython.display import HTML
from matplotlib.animation import HTMLWriter
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

# matplotlib's player draws its buttons with Font Awesome icons loaded from a CDN.
# The book loads nothing from the network, so the icons become plain text symbols
# that every font has; each button keeps its title ("Next frame", ...).
_ICONS = {
    "fa-minus": "\u2212", "fa-plus": "+",
    "fa-fast-backward": "|\u25c0\u25c0", "fa-step-backward": "|\u25c0",
    "fa-play fa-flip-horizontal": "\u25c0", "fa-pause": "\u275a\u275a",
    "fa-play": "\u25b6", "fa-step-forward": "\u25b6|", "fa-fast-forward": "\u25b6\u25b6|",
}


def offline(html: str) -> str:
    """matplotlib's animation HTML with no stylesheet from the network."""
    html = re.sub(r'<link rel="stylesheet"\s+href="https?://[^"]*">', "", html)
    return re.sub(r'<i class="fa ([^"]+)"></i>',
                  lambda m: f"<span>{_ICONS.get(m.group(1), '')}</span>", html)


def described(page: str, alt: str, width: int) -> str:
    """The animation's frame image shown ``width`` CSS pixels wide, with ``alt`` text,
    and its controls labelled for screen readers."""
    if not alt.strip():
        raise ValueError("an animation needs alt text that says what it shows")
    attributes = f'alt="{html.escape(alt)}" style="width: {width}px"'
    page = re.sub(r'<img id="(_anim_img\w+)"', rf'<img id="\1" {attributes}', page)
    page = re.sub(r'<input (id="_anim_slider\w+")', r'<input aria-label="frame" \1', page)
    # A named form is a landmark, and every animation's would share one name.
    page = page.replace(' aria-label="Repetition mode"', "")
    return re.sub(r'<input type="radio" name="state" value="(\w+)"',
                  r'<input type="radio" name="state" value="\1" aria-label="\1"', page)


class _CanvasWriter(HTMLWriter):
    """An HTMLWriter that takes each frame from what the canvas holds, with a palette."""

    def __init__(self, colors: int, **kwargs: object) -> None:
        super().__init__(embed_frames=True, default_mode="once", **kwargs)
        self._colors = colors

    def grab_frame(self, **savefig_kwargs: object) -> None:
        canvas = self.fig.canvas
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(),
                                 "raw", "RGBA", 0, 1).convert("RGB")
        image = image.quantize(colors=self._colors, method=Image.Quantize.FASTOCTREE)
        png = BytesIO()
        image.save(png, format="png", compress_level=9)
        self._saved_frames.append(base64.encodebytes(png.getvalue()).decode("ascii"))


def new_figure(width: float, height: float) -> Figure:
    """A figure for ``render_frames``: drawn off screen, never shown by itself."""
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def render_frames(
    fig: Figure,
    update: Callable[[int], Iterable[Artist] | None],
    frames: int,
    interval: int = 900,
    colors: int = 32,
    *,
    alt: str,
) -> HTML:
    """Frames ``0 .. frames - 1`` of ``fig`` as HTML with play, pause and step buttons.

    ``fig`` must come from ``new_figure`` and be drawn in its starting state. For each
    frame, ``update(frame)`` changes the figure and returns the artists it changed,
    which are drawn over the starting state, or ``None`` to redraw everything.
    ``colors`` (2 to 256) is the size of each frame's palette; ``alt`` says in words
    what the animation shows, for readers who cannot see it.
    """
    if not isinstance(frames, int) or frames < 1:
        raise ValueError(f"frames must be a positive int; got {frames!r}")
    if not isinstance(colors, int) or not 2 <= colors <= 256:
        raise ValueError(f"colors must be an int from 2 to 256; got {colors!r}")
    if not isinstance(fig.canvas, FigureCanvasAgg):
        raise TypeError("render_frames needs a figure on an Agg canvas; make it with new_figure")
    canvas = fig.canvas
    width = round(fig.get_figwidth() * fig.dpi)
    fig.set_dpi(2 * fig.dpi)  # twice the pixels, shown at the figure's size
    canvas.draw()
    start = canvas.copy_from_bbox(fig.bbox)
    writer = _CanvasWriter(colors, fps=1000 / interval)
    with TemporaryDirectory() as folder:
        path = Path(folder, "animation.html")
        with writer.saving(fig, str(path), dpi=fig.dpi):
            for frame in range(frames):
                changed = update(frame)
                if changed is None:
                    canvas.draw()
                else:
                    canvas.restore_region(start)
                    for artist in changed:
                        fig.draw_artist(artist)
                writer.grab_frame()
        return HTML(described(offline(path.read_text()), alt, width))
