"""Sizes and costs worked out from a layer's settings alone: output sizes, parameter
and multiply-add counts, receptive fields, and the classic architectures they are
read from. Plain arithmetic; no figures."""
