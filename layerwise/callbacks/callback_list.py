"""``CallbackList``: calls every callback's hook, in order.

Batch hooks run on every step, so each is dispatched only to the callbacks that override it
(directly or through the Keras 1 ``on_batch_*`` names): with none, a step pays one empty loop.
A callback whose batch hook has nothing to do for its settings says so in ``_idle_batch_hooks``
(hook name -> its class's method), and is then left out of that hook's dispatch.
"""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.callbacks.callback import Callback
from layerwise.callbacks.history import History
from layerwise.callbacks.progbar_logger import ProgbarLogger

_BATCH_HOOKS = {
    "on_train_batch_begin": "on_batch_begin",
    "on_train_batch_end": "on_batch_end",
    "on_test_batch_begin": None,
    "on_test_batch_end": None,
    "on_predict_batch_begin": None,
    "on_predict_batch_end": None,
}


def _overrides(callback: Any, hook: str, legacy: str | None) -> bool:
    """Whether ``callback`` does something in ``hook``: a method overridden in its class, a function
    set on the instance (``LambdaCallback``), and not a hook its class declared idle for this instance
    (``ModelCheckpoint(save_freq="epoch")`` has nothing to do per batch)."""
    if not isinstance(callback, Callback):
        return hasattr(callback, hook)
    own = vars(callback)
    if hook in own or (legacy is not None and legacy in own):
        return True
    cls = type(callback)
    method = getattr(cls, hook)
    idle = own.get("_idle_batch_hooks") or {}
    if idle.get(hook) is method:
        return False
    if method is not getattr(Callback, hook):
        return True
    return legacy is not None and getattr(cls, legacy) is not getattr(Callback, legacy)


@export("layerwise.callbacks.CallbackList")
class CallbackList(Callback):
    """A list of callbacks that behaves as one; adds ``History`` and ``ProgbarLogger`` when asked.

    Example:
        >>> cl = CallbackList([], add_history=True, epochs=1, steps=1, verbose=0)
        >>> [type(c).__name__ for c in cl.callbacks]
        ['History']
    """

    def __init__(self, callbacks: list | None = None, add_history: bool = False, add_progbar: bool = False,
                 model: Any = None, **params):
        super().__init__()
        self.callbacks = list(callbacks or [])
        for callback in self.callbacks:
            if not hasattr(callback, "set_model"):
                raise TypeError(f"Callbacks must be `layerwise.callbacks.Callback` instances; received {callback!r}.")
        self.history = next((c for c in self.callbacks if isinstance(c, History)), None)
        if self.history is None and add_history:
            self.history = History()
            self.callbacks.append(self.history)
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)
        self._refresh_dispatch()

    def _refresh_dispatch(self) -> None:
        self._batch = {hook: [getattr(c, hook) for c in self.callbacks if _overrides(c, hook, legacy)]
                       for hook, legacy in _BATCH_HOOKS.items()}

    def append(self, callback: Callback) -> None:
        self.callbacks.append(callback)
        if self._model is not None:
            callback.set_model(self._model)
        if self.params:
            callback.set_params(self.params)
        self._refresh_dispatch()

    def set_model(self, model: Any) -> None:
        super().set_model(model)
        for callback in self.callbacks:
            callback.set_model(model)

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        for callback in self.callbacks:
            callback.set_params(params)

    def _call(self, hook: str, *args) -> None:
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    # batch hooks: only the callbacks that override them
    def on_train_batch_begin(self, batch, logs=None):
        for hook in self._batch["on_train_batch_begin"]:
            hook(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        for hook in self._batch["on_train_batch_end"]:
            hook(batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        for hook in self._batch["on_test_batch_begin"]:
            hook(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        for hook in self._batch["on_test_batch_end"]:
            hook(batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        for hook in self._batch["on_predict_batch_begin"]:
            hook(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        for hook in self._batch["on_predict_batch_end"]:
            hook(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        self.on_train_batch_begin(batch, logs)

    def on_batch_end(self, batch, logs=None):
        self.on_train_batch_end(batch, logs)

    # the rest: every callback
    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)
