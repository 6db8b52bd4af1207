"""The static-buffer step and the capture probe (``layerwise/trainers/step_capture.py``), on the CPU.

The CUDA graph itself is exercised in tests/test_cuda.py; here the same buffer plumbing runs
eagerly and must train exactly like the plain eager step.
"""

import numpy as np
import torch

import layerwise as keras
from layerwise.trainers.step_capture import (
    HostSyncProbe,
    StaticStep,
    make_train_runner,
    probe_step,
    static_capture_blockers,
)


def _model(seed=0):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def _batches():
    rng = np.random.RandomState(0)
    x = torch.from_numpy(rng.randn(10, 4).astype("float32"))
    y = torch.from_numpy(rng.randint(0, 3, 10))
    # 4 + 4 + 2: the ragged last batch has its own signature
    return [(x[i:i + 4], y[i:i + 4], None) for i in range(0, 10, 4)] * 3


def test_probe_sees_host_reads_and_data_dependent_shapes():
    x = torch.tensor([1.0, -2.0, 3.0])
    with HostSyncProbe() as probe:
        _ = (x * 2).relu().sum()
    assert probe.blockers == []
    with HostSyncProbe() as probe:
        x.sum().item()
        float(x[0])
        x.nonzero()
        x[x > 0]
        x.tolist()
    assert probe.blockers == ["item (a host read)", "__float__ (a host read)", "nonzero (a data-dependent shape)",
                              "boolean-mask indexing (a data-dependent shape)", "tolist (a host read)"]


def test_probe_on_a_train_step():
    model = _model()
    batch = _batches()[0]
    _, blockers = probe_step(model.train_step, batch)
    # Adam's fused kernel, taken only for CPU weights, reads the step count and learning rate from CPU
    # tensors: a frozen value under capture, so the probe is right to flag it; CUDA weights never go there.
    assert blockers == ["__int__ (a host read)", "__float__ (a host read)"]
    model.optimizer._fusable = lambda grads, variables: False  # the step CUDA weights take
    _, blockers = probe_step(model.train_step, batch)
    assert blockers == []

    class Branchy(keras.layers.Layer):
        def call(self, x):
            return x * 2 if x.sum() > 0 else x

    keras.utils.set_random_seed(0)
    branchy = keras.Sequential([keras.Input((4,)), Branchy(), keras.layers.Dense(3, activation="softmax")])
    branchy.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    _, blockers = probe_step(branchy.train_step, batch)
    assert blockers == ["bool(tensor) (a host read)"]


def test_static_step_trains_exactly_like_the_eager_step():
    eager, static = _model(), _model()
    for a, b in zip(eager.weights, static.weights):
        assert torch.equal(a, b)
    replays = []
    run = StaticStep(static.train_step, capture=False, after_replay=lambda: replays.append(1))
    for batch in _batches():
        eager.train_step(batch)
        run(batch)
    for a, b in zip(eager.weights, static.weights):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert int(eager.optimizer.iterations) == int(static.optimizer.iterations) == 9
    assert eager.get_metrics_result().keys() == static.get_metrics_result().keys()
    for name, value in eager.get_metrics_result().items():
        assert float(value) == float(static.get_metrics_result()[name])
    assert len(run._entries) == 2 and run.graphs == 0 and replays == []


def test_static_step_copies_each_batch_into_the_same_buffers():
    seen = []

    def step(batch):
        seen.append(batch[0].data_ptr())
        return batch[0].sum()

    run = StaticStep(step, capture=False)
    outs = [float(run((torch.full((2,), float(i)),))) for i in range(3)]
    assert outs == [0.0, 2.0, 4.0]
    assert len(set(seen)) == 1


def test_runner_choice_and_the_one_line_report():
    batch = _batches()[0]
    lines = []
    cpu_model = _model()
    runner, _ = make_train_runner(cpu_model, torch.device("cpu"), batch, lines.append)
    assert runner == cpu_model.train_step and lines == []  # eager is the CPU engine: nothing to report

    eager = _model()
    eager.compile(optimizer="adam", loss="sparse_categorical_crossentropy", run_eagerly=True)
    runner, _ = make_train_runner(eager, torch.device("cuda"), batch, lines.append)
    assert runner == eager.train_step
    assert lines == ["layerwise: training steps run eagerly (no CUDA graph): compile(run_eagerly=True)."]
    assert static_capture_blockers(eager, torch.device("cpu")) == [
        "the device is cpu (CUDA graphs need a CUDA device)", "compile(run_eagerly=True)"]

    accumulating = _model()
    accumulating.compile(optimizer=keras.optimizers.SGD(0.1, gradient_accumulation_steps=2), loss="mse")
    assert any("accumulates gradients" in r for r in static_capture_blockers(accumulating, torch.device("cuda")))


def test_probe_blocker_falls_back_to_eager_and_says_why():
    class Branchy(keras.layers.Layer):
        def call(self, x):
            return x * 2 if x.sum() > 0 else x

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), Branchy(), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    lines = []
    runner, logs = make_train_runner(model, torch.device("cuda"), _batches()[0], lines.append)
    assert runner == model.train_step and int(model.optimizer.iterations) == 1  # the probed step trained
    assert len(lines) == 1 and "bool(tensor) (a host read)" in lines[0] and "jit_compile=False" in lines[0]

    capturable = _model()
    capturable.optimizer._fusable = lambda grads, variables: False  # as for CUDA weights (see above)
    runner, _ = make_train_runner(capturable, torch.device("cuda"), _batches()[0], lines.append)
    assert isinstance(runner, StaticStep) and runner.capture and len(lines) == 1


def test_a_failed_recording_falls_back_to_the_eager_step():
    calls, failures = [], []

    def step(batch):
        calls.append(float(batch[0].sum()))
        return batch[0].sum()

    run = StaticStep(step, capture=True, on_capture_failure=failures.append)
    run._eager = lambda entry: step(entry.buffers)  # no CUDA here: warm-up and fallback run in place

    def fail(entry):
        raise RuntimeError("operation not permitted when stream is capturing")

    run._record = fail
    outs = [float(run((torch.full((2,), float(i)),))) for i in range(4)]
    assert outs == [0.0, 2.0, 4.0, 6.0] and calls == outs
    assert failures == ["RuntimeError: operation not permitted when stream is capturing"]
    assert run.capture is False and run.graphs == 0
