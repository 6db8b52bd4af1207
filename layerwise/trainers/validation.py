"""Checks on training data that must fail with a clear message before any weight changes.

Out-of-range integer labels would otherwise surface as an opaque CUDA device-side assert (or an
index error deep inside the loss); here they are reported with the label, the number of classes
and the output they belong to.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise.losses.loss import LossFunctionWrapper
from layerwise.losses.probabilistic import SparseCategoricalCrossentropy, sparse_categorical_crossentropy
from layerwise.trainers import compile_utils
from layerwise.utils import tree


def _sparse_outputs(model: Any, y_pred: Any) -> list[tuple[int, str, int, Any]]:
    """``(output index, output name, number of classes, ignore_class)`` of outputs with a sparse loss."""
    compiled = model._compile_loss
    if compiled is None or not compiled.built:
        return []
    names = compile_utils.output_structure_names(model, y_pred)
    flat_pred = tree.flatten(y_pred)
    found = []
    for index, (loss, pred) in enumerate(zip(compiled.losses, flat_pred)):
        is_sparse = isinstance(loss, SparseCategoricalCrossentropy) or (
            isinstance(loss, LossFunctionWrapper) and loss.fn is sparse_categorical_crossentropy)
        if is_sparse:
            axis = getattr(loss, "axis", -1)
            ignore = getattr(loss, "ignore_class", None)
            found.append((index, names[index], int(pred.shape[axis]), ignore))
    return found


def _check(labels: torch.Tensor, classes: int, ignore: Any, loss_owner: str) -> None:
    if labels is None or labels.numel() == 0:
        return
    values = labels
    if ignore is not None:
        values = values[values != ignore]
        if values.numel() == 0:
            return
    low, high = torch.aminmax(values.reshape(-1))
    low, high = float(low), float(high)  # one device sync, once per fit
    if low >= 0 and high < classes and (not values.is_floating_point() or bool((values == values.round()).all())):
        return
    flat = values.reshape(-1)
    bad_mask = (flat < 0) | (flat >= classes) | (flat != flat.round() if flat.is_floating_point() else flat < 0)
    position = int(torch.nonzero(bad_mask)[0]) if bool(bad_mask.any()) else 0
    bad = flat[position].item()
    raise ValueError(
        f"Label {bad!r} (sample {position}) is outside the valid range [0, {classes}) for {loss_owner}: the "
        f"output has {classes} classes, so integer labels must be 0 .. {classes - 1}. Check the labels, or "
        "the number of units of the last layer."
    )


def check_labels(model: Any, labels: Any) -> None:
    """Check label arrays (whole, or one streamed batch on the CPU before it moves to the device) against
    the outputs that use sparse categorical cross-entropy, as :func:`remember_sparse_outputs` stored them."""
    checks = getattr(model, "_sparse_label_checks", None)
    if labels is None or not checks:
        return
    names = model._sparse_label_names
    flat_labels = compile_utils.flatten_outputs(labels, names, "y")
    for index, name, classes, ignore in checks:
        label = flat_labels[index]
        if isinstance(label, torch.Tensor):
            owner = "the sparse categorical cross-entropy loss" + (f" of output '{name}'" if len(names) > 1 else "")
            _check(label, classes, ignore, owner)


def remember_sparse_outputs(model: Any, y_pred: Any) -> None:
    """Store what :func:`check_labels` needs, from a first prediction."""
    model._sparse_label_checks = _sparse_outputs(model, y_pred)
    model._sparse_label_names = compile_utils.output_structure_names(model, y_pred)
