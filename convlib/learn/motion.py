"""A short video of a real digit moving, and a 3-D kernel that follows a motion.

A video is a volume: frames stacked along time, (T, H, W). A 3-D kernel slides along
all three axes, so unlike a 2-D kernel applied frame by frame it can combine pixels
of different frames, and respond to motion. ``trajectory_kernel`` holds ones along
the path of a point moving right at a given speed: it adds up what lies on that path,
which is the same value for every frame when the video moves that way.
"""

import numpy as np

from ..sizes.arguments import positive


def moving_digit(image: np.ndarray, frames: int = 6, step: int = 2,
                 width: int | None = None) -> np.ndarray:
    """A video (frames, H, width) of the 2-D ``image`` (H, W) moving ``step`` pixels to
    the right per frame (to the left if negative) across a black canvas.

    ``width`` defaults to room for the whole path, W + |step| * (frames - 1).
    """
    image = np.asarray(image, dtype=np.float32)
    if image.ndim != 2:
        raise ValueError(f"moving_digit expects a 2-D image; got shape {image.shape}")
    positive("frames", frames)
    if not isinstance(step, int) or isinstance(step, bool):
        raise TypeError(f"step must be an int number of pixels; got {step!r}")
    height, w = image.shape
    travel = abs(step) * (frames - 1)
    width = w + travel if width is None else width
    if width < w + travel:
        raise ValueError(f"a width of {width} leaves no room for the path: the image is {w} "
                         f"wide and moves {travel} pixels")
    video = np.zeros((frames, height, width), dtype=np.float32)
    first = 0 if step >= 0 else travel
    for t in range(frames):
        left = first + step * t
        video[t, :, left:left + w] = image
    return video


def trajectory_kernel(frames: int = 3, speed: int = 2, height: int = 3) -> np.ndarray:
    """A 3-D kernel (frames, height, speed * (frames - 1) + 1) of zeros with a one in
    the middle row at column ``speed * t`` of slice ``t``: the path of a point moving
    ``speed`` pixels to the right per frame."""
    positive("frames", frames)
    positive("speed", speed)
    positive("height", height)
    kernel = np.zeros((frames, height, speed * (frames - 1) + 1), dtype=np.float32)
    for t in range(frames):
        kernel[t, height // 2, speed * t] = 1.0
    return kernel
