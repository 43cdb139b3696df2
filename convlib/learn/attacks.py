"""Adversarial examples: small changes to an image, chosen to make a classifier wrong.

The loss of a classifier tells which way each pixel should move to hurt it most: the
sign of its gradient with respect to the input. The fast gradient sign method
(Goodfellow, Shlens and Szegedy, 2015) takes one step of size ``eps`` that way;
projected gradient descent (Madry et al., 2018) takes many small steps, each pulled
back into the L-infinity ball of radius ``eps`` around the image. Both follow the
reference implementations (Madry et al.'s code, torchattacks, Foolbox): images lie in
[0, 1] and stay there, the loss is cross-entropy on the model's logits (summed over the
batch, so each image's step is its own), and a targeted attack goes down the loss of
the target class instead of up the loss of the true one.
"""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from numbers import Real

import torch
from torch import nn
from torch.nn import functional as nnf


@contextmanager
def eval_mode(model: nn.Module) -> Iterator[nn.Module]:
    """Run ``model`` in evaluation mode, then give every submodule back the mode it had
    (a model may hold some layers in training mode and others not)."""
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        yield model
    finally:
        for module, training in modes:
            module.training = training


def check_eps(eps: object) -> float:
    """``eps`` as a float, or a ValueError if it is not a finite number >= 0."""
    if not isinstance(eps, Real) or isinstance(eps, bool) or not 0 <= eps < math.inf:
        raise ValueError(f"eps must be a finite number >= 0 (the largest change of a pixel); "
                         f"got {eps!r}")
    return float(eps)


def check_pgd(eps: object, alpha: object, steps: object) -> None:
    """A ValueError unless ``eps`` >= 0, ``alpha`` > 0 (or None) and ``steps`` >= 1."""
    check_eps(eps)
    if alpha is not None and (not isinstance(alpha, Real) or isinstance(alpha, bool)
                              or not 0 < alpha < math.inf):
        raise ValueError(f"alpha must be a finite number > 0 (the size of one step) or None; "
                         f"got {alpha!r}")
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise ValueError(f"steps must be an int >= 1; got {steps!r}")


def _check_inputs(model: object, x: object, y: object) -> torch.Tensor:
    """Check the model, the images and their labels; return the labels as int64 on the
    images' device."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module; got {type(model).__name__}")
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        kind = f"a {x.dtype} tensor" if isinstance(x, torch.Tensor) else type(x).__name__
        raise TypeError(f"x must be a floating-point tensor of images; got {kind}")
    if x.dim() < 2:
        raise ValueError(f"x must be a batch of images, (batch, ...) with at least 2 axes; "
                         f"got shape {tuple(x.shape)}")
    if x.numel() and not ((x >= 0) & (x <= 1)).all():
        raise ValueError(f"images must lie in [0, 1]; got values from {x.min().item():.4g} "
                         f"to {x.max().item():.4g}")
    if not isinstance(y, torch.Tensor) or y.is_floating_point() or y.is_complex() \
            or y.dtype == torch.bool:
        kind = f"a {y.dtype} tensor" if isinstance(y, torch.Tensor) else type(y).__name__
        raise TypeError(f"y must be a tensor of int class labels; got {kind}")
    if y.shape != x.shape[:1]:
        raise ValueError(f"y must hold one label per image, shape ({len(x)},); got shape "
                         f"{tuple(y.shape)}")
    where = {p.device for p in model.parameters()}
    if where and where != {x.device}:
        raise ValueError(f"the model is on {', '.join(sorted(map(str, where)))} but x is on "
                         f"{x.device}; move one of them")
    return y.to(x.device, torch.int64)


def _check_logits(logits: object, y: torch.Tensor) -> None:
    if not isinstance(logits, torch.Tensor) or logits.dim() != 2 or len(logits) != len(y):
        shape = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits)
        raise ValueError(f"the model must return logits of shape (batch, classes) = "
                         f"({len(y)}, classes); got {shape}")
    classes = logits.shape[1]
    if len(y) and not ((y >= 0) & (y < classes)).all():
        raise ValueError(f"labels must be classes 0 to {classes - 1} (the model has {classes} "
                         f"outputs); got labels from {y.min().item()} to {y.max().item()}")


def _ascent(model: nn.Module, x: torch.Tensor, y: torch.Tensor, targeted: bool) -> torch.Tensor:
    """The sign of the gradient of the summed cross-entropy with respect to ``x``: up the
    loss of the true labels ``y``, or, if ``targeted``, down the loss of the targets
    ``y``. Only ``x`` gets a gradient; the parameters' ``.grad`` are left alone."""
    x = x.detach().requires_grad_(True)
    with torch.enable_grad():
        logits = model(x)
        _check_logits(logits, y)
        loss = nnf.cross_entropy(logits, y, reduction="sum")
        (grad,) = torch.autograd.grad(-loss if targeted else loss, x)
    return grad.sign()


def fgsm(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float, *,
         targeted: bool = False) -> torch.Tensor:
    """The fast gradient sign method: ``x`` moved by ``eps`` times the sign of the
    loss's gradient, then clipped to [0, 1].

    ``y`` holds the true labels, and the step goes up their loss; with ``targeted`` it
    holds the classes to aim for, and the step goes down their loss. The model runs in
    evaluation mode, on the device of ``x``, which must also hold its parameters.
    """
    eps = check_eps(eps)
    y = _check_inputs(model, x, y)
    with eval_mode(model):
        step = _ascent(model, x, y, targeted)
    return (x.detach() + eps * step).clamp(0, 1)


def pgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float, *,
        alpha: float | None = None, steps: int, random_start: bool = True,
        targeted: bool = False, generator: torch.Generator | None = None) -> torch.Tensor:
    """Projected gradient descent in the L-infinity ball of radius ``eps`` around ``x``.

    With ``random_start``, start from ``x`` plus noise drawn uniformly from
    [-eps, eps], clipped to [0, 1]; else from ``x``. Then, ``steps`` times: move by
    ``alpha`` times the sign of the loss's gradient (up the loss of the true labels
    ``y``, or down the loss of the target classes ``y`` if ``targeted``), project back
    into the ball (no pixel more than ``eps`` from ``x``) and clip to [0, 1].

    ``alpha=None`` takes steps of ``2.5 * eps / steps`` (the rule of Madry's lab, in
    their ``robustness`` library): enough to cross the ball from any start, and it
    scales with ``eps``, as a curve of accuracy against ``eps`` needs. A fixed
    ``alpha`` too small to reach the edge of a large ball makes a weak attack.

    The noise is drawn on the CPU, from ``generator`` or else from torch's global
    generator (which ``convlib.seed`` fixes), and moved to the device of ``x``, so a
    seed gives the same start on every device. The model runs in evaluation mode.
    """
    check_pgd(eps, alpha, steps)
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator or None; got "
                        f"{type(generator).__name__}")
    if generator is not None and generator.device.type != "cpu":
        raise ValueError(f"generator must be a CPU generator (the noise is drawn on the CPU); "
                         f"got one on {generator.device}")
    y = _check_inputs(model, x, y)
    eps = float(eps)
    alpha = 2.5 * eps / steps if alpha is None else float(alpha)
    x = x.detach()
    low, high = x - eps, x + eps
    adv = x.clone()
    if random_start:
        noise = torch.empty(x.shape, dtype=x.dtype).uniform_(-eps, eps, generator=generator)
        adv = (adv + noise.to(x.device)).clamp(0, 1)
    with eval_mode(model):
        for _ in range(steps):
            adv = adv + alpha * _ascent(model, adv, y, targeted)
            adv = torch.minimum(torch.maximum(adv, low), high).clamp(0, 1)
    return adv
