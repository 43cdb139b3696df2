"""Real photographs that ship with installed packages, so nothing is downloaded."""

from functools import lru_cache

import numpy as np
from matplotlib import cbook
from PIL import Image


@lru_cache(maxsize=8)
def _load(gray: bool, size: int) -> np.ndarray:
    with cbook.get_sample_data("grace_hopper.jpg") as f:
        image = Image.open(f)
        image = image.convert("L" if gray else "RGB")
        width, height = image.size
        scale = size / min(width, height)
        image = image.resize((round(width * scale), round(height * scale)), Image.LANCZOS)
    return np.asarray(image, dtype=np.float32) / 255.0


def photo(gray: bool = True, size: int = 128) -> np.ndarray:
    """Grace Hopper's portrait from matplotlib's sample data, as floats in [0, 1].

    The short side is resized to ``size`` pixels. Greyscale gives shape (H, W);
    colour gives (H, W, 3), channels last as images are stored.
    """
    if not isinstance(size, int) or size < 8:
        raise ValueError(f"size must be an int of at least 8 pixels; got {size!r}")
    return _load(bool(gray), size).copy()
