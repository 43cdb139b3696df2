"""Two small classifiers of comparable size: a CNN and a dense network (MLP).

Both have about 20,000 weights, so that a comparison between them is a comparison
of their structure, not of their size.
"""

from torch import nn


def small_cnn(channels: tuple[int, int] = (16, 32), image_size: int = 28,
              num_classes: int = 10) -> nn.Sequential:
    """Two 3x3 convolutions, each followed by ReLU and 2x2 max pooling, then a linear
    classifier."""
    if image_size % 4:
        raise ValueError(f"image_size must be a multiple of 4 (two 2x2 poolings); "
                         f"got {image_size}")
    c1, c2 = channels
    return nn.Sequential(
        nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(c2 * (image_size // 4) ** 2, num_classes),
    )


def mlp(hidden: int = 26, image_size: int = 28, num_classes: int = 10) -> nn.Sequential:
    """One hidden layer of ``hidden`` ReLU units between the pixels and the classes."""
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(image_size**2, hidden), nn.ReLU(),
        nn.Linear(hidden, num_classes),
    )


def count_parameters(model: nn.Module) -> int:
    """The number of trainable weights and biases of ``model``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
