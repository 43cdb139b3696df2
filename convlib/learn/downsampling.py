"""Three ways to halve a digit before a small CNN classifies it, for comparing their
accuracy and cost: resize the image first, convolve with stride 2, or convolve at full
size and pool.

All three share everything after the first stage (a second 3x3 convolution, 2x2 max
pooling and a linear classifier on the 7x7 maps), and have the same weights; they
differ only in how the 28x28 input becomes 14x14 maps.
"""

from torch import nn

FIRST_STAGES = ("resize", "stride", "pool")


def downsampling_net(first: str, channels: tuple[int, int] = (16, 32),
                     num_classes: int = 10) -> nn.Sequential:
    """A CNN for 28x28 digits whose first stage halves the image by ``first``:
    ``"resize"`` (2x2 average, then a 3x3 convolution), ``"stride"`` (a 3x3
    convolution with stride 2) or ``"pool"`` (a 3x3 convolution, then 2x2 max pooling)."""
    c1, c2 = channels
    stages = {
        "resize": [nn.AvgPool2d(2), nn.Conv2d(1, c1, 3, padding=1), nn.ReLU()],
        "stride": [nn.Conv2d(1, c1, 3, stride=2, padding=1), nn.ReLU()],
        "pool": [nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)],
    }
    if first not in stages:
        raise ValueError(f"first must be one of {FIRST_STAGES}; got {first!r}")
    return nn.Sequential(
        *stages[first],
        nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * 7 * 7, num_classes),
    )
