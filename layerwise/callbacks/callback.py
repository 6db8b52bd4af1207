"""``Callback``: hooks called by ``fit``, ``evaluate`` and ``predict``, with Keras's names."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export


@export("layerwise.callbacks.Callback")
class Callback:
    """Base class of callbacks: override the hooks you need.

    Hooks: ``on_{train,test,predict}_{begin,end}``, ``on_epoch_{begin,end}``,
    ``on_{train,test,predict}_batch_{begin,end}`` and the Keras 1 names ``on_batch_{begin,end}``
    (called from the training batch hooks). ``self.model`` is the model being trained;
    ``self.params`` holds ``verbose``, ``epochs`` and ``steps``.

    Batch hooks receive ``logs`` that compute their values when read: a callback that does not
    read them costs no device sync.

    Example:
        >>> class CountEpochs(Callback):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.count = 0
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         self.count += 1
        >>> CountEpochs().count
        0
    """

    def __init__(self):
        self.params: dict = {}
        self._model = None

    def set_params(self, params: dict) -> None:
        self.params = params

    def set_model(self, model: Any) -> None:
        self._model = model

    @property
    def model(self) -> Any:
        return self._model

    def on_batch_begin(self, batch: int, logs: Any = None) -> None:
        """Keras 1 name of ``on_train_batch_begin``."""

    def on_batch_end(self, batch: int, logs: Any = None) -> None:
        """Keras 1 name of ``on_train_batch_end``."""

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        """At the start of an epoch (0-based)."""

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        """At the end of an epoch: ``logs`` holds the epoch's metrics, and ``val_*`` ones."""

    def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
        """Before a training step."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        """After a training step: ``logs`` holds the running epoch metrics."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: Any = None) -> None:
        """Before an evaluation step."""

    def on_test_batch_end(self, batch: int, logs: Any = None) -> None:
        """After an evaluation step."""

    def on_predict_batch_begin(self, batch: int, logs: Any = None) -> None:
        """Before a prediction step."""

    def on_predict_batch_end(self, batch: int, logs: Any = None) -> None:
        """After a prediction step: ``logs["outputs"]`` holds the batch's predictions."""

    def on_train_begin(self, logs: Any = None) -> None:
        """At the start of ``fit``."""

    def on_train_end(self, logs: Any = None) -> None:
        """At the end of ``fit``: ``logs`` holds the last epoch's metrics."""

    def on_test_begin(self, logs: Any = None) -> None:
        """At the start of ``evaluate`` (also for validation inside ``fit``)."""

    def on_test_end(self, logs: Any = None) -> None:
        """At the end of ``evaluate``."""

    def on_predict_begin(self, logs: Any = None) -> None:
        """At the start of ``predict``."""

    def on_predict_end(self, logs: Any = None) -> None:
        """At the end of ``predict``."""
