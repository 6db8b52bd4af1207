"""``LambdaCallback``: a callback made of plain functions."""

from __future__ import annotations

from typing import Callable

from layerwise.api_export import export
from layerwise.callbacks.callback import Callback

_HOOKS = tuple(sorted(name for name in vars(Callback) if name.startswith("on_")))


@export("layerwise.callbacks.LambdaCallback")
class LambdaCallback(Callback):
    """Build a callback from functions, one per hook, called with the hook's arguments:

    ``on_epoch_begin(epoch, logs)``, ``on_epoch_end(epoch, logs)``, ``on_train_begin(logs)``,
    ``on_train_end(logs)``, ``on_train_batch_begin(batch, logs)``, ``on_train_batch_end(batch, logs)``;
    any other hook by keyword (``on_test_end=...``, ``on_predict_batch_end=...``). Only the batch
    hooks given are called per batch.

    Example:
        >>> import numpy as np, layerwise as keras
        >>> seen = []
        >>> log = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append((epoch, sorted(logs))))
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> _ = model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=2, callbacks=[log], verbose=0)
        >>> seen
        [(0, ['loss']), (1, ['loss'])]
    """

    def __init__(self, on_epoch_begin: Callable | None = None, on_epoch_end: Callable | None = None,
                 on_train_begin: Callable | None = None, on_train_end: Callable | None = None,
                 on_train_batch_begin: Callable | None = None, on_train_batch_end: Callable | None = None,
                 **kwargs):
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end, "on_train_begin": on_train_begin,
                 "on_train_end": on_train_end, "on_train_batch_begin": on_train_batch_begin,
                 "on_train_batch_end": on_train_batch_end}
        for name, function in kwargs.items():
            if name not in _HOOKS:
                raise TypeError(f"`LambdaCallback` got an unexpected keyword argument {name!r}: the hooks are "
                                f"{', '.join(_HOOKS)}.")
            hooks[name] = function
        for name, function in hooks.items():
            if function is not None and not callable(function):
                raise ValueError(f"`LambdaCallback` argument `{name}` must be a function; received "
                                 f"{name}={function!r}.")
        super().__init__()
        for name, function in hooks.items():
            if function is not None:
                setattr(self, name, function)
