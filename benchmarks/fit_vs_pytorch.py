"""Epoch time of layerwise ``fit()`` against hand-written PyTorch loops and Keras 3, on real MNIST.

In one run, on the same data and the same two models (MLP 784-256-256-10; CNN Conv32-Pool-Conv64-Pool-
Dropout(0.5)-Dense10), batch 128, Adam (Keras's epsilon 1e-7), sparse cross entropy and an accuracy
accumulated on the device, it times:

* ``layerwise fit()`` with default settings;
* ``PyTorch eager``: the plain loop (foreach Adam), the baseline on the CPU;
* ``PyTorch eager, fused Adam``: the same loop with torch's fused Adam kernel;
* ``PyTorch torch.compile``: the same loop with a compiled forward (``--no-compile`` skips it; a compile
  failure gives a failed row, not a crash);
* ``PyTorch CUDA graph`` (CUDA only): one whole train step captured and replayed, the baseline on CUDA;
* ``Keras torch`` and ``Keras jax``: Keras 3 in subprocesses, "not installed" when a backend is missing.

Every loop moves the data to the device once, shuffles each epoch with a device permutation and syncs
once per epoch. Epoch seconds are the median of the timed epochs after one warm-up epoch. On a shared
machine other processes slow whichever loop runs at that moment: ``--rounds N`` runs the in-process loops
N times in turn (Keras once), pools their timed epochs and shows the spread of the per-round ratios. A second table
times ``evaluate``/``predict`` (batch 1024) against a ``torch.no_grad()`` loop; ``--time-to-accuracy``
times ``fit()`` until a test accuracy is reached.

    python benchmarks/fit_vs_pytorch.py --device cpu --data ../shared/data/mnist.npz --models mlp --epochs 1
    python benchmarks/fit_vs_pytorch.py --device cuda --time-to-accuracy 0.99 --json results.json
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.metadata
import json
import os
import platform
import sys

import torch
from rich.console import Console
from rich.table import Table

_REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, _REPO)  # benchmark this checkout's layerwise, installed or not (benchmarks/ stays first)

import layerwise_runner
import loops
from common import EVAL_BATCH_SIZE, LoopResult, load_mnist, torch_model
from keras_runner import run_keras

import layerwise as keras

LOOPS = ("layerwise", "eager", "eager-fused", "compile", "cudagraph", "keras-torch", "keras-jax")
_DATA_CANDIDATES = (os.path.join(_REPO, "..", "shared", "data", "mnist.npz"),
                    os.path.join(_REPO, "shared", "data", "mnist.npz"),
                    os.path.expanduser("~/.keras/datasets/mnist.npz"))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (see ``--help``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="Keras-layout mnist.npz (default: ../shared/data/mnist.npz "
                                                     "next to the repository, then shared/data/ inside it)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--models", default="mlp,cnn", help="comma list of mlp, cnn")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs (plus one warm-up epoch)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run the in-process loops this many times in turn (Keras once) and pool the epochs")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--skip", default="", help=f"comma list of loops to skip: {', '.join(LOOPS)}, evaluate")
    parser.add_argument("--no-compile", action="store_true", help="skip the torch.compile loop")
    parser.add_argument("--json", default=None, metavar="PATH", help="also write all results as JSON")
    parser.add_argument("--eval-repeats", type=int, default=3,
                        help="evaluate/predict: timed runs after one warm-up run (median)")
    parser.add_argument("--time-to-accuracy", type=float, default=None, metavar="TARGET",
                        help="also time layerwise fit() on the CNN until the test accuracy reaches TARGET")
    parser.add_argument("--tta-max-epochs", type=int, default=15, help="epoch cap for --time-to-accuracy")
    parser.add_argument("--tta-batch-size", type=int, default=128)
    parser.add_argument("--tta-lr", type=float, default=1e-3)
    parser.add_argument("--keras-timeout", type=float, default=3600, help="seconds per Keras subprocess")
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()} | ({"compile"} if args.no_compile else set())
    unknown = args.skip - set(LOOPS) - {"evaluate"}
    if unknown:
        parser.error(f"--skip: unknown loop(s) {sorted(unknown)}; known: {', '.join(LOOPS)}, evaluate")
    if args.rounds < 1:
        parser.error(f"--rounds: expected a positive integer; got {args.rounds}")
    args.models = [m.strip() for m in args.models.split(",") if m.strip()]
    if not args.models or set(args.models) - {"mlp", "cnn"}:
        parser.error(f"--models: expected a comma list of mlp, cnn; got {','.join(args.models)!r}")
    if args.data is None:
        args.data = next((p for p in _DATA_CANDIDATES if os.path.exists(p)), _DATA_CANDIDATES[0])
    return args


def device_name(device: torch.device) -> str:
    """The GPU's name, or the CPU model from /proc/cpuinfo."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions(device: torch.device) -> dict:
    """Date, device, threads and library versions (Keras and JAX read from package metadata, not imported)."""
    def installed(name: str) -> str:
        """The installed version of a distribution, or "not installed"."""
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"
    return {"date": datetime.date.today().isoformat(), "device": str(device), "device_name": device_name(device),
            "threads": torch.get_num_threads(), "torch": torch.__version__, "layerwise": keras.__version__,
            "keras": installed("keras"), "jax": installed("jax"), "python": platform.python_version(),
            "load_average": [round(v, 2) for v in os.getloadavg()] if hasattr(os, "getloadavg") else None}


def run_training(kind: str, args: argparse.Namespace, data: tuple, device: torch.device,
                 first_round: bool = True) -> list[LoopResult]:
    """Every training loop on one model, in a fixed order, each seeded with 0; skipped ones get a row.
    After the first round the Keras subprocesses are not run again (their rows come from round one)."""
    epochs = args.epochs + 1
    runners = {
        "layerwise": lambda: layerwise_runner.layerwise_fit(kind, data, epochs, device),
        "eager": lambda: loops.eager_loop(kind, data, epochs, device),
        "eager-fused": lambda: loops.eager_fused_loop(kind, data, epochs, device),
        "compile": lambda: loops.compiled_loop(kind, data, epochs, device),
        "cudagraph": lambda: loops.cuda_graph_loop(kind, data, epochs, device),
        "keras-torch": lambda: run_keras("torch", kind, args.data, epochs, device, args.threads, args.keras_timeout),
        "keras-jax": lambda: run_keras("jax", kind, args.data, epochs, device, args.threads, args.keras_timeout),
    }
    labels = {"layerwise": "layerwise fit()", "eager": "PyTorch eager", "eager-fused": "PyTorch eager, fused Adam",
              "compile": "PyTorch torch.compile",
              "cudagraph": "PyTorch CUDA graph", "keras-torch": "Keras torch", "keras-jax": "Keras jax"}
    results = []
    for key in LOOPS:
        if not first_round and key.startswith("keras-"):
            continue
        if key in args.skip or (key == "cudagraph" and device.type != "cuda"):
            note = "CUDA only" if key == "cudagraph" and device.type != "cuda" else "--skip"
            results.append(LoopResult(kind, labels[key], status="skipped", note=note))
            continue
        torch.manual_seed(0)
        print(f"  {kind}: {labels[key]} ...", flush=True)
        results.append(runners[key]())
    return results


def pool_rounds(rounds: list[list[LoopResult]], device: torch.device) -> list[LoopResult]:
    """One row per loop from several rounds: the first round's row with every round's timed epochs (each
    round's warm-up epoch left out), the last round's trained model, and the per-round ratios to the
    baseline in the note."""
    if len(rounds) == 1:
        return rounds[0]
    later = [{r.loop: r for r in rows} for rows in rounds[1:]]
    baselines = [baseline_of(rows, device) for rows in rounds]
    pooled = []
    for row in rounds[0]:
        runs = [row] + [by_loop[row.loop] for by_loop in later if row.loop in by_loop]
        if row.status != "ok" or len(runs) == 1:
            pooled.append(row)
            continue
        times = row.epoch_times[:1] + [t for run in runs for t in (run.epoch_times[1:] or run.epoch_times)]
        ratios = [run.epoch_seconds / base.epoch_seconds
                  for run, base in zip(runs, baselines) if base is not None and run.epoch_seconds]
        note = (f"{len(runs)} rounds; ratio per round {min(ratios):.2f}x-{max(ratios):.2f}x"
                if ratios and row is not baselines[0] else f"{len(runs)} rounds")
        pooled.append(dataclasses.replace(row, epoch_times=times, note=note, trained=runs[-1].trained))
    return pooled


def baseline_of(rows: list[LoopResult], device: torch.device) -> LoopResult | None:
    """The ratio baseline: the CUDA-graph loop on CUDA (the eager loop if it did not run), else the eager loop."""
    by_loop = {r.loop: r for r in rows if r.status == "ok"}
    if device.type == "cuda" and "PyTorch CUDA graph" in by_loop:
        return by_loop["PyTorch CUDA graph"]
    return by_loop.get("PyTorch eager")


def training_table(rows: list[LoopResult], baselines: dict, args: argparse.Namespace) -> Table:
    """The first table: one row per (model, loop)."""
    pooled = f" x {args.rounds} rounds" if args.rounds > 1 else ""
    table = Table(title=f"MNIST training, batch 128, Adam: median of {args.epochs} timed epoch(s){pooled} after one "
                        "warm-up")
    for column in ("model", "loop", "epoch s", "samples/s", "ratio", "best s", "best ratio", "peak MiB", "test acc",
                   "note"):
        table.add_column(column, justify="left" if column in ("model", "loop", "note") else "right")
    for row in rows:
        seconds, best, base = row.epoch_seconds, row.best_epoch_seconds, baselines.get(row.model)
        if seconds is None:
            table.add_row(row.model, row.loop, row.status, "-", "-", "-", "-", "-", "-", row.note)
            continue
        ratio = f"{seconds / base.epoch_seconds:.2f}x" if base is not None else "-"
        best_ratio = f"{best / base.best_epoch_seconds:.2f}x" if base is not None else "-"
        table.add_row(row.model, row.loop, f"{seconds:.3f}", f"{row.samples_per_epoch / seconds:,.0f}", ratio,
                      f"{best:.3f}", best_ratio, "-" if row.peak_mib is None else f"{row.peak_mib:,.0f}",
                      "-" if row.test_accuracy is None else f"{row.test_accuracy:.4f}", row.note)
    return table


def run_inference(kind: str, rows: list[LoopResult], data: tuple, device: torch.device, repeats: int) -> list[dict]:
    """``evaluate`` and ``predict`` of the trained layerwise model against the trained eager torch model's
    ``torch.no_grad()`` loop over the same batches of 1024 (fresh untrained models if those loops were
    skipped). Each call runs once untimed, then ``repeats`` timed times (median)."""
    _, _, x_test, y_test = data
    trained = {r.loop: r.trained for r in rows if r.trained is not None}
    lw_model = trained.get("layerwise fit()")
    if lw_model is None:
        lw_model = layerwise_runner.compiled_model(kind, device)
        keras.config.set_default_device(None)
    torch_net = trained.get("PyTorch eager")
    if torch_net is None:
        torch_net = torch_model(kind).to(device)
    calls = {
        "evaluate": (lambda: layerwise_runner.layerwise_evaluate(lw_model, x_test, y_test),
                     lambda: loops.torch_evaluate(torch_net, x_test, y_test, device)),
        "predict": (lambda: layerwise_runner.layerwise_predict(lw_model, x_test),
                    lambda: loops.torch_predict(torch_net, x_test, device)),
    }
    results = []
    for call, (ours, theirs) in calls.items():
        ours_s = loops.steady_seconds(ours, device, repeats)
        theirs_s = loops.steady_seconds(theirs, device, repeats)
        results.append({"model": kind, "call": call, "layerwise_s": ours_s, "torch_no_grad_s": theirs_s,
                        "ratio": ours_s / theirs_s, "samples": len(x_test)})
    return results


def inference_table(results: list[dict], repeats: int) -> Table:
    """The second table: evaluate/predict seconds and the layerwise / no_grad-loop ratio."""
    table = Table(title=f"evaluate / predict on the 10,000 test images, batch {EVAL_BATCH_SIZE}: median of {repeats} "
                        "run(s) after one warm-up run")
    for column in ("model", "call", "layerwise s", "no_grad loop s", "ratio", "layerwise samples/s"):
        table.add_column(column, justify="left" if column in ("model", "call") else "right")
    for r in results:
        table.add_row(r["model"], r["call"], f"{r['layerwise_s']:.4f}", f"{r['torch_no_grad_s']:.4f}",
                      f"{r['ratio']:.2f}x", f"{r['samples'] / r['layerwise_s']:,.0f}")
    return table


def describe_time_to_accuracy(result: dict) -> str:
    """One line for the time-to-accuracy result."""
    head = (f"time to {result['target']:.2%} test accuracy (layerwise fit(), {result['model']}, batch "
            f"{result['batch_size']}, Adam lr {result['learning_rate']:g}): ")
    if result["reached"]:
        return head + f"{result['seconds']:.2f} s, at epoch {result['epochs']} (test acc {result['test_accuracy']:.4f})"
    best = max((h["test_accuracy"] for h in result["history"]), default=float("nan"))
    return head + f"not reached in {result['max_epochs']} epochs (best test acc {best:.4f})"


def main(argv: list[str] | None = None) -> None:
    """Run everything the arguments ask for, print the tables and the version line, write the JSON."""
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    data = load_mnist(args.data)
    console = Console(width=160)
    rows: list[LoopResult] = []
    inference: list[dict] = []
    baselines: dict = {}
    for kind in args.models:
        rounds = [run_training(kind, args, data, device, first_round=(r == 0)) for r in range(args.rounds)]
        kind_rows = pool_rounds(rounds, device)
        rows += kind_rows
        baselines[kind] = baseline_of(kind_rows, device)
        if "evaluate" not in args.skip:
            inference += run_inference(kind, kind_rows, data, device, args.eval_repeats)
        for row in kind_rows:
            row.trained = None  # free the models before the next one
    tta = None
    if args.time_to_accuracy is not None:
        print("  time to accuracy ...", flush=True)
        torch.manual_seed(0)
        tta = layerwise_runner.time_to_accuracy(data, device, args.time_to_accuracy, args.tta_max_epochs,
                                                batch_size=args.tta_batch_size, learning_rate=args.tta_lr)
    info = versions(device)
    console.print(training_table(rows, baselines, args))
    base_names = {k: (b.loop if b is not None else "none") for k, b in baselines.items()}
    console.print("ratio = epoch s / epoch s of the baseline (best ratio: the same for the fastest epochs): "
                  + ", ".join(f"{k}: {v}" for k, v in base_names.items()))
    if inference:
        console.print(inference_table(inference, args.eval_repeats))
    if tta is not None:
        console.print(describe_time_to_accuracy(tta))
    console.print(f"{info['date']} | device {info['device']} ({info['device_name']}) | threads {info['threads']} | "
                  f"torch {info['torch']} | layerwise {info['layerwise']} | keras {info['keras']} | jax {info['jax']} | "
                  f"Python {info['python']}")
    if device.type == "cpu" and info["load_average"]:
        console.print(f"CPU load average (1, 5, 15 min) at the end: {info['load_average']} on {os.cpu_count()} cores"
                      " - other processes slow the CPU loops unevenly; compare ratios only from a quiet machine.")
    if args.json:
        payload = {"versions": info, "args": {k: (sorted(v) if isinstance(v, set) else v) for k, v in vars(args).items()},
                   "baselines": base_names, "training": [r.to_json() for r in rows], "inference": inference,
                   "time_to_accuracy": tta}
        with open(args.json, "w") as handle:
            json.dump(payload, handle, indent=2)
        console.print(f"results written to {args.json}")


if __name__ == "__main__":
    main()
