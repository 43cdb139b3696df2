"""The convolution computed: its arguments checked, its padding, each method of
computing it in a module of its own, the convolution as a matrix, and hand-set
kernels. Tensors and arrays in, tensors and arrays out; no figures."""
