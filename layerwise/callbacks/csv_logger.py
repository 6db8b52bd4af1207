"""``CSVLogger``: one CSV row per epoch with every logged value."""

from __future__ import annotations

import collections.abc
import csv
import os
from typing import Any

import numpy as np

from layerwise.api_export import export
from layerwise.callbacks.callback import Callback


def _cell(value: Any) -> Any:
    """Keras's rendering: strings and scalars as they are, other sequences as ``"[a, b]"``."""
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value


@export("layerwise.callbacks.CSVLogger")
class CSVLogger(Callback):
    """Write the epoch logs to a CSV file: an ``epoch`` column (0-based), then the logged names in
    sorted order (Keras's format; a run without validation also gets ``val_*`` columns, filled with
    ``NA``). The file is flushed after every row, so it can be read while training runs.

    Args:
        filename: the CSV file.
        separator: the column separator (one character).
        append: add to an existing file (its header is kept) instead of starting a new one.

    Example:
        >>> import os, pathlib, tempfile, numpy as np, layerwise as keras
        >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> _ = model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=2, callbacks=[CSVLogger(path)], verbose=0)
        >>> pathlib.Path(path).read_text().splitlines()
        ['epoch,loss,val_loss', '0,0.0,NA', '1,0.0,NA']
    """

    def __init__(self, filename: Any, separator: str = ",", append: bool = False):
        try:
            filename = os.fspath(filename)
        except TypeError:
            raise ValueError(f"`CSVLogger` argument `filename` must be a path (a string or os.PathLike); received "
                             f"filename={filename!r}.") from None
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(f"`CSVLogger` argument `separator` must be a single character; received "
                             f"separator={separator!r}.")
        super().__init__()
        self.filename = filename
        self.sep = separator
        self.append = bool(append)
        self.append_header = True
        self.keys: list[str] | None = None
        self.writer = None
        self.csv_file = None

    def on_train_begin(self, logs=None):
        mode = "w"
        if self.append:
            mode = "a"
            if os.path.exists(self.filename):
                with open(self.filename) as existing:
                    self.append_header = not existing.readline()
        self._close()
        directory = os.path.dirname(os.path.abspath(self.filename))
        os.makedirs(directory, exist_ok=True)
        self.csv_file = open(self.filename, mode, newline="")
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys += [f"val_{key}" for key in self.keys]
        if self.writer is None:
            dialect = type("CSVLoggerDialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys, dialect=dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        self._close()

    def _close(self) -> None:
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
