"""Two small classifiers of comparable size: a CNN and a dense network (MLP).

Both have about 20,000 weights, so that a comparison between them is a comparison
of their structure, not of their size.
"""

from copy import deepcopy

import torch
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


def large_kernel_cnn(kernel_size: int = 7, channels: int = 16, init_scale: float = 0.1,
                     num_classes: int = 10) -> nn.Sequential:
    """A CNN for 28x28 digits whose first layer has ``channels`` large kernels
    (``kernel_size`` x ``kernel_size``, "same" padding), started at ``init_scale`` times
    PyTorch's usual random weights, so that after training they show mostly what
    training put there; then a 3x3 layer of 32 channels, pooling and a linear layer."""
    if not isinstance(kernel_size, int) or kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be an odd positive int; got {kernel_size!r}")
    if not init_scale > 0:
        raise ValueError(f"init_scale must be positive; got {init_scale!r}")
    model = nn.Sequential(
        nn.Conv2d(1, channels, kernel_size, padding=kernel_size // 2), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, num_classes),
    )
    with torch.no_grad():
        model[0].weight.mul_(init_scale)
    return model


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


def count_macs(model: nn.Module, input_shape: tuple[int, ...]) -> int:
    """Multiply-accumulates of ``model``'s convolutions and linear layers on one input
    of ``input_shape`` (channels first, no batch axis), counted by running it on the
    "meta" device, which works out shapes without doing the arithmetic."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module; got {type(model).__name__}")
    counted = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)
    total = 0

    def count(layer: nn.Module, _inputs: object, output: torch.Tensor) -> None:
        nonlocal total
        per_output = layer.weight[0].numel()  # one filter (or one row of a linear map)
        total += output.numel() * per_output

    copy = copy_to_meta(model)
    hooks = [m.register_forward_hook(count) for m in copy.modules() if isinstance(m, counted)]
    copy(torch.zeros((1, *input_shape), device="meta"))
    for hook in hooks:
        hook.remove()
    return total


def copy_to_meta(model: nn.Module) -> nn.Module:
    """A copy of ``model`` on the "meta" device: the same layers, no numbers."""
    return deepcopy(model).to("meta")
