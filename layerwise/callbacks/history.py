"""``History``: records each epoch's logs; ``fit`` returns it."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.callbacks.callback import Callback


@export("layerwise.callbacks.History")
class History(Callback):
    """``history.history[key]`` is the list of that metric's value at each epoch (``loss``,
    ``accuracy``, ``val_loss``...); ``history.epoch`` the epoch numbers.

    Example:
        >>> h = History()
        >>> h.on_train_begin(); h.on_epoch_end(0, {"loss": 0.5}); h.on_epoch_end(1, {"loss": 0.25})
        >>> h.history, h.epoch
        ({'loss': [0.5, 0.25]}, [0, 1])
    """

    def __init__(self):
        super().__init__()
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
