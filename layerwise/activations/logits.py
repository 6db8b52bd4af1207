"""The logits behind a ``softmax`` or ``sigmoid`` output, kept for the cross-entropy losses.

Keras 3's ``activations.softmax`` and ``activations.sigmoid`` store their input on the output as
``output._keras_logits``, and its TensorFlow backend computes the cross-entropies from those logits
when it finds them: ``Dense(10, activation="softmax")`` with ``sparse_categorical_crossentropy``
then trains through the fused, stable log-softmax instead of ``log(clip(p))``. layerwise does the
same on every device. That is both faster (one fused kernel and a short backward pass instead of
softmax, renormalise, clip and log) and more accurate: a confidently wrong prediction still has a
gradient instead of the zero that the clip at ``1 - epsilon`` gives.

Three checks make the shortcut safe where Keras's is not:

* the kind is recorded: a sigmoid's logits are never read as a softmax's (or the reverse);
* the softmax axis is recorded, and a loss over another axis ignores the logits;
* the output's version counter is recorded, so an output changed in place afterwards
  (``probabilities.mul_(2)``) is no longer taken for the softmax of the stored logits.

A consequence, as in Keras: a loss computed this way has no gradient path through the probability
tensor itself, only through the logits (``torch.autograd.grad(loss, probabilities)`` fails).

Example:
    >>> import torch
    >>> z = torch.tensor([[2.0, -1.0]])
    >>> p = remember_logits(torch.softmax(z, -1), z, "softmax", axis=-1)
    >>> logits_of(p, "softmax", axis=-1) is z, logits_of(p, "sigmoid") is None
    (True, True)
    >>> _ = p.mul_(2.0)  # changed in place: the stored logits no longer describe it
    >>> logits_of(p, "softmax", axis=-1) is None
    True
"""

from __future__ import annotations

import torch

# Keras's attribute name, so code that reads ``output._keras_logits`` keeps working.
KERAS_ATTRIBUTE = "_keras_logits"
_RECORD = "_layerwise_logits"  # (kind, axis, output version) describing _keras_logits


def remember_logits(output: torch.Tensor, logits: torch.Tensor, kind: str, axis: int | None = None) -> torch.Tensor:
    """Store ``logits`` on ``output`` (``kind`` ``"softmax"`` along ``axis``, or ``"sigmoid"``); return ``output``.

    Example:
        >>> import torch
        >>> z = torch.zeros(2)
        >>> remember_logits(torch.sigmoid(z), z, "sigmoid")._keras_logits is z
        True
    """
    if not isinstance(output, torch.Tensor) or not isinstance(logits, torch.Tensor) or output.shape != logits.shape:
        return output
    if axis is not None:
        axis %= max(output.ndim, 1)
    try:
        setattr(output, KERAS_ATTRIBUTE, logits)
        setattr(output, _RECORD, (kind, axis, output._version))
    except (AttributeError, RuntimeError):  # tensor subclasses that refuse attributes: no shortcut
        pass
    return output


def logits_of(output: torch.Tensor, kind: str, axis: int | None = None) -> torch.Tensor | None:
    """The logits ``output`` was computed from by a ``kind`` activation (along ``axis``), or ``None``.

    Example:
        >>> import torch
        >>> logits_of(torch.tensor([0.5, 0.5]), "softmax", axis=-1) is None
        True
    """
    record = getattr(output, _RECORD, None)
    if record is None:
        return None
    stored_kind, stored_axis, version = record
    if stored_kind != kind or version != output._version:
        return None
    if axis is not None and stored_axis != axis % max(output.ndim, 1):
        return None
    logits = getattr(output, KERAS_ATTRIBUTE, None)
    if not isinstance(logits, torch.Tensor) or logits.shape != output.shape:
        return None
    return logits


def carry_logits(converted: torch.Tensor, original: torch.Tensor) -> torch.Tensor:
    """Give ``converted`` (``original`` cast to another dtype) the logits of ``original``, cast alike.

    Example:
        >>> import torch
        >>> z = torch.zeros(1, 2)
        >>> p = remember_logits(torch.softmax(z, -1), z, "softmax", axis=-1)
        >>> logits_of(carry_logits(p.double(), p), "softmax", axis=-1).dtype
        torch.float64
    """
    if converted is original:
        return converted
    record = getattr(original, _RECORD, None)
    if record is None:
        return converted
    kind, axis, _ = record
    logits = logits_of(original, kind, axis)
    if logits is None or converted.shape != original.shape:
        return converted
    return remember_logits(converted, logits.to(converted.dtype), kind, axis)
