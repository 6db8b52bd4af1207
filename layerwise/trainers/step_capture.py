"""Running the train step on fixed buffers, captured once in a CUDA graph and replayed.

``fit()`` on CUDA replays one CUDA graph per batch: forward, loss, backward, optimizer update and
metric update are recorded once and launched as a single graph, so Python and kernel-launch
overhead disappear from the step. ``evaluate()`` and ``predict()`` do the same with the test and
predict steps (:func:`make_inference_runner`). What makes that safe:

* **Static buffers.** The graph reads its batch from tensors allocated once per batch signature
  (shapes and dtypes); each step copies the batch into them (a device-to-device copy). A ragged
  last batch has its own signature and therefore its own graph: nothing is re-captured per epoch.
* **Real warm-up steps.** The first steps of a signature run eagerly on the buffers (they are real
  training steps, not discarded work), which builds lazy state (metrics, optimizer slots) and lets
  cuDNN/cuBLAS pick their algorithms before capture.
* **A probe.** The first eager step runs under :class:`HostSyncProbe`, which sees every operation
  that reads a device value on the host (``.item()``, ``bool(tensor)``, ``.tolist()``...) or makes a
  data-dependent shape (``nonzero``, boolean masks). Such a step cannot be captured: fit falls back
  to eager execution and says why once (at ``verbose >= 1``).
* **Host bookkeeping.** A replay runs no Python, so host-side mirrors that the step normally keeps
  (the optimizer's host iteration count) are advanced by ``after_replay`` after each replay. The
  recording itself runs the step's Python once without its kernels; the replay that follows it
  completes that step, so it skips ``after_replay``.

On the CPU there is no graph to capture; :class:`StaticStep` with ``capture=False`` runs the very
same buffer plumbing eagerly, which is what the CPU tests compare against plain eager training.
"""

from __future__ import annotations

from typing import Any, Callable

import torch
from torch.overrides import TorchFunctionMode

from layerwise.utils import tree

# Tensor methods and functions that read device values on the host.
_HOST_READS = frozenset({"item", "__bool__", "__int__", "__float__", "__index__", "__complex__", "tolist", "numpy",
                         "cpu", "__array__", "__len__"})
# Operations whose output shape depends on the data.
_DYNAMIC_SHAPES = frozenset({"nonzero", "argwhere", "masked_select", "unique", "unique_consecutive", "bincount",
                             "repeat_interleave"})
_WARMUP_STEPS = 2


class HostSyncProbe(TorchFunctionMode):
    """Records operations that would stop a step from being captured in a CUDA graph.

    Example:
        >>> import torch
        >>> x = torch.tensor([1.0, -2.0])
        >>> with HostSyncProbe() as probe:
        ...     y = x * 2
        ...     if y.sum() > 0:
        ...         pass
        >>> probe.blockers
        ['bool(tensor) (a host read)']
    """

    def __init__(self) -> None:
        super().__init__()
        self.blockers: list[str] = []

    def _record(self, what: str) -> None:
        if what not in self.blockers:
            self.blockers.append(what)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if name in _HOST_READS:
            self._record(f"{'bool(tensor)' if name == '__bool__' else name} (a host read)")
        elif name in _DYNAMIC_SHAPES:
            self._record(f"{name} (a data-dependent shape)")
        elif name == "__getitem__" and len(args) > 1 and _has_bool_tensor(args[1]):
            self._record("boolean-mask indexing (a data-dependent shape)")
        return func(*args, **(kwargs or {}))


def _has_bool_tensor(index: Any) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, torch.Tensor) and i.dtype == torch.bool for i in items)


def _signature(batch: Any) -> tuple:
    return tuple((tuple(t.shape), t.dtype, t.device) if isinstance(t, torch.Tensor) else (type(t), t)
                 for t in tree.flatten(batch))


def _copy_into(buffers: Any, batch: Any) -> None:
    for buffer, value in zip(tree.flatten(buffers), tree.flatten(batch)):
        if isinstance(buffer, torch.Tensor):
            buffer.copy_(value, non_blocking=True)


def _clone(batch: Any) -> Any:
    return tree.map_structure(lambda t: t.clone() if isinstance(t, torch.Tensor) else t, batch)


class _Entry:
    __slots__ = ("buffers", "graph", "outputs", "eager_steps")

    def __init__(self, buffers: Any):
        self.buffers = buffers
        self.graph: Any = None
        self.outputs: Any = None
        self.eager_steps = 0


class StaticStep:
    """Runs ``step_fn`` on static input buffers; on CUDA, captures it in a graph and replays it.

    Args:
        step_fn: the step, called as ``step_fn(batch)``; its return value is returned from each call
            (for a captured step: the same object every time, holding device tensors updated by the
            replay -- ``train_step``'s lazy logs are read only when asked, so this is what they need).
        capture: record a CUDA graph after the warm-up steps (requires the batch on a CUDA device).
        after_replay: host bookkeeping to run after each replay (the eager step does it itself).
        on_capture_failure: told (with the error) when recording fails; the step then stays eager,
            and the caller undoes what the failed recording did on the host.
        replay_outputs: what a replayed step returns, given the outputs recorded with the graph (for
            ``train_step``: fresh lazy logs, since the logs object returned while recording caches its
            values once read; for ``predict_step``: copies, since the next replay overwrites them).

    Example:
        >>> import torch
        >>> total = torch.zeros(())
        >>> def step(batch):
        ...     total.add_(batch[0].sum())
        ...     return total
        >>> run = StaticStep(step, capture=False)
        >>> _ = run((torch.ones(3),)); float(run((torch.ones(3),)))
        6.0
    """

    def __init__(self, step_fn: Callable[[Any], Any], capture: bool = False,
                 after_replay: Callable[[], None] | None = None, replay_outputs: Callable[[], Any] | None = None,
                 on_capture_failure: Callable[[str], None] | None = None):
        self.step_fn = step_fn
        self.capture = capture
        self.after_replay = after_replay
        self.replay_outputs = replay_outputs
        self.on_capture_failure = on_capture_failure
        self.capture_error: str | None = None
        self._entries: dict[tuple, _Entry] = {}
        self._pool: Any = None

    @property
    def graphs(self) -> int:
        """How many graphs have been captured (one per batch signature)."""
        return sum(entry.graph is not None for entry in self._entries.values())

    def __call__(self, batch: Any) -> Any:
        key = _signature(batch)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(_clone(batch))
        else:
            _copy_into(entry.buffers, batch)
        if entry.graph is not None:
            entry.graph.replay()
            if self.after_replay is not None:
                self.after_replay()
            return self._outputs(entry)
        if not self.capture or entry.eager_steps < _WARMUP_STEPS:
            entry.eager_steps += 1
            return self._eager(entry)
        try:
            self._record(entry)
        except Exception as error:  # noqa: BLE001 -- any capture failure means: stay eager
            self.capture = False
            self.capture_error = f"{type(error).__name__}: {error}"
            if self.on_capture_failure is not None:
                self.on_capture_failure(self.capture_error)
            return self._eager(entry)
        # Recording ran the step's Python once (its host bookkeeping included) without running its
        # kernels; this first replay runs them, so it needs no extra host bookkeeping.
        entry.graph.replay()
        return self._outputs(entry)

    def _outputs(self, entry: _Entry) -> Any:
        return self.replay_outputs(entry.outputs) if self.replay_outputs is not None else entry.outputs

    def _eager(self, entry: _Entry) -> Any:
        if not self.capture:
            return self.step_fn(entry.buffers)
        # warm-up on a side stream, as CUDA graph capture requires
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            out = self.step_fn(entry.buffers)
        torch.cuda.current_stream().wait_stream(stream)
        return out

    def _record(self, entry: _Entry) -> None:
        torch.cuda.synchronize()
        graph = torch.cuda.CUDAGraph()
        if self._pool is None:
            self._pool = torch.cuda.graph_pool_handle()
        with torch.cuda.graph(graph, pool=self._pool):
            entry.outputs = self.step_fn(entry.buffers)
        entry.graph = graph


def probe_step(step_fn: Callable[[Any], Any], batch: Any) -> tuple[Any, list[str]]:
    """Run one step eagerly under :class:`HostSyncProbe`; return its output and what blocks capture.

    Example:
        >>> import torch
        >>> out, blockers = probe_step(lambda b: b[0] * 2, (torch.ones(2),))
        >>> out.tolist(), blockers
        ([2.0, 2.0], [])
    """
    with HostSyncProbe() as probe:
        out = step_fn(batch)
    return out, probe.blockers


def static_capture_blockers(model: Any, device: torch.device, training: bool = True) -> list[str]:
    """Reasons, known before any step runs, why ``model``'s train step (``training=False``: its test
    or predict step) will not be graph-captured.

    Example:
        >>> import torch, layerwise as keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> static_capture_blockers(model, torch.device("cpu"))
        ['the device is cpu (CUDA graphs need a CUDA device)']
    """
    reasons = []
    if device.type != "cuda":
        reasons.append(f"the device is {device.type} (CUDA graphs need a CUDA device)")
    if getattr(model, "run_eagerly", False):
        reasons.append("compile(run_eagerly=True)")
    if getattr(model, "jit_compile", "auto") is False:
        reasons.append("compile(jit_compile=False)")
    optimizer = getattr(model, "optimizer", None) if training else None
    if optimizer is not None:
        if getattr(optimizer, "gradient_accumulation_steps", None):
            reasons.append("the optimizer accumulates gradients (it decides on the host when to apply them)")
        if getattr(optimizer, "use_ema", False):
            reasons.append("the optimizer keeps an EMA of the weights (it decides on the host when to overwrite)")
        lr = getattr(optimizer, "_learning_rate", None)
        if lr is not None and not isinstance(lr, torch.Tensor) and not hasattr(lr, "get_config"):
            reasons.append("the learning rate is a Python callable (a replayed graph would freeze its value)")
    return reasons


def reporter(verbose: Any) -> Callable[[str], None]:
    """Where ``fit`` says why a step is not captured: standard error at ``verbose != 0``, else nowhere.

    Example:
        >>> reporter(0)("not shown")
    """
    if verbose == 0:
        return lambda line: None
    from rich.console import Console

    console = Console(stderr=True)
    return lambda line: console.print(line, markup=False, highlight=False)


def make_train_runner(model: Any, device: torch.device, first_batch: Any,
                      report: Callable[[str], None]) -> tuple[Callable[[Any], Any], Any]:
    """Choose how ``fit`` runs its train steps, and run the first one.

    The first step always runs eagerly under the probe. The returned runner is ``model.train_step``
    itself (eager) or a :class:`StaticStep` capturing it; ``report`` receives one line saying why a
    CUDA step stays eager (nothing is reported on the CPU, where eager is simply the engine).

    Example:
        >>> import torch, layerwise as keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> runner, logs = make_train_runner(model, torch.device("cpu"), (torch.ones(4, 2), torch.ones(4, 1), None),
        ...                                  print)
        >>> runner == model.train_step
        True
    """
    reasons = static_capture_blockers(model, device)
    if reasons:
        if device.type == "cuda":
            report(f"layerwise: training steps run eagerly (no CUDA graph): {'; '.join(reasons)}.")
        return model.train_step, model.train_step(first_batch)
    logs, blockers = probe_step(model.train_step, first_batch)
    if blockers:
        report("layerwise: this model's train step cannot be captured in a CUDA graph, so it runs eagerly; the "
               f"step does: {', '.join(blockers)}. Remove host reads from `call` (or pass `jit_compile=False` to "
               "`compile` to silence this).")
        return model.train_step, logs
    optimizer = model.optimizer

    def after_replay() -> None:
        optimizer._host_iterations += 1

    host_iterations = [0]

    def record(batch: Any) -> Any:  # keep the optimizer's host count right if recording fails midway
        host_iterations[0] = optimizer._host_iterations
        return model.train_step(batch)

    def capture_failed(error: str) -> None:
        optimizer._host_iterations = host_iterations[0]
        report(f"layerwise: capturing the train step in a CUDA graph failed ({error}); it runs eagerly.")

    runner = StaticStep(record, capture=True, after_replay=after_replay,
                        replay_outputs=lambda recorded: model._lazy_results, on_capture_failure=capture_failed)
    return runner, logs


def _unaliased(step_fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``step_fn`` whose outputs never share memory with its inputs: a static buffer is overwritten by the
    next batch, so an output that is (a view of) the input (an identity model, a slice) is copied."""
    def step(batch: Any) -> Any:
        inputs = {t.untyped_storage().data_ptr() for t in tree.flatten(batch) if isinstance(t, torch.Tensor)}
        return tree.map_structure(
            lambda t: t.clone() if isinstance(t, torch.Tensor) and t.untyped_storage().data_ptr() in inputs else t,
            step_fn(batch))
    return step


def make_inference_runner(model: Any, step: str, device: torch.device, first_batch: Any,
                          report: Callable[[str], None]) -> tuple[Callable[[Any], Any], Any]:
    """Choose how ``evaluate`` (``step="test"``) or ``predict`` (``step="predict"``) runs its steps, and
    run the first one: as :func:`make_train_runner`, without the optimizer's conditions. A captured
    ``predict_step`` returns copies of the replayed outputs (each replay overwrites the recorded ones);
    why a CUDA step stays eager is reported once per model and kind of step.

    Example:
        >>> import torch, layerwise as keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> runner, out = make_inference_runner(model, "predict", torch.device("cpu"), (torch.ones(4, 2),), print)
        >>> runner == model.predict_step, tuple(out.shape)
        (True, (4, 1))
    """
    step_fn = model.test_step if step == "test" else model.predict_step
    reported = model.__dict__.setdefault("_capture_reports", set())

    def report_once(line: str) -> None:
        if step not in reported:
            reported.add(step)
            report(line)

    reasons = static_capture_blockers(model, device, training=False)
    if reasons:
        if device.type == "cuda":
            report_once(f"layerwise: {step} steps run eagerly (no CUDA graph): {'; '.join(reasons)}.")
        return step_fn, step_fn(first_batch)
    outputs, blockers = probe_step(step_fn, first_batch)
    if blockers:
        report_once(f"layerwise: this model's {step} step cannot be captured in a CUDA graph, so it runs eagerly; the "
                    f"step does: {', '.join(blockers)}.")
        return step_fn, outputs
    if step == "test":
        replay_outputs = lambda recorded: model._lazy_results  # noqa: E731 - metric tensors the replay updated
    else:
        step_fn = _unaliased(step_fn)  # its warm-up steps run on the static buffers too
        replay_outputs = lambda recorded: tree.map_structure(  # noqa: E731
            lambda t: t.clone() if isinstance(t, torch.Tensor) else t, recorded)
    runner = StaticStep(step_fn, capture=True, replay_outputs=replay_outputs,
                        on_capture_failure=lambda error: report_once(
                            f"layerwise: capturing the {step} step in a CUDA graph failed ({error}); it runs eagerly."))
    return runner, outputs
