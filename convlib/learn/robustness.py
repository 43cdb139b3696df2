"""Robust accuracy: how much of a test set a classifier still gets right when every
image may be changed by an attack, as the attack's budget ``eps`` grows.

At ``eps = 0`` it is the ordinary accuracy; the faster it falls, the more brittle the
classifier. One attack only gives an upper bound on the true robust accuracy (what the
strongest attack of that size would leave): a stronger attack gives a lower, truer number.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from ..runtime import device as default_device
from .attacks import check_eps, eval_mode
from .training import progress_bar

Attack = Callable[[nn.Module, torch.Tensor, torch.Tensor, float], torch.Tensor]


@dataclass(frozen=True)
class RobustAccuracy:
    """The accuracy of a classifier under ``attack`` at each perturbation size ``eps``
    (the largest change of any pixel, pixels in [0, 1]), over ``examples`` images."""

    attack: str
    eps: tuple[float, ...]
    accuracy: tuple[float, ...]
    examples: int

    def as_rows(self) -> list[dict[str, float]]:
        """The table as a list of dicts, one per ``eps``."""
        return [{"eps": e, "accuracy": a} for e, a in zip(self.eps, self.accuracy, strict=True)]

    def __str__(self) -> str:
        lines = [f"{self.attack} on {self.examples} images", "    eps  accuracy"]
        lines += [f"{e:7.3f}  {a:8.1%}" for e, a in zip(self.eps, self.accuracy, strict=True)]
        return "\n".join(lines)


def _describe(attack: Callable) -> str:
    """A short name for an attack: ``fgsm``, or ``pgd(alpha=0.01, steps=40)`` for a
    ``functools.partial`` with settings."""
    if isinstance(attack, functools.partial):
        settings = ", ".join(f"{k}={v!r}" for k, v in attack.keywords.items())
        return f"{_describe(attack.func)}({settings})"
    return getattr(attack, "__name__", type(attack).__name__)


def _check_result(x: torch.Tensor, x_adv: object, eps: float, name: str) -> None:
    """An attack must return images of the same shape, within ``eps`` and in [0, 1]."""
    if not isinstance(x_adv, torch.Tensor) or x_adv.shape != x.shape:
        shape = tuple(x_adv.shape) if isinstance(x_adv, torch.Tensor) else type(x_adv).__name__
        raise ValueError(f"the attack {name} must return images of shape {tuple(x.shape)}; "
                         f"got {shape}")
    moved = (x_adv - x).abs().max().item() if x.numel() else 0.0
    if moved > eps + 4 * torch.finfo(x.dtype).eps:
        raise ValueError(f"the attack {name} changed a pixel by {moved:.4g}, more than its "
                         f"budget eps = {eps}")
    if x.numel() and not ((x_adv >= 0) & (x_adv <= 1)).all():
        raise ValueError(f"the attack {name} returned pixels outside [0, 1]")


def robust_accuracy(model: nn.Module, data: Dataset, attack: Attack,
                    eps_values: Iterable[float], *, batch_size: int = 500,
                    device: torch.device | None = None, progress: bool = True) -> RobustAccuracy:
    """The fraction of ``data`` (image, label pairs) that ``model`` still classifies
    correctly after ``attack`` changes each image, for each size in ``eps_values``.

    ``attack(model, images, labels, eps)`` returns the changed images: ``fgsm``, or
    ``functools.partial(pgd, alpha=..., steps=...)``. The model runs in evaluation mode
    on ``device`` (default: ``convlib.device()``) and gets its modes back afterwards. In
    Jupyter a progress bar shows the batches as they go.
    """
    if not callable(attack):
        raise TypeError(f"attack must be callable as attack(model, images, labels, eps); "
                        f"got {type(attack).__name__}")
    eps_values = tuple(check_eps(e) for e in eps_values)
    if not eps_values:
        raise ValueError("eps_values must hold at least one perturbation size; got none")
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int; got {batch_size!r}")
    device = device or default_device()
    name = _describe(attack)
    loader = DataLoader(data, batch_size=batch_size)
    accuracy = []
    bar = progress_bar(len(eps_values) * len(loader), f"attacking: {name}", progress)
    with eval_mode(model.to(device)):
        for eps in eps_values:
            correct = 0
            for images, labels in loader:
                images, labels = images.to(device), labels.to(device)
                adversarial = attack(model, images, labels, eps)
                _check_result(images, adversarial, eps, name)
                with torch.no_grad():
                    correct += (model(adversarial).argmax(1) == labels).sum().item()
                bar.update()
            accuracy.append(correct / len(data))
    bar.close()
    return RobustAccuracy(name, eps_values, tuple(accuracy), len(data))
