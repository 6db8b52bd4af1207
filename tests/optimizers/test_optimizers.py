"""Optimizers against a NumPy float64 transcription of Keras 3's update rules, and against Keras itself.

The reference is written from Keras 3's formulas (keras/src/optimizers/), not from layerwise's code.
Ten steps on float64 variables must agree to 1e-10. Keras keeps the learning rate as a float32
scalar (a float32 variable, or a float32 schedule) and casts it to the variable's dtype, so the
reference rounds the learning rate to float32 and does everything else in float64.
"""

import json
import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import optimizers
from layerwise.optimizers import schedules

STEPS = 10
# A matrix, a vector, a NonNeg-constrained vector, and a vector whose gradient is None every other step.
SHAPES = [(3, 4), (4,), (5,), (2,)]
DEFAULTS = {
    "SGD": {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
    "Adam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False},
    "RMSprop": {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False},
}


class Reference:
    """Keras 3's ``apply`` (unscale, accumulate, clip, decay, update, EMA, constraint) in float64."""

    def __init__(self, kind, learning_rate=None, lr=None, decay=None, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, **hyper):
        self.kind = kind
        self.h = {**DEFAULTS[kind], **{k: v for k, v in hyper.items() if v is not None}}
        lr = lr if lr is not None else learning_rate
        self.learning_rate = self.h["learning_rate"] if lr is None else lr
        self.decay, self.weight_decay, self.loss_scale = decay, weight_decay, loss_scale_factor
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.use_ema, self.ema_momentum, self.ema_frequency = use_ema, ema_momentum, ema_overwrite_frequency
        self.accumulate = gradient_accumulation_steps or 1
        self.calls = 0
        self.slots = {}

    def slot(self, name, i, like):
        return self.slots.setdefault((name, i), np.zeros_like(like))

    def apply(self, grads, weights, constraints):
        k, n = self.accumulate, self.calls
        step = n // k  # Keras's `iterations` (weight updates done so far)
        live = {i: g / self.loss_scale if self.loss_scale else g for i, g in enumerate(grads) if g is not None}
        if k == 1:
            self._update(live, weights, n, step)
        elif (n + 1) % k == 0:
            live = {i: (g + self.slot("accumulator", i, g)) / k for i, g in live.items()}
            for (name, _), value in self.slots.items():
                if name == "accumulator":
                    value[...] = 0.0  # Keras resets every accumulator
            self._update(live, weights, n, step)
        else:
            for i, g in live.items():
                self.slot("accumulator", i, g)[...] += g
        if self.use_ema:  # over every variable; the first update copies the weights
            momentum = self.ema_momentum if step != 0 else 0.0
            for i, w in enumerate(weights):
                average = self.slot("average", i, w)
                average[...] = momentum * average + (1 - momentum) * w
            if self.ema_frequency and (step + 1) % self.ema_frequency == 0:
                for i, w in enumerate(weights):
                    w[...] = self.slot("average", i, w)
        for i in live:
            if constraints[i] is not None:
                weights[i][...] = constraints[i](weights[i])
        self.calls += 1

    def _learning_rate(self, calls, step):
        if callable(self.learning_rate):  # schedules see the raw call count
            return float(np.float32(self.learning_rate(calls)))
        lr = np.float32(self.learning_rate)
        if self.decay:  # Keras 2: lr / (1 + decay * iterations), float32 like the learning rate
            lr = lr / (np.float32(1.0) + np.float32(self.decay) * np.float32(step))
        return float(lr)

    def _clip(self, grads):
        if self.clipnorm:
            return {i: g * self.clipnorm / max(np.sqrt(np.sum(g * g)), self.clipnorm) for i, g in grads.items()}
        if self.global_clipnorm:
            norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
            scale = self.global_clipnorm * min(1.0 / norm, 1.0 / self.global_clipnorm)
            return {i: g * scale for i, g in grads.items()}
        if self.clipvalue:
            return {i: np.clip(g, -self.clipvalue, self.clipvalue) for i, g in grads.items()}
        return grads

    def _update(self, grads, weights, calls, step):
        grads = self._clip(grads)
        lr = self._learning_rate(calls, step)
        for i, g in grads.items():
            w = weights[i]
            if self.weight_decay is not None:
                w -= w * self.weight_decay * lr
            getattr(self, "_" + self.kind.lower())(i, g, w, lr, step + 1)

    def _sgd(self, i, g, w, lr, t):
        momentum = self.h["momentum"]
        if not momentum:
            w -= g * lr
            return
        m = self.slot("momentum", i, w)
        m[...] = m * momentum - g * lr
        w += m * momentum - g * lr if self.h["nesterov"] else m

    def _adam(self, i, g, w, lr, t):
        b1, b2 = self.h["beta_1"], self.h["beta_2"]
        m, v = self.slot("m", i, w), self.slot("v", i, w)
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        if self.h["amsgrad"]:
            v_hat = self.slot("v_hat", i, w)
            v_hat[...] = np.maximum(v_hat, v)
            v = v_hat
        alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)  # both bias corrections in the step size
        w -= m * alpha / (np.sqrt(v) + self.h["epsilon"])  # epsilon outside the root of the raw v

    def _rmsprop(self, i, g, w, lr, t):
        rho, momentum, epsilon = self.h["rho"], self.h["momentum"], self.h["epsilon"]
        v = self.slot("velocity", i, w)
        v[...] = rho * v + (1 - rho) * g * g
        if self.h["centered"]:
            a = self.slot("average_gradient", i, w)
            a[...] = rho * a + (1 - rho) * g
            denominator = v - a * a + epsilon
        else:
            denominator = v + epsilon  # epsilon inside the square root
        increment = lr * g / np.sqrt(denominator)
        if momentum > 0:
            mom = self.slot("rms_momentum", i, w)
            mom[...] = momentum * mom + increment
            w -= mom
        else:
            w -= increment


KINDS = {
    "sgd": ("SGD", {}),
    "sgd_momentum": ("SGD", {"momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"momentum": 0.8, "nesterov": True}),
    "adam": ("Adam", {}),
    "adam_amsgrad": ("Adam", {"amsgrad": True, "beta_1": 0.8, "beta_2": 0.95, "epsilon": None}),
    "rmsprop": ("RMSprop", {}),
    "rmsprop_centered": ("RMSprop", {"centered": True, "rho": 0.8, "epsilon": 1e-3}),
    "rmsprop_momentum": ("RMSprop", {"momentum": 0.5, "epsilon": None}),
}
SCHEDULE = "staircase"  # learning_rate placeholder: an ExponentialDecay whose values are exact in float32
CASES = {
    "defaults": {},
    "high_lr": {"learning_rate": 0.5},
    "weight_decay": {"learning_rate": 0.1, "weight_decay": 0.05},
    "clipnorm": {"clipnorm": 0.5},
    "clipvalue": {"clipvalue": 0.3},
    "global_clipnorm": {"global_clipnorm": 1.0},
    "keras2_decay": {"learning_rate": 0.1, "decay": 0.5},
    "lr_alias": {"lr": 0.05},
    "ema": {"learning_rate": 0.1, "use_ema": True, "ema_momentum": 0.9},
    "ema_overwrite": {"learning_rate": 0.1, "use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 3},
    "accumulation": {"learning_rate": 0.1, "gradient_accumulation_steps": 3},
    "loss_scale": {"loss_scale_factor": 128.0},
    "schedule": {"learning_rate": SCHEDULE},
    "schedule_accumulation_ema": {"learning_rate": SCHEDULE, "gradient_accumulation_steps": 2, "use_ema": True,
                                  "ema_momentum": 0.5, "ema_overwrite_frequency": 2, "weight_decay": 0.1},
}


def _problem(seed=0):
    """Initial weights and a gradient sequence (fresh random gradients each step, some None)."""
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal(shape) for shape in SHAPES]
    grads = [[None if (i == 3 and step % 2 == 0) else rng.standard_normal(shape) for i, shape in enumerate(SHAPES)]
             for step in range(STEPS)]
    return weights, grads


def _split(kind, case):
    """Constructor arguments for layerwise and for the reference (the schedule differs in form)."""
    name, hyper = KINDS[kind]
    kwargs = {**hyper, **CASES[case]}
    ours, ref = dict(kwargs), dict(kwargs)
    if kwargs.get("learning_rate") == SCHEDULE:
        ours["learning_rate"] = schedules.ExponentialDecay(0.5, decay_steps=3, decay_rate=0.5, staircase=True)
        ref["learning_rate"] = lambda calls: 0.5 * 0.5 ** (calls // 3)
    return name, ours, ref


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_ten_steps_match_the_float64_reference(kind, case):
    name, ours_kwargs, ref_kwargs = _split(kind, case)
    weights, grads = _problem()
    variables = [keras.Variable(torch.tensor(w), name=f"w{i}",
                                constraint=keras.constraints.NonNeg() if i == 2 else None)
                 for i, w in enumerate(weights)]
    assert variables[0].dtype == torch.float64
    optimizer = getattr(optimizers, name)(**ours_kwargs)
    reference = Reference(name, **ref_kwargs)
    expected = [w.copy() for w in weights]
    constraints = [None, None, lambda w: w * (w >= 0), None]
    for step_grads in grads:
        optimizer.apply([None if g is None else torch.tensor(g) for g in step_grads], variables)
        reference.apply(step_grads, expected, constraints)
    for variable, want in zip(variables, expected):
        assert variable.dtype == torch.float64
        np.testing.assert_allclose(variable.detach().numpy(), want, rtol=1e-10, atol=1e-12)
    assert int(optimizer.iterations) == STEPS // (ours_kwargs.get("gradient_accumulation_steps") or 1)
    assert (variables[2].detach().numpy() >= 0).all()


# ---- Keras as the oracle ---------------------------------------------------------------------------
def _cosine(lib):
    return lib.optimizers.schedules.CosineDecay(0.05, decay_steps=8, alpha=0.1, warmup_target=0.1, warmup_steps=3)


ORACLE_CASES = [
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"learning_rate": 0.05, "clipnorm": 1.0}),
    ("SGD", {"learning_rate": "cosine", "momentum": 0.9, "gradient_accumulation_steps": 2, "use_ema": True,
             "ema_overwrite_frequency": 2}),
    ("Adam", {"learning_rate": 0.01}),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True, "global_clipnorm": 1.0, "weight_decay": 0.004}),
    ("Adam", {"learning_rate": "cosine", "use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 3}),
    ("RMSprop", {"learning_rate": 0.01, "centered": True, "momentum": 0.5, "clipvalue": 0.5}),
    ("RMSprop", {"learning_rate": 0.01, "gradient_accumulation_steps": 3, "loss_scale_factor": 8.0}),
]


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name,kwargs", ORACLE_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(ORACLE_CASES)])
def test_apply_matches_keras(keras_oracle, name, kwargs):
    weights, grads = _problem(seed=1)
    results = []
    for lib in (keras_oracle, keras):
        options = dict(kwargs, learning_rate=_cosine(lib)) if kwargs["learning_rate"] == "cosine" else kwargs
        optimizer = getattr(lib.optimizers, name)(**options)
        variables = [lib.Variable(w.astype("float32"), name=f"w{i}") for i, w in enumerate(weights[:3])]
        variables[2].constraint = lib.constraints.NonNeg()
        for step_grads in grads:
            optimizer.apply([torch.tensor(g, dtype=torch.float32) for g in step_grads[:3]], variables)
        results.append([v.value.detach().cpu().numpy().copy() for v in variables])  # both are torch
        results[-1].append(int(optimizer.iterations))
    theirs, ours = results
    assert ours[-1] == theirs[-1]
    for a, b in zip(ours[:-1], theirs[:-1]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def _dense_model(lib):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(8, activation="tanh"), lib.layers.Dense(2)])


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name,kwargs", [("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
                                         ("Adam", {"learning_rate": 0.01}),
                                         ("RMSprop", {"learning_rate": 0.01})])
def test_fit_matches_keras(keras_oracle, name, kwargs):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((64, 4)).astype("float32")
    y = np.stack([np.sin(x[:, 0]) + x[:, 1], x[:, 2] * x[:, 3]], axis=1).astype("float32")
    theirs_model = _dense_model(keras_oracle)
    ours_model = _dense_model(keras)
    ours_model.set_weights(theirs_model.get_weights())
    for model, lib in ((theirs_model, keras_oracle), (ours_model, keras)):
        model.compile(optimizer=getattr(lib.optimizers, name)(**kwargs), loss="mse")
        model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    assert int(ours_model.optimizer.iterations) == int(theirs_model.optimizer.iterations) == 24
    for a, b in zip(ours_model.get_weights(), theirs_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


# ---- API ---------------------------------------------------------------------------------------------
def _vector(value=(1.0, 2.0)):
    return keras.Variable(torch.tensor(value), name="w")


def test_learning_rate_can_be_read_and_set():
    optimizer = optimizers.SGD(learning_rate=0.1)
    assert float(optimizer.learning_rate) == pytest.approx(0.1)
    assert float(optimizer.lr) == float(optimizer.learning_rate)
    w = _vector()
    optimizer.apply([torch.tensor([1.0, 1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.9, 1.9], rtol=1e-6)
    optimizer.learning_rate = 0.5
    assert float(optimizer.learning_rate) == 0.5
    optimizer.apply([torch.tensor([1.0, 1.0])], [w])
    np.testing.assert_allclose(w.numpy(), [0.4, 1.4], rtol=1e-6)
    optimizer.lr = 0.25  # the Keras 2 spelling sets it too
    assert float(optimizer.learning_rate) == 0.25
    assert optimizer.get_config()["learning_rate"] == 0.25


def test_schedule_learning_rate_follows_iterations_and_cannot_be_set_to_a_number():
    schedule = schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    optimizer = optimizers.SGD(learning_rate=schedule)
    w = _vector()
    for _ in range(2):
        optimizer.apply([torch.tensor([1.0, 1.0])], [w])
    assert float(optimizer.learning_rate) == 0.25
    np.testing.assert_allclose(w.numpy(), [-0.5, 0.5])
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        optimizer.learning_rate = 0.1


def test_keras2_arguments():
    assert optimizers.SGD(lr=0.3).get_config()["learning_rate"] == pytest.approx(0.3)
    assert optimizers.Adam(epsilon=None).epsilon == optimizers.RMSprop(epsilon=None).epsilon == 1e-7
    optimizer = optimizers.SGD(learning_rate=0.3, decay=0.5)
    w = _vector()
    for _ in range(2):
        optimizer.apply([torch.ones(2)], [w])
    assert float(optimizer.learning_rate) == pytest.approx(0.3 / (1 + 0.5 * 2))
    assert optimizer.get_config()["decay"] == 0.5


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


@pytest.mark.parametrize("make", [
    lambda: optimizers.SGD(learning_rate=0.05, momentum=0.5, nesterov=True, clipnorm=1.0, name="my_sgd"),
    lambda: optimizers.SGD(lr=0.2, decay=0.01, weight_decay=0.1, use_ema=True, ema_overwrite_frequency=5),
    lambda: optimizers.Adam(learning_rate=schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=10),
                            amsgrad=True, global_clipnorm=2.0, gradient_accumulation_steps=4),
    lambda: optimizers.RMSprop(learning_rate=schedules.PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001]),
                               rho=0.8, momentum=0.3, centered=True, clipvalue=0.5, loss_scale_factor=64.0),
], ids=["sgd", "sgd_keras2", "adam_schedule", "rmsprop_schedule"])
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
    assert type(optimizers.get("adam")) is optimizers.Adam
    assert type(optimizers.get("Adam")) is optimizers.Adam
    assert type(optimizers.get("rmsprop")) is optimizers.RMSprop
    assert type(optimizers.get("SGD")) is optimizers.SGD
    existing = optimizers.SGD()
    assert optimizers.get(existing) is existing
    with pytest.raises(ValueError, match=r"^Unknown optimizer: 'adma'") as info:
        optimizers.get("adma")
    assert "'adam'" in str(info.value)


@pytest.mark.parametrize("make,argument", [
    (lambda: optimizers.SGD(learning_rate=-0.1), "learning_rate"),
    (lambda: optimizers.Adam(clipnorm=1.0, clipvalue=1.0), "clipnorm"),
    (lambda: optimizers.RMSprop(clipvalue=1.0, global_clipnorm=1.0), "global_clipnorm"),
    (lambda: optimizers.Adam(bogus=1), "bogus"),
    (lambda: optimizers.Adam(beta_1=1.5), "beta_1"),
    (lambda: optimizers.SGD(momentum=-1), "momentum"),
])
def test_invalid_arguments_name_the_argument(make, argument):
    with pytest.raises(ValueError, match=argument):
        make()


@pytest.mark.requires_cuda
@pytest.mark.parametrize("make", [
    lambda: optimizers.Adam(learning_rate=schedules.CosineDecay(0.1, 10, warmup_target=0.2, warmup_steps=3),
                            amsgrad=True, weight_decay=0.01, global_clipnorm=1.0, use_ema=True),
    lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True, clipnorm=1.0, decay=0.01,
                           gradient_accumulation_steps=2),
    lambda: optimizers.RMSprop(learning_rate=schedules.PiecewiseConstantDecay([2], [0.1, 0.01]), centered=True,
                               momentum=0.5, clipvalue=0.5, loss_scale_factor=4.0),
], ids=["adam", "sgd", "rmsprop"])
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
