"""What the adaptable preprocessing layers share: reading ``adapt`` data (an array, a tensor or an
iterable of batches) one batch at a time, and turning Python/NumPy values into tensors."""

from __future__ import annotations

import itertools
from typing import Any, Iterator

import numpy as np
import torch


def _first(batch: Any) -> Any:
    """The inputs of a batch that may be an ``(x, y)`` or ``(x, y, sample_weight)`` tuple."""
    if isinstance(batch, tuple) and batch and not isinstance(batch[0], (int, float, str, bytes)):
        return batch[0]
    return batch


def adapt_batches(owner: str, data: Any) -> tuple[tuple, Iterator[Any]]:
    """``(shape of the first batch, iterator over all batches)`` for ``adapt(data)``.

    A NumPy array or a torch tensor is one batch; any other iterable yields batches (the first
    element of a tuple batch is used, so ``(x, y)`` pairs work).

    Example:
        >>> import numpy as np
        >>> shape, batches = adapt_batches("Normalization", [np.zeros((2, 3)), np.ones((4, 3))])
        >>> shape, [b.shape for b in batches]
        ((2, 3), [(2, 3), (4, 3)])
    """
    if isinstance(data, (np.ndarray, torch.Tensor)):
        return tuple(data.shape), iter([data])
    if isinstance(data, (str, bytes)) or not hasattr(data, "__iter__"):
        raise TypeError(f"`{owner}.adapt` argument `data` must be a NumPy array, a torch tensor or an iterable "
                        f"of batches; received data of type {type(data).__name__}.")
    iterator = iter(data)
    first = next(iterator, None)
    if first is None:
        raise ValueError(f"`{owner}.adapt` argument `data` must hold at least one batch; received an empty "
                         "iterable.")
    first = _first(first)
    if not hasattr(first, "shape"):
        first = np.asarray(first)
    return tuple(first.shape), (_first(b) for b in itertools.chain([first], iterator))


def to_numpy(x: Any) -> np.ndarray:
    """A NumPy array from a tensor (any device), an array or nested lists.

    Example:
        >>> import torch
        >>> to_numpy(torch.tensor([1, 2])).tolist()
        [1, 2]
    """
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def to_float_tensor(x: Any, dtype: torch.dtype, device: Any = None) -> torch.Tensor:
    """``x`` as a floating tensor of ``dtype`` (kept on its device when it is a tensor).

    Example:
        >>> import torch
        >>> to_float_tensor([1, 2], torch.float64)
        tensor([1., 2.], dtype=torch.float64)
    """
    if isinstance(x, torch.Tensor):
        return x.to(dtype=dtype, device=device if device is not None else x.device)
    return torch.as_tensor(np.asarray(x), dtype=dtype, device=device)
