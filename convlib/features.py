"""What a trained layer has learned: its kernels, and the inputs that excite its channels.

A first layer's kernels can be looked at directly, as small images. Deeper channels
combine many kernels, so instead one asks which input makes a channel respond most:
start from noise and climb the gradient of the channel's mean activation with
respect to the input (feature visualisation by optimisation).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn

from .style import IMAGE_CMAP, SIGNED_CMAP, edge


@dataclass
class Visualisation:
    """Inputs optimised to excite channels of one layer, one per channel.

    ``images`` has shape (channels, *input_shape) and lies in [0, 1]; ``start`` and
    ``end`` are each channel's mean activation on its starting noise and on its
    optimised image.
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
) -> Visualisation:
    """For each channel, the input in [0, 1] that maximises the channel's mean activation.

    ``layer`` is a module inside ``model`` (or its index, for ``nn.Sequential``); its
    output must be (batch, channels, ...). Each input starts as grey noise and takes
    ``steps`` Adam steps of size ``lr`` up the gradient of the channel's mean activation,
    minus ``l2`` times the mean squared distance from grey (a small regulariser that
    keeps pixels the channel does not care about near grey); after every step pixels
    are clipped to [0, 1]. The model's weights are not changed; it runs on the device
    its parameters are on.
    """
    target = _layer(model, layer)
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
        """Mean activation of image i's own channel, for every image i."""
        captured.clear()
        model(x)
        out = captured[0]
        if out.dim() < 2 or max(channels) >= out.shape[1]:
            raise ValueError(f"the layer's output has shape {tuple(out.shape)}, with "
                             f"{out.shape[1] if out.dim() > 1 else 0} channels; asked for "
                             f"channels {channels}")
        return out[torch.arange(len(channels), device=device), pick].flatten(1).mean(1)

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


def show_features(vis: Visualisation, size: float = 1.6, per_line: int = 4) -> Figure:
    """The optimised input of each channel, greyscale from 0 (black) to 1 (white), with
    the channel's mean activation on noise and on the image; ``per_line`` per row."""
    if not isinstance(vis, Visualisation):
        raise TypeError(f"show_features takes what visualise_features returns; got "
                        f"{type(vis).__name__}")
    n = len(vis.channels)
    cols = min(n, per_line)
    lines = -(-n // cols)
    fig, axes = plt.subplots(lines, cols, figsize=(size * cols, (size + 0.6) * lines),
                             squeeze=False)
    for ax in axes.flat[n:]:
        ax.axis("off")
    for ax, c, image, a, b in zip(axes.flat, vis.channels, vis.images, vis.start, vis.end,
                                  strict=False):
        pixels = image.numpy()
        ax.imshow(pixels[0] if pixels.ndim == 3 else pixels, cmap=IMAGE_CMAP, vmin=0, vmax=1)
        a, b = round(a, 1) + 0.0, round(b, 1) + 0.0  # no "-0.0"
        ax.set_title(f"channel {c}\n{a:.1f} → {b:.1f}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def show_tiles(rows: dict[str, np.ndarray | torch.Tensor], *, signed: bool = True,
               role: str | dict[str, str] = "kernel", size: float = 0.75,
               per_line: int | None = None) -> Figure:
    """Rows of small images, such as the kernels of a layer or its feature maps.

    Each row is an array (count, height, width) (or (count, 1, height, width)), drawn
    on one scale per row: red-white-blue centred at zero when ``signed`` (red
    positive), greyscale otherwise; each tile is framed in the colour of ``role``
    (one role for all rows, or a role per row name). A row longer than ``per_line``
    tiles wraps onto further lines.
    """
    arrays = {}
    for name, values in rows.items():
        a = values.detach().cpu().numpy() if isinstance(values, torch.Tensor) else np.asarray(
            values)
        if a.ndim == 4 and a.shape[1] == 1:
            a = a[:, 0]
        if a.ndim != 3:
            raise ValueError(f"row {name!r} must have shape (count, height, width); got "
                             f"{a.shape}")
        arrays[name] = a
    if not arrays:
        raise ValueError("show_tiles needs at least one row")
    if per_line is not None and (not isinstance(per_line, int) or per_line < 1):
        raise ValueError(f"per_line must be a positive int or None; got {per_line!r}")
    cols = min(max(len(a) for a in arrays.values()), per_line or 10**9)
    lines = [(name, start) for name, a in arrays.items() for start in range(0, len(a), cols)]
    aspect = max(a.shape[1] / a.shape[2] for a in arrays.values())
    fig, axes = plt.subplots(len(lines), cols, squeeze=False,
                             figsize=(size * cols + 1.4, (size * aspect + 0.15) * len(lines)))
    for r, (name, start) in enumerate(lines):
        a = arrays[name]
        limit = float(np.abs(a).max()) or 1.0
        for c in range(cols):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            if start + c >= len(a):
                ax.axis("off")
                continue
            if signed:
                ax.imshow(a[start + c], cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            else:
                ax.imshow(a[start + c], cmap=IMAGE_CMAP)
            for spine in ax.spines.values():
                spine.set_edgecolor(edge(role if isinstance(role, str) else role[name]))
                spine.set_linewidth(1.5)
        if start == 0:
            axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=10)
    fig.tight_layout(w_pad=0.2, h_pad=0.3)
    return fig


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
