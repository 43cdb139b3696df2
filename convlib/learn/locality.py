"""Locality: neighbouring pixels belong together, and a convolution counts on it.

The pixels of an image come in a meaningful order: a pixel is much like its
neighbours and less like pixels far away. Shuffle the pixels with one fixed
permutation and that order is gone, while every pixel is still there. A dense
network does not notice (its inputs have no order to lose); a convolution does.
"""


import numpy as np
import torch
from torch.utils.data import TensorDataset


def pixel_permutation(height: int, width: int, seed: int = 0) -> torch.Tensor:
    """A fixed random order of the ``height * width`` pixels of an image, from ``seed``
    (a generator of its own, so the global random state is left alone)."""
    for name, value in (("height", height), ("width", width)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int; got {value!r}")
    return torch.randperm(height * width, generator=torch.Generator().manual_seed(seed))


def _check_permutation(permutation: object, count: int) -> torch.Tensor:
    p = torch.as_tensor(permutation)
    if p.dtype not in (torch.int64, torch.int32) or p.shape != (count,) or not torch.equal(
            p.sort().values, torch.arange(count, dtype=p.dtype)):
        raise ValueError(
            f"permutation must hold each of the numbers 0 to {count - 1} once (one per pixel); "
            f"got {p.dtype} of shape {tuple(p.shape)}"
        )
    return p.long()


def permute_pixels(images: torch.Tensor | np.ndarray | TensorDataset,
                   permutation: torch.Tensor) -> torch.Tensor | np.ndarray | TensorDataset:
    """The same images with their pixels reordered: pixel ``k`` of the result, counted
    row by row, is pixel ``permutation[k]`` of the original.

    Takes an array or tensor whose last two axes are (height, width), every channel
    reordered alike, or a dataset of (image, label) pairs, whose labels are kept.
    """
    if isinstance(images, TensorDataset):
        x, *rest = images.tensors
        return TensorDataset(permute_pixels(x, permutation), *rest)
    if not isinstance(images, (np.ndarray, torch.Tensor)) or images.ndim < 2:
        raise ValueError(
            "permute_pixels expects images whose last two axes are (height, width), or a "
            f"TensorDataset; got {type(images).__name__}{getattr(images, 'shape', '')}"
        )
    *lead, height, width = images.shape
    p = _check_permutation(permutation, height * width)
    if isinstance(images, np.ndarray):
        return images.reshape(*lead, -1)[..., p.numpy()].reshape(images.shape)
    return images.reshape(*lead, -1)[..., p.to(images.device)].reshape(images.shape)


def neighbour_correlation(images: np.ndarray | torch.Tensor, distance: int = 1) -> float:
    """Correlation between each pixel and the pixel ``distance`` columns to its right,
    pooled over all such pairs in all ``images`` (last two axes: height, width)."""
    a = torch.as_tensor(np.asarray(images) if isinstance(images, np.ndarray) else images)
    if a.ndim < 2:
        raise ValueError(f"images need at least 2 axes (height, width); got shape "
                         f"{tuple(a.shape)}")
    if not isinstance(distance, int) or not 1 <= distance < a.shape[-1]:
        raise ValueError(f"distance must be an int from 1 to {a.shape[-1] - 1}; got {distance!r}")
    a = a.double()
    left, right = a[..., :-distance].flatten(), a[..., distance:].flatten()
    return float(torch.corrcoef(torch.stack([left, right]))[0, 1])
