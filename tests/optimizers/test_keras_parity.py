"""Every optimizer against Keras 3 itself (torch backend): updates, state layout, configs and ``fit``.

The same initial float32 weights and gradients go through a Keras optimizer and a layerwise one;
after ten steps the weights *and every optimizer variable* (compared position by position, so
``optimizer.variables`` must be in Keras's order) agree to float32 rounding.
"""

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.optimizers.conftest import problem

pytestmark = pytest.mark.keras_oracle

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion"]
# Non-default hyperparameters for each optimizer, so that every term of every formula is exercised.
HYPER = {
    "SGD": {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True},
    "Adam": {"learning_rate": 0.01, "amsgrad": True, "beta_2": 0.99},
    "AdamW": {"learning_rate": 0.01, "weight_decay": 0.05},
    "RMSprop": {"learning_rate": 0.01, "centered": True, "momentum": 0.5},
    "Adagrad": {"learning_rate": 0.1, "initial_accumulator_value": 0.3},
    "Adadelta": {"learning_rate": 1.0, "rho": 0.8},
    "Adamax": {"learning_rate": 0.02, "beta_1": 0.8},
    "Nadam": {"learning_rate": 0.01, "beta_2": 0.99},
    "Ftrl": {"learning_rate": 0.1, "learning_rate_power": -0.4, "l1_regularization_strength": 0.01,
             "l2_regularization_strength": 0.02, "l2_shrinkage_regularization_strength": 0.03, "beta": 0.5},
    "Lion": {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.95},
}
COMMON = {
    "plain": {},
    "clipnorm": {"clipnorm": 0.5},
    "clipvalue": {"clipvalue": 0.3},
    "global_clipnorm": {"global_clipnorm": 1.0},
    "weight_decay": {"weight_decay": 0.05},
    "ema": {"use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 3},
    "accumulation": {"gradient_accumulation_steps": 3},
    "loss_scale": {"loss_scale_factor": 8.0},
    "schedule": {"learning_rate": "cosine"},
    "callable": {"learning_rate": "callable"},
}
SHAPES = [(3, 4), (4,), (5,)]


def _options(lib, name, common):
    options = {**HYPER[name], **COMMON[common]}
    if options["learning_rate"] == "cosine":
        options["learning_rate"] = lib.optimizers.schedules.CosineDecay(
            0.05, decay_steps=8, alpha=0.1, warmup_target=0.1, warmup_steps=3)
    elif options["learning_rate"] == "callable":
        options["learning_rate"] = lambda: 0.02
    return options


def _numpy(tensor):
    return np.asarray(getattr(tensor, "value", tensor).detach().cpu().numpy(), dtype=np.float64)


def _run(lib, name, options, steps=10, seed=1):
    weights, grads = problem(SHAPES, steps, seed=seed)
    optimizer = getattr(lib.optimizers, name)(**options)
    variables = [lib.Variable(w.astype("float32"), name=f"w{i}") for i, w in enumerate(weights)]
    variables[2].constraint = lib.constraints.NonNeg()
    for step_grads in grads:
        optimizer.apply([torch.tensor(g, dtype=torch.float32) for g in step_grads], variables)
    return optimizer, variables


def _check_against_keras(keras_oracle, name, options_of, tolerance):
    theirs, their_weights = _run(keras_oracle, name, options_of(keras_oracle))
    ours, our_weights = _run(keras, name, options_of(keras))
    assert int(ours.iterations) == int(theirs.iterations)
    for a, b in zip(our_weights, their_weights):
        np.testing.assert_allclose(_numpy(a), _numpy(b), rtol=tolerance, atol=tolerance)
    assert len(ours.variables) == len(theirs.variables)
    for a, b in zip(ours.variables, theirs.variables):
        assert tuple(a.shape) == tuple(b.shape), (a.name, b.name)
        np.testing.assert_allclose(_numpy(a), _numpy(b), rtol=1e-5, atol=max(tolerance, 1e-6),
                                   err_msg=f"{a.name} vs {b.name}")
    assert max(np.abs(_numpy(a) - w).max() for a, w in zip(our_weights, problem(SHAPES, 0, seed=1)[0])) > 1e-3


# Adam and AdamW without AMSGrad run torch's fused CPU kernel: Keras's formula, rounded differently in
# float32 (float64 bias corrections, ``beta_2 * v + (1 - beta_2) * g**2``); over ten steps at learning
# rates up to 0.1 that stays within 1e-5. The float64 formula tests (test_optimizers.py) hold it to 1e-10.
_FUSED = {"AdamW"}


@pytest.mark.parametrize("common", list(COMMON))
@pytest.mark.parametrize("name", NAMES)
def test_apply_matches_keras(keras_oracle, name, common):
    _check_against_keras(keras_oracle, name, lambda lib: _options(lib, name, common),
                         1e-5 if name in _FUSED else 1e-6)


@pytest.mark.parametrize("common", list(COMMON))
def test_fused_cpu_adam_matches_keras(keras_oracle, common):
    def options(lib):
        return {**_options(lib, "Adam", common), "amsgrad": False}

    _check_against_keras(keras_oracle, "Adam", options, 1e-5)


LAYOUT = {  # options that create every kind of slot
    "SGD": {"momentum": 0.9}, "Adam": {"amsgrad": True}, "AdamW": {"amsgrad": True},
    "RMSprop": {"momentum": 0.5, "centered": True},
}


def _layout(optimizer):
    def name(variable):  # Keras leaves Nadam's scalar with a default name ("variable_<n>")
        return "u_product" if variable.name.startswith("variable") else variable.name

    return [(name(v), tuple(v.shape), str(v.dtype).rpartition(".")[2]) for v in optimizer.variables]


@pytest.mark.parametrize("name", NAMES)
def test_variables_are_in_keras_order(keras_oracle, name):
    layouts = []
    for lib in (keras_oracle, keras):
        optimizer = getattr(lib.optimizers, name)(use_ema=True, gradient_accumulation_steps=2,
                                                  **LAYOUT.get(name, {}))
        optimizer.build([lib.Variable(np.zeros((2, 3), "float32"), name="k"),
                         lib.Variable(np.zeros(3, "float32"), name="b")])
        layouts.append(_layout(optimizer))
    theirs, ours = layouts
    assert theirs[0][0] == ours[0][0] == "iteration"
    assert [entry[:2] for entry in ours] == [entry[:2] for entry in theirs]
    assert [entry[2] for entry in ours[1:]] == [entry[2] for entry in theirs[1:]]  # iterations: int64 vs int32


@pytest.mark.parametrize("name", NAMES)
def test_state_taken_from_keras_continues_identically(keras_oracle, name):
    """Keras's optimizer.variables, loaded position by position into ours, mean the same thing."""
    options = dict(HYPER[name], use_ema=True, ema_momentum=0.9)
    theirs, their_weights = _run(keras_oracle, name, options, steps=4)
    ours = getattr(keras.optimizers, name)(**options)
    our_weights = [keras.Variable(torch.tensor(_numpy(w), dtype=torch.float32), name=f"w{i}")
                   for i, w in enumerate(their_weights)]
    our_weights[2].constraint = keras.constraints.NonNeg()
    ours.build(our_weights)
    ours.set_weights([_numpy(v) for v in theirs.variables])
    assert int(ours.iterations) == 4
    _, grads = problem(SHAPES, 4, seed=7)
    for step_grads in grads:
        for optimizer, variables in ((theirs, their_weights), (ours, our_weights)):
            optimizer.apply([torch.tensor(g, dtype=torch.float32) for g in step_grads], variables)
    for a, b in zip(our_weights, their_weights):
        np.testing.assert_allclose(_numpy(a), _numpy(b), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_default_config_matches_keras(keras_oracle, name):
    theirs = getattr(keras_oracle.optimizers, name)().get_config()
    ours = getattr(keras.optimizers, name)().get_config()
    assert theirs.pop("name").startswith(ours.pop("name"))  # Keras may add a "_<n>" suffix
    assert ours == theirs
    revived = getattr(keras.optimizers, name).from_config(keras_oracle.optimizers.get(name.lower()).get_config())
    assert type(revived).__name__ == name


def _dense_model(lib):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(8, activation="tanh"), lib.layers.Dense(2)])


@pytest.mark.parametrize("name", NAMES)
def test_fit_matches_keras(keras_oracle, name):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((48, 4)).astype("float32")
    y = np.stack([np.sin(x[:, 0]) + x[:, 1], x[:, 2] * x[:, 3]], axis=1).astype("float32")
    theirs_model, ours_model = _dense_model(keras_oracle), _dense_model(keras)
    ours_model.set_weights(theirs_model.get_weights())
    initial = theirs_model.get_weights()
    for model, lib in ((theirs_model, keras_oracle), (ours_model, keras)):
        model.compile(optimizer=getattr(lib.optimizers, name)(**HYPER[name]), loss="mse")
        model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    assert int(ours_model.optimizer.iterations) == int(theirs_model.optimizer.iterations) == 18
    for a, b in zip(ours_model.get_weights(), theirs_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert max(np.abs(a - b).max() for a, b in zip(ours_model.get_weights(), initial)) > 1e-3


def test_string_identifiers_match_keras(keras_oracle):
    for name in NAMES:
        for identifier in (name.lower(), name):
            assert type(keras.optimizers.get(identifier)).__name__ == type(
                keras_oracle.optimizers.get(identifier)).__name__ == name
