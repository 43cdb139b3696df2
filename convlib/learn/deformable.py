"""A deformable convolution layer, the warped digits it is tried on, and the points it
samples.

``DeformConv2d`` is the layer of Dai et al. (2017): a sibling convolution looks at the
input and predicts, for every output position, one (dy, dx) offset per kernel
position; ``convlib.deform_conv2d`` then reads the input at the moved positions,
bilinearly. The sibling starts at zero, so a fresh layer computes exactly the plain
convolution with the same weights, and anything else it does is learned. With
``modulated`` a second sibling predicts a mask in (0, 1) per sample (Zhu et al.,
2019), starting at 0.5.

``twin_cnns`` builds a plain CNN and the same CNN with its first layer deformable, from
the same starting weights; ``swirl`` and ``warp`` make the fixed distortion of the
chapter's toy task.
"""

import copy
import math

import torch
from torch import nn
from torch.nn import functional as nnf
from torch.utils.data import TensorDataset

from ..ops.deformable import deform_conv2d
from ..sizes.arguments import positive


class DeformConv2d(nn.Module):
    """A 2-D deformable convolution with offsets predicted by a sibling convolution.

    ``weight`` and ``bias`` are those of ``nn.Conv2d`` with the same arguments (and the
    same random initialisation). ``offset`` is an ``nn.Conv2d`` from the input to
    2 * k_h * k_w channels, with the layer's kernel size, stride, padding and
    dilation so that it predicts one (dy, dx) per kernel position for every output
    position; it is initialised to zero. With ``modulated``, ``mask`` predicts k_h *
    k_w channels, squashed by a sigmoid; initialised to zero, so every mask starts at
    0.5.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple[int, int],
                 stride: int | tuple[int, int] = 1, padding: int | tuple[int, int] = 0,
                 dilation: int | tuple[int, int] = 1, bias: bool = True,
                 modulated: bool = False) -> None:
        super().__init__()
        plain = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation,
                          bias=bias)
        self.weight = plain.weight
        self.bias = plain.bias
        self.kernel_size = plain.kernel_size
        self.stride, self.padding, self.dilation = plain.stride, plain.padding, plain.dilation
        taps = self.kernel_size[0] * self.kernel_size[1]
        self.offset = nn.Conv2d(in_channels, 2 * taps, kernel_size, stride, padding, dilation)
        nn.init.zeros_(self.offset.weight)
        nn.init.zeros_(self.offset.bias)
        self.mask: nn.Conv2d | None = None
        if modulated:
            self.mask = nn.Conv2d(in_channels, taps, kernel_size, stride, padding, dilation)
            nn.init.zeros_(self.mask.weight)
            nn.init.zeros_(self.mask.bias)

    @classmethod
    def from_conv(cls, conv: nn.Conv2d, modulated: bool = False) -> "DeformConv2d":
        """A deformable layer with ``conv``'s settings and a copy of its weights, which
        computes exactly what ``conv`` computes until its offsets learn."""
        if not isinstance(conv, nn.Conv2d) or conv.groups != 1 or conv.padding_mode != "zeros":
            raise TypeError("from_conv takes an nn.Conv2d with groups=1 and zero padding")
        if isinstance(conv.padding, str):
            raise ValueError("from_conv needs the padding as numbers, not 'same' or 'valid'")
        layer = cls(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride,
                    conv.padding, conv.dilation, bias=conv.bias is not None, modulated=modulated)
        layer = layer.to(device=conv.weight.device, dtype=conv.weight.dtype)
        with torch.no_grad():
            layer.weight.copy_(conv.weight)
            if conv.bias is not None:
                layer.bias.copy_(conv.bias)
        return layer

    def offsets(self, x: torch.Tensor) -> torch.Tensor:
        """The (dy, dx) of every kernel position at every output position,
        (N, 2 * k_h * k_w, out_h, out_w), in the layout of ``deform_conv2d``."""
        return self.offset(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mask = None if self.mask is None else torch.sigmoid(self.mask(x))
        return deform_conv2d(x, self.offsets(x), self.weight, self.bias, self.stride,
                             self.padding, self.dilation, mask)

    @torch.no_grad()
    def sampling_points(self, x: torch.Tensor) -> torch.Tensor:
        """Where in ``x`` each kernel position reads, for every output position:
        (N, k_h * k_w, 2, out_h, out_w), (row, column) in pixels of ``x``."""
        offsets = self.offsets(x)
        batch, _, out_h, out_w = offsets.shape
        kh, kw = self.kernel_size
        like = {"dtype": offsets.dtype, "device": offsets.device}
        rows = (torch.arange(out_h, **like) * self.stride[0] - self.padding[0])[:, None]
        cols = (torch.arange(out_w, **like) * self.stride[1] - self.padding[1])[None, :]
        taps = [(a * self.dilation[0], b * self.dilation[1]) for a in range(kh)
                for b in range(kw)]
        grid = torch.stack([torch.stack([(rows + a).expand(out_h, out_w),
                                         (cols + b).expand(out_h, out_w)])
                            for a, b in taps])  # (taps, 2, out_h, out_w)
        return grid[None] + offsets.reshape(batch, kh * kw, 2, out_h, out_w)

    def extra_repr(self) -> str:
        out_channels, in_channels = self.weight.shape[:2]
        return (f"{in_channels}, {out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, dilation={self.dilation}, "
                f"modulated={self.mask is not None}")


def twin_cnns(image_size: int = 14, channels: tuple[int, int] = (16, 32),
              num_classes: int = 10) -> tuple[nn.Sequential, nn.Sequential]:
    """A plain CNN and its deformable twin, from the same starting weights.

    Both are two 3x3 convolutions (padding 1), each followed by ReLU and 2x2 max
    pooling, then a linear classifier; the twin's first convolution is a
    ``DeformConv2d`` holding the same weights, with its offsets at zero. Until training
    moves the offsets, the two compute the same function.
    """
    positive("image_size", image_size)
    if image_size < 4:
        raise ValueError(f"image_size must be at least 4 (two 2x2 poolings); got {image_size}")
    c1, c2 = (positive("channels", c) for c in channels)
    side = image_size // 2 // 2
    plain = nn.Sequential(
        nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * side * side, num_classes),
    )
    twin = copy.deepcopy(plain)
    twin[0] = DeformConv2d.from_conv(plain[0])
    return plain, twin


def swirl(size: int, strength: float = 2.5, radius: float | None = None) -> torch.Tensor:
    """A swirl about the centre of a ``size`` x ``size`` image, as a displacement field
    (size, size, 2): pixel p of the warped image is read from the original at p plus
    the (dy, dx) stored at p. The turn is ``strength`` radians at the centre and fades
    as exp(-distance / radius) (``radius`` defaults to half the size)."""
    positive("size", size)
    if not math.isfinite(strength):
        raise ValueError(f"strength must be a finite number; got {strength!r}")
    radius = size / 2 if radius is None else radius
    if not radius > 0:
        raise ValueError(f"radius must be positive; got {radius!r}")
    ys, xs = torch.meshgrid(torch.arange(size, dtype=torch.float32),
                            torch.arange(size, dtype=torch.float32), indexing="ij")
    centre = (size - 1) / 2
    dy, dx = ys - centre, xs - centre
    angle = strength * torch.exp(-torch.sqrt(dy**2 + dx**2) / radius)
    cos, sin = torch.cos(angle), torch.sin(angle)
    return torch.stack([dy * cos - dx * sin - dy, dy * sin + dx * cos - dx], dim=-1)


def warp(images: torch.Tensor, flow: torch.Tensor) -> torch.Tensor:
    """``images`` (N, C, H, W) read at p + ``flow[p]`` for every pixel p (bilinearly, zero
    outside): the same fixed warp for every image."""
    if images.dim() != 4:
        raise ValueError(f"warp expects images of shape (N, C, H, W); got {tuple(images.shape)}")
    batch, _, height, width = images.shape
    if tuple(flow.shape) != (height, width, 2):
        raise ValueError(f"flow must have shape ({height}, {width}, 2) for these images; got "
                         f"{tuple(flow.shape)}")
    ys, xs = torch.meshgrid(torch.arange(height, dtype=images.dtype, device=images.device),
                            torch.arange(width, dtype=images.dtype, device=images.device),
                            indexing="ij")
    flow = flow.to(images)
    gy = (ys + flow[..., 0]) / (height - 1) * 2 - 1
    gx = (xs + flow[..., 1]) / (width - 1) * 2 - 1
    grid = torch.stack([gx, gy], dim=-1).expand(batch, height, width, 2)
    return nnf.grid_sample(images, grid, mode="bilinear", padding_mode="zeros",
                           align_corners=True)


def shrink(images: torch.Tensor, factor: int = 2) -> torch.Tensor:
    """``images`` (N, C, H, W) averaged over ``factor`` x ``factor`` blocks: a smaller
    version, ``factor`` times fewer pixels per side."""
    positive("factor", factor)
    return nnf.avg_pool2d(images, factor)


def warped_digits(data: TensorDataset, flow: torch.Tensor | None, factor: int = 2) -> TensorDataset:
    """The digits of ``data`` shrunk by ``factor`` and, unless ``flow`` is None, warped
    by it; the labels unchanged."""
    images, labels = data.tensors
    small = shrink(images, factor)
    return TensorDataset(small if flow is None else warp(small, flow), labels)


def offset_size(layer: DeformConv2d, x: torch.Tensor) -> torch.Tensor:
    """How far, in pixels, each kernel position of ``layer`` reads from its regular place
    for the inputs ``x``: the length of every (dy, dx), (N, taps, out_h, out_w)."""
    if not isinstance(layer, DeformConv2d):
        raise TypeError(f"offset_size takes a DeformConv2d; got {type(layer).__name__}")
    with torch.no_grad():
        offsets = layer.offsets(x)
    batch, _, out_h, out_w = offsets.shape
    moves = offsets.reshape(batch, -1, 2, out_h, out_w)
    return moves.norm(dim=2)

