"""Chapter 5's additions to convlib: the receptive-field closed form against gradients
of real PyTorch layers and against published values, the effective receptive field,
the classic architectures, the figures (what they draw is counted, not looked at) and
the self-checks."""

import re

import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure
from torch import nn

import convlib
from convlib.sizes.architectures import Parallel

matplotlib.use("Agg")



def _frames(html) -> int:
    return len(re.findall(r"frames\[\d+\] = \"data:image/png;base64,", html.data))


# -- the gradient, computed here independently of convlib ----------------------------


def _moved_box(model: nn.Module, n: int, dims: int = 2) -> tuple[tuple[int, int], int]:
    """Along the first spatial axis: the first and last input index whose gradient with
    respect to the centre output unit (all channels) is nonzero, and the output length. Float64, one
    random input, every weight made positive, so that no path cancels."""
    model = model.double()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.abs() + 0.1)
    shape = (1, 1, *([n] * dims))
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    out = model(x)
    centre = tuple(s // 2 for s in out.shape[2:])
    out[(0, slice(None), *centre)].sum().backward()  # every output channel
    grad = x.grad[0, 0]
    rows = grad.abs().sum(dim=tuple(range(1, dims))) if dims > 1 else grad.abs()
    hit = torch.nonzero(rows).flatten()
    return (int(hit[0]), int(hit[-1])), out.shape[2]


def _random_layer(rng: np.random.Generator) -> tuple[nn.Module, tuple[int, int, int, int]]:
    """A random convolution or average pooling and its (k, s, d, p)."""
    if rng.random() < 0.3:
        k, s = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        p = int(rng.integers(0, k // 2 + 1))
        return nn.AvgPool2d(k, stride=s, padding=p), (k, s, 1, p)
    k, s, d, p = (int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 4)),
                  int(rng.integers(0, 3)))
    return nn.Conv2d(1, 1, k, stride=s, dilation=d, padding=p), (k, s, d, p)


def _closed_form(specs):
    r, j, start = 1, 1, 0
    for k, s, d, p in specs:
        r, j, start = r + d * (k - 1) * j, j * s, start - p * j
    return r, j, start


def test_receptive_field_matches_gradients_of_random_stacks():
    rng = np.random.default_rng(1)
    checked = 0
    for _ in range(150):
        pairs = [_random_layer(rng) for _ in range(int(rng.integers(1, 5)))]
        model = nn.Sequential(*(m for m, _ in pairs))
        field = convlib.receptive_field(model)
        assert (field.size, field.jump, field.start) == _closed_form([s for _, s in pairs])
        n = 2 * field.size + 2 * field.jump + 6
        try:
            (first, last), out = _moved_box(model, n)
        except RuntimeError:  # the input became too small for some layer
            continue
        expected = field.span(out // 2)
        if expected[0] < 0 or expected[1] >= n:
            continue
        assert (first, last) == expected, [s for _, s in pairs]
        checked += 1
    assert checked > 100


@given(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3),
                          st.integers(0, 2)), min_size=1, max_size=4))
def test_receptive_field_matches_gradients_of_conv1d_stacks(specs):
    model = nn.Sequential(*(nn.Conv1d(1, 1, k, stride=s, dilation=d, padding=p)
                            for k, s, d, p in specs))
    field = convlib.receptive_field(model)
    n = 2 * field.size + 2 * field.jump + 6
    (first, last), out = _moved_box(model, n, dims=1)
    expected = field.span(out // 2)
    if 0 <= expected[0] and expected[1] < n:
        assert (first, last) == expected
    # the neighbour's field is one jump further
    assert field.span(out // 2 + 1)[0] - expected[0] == field.jump


def test_max_pooling_and_relu_are_opened_for_the_measurement():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(2, 2, 3, dilation=2, padding=2), nn.BatchNorm2d(2),
                          nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True))
    opened = convlib.open_paths(model)
    assert isinstance(model[1], nn.ReLU) and isinstance(model[2], nn.MaxPool2d)  # untouched
    assert isinstance(opened[1], nn.Identity) and isinstance(opened[2], nn.AvgPool2d)
    assert isinstance(opened[4], nn.Identity)
    assert all((p >= 0).all() for p in opened.parameters())
    field = convlib.receptive_field(model)
    assert convlib.receptive_field(opened).size == field.size
    measured = convlib.effective_receptive_field(opened.double(), (1, 64, 64), samples=1)
    out = model(torch.zeros(1, 1, 64, 64)).shape[-1]
    span = field.span(out // 2)
    assert convlib.nonzero_box(measured) == (span, span)
    assert np.count_nonzero(measured) == field.size**2


def test_open_paths_refuses_a_dilated_max_pooling():
    with pytest.raises(ValueError, match="dilated max pooling"):
        convlib.open_paths(nn.Sequential(nn.MaxPool2d(2, dilation=2)))


# -- published values ----------------------------------------------------------------

# Araujo, Norris and Sim's table of receptive fields (TF-Slim models): end-point ->
# (receptive field, effective stride, effective padding). Effective padding is minus
# our start.
ALEXNET_PUBLISHED = {"conv1": (11, 4, 0), "pool1": (19, 8, 0), "conv2": (51, 8, 16),
                     "conv3": (99, 16, 32), "conv4": (131, 16, 48), "conv5": (163, 16, 64),
                     "pool5": (195, 32, 64)}
VGG16_PUBLISHED = {"conv1_1": (3, 1, 1), "pool1": (6, 2, 2), "conv2_1": (10, 2, 4),
                   "pool2": (16, 4, 6), "conv3_1": (24, 4, 10), "conv3_2": (32, 4, 14),
                   "pool3": (44, 8, 18), "conv4_1": (60, 8, 26), "conv4_2": (76, 8, 34),
                   "pool4": (100, 16, 42), "conv5_1": (132, 16, 58), "conv5_2": (164, 16, 74),
                   "pool5": (212, 32, 90)}

# The layer lists as the papers give them, written here independently of convlib.
ALEXNET_LAYERS = {"conv1": (11, 4, 1, 0), "pool1": (3, 2, 1, 0), "conv2": (5, 1, 1, 2),
                  "pool2": (3, 2, 1, 0), "conv3": (3, 1, 1, 1), "conv4": (3, 1, 1, 1),
                  "conv5": (3, 1, 1, 1), "pool5": (3, 2, 1, 0)}


def _vgg16_layers():
    layers = {}
    for block, convs in enumerate((2, 2, 3, 3, 3), start=1):
        for i in range(1, convs + 1):
            layers[f"conv{block}_{i}"] = (3, 1, 1, 1)
        layers[f"pool{block}"] = (2, 2, 1, 0)
    return layers


@pytest.mark.parametrize("layers, published", [
    (ALEXNET_LAYERS, ALEXNET_PUBLISHED),
    (_vgg16_layers(), VGG16_PUBLISHED),
    (convlib.alexnet(), ALEXNET_PUBLISHED),
    (convlib.vgg16(), VGG16_PUBLISHED),
])
def test_receptive_field_matches_published_values(layers, published):
    rows = {row.name: row for row in convlib.receptive_field(layers)}
    for name, (size, jump, padding) in published.items():
        assert (rows[name].size, rows[name].jump, -rows[name].start) == (size, jump, padding), name


def test_vgg16_conv5_3_and_pool5():
    rows = {row.name: row for row in convlib.receptive_field(convlib.vgg16())}
    assert (rows["conv5_3"].size, rows["pool5"].size) == (196, 212)


@pytest.mark.parametrize("build, size, out", [(convlib.alexnet, 227, 6),
                                              (convlib.vgg16, 224, 7)])
def test_classic_fields_match_gradients_on_full_images(build, size, out):
    model = build(width=1, device="cpu")
    field = convlib.receptive_field(model)
    (first, last), length = _moved_box(convlib.open_paths(
        nn.Sequential(nn.Conv2d(1, 3, 1, bias=False), model)), size)
    assert length == out
    assert (first, last) == field.span(out // 2)
    assert last - first + 1 == field.size


def test_googlenet_shapes_channels_and_jump():
    model = convlib.googlenet()
    field = convlib.receptive_field(model)
    rows = {row.name: row for row in field}
    channels = dict(zip([row.name for row in field], convlib.channels_per_layer(model),
                        strict=True))
    assert rows["inception5b"].jump == 32 and channels["inception5b"] == 1024
    assert channels["conv1"] == 64
    assert rows["inception3a"].size == 59 and rows["inception5b"].size == 715
    narrow = convlib.googlenet(width=1, device="cpu")
    x = torch.zeros(1, 3, 224, 224)
    with torch.no_grad():
        for name, layer in narrow.named_children():
            x = layer(x)
            if name == "inception5b":
                assert x.shape[-2:] == (7, 7) and x.shape[1] == 4
    assert x.shape[-2:] == (1, 1)


def test_parallel_branches_take_the_union_of_their_fields():
    block = Parallel(nn.Conv2d(1, 1, 1),
                     nn.Sequential(nn.Conv2d(1, 1, 1), nn.Conv2d(1, 1, 5, padding=2)),
                     nn.Sequential(nn.MaxPool2d(3, 1, padding=1), nn.Conv2d(1, 1, 1)))
    model = nn.Sequential(nn.Conv2d(1, 1, 3, stride=2, padding=1), block)
    field = convlib.receptive_field(model)
    assert (field.size, field.jump, field.start) == (3 + 4 * 2, 2, -1 - 2 * 2)
    (first, last), out = _moved_box(convlib.open_paths(model), 41)
    assert (first, last) == field.span(out // 2)
    with pytest.raises(ValueError, match="different jumps"):
        convlib.receptive_field(nn.Sequential(Parallel(nn.Conv2d(1, 1, 3, stride=2),
                                                       nn.Conv2d(1, 1, 3))))


@pytest.mark.parametrize("build", [convlib.alexnet, convlib.vgg16, convlib.googlenet])
def test_architectures_refuse_a_bad_width(build):
    for width in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="width"):
            build(width=width)


# -- the input forms agree -------------------------------------------------------------


def test_sequential_tuples_and_dict_agree():
    rng = np.random.default_rng(7)
    for _ in range(40):
        pairs = [_random_layer(rng) for _ in range(int(rng.integers(1, 6)))]
        specs = [s for _, s in pairs]
        from_modules = convlib.receptive_field(nn.Sequential(*(m for m, _ in pairs)))
        from_tuples = convlib.receptive_field(specs)
        from_dict = convlib.receptive_field({f"l{i}": s for i, s in enumerate(specs)})
        triples = [(size, jump, start) for size, jump, start in
                   ((r.size, r.jump, r.start) for r in from_modules)]
        assert triples == [(r.size, r.jump, r.start) for r in from_tuples]
        assert triples == [(r.size, r.jump, r.start) for r in from_dict]
        assert [r.name for r in from_dict] == [f"l{i}" for i in range(len(specs))]


def test_short_tuples_default_to_no_dilation_and_no_padding():
    assert convlib.receptive_field([(3, 2)]).rows == convlib.receptive_field([(3, 2, 1, 0)]).rows
    field = convlib.receptive_field([(3, 1, 2), (np.int64(2), 2)])
    assert (field.size, field.jump, field.start) == (6, 2, 0)


def test_nested_sequentials_and_pointwise_layers_pass_through():
    flat = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.Conv2d(4, 4, 3, stride=2),
                         nn.MaxPool2d(2))
    nested = nn.Sequential(
        nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU()),
        nn.Dropout(0.5), nn.Sequential(nn.Sequential(nn.Conv2d(4, 4, 3, stride=2))),
        nn.LeakyReLU(), nn.Identity(), nn.MaxPool2d(2), nn.Sigmoid())
    a, b = convlib.receptive_field(flat), convlib.receptive_field(nested)
    assert [(r.size, r.jump, r.start) for r in a] == [(r.size, r.jump, r.start) for r in b]
    assert [r.name for r in b] == ["0.0", "2.0.0", "5"]


@pytest.mark.filterwarnings("ignore:Using padding='same'")
def test_same_and_valid_padding_strings():
    for k, d in ((3, 1), (4, 1), (3, 2), (2, 3)):
        layer = nn.Conv2d(1, 1, k, padding="same", dilation=d)
        row = convlib.receptive_field(nn.Sequential(layer))[0]
        (first, last), _ = _moved_box(nn.Sequential(layer), 21)
        assert (first, last) == row.span(10)
    assert convlib.receptive_field(nn.Sequential(nn.Conv2d(1, 1, 3, padding="valid"))).start == 0


def test_axis_follows_rows_or_columns():
    model = nn.Sequential(nn.Conv2d(1, 1, (3, 5), stride=(1, 2), padding=(1, 0)),
                          nn.Conv2d(1, 1, 3))
    rows, cols = (convlib.receptive_field(model, axis=a) for a in (0, 1))
    assert (rows.size, rows.jump, rows.start) == (5, 1, -1)
    assert (cols.size, cols.jump, cols.start) == (9, 2, 0)
    with pytest.raises(ValueError, match="axis=0"):
        convlib.receptive_field(model)
    with pytest.raises(ValueError, match="axis"):
        convlib.receptive_field(model, axis=2)


def test_single_module_empty_stack_and_table():
    one = convlib.receptive_field(nn.Conv2d(1, 1, 5, stride=2, padding=2))
    assert (one.size, one.jump, one.start, one.centre) == (5, 2, -2, 0)
    empty = convlib.receptive_field(nn.Sequential(nn.ReLU()))
    assert (empty.size, empty.jump, empty.start, len(empty)) == (1, 1, 0, 0)
    field = convlib.receptive_field({"a": (3, 1, 1, 1), "b": (2, 2)})
    table = field.to_markdown(channels=[8, 8])
    lines = table.splitlines()
    assert len(lines) == 4 and "channels" in lines[0] and lines[2].startswith("| a |")
    html = convlib.field_table(field, channels=[8, 8]).data
    assert html == field.to_html(channels=[8, 8]) and field._repr_html_() == field.to_html()
    assert html.count("<tr>") == 3 and "<th" in html and ">channels</th>" in html
    assert re.search(r'<td style="text-align: right[^"]*">-1</td>', html)
    assert field.as_rows()[1] == {"name": "b", "layer": "k 2, s 2", "size": 4, "jump": 2,
                                  "start": -1, "centre": 0.5}
    assert field[0].span(2) == (1, 3) and field.span(1) == (1, 4)
    assert "size=4" in repr(field)
    with pytest.raises(ValueError, match="column 'channels'"):
        field.to_markdown(channels=[8])


def test_field_step_is_the_recursion():
    assert convlib.field_step(1, 1, 0, (3, 2, 1, 1)) == (3, 2, -1)
    assert convlib.field_step(5, 2, -1, (3, 1, 2, 2)) == (13, 2, -5)


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("layer, name", [
    (nn.Linear(4, 4), "Linear"), (nn.Flatten(), "Flatten"),
    (nn.AdaptiveAvgPool2d(1), "AdaptiveAvgPool2d"),
    (nn.ConvTranspose2d(1, 1, 3), "ConvTranspose2d"),
    (nn.GroupNorm(1, 1), "GroupNorm"), (nn.Conv3d(1, 1, 3), "Conv3d"),
])
def test_unsupported_layers_are_named(layer, name):
    with pytest.raises(TypeError, match=name):
        convlib.receptive_field(nn.Sequential(nn.Conv2d(1, 1, 3), layer))


@pytest.mark.parametrize("layers, error, match", [
    ([(3,)], TypeError, "layer 0"),
    ([(3, 1, 1, 0, 5)], TypeError, "layer 0"),
    ([(3, 1), "conv"], TypeError, "layer 1"),
    ([(3.0, 1)], TypeError, "ints"),
    ([(3, True)], TypeError, "ints"),
    ([(0, 1)], ValueError, "kernel_size"),
    ([(3, 0)], ValueError, "stride"),
    ([(3, 1, 0)], ValueError, "dilation"),
    ([(3, 1, 1, -1)], ValueError, "padding"),
    ({"c1": (3, 1), "c2": (3, -2)}, ValueError, "c2"),
    ([nn.Conv2d(1, 1, 3)], TypeError, "module"),
    ("conv3", TypeError, "str"),
    (3, TypeError, "int"),
])
def test_bad_layer_lists_are_refused(layers, error, match):
    with pytest.raises(error, match=match):
        convlib.receptive_field(layers)


# -- the effective receptive field ---------------------------------------------------------


def _averaging(n, k=3):
    model = nn.Sequential(*[nn.Conv2d(1, 1, k, padding=k // 2, bias=False) for _ in range(n)])
    for p in model.parameters():
        nn.init.constant_(p, 1 / k**2)
    return model.double()


@pytest.mark.parametrize("n, size", [(1, 9), (3, 15), (6, 30), (4, 17)])
def test_erf_shape_centre_and_gaussian_spread(n, size):
    erf = convlib.effective_receptive_field(_averaging(n), (1, size, size), samples=2)
    assert erf.shape == (size, size) and erf.dtype == np.float64
    rows, cols = np.indices(erf.shape)
    centre = size // 2
    assert np.isclose((erf * rows).sum() / erf.sum(), centre)
    assert np.isclose((erf * cols).sum() / erf.sum(), centre)
    assert np.isclose(convlib.erf_spread(erf) ** 2, 2 * n / 3)
    assert convlib.nonzero_box(erf) == ((centre - n, centre + n),) * 2


def test_erf_is_centred_on_the_theoretical_field_of_a_strided_network():
    torch.manual_seed(3)
    model = convlib.open_paths(nn.Sequential(
        nn.Conv2d(2, 3, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(3, 3, 3, padding=1)))
    erf = convlib.effective_receptive_field(model.double(), (2, 21, 21), samples=3)
    field = convlib.receptive_field(model)
    out = 11
    span = field.span(out // 2)
    assert erf.shape == (21, 21)
    assert convlib.nonzero_box(erf) == (span, span)


def test_erf_options_channel_power_inputs_and_mode():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.Dropout(0.5))
    model.train()
    x = torch.randn(5, 1, 9, 9)
    absolute = convlib.effective_receptive_field(model, (1, 9, 9), inputs=x)
    squared = convlib.effective_receptive_field(model, (1, 9, 9), inputs=x, power=2)
    first = convlib.effective_receptive_field(model, (1, 9, 9), inputs=x, channel=0)
    assert model.training  # left in the mode it came in
    # by hand: evaluation mode, the centre unit, channels summed
    model.eval()
    xr = x.clone().requires_grad_(True)
    out = model(xr)
    out[:, :, 4, 4].sum().backward()
    expected = xr.grad.abs().sum(1).mean(0).numpy()
    assert np.allclose(absolute, expected, atol=1e-6)
    assert np.allclose(squared, (xr.grad**2).sum(1).mean(0).numpy(), atol=1e-6)
    xr.grad = None
    model(xr)[:, 0, 4, 4].sum().backward()
    assert np.allclose(first, xr.grad.abs().sum(1).mean(0).numpy(), atol=1e-6)


def test_erf_random_inputs_are_seeded_and_the_same_on_every_call():
    model = _averaging(2).float()
    torch.nn.init.normal_(model[0].weight)
    a = convlib.effective_receptive_field(nn.Sequential(model, nn.ReLU()), (1, 9, 9), seed=4)
    b = convlib.effective_receptive_field(nn.Sequential(model, nn.ReLU()), (1, 9, 9), seed=4)
    assert np.array_equal(a, b)


def test_erf_of_a_model_without_parameters_and_in_one_dimension():
    pooled = convlib.effective_receptive_field(nn.Sequential(nn.AvgPool2d(3, 1)), (1, 7, 7),
                                               samples=1)
    assert convlib.nonzero_box(pooled) == ((2, 4), (2, 4))
    line = convlib.effective_receptive_field(nn.Conv1d(1, 1, 3).double(), (1, 11), samples=1)
    assert line.shape == (11,) and convlib.nonzero_box(line) == ((4, 6),)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"input_shape": (1, 0, 9)}, ValueError, "input_shape"),
    ({"input_shape": (1, 9, 9, 9)}, ValueError, "input_shape"),
    ({"input_shape": "9x9"}, ValueError, "input_shape"),
    ({"input_shape": (1, 9, 9), "samples": 0}, ValueError, "samples"),
    ({"input_shape": (1, 9, 9), "channel": 3}, ValueError, "channel"),
    ({"input_shape": (1, 9, 9), "power": 3}, ValueError, "power"),
    ({"input_shape": (1, 9, 9), "inputs": torch.zeros(2, 1, 8, 8)}, ValueError, "inputs"),
    ({"input_shape": (1, 9, 9), "inputs": np.zeros((2, 1, 9, 9))}, ValueError, "inputs"),
])
def test_erf_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        convlib.effective_receptive_field(nn.Conv2d(1, 2, 3), **kwargs)


def test_erf_needs_spatial_output():
    flat = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten())
    with pytest.raises(ValueError, match="spatial axes"):
        convlib.effective_receptive_field(flat, (1, 9, 9))


def test_erf_refuses_a_non_module():
    with pytest.raises(TypeError, match="torch.nn.Module"):
        convlib.effective_receptive_field(lambda x: x, (1, 9, 9))


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_erf_on_cuda_matches_cpu():
    model = _averaging(3)
    cpu = convlib.effective_receptive_field(model, (1, 15, 15), samples=2)
    gpu = convlib.effective_receptive_field(model.cuda(), (1, 15, 15), samples=2)
    assert np.allclose(cpu, gpu)


def test_nonzero_box_and_erf_spread():
    a = np.zeros((5, 7))
    a[1:4, 2:6] = 1
    assert convlib.nonzero_box(a) == ((1, 3), (2, 5))
    assert np.isclose(convlib.erf_spread(a), np.sqrt(((2 / 3) + (5 / 4)) / 2))
    with pytest.raises(ValueError, match="all zero"):
        convlib.nonzero_box(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="nonzero_box"):
        convlib.nonzero_box(np.float64(1.0))
    for bad in (np.zeros((3, 3)), -np.ones((3, 3)), np.ones(4)):
        with pytest.raises(ValueError, match="erf_spread"):
            convlib.erf_spread(bad)


# -- figures -------------------------------------------------------------------------------


def test_field_figures_draw_what_they_should():
    fig = convlib.draw_field_stack([(3, 1), (3, 2), (3, 1)], n=17)
    circles = [p for p in fig.axes[0].patches if type(p).__name__ == "Circle"]
    assert isinstance(fig, Figure) and len(circles) >= 17
    html = convlib.animate_field_stack([(3, 1), (3, 2)], n=11)
    assert _frames(html) == 4  # 11 -> 9 -> 4 units on top
    image = convlib.photo(gray=True, size=64)
    fig = convlib.draw_field_overlay(image, [(3, 1, 1, 1)] * 3 + [(2, 2)], view=20)
    boxes = [p for p in fig.axes[0].patches if type(p).__name__ == "Rectangle" and not p.fill]
    assert len(boxes) == 4
    fig = convlib.draw_field_overlay(image, convlib.vgg16(), rows=["conv1_1", "pool5"])
    assert len([p for p in fig.axes[0].patches if not p.fill]) == 2
    html = convlib.animate_field_growth(image, {"a": (3, 1, 1), "b": (3, 1, "doubling")}, depth=3)
    assert _frames(html) == 3
    fig = convlib.show_contributions({"x": np.eye(3), "y": np.ones((2, 4))})
    assert len(fig.axes) == 2
    fig = convlib.show_pyramid(image, levels=2)
    assert len(fig.axes) == 6


def test_field_figures_refuse_bad_input():
    with pytest.raises(ValueError, match="labels"):
        convlib.draw_field_stack([(3, 1), (3, 1)], labels=["only one"])
    with pytest.raises(ValueError, match="unit"):
        convlib.draw_field_stack([(3, 1)], n=5, unit=3)
    with pytest.raises(ValueError, match="at least one"):
        convlib.draw_field_stack(nn.Sequential(nn.ReLU()))
    with pytest.raises(ValueError, match="at least one"):
        convlib.animate_field_stack([])
    with pytest.raises(ValueError, match="image"):
        convlib.draw_field_overlay(np.zeros(5), [(3, 1)])
    with pytest.raises(ValueError, match="at least one"):
        convlib.animate_field_growth(np.zeros((8, 8)), {})
    with pytest.raises(ValueError, match="at least one"):
        convlib.show_contributions({})
    with pytest.raises(ValueError, match="2-D"):
        convlib.show_contributions({"x": np.ones(3)})
    with pytest.raises(ValueError, match="greyscale"):
        convlib.show_pyramid(np.zeros((8, 8, 3)))
    with pytest.raises(ValueError, match="levels"):
        convlib.show_pyramid(np.zeros((64, 64)), levels=0)


def test_erf_figures():
    maps = {"a": np.outer([1, 2, 1], [1, 2, 1]).astype(float), "b": np.ones((5, 5))}
    fig = convlib.show_erf(maps, {"a": ((0, 2), (0, 2))}, notes={"b": "flat"}, view=3)
    assert len(fig.axes) == 2 and fig.axes[1].get_title() == "b\nflat"
    assert len(fig.axes[0].patches) == 1 and not fig.axes[1].patches
    fig = convlib.plot_erf_profile(maps, {"a": 0.7, "b": 1.4}, {"a": 3, "b": 5})
    assert len(fig.axes) == 2
    fig = convlib.plot_erf_growth([1, 2, 4], [0.8, 1.1, 1.6], [3, 5, 9], 0.5, 0.8)
    assert len(fig.axes[0].lines) == 3
    fig = convlib.plot_field_growth({"x": [3, 5, 7], "y": [3, 7, 15]}, limit=10)
    assert len(fig.axes[0].lines) == 3
    with pytest.raises(ValueError, match="at least one"):
        convlib.show_erf({})
    with pytest.raises(ValueError, match="positive"):
        convlib.show_erf({"zero": np.zeros((3, 3))})
    with pytest.raises(ValueError, match="same length"):
        convlib.plot_erf_growth([1, 2], [1.0], [3, 5], 0.5, 1.0)
    with pytest.raises(ValueError, match="at least one"):
        convlib.plot_field_growth({})


def test_top_patches_cut_out_the_strongest_units_fields():
    torch.manual_seed(0)
    layers = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
    images = torch.rand(20, 1, 12, 12)
    result = convlib.top_patches(layers, images, count=4, margin=1)
    field = convlib.receptive_field(layers)
    assert result.patches.shape == (3, 4, field.size + 2, field.size + 2)
    assert result.field_size == field.size == 4
    with torch.no_grad():
        out = layers(images)
    best = out.flatten(2).max(dim=2)
    for c in range(3):
        n = int(best.values[:, c].argmax())
        assert np.isclose(result.activations[c, 0], best.values[n, c])
        y, x = divmod(int(best.indices[n, c]), out.shape[-1])
        top, left = field.span(y)[0] - 1, field.span(x)[0] - 1
        padded = np.pad(images[n, 0].numpy(), 10)
        expected = padded[top + 10:top + 10 + 6, left + 10:left + 10 + 6]
        assert np.array_equal(result.patches[c, 0], expected)
        assert np.all(np.diff(result.activations[c]) <= 0)
    fig = convlib.show_top_patches(result, channels=[0, 2], columns=2)
    assert sum(ax.has_data() for ax in fig.axes) == 2
    assert layers.training


@pytest.mark.parametrize("kwargs, error, match", [
    ({"layers": nn.Conv2d(1, 1, 3)}, TypeError, "Sequential"),
    ({"images": torch.zeros(4, 3, 8, 8)}, ValueError, "images"),
    ({"count": 0}, ValueError, "count"),
    ({"count": 99}, ValueError, "count"),
    ({"margin": -1}, ValueError, "margin"),
])
def test_top_patches_bad_input(kwargs, error, match):
    args = {"layers": nn.Sequential(nn.Conv2d(1, 2, 3)), "images": torch.zeros(4, 1, 8, 8),
            "count": 2}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        convlib.top_patches(**args)


def test_show_top_patches_refuses_bad_channels():
    result = convlib.top_patches(nn.Sequential(nn.Conv2d(1, 2, 3)), torch.rand(4, 1, 8, 8),
                                 count=2)
    with pytest.raises(ValueError, match="channels"):
        convlib.show_top_patches(result, channels=[5])


def test_explorer_builds_and_draws(monkeypatch):
    monkeypatch.setenv("CONVLIB_WIDGETS", "0")
    note = convlib.receptive_field_explorer()
    assert "layers" in note.data and "Jupyter" in note.data
    monkeypatch.setenv("CONVLIB_WIDGETS", "1")
    explorer = convlib.receptive_field_explorer(convlib.photo(gray=True, size=32))
    assert len(explorer.children) == 5  # four controls and the output
    explorer.children[3].value = "1, 2, 4, ..."
    explorer.update()


# -- self-checks ----------------------------------------------------------------------------


def _verdict(capsys, label, answer):
    convlib.check(label, answer)
    return capsys.readouterr().out


def test_selfchecks_accept_right_answers(capsys):
    def field_size(layers):
        r, j = 1, 1
        for k, s, d in layers:
            r, j = r + d * (k - 1) * j, j * s
        return r

    right = {"5.1": 13, "5.2": (27, 4), "5.3": field_size,
             "5.4": [(3, 1, 2**i) for i in range(6)],
             "5.5": float(np.sqrt(8))}
    for label, answer in right.items():
        assert "correct" in _verdict(capsys, label, answer), label
    assert "correct" in _verdict(capsys, "5.4", [(3, 1, 3**i) for i in range(5)])


@pytest.mark.parametrize("label, answer, hint", [
    ("5.1", 15, "overlap"), ("5.1", 5, "one layer"), ("5.1", 12, "add k - 1"),
    ("5.1", "13", "whole number"),
    ("5.2", (13, 4), "multiply"), ("5.2", (27, 2), "product"), ("5.2", (25, 4), "layer by layer"),
    ("5.2", 27, "pair"),
    ("5.3", 3, "function itself"), ("5.3", lambda layers: 1 + sum(k - 1 for k, _, _ in layers),
                                    "off"),
    ("5.3", lambda layers: len(layers), "off"),
    ("5.4", [(3, 1, 1)] * 7, "at most"), ("5.4", [(5, 1, 1)], "3 wide"),
    ("5.4", [(3, 2, 1)] * 6, "stride"), ("5.4", [(3, 1, 1)] * 6, "reach"),
    ("5.4", [(3, 1, 5 ** i) for i in range(4)], "holes"), ("5.4", "dilate", "list"),
    ("5.5", float(np.sqrt(8 / 3)), "3x3"), ("5.5", 8.0, "variance"), ("5.5", 1.0, "measure"),
    ("5.5", "2.83", "number"),
])
def test_selfchecks_give_hints_without_the_answer(capsys, label, answer, hint):
    out = _verdict(capsys, label, answer)
    assert "not yet" in out and hint in out
    secret = {"5.1": "13", "5.2": "27", "5.5": "2.8"}.get(label)
    if secret:
        assert secret not in out


def test_selfcheck_5_3_spots_an_ignored_dilation(capsys):
    def no_dilation(layers):
        r, j = 1, 1
        for k, s, _ in layers:
            r, j = r + (k - 1) * j, j * s
        return r
    assert "dilation" in _verdict(capsys, "5.3", no_dilation)


def test_nearest_unit_is_the_unit_whose_field_is_centred_nearest():
    row = convlib.receptive_field({"a": (3, 1, 1), "b": (3, 2, 1), "c": (3, 2, 1)})[-1]
    for point in range(-3, 40):
        unit = row.nearest_unit(point)
        first, last = row.span(unit)
        distance = abs((first + last) / 2 - point)
        # No other unit (0 or more) has its field's centre nearer to the point.
        for other in range(0, 30):
            o_first, o_last = row.span(other)
            assert distance <= abs((o_first + o_last) / 2 - point)
