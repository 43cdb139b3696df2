"""Measuring a receptive field with gradients: the effective receptive field (Luo, Li,
Urtasun and Zemel, *Understanding the effective receptive field in deep convolutional
neural networks*, NeurIPS 2016) and the exact region any gradient can reach."""

from copy import deepcopy

import numpy as np
import torch
from torch import nn

from ..runtime import device as default_device
from ..sizes.arguments import is_whole
from ..sizes.receptive import PASS_THROUGH


def _shape(input_shape: object) -> tuple[int, ...]:
    if (not isinstance(input_shape, (tuple, list)) or len(input_shape) not in (2, 3)
            or not all(is_whole(v) and v >= 1 for v in input_shape)):
        raise ValueError("input_shape must be (channels, height, width) or (channels, length) "
                         f"with positive ints; got {input_shape!r}")
    return tuple(int(v) for v in input_shape)


def effective_receptive_field(
    model: nn.Module,
    input_shape: tuple[int, ...],
    *,
    inputs: torch.Tensor | None = None,
    samples: int = 8,
    channel: int | None = None,
    power: int = 1,
    seed: int = 0,
) -> np.ndarray:
    """How strongly each input pixel moves the centre unit of ``model``'s output.

    The centre unit is the output position (H'//2, W'//2); its value is summed over
    all output channels, or taken from ``channel`` alone. The gradient of that sum
    with respect to the input is taken for each input, its absolute value summed
    over the input channels and averaged over the inputs: a map of the input's
    spatial shape, zero wherever a pixel cannot influence the unit. With ``power=2``
    the squares of the gradients are averaged instead: the gradient's second moment,
    whose spread Luo and colleagues analyse.

    The inputs are ``samples`` standard normal images of ``input_shape`` = (C, H, W)
    drawn with ``seed`` (the same on every device), or the given ``inputs`` of shape
    (N, C, H, W). They are put on the device and dtype of the model's parameters (the
    book's device if it has none). The model runs in evaluation mode and is left in
    the mode it came in.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module; got {type(model).__name__}")
    if power not in (1, 2) or isinstance(power, bool):
        raise ValueError(f"power must be 1 (absolute values) or 2 (squares); got {power!r}")
    shape = _shape(input_shape)
    parameter = next(model.parameters(), None)
    where = parameter.device if parameter is not None else default_device()
    dtype = parameter.dtype if parameter is not None else torch.float32
    if inputs is None:
        if not is_whole(samples) or samples < 1:
            raise ValueError(f"samples must be a positive int; got {samples!r}")
        generator = torch.Generator().manual_seed(seed)
        x = torch.randn((int(samples), *shape), generator=generator, dtype=torch.float64)
    else:
        if not isinstance(inputs, torch.Tensor) or tuple(inputs.shape[1:]) != shape:
            got = tuple(inputs.shape) if isinstance(inputs, torch.Tensor) else type(inputs)
            raise ValueError(f"inputs must be a tensor of shape (N, {', '.join(map(str, shape))})"
                             f" to match input_shape; got {got}")
        x = inputs
    x = x.to(device=where, dtype=dtype).detach().requires_grad_(True)
    was_training = model.training
    model.eval()
    try:
        out = model(x)
    finally:
        model.train(was_training)
    if out.dim() != len(shape) + 1:
        raise ValueError(f"the model's output has shape {tuple(out.shape)}; it needs the same "
                         f"spatial axes as the input {shape} (drop flattening and linear "
                         "layers, e.g. model[:i])")
    centre = tuple(n // 2 for n in out.shape[2:])
    if channel is None:
        unit = out[(slice(None), slice(None), *centre)]
    else:
        if not is_whole(channel) or not 0 <= channel < out.shape[1]:
            raise ValueError(f"channel must be an int in 0..{out.shape[1] - 1}; got {channel!r}")
        unit = out[(slice(None), channel, *centre)]
    (grad,) = torch.autograd.grad(unit.sum(), x)
    return (grad.abs() ** power).sum(dim=1).mean(dim=0).detach().cpu().double().numpy()


def open_paths(model: nn.Module) -> nn.Module:
    """A copy of ``model`` in which every path from an input pixel to an output unit
    carries gradient: activations become identities, max poolings average poolings
    over the same windows, and weights their absolute values.

    ReLU passes no gradient where its input was negative and max pooling passes it to
    one pixel of each window, so for a given input they can cut pixels out of the
    measured field; and weights of both signs could, in principle, cancel. The copy
    has the same receptive field with none of these gaps.
    """
    copy = deepcopy(model)
    for parent in [copy, *copy.modules()]:
        for name, child in list(parent.named_children()):
            if isinstance(child, (nn.MaxPool1d, nn.MaxPool2d)):
                dilation = child.dilation
                if any(d != 1 for d in (dilation if isinstance(dilation, tuple) else (dilation,))):
                    raise ValueError(f"layer {name}: a dilated max pooling has no average "
                                     "pooling to stand in for it")
                pool = nn.AvgPool1d if isinstance(child, nn.MaxPool1d) else nn.AvgPool2d
                setattr(parent, name, pool(child.kernel_size, child.stride, child.padding,
                                           ceil_mode=child.ceil_mode))
            elif isinstance(child, PASS_THROUGH):
                setattr(parent, name, nn.Identity())
    with torch.no_grad():
        for parameter in copy.parameters():
            parameter.abs_()
    return copy


def nonzero_box(values: np.ndarray) -> tuple[tuple[int, int], ...]:
    """Per axis, the first and last index (inclusive) where ``values`` is not zero: the
    box holding every input pixel that can influence the unit."""
    a = np.asarray(values)
    if a.ndim < 1 or not np.any(a):
        raise ValueError(f"nonzero_box needs an array with a nonzero entry; got shape {a.shape}"
                         + ("" if a.ndim < 1 or a.size == 0 else ", all zero"))
    box = []
    for axis in range(a.ndim):
        others = tuple(i for i in range(a.ndim) if i != axis)
        hit = np.flatnonzero(np.any(a != 0, axis=others) if others else a != 0)
        box.append((int(hit[0]), int(hit[-1])))
    return tuple(box)


def erf_spread(values: np.ndarray) -> float:
    """The standard deviation, in pixels, of a 2-D map read as a distribution of mass
    (root mean of the row and column variances): the radius of an effective
    receptive field."""
    a = np.asarray(values, dtype=np.float64)
    if a.ndim != 2 or not np.all(a >= 0) or a.sum() <= 0:
        raise ValueError("erf_spread needs a 2-D map of nonnegative values with a positive "
                         f"sum; got shape {a.shape}")
    p = a / a.sum()
    variances = []
    for axis in (0, 1):
        marginal = p.sum(axis=1 - axis)
        index = np.arange(len(marginal))
        mean = (marginal * index).sum()
        variances.append((marginal * (index - mean) ** 2).sum())
    return float(np.sqrt(np.mean(variances)))
