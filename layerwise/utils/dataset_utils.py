"""``split_dataset`` (arrays or tuples of arrays into two parts, as Keras's) and ``ArrayDataset`` (arrays
as a map-style ``torch.utils.data.Dataset`` for a ``DataLoader`` or ``fit``)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch

from layerwise.api_export import export


def _length(owner: str, arrays: list) -> int:
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(f"`{owner}` needs arrays of one length (the number of samples); received lengths "
                         f"{[len(a) for a in arrays]}.")
    return lengths.pop()


def _as_arrays(owner: str, dataset: Any) -> tuple[list, bool]:
    """The arrays of ``dataset`` and whether it was a tuple/list of arrays (rather than one array)."""
    def is_array(x):
        return isinstance(x, (np.ndarray, torch.Tensor))

    if is_array(dataset):
        return [dataset], False
    if isinstance(dataset, (tuple, list)) and dataset and all(is_array(a) for a in dataset):
        return list(dataset), True
    if isinstance(dataset, (tuple, list)) and dataset:
        return [np.asarray(dataset)], False
    raise TypeError(f"`{owner}` argument `dataset` must be an array, a tensor or a tuple of arrays; received "
                    f"dataset of type {type(dataset).__name__}.")


def _split_size(arg: str, size: Any, total: int) -> int | None:
    if size is None:
        return None
    if isinstance(size, bool) or not isinstance(size, (int, float, np.integer, np.floating)):
        raise TypeError(f"`split_dataset` argument `{arg}` must be an int, a float or None; received "
                        f"{arg}={size!r} of type {type(size).__name__}.")
    if isinstance(size, (float, np.floating)):
        if not 0 < size < 1:
            raise ValueError(f"`split_dataset` argument `{arg}` must be a float in (0, 1) or an integer in "
                             f"(0, {total}); received {arg}={size!r}.")
        return round(float(size) * total)
    if not 0 < size < total:
        raise ValueError(f"`split_dataset` argument `{arg}` must be a float in (0, 1) or an integer in "
                         f"(0, {total}); received {arg}={size!r}.")
    return int(size)


@export("layerwise.utils.split_dataset")
def split_dataset(dataset: Any, left_size: Any = None, right_size: Any = None, shuffle: bool = False,
                  seed: int | None = None) -> tuple[Any, Any]:
    """Split an array, or a tuple of arrays of the same length, into a left and a right part.

    As Keras: a float size is a fraction of the samples (rounded), an int a count; a missing
    size is the complement of the other; the left part takes the first ``left_size`` samples and
    the right part the last ``right_size`` (after shuffling when ``shuffle=True``: with a
    ``seed``, the order is the one Python's ``random.Random(seed).shuffle`` gives, which is
    Keras's). Unlike Keras, the parts are returned as arrays/tensors of the input's type and
    structure rather than ``tf.data.Dataset`` objects; wrap them in :class:`ArrayDataset` for a
    ``DataLoader``.

    Example:
        >>> import numpy as np
        >>> from layerwise.utils.dataset_utils import split_dataset
        >>> x, y = np.arange(10), np.arange(10) * 10
        >>> (x_left, y_left), (x_right, y_right) = split_dataset((x, y), left_size=0.8)
        >>> x_left.tolist(), y_right.tolist()
        ([0, 1, 2, 3, 4, 5, 6, 7], [80, 90])
    """
    owner = "split_dataset"
    arrays, is_tuple = _as_arrays(owner, dataset)
    if left_size is None and right_size is None:
        raise ValueError(f"`{owner}` needs `left_size` or `right_size`; received left_size=None and right_size=None.")
    total = _length(owner, arrays)
    if isinstance(left_size, float) and isinstance(right_size, float) and left_size + right_size > 1:
        raise ValueError(f"`{owner}` arguments `left_size` + `right_size` must be at most 1; received "
                         f"left_size={left_size}, right_size={right_size}.")
    left = _split_size("left_size", left_size, total)
    right = _split_size("right_size", right_size, total)
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total or left == 0 or right == 0:
        raise ValueError(f"`{owner}`: with {total} samples, left_size={left_size} and right_size={right_size} give "
                         f"splits of {left} and {right} samples; both must be non-empty and sum to at most {total}.")
    order = list(range(total))
    if shuffle:
        random.Random(seed if seed is not None else random.randint(0, 10**6)).shuffle(order)

    def take(array, indices):
        if isinstance(array, torch.Tensor):
            return array[torch.as_tensor(indices, dtype=torch.long, device=array.device)]
        return array[np.asarray(indices, dtype=np.int64)]

    left_part = [take(a, order[:left]) for a in arrays]
    right_part = [take(a, order[total - right:]) for a in arrays]
    if is_tuple:
        return type(dataset)(left_part), type(dataset)(right_part)
    return left_part[0], right_part[0]


@export("layerwise.utils.ArrayDataset")
class ArrayDataset(torch.utils.data.Dataset):
    """Arrays of the same length as a map-style ``torch.utils.data.Dataset``.

    Item ``i`` is ``(x[i], y[i], ...)`` as torch tensors (a single tensor when one array is given),
    so a ``DataLoader`` collates batches and ``model.fit(dataset)`` accepts it directly.

    Args:
        *arrays: NumPy arrays or torch tensors with the same first dimension.

    Example:
        >>> import numpy as np, torch
        >>> from layerwise.utils.dataset_utils import ArrayDataset
        >>> data = ArrayDataset(np.zeros((5, 3), "float32"), np.arange(5))
        >>> len(data), [tuple(t.shape) for t in next(iter(torch.utils.data.DataLoader(data, batch_size=2)))]
        (5, [(2, 3), (2,)])
    """

    def __init__(self, *arrays: Any):
        if not arrays:
            raise ValueError("`ArrayDataset` needs at least one array; received none.")
        tensors = []
        for index, array in enumerate(arrays):
            if not isinstance(array, torch.Tensor):
                array = np.asarray(array)
                if array.dtype == np.float64:
                    array = array.astype(np.float32)  # floatx, as fit's array adapter does
                if array.dtype.kind not in "biuf":
                    raise TypeError(f"`ArrayDataset` array {index} must be numeric; received dtype {array.dtype}.")
                array = torch.from_numpy(np.ascontiguousarray(array))
            if array.ndim == 0:
                raise ValueError(f"`ArrayDataset` array {index} must have a sample axis; received a scalar.")
            tensors.append(array)
        self._length = _length("ArrayDataset", tensors)
        self.tensors = tuple(tensors)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> Any:
        items = tuple(t[index] for t in self.tensors)
        return items[0] if len(items) == 1 else items
