"""convlib: the shared library of *Convolutions, Hands-On*.

Convolutions written out so they can be read, checked against PyTorch, and drawn.
Every chapter imports it as ``import convlib as cl`` and uses the names below as
``cl.name``. The package is organised by concept:

* ``convlib.ops``: the convolution computed (arguments, padding, each method, the
  convolution as a matrix, hand-set kernels);
* ``convlib.sizes``: output sizes, parameter and multiply-add counts, receptive
  fields, the classic architectures;
* ``convlib.data``: photographs and digits from installed packages;
* ``convlib.learn``: models, training and the chapters' experiments;
* ``convlib.draw``: the pictures, in one visual language;
* ``convlib.explore``: the live notebook's explorers;
* ``convlib.selfcheck``: the exercises' self-checks;
* ``convlib.runtime``: the device, seeding, and whether anyone is watching.

The numbers (``ops``, ``sizes``, ``data``, ``learn``) never import matplotlib,
ipywidgets or IPython. Every name is loaded on first use, so ``import convlib`` is
quick and ``cl.conv2d`` in a script never loads the plotting library.
"""

from importlib import import_module

# Each public name, by the module that defines it (relative to this package).
_HOMES: dict[str, tuple[str, ...]] = {
    "runtime": ("device", "seed"),
    "ops.conv": ("GENERAL_METHODS", "METHODS", "METHODS_3D", "conv1d", "conv2d", "conv3d"),
    "ops.winograd": ("F2_3", "F4_3", "winograd_error"),
    "ops.loops": ("conv2d_loops", "conv3d_loops"),
    "ops.nested": ("conv2d_nested",),
    "ops.machine": ("memory_bandwidth", "peak_flops", "time_in_turns", "timing_clock"),
    "ops.im2col": ("im2col",),
    "ops.padding": ("PADDING_MODES", "pad"),
    "ops.transposed": ("TRANSPOSED_METHODS", "conv_transpose1d", "conv_transpose2d",
                       "conv_transpose3d", "zero_stuff"),
    "ops.separable": ("depthwise_separable_conv2d", "separate_kernel"),
    "ops.deformable": ("deform_conv2d",),
    "ops.matrix": ("conv_matrix", "conv_matrix_index"),
    "ops.kernels": ("KERNELS", "apply_kernel", "kernel"),
    "sizes.shapes": ("output_size", "same_padding", "transposed_output_size"),
    "sizes.counts": ("conv_macs", "conv_params", "valid_groups"),
    "sizes.intensity": ("Costs", "attainable", "conv_costs", "ridge_point"),
    "sizes.receptive": ("FieldRow", "ReceptiveField", "field_step", "receptive_field"),
    "sizes.architectures": ("Parallel", "alexnet", "channels_per_layer", "googlenet",
                            "vgg16"),
    "sizes.resnet": ("resnet50_parameters",),
    "data.datasets": ("mnist", "small_digits"),
    "data.images": ("photo",),
    "learn.models": ("count_macs", "count_parameters", "large_kernel_cnn", "mlp", "small_cnn"),
    "learn.downsampling": ("FIRST_STAGES", "downsampling_net"),
    "learn.training": ("History", "evaluate", "train"),
    "learn.locality": ("neighbour_correlation", "permute_pixels", "pixel_permutation"),
    "learn.equivariance": ("border_margin", "equivariance_gap", "translate"),
    "learn.features": ("Visualisation", "edge_blob_share", "gradient_ascent",
                       "low_frequency_share", "visualise_features"),
    "learn.hierarchy": ("TopPatches", "top_patches"),
    "learn.erf": ("effective_receptive_field", "erf_spread", "nonzero_box", "open_paths"),
    "learn.attacks": ("fgsm", "pgd"),
    "learn.robustness": ("RobustAccuracy", "robust_accuracy"),
    "learn.adversarial_training": ("adversarial_train",),
    "learn.adversarial": ("EpsSweep", "Gallery", "Prediction", "TargetedSuccess",
                          "attack_gallery", "eps_sweep", "predict", "random_sign_noise",
                          "targeted_success"),
    "learn.upsampling": ("UPSAMPLERS", "checkerboard", "overlap_range", "stamp_counts",
                         "upsampler"),
    "learn.mobile": ("digit_cnn", "rank_one_share", "separable_block"),
    "learn.deformable": ("DeformConv2d", "offset_size", "shrink", "swirl", "twin_cnns", "warp",
                         "warped_digits"),
    "learn.motion": ("moving_digit", "trajectory_kernel"),
    "draw.grids": ("draw_grid", "show_grids", "show_pixels"),
    "draw.slide": ("animate_slide", "animate_transposed", "draw_slide", "draw_transposed"),
    "draw.formula": ("animate_output_size", "draw_output_size"),
    "draw.arithmetic": ("RELATIONSHIPS", "animate_relationship", "animate_relationships",
                        "draw_relationship", "relationship"),
    "draw.padmodes": ("show_padding_modes", "show_padding_modes_photo"),
    "draw.strided": ("show_strided",),
    "draw.filters": ("show_filtered",),
    "draw.colour": ("show_channels",),
    "draw.multichannel": ("animate_multichannel", "draw_multichannel"),
    "draw.layers": ("draw_layer",),
    "draw.groups": ("animate_groups", "draw_groups"),
    "draw.matrix": ("animate_conv_matrix", "draw_conv_matrix", "draw_conv_matrix_settings",
                    "weight_colours"),
    "draw.diagrams": ("draw_connections", "draw_pipeline"),
    "draw.stacking": ("draw_stacking",),
    "draw.locality": ("show_accuracies", "show_permuted"),
    "draw.equivariance": ("show_equivariance",),
    "draw.features": ("show_features", "show_tiles"),
    "draw.hierarchy": ("show_top_patches",),
    "draw.fieldplots": ("animate_field_growth", "animate_field_stack", "draw_field_overlay",
                        "draw_field_stack", "show_contributions", "show_pyramid"),
    "draw.erfplots": ("plot_erf_growth", "plot_erf_profile", "plot_field_growth", "show_erf"),
    "draw.tables": ("field_table",),
    "draw.source": ("show_source",),
    "draw.im2col": ("animate_im2col",),
    "draw.winograd": ("draw_winograd_tile",),
    "draw.layout": ("draw_memory_layout",),
    "draw.roofline": ("plot_roofline",),
    "draw.timings": ("plot_kernel_sweep", "plot_ratios"),
    "draw.gpu": ("draw_gpu_tiles",),
    "draw.dimensions": ("draw_filter_shapes", "show_signal_match"),
    "draw.stamps": ("animate_overlap", "animate_stamps", "draw_overlap", "show_images"),
    "draw.separable": ("draw_depthwise_separable",),
    "draw.sampling": ("draw_dilated", "draw_drift", "reached", "show_sampling_points"),
    "draw.adversarial": ("attack_colour", "plot_robust_accuracy", "show_eps_sweep",
                         "show_gallery", "show_targeted", "show_transfer"),
    "explore.slide": ("output_size_explorer", "slide_explorer"),
    "explore.fields": ("receptive_field_explorer",),
    "explore.matrix": ("conv_matrix_explorer",),
    "explore.groups": ("groups_explorer",),
    "explore.overlap": ("overlap_explorer",),
    "explore.quiz": ("Question", "quiz"),
    "explore.quizzes": ("chapter_quiz",),
    "explore.web": ("web_conv_matrix_explorer", "web_groups_explorer", "web_output_size_explorer",
                    "web_receptive_field_explorer", "web_slide_explorer"),
    "bench": ("kernel_sweep",),
    "selfcheck": ("check", "progress"),
}
# Modules that are public names themselves.
_MODULES = {"style": "draw.style"}

_WHERE = {name: home for home, names in _HOMES.items() for name in names}
__all__ = sorted([*_WHERE, *_MODULES])


def __getattr__(name: str) -> object:
    """Load a public name from its module on first use (PEP 562)."""
    if name in _MODULES:
        value = import_module(f".{_MODULES[name]}", __name__)
    elif name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'convlib' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
