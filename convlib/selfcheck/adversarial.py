"""Self-checks for chapter 7, "Adversarial examples"."""

import math

import numpy as np
import torch
from torch import nn

from . import exercise

# Exercise 7.1: one FGSM step on four pixels, by hand.
EX1_PIXELS = (0.0, 0.5, 0.97, 0.3)
EX1_GRADIENT = (-0.4, 0.0, 2.5, -0.02)
EX1_EPS = 0.1
# Exercise 7.2: how far a change of at most eps per pixel can move a weighted sum.
EX2_WEIGHTS = (0.3, -0.5, 0.1, 0.0, -0.2, 0.4)
EX2_EPS = 0.05


def _numbers(answer: object, count: int) -> list[float] | None:
    """``answer`` as ``count`` floats, or None."""
    try:
        values = [float(v) for v in np.asarray(answer, dtype=np.float64).ravel()]
    except (TypeError, ValueError):
        return None
    return values if len(values) == count else None


@exercise("7.1")
def _fgsm_by_hand(answer: object) -> str | None:
    got = _numbers(answer, len(EX1_PIXELS))
    if got is None:
        return f"give the {len(EX1_PIXELS)} new pixel values, in order."
    x, g = np.array(EX1_PIXELS), np.array(EX1_GRADIENT)
    right = np.clip(x + EX1_EPS * np.sign(g), 0, 1)
    if np.allclose(got, right, atol=1e-6):
        return None
    if np.allclose(got, x + EX1_EPS * np.sign(g), atol=1e-6):
        return "pixels must stay between 0 (black) and 1 (white): clip the result."
    if np.allclose(got, np.clip(x + EX1_EPS * g, 0, 1), atol=1e-6):
        return ("FGSM moves every pixel by the same amount, eps, in the direction of the "
                "gradient's sign; the gradient's size does not matter.")
    if np.allclose(got, np.clip(x - EX1_EPS * np.sign(g), 0, 1), atol=1e-6):
        return "the attack goes up the loss: add eps times the sign, do not subtract it."
    if not math.isclose(got[1], EX1_PIXELS[1], abs_tol=1e-6):
        return "a gradient of exactly 0 has sign 0: that pixel does not move."
    return "move each pixel by eps in the direction of its gradient's sign, then clip to [0, 1]."


@exercise("7.2")
def _linear_budget(answer: object) -> str | None:
    got = _numbers(answer, 1)
    if got is None:
        return "give one number: the largest increase of the weighted sum."
    w = np.array(EX2_WEIGHTS)
    right = EX2_EPS * np.abs(w).sum()
    if math.isclose(got[0], right, rel_tol=1e-6, abs_tol=1e-9):
        return None
    if math.isclose(got[0], EX2_EPS * w.sum(), rel_tol=1e-6, abs_tol=1e-9):
        return ("a pixel with a negative weight adds most when it moves down: each pixel "
                "contributes eps times the size of its weight.")
    if math.isclose(got[0], EX2_EPS * np.count_nonzero(w), rel_tol=1e-6) \
            or math.isclose(got[0], EX2_EPS * len(w), rel_tol=1e-6):
        return "each pixel's change of eps is multiplied by its weight before it is added."
    return "the sum changes by w · delta; choose each delta_i = ±eps to make every term positive."


@exercise("7.3")
def _straight_through(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    g = torch.Generator().manual_seed(7)
    x = torch.rand(3, 1, 5, 5, generator=g, dtype=torch.float64)
    x[0, 0, 0, :3] = torch.tensor([0.0, 1.0, 0.2], dtype=torch.float64)
    x = x.requires_grad_(True)
    out = answer(x)
    if not isinstance(out, torch.Tensor) or out.shape != x.shape:
        return "return a tensor of the same shape as x."
    if not torch.allclose(out.detach(), torch.round(x.detach())):
        return "the forward pass must give what torch.round(x) gives: 0 or 1 for every pixel."
    if not out.requires_grad:
        return ("the result carries no gradient: keep x in the computation, for example "
                "x + (something computed without a gradient).")
    weights = torch.randn(x.shape, generator=g, dtype=torch.float64)
    (grad,) = torch.autograd.grad((out * weights).sum(), x)
    if torch.allclose(grad, torch.zeros_like(grad)):
        return ("the gradient is still zero everywhere, as for torch.round itself: detach "
                "the rounding step so that only x carries the gradient.")
    if not torch.allclose(grad, weights):
        return "the backward pass must pass the gradient through unchanged, as if out were x."
    return None


def _linear_model(seed: int) -> nn.Sequential:
    g = torch.Generator().manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 2))
    with torch.no_grad():
        model[1].weight.copy_(torch.randn(2, 16, generator=g))
        model[1].bias.zero_()
    return model


@exercise("7.4")
def _smallest_eps(answer: object) -> str | None:
    if not callable(answer):
        return "give your function itself (its name, without calling it)."
    model = _linear_model(4)
    g = torch.Generator().manual_seed(5)
    x = 0.35 + 0.3 * torch.rand(12, 1, 4, 4, generator=g)  # far from 0 and 1: no clipping
    with torch.no_grad():
        logits = model(x)
    y = logits.argmax(1)
    w = model[1].weight.detach()
    margin = (logits.max(1).values - logits.min(1).values)
    exact = margin / (w[1 - y] - w[y]).abs().sum(1)  # margin over the L1 norm of the difference
    keep = exact < 0.3  # what a bisection between 0 and 0.5 can find
    x, y, exact = x[keep], y[keep], exact[keep]
    got = answer(model, x, y)
    if not isinstance(got, torch.Tensor) or got.shape != (len(x),):
        return f"return a tensor with one size per image, shape ({len(x)},)."
    error = (got.detach().cpu().double() - exact.double()).abs().max().item()
    if error > 0.01:
        if (got.detach().cpu() < exact - 0.01).any():
            return ("some sizes are too small: at a size where the attack fails, the "
                    "smallest size that fools the model is larger (move the lower end up).")
        return ("some sizes are too large, or not yet narrowed down: halve the interval "
                "more often, keeping the lower end where the attack fails and the upper "
                "end where it succeeds.")
    return None
