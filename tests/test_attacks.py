"""Adversarial examples and adversarial training: FGSM against its closed form, PGD
against FGSM and its own constraints, targeted attacks, what the attacks leave alone,
robust accuracy, adversarial training, and the errors for bad input.
"""

import functools
import itertools

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.data import TensorDataset

import convlib
from convlib.learn.adversarial_training import adversarial_train
from convlib.learn.attacks import fgsm, pgd
from convlib.learn.robustness import RobustAccuracy, robust_accuracy

CPU = torch.device("cpu")
TOLERANCE = 1e-6  # float32 rounding of x + eps near 1


def _subset(data: TensorDataset, count: int) -> TensorDataset:
    return TensorDataset(*(t[:count] for t in data.tensors))


@pytest.fixture(scope="module")
def digits():
    """1,000 training and 300 test digits of the book's MNIST set."""
    split = convlib.mnist()
    return _subset(split.train, 1000), _subset(split.test, 300)


@pytest.fixture(scope="module")
def trained(digits):
    """A small CNN trained for a few seconds: about 85% right on the test digits."""
    convlib.seed(0)
    model = convlib.small_cnn(channels=(4, 8))
    convlib.train(model, digits[0], epochs=3, lr=3e-3, batch_size=32, device=CPU,
                  progress=False)
    return model


@pytest.fixture
def batch(digits):
    images, labels = digits[1].tensors
    return images[:100], labels[:100]


# -- FGSM -------------------------------------------------------------------------------

def _linear(seed: int) -> nn.Sequential:
    """A two-class linear model of 4x4 images, with small random weights."""
    g = torch.Generator().manual_seed(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 2))
    with torch.no_grad():
        model[1].weight.copy_(0.1 * torch.randn(2, 16, generator=g))
        model[1].bias.copy_(0.1 * torch.randn(2, generator=g))
    return model


@settings(max_examples=30)
@given(st.integers(0, 2**31 - 1), st.floats(0.01, 0.2))
def test_fgsm_is_its_closed_form_on_a_linear_model(seed, eps):
    # For two classes the loss's gradient is p_other (w_other - w_true): its sign is
    # that of the difference of the two weight rows, pointing away from the true class.
    model = _linear(seed)
    g = torch.Generator().manual_seed(seed + 1)
    x = eps + (1 - 2 * eps) * torch.rand(6, 1, 4, 4, generator=g)  # no pixel gets clipped
    y = torch.randint(0, 2, (6,), generator=g)
    w = model[1].weight.detach()
    away = torch.sign(w[1 - y] - w[y]).reshape(x.shape)
    assert torch.allclose(fgsm(model, x, y, eps), x + eps * away, atol=TOLERANCE)
    # aimed at the other class, it moves the same way; aimed at the true class, back
    assert torch.allclose(fgsm(model, x, 1 - y, eps, targeted=True), x + eps * away,
                          atol=TOLERANCE)
    assert torch.allclose(fgsm(model, x, y, eps, targeted=True), x - eps * away, atol=TOLERANCE)
    # anywhere in [0, 1], the step is clipped to [0, 1]
    x = torch.rand(6, 1, 4, 4, generator=g)
    expected = (x + eps * torch.sign(w[1 - y] - w[y]).reshape(x.shape)).clamp(0, 1)
    assert torch.allclose(fgsm(model, x, y, eps), expected, atol=TOLERANCE)


# -- PGD --------------------------------------------------------------------------------

@pytest.mark.parametrize("random_start", [True, False])
def test_pgd_iterates_stay_in_the_ball_and_in_0_1(trained, batch, random_start):
    x, y = batch
    eps = 0.1
    for steps in range(1, 5):  # the same start each time: these are iterates 1 to 4
        adv = pgd(trained, x, y, eps, alpha=0.04, steps=steps, random_start=random_start,
                  generator=torch.Generator().manual_seed(0))
        moved = (adv - x).abs().max().item()
        assert moved <= eps + TOLERANCE
        assert adv.min() >= 0 and adv.max() <= 1
        if steps * 0.04 > eps:  # far enough to reach the edge of the ball
            assert moved >= eps - TOLERANCE


@pytest.mark.parametrize("targeted", [False, True])
@pytest.mark.parametrize("eps", [0.05, 0.1, 0.3])
def test_one_pgd_step_of_eps_from_x_is_fgsm(trained, batch, eps, targeted):
    x, y = batch
    y = (y + 3) % 10 if targeted else y
    one_step = pgd(trained, x, y, eps, alpha=eps, steps=1, random_start=False,
                   targeted=targeted)
    assert torch.equal(one_step, fgsm(trained, x, y, eps, targeted=targeted))


def test_pgd_is_at_least_as_strong_as_fgsm(trained, digits):
    test = digits[1]
    eps = (0.05, 0.1, 0.2, 0.3)
    one = robust_accuracy(trained, test, fgsm, eps, device=CPU, progress=False)
    many = robust_accuracy(trained, test, functools.partial(pgd, steps=10), eps, device=CPU,
                           progress=False)
    assert all(p <= f for p, f in zip(many.accuracy, one.accuracy, strict=True))
    assert sum(many.accuracy) < sum(one.accuracy)


def test_targeted_attacks_reach_their_target_far_more_often_than_chance(trained, batch):
    x, y = batch
    target = (y + 1) % 10
    hit = {}
    for name, adv in [
        ("pgd", pgd(trained, x, target, 0.2, steps=10, targeted=True)),
        ("fgsm", fgsm(trained, x, target, 0.2, targeted=True)),
        ("pgd, untargeted", pgd(trained, x, target, 0.2, steps=10)),  # away from it
    ]:
        with torch.no_grad():
            hit[name] = (trained(adv).argmax(1) == target).float().mean().item()
    assert hit["pgd"] > 0.5 and hit["fgsm"] > 0.25  # chance: 0.1
    assert hit["pgd, untargeted"] < 0.05


# -- what the attacks leave alone ----------------------------------------------------------

class _ModeSpy(nn.Module):
    """Records whether it was in training mode at each forward pass."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[bool] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append(self.training)
        return x


def _mixed_model() -> nn.Sequential:
    """A model in training mode but for its BatchNorm, with a gradient on one weight."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.BatchNorm1d(8), nn.Dropout(0.5),
                          _ModeSpy(), nn.ReLU(), nn.Linear(8, 3))
    model.train()
    model[2].eval()
    model[1].weight.grad = torch.full((8, 16), 0.5)
    return model


@pytest.mark.parametrize("attack", [
    functools.partial(fgsm, eps=0.1),
    functools.partial(pgd, eps=0.1, steps=3),
    functools.partial(pgd, eps=0.1, alpha=0.05, steps=2, random_start=False, targeted=True),
])
def test_attacks_leave_the_model_and_x_as_they_were(attack):
    model = _mixed_model()
    modes = [m.training for m in model.modules()]
    state = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.rand(5, 1, 4, 4, requires_grad=True)
    before = x.detach().clone()
    adv = attack(model, x, torch.tensor([0, 1, 2, 0, 1]))
    assert model[4].seen and not any(model[4].seen)  # the attack ran in evaluation mode
    assert [m.training for m in model.modules()] == modes
    assert torch.equal(model[1].weight.grad, torch.full((8, 16), 0.5))
    assert all(p.grad is None for name, p in model.named_parameters() if name != "1.weight")
    assert all(torch.equal(v, state[k]) for k, v in model.state_dict().items())
    assert torch.equal(x.detach(), before) and x.grad is None
    assert not adv.requires_grad and not torch.equal(adv, before)
    with torch.no_grad():  # the attack makes its own gradients
        assert not torch.equal(attack(model, x, torch.tensor([0, 1, 2, 0, 1])), before)


def test_robust_accuracy_runs_in_evaluation_mode_and_gives_modes_back(digits):
    model = _mixed_model()
    model[-1] = nn.Linear(8, 10)
    model.insert(0, nn.AdaptiveAvgPool2d(4))
    modes = [m.training for m in model.modules()]
    robust_accuracy(model, _subset(digits[1], 20), fgsm, [0.1], device=CPU, progress=False)
    assert [m.training for m in model.modules()] == modes
    spy = next(m for m in model.modules() if isinstance(m, _ModeSpy))
    assert len(spy.seen) == 2 and not any(spy.seen)  # the attack and the prediction


# -- the random start ---------------------------------------------------------------------

def test_pgd_random_start_is_repeatable_with_a_seed(trained, batch):
    x, y = batch

    def run(seed, **settings):
        return pgd(trained, x, y, 0.1, steps=2, generator=torch.Generator().manual_seed(seed),
                   **settings)

    assert torch.equal(run(0), run(0))
    assert not torch.equal(run(0), run(1))
    assert torch.equal(run(0, random_start=False), run(1, random_start=False))
    convlib.seed(3)  # without a generator, convlib.seed fixes the start
    first = pgd(trained, x, y, 0.1, steps=2)
    convlib.seed(3)
    assert torch.equal(first, pgd(trained, x, y, 0.1, steps=2))


def test_pgd_random_start_is_uniform_in_the_ball():
    x = torch.full((400, 1, 5, 5), 0.5)  # far from 0 and 1: nothing is clipped
    y = torch.zeros(400, dtype=torch.int64)
    model = nn.Sequential(nn.Flatten(), nn.Linear(25, 2))
    eps, alpha = 0.2, 1e-6  # one tiny step: the result is the start
    offset = (pgd(model, x, y, eps, alpha=alpha, steps=1) - x).flatten()
    assert offset.abs().max() <= eps + alpha + TOLERANCE
    quartiles = offset.quantile(torch.tensor([0.25, 0.5, 0.75]))
    assert torch.allclose(quartiles, torch.tensor([-eps / 2, 0.0, eps / 2]), atol=0.01)


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_attacks_on_cuda_start_where_they_would_on_the_cpu(trained, batch):
    x, y = batch
    model = convlib.small_cnn(channels=(4, 8))
    model.load_state_dict(trained.state_dict())
    gpu = model.cuda()
    adv = fgsm(gpu, x.cuda(), y.cuda(), 0.1)
    assert adv.device.type == "cuda" and adv.shape == x.shape
    alpha = 1e-4  # one tiny step after the start: the start decides the result
    on_gpu = pgd(gpu, x.cuda(), y.cuda(), 0.1, alpha=alpha, steps=1,
                 generator=torch.Generator().manual_seed(0))
    on_cpu = pgd(trained, x, y, 0.1, alpha=alpha, steps=1,
                 generator=torch.Generator().manual_seed(0))
    assert (on_gpu.cpu() - on_cpu).abs().max() <= 2 * alpha + TOLERANCE
    with pytest.raises(ValueError, match="the model is on cuda:0 but x is on cpu"):
        fgsm(gpu, x, y, 0.1)


# -- robust accuracy ----------------------------------------------------------------------

def test_robust_accuracy_starts_at_the_accuracy_and_falls(trained, digits):
    test = digits[1]
    clean = convlib.evaluate(trained, test, batch_size=100, device=CPU)
    eps = (0.0, 0.05, 0.1, 0.2)
    for attack in (fgsm, functools.partial(pgd, steps=5)):
        result = robust_accuracy(trained, test, attack, eps, batch_size=100, device=CPU,
                                 progress=False)
        assert isinstance(result, RobustAccuracy)
        assert result.eps == eps and result.examples == 300
        assert result.accuracy[0] == clean > 0.75
        assert all(a > b for a, b in itertools.pairwise(result.accuracy))
        assert result.accuracy[-1] < clean / 2
        assert result.as_rows()[2] == {"eps": 0.1, "accuracy": result.accuracy[2]}
    assert result.attack == "pgd(steps=5)"
    lines = str(result).splitlines()
    assert lines[0] == "pgd(steps=5) on 300 images" and len(lines) == 2 + len(eps)
    assert lines[-1].split() == ["0.200", f"{result.accuracy[-1]:.1%}"]


# -- adversarial training -----------------------------------------------------------------

def test_adversarial_training_is_deterministic(digits):
    small = _subset(digits[0], 256)
    runs = []
    for seed in (0, 0, 1):
        convlib.seed(seed)
        model = convlib.mlp(hidden=16)
        history = adversarial_train(model, small, epochs=2, lr=3e-3, batch_size=32, eps=0.1,
                                    alpha=0.05, steps=2, device=CPU, progress=False)
        assert len(history.loss) == len(history.accuracy) == 2
        assert not model.training
        runs.append((model.state_dict(), history))
    (first, h0), (second, h1), (other, _) = runs
    assert all(torch.equal(first[k], second[k]) for k in first) and h0 == h1
    assert not torch.equal(first["1.weight"], other["1.weight"])


def test_adversarial_training_raises_robust_accuracy(digits):
    train, test = digits
    attack = functools.partial(pgd, steps=10)
    robust = {}
    for name in ("standard", "adversarial"):
        convlib.seed(0)
        model = convlib.mlp(hidden=64)
        settings = {"epochs": 6, "lr": 3e-3, "batch_size": 32, "device": CPU, "progress": False}
        if name == "standard":
            convlib.train(model, train, **settings)
        else:
            adversarial_train(model, train, eps=0.1, alpha=None, steps=3, **settings)
        robust[name] = robust_accuracy(model, test, attack, [0, 0.1], device=CPU,
                                       progress=False).accuracy
    assert robust["adversarial"][0] > 0.7  # it still learned the digits
    assert robust["adversarial"][1] > robust["standard"][1] + 0.2


# -- bad input ----------------------------------------------------------------------------

def _valid() -> dict:
    return {"model": _linear(0), "x": torch.rand(4, 1, 4, 4), "y": torch.tensor([0, 1, 1, 0]),
            "eps": 0.1}


class _ThreeD(nn.Module):
    def forward(self, x):
        return x.flatten(1)[:, None, :2]


@pytest.mark.parametrize("attack", [fgsm, functools.partial(pgd, steps=2, alpha=0.05)],
                         ids=["fgsm", "pgd"])
@pytest.mark.parametrize("change, error, pattern", [
    ({"eps": -0.1}, ValueError, r"eps must be a finite number >= 0 .*got -0.1"),
    ({"eps": float("inf")}, ValueError, "eps must be a finite number"),
    ({"eps": "0.1"}, ValueError, "eps must be"),
    ({"x": torch.rand(4, 1, 4, 4) * 2}, ValueError, r"images must lie in \[0, 1\]"),
    ({"x": torch.full((4, 1, 4, 4), float("nan"))}, ValueError, r"must lie in \[0, 1\]"),
    ({"x": torch.ones(4, 1, 4, 4, dtype=torch.uint8)}, TypeError,
     "x must be a floating-point tensor .*torch.uint8"),
    ({"x": [[0.5] * 16] * 4}, TypeError, "floating-point tensor of images; got list"),
    ({"x": torch.rand(16)}, ValueError, "batch of images"),
    ({"y": torch.tensor([0, 1, 1])}, ValueError, r"one label per image, shape \(4,\); got.*\(3,\)"),
    ({"y": torch.zeros(4, 1, dtype=torch.int64)}, ValueError, "one label per image"),
    ({"y": torch.zeros(4)}, TypeError, "int class labels; got a torch.float32"),
    ({"y": torch.tensor([0, 1, 2, 0])}, ValueError, "classes 0 to 1 .*2 outputs.*0 to 2"),
    ({"model": _ThreeD()}, ValueError, r"logits of shape \(batch, classes\).*\(4, 1, 2\)"),
    ({"model": lambda x: x}, TypeError, "model must be a torch.nn.Module; got function"),
])
def test_attacks_bad_input(attack, change, error, pattern):
    args = {**_valid(), **change}
    with pytest.raises(error, match=pattern):
        attack(args["model"], args["x"], args["y"], args["eps"])


@pytest.mark.parametrize("settings, error, pattern", [
    ({"alpha": 0.0}, ValueError, "alpha must be a finite number > 0 .*got 0.0"),
    ({"alpha": -0.01}, ValueError, "alpha must be"),
    ({"steps": 0}, ValueError, "steps must be an int >= 1; got 0"),
    ({"steps": 2.0}, ValueError, "steps must be an int"),
    ({"generator": 0}, TypeError, "generator must be a torch.Generator or None; got int"),
])
def test_pgd_bad_settings(settings, error, pattern):
    args = _valid()
    with pytest.raises(error, match=pattern):
        pgd(args["model"], args["x"], args["y"], 0.1, **{"alpha": 0.01, "steps": 2, **settings})


def _cheat(model, x, y, eps):
    return (x + 2 * eps).clamp(0, 1)


@pytest.mark.parametrize("attack, eps_values, settings, error, pattern", [
    ("fgsm", [0.1], {}, TypeError, "attack must be callable .*got str"),
    (fgsm, [], {}, ValueError, "at least one perturbation size"),
    (fgsm, [0.1, -0.2], {}, ValueError, "eps must be a finite number >= 0"),
    (fgsm, [0.1], {"batch_size": 0}, ValueError, "batch_size must be a positive int"),
    (_cheat, [0.1], {}, ValueError, "_cheat changed a pixel by 0.2, more than its budget"),
    (lambda m, x, y, eps: x[:, 0], [0.1], {}, ValueError, r"shape \(4, 1, 4, 4\); got \(4, 4, 4\)"),
])
def test_robust_accuracy_bad_input(attack, eps_values, settings, error, pattern):
    args = _valid()
    data = TensorDataset(args["x"], args["y"])
    with pytest.raises(error, match=pattern):
        robust_accuracy(args["model"], data, attack, eps_values, device=CPU, progress=False,
                        **settings)


@pytest.mark.parametrize("settings, pattern", [
    ({"epochs": 0}, "epochs must be a positive int"),
    ({"eps": -0.1}, "eps must be a finite number >= 0"),
    ({"alpha": 0}, "alpha must be"),
    ({"steps": 0}, "steps must be an int >= 1"),
])
def test_adversarial_train_bad_input(settings, pattern):
    args = _valid()
    valid = {"epochs": 1, "lr": 1e-3, "batch_size": 2, "eps": 0.1, "alpha": 0.05, "steps": 1}
    with pytest.raises(ValueError, match=pattern):
        adversarial_train(args["model"], TensorDataset(args["x"], args["y"]),
                          **{**valid, **settings}, device=CPU, progress=False)
