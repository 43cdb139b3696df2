"""The convolution theorem: convolve by multiplying Fourier transforms.

Mathieu, Henaff and LeCun (2014), "Fast training of convolutional networks through
FFTs". The discrete Fourier transform turns a circular convolution into an
element-wise product, so every output pixel costs the same whatever the kernel's
size: the method wins over sliding the kernel once kernels are large.

Deep learning's convolution is a cross-correlation: in frequency it multiplies by the
complex conjugate of the kernel's transform. The transforms are taken at (at least)
the padded input's size, so the product is a circular cross-correlation whose
windows wholly inside the input never wrap around: they are the outputs at stride 1.
A strided output is the stride-1 output subsampled, since the FFT computes every
window. At each frequency, the channels of a group are summed by a small complex
matrix multiply (batch x channels) @ (channels x filters).

The input goes through ``torch.fft.rfft2`` and the output back through ``irfft2``.
The kernel, mostly zeros once zero-filled to the input's size, is transformed by
multiplying with the few columns of the DFT matrix its taps meet (a dilated kernel's
taps are simply further apart), a block of frequency rows at a time so that its
transform, filters x channels x pixels complex numbers, is never held whole.
"""

from math import pi

import torch

# The kernel's transform is computed for about this many bytes of frequencies at a time.
CHUNK_BYTES = 2 * 2**20


def _fast_size(n: int) -> int:
    """The smallest size at least ``n`` with no prime factor above 5: a fast FFT length."""
    m = n
    while True:
        k = m
        for p in (2, 3, 5):
            while k % p == 0:
                k //= p
        if k == 1:
            return m
        m += 1


def _conjugate_dft(n: int, taps: int, step: int, count: int,
                   like: torch.Tensor) -> torch.Tensor:
    """(count, taps): exp(+2 pi i f t step / n), frequency f by tap t, the conjugate DFT
    of taps ``step`` apart zero-filled to length ``n``; of the dtype and on the device
    of ``like``."""
    turns = (torch.arange(count)[:, None] * torch.arange(taps)[None, :] * step) % n
    angle = turns.to(torch.float64) * (2 * pi / n)  # exact turns, then float64 angles
    return torch.polar(torch.ones_like(angle), angle).to(like)


def conv2d_fft(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
    groups: int = 1,
) -> torch.Tensor:
    """Cross-correlate an already padded batch ``x`` (N, C, H, W) with ``weight`` through
    the FFT."""
    batch, channels, height, width = x.shape
    out_channels, per_group, kernel_h, kernel_w = weight.shape
    filters = out_channels // groups
    out_h = height - dilation[0] * (kernel_h - 1)  # at stride 1
    out_w = width - dilation[1] * (kernel_w - 1)
    if batch == 0:  # the FFT of an empty batch is an error, not an empty transform
        return x.new_zeros(0, out_channels, (out_h - 1) // stride[0] + 1,
                           (out_w - 1) // stride[1] + 1)
    size = (_fast_size(height), _fast_size(width))
    X = torch.fft.rfft2(x, s=size)  # (N, C, size_h, size_w // 2 + 1), complex
    rows, cols = X.shape[-2:]
    X = X.view(batch, groups, per_group, rows, cols)

    # The kernel's conjugate transform along its width, for each row of taps:
    # (kernel_h, cols, groups * channels * filters)
    w = weight.view(groups, filters, per_group, kernel_h, kernel_w).permute(3, 4, 0, 2, 1)
    across = _conjugate_dft(size[1], kernel_w, dilation[1], cols, X)
    across = across @ w.to(X.dtype).reshape(kernel_h, kernel_w, -1)
    down = _conjugate_dft(size[0], kernel_h, dilation[0], rows, X)

    Y = X.new_empty(batch, groups, filters, rows, cols)
    chunk = max(1, CHUNK_BYTES // across[0].numel() // X.element_size())
    for top in range(0, rows, chunk):
        n = min(chunk, rows - top)
        # the kernel's transform at these frequency rows: (n * cols * groups, channels, filters)
        K = (down[top:top + n] @ across.reshape(kernel_h, -1)).view(
            n * cols * groups, per_group, filters)
        Xf = X[..., top:top + n, :].permute(3, 4, 1, 0, 2).contiguous()  # as bmm needs
        # at every frequency: (batch, channels) @ (channels, filters)
        Yf = torch.bmm(Xf.view(n * cols * groups, batch, per_group), K)
        Y[..., top:top + n, :] = Yf.view(n, cols, groups, batch, filters).permute(3, 2, 4, 0, 1)
    y = torch.fft.irfft2(Y.view(batch, out_channels, rows, cols), s=size)
    return y[:, :, :out_h:stride[0], :out_w:stride[1]]
