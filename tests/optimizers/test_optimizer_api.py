"""The optimizer API around the formulas: the learning rate (read, set, Keras 2's ``lr``/``decay``),
``iterations``, configs, identifiers, argument checks, state saving and the no-host-sync guarantee."""

import json

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import backend as K
from layerwise import optimizers
from layerwise.optimizers import schedules

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion"]


def _vector(value=(1.0, 2.0)):
    return keras.Variable(torch.tensor(value), name="w")


# ---- learning rate -----------------------------------------------------------------------------------
def test_learning_rate_can_be_read_and_set():
    optimizer = optimizers.SGD(learning_rate=0.1)
    assert float(optimizer.learning_rate) == pytest.approx(0.1)
    assert float(optimizer.lr) == float(optimizer.learning_rate)
    w = _vector()
    optimizer.apply([torch.tensor([1.0, 1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.9, 1.9], rtol=1e-6)
    optimizer.learning_rate = 0.5  # what ReduceLROnPlateau and LearningRateScheduler do
    assert float(optimizer.learning_rate) == 0.5
    optimizer.apply([torch.tensor([1.0, 1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.4, 1.4], rtol=1e-6)
    optimizer.lr = 0.25  # the Keras 2 spelling sets it too
    assert float(optimizer.learning_rate) == 0.25
    assert optimizer.get_config()["learning_rate"] == 0.25


@pytest.mark.parametrize("name", NAMES)
def test_set_value_on_the_learning_rate_changes_the_next_steps(name):
    """Keras 2 code: ``K.set_value(model.optimizer.lr, v)`` writes into the optimizer's variable."""
    optimizer = getattr(optimizers, name)(learning_rate=0.1)
    assert optimizer.learning_rate is optimizer.lr is optimizer.variables[1]
    K.set_value(optimizer.lr, 0.02)
    assert K.get_value(optimizer.learning_rate) == pytest.approx(0.02)
    optimizer.learning_rate.assign(0.03)
    assert optimizer.get_config()["learning_rate"] == pytest.approx(0.03)


def test_keras2_decay_keeps_the_base_learning_rate_assignable():
    """With ``decay``, the getter is the base variable; the step divides it by ``1 + decay * iterations``."""
    optimizer = optimizers.SGD(learning_rate=0.3, decay=0.5)
    w = _vector((0.0, 0.0))
    optimizer.apply([torch.ones(2)], [w])  # lr 0.3 / (1 + 0.5 * 0)
    np.testing.assert_allclose(w.numpy(), [-0.3, -0.3], rtol=1e-6)
    assert float(optimizer.learning_rate) == pytest.approx(0.3)  # not the decayed value
    K.set_value(optimizer.learning_rate, 0.6)  # used to be silently ignored
    optimizer.apply([torch.ones(2)], [w])  # lr 0.6 / (1 + 0.5 * 1) = 0.4
    np.testing.assert_allclose(w.numpy(), [-0.7, -0.7], rtol=1e-6)
    optimizer.lr = 0.9
    optimizer.apply([torch.ones(2)], [w])  # 0.9 / (1 + 0.5 * 2) = 0.45
    np.testing.assert_allclose(w.numpy(), [-1.15, -1.15], rtol=1e-6)
    assert float(optimizer.learning_rate) == pytest.approx(0.9)
    assert optimizer.get_config()["decay"] == 0.5
    assert optimizer.get_config()["learning_rate"] == pytest.approx(0.9)


def test_schedule_learning_rate_follows_iterations_and_cannot_be_set_to_a_number():
    schedule = schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    optimizer = optimizers.SGD(learning_rate=schedule)
    w = _vector()
    for _ in range(2):
        optimizer.apply([torch.tensor([1.0, 1.0])], [w])
    assert float(optimizer.learning_rate) == 0.25
    np.testing.assert_allclose(w.numpy(), [-0.5, 0.5])
    assert len(optimizer.variables) == 1  # no learning-rate variable, as in Keras
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        optimizer.learning_rate = 0.1


def test_callable_learning_rate_is_called_each_step():
    values = iter([0.5, 0.25])
    optimizer = optimizers.SGD(learning_rate=lambda: next(values))
    w = _vector((0.0, 0.0))
    optimizer.apply([torch.ones(2)], [w])
    optimizer.apply([torch.ones(2)], [w])
    np.testing.assert_allclose(w.numpy(), [-0.75, -0.75])
    assert len(optimizer.variables) == 1  # only iterations: no learning-rate variable, and plain SGD has no slots
    with pytest.raises(TypeError, match="callable"):
        optimizer.learning_rate = 0.5  # as Keras: no float variable is created after the fact


def test_learning_rate_can_be_replaced_by_a_schedule():
    optimizer = optimizers.Adam(learning_rate=0.1)
    optimizer.learning_rate = schedules.ExponentialDecay(0.2, decay_steps=1, decay_rate=0.5)
    assert float(optimizer.learning_rate) == pytest.approx(0.2)
    assert len(optimizer.variables) == 1


def test_keras2_arguments():
    assert optimizers.SGD(lr=0.3).get_config()["learning_rate"] == pytest.approx(0.3)
    for name in ("Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam"):
        assert getattr(optimizers, name)(epsilon=None).epsilon == 1e-7


def test_iterations_count_weight_updates():
    optimizer = optimizers.Adam()
    w = _vector()
    assert int(optimizer.iterations) == 0
    for _ in range(3):
        optimizer.apply([torch.ones(2)], [w])
    assert int(optimizer.iterations) == 3
    accumulating = optimizers.SGD(gradient_accumulation_steps=2)
    for _ in range(5):
        accumulating.apply([torch.ones(2)], [w])
    assert int(accumulating.iterations) == 2
    assert int(accumulating.variables[0]) == 5  # the raw call count, as Keras stores it


# ---- configuration and identifiers -------------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: optimizers.SGD(learning_rate=0.05, momentum=0.5, nesterov=True, clipnorm=1.0, name="my_sgd"),
    lambda: optimizers.SGD(lr=0.2, decay=0.01, weight_decay=0.1, use_ema=True, ema_overwrite_frequency=5),
    lambda: optimizers.Adam(learning_rate=schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=10),
                            amsgrad=True, global_clipnorm=2.0, gradient_accumulation_steps=4),
    lambda: optimizers.RMSprop(learning_rate=schedules.PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001]),
                               rho=0.8, momentum=0.3, centered=True, clipvalue=0.5, loss_scale_factor=64.0),
    lambda: optimizers.AdamW(weight_decay=0.1, amsgrad=True, beta_1=0.8),
    lambda: optimizers.Adagrad(0.2, initial_accumulator_value=0.5, epsilon=1e-5, use_ema=True),
    lambda: optimizers.Adadelta(1.0, rho=0.9, clipnorm=2.0),
    lambda: optimizers.Adamax(beta_1=0.8, beta_2=0.9, epsilon=1e-4, gradient_accumulation_steps=3),
    lambda: optimizers.Nadam(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.9), beta_2=0.99),
    lambda: optimizers.Ftrl(0.1, learning_rate_power=-0.3, initial_accumulator_value=0.2,
                            l1_regularization_strength=0.1, l2_regularization_strength=0.2,
                            l2_shrinkage_regularization_strength=0.3, beta=0.4),
    lambda: optimizers.Lion(3e-4, beta_1=0.8, beta_2=0.95, weight_decay=0.01),
], ids=["sgd", "sgd_keras2", "adam_schedule", "rmsprop_schedule", "adamw", "adagrad", "adadelta", "adamax",
        "nadam", "ftrl", "lion"])
def test_config_round_trip(make):
    optimizer = make()
    config = optimizer.get_config()
    revived = type(optimizer).from_config(config)
    assert revived.get_config() == config
    serialized = optimizers.serialize(optimizer)
    json.dumps(serialized)
    again = optimizers.deserialize(serialized)
    assert type(again) is type(optimizer) and again.get_config() == config


def test_get_by_name():
    for identifier, cls in [("adam", optimizers.Adam), ("Adam", optimizers.Adam), ("rmsprop", optimizers.RMSprop),
                            ("SGD", optimizers.SGD), ("adagrad", optimizers.Adagrad),
                            ("adadelta", optimizers.Adadelta), ("adamw", optimizers.AdamW),
                            ("AdamW", optimizers.AdamW), ("adamax", optimizers.Adamax), ("nadam", optimizers.Nadam),
                            ("ftrl", optimizers.Ftrl), ("lion", optimizers.Lion)]:
        assert type(optimizers.get(identifier)) is cls
    existing = optimizers.SGD()
    assert optimizers.get(existing) is existing
    with pytest.raises(ValueError, match=r"^Unknown optimizer: 'adma'") as info:
        optimizers.get("adma")
    assert "'adam'" in str(info.value)


def test_default_names_are_keras_names():
    assert [getattr(optimizers, n)().name for n in ("SGD", "RMSprop", "AdamW", "Nadam")] == [
        "sgd", "rm_sprop", "adam_w", "nadam"]
    assert optimizers.Nadam().name == "nadam_1"


@pytest.mark.parametrize("make,argument", [
    (lambda: optimizers.SGD(learning_rate=-0.1), "learning_rate"),
    (lambda: optimizers.SGD(learning_rate="fast"), "learning_rate"),
    (lambda: optimizers.Adam(clipnorm=1.0, clipvalue=1.0), "clipnorm"),
    (lambda: optimizers.RMSprop(clipvalue=1.0, global_clipnorm=1.0), "global_clipnorm"),
    (lambda: optimizers.Adam(bogus=1), "bogus"),
    (lambda: optimizers.Adam(beta_1=1.5), "beta_1"),
    (lambda: optimizers.SGD(momentum=-1), "momentum"),
    (lambda: optimizers.AdamW(weight_decay=None), "weight_decay"),
    (lambda: optimizers.Adagrad(initial_accumulator_value=-0.1), "initial_accumulator_value"),
    (lambda: optimizers.Adadelta(rho=2.0), "rho"),
    (lambda: optimizers.Adamax(beta_2=-0.1), "beta_2"),
    (lambda: optimizers.Nadam(beta_1=1.1), "beta_1"),
    (lambda: optimizers.Ftrl(learning_rate_power=0.5), "learning_rate_power"),
    (lambda: optimizers.Ftrl(initial_accumulator_value=-1.0), "initial_accumulator_value"),
    (lambda: optimizers.Ftrl(l1_regularization_strength=-1.0), "l1_regularization_strength"),
    (lambda: optimizers.Ftrl(l2_regularization_strength=-1.0), "l2_regularization_strength"),
    (lambda: optimizers.Ftrl(l2_shrinkage_regularization_strength=-1.0), "l2_shrinkage_regularization_strength"),
    (lambda: optimizers.Lion(beta_1=0.0), "beta_1"),
    (lambda: optimizers.Lion(ema_momentum=1.5), "ema_momentum"),
    (lambda: optimizers.Adagrad(gradient_accumulation_steps=0), "gradient_accumulation_steps"),
    (lambda: optimizers.Adagrad(loss_scale_factor=0.0), "loss_scale_factor"),
])
def test_invalid_arguments_name_the_argument(make, argument):
    with pytest.raises(ValueError, match=argument):
        make()


def test_refused_arguments_use_up_no_name():
    with pytest.raises(ValueError):
        optimizers.Lion(beta_1=0.0)
    assert optimizers.Lion().name == "lion"


# ---- state -------------------------------------------------------------------------------------------
def test_build_is_idempotent_and_foreign_variables_are_refused():
    w = _vector()
    optimizer = optimizers.Nadam()
    optimizer.build([w])
    count = len(optimizer.variables)
    optimizer.build([w])
    assert len(optimizer.variables) == count == 5  # iterations, learning rate, momentum, velocity, u_product
    with pytest.raises(ValueError, match="not built with"):
        optimizer.apply([torch.ones(3)], [keras.Variable(torch.zeros(3), name="other")])
    assert int(optimizer.iterations) == 0
    optimizer.apply([torch.ones(2)])  # the variables it was built with
    assert int(optimizer.iterations) == 1


def test_load_state_checks_everything_before_changing_anything():
    w = _vector()
    optimizer = optimizers.Adam(learning_rate=0.1)
    optimizer.apply([torch.ones(2)], [w])
    state = {n: v.detach().clone() for n, v in zip(optimizer.state_names(), optimizer.variables)}
    bad = dict(state, **{"velocity/0": torch.zeros(3)})
    bad["iterations"] = torch.tensor(99)
    with pytest.raises(ValueError, match="velocity/0"):
        optimizer.load_state(bad)
    assert int(optimizer.iterations) == 1
    with pytest.raises(ValueError, match="missing"):
        optimizer.load_state({"iterations": torch.tensor(3)})
    with pytest.raises(ValueError, match="expected 4 arrays"):
        optimizer.set_weights([np.zeros(2)])
    state["iterations"] = torch.tensor(7)
    optimizer.load_state(state)
    assert int(optimizer.iterations) == 7 and optimizer._host_iterations == 7


def _model():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="tanh"), keras.layers.Dense(2)])


@pytest.mark.parametrize("name,options", [(n, {}) for n in NAMES] + [
    ("Nadam", {"use_ema": True, "gradient_accumulation_steps": 3}),
    ("Ftrl", {"use_ema": True, "ema_overwrite_frequency": 2, "decay": 0.1}),
], ids=NAMES + ["Nadam-ema-accumulation", "Ftrl-ema-decay"])
def test_saved_optimizer_state_resumes_exactly(tmp_path, name, options):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((40, 4)).astype("float32")
    y = rng.standard_normal((40, 2)).astype("float32")
    model = _model()
    model.compile(optimizer=getattr(optimizers, name)(learning_rate=0.05, **options), loss="mse")
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)  # 10 calls: mid-accumulation for 3 steps
    path = str(tmp_path / "model.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    assert type(restored.optimizer) is type(model.optimizer)
    assert restored.optimizer.get_config() == model.optimizer.get_config()
    for a, b in zip(restored.optimizer.variables, model.optimizer.variables):
        assert torch.equal(a, b)
    for m in (model, restored):
        m.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(restored.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(restored.optimizer._iterations) == int(model.optimizer._iterations) == 20


# ---- device ------------------------------------------------------------------------------------------
@pytest.mark.requires_cuda
@pytest.mark.parametrize("make", [
    lambda: optimizers.Adam(learning_rate=schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=3),
                            amsgrad=True, weight_decay=0.01, global_clipnorm=1.0, use_ema=True),
    lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True, clipnorm=1.0, decay=0.01,
                           gradient_accumulation_steps=2),
    lambda: optimizers.RMSprop(learning_rate=schedules.PiecewiseConstantDecay([2], [0.1, 0.01]), centered=True,
                               momentum=0.5, clipvalue=0.5, loss_scale_factor=4.0),
    lambda: optimizers.AdamW(0.01, clipvalue=0.5, use_ema=True, ema_overwrite_frequency=2),
    lambda: optimizers.Adagrad(0.1, global_clipnorm=1.0),
    lambda: optimizers.Adadelta(1.0, weight_decay=0.01, decay=0.1),
    lambda: optimizers.Adamax(0.01, gradient_accumulation_steps=2),
    lambda: optimizers.Nadam(0.01, clipnorm=1.0, use_ema=True),
    lambda: optimizers.Ftrl(0.1, l1_regularization_strength=0.1, l2_regularization_strength=0.1, beta=0.5,
                            l2_shrinkage_regularization_strength=0.1),
    lambda: optimizers.Lion(0.001, weight_decay=0.01, loss_scale_factor=8.0),
], ids=["adam", "sgd", "rmsprop", "adamw", "adagrad", "adadelta", "adamax", "nadam", "ftrl", "lion"])
def test_apply_does_not_sync_with_the_host(make):
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    variables = [keras.Variable(torch.randn(3, 4, device="cuda")), keras.Variable(torch.randn(4, device="cuda"))]
    grads = [torch.randn_like(v) for v in variables]
    optimizer = make()
    optimizer.apply(grads, variables)  # builds the state
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        for _ in range(3):
            optimizer.apply(grads, variables)
    finally:
        torch.cuda.set_sync_debug_mode(0)
    assert int(optimizer.iterations) >= 2
    assert all(bool(torch.isfinite(v).all()) for v in variables)


@pytest.mark.requires_cuda
@pytest.mark.parametrize("name", NAMES)
def test_apply_can_be_captured_in_a_cuda_graph(name):
    """A captured step replayed three times gives the weights of three eager steps."""
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    start = [torch.randn(3, 4, device="cuda"), torch.randn(4, device="cuda")]
    grads = [torch.randn_like(t) for t in start]
    eager_vars = [keras.Variable(t.clone(), name=f"e{i}") for i, t in enumerate(start)]
    graph_vars = [keras.Variable(t.clone(), name=f"g{i}") for i, t in enumerate(start)]
    eager = getattr(optimizers, name)(learning_rate=0.01, clipnorm=1.0)
    captured = getattr(optimizers, name)(learning_rate=0.01, clipnorm=1.0)
    eager.apply(grads, eager_vars)
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):  # build and warm up on a side stream, as capture requires
        captured.apply(grads, graph_vars)
    torch.cuda.current_stream().wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        captured.apply(grads, graph_vars)
    for _ in range(3):
        graph.replay()
        eager.apply(grads, eager_vars)
    torch.cuda.synchronize()
    assert int(captured._iterations) == int(eager._iterations) == 4
    for a, b in zip(graph_vars, eager_vars):
        torch.testing.assert_close(a.detach(), b.detach(), rtol=1e-6, atol=1e-6)


def _adam_weights(fused, dtype=torch.float64, **options):
    torch.manual_seed(0)
    weights = [keras.Variable(torch.randn(3, 4, dtype=dtype)), keras.Variable(torch.randn(4, dtype=dtype))]
    optimizer = keras.optimizers.AdamW(**options)
    if not fused:
        optimizer._fusable = lambda grads, variables: False
    for _ in range(10):
        optimizer.apply([torch.randn(3, 4, dtype=dtype), torch.randn(4, dtype=dtype)], weights)
    return [w.detach().clone() for w in weights], optimizer


def test_the_fused_cpu_adam_step_is_the_foreach_step():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 3, 0.5)
    fused, optimizer = _adam_weights(True, learning_rate=schedule, weight_decay=0.01, beta_2=0.99)
    foreach, _ = _adam_weights(False, learning_rate=keras.optimizers.schedules.ExponentialDecay(0.1, 3, 0.5),
                               weight_decay=0.01, beta_2=0.99)
    for a, b in zip(fused, foreach):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12)  # float64: the same formula
    assert int(optimizer.iterations) == 10


def test_the_fused_kernel_runs_only_where_it_computes_keras_adam(monkeypatch):
    calls = []
    real = torch._fused_adam_
    monkeypatch.setattr(torch, "_fused_adam_", lambda *a, **k: calls.append(1) or real(*a, **k))
    _adam_weights(True, dtype=torch.float32)
    assert len(calls) == 10
    calls.clear()
    _adam_weights(True, amsgrad=True)  # AMSGrad keeps the foreach form
    w = [keras.Variable(torch.ones(2)), keras.Variable(torch.ones(2, dtype=torch.float64))]
    keras.optimizers.Adam().apply([torch.ones(2), torch.ones(2, dtype=torch.float64)], w)  # mixed dtypes
    assert calls == []
