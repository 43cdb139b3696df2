"""Chapter 7's pictures and the numbers they draw: predictions with their confidence,
attack galleries, one image attacked at several sizes, targeted success per pair of
classes, random sign noise, the figures drawn from them, and the exercises'
self-checks.
"""

import functools
import io
from contextlib import redirect_stdout

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.colors import to_hex
from torch import nn
from torch.nn import functional as nnf
from torch.utils.data import TensorDataset

import convlib as cl
from convlib.learn.robustness import RobustAccuracy

matplotlib.use("Agg")
CPU = torch.device("cpu")



def _pixel_classifier() -> nn.Sequential:
    """Ten classes on 4x4 images: the logit of class c is 10 times pixel c (counted row
    by row), so an image is classified by its brightest pixel among the first ten."""
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 10, bias=False))
    with torch.no_grad():
        model[1].weight.zero_()
        model[1].weight[:, :10] = 10 * torch.eye(10)
    return model.eval()


def _pixel_digits(per_class: int = 3) -> TensorDataset:
    """Images of class c: pixel c at 0.6, every other pixel at 0.3."""
    labels = torch.arange(10).repeat(per_class)
    images = torch.full((len(labels), 1, 4, 4), 0.3)
    images.view(len(labels), 16)[torch.arange(len(labels)), labels] = 0.6
    return TensorDataset(images, labels)


def _check_width(fig) -> None:
    assert fig.get_figwidth() <= cl.style.COLUMN_INCHES + 1e-9
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert min(t.get_fontsize() for t in texts) >= cl.style.MIN_FONTSIZE


# -- predictions ----------------------------------------------------------------------

def test_predict_gives_the_top_class_and_its_softmax_probability():
    model = _pixel_classifier()
    model.train()  # predict runs in evaluation mode and gives the mode back
    images, labels = _pixel_digits().tensors
    prediction = cl.predict(model, images, batch_size=7, device=CPU)
    assert torch.equal(prediction.label, labels)
    expected = nnf.softmax(model(images), dim=1).max(dim=1).values
    assert torch.allclose(prediction.confidence, expected)
    assert model.training
    with pytest.raises(ValueError, match=r"\(N, channels, height, width\)"):
        cl.predict(model, images[0], device=CPU)
    with pytest.raises(TypeError, match="torch.nn.Module"):
        cl.predict(lambda x: x, images, device=CPU)


# -- the gallery and the sweep ----------------------------------------------------------

def test_attack_gallery_keeps_images_attacks_and_both_predictions():
    model = _pixel_classifier()
    images, labels = _pixel_digits().tensors
    gallery = cl.attack_gallery(model, images, labels, cl.fgsm, eps=0.2, device=CPU)
    assert torch.equal(gallery.images, images)
    assert torch.equal(gallery.adversarial, cl.fgsm(model, images, labels, 0.2))
    assert gallery.perturbation.abs().max() <= 0.2 + 1e-6
    assert gallery.attack == "fgsm" and gallery.eps == 0.2
    assert torch.equal(gallery.before.label, labels)
    # one step of 0.2 lowers the true pixel to 0.4 and raises the others to 0.5: all fooled
    assert gallery.fooled.all() and not (gallery.after.label == labels).any()
    weak = cl.attack_gallery(model, images, labels, cl.fgsm, eps=0.1, device=CPU)
    assert not weak.fooled.any()  # 0.5 against 0.4: the true pixel still wins
    with pytest.raises(ValueError, match="labels must be a tensor of shape"):
        cl.attack_gallery(model, images, labels[:3], cl.fgsm, eps=0.1, device=CPU)
    with pytest.raises(ValueError, match="eps must be"):
        cl.attack_gallery(model, images, labels, cl.fgsm, eps=-1, device=CPU)

    def cheat(model, x, y, eps):
        return (x + 2 * eps).clamp(0, 1)

    with pytest.raises(ValueError, match="more than eps"):
        cl.attack_gallery(model, images, labels, cheat, eps=0.1, device=CPU)


def test_eps_sweep_attacks_one_image_at_every_size():
    model = _pixel_classifier()
    images, labels = _pixel_digits().tensors
    attacks = {"FGSM": cl.fgsm, "PGD": functools.partial(cl.pgd, steps=5)}
    sizes = (0, 0.05, 0.1, 0.2)
    sweep = cl.eps_sweep(model, images[4], int(labels[4]), attacks, sizes, device=CPU)
    assert sweep.images.shape == (2, 4, 1, 4, 4) and sweep.attacks == ("FGSM", "PGD")
    assert torch.equal(sweep.images[0, 0], images[4])  # eps = 0 changes nothing
    for row, size in zip(sweep.images.transpose(0, 1), sizes, strict=True):
        assert (row - images[4]).abs().max() <= size + 1e-6
    assert sweep.first_fooled("FGSM") == 0.2 and sweep.first_fooled("PGD") == 0.2
    never = cl.eps_sweep(model, images[4], int(labels[4]), {"FGSM": cl.fgsm}, (0, 0.1),
                         device=CPU)
    assert never.first_fooled("FGSM") is None
    with pytest.raises(ValueError, match="one image"):
        cl.eps_sweep(model, images[:2], 0, attacks, sizes, device=CPU)
    with pytest.raises(ValueError, match="at least one size and one attack"):
        cl.eps_sweep(model, images[4], 4, {}, sizes, device=CPU)


# -- targeted attacks and noise ---------------------------------------------------------

def test_targeted_success_counts_each_pair_of_classes():
    model = _pixel_classifier()
    data = _pixel_digits(per_class=3)
    torch.manual_seed(0)
    strong = cl.targeted_success(model, data, eps=0.2, per_class=2, steps=5, device=CPU)
    assert strong.rate.shape == (10, 10) and strong.per_class == 2 and strong.steps == 5
    assert torch.isnan(strong.rate.diagonal()).all()
    off = ~torch.eye(10, dtype=torch.bool)
    assert (strong.rate[off] == 1).all() and strong.overall == 1.0  # 0.5 beats 0.4
    weak = cl.targeted_success(model, data, eps=0.1, per_class=2, steps=5, device=CPU)
    assert (weak.rate[off] == 0).all() and weak.overall == 0.0  # 0.4 never beats 0.5
    with pytest.raises(ValueError, match="only 3 correctly classified images of class 0"):
        cl.targeted_success(model, data, eps=0.1, per_class=4, steps=1, device=CPU)
    with pytest.raises(ValueError, match="steps must be a positive int"):
        cl.targeted_success(model, data, eps=0.1, per_class=1, steps=0, device=CPU)


def test_random_sign_noise_moves_every_pixel_by_eps_with_random_signs():
    x = torch.full((50, 1, 4, 4), 0.5)
    torch.manual_seed(0)
    noisy = cl.random_sign_noise(None, x, None, 0.1)
    assert torch.allclose((noisy - x).abs(), torch.full_like(x, 0.1))
    assert 0.4 < (noisy > x).float().mean() < 0.6
    torch.manual_seed(0)
    assert torch.equal(noisy, cl.random_sign_noise(None, x, None, 0.1))
    edges = cl.random_sign_noise(None, torch.tensor([[[[0.0, 1.0]]]]).repeat(20, 1, 1, 1),
                                 None, 0.3)
    assert edges.min() >= 0 and edges.max() <= 1
    result = cl.robust_accuracy(_pixel_classifier(), _pixel_digits(), cl.random_sign_noise,
                                [0.1], device=CPU, progress=False)
    assert result.attack == "random_sign_noise"


# -- the figures ------------------------------------------------------------------------

def test_show_gallery_marks_wrong_predictions_and_fits_the_column():
    model = _pixel_classifier()
    images, labels = _pixel_digits().tensors
    gallery = cl.attack_gallery(model, images, labels, cl.fgsm, eps=0.2, device=CPU)
    fig = cl.show_gallery(gallery, shown=6)
    _check_width(fig)
    assert len([ax for ax in fig.axes if ax.images]) == 3 * 6  # the colour bar has none
    wrong = [ax.title for ax in fig.axes if ax.get_title() and
             to_hex(ax.title.get_color()) == "#b2182b"]
    assert len(wrong) == 6  # every attacked digit is fooled
    with pytest.raises(ValueError, match="1 to 9 images"):
        cl.show_gallery(gallery, shown=12)
    with pytest.raises(TypeError, match="attack_gallery"):
        cl.show_gallery(images)


def test_show_eps_sweep_draws_one_tile_per_attack_and_size():
    model = _pixel_classifier()
    images, labels = _pixel_digits().tensors
    sweep = cl.eps_sweep(model, images[1], 1, {"FGSM": cl.fgsm}, (0, 0.1, 0.2), device=CPU)
    fig = cl.show_eps_sweep(sweep)
    _check_width(fig)
    assert len(fig.axes) == 3
    assert [ax.get_title() for ax in fig.axes] == ["ε = 0", "ε = 0.1", "ε = 0.2"]
    with pytest.raises(TypeError, match="eps_sweep"):
        cl.show_eps_sweep({"FGSM": images})


def test_plot_robust_accuracy_starts_each_line_at_the_clean_accuracy():
    curve = RobustAccuracy("fgsm", (0.1, 0.2), (0.8, 0.4), 100)
    lines = {"FGSM": curve, "PGD": RobustAccuracy("pgd", (0.1, 0.2), (0.7, 0.1), 100)}
    fig = cl.plot_robust_accuracy({"CNN": lines, "dense": {"FGSM": curve}}, {"CNN": 0.9})
    _check_width(fig)
    cnn, dense = fig.axes
    assert [list(line.get_xdata()) for line in cnn.lines] == [[0, 0.1, 0.2]] * 2
    assert list(cnn.lines[1].get_ydata()) == pytest.approx([90, 70, 10])
    assert list(dense.lines[0].get_xdata()) == [0.1, 0.2]  # no clean accuracy given
    assert to_hex(cnn.lines[1].get_color()) == cl.style.edge("input")
    with pytest.raises(ValueError, match="curves must map"):
        cl.plot_robust_accuracy({})
    with pytest.raises(TypeError, match="robust_accuracy returns"):
        cl.plot_robust_accuracy({"CNN": {"FGSM": [0.8, 0.4]}})


def test_show_targeted_writes_every_rate_and_the_means():
    rate = torch.full((10, 10), 0.5, dtype=torch.float64)
    rate[3, 8] = 1.0
    rate.fill_diagonal_(float("nan"))
    success = cl.TargetedSuccess(rate, eps=0.2, steps=5, per_class=2)
    fig = cl.show_targeted(success)
    _check_width(fig)
    table = fig.axes[0]
    numbers = [t.get_text() for t in table.texts]
    assert numbers.count("") == 10 and numbers.count("100") == 1 and numbers.count("50") == 89
    assert [t.get_text() for t in fig.axes[2].texts][8] == f"{100 * (8 * 0.5 + 1) / 9:.0f}"
    with pytest.raises(TypeError, match="targeted_success"):
        cl.show_targeted(rate)


def test_show_transfer_draws_a_bar_per_model_and_version():
    accuracies = {"CNN": {"clean": 0.95, "random noise": 0.9, "FGSM from the CNN": 0.4,
                          "PGD from the CNN": 0.05},
                  "dense": {"clean": 0.9, "random noise": 0.7, "FGSM from the CNN": 0.4,
                            "PGD from the CNN": 0.3}}
    fig = cl.show_transfer(accuracies)
    _check_width(fig)
    ax = fig.axes[0]
    assert len(ax.patches) == 8
    assert [t.get_text() for t in ax.texts][:2] == ["95", "90"]
    colours = [to_hex(p.get_facecolor()) for p in ax.patches[::2]]
    assert colours == [cl.attack_colour(v) for v in accuracies["CNN"]]
    with pytest.raises(ValueError, match="same versions"):
        cl.show_transfer({"a": {"clean": 1.0}, "b": {"noise": 1.0}})
    with pytest.raises(ValueError, match="accuracies must map"):
        cl.show_transfer({})


def test_attack_colours_follow_the_book_roles():
    assert cl.attack_colour("PGD from the CNN") == cl.style.edge("input")
    assert cl.attack_colour("FGSM") == cl.style.edge("kernel")
    assert cl.attack_colour("random noise") == cl.style.edge("padding")
    assert cl.attack_colour("clean") == cl.style.fill("input")


# -- the self-checks --------------------------------------------------------------------

def _verdict(label: str, answer: object) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        cl.check(label, answer)
    return out.getvalue()


def test_selfcheck_fgsm_by_hand_and_linear_budget():
    from convlib.selfcheck.adversarial import (
        EX1_EPS,
        EX1_GRADIENT,
        EX1_PIXELS,
        EX2_EPS,
        EX2_WEIGHTS,
    )

    x, g = np.array(EX1_PIXELS), np.array(EX1_GRADIENT)
    assert "correct" in _verdict("7.1", np.clip(x + EX1_EPS * np.sign(g), 0, 1))
    assert "clip" in _verdict("7.1", x + EX1_EPS * np.sign(g))
    assert "sign" in _verdict("7.1", np.clip(x + EX1_EPS * g, 0, 1))
    assert "no answer yet" in _verdict("7.1", None)
    w = np.array(EX2_WEIGHTS)
    assert "correct" in _verdict("7.2", EX2_EPS * np.abs(w).sum())
    assert "negative weight" in _verdict("7.2", EX2_EPS * w.sum())
    assert "not yet" in _verdict("7.2", 1.0)


def test_selfcheck_straight_through():
    def right(x):
        return torch.round(x).detach() + x - x.detach()

    assert "correct" in _verdict("7.3", right)
    assert "still zero" in _verdict("7.3", torch.round)
    assert "no gradient" in _verdict("7.3", lambda x: torch.round(x).detach())
    assert "torch.round" in _verdict("7.3", lambda x: x)


def test_selfcheck_smallest_eps_accepts_a_bisection_and_rejects_wrong_sizes():
    def bisection(model, x, y, rounds=8):
        low, high = torch.zeros(len(x)), torch.full((len(x),), 0.5)
        for _ in range(rounds):
            middle = (low + high) / 2
            wrong = torch.tensor([model(cl.fgsm(model, x[i:i + 1], y[i:i + 1],
                                                float(m))).argmax(1).item() != y[i]
                                  for i, m in enumerate(middle)])
            low, high = torch.where(wrong, low, middle), torch.where(wrong, middle, high)
        return high

    assert "correct" in _verdict("7.4", bisection)
    assert "too small" in _verdict("7.4", lambda model, x, y: torch.zeros(len(x)))
    assert "too large" in _verdict("7.4", lambda model, x, y: torch.full((len(x),), 0.5))
    assert "shape" in _verdict("7.4", lambda model, x, y: 0.1)
