"""The convolutional parts of three classic networks, written out layer by layer.

Built from the papers' tables, nothing downloaded: AlexNet (Krizhevsky, Sutskever
and Hinton, 2012), VGG-16 (Simonyan and Zisserman, 2015) and GoogLeNet (Szegedy and
colleagues, *Going deeper with convolutions*, 2015). Only the layers up to the last
feature map are built, with the papers' kernel sizes, strides, paddings and channel
counts. On PyTorch's ``meta`` device a network holds shapes but no numbers, so even
VGG-16 costs nothing to build; ``width`` replaces every channel count, for a narrow
copy cheap enough to differentiate.
"""

from collections import OrderedDict

import torch
from torch import nn


class Parallel(nn.Module):
    """Branches side by side on the same input, their outputs stacked as channels
    (GoogLeNet's Inception module)."""

    def __init__(self, *branches: nn.Module) -> None:
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([branch(x) for branch in self.branches], dim=1)


def _check(width: int | None, device: object) -> None:
    if width is not None and (not isinstance(width, int) or isinstance(width, bool)
                              or width < 1):
        raise ValueError(f"width must be None (the paper's channels) or a positive int; "
                         f"got {width!r}")
    torch.device(device or "cpu")  # raises on a bad device name


def _conv(c_in: int, c_out: int, k: int, stride: int = 1, padding: int = 0,
          device: object = None) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, k, stride=stride, padding=padding, device=device)


def alexnet(width: int | None = None, device: object = "meta") -> nn.Sequential:
    """AlexNet's five convolutions and three overlapping max poolings (3x3, stride 2),
    from a 3-channel image; channels 96, 256, 384, 384, 256 as in the paper."""
    _check(width, device)
    c = [3, 96, 256, 384, 384, 256] if width is None else [3] + [width] * 5
    layers = OrderedDict([
        ("conv1", _conv(c[0], c[1], 11, stride=4, device=device)), ("relu1", nn.ReLU()),
        ("pool1", nn.MaxPool2d(3, 2)),
        ("conv2", _conv(c[1], c[2], 5, padding=2, device=device)), ("relu2", nn.ReLU()),
        ("pool2", nn.MaxPool2d(3, 2)),
        ("conv3", _conv(c[2], c[3], 3, padding=1, device=device)), ("relu3", nn.ReLU()),
        ("conv4", _conv(c[3], c[4], 3, padding=1, device=device)), ("relu4", nn.ReLU()),
        ("conv5", _conv(c[4], c[5], 3, padding=1, device=device)), ("relu5", nn.ReLU()),
        ("pool5", nn.MaxPool2d(3, 2)),
    ])
    return nn.Sequential(layers)


VGG16_BLOCKS = ((2, 64), (2, 128), (3, 256), (3, 512), (3, 512))  # (convolutions, channels)


def vgg16(width: int | None = None, device: object = "meta") -> nn.Sequential:
    """VGG-16's thirteen 3x3 convolutions (padding 1) in five blocks, each block
    ending in a 2x2 max pooling with stride 2."""
    _check(width, device)
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    c_in = 3
    for block, (convs, channels) in enumerate(VGG16_BLOCKS, start=1):
        c_out = channels if width is None else width
        for i in range(1, convs + 1):
            layers[f"conv{block}_{i}"] = _conv(c_in, c_out, 3, padding=1, device=device)
            layers[f"relu{block}_{i}"] = nn.ReLU()
            c_in = c_out
        layers[f"pool{block}"] = nn.MaxPool2d(2, 2)
    return nn.Sequential(layers)


# GoogLeNet's Inception modules (Szegedy and colleagues, 2015, Table 1): the channels
# of the 1x1 branch, of the 3x3 branch's 1x1 reduction and 3x3 convolution, of the
# 5x5 branch's reduction and 5x5 convolution, and of the pooling branch's 1x1
# projection.
INCEPTION = OrderedDict([
    ("inception3a", (64, 96, 128, 16, 32, 32)),
    ("inception3b", (128, 128, 192, 32, 96, 64)),
    ("inception4a", (192, 96, 208, 16, 48, 64)),
    ("inception4b", (160, 112, 224, 24, 64, 64)),
    ("inception4c", (128, 128, 256, 24, 64, 64)),
    ("inception4d", (112, 144, 288, 32, 64, 64)),
    ("inception4e", (256, 160, 320, 32, 128, 128)),
    ("inception5a", (256, 160, 320, 32, 128, 128)),
    ("inception5b", (384, 192, 384, 48, 128, 128)),
])


def _inception(c_in: int, channels: tuple[int, ...], width: int | None,
               device: object) -> Parallel:
    one, reduce3, three, reduce5, five, project = (
        channels if width is None else (width,) * 6)
    return Parallel(
        nn.Sequential(_conv(c_in, one, 1, device=device), nn.ReLU()),
        nn.Sequential(_conv(c_in, reduce3, 1, device=device), nn.ReLU(),
                      _conv(reduce3, three, 3, padding=1, device=device), nn.ReLU()),
        nn.Sequential(_conv(c_in, reduce5, 1, device=device), nn.ReLU(),
                      _conv(reduce5, five, 5, padding=2, device=device), nn.ReLU()),
        nn.Sequential(nn.MaxPool2d(3, 1, padding=1),
                      _conv(c_in, project, 1, device=device), nn.ReLU()),
    )


def googlenet(width: int | None = None, device: object = "meta") -> nn.Sequential:
    """GoogLeNet up to its last Inception module and the 7x7 average pooling: a
    224x224 image becomes a 7x7 map of 1024 channels, then one 1024-vector. Max
    poolings round up (``ceil_mode``), as in the original implementation."""
    _check(width, device)
    w = (lambda c: c) if width is None else (lambda c: width)
    layers: OrderedDict[str, nn.Module] = OrderedDict([
        ("conv1", _conv(3, w(64), 7, stride=2, padding=3, device=device)), ("relu1", nn.ReLU()),
        ("pool1", nn.MaxPool2d(3, 2, ceil_mode=True)), ("norm1", nn.LocalResponseNorm(5)),
        ("conv2_reduce", _conv(w(64), w(64), 1, device=device)), ("relu2r", nn.ReLU()),
        ("conv2", _conv(w(64), w(192), 3, padding=1, device=device)), ("relu2", nn.ReLU()),
        ("norm2", nn.LocalResponseNorm(5)),
        ("pool2", nn.MaxPool2d(3, 2, ceil_mode=True)),
    ])
    c_in = w(192)
    for name, channels in INCEPTION.items():
        module = _inception(c_in, channels, width, device)
        layers[name] = module
        c_in = sum(channels[i] for i in (0, 2, 4, 5)) if width is None else 4 * width
        if name in ("inception3b", "inception4e"):
            layers[f"pool{name[-2]}"] = nn.MaxPool2d(3, 2, ceil_mode=True)
    layers["avgpool"] = nn.AvgPool2d(7, 1)
    return nn.Sequential(layers)


def channels_per_layer(model: nn.Sequential) -> list[int]:
    """The number of channels after each convolution, pooling or branch layer of
    ``model`` (the rows of its receptive-field table), read from the layers."""
    counts, current = [], None
    for module in _layers(model):
        if isinstance(module, nn.Conv2d):
            current = module.out_channels
        elif hasattr(module, "branches"):
            current = sum(_last_conv(branch).out_channels for branch in module.branches)
        counts.append(current)
    return counts


def _layers(model: nn.Module) -> list[nn.Module]:
    found = []
    for child in model.children():
        if isinstance(child, nn.Sequential):
            found += _layers(child)
        elif isinstance(child, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, Parallel)):
            found.append(child)
    return found


def _last_conv(module: nn.Module) -> nn.Conv2d:
    return [m for m in module.modules() if isinstance(m, nn.Conv2d)][-1]
