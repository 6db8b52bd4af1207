"""The ``layerwise`` command.

``layerwise quickstart`` trains a small CNN on the 8x8 handwritten digits that ship with
scikit-learn (no network needed), shows the progress bar, prints the test accuracy and the
confusion matrix, and saves the model. ``--data path/to/mnist.npz`` trains on MNIST instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Sequence

import numpy as np
from rich.console import Console
from rich.table import Table


def _load(data: str | None) -> tuple[str, tuple, tuple]:
    from layerwise.datasets import digits, mnist

    if data is None:
        (x_train, y_train), (x_test, y_test) = digits.load_data()
        scale = 16.0
        name = "8x8 digits (scikit-learn)"
    else:
        (x_train, y_train), (x_test, y_test) = mnist.load_data(path=os.path.abspath(data))
        scale = 255.0
        name = f"MNIST ({data})"
    prepare = lambda x: (x.astype("float32") / scale)[..., None]  # (n, h, w, 1), values in [0, 1]
    return name, (prepare(x_train), y_train.astype("int64")), (prepare(x_test), y_test.astype("int64"))


def build_model(image_size: int):
    """A small CNN: two convolution blocks, then a softmax over the 10 classes."""
    import layerwise as keras

    return keras.Sequential([
        keras.Input((image_size, image_size, 1), name="image"),
        keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.25),
        keras.layers.Dense(10, activation="softmax"),
    ], name="quickstart_cnn")


def confusion_table(matrix: np.ndarray) -> Table:
    table = Table(title="Confusion matrix (rows: true digit, columns: predicted)", show_lines=False)
    table.add_column("true", justify="right", style="bold")
    for j in range(matrix.shape[1]):
        table.add_column(str(j), justify="right")
    for i, row in enumerate(matrix):
        table.add_row(str(i), *[f"[green]{v}[/green]" if i == j else (str(v) if v else "[dim]0[/dim]")
                                for j, v in enumerate(row)])
    return table


def quickstart(args: argparse.Namespace) -> int:
    import layerwise as keras

    console = Console()
    keras.utils.set_random_seed(args.seed)
    name, (x_train, y_train), (x_test, y_test) = _load(args.data)
    console.print(f"[bold]layerwise quickstart[/bold]: {name}, {len(x_train)} training and {len(x_test)} test images "
                  f"on {keras.config.default_device()}")
    model = build_model(x_train.shape[1])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.summary()
    epochs = args.epochs if args.epochs is not None else (30 if args.data is None else 3)
    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=args.batch_size, epochs=epochs, validation_split=0.1, verbose=args.verbose)
    seconds = time.perf_counter() - start
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    predicted = model.predict(x_test, verbose=0).argmax(axis=1)
    console.print(confusion_table(keras.metrics.confusion_matrix(y_test, predicted, num_classes=10)))
    plural = "" if epochs == 1 else "s"
    console.print(f"Test accuracy: [bold]{accuracy:.4f}[/bold] (loss {loss:.4f}) after {epochs} epoch{plural} in "
                  f"{seconds:.1f} s")
    model.save(args.output)
    console.print(f"Saved the model to {os.path.abspath(args.output)}; load it with "
                  f"`layerwise.models.load_model({args.output!r})`.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="layerwise", description="layerwise: Keras 3's API on PyTorch.")
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("quickstart", help="train a small CNN on the bundled digits (or MNIST) and save it")
    start.add_argument("--data", default=None, help="path to an mnist.npz file (Keras layout); default: 8x8 digits")
    start.add_argument("--epochs", type=int, default=None, help="epochs (default 30 on digits, 3 on MNIST)")
    start.add_argument("--batch-size", type=int, default=64, dest="batch_size")
    start.add_argument("--seed", type=int, default=0)
    start.add_argument("--output", default="quickstart.keras", help="where to save the trained model")
    start.add_argument("--verbose", default="auto", help='progress display: "auto", 0, 1 or 2')
    args = parser.parse_args(argv)
    if args.verbose != "auto":
        args.verbose = int(args.verbose)
    if args.command == "quickstart":
        return quickstart(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
