"""Chapter 4's additions to convlib: the convolution's matrix against PyTorch, the edge
kernels, shifting and equivariance, pixel shuffles, feature visualisation, the
ResNet-50 count against real layers, the figures, the self-checks, and repeatable
training.
"""

import io
import re
from contextlib import redirect_stdout

import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from IPython.display import HTML
from torch import nn
from torch.nn import functional as nnf
from torch.utils.data import TensorDataset

import convlib

matplotlib.use("Agg")



# -- conv_matrix ----------------------------------------------------------------------

@st.composite
def _convolutions(draw):
    """A kernel of 2, 3 or 4 axes, an input shape, stride, padding and dilation."""
    axes = draw(st.sampled_from([2, 3, 4]))
    c_in = 1 if axes == 2 else draw(st.integers(1, 3))
    c_out = draw(st.integers(1, 3)) if axes == 4 else 1
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    stride = draw(st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = draw(st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2))))
    dilation = draw(st.one_of(st.integers(1, 2), st.tuples(st.integers(1, 2), st.integers(1, 2))))
    kernel_shape = {2: (kh, kw), 3: (c_in, kh, kw), 4: (c_out, c_in, kh, kw)}[axes]
    input_shape = (h, w) if axes == 2 and draw(st.booleans()) else (c_in, h, w)
    return kernel_shape, input_shape, stride, padding, dilation


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


@given(_convolutions(), st.integers(0, 2**31 - 1))
def test_conv_matrix_computes_torch_conv2d(conv, seed):
    kernel_shape, input_shape, stride, padding, dilation = conv
    (ph, pw), (dh, dw) = _pair(padding), _pair(dilation)
    assume(dh * (kernel_shape[-2] - 1) < input_shape[-2] + 2 * ph)
    assume(dw * (kernel_shape[-1] - 1) < input_shape[-1] + 2 * pw)
    g = torch.Generator().manual_seed(seed)
    kernel = torch.randn(kernel_shape, generator=g, dtype=torch.float64)
    x = torch.randn(input_shape, generator=g, dtype=torch.float64)
    weight = kernel.reshape((1,) * (4 - kernel.dim()) + tuple(kernel.shape))
    batch = x.reshape((1,) * (4 - x.dim()) + tuple(x.shape))
    expected = nnf.conv2d(batch, weight, stride=stride, padding=padding, dilation=dilation)
    matrix = convlib.conv_matrix(kernel, input_shape, stride, padding, dilation)
    assert matrix.shape == (expected.numel(), x.numel())
    assert torch.allclose(matrix @ x.flatten(), expected.flatten(), atol=1e-10)


def test_conv_matrix_of_a_torch_layer_on_an_image():
    layer = nn.Conv2d(3, 5, (3, 2), stride=(2, 1), padding=(1, 0), bias=False).double()
    x = torch.rand(3, 9, 7, dtype=torch.float64)
    matrix = convlib.conv_matrix(layer.weight.detach(), (3, 9, 7), (2, 1), (1, 0))
    assert torch.allclose(matrix @ x.flatten(), layer(x[None]).detach().flatten())


def test_conv_matrix_entries_are_the_kernel_weights_or_zero():
    kernel = torch.arange(1.0, 10.0).reshape(3, 3)  # no weight is zero
    matrix = convlib.conv_matrix(kernel, (4, 4))
    index = convlib.conv_matrix_index((3, 3), (4, 4))
    assert torch.equal(matrix == 0, index < 0)
    assert torch.equal(matrix[index >= 0], kernel.flatten()[index[index >= 0]])
    # every output reads the whole kernel once; a dense layer would have 64 free weights
    assert all(sorted(row[row >= 0].tolist()) == list(range(9)) for row in index)


def test_conv_matrix_keeps_dtype_takes_numpy_and_passes_gradients():
    kernel = torch.randn(2, 3, 3, requires_grad=True)
    matrix = convlib.conv_matrix(kernel, (2, 5, 6))
    assert matrix.dtype == torch.float32
    matrix.sum().backward()
    # each weight appears once per output position: 3 x 4 of them
    assert torch.equal(kernel.grad, torch.full((2, 3, 3), 12.0))
    from_numpy = convlib.conv_matrix(np.ones((3, 3)), (5, 5))
    assert isinstance(from_numpy, torch.Tensor) and from_numpy.dtype == torch.float64


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_conv_matrix_on_cuda():
    kernel = torch.randn(3, 3, device="cuda")
    x = torch.randn(6, 6, device="cuda")
    matrix = convlib.conv_matrix(kernel, (6, 6), padding=1)
    assert matrix.device.type == "cuda"
    assert torch.allclose(matrix @ x.flatten(),
                          nnf.conv2d(x[None, None], kernel[None, None], padding=1).flatten(),
                          atol=1e-5)


@pytest.mark.parametrize("kernel, shape, kwargs, error, pattern", [
    ([[1.0, 2.0]], (4, 4), {}, TypeError, "NumPy array or a torch.Tensor; got list"),
    (torch.ones(3, 3, dtype=torch.int64), (4, 4), {}, TypeError, "floating-point"),
    (torch.ones(3), (4, 4), {}, ValueError, r"2-D .* got shape \(3,\)"),
    (torch.ones(1, 1, 1, 3, 3), (4, 4), {}, ValueError, "got shape"),
    (torch.ones(0, 3), (4, 4), {}, ValueError, "empty axis"),
    (torch.ones(2, 3, 3), (3, 5, 5), {}, ValueError, "2 input channel.*has 3"),
    (torch.ones(3, 3), (1, 4, 4, 4), {}, TypeError, "input_shape must be"),
    (torch.ones(3, 3), "4x4", {}, TypeError, "input_shape must be"),
    (torch.ones(3, 3), (4, 0), {}, ValueError, "positive"),
    (torch.ones(3, 3), (4, 4), {"stride": 0}, ValueError, "stride must be at least 1"),
    (torch.ones(3, 3), (4, 4), {"stride": 1.5}, TypeError, "stride must be an int"),
    (torch.ones(3, 3), (4, 4), {"padding": -1}, ValueError, "padding must be at least 0"),
    (torch.ones(3, 3), (4, 4), {"padding": "same"}, TypeError, "padding must be an int"),
    (torch.ones(3, 3), (4, 4), {"dilation": (1, 0)}, ValueError, "dilation"),
    (torch.ones(5, 5), (4, 4), {}, ValueError, "kernel spans 5"),
])
def test_conv_matrix_bad_input(kernel, shape, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        convlib.conv_matrix(kernel, shape, **kwargs)


def test_ink_reads_on_every_weight_colour():
    """Digits on a weight's colour are dark on light colours and white on dark ones."""
    ink = convlib.style.ink
    assert ink("white") == convlib.style.TEXT and ink("black") == "white"
    for colour in convlib.weight_colours(20):
        r, g, b = matplotlib.colors.to_rgb(colour)
        light = 0.299 * r + 0.587 * g + 0.114 * b > 0.6
        if light:
            assert ink(colour) == convlib.style.TEXT, colour


def test_draw_conv_matrix_and_animations():
    k = np.arange(1, 10, dtype=float).reshape(3, 3)
    fig = convlib.draw_conv_matrix(k, (4, 4), row=2)
    assert len(fig.axes) == 4
    assert isinstance(convlib.animate_conv_matrix(k, (4, 4)), HTML)
    fig = convlib.draw_conv_matrix_settings(4, 3, [(1, 0), (2, 1)])
    assert [ax.get_title(loc="left") for ax in fig.axes] == [
        "stride 1, padding 0: 4 × 16", "stride 2, padding 1: 4 × 16"]
    assert fig.get_figwidth() <= convlib.style.COLUMN_INCHES + 1e-9
    with pytest.raises(ValueError, match="row must be an int from 0 to 3"):
        convlib.draw_conv_matrix(k, (4, 4), row=4)
    with pytest.raises(ValueError, match="one-channel kernel"):
        convlib.draw_conv_matrix(np.ones((2, 3, 3)), (2, 4, 4))
    with pytest.raises(ValueError, match="at least one"):
        convlib.draw_conv_matrix_settings(settings=[])
    with pytest.raises(ValueError, match="count must be a positive int"):
        convlib.weight_colours(0)


def test_conv_matrix_explorer_live_and_unattended(monkeypatch):
    import ipywidgets
    from IPython.display import HTML

    monkeypatch.setenv("CONVLIB_WIDGETS", "1")
    explorer = convlib.conv_matrix_explorer()
    assert isinstance(explorer, ipywidgets.interactive)
    names = [w.description for w in explorer.children[:-1]]
    assert names == ["input n", "kernel k", "stride s", "padding p"]
    monkeypatch.setenv("CONVLIB_WIDGETS", "0")
    assert isinstance(convlib.conv_matrix_explorer(), HTML)  # the in-page twin


# -- edge kernels ---------------------------------------------------------------------

def test_sobel_and_prewitt_are_smoothing_times_difference():
    difference = np.array([-1, 0, 1])
    for name, smooth in (("sobel", [1, 2, 1]), ("prewitt", [1, 1, 1])):
        assert np.array_equal(convlib.kernel(f"{name}_x"), np.outer(smooth, difference))
        assert np.array_equal(convlib.kernel(f"{name}_y"), np.outer(difference, smooth))
    for name in ("identity", "blur", "sharpen"):  # the older kernels are still there
        assert name in convlib.KERNELS


@pytest.mark.parametrize("name", ["sobel_x", "sobel_y", "prewitt_x", "prewitt_y"])
def test_edge_kernels_zero_on_flat_positive_on_a_brightening_step(name):
    w = torch.from_numpy(convlib.kernel(name))[None, None]
    flat = torch.full((1, 1, 6, 6), 0.37)
    assert nnf.conv2d(flat, w).abs().max() < 1e-6
    step = torch.zeros(1, 1, 6, 6)
    if name.endswith("_x"):
        step[..., 3:] = 1.0  # brighter to the right
    else:
        step[..., 3:, :] = 1.0  # brighter further down
    response = nnf.conv2d(step, w)
    assert response.min() >= 0 and response.max() > 0


# -- shifting and equivariance -----------------------------------------------------------

@given(st.integers(-4, 4), st.integers(-4, 4), st.integers(0, 1000))
def test_translate_matches_padding_and_cropping(dy, dx, seed):
    x = torch.randn(2, 6, 7, generator=torch.Generator().manual_seed(seed))
    padded = nnf.pad(x, (max(dx, 0), max(-dx, 0), max(dy, 0), max(-dy, 0)))
    expected = padded[:, max(-dy, 0):max(-dy, 0) + 6, max(-dx, 0):max(-dx, 0) + 7]
    assert torch.equal(convlib.translate(x, dy, dx), expected)
    assert np.array_equal(convlib.translate(x.numpy(), dy, dx), expected.numpy())


def test_translate_bad_input():
    with pytest.raises(ValueError, match="moves the whole 4x4 image out"):
        convlib.translate(np.ones((4, 4)), 4, 0)
    with pytest.raises(TypeError, match="dx must be an int"):
        convlib.translate(np.ones((4, 4)), 1, 0.5)
    with pytest.raises(ValueError, match="at least 2 axes"):
        convlib.translate(np.ones(4), 1, 1)


@given(st.integers(-5, 5), st.integers(-5, 5), st.sampled_from([1, 3, 5]),
       st.integers(0, 1000))
def test_shift_and_convolution_commute_away_from_the_border(dy, dx, k, seed):
    rng = np.random.default_rng(seed)
    image = rng.random((20, 22)).astype(np.float32)
    kernel = rng.standard_normal((k, k)).astype(np.float32)
    a, b = convlib.equivariance_gap(image, kernel, dy, dx)
    m = convlib.border_margin(k, dy, dx)
    assert np.allclose(a[m:20 - m, m:22 - m], b[m:20 - m, m:22 - m], atol=1e-5)
    # and against PyTorch: convolve the shifted image with zero padding
    shifted = convlib.translate(torch.from_numpy(image), dy, dx)[None, None]
    expected = nnf.conv2d(shifted, torch.from_numpy(kernel)[None, None], padding=k // 2)
    assert np.allclose(a, expected[0, 0].numpy(), atol=1e-5)


def test_show_equivariance_and_its_errors():
    image = convlib.photo(gray=True, size=32)
    fig = convlib.show_equivariance(image, convlib.kernel("sobel_x"), 2, 3)
    assert len(fig.axes) == 6
    with pytest.raises(ValueError, match="2-D kernel"):
        convlib.show_equivariance(image, np.ones((1, 3, 3)), 1, 1)
    with pytest.raises(ValueError, match="2-D greyscale image"):
        convlib.equivariance_gap(np.ones((4, 4, 3)), np.ones((3, 3)), 1, 1)


# -- pixel shuffles ---------------------------------------------------------------------

def test_pixel_permutation_is_a_seeded_permutation_that_leaves_the_global_rng():
    torch.manual_seed(5)
    before = torch.rand(1)
    torch.manual_seed(5)
    p = convlib.pixel_permutation(6, 7, seed=3)
    assert torch.rand(1) == before  # the global generator was not touched
    assert torch.equal(p.sort().values, torch.arange(42))
    assert torch.equal(p, convlib.pixel_permutation(6, 7, seed=3))
    assert not torch.equal(p, convlib.pixel_permutation(6, 7, seed=4))
    with pytest.raises(ValueError, match="height must be a positive int"):
        convlib.pixel_permutation(0, 3)


def test_permute_pixels_on_tensors_arrays_and_datasets():
    x = torch.randn(4, 2, 3, 5)
    p = convlib.pixel_permutation(3, 5, seed=1)
    got = convlib.permute_pixels(x, p)
    for k in range(15):  # pixel k of the result is pixel p[k] of the original
        r, c = divmod(k, 5)
        pr, pc = divmod(int(p[k]), 5)
        assert torch.equal(got[:, :, r, c], x[:, :, pr, pc])
    assert np.array_equal(convlib.permute_pixels(x.numpy(), p), got.numpy())
    labels = torch.arange(4)
    data = convlib.permute_pixels(TensorDataset(x, labels), p)
    assert torch.equal(data.tensors[0], got) and torch.equal(data.tensors[1], labels)


@pytest.mark.parametrize("permutation", [torch.arange(14), torch.zeros(15, dtype=torch.long),
                                         torch.arange(15.0)])
def test_permute_pixels_refuses_what_is_not_a_permutation(permutation):
    with pytest.raises(ValueError, match="each of the numbers 0 to 14 once"):
        convlib.permute_pixels(torch.zeros(2, 3, 5), permutation)


def test_neighbour_correlation_matches_numpy():
    rng = np.random.default_rng(0)
    images = rng.random((5, 6, 8))
    for d in (1, 3):
        left, right = images[..., :-d].ravel(), images[..., d:].ravel()
        assert convlib.neighbour_correlation(images, d) == pytest.approx(
            np.corrcoef(left, right)[0, 1])
    smooth = np.cumsum(rng.random((3, 8, 40)), axis=-1)  # each pixel builds on the last
    assert convlib.neighbour_correlation(smooth) > 0.9
    with pytest.raises(ValueError, match="distance must be an int from 1 to 39"):
        convlib.neighbour_correlation(smooth, 40)


def test_show_permuted_and_show_accuracies():
    images = np.random.default_rng(0).random((6, 8, 8))
    fig = convlib.show_permuted(images, convlib.pixel_permutation(8, 8), shown=3,
                                distances=range(1, 4))
    assert len(fig.axes) == 2 * 3 + 1
    fig = convlib.show_accuracies({"a": {"x": 0.9, "y": 0.8}, "b": {"x": 0.7, "y": 0.75}})
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == ["90.0%", "70.0%", "80.0%", "75.0%"]
    with pytest.raises(ValueError, match="accuracies must map"):
        convlib.show_accuracies({})
    with pytest.raises(ValueError, match=r"\(N, H, W\)"):
        convlib.show_permuted(np.ones(5), torch.arange(5))


# -- feature visualisation and learned kernels ----------------------------------------

def _tiny_model() -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 6, 3), nn.Flatten(),
                         nn.LazyLinear(3))


def test_visualise_features_raises_the_target_activation_and_changes_nothing_else():
    model = _tiny_model()
    model(torch.zeros(1, 1, 10, 10))  # materialise the lazy layer
    model.train()
    weights = {k: v.clone() for k, v in model.state_dict().items()}
    vis = convlib.visualise_features(model, model[2], [0, 3, 5], input_shape=(1, 10, 10),
                                     steps=30, lr=0.1)
    assert vis.images.shape == (3, 1, 10, 10)
    assert vis.images.min() >= 0 and vis.images.max() <= 1
    captured = []
    hook = model[2].register_forward_hook(lambda _m, _i, out: captured.append(out))
    with torch.no_grad():
        model(vis.images)
    hook.remove()
    for row, (c, start, end) in enumerate(zip(vis.channels, vis.start, vis.end, strict=True)):
        assert end > start
        assert captured[0][row, c].mean().item() == pytest.approx(end, abs=1e-5)
    assert all(torch.equal(weights[k], v) for k, v in model.state_dict().items())
    assert model.training and not model[2]._forward_hooks
    fig = convlib.show_features(vis, per_line=2)
    assert len(fig.axes) == 4 and not fig.axes[3].axison  # 3 images on 2 lines of 2


def test_visualise_features_by_index_and_bad_input():
    model = _tiny_model()
    model(torch.zeros(1, 1, 10, 10))
    vis = convlib.visualise_features(model, 0, 2, input_shape=(1, 10, 10), steps=5)
    assert vis.channels == [2]
    with pytest.raises(ValueError, match="with 4 channels; asked for channels \\[4\\]"):
        convlib.visualise_features(model, 0, 4, input_shape=(1, 10, 10), steps=2)
    with pytest.raises(ValueError, match="not part of the model"):
        convlib.visualise_features(model, nn.Conv2d(1, 1, 3), 0, input_shape=(1, 10, 10))
    with pytest.raises(ValueError, match="layer 9 is not an index"):
        convlib.visualise_features(model, 9, 0, input_shape=(1, 10, 10))
    with pytest.raises(TypeError, match="layer must be a module"):
        convlib.visualise_features(model, "conv", 0)
    with pytest.raises(ValueError, match="steps must be a positive number"):
        convlib.visualise_features(model, 0, 0, input_shape=(1, 10, 10), steps=0)
    with pytest.raises(ValueError, match="channels must be channel numbers"):
        convlib.visualise_features(model, 0, [-1], input_shape=(1, 10, 10))
    with pytest.raises(TypeError, match="takes what visualise_features returns"):
        convlib.show_features(torch.zeros(2, 1, 5, 5))


def test_gradient_ascent_climbs_a_known_objective_within_0_1():
    target = torch.tensor([[0.2, 0.9], [1.0, 0.0]])

    def closeness(x):  # highest where x equals the target
        return -((x - target) ** 2).flatten(1).sum(1)

    start = torch.full((3, 2, 2), 0.5)
    found = convlib.gradient_ascent(closeness, start, steps=300, lr=0.05, l2=0.0)
    assert torch.equal(start, torch.full((3, 2, 2), 0.5))  # the start is not changed
    assert torch.allclose(found, target.expand(3, 2, 2), atol=0.02)
    beyond = convlib.gradient_ascent(lambda x: x.flatten(1).sum(1) * 5, start, steps=50)
    assert torch.equal(beyond, torch.ones(3, 2, 2))  # clipped at 1, the top of the range


def test_edge_blob_share():
    ramp = torch.tensor([[-1.0, 0, 1]] * 3)
    blob, edge = convlib.edge_blob_share(torch.stack([ramp, ramp.T, torch.ones(3, 3)]))
    assert torch.allclose(blob, torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64))
    assert torch.allclose(edge, torch.tensor([1.0, 1.0, 0.0], dtype=torch.float64))
    checker = torch.tensor([[1.0, -1, 1], [-1, 1, -1], [1, -1, 1]])  # neither blob nor edge
    blob, edge = convlib.edge_blob_share(checker[None])
    assert blob.item() == pytest.approx(1 / 81) and edge.item() == pytest.approx(0)  # mean 1/9
    # random kernels: the 3 of 9 directions hold a third of the energy on average
    noise = torch.randn(20000, 5, 5, generator=torch.Generator().manual_seed(0))
    blob, edge = convlib.edge_blob_share(noise)
    assert (blob + edge).mean().item() == pytest.approx(3 / 25, abs=0.01)
    with pytest.raises(ValueError, match="k odd"):
        convlib.edge_blob_share(torch.ones(2, 4, 4))


def test_show_tiles_rows_and_errors():
    fig = convlib.show_tiles({"a": np.ones((3, 3, 3)), "b": torch.zeros(2, 1, 5, 5)},
                             role={"a": "kernel", "b": "output"})
    assert len(fig.axes) == 2 * 3
    fig = convlib.show_tiles({"a": np.ones((5, 3, 3)), "b": np.ones((2, 3, 3))}, per_line=2)
    assert len(fig.axes) == 4 * 2  # a: 3 lines of 2 tiles, b: 1 line
    assert sum(ax.get_ylabel() != "" for ax in fig.axes) == 2  # one label per row
    with pytest.raises(ValueError, match="per_line"):
        convlib.show_tiles({"a": np.ones((3, 3, 3))}, per_line=0)
    with pytest.raises(ValueError, match=r"row 'a' must have shape \(count, height, width\)"):
        convlib.show_tiles({"a": np.ones((3, 3))})
    with pytest.raises(ValueError, match="at least one row"):
        convlib.show_tiles({})


# -- ResNet-50, stacking ------------------------------------------------------------------

def _bottleneck(c_in: int, width: int, project: bool) -> list[nn.Module]:
    out = 4 * width
    layers = [nn.Conv2d(c_in, width, 1, bias=False), nn.BatchNorm2d(width),
              nn.Conv2d(width, width, 3, padding=1, bias=False), nn.BatchNorm2d(width),
              nn.Conv2d(width, out, 1, bias=False), nn.BatchNorm2d(out)]
    if project:
        layers += [nn.Conv2d(c_in, out, 1, bias=False), nn.BatchNorm2d(out)]
    return layers


def test_resnet50_count_matches_real_layers_and_the_published_count():
    layers = [nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(64)]
    c_in = 64
    for width, blocks in ((64, 3), (128, 4), (256, 6), (512, 3)):
        for b in range(blocks):
            layers += _bottleneck(c_in, width, project=b == 0)
            c_in = 4 * width
    layers.append(nn.Linear(2048, 1000))
    real = sum(p.numel() for layer in layers for p in layer.parameters())
    parts = convlib.resnet50_parameters()
    assert sum(parts.values()) == real
    assert real == 25_557_032  # the count torchvision and Keras publish for ResNet-50
    assert parts["classifier"] == 2048 * 1000 + 1000
    with pytest.raises(ValueError, match="num_classes"):
        convlib.resnet50_parameters(0)


def test_draw_stacking():
    fig = convlib.draw_stacking(depth=2, kernel_size=3)
    titles = [ax.get_title() for ax in fig.axes]
    assert "one 5x5 layer: 25 weights" in titles[0] and "18 weights" in titles[1]
    with pytest.raises(ValueError, match="depth must be a positive int"):
        convlib.draw_stacking(depth=0)


# -- self-checks ----------------------------------------------------------------------

def _said(label: str, answer: object) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        convlib.check(label, answer)
    return out.getvalue()


def _conv1d_matrix(kernel, n):
    k = len(kernel)
    m = np.zeros((n - k + 1, n))
    for i in range(n - k + 1):
        m[i, i:i + k] = kernel
    return m


def _block_permutation(size, block, seed):
    g = torch.Generator().manual_seed(seed)
    order = torch.arange(size * size).reshape(size, size)
    for top in range(0, size, block):
        for left in range(0, size, block):
            tile = order[top:top + block, left:left + block]
            order[top:top + block, left:left + block] = tile.flatten()[
                torch.randperm(tile.numel(), generator=g)].reshape(tile.shape)
    return order.flatten()


@pytest.mark.parametrize("label, right, wrong, secret", [
    ("4.1", (9, 25, 81), (9, 25, 9), "81"),
    ("4.2", (4, 3), (-4, 3), "4"),
    ("4.3", (5, 45, 121), (5, 45, 49), "121"),
    ("4.4", _conv1d_matrix, lambda k, n: _conv1d_matrix(k, n)[::-1], None),
    ("4.5", _block_permutation, lambda s, b, seed: torch.arange(s * s), None),
])
def test_self_checks_say_right_or_hint_without_the_answer(label, right, wrong, secret):
    assert "correct" in _said(label, right)
    hint = _said(label, wrong)
    assert "not yet" in hint
    if secret is not None:
        assert not re.search(rf"\b{secret}\b", hint.split("Hint:")[1])


def test_block_permutation_check_catches_pixels_leaving_their_block():
    hint = _said("4.5", lambda s, b, seed: convlib.pixel_permutation(s, s, seed))
    assert "leave their block" in hint


# -- training is repeatable -----------------------------------------------------------

def test_training_is_deterministic_on_the_cpu():
    data = convlib.mnist().train
    subset = TensorDataset(*(t[:256] for t in data.tensors))
    weights = []
    for _ in range(2):
        convlib.seed(0)
        model = convlib.small_cnn(channels=(4, 8))
        convlib.train(model, subset, epochs=1, lr=3e-3, batch_size=32, device=torch.device("cpu"),
                      progress=False)
        weights.append(model.state_dict())
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])
    convlib.seed(1)  # a different seed gives different weights: the test can fail
    model = convlib.small_cnn(channels=(4, 8))
    convlib.train(model, subset, epochs=1, lr=3e-3, batch_size=32, device=torch.device("cpu"),
                  progress=False)
    assert not torch.equal(model.state_dict()["0.weight"], weights[0]["0.weight"])
