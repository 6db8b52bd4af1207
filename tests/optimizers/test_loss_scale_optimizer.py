"""``LossScaleOptimizer``: the dynamic loss-scaling rule, exact skips, Keras parity, and ``mixed_float16``."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.trainers.step_capture import HostSyncProbe

INF = float("inf")


def _weights():
    return [keras.Variable(torch.tensor([[1.0, -2.0], [0.5, 3.0]]), name="k"),
            keras.Variable(torch.tensor([0.25, -0.75]), name="b")]


def _grads(scale, bad=False):
    k = torch.tensor([[0.1, -0.2], [0.3, 0.05]]) * scale
    b = torch.tensor([INF if bad else -0.4, 0.2]) * scale
    return [k, b]


def test_finite_steps_apply_the_unscaled_gradients_and_grow_the_scale():
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(0.01), initial_scale=4.0, dynamic_growth_steps=3)
    ref = keras.optimizers.Adam(0.01)
    ours, theirs = _weights(), _weights()
    scales = []
    for _ in range(7):
        scale = float(opt.dynamic_scale) if opt.built else opt.initial_scale
        opt.apply(_grads(scale), ours)
        ref.apply(_grads(1.0), theirs)
        scales.append(float(opt.dynamic_scale))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-7)
    # doubled after every third finite step in a row; the counter restarts at each change
    assert scales == [4.0, 4.0, 8.0, 8.0, 8.0, 16.0, 16.0]
    assert int(opt.step_counter) == 1
    assert int(opt.iterations) == 7


def test_a_non_finite_step_changes_no_weight_and_no_state_and_halves_the_scale():
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(0.01), initial_scale=8.0, dynamic_growth_steps=2)
    weights = _weights()
    opt.apply(_grads(8.0), weights)
    before = [w.numpy().copy() for w in weights]
    inner_before = [v.detach().clone() for v in opt.inner_optimizer.variables]
    opt.apply(_grads(8.0, bad=True), weights)
    for w, b in zip(weights, before):
        np.testing.assert_array_equal(w.numpy(), b)
    for v, b in zip(opt.inner_optimizer.variables, inner_before):
        assert torch.equal(v, b)  # momentum, velocity and the iteration count are untouched
    assert float(opt.dynamic_scale) == 4.0 and int(opt.step_counter) == 0
    assert int(opt.iterations) == 1


def test_apply_reads_nothing_on_the_host():
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1, momentum=0.9))
    weights = _weights()
    opt.apply(_grads(opt.initial_scale), weights)  # builds
    with HostSyncProbe() as probe:
        opt.apply(_grads(2.0 ** 15, bad=True), weights)
        opt.apply(_grads(2.0 ** 14), weights)
    assert probe.blockers == []


def test_inner_gradient_accumulation_skips_exactly_too():
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1, gradient_accumulation_steps=2),
                                              initial_scale=1.0)
    ref = keras.optimizers.SGD(0.1, gradient_accumulation_steps=2)
    ours, theirs = _weights(), _weights()
    for step in range(5):
        bad = step == 2
        opt.apply(_grads(float(opt.dynamic_scale) if opt.built else 1.0, bad=bad), ours)
        if not bad:
            ref.apply(_grads(1.0), theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_learning_rate_and_iterations_are_the_inner_optimizers():
    inner = keras.optimizers.SGD(0.1)
    opt = keras.optimizers.LossScaleOptimizer(inner)
    opt.learning_rate = 0.05
    assert float(inner.learning_rate) == pytest.approx(0.05)
    assert opt.iterations is inner.iterations


def test_variables_state_and_config_round_trip():
    opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(0.02), initial_scale=16.0, dynamic_growth_steps=5)
    weights = _weights()
    opt.apply(_grads(16.0), weights)
    opt.apply(_grads(16.0, bad=True), weights)
    assert opt.state_names()[:4] == ["iterations", "learning_rate", "step_counter", "dynamic_scale"]
    assert opt.state_names()[4:] == ["inner/" + n for n in opt.inner_optimizer.state_names()]
    config = keras.optimizers.serialize(opt)
    clone = keras.optimizers.deserialize(config)
    assert isinstance(clone, keras.optimizers.LossScaleOptimizer)
    assert clone.initial_scale == 16.0 and clone.dynamic_growth_steps == 5
    assert float(clone.inner_optimizer.learning_rate) == pytest.approx(0.02)
    clone.build(_weights())
    clone.load_state(dict(zip(opt.state_names(), opt.variables)))
    assert float(clone.dynamic_scale) == 8.0 and int(clone.iterations) == 1


@pytest.mark.parametrize("kwargs, match", [
    ({"clipnorm": 1.0}, "does not support `clipnorm`"),
    ({"dynamic": False}, "dynamic=False"),
    ({"bogus": 1}, "not recognized"),
    ({"initial_scale": 0.0}, "initial_scale"),
    ({"dynamic_growth_steps": 0}, "dynamic_growth_steps"),
])
def test_bad_arguments_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(), **kwargs)


def test_compile_wraps_the_optimizer_under_mixed_float16_and_fit_trains():
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(1, dtype="float32")])
        model.compile(optimizer="sgd", loss="mse")
        plain = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        plain.compile(optimizer="sgd", loss="mse", auto_scale_loss=False)
    finally:
        keras.mixed_precision.set_global_policy(None)
    assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    assert isinstance(model.optimizer.inner_optimizer, keras.optimizers.SGD)
    assert not isinstance(plain.optimizer, keras.optimizers.LossScaleOptimizer)
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    # float16 gradients overflow at the first, large scales: those steps are skipped and the scale halved
    skipped = int(np.log2(2.0 ** 15 / float(model.optimizer.dynamic_scale)))
    assert int(model.optimizer.iterations) + skipped == 32


@pytest.mark.keras_oracle
def test_matches_keras(keras_oracle):
    steps = [(1.0, False), (1.0, False), (1.0, True), (1.0, False), (1.0, False), (1.0, False), (1.0, True)]

    def run(lib):
        opt = lib.optimizers.LossScaleOptimizer(lib.optimizers.Adam(0.01), initial_scale=32.0, dynamic_growth_steps=2)
        weights = [lib.Variable(w.numpy(), name=f"w{i}") for i, w in enumerate(_weights())]
        for _, bad in steps:
            scale = float(np.asarray(opt.dynamic_scale.numpy() if opt.built else opt.initial_scale))
            opt.apply(_grads(scale, bad), weights)
        return [np.asarray(getattr(v, "value", v).detach().cpu().numpy(), dtype=np.float64) for v in opt.variables]

    ours, theirs = run(keras), run(keras_oracle)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
