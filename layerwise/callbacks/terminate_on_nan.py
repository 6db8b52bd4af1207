"""``TerminateOnNaN``: stop training as soon as the loss becomes NaN or infinite."""

from __future__ import annotations

import math

from layerwise.api_export import export
from layerwise.callbacks.callback import Callback


@export("layerwise.callbacks.TerminateOnNaN")
class TerminateOnNaN(Callback):
    """Stop ``fit`` at the end of a batch whose logged ``loss`` is NaN or infinite.

    Cost: it reads the loss after every batch, which is one device sync per training step (the
    logs are otherwise read only a few times a second). On a GPU this can slow training; check the
    loss per epoch instead (``EarlyStopping``, or ``History``) when that matters.

    Args:
        raise_error: raise ``RuntimeError`` at once (no ``on_train_end``) instead of stopping
            gracefully with ``model.stop_training = True``.

    Example:
        >>> import numpy as np, layerwise as keras
        >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> y = np.array([[0.0], [np.nan], [0.0], [0.0]])
        >>> history = model.fit(np.ones((4, 1)), y, batch_size=1, epochs=3, shuffle=False,
        ...                     callbacks=[TerminateOnNaN()], verbose=0)
        Batch 1: Invalid loss, terminating training
        >>> history.epoch
        [0]
    """

    def __init__(self, raise_error: bool = False):
        super().__init__()
        self.raise_error = bool(raise_error)

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        loss = float(loss)
        if math.isnan(loss) or math.isinf(loss):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                                   "Terminating training immediately.")
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
