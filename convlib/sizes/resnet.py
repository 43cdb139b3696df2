"""ResNet-50's parameters, counted layer by layer from its published architecture.

He, Zhang, Ren and Sun, "Deep Residual Learning for Image Recognition" (2016),
Table 1: a 7x7 convolution, then four stages of 3, 4, 6 and 3 bottleneck blocks
(1x1, 3x3, 1x1 convolutions, the last one widening by 4), a 1x1 projection where a
stage changes the shape, batch normalisation after every convolution, and a
1000-way linear classifier. Counting needs only the shapes, not the model.
"""

from .counts import conv_params

STAGES = ((64, 3), (128, 4), (256, 6), (512, 3))  # (width, blocks) of each stage
EXPANSION = 4  # a bottleneck's last 1x1 convolution widens its width by this factor


def _norm(channels: int) -> int:
    """Batch normalisation learns a scale and a shift per channel."""
    return 2 * channels


def resnet50_parameters(num_classes: int = 1000) -> dict[str, int]:
    """ResNet-50's learned numbers, by part: stem, the four stages and the classifier.

    Convolutions have no bias (batch normalisation's shift replaces it); the classifier
    is a linear layer with a bias. ``sum(resnet50_parameters().values())`` is the total.
    """
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive int; got {num_classes!r}")
    parts = {"stem (7x7 conv)": conv_params(3, 64, 7, bias=False) + _norm(64)}
    channels = 64
    for stage, (width, blocks) in enumerate(STAGES, start=1):
        total = 0
        for block in range(blocks):
            out = width * EXPANSION
            total += conv_params(channels, width, 1, bias=False) + _norm(width)
            total += conv_params(width, width, 3, bias=False) + _norm(width)
            total += conv_params(width, out, 1, bias=False) + _norm(out)
            if block == 0:  # the projection shortcut, where the shape changes
                total += conv_params(channels, out, 1, bias=False) + _norm(out)
            channels = out
        parts[f"stage {stage} ({blocks} blocks)"] = total
    parts["classifier"] = channels * num_classes + num_classes
    return parts
