"""The convolution as a Triton kernel: an implicit matrix multiply, one tile per program.

The "im2col" matrix product (output pixels x (channels * kernel taps)) @ ((channels *
kernel taps) x filters), without ever building the column matrix: each program of
the kernel computes a BLOCK_M x BLOCK_N tile of the output (BLOCK_M output pixels of
the batch, BLOCK_N filters of one group), loading BLOCK_K columns of the virtual
matrix at a time straight from the input by their addresses. Stride, dilation and
groups are only arithmetic on those addresses.

On CUDA tensors the kernel is compiled for the GPU. On CPU tensors it runs through
Triton's interpreter, which executes the same code with NumPy, slowly: it is there so
that the kernel can be read, stepped through and tested without a GPU. Triton reads
the environment variable TRITON_INTERPRET when it is imported; importing this module
sets it to 1 when PyTorch sees no GPU (unless it is already set), and ``conv2d`` imports
it only when the method is first used, so on such a machine the method simply works,
interpreted (unless Triton was imported before). On a
machine with a GPU, set TRITON_INTERPRET=1 before the first call to run CPU tensors.

Float64 is accumulated in float64, the other types in float32; the matrix products
use IEEE float32 arithmetic (no TF32), to match PyTorch's default on the CPU.
"""

import os
from collections.abc import Callable
from functools import cache

import torch

# The version of Triton this module is tested with (see requirements.txt).
TRITON_VERSION = "3.9.0"

if not torch.cuda.is_available():
    os.environ.setdefault("TRITON_INTERPRET", "1")

# The tile each program computes: output pixels, filters, and the depth of a step.
# tl.dot needs at least 16 in every direction on a GPU.
BLOCK_M, BLOCK_N, BLOCK_K = 64, 32, 16


@cache
def load_kernel() -> tuple[Callable, bool]:
    """Import Triton and define the kernel (once): the kernel, and whether it is the
    interpreted one (for CPU tensors) rather than compiled (for CUDA tensors)."""
    try:
        import triton
        import triton.language as tl
    except ImportError as error:
        raise ImportError(
            f"method 'triton' needs the Triton package, which is not installed: "
            f"pip install triton=={TRITON_VERSION}"
        ) from error

    @triton.jit
    def conv2d_tile(
        x_ptr, w_ptr, out_ptr,
        out_h, out_w, pixels, per_group, filters, depth,
        x_sn, x_sc, x_sh, x_sw,
        stride_h, stride_w, dil_h, dil_w,
        KERNEL_W: tl.constexpr, TAPS: tl.constexpr, FP64: tl.constexpr,
        BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
    ):
        group = tl.program_id(2)
        # this program's tile: BLOCK_M output pixels (n, i, j) by BLOCK_N filters
        m = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
        f = tl.program_id(1) * BLOCK_N + tl.arange(0, BLOCK_N)  # filters of the group
        n = (m // (out_h * out_w)).to(tl.int64)
        i = (m // out_w) % out_h
        j = m % out_w
        filter_ = group * filters + f
        acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float64 if FP64 else tl.float32)
        for k0 in range(0, depth, BLOCK_K):
            k = k0 + tl.arange(0, BLOCK_K)  # (channel, tap row, tap column), flattened
            channel = group * per_group + k // TAPS
            a = (k % TAPS) // KERNEL_W
            b = k % KERNEL_W
            rows = i[:, None] * stride_h + a[None, :] * dil_h
            cols = j[:, None] * stride_w + b[None, :] * dil_w
            address = (n[:, None] * x_sn + channel[None, :] * x_sc
                       + rows * x_sh + cols * x_sw)
            inside = (m[:, None] < pixels) & (k[None, :] < depth)
            windows = tl.load(x_ptr + address, mask=inside, other=0.0)
            # weight is contiguous: (filter, channel, a, b) is at filter * depth + k
            weights = tl.load(
                w_ptr + filter_[None, :].to(tl.int64) * depth + k[:, None],
                mask=(k[:, None] < depth) & (f[None, :] < filters), other=0.0)
            acc = tl.dot(windows, weights, acc, input_precision="ieee")
        plane = out_h * out_w
        place = (n[:, None] * (tl.num_programs(2) * filters * plane)
                 + filter_[None, :] * plane + (i * out_w + j)[:, None])
        tl.store(out_ptr + place, acc.to(out_ptr.dtype.element_ty),
                 mask=(m[:, None] < pixels) & (f[None, :] < filters))

    return conv2d_tile, not isinstance(conv2d_tile, triton.runtime.jit.JITFunction)


def conv2d_triton(
    x: torch.Tensor,
    weight: torch.Tensor,
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
    groups: int = 1,
) -> torch.Tensor:
    """Cross-correlate an already padded batch ``x`` (N, C, H, W) with ``weight`` by a
    Triton kernel: compiled on CUDA tensors, interpreted on CPU tensors."""
    kernel, interpreted = load_kernel()
    if x.device.type == "cpu" and not interpreted:
        raise ValueError(
            "method 'triton' runs CPU tensors through Triton's interpreter, but the kernel "
            "was compiled for the GPU: set TRITON_INTERPRET=1 before the first call, or "
            "move the tensors to CUDA"
        )
    batch, _, height, width = x.shape
    out_channels, per_group, kernel_h, kernel_w = weight.shape
    filters = out_channels // groups
    out_h = (height - dilation[0] * (kernel_h - 1) - 1) // stride[0] + 1
    out_w = (width - dilation[1] * (kernel_w - 1) - 1) // stride[1] + 1
    out = x.new_empty(batch, out_channels, out_h, out_w)
    pixels = batch * out_h * out_w
    if pixels == 0:
        return out
    grid = (-(-pixels // BLOCK_M), -(-filters // BLOCK_N), groups)
    kernel[grid](
        x, weight.contiguous(), out,
        out_h, out_w, pixels, per_group, filters, per_group * kernel_h * kernel_w,
        *x.stride(), *stride, *dilation,
        KERNEL_W=kernel_w, TAPS=kernel_h * kernel_w, FP64=x.dtype == torch.float64,
        BLOCK_M=BLOCK_M, BLOCK_N=BLOCK_N, BLOCK_K=BLOCK_K,
    )
    return out

