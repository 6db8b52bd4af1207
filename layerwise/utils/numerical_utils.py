"""``to_categorical`` and ``normalize`` (Keras's ``keras.utils`` versions)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from layerwise.api_export import export


@export("layerwise.utils.to_categorical")
def to_categorical(x: Any, num_classes: int | None = None) -> Any:
    """One-hot encode integer class labels.

    A trailing axis of size 1 is dropped first, as Keras does (``(n, 1)`` labels give ``(n, C)``).
    NumPy in, NumPy out (float32); a torch tensor gives a torch tensor.

    Args:
        x: integer labels, ``0 .. num_classes - 1``.
        num_classes: number of classes (default: largest label + 1).

    Example:
        >>> to_categorical([0, 2, 1], num_classes=3)
        array([[1., 0., 0.],
               [0., 0., 1.],
               [0., 1., 0.]], dtype=float32)
    """
    is_tensor = isinstance(x, torch.Tensor)
    array = x.detach().cpu().numpy() if is_tensor else np.asarray(x)
    if array.size and not np.all(np.equal(np.mod(array, 1), 0)):
        raise ValueError("`to_categorical` needs integer class labels; received non-integer values.")
    labels = array.astype("int64")
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    labels = labels.reshape(-1)
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        bad = labels[(labels < 0) | (labels >= num_classes)][0]
        raise ValueError(f"`to_categorical` received label {bad}, outside [0, {num_classes}) for num_classes={num_classes}.")
    out = np.zeros((labels.size, num_classes), dtype="float32")
    out[np.arange(labels.size), labels] = 1.0
    out = out.reshape(shape + (num_classes,))
    return torch.from_numpy(out).to(x.device) if is_tensor else out


@export("layerwise.utils.normalize")
def normalize(x: Any, axis: int = -1, order: int = 2) -> Any:
    """Divide ``x`` by its ``order``-norm along ``axis`` (zero vectors stay zero).

    Example:
        >>> normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
        array([[0.6, 0.8],
               [0. , 0. ]])
    """
    if isinstance(x, torch.Tensor):
        norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
        return x / torch.where(norm == 0, torch.ones_like(norm), norm)
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)
