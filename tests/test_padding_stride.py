"""Chapter 2's additions to convlib: transposed_output_size and zero_stuff against
PyTorch's transposed convolutions, the relationships of convolution arithmetic, and
the figures and animations that draw them (what they draw is counted, not looked
at)."""

import itertools
import re

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from torch.nn import functional as nnf

import convlib
from convlib.draw import arithmetic, formula
from convlib.draw.animation import new_figure, render_frames
from convlib.draw.scene import GridArtists
from convlib.draw.slide import Slide

matplotlib.use("Agg")


def _frames(html) -> int:
    """How many frames an animation's HTML embeds."""
    return len(re.findall(r"frames\[\d+\] = \"data:image/png;base64,", html.data))



# -- transposed_output_size ---------------------------------------------------------

SWEEP = list(itertools.product(range(1, 7), range(1, 5), range(1, 4), range(0, 4),
                               range(0, 3), range(1, 4)))  # n, k, s, p, output_padding, d


def _torch_transposed_length(n, k, s, p, a, d):
    try:
        return nnf.conv_transpose1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s,
                                    padding=p, output_padding=a, dilation=d).shape[-1]
    except RuntimeError:
        return None


def test_transposed_output_size_matches_torch_over_a_sweep():
    agree = refused = 0
    for n, k, s, p, a, d in SWEEP:
        expected = _torch_transposed_length(n, k, s, p, a, d)
        if expected is None:
            with pytest.raises(ValueError):
                convlib.transposed_output_size(n, k, s, p, a, d)
            refused += 1
        else:
            assert convlib.transposed_output_size(n, k, s, p, a, d) == expected, (n, k, s, p, a, d)
            agree += 1
    assert agree > 1000 and refused > 100  # both branches are exercised


@pytest.mark.parametrize("size", [(5, 7), (1, 4), (8, 2)])
def test_transposed_output_size_matches_conv_transpose2d_module(size):
    layer = torch.nn.ConvTranspose2d(1, 1, (3, 2), stride=(2, 3), padding=(1, 0),
                                     output_padding=(1, 2), dilation=(1, 2))
    out = layer(torch.zeros(1, 1, *size)).shape[-2:]
    assert out == (convlib.transposed_output_size(size[0], 3, 2, 1, 1, 1),
                   convlib.transposed_output_size(size[1], 2, 3, 0, 2, 2))


def test_transposed_output_size_inverts_output_size():
    for n, k, s, p in itertools.product(range(3, 12), range(1, 4), range(1, 4), range(0, 2)):
        small = convlib.output_size(n, k, s, p)
        a = (n + 2 * p - k) % s
        assert convlib.transposed_output_size(small, k, s, p, a) == n


@pytest.mark.parametrize("name, kwargs", [
    ("n", dict(n=2.0)), ("kernel_size", dict(kernel_size=True)), ("stride", dict(stride="2")),
    ("padding", dict(padding=None)), ("output_padding", dict(output_padding=0.5)),
    ("dilation", dict(dilation=(1,))),
])
def test_transposed_output_size_wrong_types(name, kwargs):
    args = dict(n=3, kernel_size=3) | kwargs
    with pytest.raises(TypeError, match=rf"{name} must be an int; got"):
        convlib.transposed_output_size(**args)


@pytest.mark.parametrize("name, kwargs, minimum", [
    ("n", dict(n=0), 1), ("kernel_size", dict(kernel_size=0), 1), ("stride", dict(stride=0), 1),
    ("padding", dict(padding=-1), 0), ("output_padding", dict(output_padding=-1), 0),
    ("dilation", dict(dilation=0), 1),
])
def test_transposed_output_size_out_of_range(name, kwargs, minimum):
    args = dict(n=3, kernel_size=3) | kwargs
    with pytest.raises(ValueError, match=rf"{name} must be at least {minimum}"):
        convlib.transposed_output_size(**args)


def test_output_padding_must_be_smaller_than_stride_or_dilation():
    with pytest.raises(ValueError, match=r"output_padding must be smaller than the stride or "
                                         r"the dilation.*output_padding=2 with stride=2 and "
                                         r"dilation=1"):
        convlib.transposed_output_size(3, 3, stride=2, output_padding=2)
    assert convlib.transposed_output_size(3, 3, stride=1, output_padding=1, dilation=2) == 8


def test_padding_that_crops_everything_is_refused():
    with pytest.raises(ValueError, match=r"padding=1 crops away the whole output.* = -1"):
        convlib.transposed_output_size(1, 1, padding=1)


# -- zero_stuff -----------------------------------------------------------------------


@pytest.mark.parametrize("n, k, s, p, a, d", [
    case for case in itertools.product((1, 2, 4), (1, 2, 3), (1, 2, 3), (0, 1, 3), (0, 1),
                                       (1, 2))
    if _torch_transposed_length(*case) is not None
])
def test_zero_stuff_computes_conv_transpose2d(n, k, s, p, a, d):
    gen = torch.Generator().manual_seed(n * 1000 + k * 100 + s * 10 + p)
    x = torch.randn(2, 3, n, n + 1, generator=gen, dtype=torch.float64)
    w = torch.randn(3, 2, k, k, generator=gen, dtype=torch.float64)  # (in, out, kh, kw)
    stuffed, inserted = convlib.zero_stuff(x, k, s, p, a, d)
    ours = convlib.conv2d(stuffed, w.transpose(0, 1).flip(-2, -1), dilation=d)
    expected = nnf.conv_transpose2d(x, w, stride=s, padding=p, output_padding=a, dilation=d)
    assert torch.allclose(ours, expected)
    assert inserted.shape == stuffed.shape[-2:] and inserted.dtype == bool
    if d * (k - 1) >= p:  # nothing cropped: every input pixel is there, the rest inserted
        assert int((~inserted).sum()) == n * (n + 1)
        assert torch.equal(stuffed[..., ~torch.from_numpy(inserted)].reshape(x.shape), x)


def test_zero_stuff_counts_and_places_the_inserted_cells():
    x = np.arange(1, 10, dtype=np.float32).reshape(3, 3)
    stuffed, inserted = convlib.zero_stuff(x, 3, stride=2, padding=1, output_padding=1)
    # 3 pixels with one zero between -> 5, a border of 3 - 1 - 1 = 1, one more after -> 8
    assert stuffed.shape == inserted.shape == (8, 8)
    assert isinstance(stuffed, np.ndarray)
    assert int(inserted.sum()) == 64 - 9
    assert np.array_equal(stuffed[1:6:2, 1:6:2], x)
    assert np.array_equal(np.argwhere(~inserted), np.argwhere(stuffed != 0))


def test_zero_stuff_with_different_settings_per_axis():
    x = torch.ones(1, 1, 2, 3)
    stuffed, inserted = convlib.zero_stuff(x, (2, 3), stride=(3, 1), padding=(0, 2))
    # rows: (2 - 1) * 3 + 1 = 4, border 1 each side -> 6; columns: 3, border 0 -> 3
    assert stuffed.shape[-2:] == (6, 3) and int(inserted.sum()) == 18 - 6


def test_zero_stuff_errors():
    with pytest.raises(ValueError, match=r"at least 2 dimensions.*got shape \(5,\)"):
        convlib.zero_stuff(np.ones(5), 3)
    with pytest.raises(ValueError, match=r"got list"):
        convlib.zero_stuff([[1.0, 2.0]], 3)
    with pytest.raises(TypeError, match=r"stride must be an int or a pair of ints; "
                                        r"got \(1, 2, 3\)"):
        convlib.zero_stuff(np.ones((3, 3)), 3, stride=(1, 2, 3))
    with pytest.raises(ValueError, match=r"output_padding must be smaller"):
        convlib.zero_stuff(np.ones((3, 3)), 3, stride=2, output_padding=2)


# -- the slide, with asymmetric padding and transposed ---------------------------------


def test_slide_with_before_after_padding_matches_torch():
    x = np.arange(1, 7, dtype=np.float32)
    slide = Slide.build(x, np.array([1.0, 10.0]), padding=((0, 0), (0, 1)))
    assert slide.padded.shape == (1, 7) and slide.pad_cells == {(0, 6)}
    expected = nnf.conv1d(nnf.pad(torch.from_numpy(x)[None, None], (0, 1)),
                          torch.tensor([[[1.0, 10.0]]]))[0, 0].numpy()
    assert np.allclose(slide.output[0], expected)


@pytest.mark.parametrize("padding", [-1, (1, 2, 3), ((0, 1), (2,)), ((0, -1), (0, 0)), 1.5])
def test_slide_rejects_bad_padding(padding):
    with pytest.raises(ValueError, match=r"padding must be an int, a \(rows, columns\) pair"):
        Slide.build(np.ones((4, 4)), np.ones((3, 3)), padding=padding)


@pytest.mark.parametrize("n, s, p, a", [(2, 1, 0, 0), (2, 2, 0, 0), (3, 2, 1, 1), (3, 3, 2, 1)])
def test_transposed_slide_matches_torch(n, s, p, a):
    x = np.arange(1, n * n + 1, dtype=np.float64).reshape(n, n)
    kernel = np.arange(1, 10, dtype=np.float64).reshape(3, 3)
    slide = Slide.transposed(x, kernel, stride=s, padding=p, output_padding=a)
    size = convlib.transposed_output_size(n, 3, s, p, a)
    expected = nnf.conv_transpose2d(torch.from_numpy(x)[None, None],
                                    torch.from_numpy(kernel)[None, None], stride=s,
                                    padding=p, output_padding=a)[0, 0].numpy()
    assert slide.steps == size * size
    assert np.allclose(slide.output, expected)
    _, inserted = convlib.zero_stuff(x, 3, s, p, a)
    assert len(slide.pad_cells) == int(inserted.sum())
    assert np.array_equal(slide.kernel, kernel[::-1, ::-1])


def test_animations_have_one_frame_per_output_value():
    x, kernel = np.ones((2, 2)), np.ones((3, 3))
    assert _frames(convlib.animate_transposed(x, kernel, stride=2)) == \
        convlib.transposed_output_size(2, 3, 2) ** 2
    signal = np.arange(1, 7)
    assert _frames(convlib.animate_slide(signal, np.full(3, 2), stride=(1, 3), colors=32)) == 2
    assert _frames(convlib.animate_slide(signal, np.full(3, 2), stride=(1, 3))) == 2  # original


def test_draw_transposed_steps_are_checked():
    fig = convlib.draw_transposed(np.ones((2, 2)), np.ones((3, 3)), step=15)
    assert isinstance(fig, Figure)
    with pytest.raises(ValueError, match=r"step must be in 0..15; got 16"):
        convlib.draw_transposed(np.ones((2, 2)), np.ones((3, 3)), step=16)


# -- fast animations: the grid artists and the frame renderer --------------------------


def test_grid_artists_return_only_what_changed():
    fig = new_figure(3, 3)
    grid = GridArtists(fig.add_subplot(), np.arange(9).reshape(3, 3), padding={(0, 0)})
    assert grid.show() == []
    changed = grid.show(highlight=[(0, 0), (1, 1)], highlight_role="kernel",
                        notes={(0, 0): "×2"})
    rects = [a for a in changed if isinstance(a, matplotlib.patches.Rectangle)]
    assert len(rects) == 3  # two cells and the outline
    assert grid.cells[(0, 0)].get_hatch() == "//" and grid.cells[(1, 1)].get_hatch() is None
    assert grid.show() == []  # back to the first drawing
    with pytest.raises(ValueError, match=r"do not fit a grid of shape \(3, 3\)"):
        grid.show(np.zeros((2, 2)))


def test_render_frames_errors():
    fig = new_figure(2, 2)
    alt = "a test animation of nothing"
    with pytest.raises(ValueError, match=r"frames must be a positive int; got 0"):
        render_frames(fig, lambda t: None, 0, alt=alt)
    with pytest.raises(ValueError, match=r"colors must be an int from 2 to 256; got 1"):
        render_frames(fig, lambda t: None, 2, colors=1, alt=alt)
    with pytest.raises(TypeError, match=r"new_figure"):
        render_frames(Figure(), lambda t: None, 2, alt=alt)  # no Agg canvas
    with pytest.raises(ValueError, match=r"alt text"):
        render_frames(fig, lambda t: None, 2, alt="  ")


def test_animations_are_crisp_and_described():
    fig = new_figure(2, 1.5)
    page = render_frames(fig, lambda t: None, 2, alt="two frames of an empty figure").data
    width = round(2 * fig.dpi / 2)  # drawn at twice the dpi, shown at the figure's size
    assert f'alt="two frames of an empty figure" style="width: {width}px"' in page
    assert 'aria-label="frame"' in page and 'aria-label="once"' in page
    assert 'aria-label="Repetition mode"' not in page  # one landmark name per page
    default = convlib.animate_slide(np.arange(6.0), np.full(3, 2.0)).data
    assert 'alt="A 1 by 3 kernel sliding over a 1 by 6 input' in default


# -- the relationships of convolution arithmetic ---------------------------------------


@pytest.mark.parametrize("r", arithmetic.RELATIONSHIPS, ids=lambda r: r.key)
def test_relationship_formula_matches_torch(r):
    x, w = (torch.from_numpy(a)[None, None] for a in r.example())
    if r.transposed:
        out = nnf.conv_transpose2d(x, w, stride=r.s, padding=r.p, output_padding=r.a,
                                   dilation=r.d)
        general = convlib.transposed_output_size(r.n, r.k, r.s, r.p, r.a, r.d)
    elif r.pooling:
        out = nnf.max_pool2d(x, r.k, stride=r.s, padding=r.p, dilation=r.d)
        general = convlib.output_size(r.n, r.k, r.s, r.p, r.d)
    else:
        out = nnf.conv2d(x, w, stride=r.s, padding=r.p, dilation=r.d)
        general = convlib.output_size(r.n, r.k, r.s, r.p, r.d)
    assert out.shape[-2:] == (r.output_size(), r.output_size()) and general == r.output_size()
    if not r.pooling:
        assert np.allclose(r.slide().output, out[0, 0].numpy())
    assert r.filled().endswith(f"= {r.output_size()}") and "{" not in r.symbolic()


def test_relationships_are_the_papers_fifteen():
    numbers = [r.number for r in arithmetic.RELATIONSHIPS]
    assert numbers == list(range(1, 16))  # each once, in the paper's order
    kinds = [r.kind for r in arithmetic.RELATIONSHIPS]
    assert kinds == ["direct"] * 6 + ["pooling"] + ["transposed"] * 7 + ["direct"]
    assert len({r.key for r in arithmetic.RELATIONSHIPS}) == 15


@pytest.mark.parametrize("key", ["padding, stride", "no padding, stride, transposed",
                                 "pooling", "dilation"])
def test_draw_relationship_marks_every_window_and_the_formula(key):
    r = convlib.relationship(key)
    fig = convlib.draw_relationship(r)
    ax_in, ax_out = fig.axes
    dots = [c for c in ax_in.collections if len(c.get_paths()) == r.output_size() ** 2
            and c.get_zorder() == 4]
    assert len(dots) == 1  # one dot per output value
    texts = [t.get_text() for t in fig.texts]
    assert any(r.filled() in t for t in texts) and f"Relationship {r.number}" in \
        fig._suptitle.get_text()
    assert fig.get_figwidth() <= convlib.style.COLUMN_INCHES + 1e-9


def test_animate_relationships_has_a_frame_per_relationship():
    assert _frames(convlib.animate_relationships()) == 15
    assert _frames(convlib.animate_relationships(["no padding", "pooling"])) == 2
    with pytest.raises(ValueError, match=r"at least one relationship"):
        convlib.animate_relationships([])


def test_animate_relationship_frames_and_lookup_errors():
    assert _frames(convlib.animate_relationship("no padding")) == 4
    with pytest.raises(ValueError, match=r"no relationship 'nope'"):
        convlib.relationship("nope")
    with pytest.raises(TypeError, match=r"a Relationship or its key; got int"):
        convlib.draw_relationship(3)


# -- the output-size figure and its sweep ----------------------------------------------


@pytest.mark.parametrize("setting", [(6, 3, 2, 1, 1), (12, 5, 3, 3, 3), (4, 1, 1, 0, 1)])
def test_draw_output_size_marks_one_dot_per_output_value(setting):
    fig = convlib.draw_output_size(*setting)
    dots = fig.axes[0].collections[-1]
    size = convlib.output_size(*setting[:2], setting[2], setting[3], setting[4])
    assert len(dots.get_paths()) == size * size
    assert f"= {size}$" in formula.formula_text(*setting)


def test_output_size_sweep_and_errors():
    assert _frames(convlib.animate_output_size([(5, 3, s, 0, 1) for s in (1, 2)])) == 2
    with pytest.raises(ValueError, match=r"kernel spans 5"):
        convlib.draw_output_size(3, 3, dilation=2)
    with pytest.raises(ValueError, match=r"needs at least one setting"):
        convlib.animate_output_size([])
    with pytest.raises(ValueError, match=r"a setting is \(n, kernel_size"):
        convlib.animate_output_size([(5, 3)])


def test_output_size_explorer_has_the_five_sliders(monkeypatch):
    monkeypatch.setenv("CONVLIB_WIDGETS", "1")
    explorer = convlib.output_size_explorer()
    names = {w.description for w in explorer.children if hasattr(w, "max")}
    assert names == {"input n", "kernel k", "padding p", "stride s", "dilation d"}


# -- padding modes and stride on pictures ----------------------------------------------


def test_padding_modes_figure_hatches_the_made_up_cells():
    fig = convlib.show_padding_modes(np.arange(1, 10).reshape(3, 3), amount=2)
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in titled] == list(convlib.PADDING_MODES)
    assert max(fig.get_size_inches()[0], 0) <= convlib.style.COLUMN_INCHES
    for ax in titled:
        hatched = [p for p in ax.patches if p.get_hatch() == "//"]
        assert len(hatched) == 7 * 7 - 3 * 3
        numbers = [float(t.get_text()) for t in ax.texts]
        mode = ax.get_title()
        expected = convlib.pad(torch.arange(1.0, 10.0).reshape(3, 3), ((2, 2), (2, 2)), mode)
        assert numbers == expected.flatten().tolist()


def test_padding_modes_errors():
    with pytest.raises(ValueError, match=r"amount must be smaller than the input's shorter "
                                         r"side, 3, for reflect padding; got 3"):
        convlib.show_padding_modes(np.ones((3, 5)), amount=3)
    with pytest.raises(ValueError, match=r"amount must be a positive int; got 0"):
        convlib.show_padding_modes(np.ones((3, 3)), amount=0)
    with pytest.raises(ValueError, match=r"2-D greyscale image; got shape \(8, 8, 3\)"):
        convlib.show_padding_modes_photo(np.ones((8, 8, 3)), amount=2)


def test_show_strided_draws_outputs_of_the_formula_size():
    image = np.random.default_rng(0).random((20, 17)).astype(np.float32)
    fig = convlib.show_strided(image, {"1x1": np.ones((1, 1)), "3x3": np.ones((3, 3))},
                               strides=(1, 2, 3))
    for ax, k in zip(fig.axes, (1, 3), strict=True):
        shapes = [im.get_array().shape for im in ax.images]
        assert shapes == [(convlib.output_size(20, k, s), convlib.output_size(17, k, s))
                          for s in (1, 2, 3)]
    with pytest.raises(ValueError, match=r"at least one kernel and one stride"):
        convlib.show_strided(image, {}, strides=(1,))


# -- the exercises' self-checks ----------------------------------------------------------


def _verdict(capsys, label, answer):
    convlib.check(label, answer)
    return capsys.readouterr().out


@pytest.mark.parametrize("label, right, wrong", [
    ("2.1", convlib.output_size(28, 5, 2, 1), [14, 12, 12.5, "13"]),
    ("2.2", (1, 2), [(2, 1), (1, 1), (1.5, 1.5), [1, 2]]),
    ("2.4", 1, [0, 2, 1.0]),
])
def test_self_checks_say_right_or_hint_without_the_answer(capsys, label, right, wrong):
    assert "correct." in _verdict(capsys, label, right)
    for answer in wrong:
        out = _verdict(capsys, label, answer)
        assert "not yet. Hint:" in out
        assert f" {right} " not in out.replace(str(answer), "")


def test_causal_self_check(capsys):
    def causal(x, w):
        return convlib.conv1d(x[None, None], w[None, None], padding=((len(w) - 1, 0),))[0, 0]

    def centred(x, w):
        return convlib.conv1d(x[None, None], w[None, None], padding=((0, len(w) - 1),))[0, 0]

    assert "correct." in _verdict(capsys, "2.3", causal)
    assert "wrong side" in _verdict(capsys, "2.3", centred)
    assert "keeps the length" in _verdict(capsys, "2.3", lambda x, w: x[1:])


def test_halving_self_check(capsys):
    from convlib.selfcheck.padding_stride import ex5_solutions
    solutions = ex5_solutions()
    assert all(convlib.output_size(64, k, s, p) == 32 for k, s, p in solutions)
    assert "correct." in _verdict(capsys, "2.5", solutions)
    assert "missing" in _verdict(capsys, "2.5", set(list(solutions)[:2]))
    assert "do not give" in _verdict(capsys, "2.5", solutions | {(3, 1, 1)})
