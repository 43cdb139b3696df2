"""What a trained layer has learned: its kernels, and the inputs that excite its channels.

A first layer's kernels can be looked at directly, as small images. Deeper channels
combine many kernels, so instead one asks which input makes a channel respond most:
start from noise and climb the gradient of the channel's mean activation with
respect to the input (feature visualisation by optimisation).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


@dataclass
class Visualisation:
    """Inputs optimised to excite channels of one layer, one per channel.

    ``images`` has shape (channels, *input_shape) and lies in [0, 1]; ``start`` and
    ``end`` are each channel's activation (as optimised: the map's mean or its centre
    unit) on its starting noise and on its optimised image.
    """

    channels: list[int]
    images: torch.Tensor
    start: list[float]
    end: list[float]


def _layer(model: nn.Module, layer: nn.Module | int) -> nn.Module:
    if isinstance(layer, int) and not isinstance(layer, bool):
        if not isinstance(model, nn.Sequential) or not -len(model) <= layer < len(model):
            size = len(model) if isinstance(model, nn.Sequential) else "no"
            raise ValueError(f"layer {layer} is not an index into the model ({size} layers; "
                             "pass the layer module itself for a model that is not Sequential)")
        return model[layer]
    if not isinstance(layer, nn.Module):
        raise TypeError(f"layer must be a module of the model or an int index; got "
                        f"{type(layer).__name__}")
    if not any(m is layer for m in model.modules()):
        raise ValueError(f"the layer {layer} is not part of the model")
    return layer


def _positive(name: str, value: object, kind: type | tuple[type, ...]) -> None:
    if not isinstance(value, kind) or isinstance(value, bool) or not value > 0:
        raise ValueError(f"{name} must be a positive number; got {value!r}")


def visualise_features(
    model: nn.Module,
    layer: nn.Module | int,
    channels: Sequence[int] | int,
    *,
    input_shape: tuple[int, ...] = (1, 28, 28),
    steps: int = 100,
    lr: float = 0.05,
    l2: float = 0.01,
    seed: int = 0,
    unit: str = "mean",
) -> Visualisation:
    """For each channel, the input in [0, 1] that maximises the channel's activation:
    its mean over the whole map (``unit="mean"``), or the activation of the unit at the
    centre of the map (``unit="centre"``), which depends only on the pixels of its
    receptive field.

    ``layer`` is a module inside ``model`` (or its index, for ``nn.Sequential``); its
    output must be (batch, channels, ...). Each input starts as grey noise and takes
    ``steps`` Adam steps of size ``lr`` up the gradient of the channel's mean activation,
    minus ``l2`` times the mean squared distance from grey (a small regulariser that
    keeps pixels the channel does not care about near grey); after every step pixels
    are clipped to [0, 1]. The model's weights are not changed; it runs on the device
    its parameters are on.
    """
    target = _layer(model, layer)
    if unit not in ("mean", "centre"):
        raise ValueError(f"unit must be 'mean' or 'centre'; got {unit!r}")
    channels = [channels] if isinstance(channels, int) else list(channels)
    if not channels or not all(isinstance(c, int) and c >= 0 for c in channels):
        raise ValueError(f"channels must be channel numbers (ints >= 0); got {channels!r}")
    _positive("steps", steps, int)
    _positive("lr", lr, (int, float))
    if not isinstance(l2, (int, float)) or l2 < 0:
        raise ValueError(f"l2 must be a number >= 0; got {l2!r}")
    device = next(model.parameters()).device
    noise = torch.randn((len(channels), *input_shape),
                        generator=torch.Generator().manual_seed(seed))
    start_images = (0.5 + 0.1 * noise).clamp(0, 1).to(device)
    pick = torch.tensor(channels, device=device)
    captured: list[torch.Tensor] = []
    hook = target.register_forward_hook(lambda _m, _i, out: captured.append(out))
    was_training = model.training
    model.eval()

    def activation(x: torch.Tensor) -> torch.Tensor:
        """Activation of image i's own channel (its mean, or its centre unit), for every
        image i."""
        captured.clear()
        model(x)
        out = captured[0]
        if out.dim() < 2 or max(channels) >= out.shape[1]:
            raise ValueError(f"the layer's output has shape {tuple(out.shape)}, with "
                             f"{out.shape[1] if out.dim() > 1 else 0} channels; asked for "
                             f"channels {channels}")
        maps = out[torch.arange(len(channels), device=device), pick]
        if unit == "centre":
            return maps[(slice(None), *(n // 2 for n in maps.shape[1:]))]
        return maps.flatten(1).mean(1)

    try:
        with torch.no_grad():
            start = activation(start_images)
        images = gradient_ascent(activation, start_images, steps=steps, lr=lr, l2=l2)
        with torch.no_grad():
            end = activation(images)
    finally:
        hook.remove()
        model.train(was_training)
    return Visualisation(channels, images.cpu(), start.cpu().tolist(), end.cpu().tolist())


def gradient_ascent(
    objective: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    *,
    steps: int = 100,
    lr: float = 0.05,
    l2: float = 0.01,
) -> torch.Tensor:
    """Images that raise ``objective`` (one number per image), found from
    ``x`` by ``steps`` Adam steps up its gradient, pixels kept in [0, 1].

    The loss is the objective, negated, plus ``l2`` times each image's mean
    squared distance from grey (0.5). The gradient is taken with respect to
    the images alone, so a model inside ``objective`` is left as it was.
    """
    x = x.detach().clone().requires_grad_(True)
    optimiser = torch.optim.Adam([x], lr=lr)
    for _ in range(steps):
        distance = ((x - 0.5) ** 2).flatten(1).mean(1)
        loss = (-objective(x) + l2 * distance).sum()
        x.grad, = torch.autograd.grad(loss, x)
        optimiser.step()
        with torch.no_grad():
            x.clamp_(0, 1)
    return x.detach()


def low_frequency_share(kernels: np.ndarray | torch.Tensor, cutoff: int = 3) -> torch.Tensor:
    """The share of each kernel's energy (sum of squared weights) in its lowest spatial
    frequencies: the first ``cutoff`` x ``cutoff`` coefficients of its 2-D cosine
    transform (DCT-II, orthonormal).

    Blobs, edges and bars are smooth over the kernel, so most of their energy sits
    there; random weights spread it evenly, ``cutoff**2 / (k_h * k_w)`` on average.
    ``kernels`` has shape (count, k_h, k_w) or (count, 1, k_h, k_w).
    """
    w = torch.as_tensor(np.asarray(kernels) if isinstance(kernels, np.ndarray) else kernels)
    w = w.detach().cpu().double()
    if w.dim() == 4 and w.shape[1] == 1:
        w = w[:, 0]
    if w.dim() != 3 or min(w.shape[1:]) < 1:
        raise ValueError(f"kernels must have shape (count, k_h, k_w); got {tuple(w.shape)}")
    if not isinstance(cutoff, int) or not 1 <= cutoff <= min(w.shape[1:]):
        raise ValueError(f"cutoff must be an int from 1 to {min(w.shape[1:])}; got {cutoff!r}")

    def dct(n: int) -> torch.Tensor:
        i = torch.arange(n, dtype=torch.float64)
        basis = torch.cos(torch.pi * (i[None, :] + 0.5) * i[:, None] / n)
        return basis / basis.norm(dim=1, keepdim=True)

    coefficients = dct(w.shape[1]) @ w @ dct(w.shape[2]).T
    energy = w.pow(2).sum((1, 2)).clamp_min(1e-30)
    return coefficients[:, :cutoff, :cutoff].pow(2).sum((1, 2)) / energy


def edge_blob_share(kernels: np.ndarray | torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """How blob-like and how edge-like each square kernel is, as shares of its energy.

    A kernel (k x k, k odd) is split into orthogonal parts: its mean (a flat *blob*:
    it responds to brightness), the best-fitting linear ramp across it (an *edge*
    detector of some direction), and the rest. Returns the blob share and the edge
    share of the sum of squared weights, per kernel. For random weights the three
    of the k*k directions that these parts span hold 3/(k*k) of the energy on average.
    ``kernels`` has shape (count, k, k) or (count, 1, k, k).
    """
    w = torch.as_tensor(np.asarray(kernels) if isinstance(kernels, np.ndarray) else kernels)
    w = w.detach().cpu().double()
    if w.dim() == 4 and w.shape[1] == 1:
        w = w[:, 0]
    if w.dim() != 3 or w.shape[1] != w.shape[2] or w.shape[1] % 2 == 0 or w.shape[1] < 3:
        raise ValueError(f"kernels must have shape (count, k, k) with k odd and at least 3; "
                         f"got {tuple(w.shape)}")
    k = w.shape[1]
    ramp = torch.arange(k, dtype=torch.float64) - k // 2
    ys, xs = torch.meshgrid(ramp, ramp, indexing="ij")
    basis = torch.stack([torch.ones(k, k, dtype=torch.float64), xs, ys]).reshape(3, -1)
    basis = basis / basis.norm(dim=1, keepdim=True)  # orthonormal: the grid is symmetric
    flat = w.reshape(len(w), -1)
    energy = flat.pow(2).sum(1).clamp_min(1e-30)
    parts = (flat @ basis.T).pow(2)
    return parts[:, 0] / energy, parts[:, 1:].sum(1) / energy
