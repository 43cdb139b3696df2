"""convlib: the shared library of *Convolutions, Hands-On*.

Convolutions written out so they can be read, checked against PyTorch, and drawn.
Every chapter imports it as ``import convlib as cl``.
"""

from . import style
from .architectures import Parallel, alexnet, channels_per_layer, googlenet, vgg16
from .arithmetic import (
    RELATIONSHIPS,
    animate_relationship,
    draw_relationship,
    relationship,
)
from .colour import show_channels
from .conv import METHODS, conv1d, conv2d
from .counts import conv_macs, conv_params
from .datasets import mnist, small_digits
from .device import device, seed
from .diagrams import draw_connections, draw_pipeline
from .equivariance import border_margin, equivariance_gap, show_equivariance, translate
from .erfplots import plot_erf_growth, plot_erf_profile, plot_field_growth, show_erf
from .explore import output_size_explorer, slide_explorer
from .features import (
    Visualisation,
    edge_blob_share,
    gradient_ascent,
    show_features,
    show_tiles,
    visualise_features,
)
from .field_explorer import receptive_field_explorer
from .fieldplots import (
    animate_field_growth,
    animate_field_stack,
    draw_field_overlay,
    draw_field_stack,
    show_contributions,
    show_pyramid,
)
from .filters import KERNELS, apply_kernel, kernel, show_filtered
from .formula import animate_output_size, draw_output_size
from .grids import draw_grid, show_grids, show_pixels
from .groups import animate_groups, draw_groups, groups_explorer, valid_groups
from .hierarchy import TopPatches, show_top_patches, top_patches
from .im2col import im2col
from .images import photo
from .layers import draw_layer
from .linear_map import (
    animate_conv_matrix,
    animate_conv_matrix_settings,
    conv_matrix,
    conv_matrix_explorer,
    conv_matrix_index,
    draw_conv_matrix,
    weight_colours,
)
from .locality import (
    neighbour_correlation,
    permute_pixels,
    pixel_permutation,
    show_accuracies,
    show_permuted,
)
from .loops import conv2d_loops
from .models import count_parameters, mlp, small_cnn
from .multichannel import animate_multichannel, draw_multichannel
from .padding import PADDING_MODES, pad, same_padding
from .padmodes import show_padding_modes, show_padding_modes_photo
from .receptive import (
    FieldRow,
    ReceptiveField,
    effective_receptive_field,
    erf_spread,
    field_step,
    nonzero_box,
    open_paths,
    receptive_field,
)
from .resnet import resnet50_parameters
from .selfcheck import check
from .shapes import output_size, transposed_output_size
from .slide import animate_slide, animate_transposed, draw_slide, draw_transposed
from .source import show_source
from .stacking import draw_stacking
from .strided import show_strided
from .training import History, evaluate, train
from .transposed import zero_stuff

style.use()

__all__ = [
    "FieldRow",
    "History",
    "KERNELS",
    "METHODS",
    "PADDING_MODES",
    "Parallel",
    "RELATIONSHIPS",
    "ReceptiveField",
    "TopPatches",
    "Visualisation",
    "alexnet",
    "animate_conv_matrix",
    "animate_conv_matrix_settings",
    "animate_field_growth",
    "animate_field_stack",
    "animate_groups",
    "animate_multichannel",
    "animate_output_size",
    "animate_relationship",
    "animate_slide",
    "animate_transposed",
    "apply_kernel",
    "border_margin",
    "channels_per_layer",
    "check",
    "conv1d",
    "conv2d",
    "conv2d_loops",
    "conv_macs",
    "conv_matrix",
    "conv_matrix_explorer",
    "conv_matrix_index",
    "conv_params",
    "count_parameters",
    "device",
    "draw_connections",
    "draw_conv_matrix",
    "draw_field_overlay",
    "draw_field_stack",
    "draw_grid",
    "draw_groups",
    "draw_layer",
    "draw_multichannel",
    "draw_output_size",
    "draw_pipeline",
    "draw_relationship",
    "draw_slide",
    "draw_stacking",
    "draw_transposed",
    "edge_blob_share",
    "effective_receptive_field",
    "equivariance_gap",
    "erf_spread",
    "evaluate",
    "field_step",
    "googlenet",
    "gradient_ascent",
    "groups_explorer",
    "im2col",
    "kernel",
    "mlp",
    "mnist",
    "neighbour_correlation",
    "nonzero_box",
    "open_paths",
    "output_size",
    "output_size_explorer",
    "pad",
    "permute_pixels",
    "photo",
    "pixel_permutation",
    "plot_erf_growth",
    "plot_erf_profile",
    "plot_field_growth",
    "receptive_field",
    "receptive_field_explorer",
    "relationship",
    "resnet50_parameters",
    "same_padding",
    "seed",
    "show_accuracies",
    "show_channels",
    "show_contributions",
    "show_equivariance",
    "show_erf",
    "show_features",
    "show_filtered",
    "show_grids",
    "show_padding_modes",
    "show_padding_modes_photo",
    "show_permuted",
    "show_pixels",
    "show_pyramid",
    "show_source",
    "show_strided",
    "show_tiles",
    "show_top_patches",
    "slide_explorer",
    "small_cnn",
    "small_digits",
    "style",
    "top_patches",
    "train",
    "translate",
    "transposed_output_size",
    "valid_groups",
    "vgg16",
    "visualise_features",
    "weight_colours",
    "zero_stuff",
]
