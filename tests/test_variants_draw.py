"""Chapter 6's pictures draw without error, say what they show, and refuse bad input."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from IPython.display import HTML, Markdown  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import convlib as cl  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(fig: Figure) -> str:
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def test_filter_shapes():
    fig = cl.draw_filter_shapes(channels=(4, 3, 2), kernel=3, length=5)
    text = _texts(fig)
    for shape in ("filter (4, 5)", "filter (3, 3, 3)", "filter (2, 3, 3, 3)",
                  "weight (C_out, 2, 3, 3, 3)"):
        assert shape in text
    assert fig.get_figwidth() <= cl.style.COLUMN_INCHES + 1e-9
    with pytest.raises(ValueError, match="three channel counts"):
        cl.draw_filter_shapes(channels=(4, 3))
    with pytest.raises(ValueError, match="at least 1"):
        cl.draw_filter_shapes(kernel=0)


def test_signal_match():
    rng = np.random.default_rng(0)
    signal = rng.standard_normal((3, 60))
    output = rng.standard_normal(60 - 9 + 1)
    fig = cl.show_signal_match(signal, 10, 9, output, rate=20.0, marks=[10])
    assert "filter (3, 9)" in _texts(fig)
    assert fig.get_figwidth() <= cl.style.COLUMN_INCHES + 1e-9
    with pytest.raises(ValueError, match="has 52 values"):
        cl.show_signal_match(signal, 10, 9, output[:-1], rate=20.0)
    with pytest.raises(ValueError, match="start must be"):
        cl.show_signal_match(signal, 55, 9, output, rate=20.0)
    with pytest.raises(ValueError, match="channels, samples"):
        cl.show_signal_match(signal[0], 10, 9, output, rate=20.0)


def test_stamps_animation_says_what_it_shows():
    html = cl.animate_stamps([[1, 2], [3, 4]], [[1, 2, 1], [2, 4, 2], [1, 2, 1]], stride=2)
    assert isinstance(html, HTML)
    assert 'alt="A 2 by 2 input and a 3 by 3 kernel' in html.data
    assert html.data.count("data:image/png;base64") == 5  # one frame per value, and the sum
    with pytest.raises(ValueError, match="stride must be at least 1"):
        cl.animate_stamps([[1, 2]], [[1, 1]], stride=0)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        cl.animate_stamps(np.ones((2, 2, 2)), [[1, 1]])


def test_overlap_figure_and_animation():
    fig = cl.draw_overlap([(3, 2), (4, 2)], size=4)
    text = _texts(fig)
    assert "1, 2 or 4 stamps" in text and "4 stamps everywhere" in text
    assert fig.get_figwidth() <= cl.style.COLUMN_INCHES + 1e-9
    html = cl.animate_overlap([(2, 2), (3, 2), (2, 3)])
    assert html.data.count("data:image/png;base64") == 3
    assert "kernel 2, stride 3" in html.data  # in the alt text
    for bad, error in (([], ValueError), ([(3,)], ValueError), ([(0, 2)], ValueError),
                       ([(3, 1.5)], TypeError)):
        with pytest.raises(error):
            cl.draw_overlap(bad)
    with pytest.raises(ValueError, match="length must be at least 1"):
        cl.animate_overlap([(3, 2)], length=0)


def test_show_images():
    rows = {"a": {"one": np.ones((4, 6)), "two": np.zeros((4, 6))},
            "b": {"three": np.arange(24.0).reshape(4, 6)}}
    fig = cl.show_images(rows, role={"a": "input", "b": "output"}, same_scale=True)
    assert "three" in _texts(fig)
    assert fig.get_figwidth() <= cl.style.COLUMN_INCHES + 1e-9
    assert cl.show_images({"": {"signed": np.linspace(-1, 1, 9).reshape(3, 3)}}, signed=True)
    with pytest.raises(ValueError, match="at least one row"):
        cl.show_images({})
    with pytest.raises(ValueError, match="must be 2-D"):
        cl.show_images({"": {"flat": np.ones(5)}})
    with pytest.raises(ValueError, match="a role for every row"):
        cl.show_images(rows, role={"a": "input"})


def test_depthwise_separable_picture_counts_the_weights():
    text = _texts(cl.draw_depthwise_separable(3, 128, 3))
    assert "3,456 weights" in text and "27 + 384 = 411 weights" in text
    text = _texts(cl.draw_depthwise_separable(32, 64, 3))
    assert "18,432 weights" in text and "288 + 2,048 = 2,336 weights" in text
    with pytest.raises(ValueError, match="at least 1"):
        cl.draw_depthwise_separable(in_channels=0)


def test_reached_pixels_of_dilated_stacks():
    assert cl.reached([2, 2], 11).sum() == 25  # gridding: every other row and column
    assert cl.reached([1, 2, 3], 15).sum() == 13 * 13  # mixed rates fill the span
    assert cl.reached([3], 9).sum() == 9
    with pytest.raises(ValueError, match="at least one dilation"):
        cl.reached([], 9)


def test_dilated_grids():
    fig = cl.draw_dilated(dilations=(1, 2, 3), stacked=(2, 2), size=11)
    text = _texts(fig)
    assert "span 7×7" in text and "reach 25 of 81 pixels" in text
    assert fig.get_figwidth() <= cl.style.COLUMN_INCHES + 1e-9
    with pytest.raises(ValueError, match="more than the 11 drawn"):
        cl.draw_dilated(dilations=(6,), size=11)
    with pytest.raises(ValueError, match="the stack spans"):
        cl.draw_dilated(dilations=(), stacked=(3, 3), size=11)
    with pytest.raises(ValueError, match="nothing to draw"):
        cl.draw_dilated(dilations=(), stacked=())


def test_sampling_points():
    image = np.zeros((10, 10))
    regular = np.array([(4 + a, 5 + b) for a in (-1, 0, 1) for b in (-1, 0, 1)], float)
    fig = cl.show_sampling_points({"regular": (image, regular, None),
                                   "moved": (image, regular + 0.5, regular)})
    assert "moved" in _texts(fig)
    with pytest.raises(ValueError, match="one shape"):
        cl.show_sampling_points({"bad": (image, regular, regular[:4])})
    with pytest.raises(ValueError, match=r"\(P, 2\)"):
        cl.show_sampling_points({"bad": (image, regular[:, 0], None)})
    with pytest.raises(ValueError, match="at least one panel"):
        cl.show_sampling_points({})
    zoomed = cl.show_sampling_points({"near": (image, regular, None)}, zoom=(2, 7, 3, 8))
    assert zoomed.axes[0].get_xlim() == (2.5, 7.5)
    with pytest.raises(ValueError, match="zoom must be"):
        cl.show_sampling_points({"near": (image, regular, None)}, zoom=(5, 2, 3, 8))


def test_drift():
    even = np.array([[0, 0, 1, 0, 0], [0, 1, 1, 0, 0], [1, 2, 1, 0, 0]], dtype=float)
    fig = cl.draw_drift({"even": even, "odd": even[:, ::-1]})
    assert "2 layers" in _texts(fig)
    with pytest.raises(ValueError, match="same shape"):
        cl.draw_drift({"a": even, "b": even[:2]})
    with pytest.raises(ValueError, match="at least one grid"):
        cl.draw_drift({})


def test_overlap_explorer_follows_the_switch(monkeypatch):
    monkeypatch.setenv("CONVLIB_WIDGETS", "0")
    assert isinstance(cl.overlap_explorer(), Markdown)
    monkeypatch.setenv("CONVLIB_WIDGETS", "1")
    explorer = cl.overlap_explorer()
    assert isinstance(explorer, widgets.interactive)
    assert [c.description for c in explorer.children if hasattr(c, "max")] == ["kernel",
                                                                                 "stride"]
