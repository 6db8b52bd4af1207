"""Epoch time of layerwise ``fit()`` against a plain eager PyTorch loop doing the same work.

Both train the same architecture on the same MNIST data with Adam (Keras's epsilon), batch 128,
shuffling every epoch, and both accumulate the loss and the accuracy on the device, as ``fit()``
reports them. The table shows the median steady-state epoch time (the first epoch is warm-up),
samples per second, the ratio layerwise / PyTorch, and the final test accuracy.

    python benchmarks/fit_vs_pytorch.py --device cpu --data ../shared/data/mnist.npz
"""

from __future__ import annotations

import argparse
import datetime
import platform
import statistics
import time

import numpy as np
import torch
from rich.console import Console
from rich.table import Table

import layerwise as keras


def load(path: str) -> tuple:
    with np.load(path, allow_pickle=False) as data:
        x_train, y_train, x_test, y_test = (data[k] for k in ("x_train", "y_train", "x_test", "y_test"))
    return ((x_train.astype("float32") / 255.0)[..., None], y_train.astype("int64"),
            (x_test.astype("float32") / 255.0)[..., None], y_test.astype("int64"))


def torch_model(kind: str) -> torch.nn.Module:
    if kind == "mlp":
        return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                   torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(1600, 10))


def layerwise_model(kind: str) -> keras.Model:
    layers = keras.layers
    if kind == "mlp":
        body = [layers.Flatten(), layers.Dense(256, activation="relu"), layers.Dense(256, activation="relu")]
    else:
        body = [layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(), layers.Conv2D(64, 3, activation="relu"),
                layers.MaxPooling2D(), layers.Flatten(), layers.Dropout(0.5)]
    return keras.Sequential([keras.Input((28, 28, 1))] + body + [layers.Dense(10, activation="softmax")])


def plain_loop(kind: str, data: tuple, epochs: int, device: torch.device) -> tuple[list[float], float]:
    x_train, y_train, x_test, y_test = data
    model = torch_model(kind).to(device)
    if kind == "cnn":
        model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=True)
    x = torch.from_numpy(x_train).to(device).permute(0, 3, 1, 2)  # NCHW view of the NHWC data
    y = torch.from_numpy(y_train).to(device)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        total = torch.zeros((), device=device)
        correct = torch.zeros((), device=device)
        permutation = torch.randperm(len(x), device=device)
        for i in range(0, len(x), 128):
            index = permutation[i:i + 128]
            xb, yb = x.index_select(0, index), y.index_select(0, index)
            logits = model(xb)
            loss = torch.nn.functional.cross_entropy(logits, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.detach() * len(index)
            correct += (logits.argmax(1) == yb).sum()
        float(total)  # the one sync per epoch, as fit() does
        times.append(time.perf_counter() - start)
    model.eval()
    with torch.no_grad():
        xt = torch.from_numpy(x_test).to(device).permute(0, 3, 1, 2)
        accuracy = float((model(xt).argmax(1).cpu() == torch.from_numpy(y_test)).float().mean())
    return times, accuracy


def layerwise_fit(kind: str, data: tuple, epochs: int, device: torch.device) -> tuple[list[float], float]:
    x_train, y_train, x_test, y_test = data
    keras.config.set_default_device(device)
    model = layerwise_model(kind)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    times: list[float] = []

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    model.fit(x_train, y_train, batch_size=128, epochs=epochs, verbose=0, callbacks=[EpochTimer()])
    _, accuracy = model.evaluate(x_test, y_test, batch_size=1024, verbose=0)
    keras.config.set_default_device(None)
    return times, accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/mnist.npz")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--models", default="mlp,cnn")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs (plus one warm-up epoch)")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    data = load(args.data)
    console = Console(width=120)
    table = Table(title=f"MNIST, batch 128, Adam, {args.epochs} timed epochs after one warm-up epoch")
    for column in ("model", "loop", "epoch s (median)", "samples/s", "ratio vs eager", "test acc"):
        table.add_column(column, justify="right" if column not in ("model", "loop") else "left")
    for kind in args.models.split(","):
        results = {}
        for name, run in (("plain PyTorch, eager", plain_loop), ("layerwise fit()", layerwise_fit)):
            torch.manual_seed(0)
            times, accuracy = run(kind, data, args.epochs + 1, device)
            results[name] = (statistics.median(times[1:]), accuracy)
        base = results["plain PyTorch, eager"][0]
        for name, (seconds, accuracy) in results.items():
            table.add_row(kind, name, f"{seconds:.3f}", f"{len(data[0]) / seconds:,.0f}", f"{seconds / base:.2f}x",
                          f"{accuracy:.4f}")
    console.print(table)
    gpu = torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or platform.machine()
    console.print(f"{datetime.date.today()} | device {device} ({gpu}) | threads {torch.get_num_threads()} | "
                  f"torch {torch.__version__} | layerwise {keras.__version__} | Python {platform.python_version()}")


if __name__ == "__main__":
    main()
