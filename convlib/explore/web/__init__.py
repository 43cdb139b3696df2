"""The explorers in a form that runs in the rendered book, with no kernel: controls
that recompute and redraw in the browser, by JavaScript ports of convlib's functions
(``js/``), written inline into the page so that nothing is fetched.

In the live notebook the ipywidgets explorers of ``convlib.explore`` compute with
Python; these compute the same numbers in the page (``tools/check_explorers.py``
checks that they agree with convlib's).
"""

from .explorers import (
    web_conv_matrix_explorer,
    web_groups_explorer,
    web_output_size_explorer,
    web_receptive_field_explorer,
    web_slide_explorer,
)

__all__ = ["web_conv_matrix_explorer", "web_groups_explorer", "web_output_size_explorer",
           "web_receptive_field_explorer", "web_slide_explorer"]
