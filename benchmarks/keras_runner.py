"""Keras 3 (torch or JAX backend) on the benchmark, each in its own subprocess.

The parent calls :func:`run_keras`, which starts ``python keras_runner.py --backend ...`` with
``KERAS_BACKEND`` set in the child's environment (Keras reads it at import time, so it cannot be
switched inside one process, and Keras must never meet layerwise's ``import layerwise as keras``).
The child trains the same model on the same data with ``verbose=0``, times epochs with a callback and
prints one line ``BENCH_JSON {...}`` on stdout; a backend that cannot be imported answers
``"not installed"``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from common import LoopResult

MARKER = "BENCH_JSON "
_HERE = os.path.dirname(os.path.abspath(__file__))


def _child_env(backend: str, device) -> dict:
    """The child's environment: the backend, and the device choice expressed the way each backend reads it."""
    env = dict(os.environ, KERAS_BACKEND=backend, PYTHONPATH=_HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if device.type == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""  # Keras-torch picks CUDA whenever it sees one
        env["JAX_PLATFORMS"] = "cpu"
    elif device.type == "cuda":
        if device.index is not None:
            env["CUDA_VISIBLE_DEVICES"] = str(device.index)
        env["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"  # so JAX's peak memory means something
    return env


def run_keras(backend: str, kind: str, data_path: str, epochs: int, device, threads: int | None,
              timeout: float) -> LoopResult:
    """Run one Keras backend on one model in a subprocess; a row (``not installed``/``failed`` when so)."""
    name = f"Keras {backend}"
    command = [sys.executable, os.path.join(_HERE, "keras_runner.py"), "--backend", backend, "--model", kind,
               "--data", os.path.abspath(data_path), "--epochs", str(epochs), "--device", device.type]
    if threads:
        command += ["--threads", str(threads)]
    try:
        done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=timeout,
                              env=_child_env(backend, device), cwd=_HERE)
    except subprocess.TimeoutExpired:
        return LoopResult(kind, name, status="failed", note=f"timed out after {timeout:.0f} s")
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if not lines:
        tail = [line for line in (done.stderr or done.stdout).strip().splitlines() if line.strip()]
        return LoopResult(kind, name, status="failed", note=f"exit {done.returncode}: {tail[-1][:160] if tail else ''}")
    answer = json.loads(lines[-1][len(MARKER):])
    note = answer.get("note", "")
    if answer.get("device_used") and answer["device_used"] != device.type:
        note = (note + "; " if note else "") + f"ran on {answer['device_used']}, not {device.type}"
    return LoopResult(kind, name, status=answer["status"], epoch_times=answer.get("epoch_times", []),
                      samples_per_epoch=answer.get("samples_per_epoch", 0), test_accuracy=answer.get("test_accuracy"),
                      peak_mib=answer.get("peak_mib"), note=note)


# ---- the child -------------------------------------------------------------------------------------
def _emit(result: dict) -> None:
    """Print the child's answer as the marked JSON line the parent looks for."""
    sys.stdout.write(MARKER + json.dumps(result) + "\n")
    sys.stdout.flush()


def _peak_mib(backend: str, device_used: str) -> float | None:
    """Peak device memory of this process in MiB (torch: ``max_memory_allocated``; JAX: ``peak_bytes_in_use``)."""
    if device_used == "cpu":
        return None
    if backend == "torch":
        import torch

        return torch.cuda.max_memory_allocated() / 2**20
    import jax

    stats = jax.devices()[0].memory_stats() or {}
    return stats["peak_bytes_in_use"] / 2**20 if "peak_bytes_in_use" in stats else None


def child_main() -> None:
    """Entry point of the subprocess: train, time, evaluate, print the JSON line."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", required=True, choices=("torch", "jax"))
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    os.environ["KERAS_BACKEND"] = args.backend  # before the first `import keras`
    try:
        if args.backend == "jax":
            import jax
        import keras
    except ImportError as error:
        _emit({"status": "not installed", "note": f"{type(error).__name__}: {error}"})
        return
    from common import BATCH_SIZE, EVAL_BATCH_SIZE, keras_style_model, load_mnist

    device_used = "cpu"
    if args.backend == "torch":
        import torch

        if args.threads:
            torch.set_num_threads(args.threads)
        device_used = "cuda" if torch.cuda.is_available() else "cpu"
    else:
        device_used = {"gpu": "cuda"}.get(jax.devices()[0].platform, jax.devices()[0].platform)
    x_train, y_train, x_test, y_test = load_mnist(args.data)
    keras.utils.set_random_seed(0)
    model = keras_style_model(keras, args.model)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    times: list[float] = []

    class EpochTimer(keras.callbacks.Callback):
        """Times each epoch, from ``on_epoch_begin`` to ``on_epoch_end`` (after reading the logged loss)."""

        def on_epoch_begin(self, epoch, logs=None):
            """Start the clock."""
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            """Read the loss (a host value in every backend) and stop the clock."""
            float((logs or {}).get("loss", 0.0))
            times.append(time.perf_counter() - self.start)

    model.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=args.epochs, verbose=0, callbacks=[EpochTimer()])
    peak = _peak_mib(args.backend, device_used)
    _, accuracy = model.evaluate(x_test, y_test, batch_size=EVAL_BATCH_SIZE, verbose=0)
    _emit({"status": "ok", "epoch_times": times, "samples_per_epoch": len(x_train), "test_accuracy": float(accuracy),
           "peak_mib": peak, "device_used": device_used, "keras": keras.__version__})


if __name__ == "__main__":
    child_main()
