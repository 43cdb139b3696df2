"""Chapter 8's pictures: each draws within the text column with legible text, shows
what the numbers say (im2col's columns and product, Winograd's tile, the memory
orders, the roofline, the GPU tiles), and refuses what it cannot draw."""

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch.nn import functional as nnf  # noqa: E402

import convlib as cl  # noqa: E402
from convlib import bench  # noqa: E402
from convlib.draw.im2col import im2col_parts  # noqa: E402
from convlib.draw.layout import memory_order  # noqa: E402
from convlib.draw.winograd import winograd_tile  # noqa: E402

X = np.array([[3, 3, 2, 1, 0], [0, 0, 1, 3, 1], [3, 1, 2, 2, 3], [2, 0, 0, 2, 2],
              [2, 0, 0, 0, 1]], dtype=float)
K = np.array([[0, 1, 2], [2, 2, 0], [0, 1, 2]], dtype=float)



def _legible(fig) -> None:
    """Within the text column, and no text under the book's smallest font size."""
    fig.canvas.draw()
    width = fig.get_tightbbox().width
    assert width <= cl.style.COLUMN_INCHES + 0.05, width
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert min(sizes) >= cl.style.MIN_FONTSIZE


def test_im2col_parts_are_unfold_and_the_convolution():
    weights = np.stack([K, K[::-1, ::-1]])
    columns, rows, product = im2col_parts(X, weights)
    x = torch.tensor(X)[None, None]
    torch.testing.assert_close(torch.tensor(columns), nnf.unfold(x, 3)[0])
    expected = nnf.conv2d(x, torch.tensor(weights)[:, None])[0]
    torch.testing.assert_close(torch.tensor(product).reshape(2, 3, 3), expected)
    assert product[0].tolist() == [12, 12, 17, 10, 17, 19, 9, 6, 14]


def test_im2col_animation_has_a_frame_per_window_and_alt_text():
    page = cl.animate_im2col(X, np.stack([K, K[::-1, ::-1]])).data
    assert len(re.findall(r"frames\[\d+\] = \"data:image/png", page)) == 9
    assert 'alt="An animation, one frame per window' in page


def test_im2col_animation_refuses_what_does_not_fit():
    with pytest.raises(ValueError, match="does not fit"):
        im2col_parts(np.zeros((2, 2)), K)
    with pytest.raises(ValueError, match="text column"):
        cl.animate_im2col(np.zeros((9, 9)), K)


@pytest.mark.parametrize("tile", [2, 4])
def test_winograd_tile_is_the_direct_output(tile):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 4, (10, 10)).astype(float)
    parts = winograd_tile(x, K, tile, (0, 1))
    direct = nnf.conv2d(torch.tensor(x)[None, None], torch.tensor(K)[None, None])[0, 0]
    np.testing.assert_allclose(parts["Y"], direct[:tile, tile:2 * tile].numpy(), atol=1e-9)
    assert parts["M"].shape == (tile + 2, tile + 2)


def test_winograd_figure_is_legible():
    _legible(cl.draw_winograd_tile(X, K))
    with pytest.raises(ValueError, match="3x3 kernel"):
        cl.draw_winograd_tile(X, np.ones((5, 5)))
    with pytest.raises(ValueError, match="position"):
        cl.draw_winograd_tile(X, K, position=(2, 0))


def test_memory_orders_follow_the_strides():
    first = memory_order(3, 2, 3, channels_last=False)
    last = memory_order(3, 2, 3, channels_last=True)
    assert first[:3] == [(0, 0, 0), (0, 0, 1), (0, 0, 2)]
    assert last[:4] == [(0, 0, 0), (1, 0, 0), (2, 0, 0), (0, 0, 1)]
    assert sorted(first) == sorted(last)
    _legible(cl.draw_memory_layout())


def test_roofline_figure():
    points = [(layer.name, bench.layer_costs(layer).intensity, 5e9 * (n + 1))
              for n, layer in enumerate(bench.LAYERS)]
    fig = cl.plot_roofline(100e9, 20e9, points)
    _legible(fig)
    texts = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    assert "ridge" in texts and "5.0 FLOP/byte" in texts
    assert all(layer.name in texts for layer in bench.LAYERS)


def test_kernel_sweep_figure():
    timings = [bench.Timing("cpu", f"{k}x{k}", m, 1.0, t, t, t, t, 0.0)
               for k in (3, 5) for m, t in (("im2col", 1e-3 * k), ("fft", 2e-3))]
    _legible(cl.plot_kernel_sweep(timings))
    with pytest.raises(ValueError, match="no timings"):
        cl.plot_kernel_sweep([bench.Timing("cpu", "3x3", "fft", *([None] * 6))])


def test_gpu_tiles_figure():
    fig = cl.draw_gpu_tiles(200, 40, 36)
    _legible(fig)
    texts = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    assert "grid (4, 2): 8 programs" in texts and "3 steps" in texts
    with pytest.raises(ValueError, match="program"):
        cl.draw_gpu_tiles(200, 40, 36, program=(4, 0))


def test_ratio_table_figure():
    timings = [bench.Timing(d, la, m, r, 1.0, 1.0, 1.0, 1.0, 0.0) if r else
               bench.Timing(d, la, m, *([None] * 6), note="n/a: not here")
               for d in ("cpu", "cuda") for la in ("3x3", "7x7 stride 2")
               for m, r in (("loops", None), ("im2col", 1.5), ("fft", 0.5))]
    fig = cl.plot_ratios(timings)
    _legible(fig)
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert "loops" not in texts and "1.50" in texts and "0.50" in texts
    assert "cuda: 7x7 stride 2" in texts
    with pytest.raises(ValueError, match="no timings"):
        cl.plot_ratios(timings[:1])
