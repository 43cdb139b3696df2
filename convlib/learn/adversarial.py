"""Adversarial examples collected for the pictures of chapter 7 (numbers only).

A classifier's predictions with their confidence; a gallery of images before and
after an attack; one image attacked at a sweep of sizes; the success of targeted
attacks for every pair of true and target class; and random sign noise, an
"attack" that uses no gradient at all, as the control every attack is compared with.
``convlib.draw`` draws what these return.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.data import Dataset

from ..runtime import device as default_device
from .attacks import check_eps, eval_mode, pgd
from .robustness import _describe

Attack = Callable[[nn.Module, torch.Tensor, torch.Tensor, float], torch.Tensor]


@dataclass(frozen=True)
class Prediction:
    """The class a classifier picks for each image, and the softmax probability it
    gives that class (its confidence)."""

    label: torch.Tensor  # (N,) int64
    confidence: torch.Tensor  # (N,) in [0, 1]


def _where(model: nn.Module, device: torch.device | None) -> torch.device:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module; got {type(model).__name__}")
    return device or default_device()


def _check_images(images: object, name: str = "images") -> torch.Tensor:
    if not isinstance(images, torch.Tensor) or not images.is_floating_point() \
            or images.dim() != 4:
        shape = tuple(images.shape) if isinstance(images, torch.Tensor) else \
            type(images).__name__
        raise ValueError(f"{name} must be a float tensor (N, channels, height, width); "
                         f"got {shape}")
    return images


@torch.no_grad()
def predict(model: nn.Module, images: torch.Tensor, *, batch_size: int = 1000,
            device: torch.device | None = None) -> Prediction:
    """The predicted class of each of ``images`` (N, channels, H, W) and its softmax
    probability, on the CPU. The model runs in evaluation mode on ``device`` (default:
    ``convlib.device()``) and gets its modes back afterwards."""
    device = _where(model, device)
    images = _check_images(images)
    labels, confidences = [], []
    with eval_mode(model.to(device)):
        for batch in images.split(batch_size):
            probabilities = model(batch.to(device)).softmax(dim=1)
            confidence, label = probabilities.max(dim=1)
            labels.append(label.cpu())
            confidences.append(confidence.cpu())
    return Prediction(torch.cat(labels), torch.cat(confidences))


def _attack(model: nn.Module, attack: Attack, images: torch.Tensor, labels: torch.Tensor,
            eps: float, device: torch.device) -> torch.Tensor:
    """``attack`` on ``images`` on ``device``, checked to stay within ``eps`` and
    [0, 1]; the result on the CPU."""
    adversarial = attack(model, images.to(device), labels.to(device), eps).detach().cpu()
    if adversarial.shape != images.shape:
        raise ValueError(f"the attack must return images of shape {tuple(images.shape)}; got "
                         f"{tuple(adversarial.shape)}")
    if (adversarial - images.cpu()).abs().max() > eps + 1e-6 or adversarial.min() < 0 \
            or adversarial.max() > 1:
        raise ValueError(f"the attack changed a pixel by more than eps = {eps} or left [0, 1]")
    return adversarial


@dataclass(frozen=True)
class Gallery:
    """Images before and after one attack of size ``eps``, with the true labels and
    what the classifier predicts for each, before and after."""

    images: torch.Tensor  # (N, channels, H, W)
    adversarial: torch.Tensor  # the same images, attacked
    labels: torch.Tensor  # (N,) the true classes
    before: Prediction
    after: Prediction
    eps: float
    attack: str

    @property
    def perturbation(self) -> torch.Tensor:
        """What the attack added to each image: every value within [-eps, eps]."""
        return self.adversarial - self.images

    @property
    def fooled(self) -> torch.Tensor:
        """Which images were classified correctly before the attack and wrongly after."""
        return (self.before.label == self.labels) & (self.after.label != self.labels)


def attack_gallery(model: nn.Module, images: torch.Tensor, labels: torch.Tensor,
                   attack: Attack, eps: float, *,
                   device: torch.device | None = None) -> Gallery:
    """Attack ``images`` (N, channels, H, W, in [0, 1]) with ``attack(model, images,
    labels, eps)`` (``convlib.fgsm``, a ``functools.partial`` of ``convlib.pgd``) and
    keep the images, the attacked images and the model's predictions on both."""
    device = _where(model, device)
    images = _check_images(images).detach().cpu()
    eps = check_eps(eps)
    if not isinstance(labels, torch.Tensor) or labels.shape != images.shape[:1]:
        raise ValueError(f"labels must be a tensor of shape ({len(images)},); got "
                         f"{getattr(labels, 'shape', type(labels).__name__)}")
    labels = labels.cpu()
    adversarial = _attack(model, attack, images, labels, eps, device)
    return Gallery(images, adversarial, labels, predict(model, images, device=device),
                   predict(model, adversarial, device=device), eps, _describe(attack))


@dataclass(frozen=True)
class EpsSweep:
    """One image attacked by each of several attacks at each of several sizes."""

    image: torch.Tensor  # (channels, H, W)
    label: int
    eps: tuple[float, ...]
    attacks: tuple[str, ...]  # the names given, one per row of ``images``
    images: torch.Tensor  # (attacks, len(eps), channels, H, W)
    predictions: tuple[Prediction, ...]  # one per attack, over the sizes

    def first_fooled(self, attack: str) -> float | None:
        """The smallest size in ``eps`` at which ``attack`` changes the prediction to a
        wrong class, or None if it never does."""
        row = self.predictions[self.attacks.index(attack)].label
        return next((e for e, p in zip(self.eps, row.tolist(), strict=True)
                     if p != self.label), None)


def eps_sweep(model: nn.Module, image: torch.Tensor, label: int,
              attacks: Mapping[str, Attack], eps_values: Iterable[float], *,
              device: torch.device | None = None) -> EpsSweep:
    """Attack one ``image`` (channels, H, W) of class ``label`` with each of ``attacks``
    (name to ``attack(model, images, labels, eps)``) at each size in ``eps_values``,
    and keep every attacked image and the model's prediction on it."""
    device = _where(model, device)
    if not isinstance(image, torch.Tensor) or image.dim() != 3:
        shape = tuple(image.shape) if isinstance(image, torch.Tensor) else type(image).__name__
        raise ValueError(f"image must be one image, a tensor (channels, height, width); got "
                         f"{shape}")
    eps_values = tuple(check_eps(e) for e in eps_values)
    if not eps_values or not attacks:
        raise ValueError("eps_sweep needs at least one size and one attack")
    x = image.detach().cpu()[None]
    y = torch.tensor([int(label)])
    rows, predictions = [], []
    for attack in attacks.values():
        row = torch.cat([_attack(model, attack, x, y, e, device) for e in eps_values])
        rows.append(row)
        predictions.append(predict(model, row, device=device))
    return EpsSweep(x[0], int(label), eps_values, tuple(attacks), torch.stack(rows),
                    tuple(predictions))


@dataclass(frozen=True)
class TargetedSuccess:
    """How often a targeted attack of size ``eps`` makes the classifier output each
    target class (columns), for images of each true class (rows); the diagonal,
    where there is nothing to attack, is NaN."""

    rate: torch.Tensor  # (classes, classes)
    eps: float
    steps: int
    per_class: int  # images attacked per true class, each towards every other class

    @property
    def overall(self) -> float:
        """The success rate over every attacked (image, target) pair."""
        return self.rate.nanmean().item()


def targeted_success(model: nn.Module, data: Dataset, eps: float, *, per_class: int,
                     steps: int, classes: int = 10, batch_size: int = 500,
                     device: torch.device | None = None) -> TargetedSuccess:
    """For each class, take the first ``per_class`` images of ``data`` (image, label
    pairs) that ``model`` classifies correctly, aim ``convlib.pgd`` (``targeted=True``,
    ``steps`` steps of the default size, a random start from torch's global generator)
    at every other class, and count how often the prediction becomes the target."""
    device = _where(model, device)
    eps = check_eps(eps)
    for name, value in (("per_class", per_class), ("steps", steps), ("classes", classes)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int; got {value!r}")
    images, labels = (torch.stack(t) for t in zip(*[data[i] for i in range(len(data))],
                                                 strict=True))
    right = predict(model, images, device=device).label == labels
    chosen = []
    for c in range(classes):
        found = torch.nonzero(right & (labels == c))[:per_class, 0]
        if len(found) < per_class:
            raise ValueError(f"data holds only {len(found)} correctly classified images of "
                             f"class {c}; per_class is {per_class}")
        chosen.append(found)
    index = torch.cat(chosen)
    true = labels[index].repeat_interleave(classes - 1)
    target = torch.tensor([t for c in labels[index].tolist() for t in range(classes) if t != c])
    x = images[index].repeat_interleave(classes - 1, dim=0)
    hits = []
    for xs, ts in zip(x.split(batch_size), target.split(batch_size), strict=True):
        adv = pgd(model.to(device), xs.to(device), ts.to(device), eps, steps=steps,
                  targeted=True)
        hits.append(predict(model, adv, device=device).label == ts)
    hit = torch.cat(hits).double()
    rate = torch.zeros(classes, classes, dtype=torch.float64)
    rate.index_put_((true, target), hit, accumulate=True)
    rate /= per_class
    rate.fill_diagonal_(float("nan"))
    return TargetedSuccess(rate, eps, steps, per_class)


def random_sign_noise(model: nn.Module, images: torch.Tensor, labels: torch.Tensor,
                      eps: float) -> torch.Tensor:
    """``images`` with ``eps`` added to or taken from every pixel at random, then
    clipped to [0, 1]: the size of an FGSM step in a direction that ignores the model.

    It has the signature of an attack, so ``robust_accuracy`` can measure it, but uses
    neither ``model`` nor ``labels``. The signs come from torch's global generator
    (which ``convlib.seed`` fixes), drawn on the CPU."""
    eps = check_eps(eps)
    images = _check_images(images)
    signs = torch.randint(0, 2, images.shape, dtype=images.dtype).mul_(2).sub_(1)
    return (images.detach() + eps * signs.to(images.device)).clamp(0, 1)
