"""Hand-written PyTorch loops doing the same work as layerwise ``fit()``, ``evaluate()`` and ``predict()``.

Every training loop: moves the training set to the device once, shuffles each epoch with a device
permutation, gathers batches of 128 on the device, trains with Adam (lr 1e-3, Keras's epsilon 1e-7,
foreach update), accumulates the loss and the accuracy on the device, and syncs with the host once
per epoch (reading the accumulated loss), as ``fit()`` reports its logs.
"""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn.functional as F
from common import (
    ADAM_EPSILON,
    BATCH_SIZE,
    EVAL_BATCH_SIZE,
    LEARNING_RATE,
    LoopResult,
    Stopwatch,
    begin_memory_window,
    end_memory_window,
    failure_reason,
    torch_model,
)


def _nchw(array: np.ndarray, device: torch.device) -> torch.Tensor:
    """NHWC float images as an NCHW view on ``device`` (channels-last strides, no copy on the device)."""
    return torch.from_numpy(array).to(device).permute(0, 3, 1, 2)


def _new_model(kind: str, device: torch.device, capturable: bool = False, fused: bool = False) -> tuple:
    """The torch model on ``device`` (channels-last for the CNN) and its Adam optimizer (foreach, or
    torch's fused kernel with ``fused=True``)."""
    model = torch_model(kind).to(device)
    if kind == "cnn":
        model = model.to(memory_format=torch.channels_last)
    if fused:
        optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, eps=ADAM_EPSILON, fused=True)
        return model, optimizer
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, eps=ADAM_EPSILON, foreach=True,
                                 capturable=capturable)
    return model, optimizer


def test_accuracy(model: torch.nn.Module, x_test: np.ndarray, y_test: np.ndarray, device: torch.device) -> float:
    """Accuracy of the logits-producing ``model`` on the test set, in batches of 1024 (eval mode)."""
    model.eval()
    x, y = _nchw(x_test, device), torch.from_numpy(y_test).to(device)
    correct = torch.zeros((), device=device, dtype=torch.int64)
    with torch.no_grad():
        for i in range(0, len(x), EVAL_BATCH_SIZE):
            correct += (model(x[i:i + EVAL_BATCH_SIZE]).argmax(1) == y[i:i + EVAL_BATCH_SIZE]).sum()
    return int(correct) / len(x)


def _train_epochs(kind: str, name: str, data: tuple, epochs: int, device: torch.device, step_fn=None,
                  fused: bool = False) -> LoopResult:
    """The eager training loop behind :func:`eager_loop` and :func:`compiled_loop`. When given,
    ``step_fn(model)`` returns a ``forward(xb, yb) -> (loss, correct_count)`` that replaces the eager
    forward, loss and accuracy (the ``torch.compile`` loop passes a compiled one)."""
    x_train, y_train, x_test, y_test = data
    baseline = begin_memory_window(device)
    model, optimizer = _new_model(kind, device, fused=fused)
    forward = step_fn(model) if step_fn is not None else None
    x, y = _nchw(x_train, device), torch.from_numpy(y_train).to(device)
    watch = Stopwatch(device)
    for _ in range(epochs):
        watch.start()
        model.train()
        total = torch.zeros((), device=device)
        correct = torch.zeros((), device=device, dtype=torch.int64)
        permutation = torch.randperm(len(x), device=device)
        for i in range(0, len(x), BATCH_SIZE):
            index = permutation[i:i + BATCH_SIZE]
            xb, yb = x.index_select(0, index), y.index_select(0, index)
            if forward is None:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                hits = (logits.argmax(1) == yb).sum()
            else:
                loss, hits = forward(xb, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.detach() * len(index)
            correct += hits
        float(total)  # the one host sync per epoch, as fit() reads its logs
        watch.stop()
    peak = end_memory_window(device, baseline)
    return LoopResult(kind, name, epoch_times=watch.times, samples_per_epoch=len(x),
                      test_accuracy=test_accuracy(model, x_test, y_test, device), peak_mib=peak, trained=model)


def eager_loop(kind: str, data: tuple, epochs: int, device: torch.device) -> LoopResult:
    """Plain eager PyTorch: the CPU baseline (ratio 1.00 on the CPU)."""
    return _train_epochs(kind, "PyTorch eager", data, epochs, device)


def eager_fused_loop(kind: str, data: tuple, epochs: int, device: torch.device) -> LoopResult:
    """The eager loop with torch's fused Adam kernel instead of the foreach one (what layerwise's Adam
    uses for CPU weights): shows how much of a difference is the optimizer kernel."""
    return _train_epochs(kind, "PyTorch eager, fused Adam", data, epochs, device, fused=True)


def compiled_loop(kind: str, data: tuple, epochs: int, device: torch.device) -> LoopResult:
    """The eager loop with forward, loss and accuracy under ``torch.compile`` (default mode, static shapes:
    the ragged last batch compiles a second graph during the warm-up epoch). Backward runs through the
    compiled graph (AOTAutograd); the optimizer step stays the eager foreach Adam. A compile error does
    not stop the benchmark: the row is returned as failed with the reason."""
    def make_forward(model):
        """``torch.compile`` of forward + loss + correct count for ``model``."""
        def forward(xb, yb):
            """Loss and number of correct predictions on one batch."""
            logits = model(xb)
            return F.cross_entropy(logits, yb), (logits.argmax(1) == yb).sum()
        return torch.compile(forward, dynamic=False)

    try:
        torch.compiler.reset()
        return _train_epochs(kind, "PyTorch torch.compile", data, epochs, device, step_fn=make_forward)
    except Exception as error:  # noqa: BLE001 - any compiler failure becomes a failed row
        return LoopResult(kind, "PyTorch torch.compile", status="failed", note=failure_reason(error))


def cuda_graph_loop(kind: str, data: tuple, epochs: int, device: torch.device, warmup_steps: int = 3) -> LoopResult:
    """One whole train step captured in a ``torch.cuda.CUDAGraph`` and replayed: the GPU baseline.

    The step (forward, cross entropy, backward, ``Adam(capturable=True).step()``, and the loss/accuracy
    accumulation into persistent device tensors) reads its batch from static buffers. Each epoch shuffles
    with a device permutation and gathers each batch straight into the static buffers
    (``index_select(out=...)``), then replays the graph. The first ``warmup_steps`` steps run eagerly on a
    side stream, as the PyTorch CUDA-graph docs describe (they are real training steps of the warm-up
    epoch); the next step is captured and replayed. **The ragged last batch is dropped**: an epoch is
    ``60000 // 128 = 468`` steps (59,904 samples, a fresh permutation each epoch), so this loop does
    0.2 % fewer samples per epoch than ``fit()`` and the other loops; samples/s accounts for it.
    Dropout stays random per replay (the CUDA generator's offset advances on every replay).
    """
    name = "PyTorch CUDA graph"
    if device.type != "cuda":
        return LoopResult(kind, name, status="skipped", note="CUDA only")
    x_train, y_train, x_test, y_test = data
    baseline = begin_memory_window(device)
    model, optimizer = _new_model(kind, device, capturable=True)
    x, y = _nchw(x_train, device).contiguous(), torch.from_numpy(y_train).to(device)
    steps = len(x) // BATCH_SIZE
    static_x = torch.empty((BATCH_SIZE, *x.shape[1:]), dtype=x.dtype, device=device)
    static_y = torch.empty((BATCH_SIZE,), dtype=y.dtype, device=device)
    total = torch.zeros((), device=device)
    correct = torch.zeros((), device=device, dtype=torch.int64)

    def step() -> None:
        """One train step on the static buffers (what the graph records)."""
        logits = model(static_x)
        loss = F.cross_entropy(logits, static_y)
        loss.backward()
        optimizer.step()
        total.add_(loss.detach() * BATCH_SIZE)
        correct.add_((logits.argmax(1) == static_y).sum())

    graph, warmed, side = None, 0, torch.cuda.Stream(device)
    watch = Stopwatch(device)
    for _ in range(epochs):
        watch.start()
        model.train()
        total.zero_()
        correct.zero_()
        permutation = torch.randperm(len(x), device=device)
        for i in range(steps):
            index = permutation[i * BATCH_SIZE:(i + 1) * BATCH_SIZE]
            torch.index_select(x, 0, index, out=static_x)
            torch.index_select(y, 0, index, out=static_y)
            if graph is not None:
                graph.replay()
            elif warmed < warmup_steps:  # eager warm-up on a side stream (lazy state, cuBLAS/cuDNN choices)
                side.wait_stream(torch.cuda.current_stream(device))
                with torch.cuda.stream(side):
                    optimizer.zero_grad(set_to_none=True)
                    step()
                torch.cuda.current_stream(device).wait_stream(side)
                warmed += 1
            else:  # capture (records, runs nothing), then replay to do this step
                optimizer.zero_grad(set_to_none=True)  # backward in the graph allocates .grad from its pool
                graph = torch.cuda.CUDAGraph()
                with torch.cuda.graph(graph, stream=side):  # the warm-up stream, whose handles are cached
                    step()
                graph.replay()
        float(total)  # the one host sync per epoch
        watch.stop()
    peak = end_memory_window(device, baseline)
    return LoopResult(kind, name, epoch_times=watch.times, samples_per_epoch=steps * BATCH_SIZE,
                      test_accuracy=test_accuracy(model, x_test, y_test, device), peak_mib=peak,
                      note="drops the ragged last batch (468 steps)", trained=model)


def torch_evaluate(model: torch.nn.Module, x_test: np.ndarray, y_test: np.ndarray, device: torch.device) -> tuple:
    """Hand-written ``evaluate``: from the NumPy arrays (host-to-device copy included, as ``evaluate`` gets
    NumPy too) over batches of 1024 under ``torch.no_grad()``; loss and accuracy summed on the device,
    one sync at the end. Returns (loss, accuracy)."""
    model.eval()
    with torch.no_grad():
        x, y = _nchw(x_test, device), torch.from_numpy(y_test).to(device)
        total = torch.zeros((), device=device)
        correct = torch.zeros((), device=device, dtype=torch.int64)
        for i in range(0, len(x), EVAL_BATCH_SIZE):
            yb = y[i:i + EVAL_BATCH_SIZE]
            logits = model(x[i:i + EVAL_BATCH_SIZE])
            total += F.cross_entropy(logits, yb, reduction="sum")
            correct += (logits.argmax(1) == yb).sum()
        values = torch.stack([total / len(x), correct.double() / len(x)]).tolist()
    return values[0], values[1]


def torch_predict(model: torch.nn.Module, x_test: np.ndarray, device: torch.device) -> np.ndarray:
    """Hand-written ``predict``: batches of 1024 under ``torch.no_grad()``, softmax probabilities (as the
    Keras-style model outputs), concatenated and returned as one NumPy array."""
    model.eval()
    with torch.no_grad():
        x = _nchw(x_test, device)
        outputs = [torch.softmax(model(x[i:i + EVAL_BATCH_SIZE]), dim=1) for i in range(0, len(x), EVAL_BATCH_SIZE)]
        return torch.cat(outputs).cpu().numpy()


def steady_seconds(fn, device: torch.device, repeats: int) -> float:
    """Run ``fn()`` once as warm-up, then ``repeats`` timed times; the median wall-clock seconds."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]
