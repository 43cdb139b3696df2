"""The five explorers of the book in a form that runs in the rendered page, with no
kernel: the same controls as the ipywidgets explorers of ``convlib.explore``, computed
and drawn in the browser by ports of convlib's own functions.
"""

import base64
from io import BytesIO

import numpy as np
from IPython.display import HTML
from matplotlib.colors import to_hex
from PIL import Image

from ...data.images import photo
from ...draw.fieldplots import field_shades
from ...draw.grids import as_grid
from ...draw.groups import GROUP_COLOURS
from ...draw.matrix import weight_colours
from ...draw.style import ink
from ...sizes.counts import valid_groups
from ...sizes.shapes import output_size
from .controls import Choice, Slider
from .page import explorer_html

DEPTHS = range(1, 7)  # the receptive-field explorer's layers
MATRIX_KERNELS = range(1, 5)  # the conv-matrix explorer's kernel sizes
MAX_CHANNELS = 32  # more channels than this make a wiring too dense to read


def web_slide_explorer(x: object, kernel: object) -> HTML:
    """``slide_explorer`` for the rendered page: a slider moves ``kernel`` over ``x`` one
    position at a time, showing the products under it, their sum and the output so far.
    Runs in the browser, with no kernel."""
    x, kernel = as_grid(x), as_grid(kernel)
    if not (np.isfinite(x).all() and np.isfinite(kernel).all()):
        raise ValueError("x and kernel must hold finite numbers")
    rows = output_size(x.shape[0], kernel.shape[0])
    cols = output_size(x.shape[1], kernel.shape[1])
    return explorer_html(
        "slide", "position of the kernel",
        [Slider("step", "position", 0, rows * cols - 1, 0)],
        {"x": x.tolist(), "kernel": kernel.tolist()})


def web_output_size_explorer(n: int = 7, kernel_size: int = 3) -> HTML:
    """``output_size_explorer`` for the rendered page: sliders for the input size, kernel
    size, padding, stride and dilation, and a choice of a direct or transposed convolution
    (with its output_padding); draws the windows, the output and the formula with the
    numbers filled in, or says in convlib's words why a setting has no output."""
    return explorer_html("output-size", "settings of the convolution", [
        Slider("n", "input n", 1, 12, n),
        Slider("kernel_size", "kernel k", 1, 5, kernel_size),
        Slider("padding", "padding p", 0, 3, 1),
        Slider("stride", "stride s", 1, 3, 2),
        Slider("dilation", "dilation d", 1, 3, 1),
        Choice("mode", "convolution", ("direct", "transposed"), "direct"),
        Slider("output_padding", "output_padding", 0, 2, 0, hidden=True),
    ], {})


def _png(image: np.ndarray) -> str:
    """A greyscale or RGB image with values in [0, 1] as a PNG data URI."""
    image = np.asarray(image, dtype=float)
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
        raise ValueError(f"image must be (H, W) or (H, W, 3); got shape {image.shape}")
    pixels = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
    png = BytesIO()
    Image.fromarray(pixels, "L" if image.ndim == 2 else "RGB").save(png, format="png",
                                                                    optimize=True)
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")


def web_receptive_field_explorer(image: np.ndarray | None = None) -> HTML:
    """``receptive_field_explorer`` for the rendered page: sliders for the depth, kernel
    size, stride and dilation (1, 2, 3 or "1, 2, 4, ...") of a stack of equal layers;
    draws the field of the centre unit after each layer on ``image`` (the book's
    photograph by default) and the layer-by-layer table."""
    image = photo(gray=True, size=128) if image is None else image
    shades = {depth: [to_hex(c) for c in field_shades(depth)] for depth in DEPTHS}
    picture = _png(image)
    height, width = (int(v) for v in np.shape(image)[:2])
    return explorer_html("receptive-field", "the stack of layers", [
        Slider("depth", "layers", DEPTHS[0], DEPTHS[-1], 3),
        Slider("kernel_size", "kernel k", 1, 7, 3, step=2),
        Slider("stride", "stride s", 1, 3, 1),
        Choice("dilation", "dilation d", ("1", "2", "3", "1, 2, 4, ..."), "1"),
    ], {"image": picture, "height": height, "width": width, "shades": shades})


def web_conv_matrix_explorer(n: int = 4, kernel_size: int = 3) -> HTML:
    """``conv_matrix_explorer`` for the rendered page: sliders for the input size, kernel
    size, stride and padding of a one-channel convolution with weights 1, 2, ...; draws
    its matrix, one colour per weight, and counts its entries and weights."""
    colours = {k * k: [[to_hex(c), ink(c)] for c in weight_colours(k * k)]
               for k in MATRIX_KERNELS}
    return explorer_html("conv-matrix", "settings of the convolution", [
        Slider("n", "input n", 2, 6, n),
        Slider("kernel_size", "kernel k", MATRIX_KERNELS[0], MATRIX_KERNELS[-1], kernel_size),
        Slider("stride", "stride s", 1, 3, 1),
        Slider("padding", "padding p", 0, 2, 0),
    ], {"colours": colours})


def web_groups_explorer(in_channels: int = 8, out_channels: int = 8) -> HTML:
    """``groups_explorer`` for the rendered page: choose ``groups`` (every valid value)
    and the kernel size; see the wiring and the weights it costs."""
    choices = valid_groups(in_channels, out_channels)
    if max(in_channels, out_channels) > MAX_CHANNELS:
        raise ValueError(f"the wiring is drawn for at most {MAX_CHANNELS} channels; got "
                         f"{in_channels} in and {out_channels} out")
    return explorer_html("groups", "settings of the grouped convolution", [
        Choice("groups", "groups", tuple(choices), choices[0]),
        Slider("kernel_size", "kernel", 1, 7, 3, step=2),
    ], {"in_channels": in_channels, "out_channels": out_channels,
        "colours": list(GROUP_COLOURS)})
