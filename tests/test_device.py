"""device() picks where the book computes; seed() makes its random draws repeat."""

import random

import numpy as np
import pytest
import torch

import convlib
from convlib.runtime import ENV_VAR

ALLOWED = r"must be 'cpu', 'cuda' or 'cuda:N'"


def test_env_var_name():
    assert ENV_VAR == "CONVLIB_DEVICE"


def test_unset_is_cuda_when_available(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert convlib.device() == torch.device(expected)


@pytest.mark.parametrize("available, expected", [(True, "cuda"), (False, "cpu")])
@pytest.mark.parametrize("value", [None, "", "  "])
def test_unset_or_empty_follows_torch_cuda_is_available(monkeypatch, available, expected,
                                                         value):
    if value is None:
        monkeypatch.delenv(ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(ENV_VAR, value)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: available)
    assert convlib.device() == torch.device(expected)


@pytest.mark.parametrize("value", ["cpu", "CPU", " cpu "])
@pytest.mark.parametrize("available", [True, False])
def test_cpu_is_cpu_even_with_a_gpu(monkeypatch, value, available):
    monkeypatch.setenv(ENV_VAR, value)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: available)
    got = convlib.device()
    assert isinstance(got, torch.device)
    assert got == torch.device("cpu")


@pytest.mark.parametrize("value", ["tpu", "gpu", "mps", "cuda:x", "cuda:", "cpu:0", "cuda:-1",
                                   "cuda:0:1"])
def test_unknown_value(monkeypatch, value):
    monkeypatch.setenv(ENV_VAR, value)
    with pytest.raises(ValueError, match=rf"CONVLIB_DEVICE {ALLOWED}; got '{value}'"):
        convlib.device()


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
@pytest.mark.parametrize("value", ["cuda", "cuda:0", "CUDA:1"])
def test_cuda_without_a_gpu(monkeypatch, value):
    monkeypatch.setenv(ENV_VAR, value)
    with pytest.raises(RuntimeError, match=rf"CONVLIB_DEVICE={value.lower()} asks for a CUDA "
                                           r"GPU, but PyTorch sees none on this machine "
                                           r"\(torch.cuda.is_available\(\) is False\); unset it "
                                           r"or set it to 'cpu'"):
        convlib.device()


def test_cuda_index_beyond_the_gpus(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "cuda:3")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    with pytest.raises(RuntimeError, match=r"CONVLIB_DEVICE=cuda:3 names GPU 3, but there are "
                                           r"only 2"):
        convlib.device()


@pytest.mark.parametrize("value, expected", [("cuda", "cuda"), ("cuda:1", "cuda:1")])
def test_cuda_when_present(monkeypatch, value, expected):
    monkeypatch.setenv(ENV_VAR, value)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert convlib.device() == torch.device(expected)


def _draws():
    return (torch.randn(5), np.random.rand(5), [random.random() for _ in range(5)],
            torch.randint(0, 1000, (3,)), np.random.randint(0, 1000, 3))


def _same(first, second):
    return all(
        torch.equal(p, q) if isinstance(p, torch.Tensor) else np.array_equal(p, q)
        for p, q in zip(first, second, strict=True)
    )


@pytest.mark.parametrize("n", [0, 1, 1234, 2**32 + 5, -7])
def test_seed_makes_draws_repeat(n):
    convlib.seed(n)
    first = _draws()
    convlib.seed(n)
    again = _draws()
    assert _same(first, again)


def test_different_seeds_give_different_draws():
    convlib.seed(1)
    first = _draws()
    convlib.seed(2)
    second = _draws()
    for p, q in zip(first, second, strict=True):  # every generator was reseeded
        assert not (torch.equal(p, q) if isinstance(p, torch.Tensor) else np.array_equal(p, q))


def test_seed_makes_a_later_draw_repeat_not_only_the_first():
    convlib.seed(3)
    _draws()
    later = _draws()
    convlib.seed(3)
    _draws()
    assert _same(later, _draws())


@pytest.mark.parametrize("value, name", [("x", "str"), (1.0, "float"), (None, "NoneType"),
                                         (True, "bool"), (np.float64(2), "float64")])
def test_seed_rejects_non_ints(value, name):
    with pytest.raises(TypeError, match=rf"seed expects an int; got {name}$"):
        convlib.seed(value)
