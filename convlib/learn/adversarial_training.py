"""Adversarial training (Madry et al., 2018): train on the worst images near the data.

Instead of the training images themselves, each batch is replaced by PGD adversarial
examples made against the current model, so the model learns to be right everywhere
in the eps-ball around each image, not only at its centre. Every step costs
``steps + 1`` forward and backward passes instead of one.
"""

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from ..runtime import device as default_device
from .attacks import check_pgd, pgd
from .training import History, _check, progress_bar


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
    _check(epochs, lr, batch_size)
    check_pgd(eps, alpha, steps)
    device = device or default_device()
    model.to(device).train()
    loader = DataLoader(train_data, batch_size=batch_size, shuffle=True)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    history = History()
    bar = progress_bar(epochs * len(loader), "adversarial training", progress)
    for _ in range(epochs):
        total_loss, correct, seen = 0.0, 0, 0
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            adversarial = pgd(model, images, labels, eps, alpha=alpha, steps=steps,
                              random_start=random_start)
            logits = model(adversarial)
            loss = nn.functional.cross_entropy(logits, labels)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total_loss += loss.item() * len(labels)
            correct += (logits.argmax(1) == labels).sum().item()
            seen += len(labels)
            bar.update()
        history.loss.append(total_loss / seen)
        history.accuracy.append(correct / seen)
    bar.close()
    model.eval()
    return history
