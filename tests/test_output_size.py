"""output_size and same_padding agree with the shapes PyTorch produces."""

import itertools
import re
import warnings

import pytest
import torch
from torch.nn import functional as nnf

import convlib

SWEEP = list(itertools.product(range(1, 13), range(1, 6), range(1, 4), range(0, 4),
                               range(1, 4)))  # n, kernel_size, stride, padding, dilation


def _torch_length(n, k, s, p, d):
    """The output length torch's conv1d gives, or None when torch refuses."""
    before, after = (p, p) if isinstance(p, int) else p
    x = nnf.pad(torch.zeros(1, 1, n), (before, after))
    try:
        return nnf.conv1d(x, torch.zeros(1, 1, k), stride=s, dilation=d).shape[-1]
    except RuntimeError:
        return None


def test_output_size_matches_torch_over_a_sweep():
    checked = refused = 0
    mismatches = []
    for n, k, s, p, d in SWEEP:
        expected = _torch_length(n, k, s, p, d)
        if expected is None:  # the dilated kernel does not fit: convlib refuses too
            refused += 1
            with pytest.raises(ValueError, match=r"kernel spans"):
                convlib.output_size(n, k, s, p, d)
            continue
        checked += 1
        got = convlib.output_size(n, k, stride=s, padding=p, dilation=d)
        if got != expected:
            mismatches.append(((n, k, s, p, d), got, expected))
    assert not mismatches, f"(n, k, s, p, d), convlib, torch: {mismatches[:10]}"
    assert checked > 1000 and refused > 50  # the sweep covers both sides of the limit


@pytest.mark.parametrize("n", [1, 4, 7])
@pytest.mark.parametrize("pair", [(0, 1), (2, 0), (1, 3), (3, 3)])
@pytest.mark.parametrize("s", [1, 2, 3])
def test_output_size_with_before_after_padding(n, pair, s):
    for k, d in itertools.product(range(1, 5), range(1, 3)):
        expected = _torch_length(n, k, s, pair, d)
        if expected is not None:
            assert convlib.output_size(n, k, s, pair, d) == expected


@pytest.mark.parametrize("n", [1, 6, 9])
@pytest.mark.parametrize("k", [1, 2, 3, 4])
@pytest.mark.parametrize("method", convlib.GENERAL_METHODS)
def test_output_size_matches_convlibs_own_output(n, k, method):
    x, w = torch.randn(1, 1, n, n + 1), torch.randn(1, 1, k, k)
    for s, p, d in itertools.product(range(1, 4), range(0, 3), range(1, 3)):
        if d * (k - 1) + 1 > n + 2 * p:
            continue
        out = convlib.conv2d(x, w, stride=s, padding=p, dilation=d, method=method)
        assert out.shape[-2:] == (convlib.output_size(n, k, s, p, d),
                                  convlib.output_size(n + 1, k, s, p, d))


@pytest.mark.parametrize("kwargs, error, pattern", [
    ({"n": 0}, ValueError, r"n must be at least 1; got 0"),
    ({"kernel_size": 0}, ValueError, r"kernel_size must be at least 1; got 0"),
    ({"stride": 0}, ValueError, r"stride must be at least 1; got 0"),
    ({"dilation": -1}, ValueError, r"dilation must be at least 1; got -1"),
    ({"n": 5.0}, TypeError, r"n must be an int; got 5.0"),
    ({"kernel_size": "3"}, TypeError, r"kernel_size must be an int; got '3'"),
    ({"stride": True}, TypeError, r"stride must be an int; got True"),
    ({"padding": -1}, ValueError, r"padding must not be negative; got -1"),
    ({"padding": (0, -2)}, ValueError, r"padding must not be negative; got \(0, -2\)"),
    ({"padding": (1, 2, 3)}, TypeError,
     r"padding must be an int or a \(before, after\) pair of ints; got \(1, 2, 3\)"),
    ({"padding": 1.5}, TypeError, r"padding must be an int or a \(before, after\) pair"),
    ({"padding": "same"}, TypeError, r"got 'same'"),
    ({"n": 4, "kernel_size": 3, "dilation": 3}, ValueError,
     r"the kernel spans 7 \(kernel_size=3, dilation=3\) but the padded input is only 4 long "
     r"\(n=4, padding=0\)"),
    ({"n": 4, "kernel_size": 9, "padding": (2, 1)}, ValueError,
     r"the kernel spans 9 .* only 7 long \(n=4, padding=\(2, 1\)\)"),
])
def test_output_size_errors(kwargs, error, pattern):
    args = {"n": 5, "kernel_size": 3, **kwargs}
    with pytest.raises(error, match=pattern):
        convlib.output_size(**args)


@pytest.mark.parametrize("k", range(1, 7))
@pytest.mark.parametrize("d", range(1, 4))
def test_same_padding_matches_torch_same(k, d):
    before, after = convlib.same_padding(k, d)
    assert before + after == d * (k - 1)
    assert 0 <= after - before <= 1  # an odd total puts the extra pixel after

    n = 9
    gen = torch.Generator().manual_seed(100 * k + d)
    x, w = torch.randn(2, 2, n, generator=gen), torch.randn(3, 2, k, generator=gen)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*padding='same'.*", category=UserWarning)
        expected = nnf.conv1d(x, w, padding="same", dilation=d)
    assert expected.shape[-1] == n
    ours = nnf.conv1d(nnf.pad(x, (before, after)), w, dilation=d)
    torch.testing.assert_close(ours, expected, rtol=1e-5, atol=1e-5)
    if before != after:  # the other placement of the extra pixel is really different
        mirrored = nnf.conv1d(nnf.pad(x, (after, before)), w, dilation=d)
        assert not torch.allclose(mirrored, expected, atol=1e-3)


@pytest.mark.parametrize("kernel", [(2, 3), (4, 1), (3, 3), (2, 2)])
@pytest.mark.parametrize("dilation", [(1, 1), (2, 1), (1, 3)])
@pytest.mark.parametrize("method", convlib.GENERAL_METHODS)
def test_same_keeps_the_size_in_2d(kernel, dilation, method):
    x = torch.randn(1, 2, 7, 8, generator=torch.Generator().manual_seed(sum(kernel)))
    w = torch.randn(2, 2, *kernel, generator=torch.Generator().manual_seed(7))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*padding='same'.*", category=UserWarning)
        expected = nnf.conv2d(x, w, padding="same", dilation=dilation)
    got = convlib.conv2d(x, w, padding="same", dilation=dilation, method=method)
    assert got.shape == x.shape[:1] + (2,) + x.shape[2:] == expected.shape
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("k, d", [(0, 1), (3, 0), (-1, 2)])
def test_same_padding_errors(k, d):
    with pytest.raises(ValueError, match=re.escape(
            f"kernel_size and dilation must be at least 1; got {k} and {d}")):
        convlib.same_padding(k, d)
