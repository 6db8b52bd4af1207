"""``evaluate``/``predict`` through the captured-step path, on the CPU with an emulated CUDA graph.

A CUDA graph's recording runs the step's Python without running its kernels, and every replay
writes into the tensors allocated while recording. :class:`EmulatedStep` does the same on the CPU:
the recording pass runs with the model's state saved and put back (so it changes nothing), and a
replay runs the step again and copies its results into the recorded output tensors. The real
graphs are exercised in tests/test_cuda.py.
"""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.trainers import step_capture
from layerwise.utils import tree


class _EmulatedGraph:
    def __init__(self, step_fn, entry):
        self.step_fn, self.entry = step_fn, entry
        self.replays = 0

    def replay(self):
        self.replays += 1
        fresh = self.step_fn(self.entry.buffers)
        for recorded, new in zip(tree.flatten(self.entry.outputs), tree.flatten(fresh)):
            if isinstance(recorded, torch.Tensor):
                recorded.copy_(new)  # the replay overwrites the recorded outputs in place


def _state(model):
    return [v for m in model.metrics for v in m.variables] + list(model.weights)


class EmulatedStep(step_capture.StaticStep):
    """StaticStep whose warm-up runs in place and whose "graph" replays the step on the CPU."""

    model = None  # set by the fixture: whose state the recording pass must leave unchanged

    def _eager(self, entry):
        return self.step_fn(entry.buffers)

    def _record(self, entry):
        saved = [t.detach().clone() for t in _state(self.model)]
        entry.outputs = self.step_fn(entry.buffers)
        with torch.no_grad():
            for t, value in zip(_state(self.model), saved):
                t.copy_(value)
        entry.graph = _EmulatedGraph(self.step_fn, entry)


@pytest.fixture
def emulated(monkeypatch):
    """Make evaluate/predict take the capture path on the CPU; returns the list of runners made."""
    runners = []

    def make(model):
        EmulatedStep.model = model

        class Tracked(EmulatedStep):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                runners.append(self)
        return Tracked

    real_blockers = step_capture.static_capture_blockers

    def start(model):
        # only the test and predict steps take the emulated path; training stays the CPU's eager step
        monkeypatch.setattr(step_capture, "static_capture_blockers",
                            lambda model, device, training=True: real_blockers(model, device) if training else [])
        monkeypatch.setattr(step_capture, "StaticStep", make(model))
        return runners

    return start


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.BatchNormalization(), keras.layers.Dropout(0.5),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(100, 4).astype("float32"), rng.randint(0, 3, 100)  # batches of 16: 6 full and a ragged 4


def test_captured_evaluate_gives_the_eager_results(emulated):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=1, verbose=0)
    expected = model.evaluate(x, y, batch_size=16, verbose=0)
    runners = emulated(model)
    got = model.evaluate(x, y, batch_size=16, verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    (runner,) = runners
    # batch 1 is the probed step, 2-3 warm up, 4 is recorded and replayed, 5-6 are replayed; the ragged
    # last batch is a signature seen once, so it runs eagerly
    assert runner.graphs == 1
    assert [e.graph.replays for e in runner._entries.values() if e.graph is not None] == [3]


def test_captured_predict_returns_every_batch_not_the_last_replay(emulated):
    x, _ = _data()
    model = _model()
    expected = model.predict(x, batch_size=8, verbose=0)
    runners = emulated(model)
    got = model.predict(x, batch_size=8, verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert runners[0].graphs == 1 and len(np.unique(got.round(5), axis=0)) > 50


def test_captured_predict_copies_outputs_that_are_the_input_buffer(emulated):
    x, _ = _data()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Identity()])
    model(torch.from_numpy(x[:1]))
    emulated(model)
    np.testing.assert_array_equal(model.predict(x, batch_size=8, verbose=0), x)


def test_fit_validation_runs_the_captured_test_step_each_epoch(emulated):
    x, y = _data()
    eager = _model()
    history_eager = eager.fit(x, y, epochs=2, batch_size=16, validation_data=(x, y), shuffle=False, verbose=0)
    captured = _model()
    runners = emulated(captured)
    history = captured.fit(x, y, epochs=2, batch_size=16, validation_data=(x, y), shuffle=False, verbose=0)
    for key in ("val_loss", "val_accuracy"):
        np.testing.assert_allclose(history.history[key], history_eager.history[key], rtol=1e-5)
    assert len(runners) == 2 and all(r.graphs == 1 for r in runners)  # one test runner per validation


def test_an_uncapturable_test_step_is_reported_once_per_model_and_step():
    class Branchy(keras.layers.Layer):
        def call(self, x):
            return x * 2 if x.sum() > 0 else x

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), Branchy(), keras.layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    batch = (torch.ones(2, 4), torch.zeros(2, dtype=torch.long), None)
    lines = []
    for _ in range(2):
        runner, _ = step_capture.make_inference_runner(model, "test", torch.device("cuda"), batch, lines.append)
        assert runner == model.test_step
    runner, out = step_capture.make_inference_runner(model, "predict", torch.device("cuda"), batch[:1], lines.append)
    assert tuple(out.shape) == (2, 3)
    assert len(lines) == 2 and "test step cannot be captured" in lines[0] and "predict step" in lines[1]
    assert "bool(tensor) (a host read)" in lines[0]


def test_on_the_cpu_evaluate_and_predict_run_the_plain_steps():
    model = _model()
    batch = (torch.ones(2, 4), torch.zeros(2, dtype=torch.long), None)
    lines = []
    runner, _ = step_capture.make_inference_runner(model, "test", torch.device("cpu"), batch, lines.append)
    assert runner == model.test_step and lines == []
