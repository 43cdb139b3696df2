"""Models, training, and the experiments the chapters run on them: locality,
equivariance, learned features and the patches that excite them, effective receptive
fields. They return numbers (tensors, arrays, dataclasses); ``convlib.draw`` draws
them."""
