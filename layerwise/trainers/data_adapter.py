"""Data for ``fit``/``evaluate``/``predict``: arrays held on the device, or a stream of batches.

* Arrays (NumPy, torch, and lists/dicts of them) are converted once and moved to the model's
  device when they fit; each epoch draws a permutation on the device and gathers batches there,
  so no host work or copy happens per step. Float64 arrays become floatx, as in Keras.
* Iterables (a ``torch.utils.data.DataLoader``, a generator, any iterable of batches) stream;
  a map-style ``torch.utils.data.Dataset`` is wrapped in a ``DataLoader``. Batches are moved to
  the device with ``non_blocking`` copies.

Each batch is a tuple ``(x, y, sample_weight)``; ``y`` and ``sample_weight`` may be ``None``.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Callable, Iterator

import numpy as np
import torch

from layerwise import config
from layerwise.utils import tree
from layerwise.utils.dtype_utils import to_torch_dtype


def unpack_x_y_sample_weight(data: Any) -> tuple[Any, Any, Any]:
    """``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` -> a 3-tuple.

    Example:
        >>> unpack_x_y_sample_weight((1, 2))
        (1, 2, None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"A batch must be `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`; received a tuple of {len(data)}.")


def _is_array(x: Any) -> bool:
    return isinstance(x, (np.ndarray, torch.Tensor)) or (hasattr(x, "__array__") and not isinstance(x, (str, bytes)))


def is_array_like(x: Any) -> bool:
    """True for arrays and tensors, and lists/tuples/dicts whose leaves all are (multi-input data)."""
    if x is None:
        return True
    if _is_array(x):
        return True
    if isinstance(x, dict):
        return all(_is_array(v) or v is None for v in x.values())
    if isinstance(x, (list, tuple)):
        if x and all(_is_array(v) for v in x):
            return True
        return bool(x) and _is_plain_nested_numbers(x)
    return False


def _is_plain_nested_numbers(x: Any) -> bool:
    try:
        array = np.asarray(x)
    except (ValueError, TypeError):
        return False
    return array.dtype != object and array.dtype.kind in "biuf"


def _to_tensor(value: Any) -> torch.Tensor | None:
    if value is None:
        return None
    if isinstance(value, torch.Tensor):
        tensor = value.detach()
    else:
        array = np.asarray(value)
        if array.dtype == object:
            raise ValueError("Training data must be numeric arrays; received an array of Python objects.")
        if not array.flags.c_contiguous or not array.flags.writeable:
            array = np.array(array, order="C", copy=True)
        tensor = torch.from_numpy(array)
    if tensor.dtype == torch.float64 and config.floatx() != "float64":
        tensor = tensor.to(to_torch_dtype(config.floatx()))
    if tensor.dtype == torch.bool:
        tensor = tensor.to(torch.float32)
    return tensor


def convert_structure(data: Any) -> Any:
    """Arrays in a (possibly nested) structure -> tensors on the CPU."""
    if isinstance(data, (list, tuple)) and not all(_is_array(v) or v is None for v in data):
        return _to_tensor(np.asarray(data))
    return tree.map_structure(_to_tensor, data)


def num_samples(name: str, data: Any) -> int | None:
    sizes = {t.shape[0] for t in tree.flatten(data) if isinstance(t, torch.Tensor)}
    if not sizes:
        return None
    if len(sizes) > 1:
        raise ValueError(f"Data cardinality is ambiguous: the arrays of `{name}` hold {sorted(sizes)} samples. "
                         "Make sure all arrays contain the same number of samples.")
    return sizes.pop()


def _nbytes(data: Any) -> int:
    return sum(t.numel() * t.element_size() for t in tree.flatten(data) if isinstance(t, torch.Tensor))


def _place(data: Any, device: torch.device) -> tuple[Any, bool]:
    """Move ``data`` to ``device`` if it fits in free device memory; else keep it (pinned) on the CPU."""
    if device.type == "cpu":
        return data, True
    size = _nbytes(data)
    fits = True
    if device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(device)
        fits = size < 0.5 * free
    if fits:
        return tree.map_structure(lambda t: t.to(device, non_blocking=True) if isinstance(t, torch.Tensor) else t,
                                  data), True
    return tree.map_structure(lambda t: t.pin_memory() if isinstance(t, torch.Tensor) else t, data), False


def class_weight_table(class_weight: dict, device: torch.device) -> torch.Tensor:
    """A lookup tensor ``w[class]`` (1.0 for classes not listed), as Keras builds it."""
    if not class_weight:
        raise ValueError("`class_weight` must be a non-empty dict {class_index: weight}.")
    size = max(int(k) for k in class_weight) + 1
    values = [float(class_weight.get(i, 1.0)) for i in range(size)]
    return torch.tensor(values, dtype=to_torch_dtype(config.floatx()), device=device)


def class_weights_for(y: torch.Tensor, table: torch.Tensor) -> torch.Tensor:
    """Per-sample weights from labels (integer, ``(n, 1)``, or one-hot)."""
    if y.ndim == 2 and y.shape[1] > 1:
        classes = y.argmax(dim=1)
    else:
        classes = y.reshape(y.shape[0], -1)[:, 0]
    classes = classes.round().long() if classes.is_floating_point() else classes.long()
    return table[classes.clamp(0, table.shape[0] - 1)]


class ArrayDataAdapter:
    """Batches gathered from whole arrays (held on the device when they fit)."""

    def __init__(self, x: Any, y: Any = None, sample_weight: Any = None, batch_size: int | None = None,
                 steps: int | None = None, shuffle: Any = False, class_weight: dict | None = None,
                 device: torch.device | None = None):
        self.device = torch.device(device) if device is not None else config.default_device()
        x, y, sample_weight = convert_structure(x), convert_structure(y), convert_structure(sample_weight)
        counts = {name: num_samples(name, data) for name, data in (("x", x), ("y", y), ("sample_weight", sample_weight))}
        known = {name: n for name, n in counts.items() if n is not None}
        if len(set(known.values())) > 1:
            detail = "\n".join(f"'{name}' sizes: {n}" for name, n in known.items())
            raise ValueError(f"Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.\n{detail}")
        if not known:
            raise ValueError("No data given: `x` is None.")
        self.num_samples = next(iter(known.values()))
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("You cannot use `class_weight` and `sample_weight` at the same time.")
            if y is None or isinstance(y, (list, dict)):
                raise ValueError("`class_weight` needs a single array of labels `y` (a model with one output).")
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self._data, self.on_device = _place((x, y, sample_weight), self.device)
        self._class_weights = class_weight_table(class_weight, self.device) if class_weight else None
        self.batch_size = int(batch_size or 32)
        self.shuffle = shuffle
        self.steps = steps
        self.batches_per_pass = max(1, math.ceil(self.num_samples / self.batch_size))
        self._stream: Iterator | None = None

    @property
    def num_batches(self) -> int:
        return self.steps if self.steps is not None else self.batches_per_pass

    def _one_pass(self) -> Iterator[tuple]:
        n, bs = self.num_samples, self.batch_size
        data = self._data
        index_device = self.device if self.on_device else torch.device("cpu")
        permutation = None
        batch_order: Any = range(self.batches_per_pass)
        if self.shuffle == "batch":
            batch_order = torch.randperm(self.batches_per_pass).tolist()
        elif self.shuffle:
            permutation = torch.randperm(n, device=index_device)
        for b in batch_order:
            start, stop = b * bs, min((b + 1) * bs, n)
            if permutation is not None:
                index = permutation[start:stop]
                batch = tree.map_structure(
                    lambda t: t.index_select(0, index) if isinstance(t, torch.Tensor) else t, data)
            else:
                batch = tree.map_structure(lambda t: t[start:stop] if isinstance(t, torch.Tensor) else t, data)
            if not self.on_device:
                batch = tree.map_structure(
                    lambda t: t.to(self.device, non_blocking=True) if isinstance(t, torch.Tensor) else t, batch)
            yield self._with_class_weights(batch)

    def _with_class_weights(self, batch: tuple) -> tuple:
        if self._class_weights is None:
            return batch
        x, y, _ = batch
        return x, y, class_weights_for(y, self._class_weights)

    def epoch(self) -> Iterator[tuple]:
        """The batches of one epoch (``steps`` batches, carrying on across passes, when given)."""
        if self.steps is None:
            yield from self._one_pass()
            return
        for _ in range(self.steps):
            if self._stream is None:
                self._stream = self._one_pass()
            batch = next(self._stream, None)
            if batch is None:
                self._stream = self._one_pass()
                batch = next(self._stream)
            yield batch

    def all_labels(self) -> Any:
        return self._data[1]


class IterableDataAdapter:
    """Batches from an iterable (DataLoader, generator...), moved to the device as they come."""

    def __init__(self, data: Any, steps: int | None = None, device: torch.device | None = None,
                 class_weight: dict | None = None, batch_check: Callable[[tuple], None] | None = None):
        self.device = torch.device(device) if device is not None else config.default_device()
        self.data = data
        self.steps = steps
        self.one_shot = iter(data) is data
        self._iterator: Iterator | None = None
        self._exhausted = False
        self._class_weights = class_weight_table(class_weight, self.device) if class_weight else None
        self.batch_check = batch_check
        self.on_device = False
        self.num_samples = None

    @property
    def num_batches(self) -> int | None:
        if self.steps is not None:
            return self.steps
        try:
            return len(self.data)
        except TypeError:
            return None

    def _convert(self, batch: Any) -> tuple:
        x, y, sample_weight = unpack_x_y_sample_weight(batch)
        x, y, sample_weight = convert_structure(x), convert_structure(y), convert_structure(sample_weight)
        if self.batch_check is not None:
            self.batch_check((x, y, sample_weight))
        move = (lambda t: t.to(self.device, non_blocking=True) if isinstance(t, torch.Tensor) else t)
        x, y, sample_weight = tree.map_structure(move, (x, y, sample_weight))
        if self._class_weights is not None and y is not None:
            sample_weight = class_weights_for(y, self._class_weights)
        return x, y, sample_weight

    def epoch(self) -> Iterator[tuple]:
        if self.steps is None:
            if self.one_shot and self._exhausted:
                return
            for batch in (self.data if not self.one_shot else self._persistent()):
                yield self._convert(batch)
            self._exhausted = True
            return
        for _ in range(self.steps):
            batch = self._next()
            if batch is None:
                warnings.warn(
                    "Your input ran out of data; training was interrupted. Make sure the data can produce at "
                    "least `steps_per_epoch * epochs` batches.", stacklevel=3)
                return
            yield self._convert(batch)

    def _persistent(self) -> Iterator:
        if self._iterator is None:
            self._iterator = iter(self.data)
        return self._iterator

    def _next(self) -> Any:
        if self._iterator is None:
            self._iterator = iter(self.data)
        try:
            return next(self._iterator)
        except StopIteration:
            if self.one_shot:
                self._exhausted = True
                return None
            self._iterator = iter(self.data)
            try:
                return next(self._iterator)
            except StopIteration:
                return None

    def all_labels(self) -> Any:
        return None


def get_data_adapter(x: Any, y: Any = None, sample_weight: Any = None, batch_size: int | None = None,
                     steps: int | None = None, shuffle: Any = False, class_weight: dict | None = None,
                     device: torch.device | None = None, batch_check: Callable | None = None,
                     what: str = "fit") -> ArrayDataAdapter | IterableDataAdapter:
    """Pick the adapter for ``x`` (arrays, a Dataset, or an iterable of batches)."""
    if is_array_like(x):
        return ArrayDataAdapter(x, y, sample_weight, batch_size, steps, shuffle, class_weight, device)
    if y is not None or sample_weight is not None:
        raise ValueError(
            f"`{what}` received `y` or `sample_weight` together with `x` of type {type(x).__name__}: when `x` is a "
            "dataset or an iterable of batches, the batches must carry the labels as `(x, y)` or `(x, y, weights)`."
        )
    if isinstance(x, torch.utils.data.Dataset) and not isinstance(x, torch.utils.data.IterableDataset) and \
            hasattr(x, "__len__"):
        x = torch.utils.data.DataLoader(x, batch_size=int(batch_size or 32), shuffle=bool(shuffle))
    elif batch_size is not None and what != "predict":
        raise ValueError(f"Do not pass `batch_size` to `{what}` when `x` yields batches (type {type(x).__name__}); "
                         "the batches already have their size.")
    try:
        iter(x)
    except TypeError:
        raise TypeError(f"`{what}` cannot read data of type {type(x).__name__}: give NumPy arrays, torch tensors, "
                        "a torch Dataset or DataLoader, or an iterable of batches.") from None
    return IterableDataAdapter(x, steps, device, class_weight, batch_check)


def split_for_validation(x: Any, y: Any, sample_weight: Any, validation_split: float) -> tuple[tuple, tuple]:
    """Keras's ``validation_split``: the *last* fraction of the samples, taken before any shuffling."""
    if not (is_array_like(x) and is_array_like(y) and is_array_like(sample_weight)):
        raise ValueError("`validation_split` is only supported for arrays and tensors; with a dataset or an "
                         "iterable, pass `validation_data` instead.")
    x, y, sample_weight = convert_structure(x), convert_structure(y), convert_structure(sample_weight)
    n = num_samples("x", x)
    split_at = int(n * (1.0 - validation_split))
    if split_at == 0 or split_at == n:
        raise ValueError(f"`validation_split={validation_split}` leaves no samples for training or for validation "
                         f"with {n} samples.")

    def part(data, start, stop):
        return tree.map_structure(lambda t: t[start:stop] if isinstance(t, torch.Tensor) else t, data)

    return (part(x, 0, split_at), part(y, 0, split_at), part(sample_weight, 0, split_at)), \
        (part(x, split_at, n), part(y, split_at, n), part(sample_weight, split_at, n))
