"""The static-buffer step and the capture probe (``layerwise/trainers/step_capture.py``), on the CPU.

The CUDA graph itself is exercised in tests/test_cuda.py; here the same buffer plumbing runs
eagerly and must train exactly like the plain eager step.
"""

import numpy as np
import torch

import layerwise as keras
from layerwise.trainers.step_capture import HostSyncProbe, StaticStep, probe_step


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
