"""Winograd's minimal filtering: a 3x3 convolution with fewer multiplies.

Lavin and Gray (2016), "Fast algorithms for convolutional neural networks". F(m, 3)
computes m outputs of a 3-tap filter from m + 2 inputs with m + 2 multiplies instead
of 3m: transform the input tile (B^T d) and the filter (G g), multiply them element
by element, and transform the product back (A^T). Nested, F(m x m, 3 x 3) computes an
m x m output tile with (m + 2)^2 multiplies instead of 9 m^2, 2.25 times fewer for
F(2x2, 3x3) and 4 times fewer for F(4x4, 3x3).

Over a layer, each of the (m + 2)^2 transformed positions ("frequencies") sums over the
input channels: one matrix multiply (C_out x C_in) @ (C_in x tiles) per frequency,
which is where the time goes and why the method is fast. The price is accuracy: the
larger tile's transforms hold larger and inexact numbers (1/6, 1/24), and its float32
error grows (``winograd_error``).
"""

from math import ceil
from typing import NamedTuple

import torch
from torch.nn import functional as nnf

Matrix = tuple[tuple[float, ...], ...]


class Transforms(NamedTuple):
    """The three matrices of Winograd's F(m, 3), each as a tuple of rows.

    In 1-D, m outputs of the cross-correlation of d (m + 2 inputs) with g (3 taps) are
    ``y = AT @ ((G @ g) * (BT @ d))``; in 2-D the same matrices are nested, and an
    m x m output tile is ``Y = AT @ ((G @ g @ G.T) * (BT @ d @ BT.T)) @ AT.T``.
    """

    BT: Matrix  # (m + 2, m + 2): the input transform B^T
    G: Matrix  # (m + 2, 3): the filter transform
    AT: Matrix  # (m, m + 2): the output transform A^T


F2_3 = Transforms(
    BT=((1, 0, -1, 0),
        (0, 1, 1, 0),
        (0, -1, 1, 0),
        (0, 1, 0, -1)),
    G=((1, 0, 0),
       (1 / 2, 1 / 2, 1 / 2),
       (1 / 2, -1 / 2, 1 / 2),
       (0, 0, 1)),
    AT=((1, 1, 1, 0),
        (0, 1, -1, -1)),
)
"""F(2, 3): 2 outputs from 4 inputs with 4 multiplies instead of 6 (Lavin and Gray, eq. 5)."""

F4_3 = Transforms(
    BT=((4, 0, -5, 0, 1, 0),
        (0, -4, -4, 1, 1, 0),
        (0, 4, -4, -1, 1, 0),
        (0, -2, -1, 2, 1, 0),
        (0, 2, -1, -2, 1, 0),
        (0, 4, 0, -5, 0, 1)),
    G=((1 / 4, 0, 0),
       (-1 / 6, -1 / 6, -1 / 6),
       (-1 / 6, 1 / 6, -1 / 6),
       (1 / 24, 1 / 12, 1 / 6),
       (1 / 24, -1 / 12, 1 / 6),
       (0, 0, 1)),
    AT=((1, 1, 1, 1, 1, 0),
        (0, 1, -1, 2, -2, 0),
        (0, 1, 1, 4, 4, 0),
        (0, 1, -1, 8, -8, 1)),
)
"""F(4, 3): 4 outputs from 6 inputs with 6 multiplies instead of 12 (Lavin and Gray, sec. 4.2)."""

TRANSFORMS: dict[int, Transforms] = {2: F2_3, 4: F4_3}

# Images are transformed a chunk at a time: a chunk's transformed tiles take about
# CHUNK_BYTES, small enough to stay in the processor's cache, unless it takes more
# images to give each per-frequency matrix multiply MIN_TILES columns to work on.
CHUNK_BYTES = 2**20
MIN_TILES = 128


def _check(weight: torch.Tensor, stride: tuple[int, int], dilation: tuple[int, int],
           tile: int) -> None:
    if tile not in TRANSFORMS:
        raise ValueError(f"tile must be one of {tuple(TRANSFORMS)} (F(2x2, 3x3) or "
                         f"F(4x4, 3x3)); got {tile!r}")
    kernel = tuple(weight.shape[2:])
    if kernel != (3, 3) or tuple(stride) != (1, 1) or tuple(dilation) != (1, 1):
        raise ValueError(
            "winograd computes 3x3 kernels at stride 1 and dilation 1 only (F(2x2, 3x3) and "
            f"F(4x4, 3x3)); got a {kernel[0]}x{kernel[1]} kernel, stride {tuple(stride)}, "
            f"dilation {tuple(dilation)}: use another method, e.g. 'im2col'"
        )


def conv2d_winograd(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
    groups: int = 1,
    tile: int = 2,
) -> torch.Tensor:
    """Cross-correlate an already padded batch ``x`` (N, C, H, W) with 3x3 ``weight`` by
    Winograd's F(tile x tile, 3x3), ``tile`` 2 or 4; stride and dilation must be 1."""
    _check(weight, stride, dilation, tile)
    BT, G, AT = (torch.tensor(m, dtype=x.dtype, device=x.device) for m in TRANSFORMS[tile])
    # Nested, as one matrix each: (B^T d B) flattened is kron(B^T, B^T) @ (d flattened).
    to_input, to_filter, to_output = torch.kron(BT, BT), torch.kron(G, G), torch.kron(AT, AT)
    size = tile + 2  # the input tile's side; neighbouring tiles overlap by 2
    freqs = size * size
    batch, channels, height, width = x.shape
    out_channels, per_group = weight.shape[:2]
    out_h, out_w = height - 2, width - 2
    tiles_h, tiles_w = ceil(out_h / tile), ceil(out_w / tile)
    tiles = tiles_h * tiles_w  # per image

    # The filters, transformed once: U = G g G^T for every (filter, channel) pair, as
    # (frequency, group, filters, channels) for the per-frequency matrix multiplies.
    U = to_filter @ weight.reshape(out_channels * per_group, 9).T
    U = U.reshape(freqs, groups, out_channels // groups, per_group)

    # Channels first and zeros below and right, so that the tiles cover the output.
    xc = x.new_zeros(channels, batch, tiles_h * tile + 2, tiles_w * tile + 2)
    xc[:, :, :height, :width] = x.transpose(0, 1)
    out = x.new_empty(batch, out_channels, tiles_h * tile, tiles_w * tile)
    chunk = max(ceil(MIN_TILES / tiles),
                CHUNK_BYTES // (freqs * channels * tiles * x.element_size()))
    for first in range(0, batch, chunk):
        n = min(chunk, batch - first)
        d = xc[:, first:first + n].unfold(2, size, tile).unfold(3, size, tile)
        d = d.reshape(channels * n * tiles, freqs)  # one input tile per row
        # V = B^T d B for every tile at once, as (frequency, group, channels, tiles)
        V = (to_input @ d.T).reshape(freqs, groups, per_group, n * tiles)
        M = U @ V  # per frequency and group: (filters, channels) @ (channels, tiles)
        # Y = A^T M A, one output tile per row
        Y = M.reshape(freqs, out_channels * n * tiles).T @ to_output.T
        Y = Y.reshape(out_channels, n, tiles_h, tiles_w, tile, tile)
        out[first:first + n].view(n, out_channels, tiles_h, tile, tiles_w, tile).copy_(
            Y.permute(1, 0, 2, 4, 3, 5))
    return out[:, :, :out_h, :out_w]


def conv2d_winograd4(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
    groups: int = 1,
) -> torch.Tensor:
    """``conv2d_winograd`` with F(4x4, 3x3): 4 times fewer multiplies than direct, less
    accurate than F(2x2, 3x3)."""
    return conv2d_winograd(x, weight, stride, dilation, groups, tile=4)


def winograd_error(tile: int, channels: int = 16, size: int = 32, batch: int = 2,
                   seed: int = 0) -> float:
    """The largest absolute error of F(tile x tile, 3x3) in float32 against the exact
    convolution computed in float64, on standard normal data (C channels in and out)."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, channels, size, size, generator=gen, dtype=torch.float64)
    w = torch.randn(channels, channels, 3, 3, generator=gen, dtype=torch.float64)
    exact = nnf.conv2d(x, w)
    got = conv2d_winograd(x.float(), w.float(), tile=tile)
    return (got.double() - exact).abs().max().item()
