"""Training and evaluating a classifier, the same way in every chapter.

Deterministic on the CPU: with the same ``convlib.seed`` and thread count, two runs
give the same weights bit for bit.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from tqdm.auto import tqdm

from ..runtime import device as default_device
from ..runtime import live


@dataclass
class History:
    """Mean training loss and training accuracy after each epoch."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)


def _check(epochs: int, lr: float, batch_size: int) -> None:
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive int; got {epochs!r}")
    if not lr > 0:
        raise ValueError(f"lr must be positive; got {lr!r}")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int; got {batch_size!r}")


def progress_bar(total: int, desc: str, progress: bool = True) -> tqdm:
    """A progress bar over ``total`` steps, shown if ``progress`` and someone may watch.

    Unattended runs (``CONVLIB_WIDGETS=0``) have nobody watching, and a widget there
    can stall the executor: no bar.
    """
    return tqdm(total=total, desc=desc, disable=not (progress and live()))


def train(model: nn.Module, train_data: Dataset, *, epochs: int, lr: float,
          batch_size: int, device: torch.device | None = None,
          progress: bool = True) -> History:
    """Train ``model`` with Adam and cross-entropy; return the loss and accuracy per epoch.

    The batches are shuffled with torch's global generator, so ``convlib.seed`` fixes
    them. In Jupyter a progress bar shows the batches as they go.
    """
    return fit(model, train_data, epochs=epochs, lr=lr, batch_size=batch_size,
               device=device, progress=progress)


Inputs = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def fit(model: nn.Module, train_data: Dataset, *, epochs: int, lr: float,
        batch_size: int, device: torch.device | None = None, progress: bool = True,
        inputs: Inputs | None = None, desc: str = "training") -> History:
    """The loop every training in the book shares: Adam on the cross-entropy of the
    model on ``inputs(images, labels)`` of each batch (the images themselves by
    default; adversarial training passes its attack), with the loss and accuracy on
    those inputs recorded per epoch."""
    _check(epochs, lr, batch_size)
    device = device or default_device()
    model.to(device).train()
    loader = DataLoader(train_data, batch_size=batch_size, shuffle=True)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    history = History()
    bar = progress_bar(epochs * len(loader), desc, progress)
    for _ in range(epochs):
        total_loss, correct, seen = 0.0, 0, 0
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            logits = model(images if inputs is None else inputs(images, labels))
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


@torch.no_grad()
def evaluate(model: nn.Module, data: Dataset, batch_size: int = 1000,
             device: torch.device | None = None) -> float:
    """The fraction of ``data`` that ``model`` classifies correctly."""
    device = device or default_device()
    model.to(device).eval()
    correct = 0
    for images, labels in DataLoader(data, batch_size=batch_size):
        correct += (model(images.to(device)).argmax(1) == labels.to(device)).sum().item()
    return correct / len(data)
