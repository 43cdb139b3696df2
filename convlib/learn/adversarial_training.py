"""Adversarial training (Madry et al., 2018): train on the worst images near the data.

Instead of the training images themselves, each batch is replaced by PGD adversarial
examples made against the current model, so the model learns to be right everywhere
in the eps-ball around each image, not only at its centre. Every step costs
``steps + 1`` forward and backward passes instead of one.
"""

import torch
from torch import nn
from torch.utils.data import Dataset

from .attacks import check_pgd, pgd
from .training import History, fit


def adversarial_train(model: nn.Module, train_data: Dataset, *, epochs: int, lr: float,
                      batch_size: int, eps: float, steps: int, alpha: float | None = None,
                      random_start: bool = True, device: torch.device | None = None,
                      progress: bool = True) -> History:
    """Train ``model`` with Adam and cross-entropy on PGD examples of each batch, made
    on the fly (``convlib.pgd`` with ``eps``, ``steps``, ``alpha``, ``random_start``;
    ``alpha=None`` is ``2.5 * eps / steps``); return the loss and accuracy per epoch
    on those adversarial examples.

    Apart from the attack, it trains as ``convlib.train`` does: batches shuffled with
    torch's global generator, which also draws PGD's random starts, so ``convlib.seed``
    fixes both and two runs on the CPU with the same thread count give the same
    weights. In Jupyter a progress bar shows the batches as they go.
    """
    check_pgd(eps, alpha, steps)

    def attack(images: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return pgd(model, images, labels, eps, alpha=alpha, steps=steps,
                   random_start=random_start)

    return fit(model, train_data, epochs=epochs, lr=lr, batch_size=batch_size,
               device=device, progress=progress, inputs=attack, desc="adversarial training")
