"""Real photographs that ship with installed packages, so nothing is downloaded."""

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from PIL import Image


def sample_data(name: str) -> Path:
    """The path of a file in matplotlib's sample data, found without importing
    matplotlib (the numbers of convlib do not load the plotting library)."""
    spec = find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("matplotlib is not installed, and its sample data holds "
                                  f"{name}; install the book's requirements.txt")
    path = Path(spec.origin).parent / "mpl-data" / "sample_data" / name
    if not path.is_file():
        raise FileNotFoundError(f"no {name} in matplotlib's sample data at {path.parent}")
    return path


@lru_cache(maxsize=8)
def _load(gray: bool, size: int) -> np.ndarray:
    with Image.open(sample_data("grace_hopper.jpg")) as image:
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
