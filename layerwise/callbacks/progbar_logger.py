"""``ProgbarLogger``: the per-epoch progress bar of ``fit`` (and of ``evaluate``/``predict``)."""

from __future__ import annotations

import sys

from layerwise.api_export import export
from layerwise.callbacks.callback import Callback
from layerwise.utils.progbar import Progbar


def resolve_verbose(verbose) -> int:
    """Keras's ``"auto"``: a live bar on a terminal, one line per epoch otherwise."""
    if verbose == "auto":
        return 1 if sys.stdout is not None and sys.stdout.isatty() else 2
    return int(verbose)


@export("layerwise.callbacks.ProgbarLogger")
class ProgbarLogger(Callback):
    """Prints ``Epoch i/n`` and a progress bar with the running metrics (``fit`` adds it).

    Metric values are read from the lazy logs only when the bar is about to redraw.

    Example:
        >>> ProgbarLogger().verbose
        1
    """

    def __init__(self):
        super().__init__()
        self.verbose = 1
        self.epochs = 1
        self.target = None
        self.progbar: Progbar | None = None
        self._in_fit = False
        self._seen = 0

    def set_params(self, params):
        super().set_params(params)
        self.verbose = resolve_verbose(params.get("verbose", 1))
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _reset(self):
        if self.progbar is not None:
            self.progbar.close()
        # Four redraws a second: reading the metrics is a device sync, so it happens only this often.
        self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step", interval=0.25)
        self._seen = 0

    def _update(self, batch, logs):
        self._seen = batch + 1
        bar = self.progbar
        if bar is None:
            return
        values = list(logs.items()) if (logs is not None and bar.due()) else None
        if values is not None:
            bar.stateful_metrics.update(name for name, _ in values)
        bar.update(self._seen, values, finalize=False)

    def _finish(self, logs):
        if self.progbar is None:
            return
        logs = dict(logs or {})
        self.progbar.stateful_metrics.update(logs)
        if self.target is None:
            self.target = self._seen
            self.progbar.target = self._seen
        self.progbar.update(self._seen, list(logs.items()), finalize=True)

    def on_train_begin(self, logs=None):
        self._in_fit = True

    def on_train_end(self, logs=None):
        self._in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._reset()
        if self.verbose and self.epochs > 1:
            self.progbar._console.print(f"Epoch {epoch + 1}/{self.epochs}", highlight=False)

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finish(logs)

    def on_test_begin(self, logs=None):
        if not self._in_fit:
            self._reset()

    def on_test_batch_end(self, batch, logs=None):
        if not self._in_fit:
            self._update(batch, logs)

    def on_test_end(self, logs=None):
        if not self._in_fit:
            self._finish(logs)

    def on_predict_begin(self, logs=None):
        self._reset()

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def on_predict_end(self, logs=None):
        self._finish({})
