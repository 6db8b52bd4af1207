"""Every optimizer against the float64 NumPy transcription of Keras 3's update rules (conftest.py).

Ten steps on float64 variables must agree to 1e-10, for each optimizer (with default and with
non-default hyperparameters) crossed with each common argument: clipping, weight decay, Keras 2's
``lr``/``decay``, EMA, gradient accumulation, loss scaling, schedules and callables.
"""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import optimizers
from layerwise.optimizers import schedules
from tests.optimizers.conftest import Reference, problem

STEPS = 10
# A matrix, a vector, a NonNeg-constrained vector, and a vector whose gradient is None every other step.
SHAPES = [(3, 4), (4,), (5,), (2,)]

KINDS = {
    "sgd": ("SGD", {}),
    "sgd_momentum": ("SGD", {"momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"momentum": 0.8, "nesterov": True}),
    "adam": ("Adam", {}),
    "adam_amsgrad": ("Adam", {"amsgrad": True, "beta_1": 0.8, "beta_2": 0.95, "epsilon": None}),
    "adamw": ("AdamW", {}),
    "adamw_amsgrad": ("AdamW", {"amsgrad": True, "weight_decay": 0.1, "beta_1": 0.7, "epsilon": 1e-4}),
    "rmsprop": ("RMSprop", {}),
    "rmsprop_centered": ("RMSprop", {"centered": True, "rho": 0.8, "epsilon": 1e-3}),
    "rmsprop_momentum": ("RMSprop", {"momentum": 0.5, "epsilon": None}),
    "adagrad": ("Adagrad", {}),
    "adagrad_initial": ("Adagrad", {"initial_accumulator_value": 0.5, "epsilon": None}),
    "adadelta": ("Adadelta", {}),
    "adadelta_rho": ("Adadelta", {"rho": 0.5, "epsilon": 1e-3}),
    "adamax": ("Adamax", {}),
    "adamax_betas": ("Adamax", {"beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3}),
    "nadam": ("Nadam", {}),
    "nadam_betas": ("Nadam", {"beta_1": 0.8, "beta_2": 0.95, "epsilon": None}),
    "ftrl": ("Ftrl", {}),
    "ftrl_regularized": ("Ftrl", {"learning_rate_power": -0.3, "initial_accumulator_value": 0.2,
                                  "l1_regularization_strength": 0.05, "l2_regularization_strength": 0.1,
                                  "l2_shrinkage_regularization_strength": 0.05, "beta": 0.3}),
    "ftrl_fixed_rate": ("Ftrl", {"learning_rate_power": 0.0, "initial_accumulator_value": 0.0,
                                 "l1_regularization_strength": 0.01}),
    "lion": ("Lion", {}),
    "lion_betas": ("Lion", {"beta_1": 0.5, "beta_2": 0.8}),
}
SCHEDULE = "staircase"  # learning_rate placeholder: an ExponentialDecay whose values are exact in float32
CALLABLE = "callable"  # learning_rate placeholder: a function of no arguments
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
    "callable": {"learning_rate": CALLABLE},
    "schedule_accumulation_ema": {"learning_rate": SCHEDULE, "gradient_accumulation_steps": 2, "use_ema": True,
                                  "ema_momentum": 0.5, "ema_overwrite_frequency": 2, "weight_decay": 0.1},
}


def _split(kind, case):
    """Constructor arguments for layerwise and for the reference (schedules differ in form)."""
    name, hyper = KINDS[kind]
    kwargs = {**hyper, **CASES[case]}
    ours, ref = dict(kwargs), dict(kwargs)
    if kwargs.get("learning_rate") == SCHEDULE:
        ours["learning_rate"] = schedules.ExponentialDecay(0.5, decay_steps=3, decay_rate=0.5, staircase=True)
        ref["learning_rate"] = lambda calls: 0.5 * 0.5 ** (calls // 3)
    elif kwargs.get("learning_rate") == CALLABLE:
        ours["learning_rate"] = lambda: 0.25
        ref["learning_rate"] = lambda calls: 0.25
    return name, ours, ref


def _run(name, ours_kwargs, ref_kwargs, seed=0):
    weights, grads = problem(SHAPES, STEPS, seed=seed, none_every_other=(3,))
    variables = [keras.Variable(torch.tensor(w), name=f"w{i}",
                                constraint=keras.constraints.NonNeg() if i == 2 else None)
                 for i, w in enumerate(weights)]
    optimizer = getattr(optimizers, name)(**ours_kwargs)
    reference = Reference(name, **ref_kwargs)
    expected = [w.copy() for w in weights]
    constraints = [None, None, lambda w: w * (w >= 0), None]
    for step_grads in grads:
        optimizer.apply([None if g is None else torch.tensor(g) for g in step_grads], variables)
        reference.apply(step_grads, expected, constraints)
    return optimizer, variables, weights, expected


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_ten_steps_match_the_float64_reference(kind, case):
    name, ours_kwargs, ref_kwargs = _split(kind, case)
    optimizer, variables, initial, expected = _run(name, ours_kwargs, ref_kwargs)
    for variable, want in zip(variables, expected):
        assert variable.dtype == torch.float64
        np.testing.assert_allclose(variable.detach().numpy(), want, rtol=1e-10, atol=1e-12)
    assert int(optimizer.iterations) == STEPS // (ours_kwargs.get("gradient_accumulation_steps") or 1)
    assert (variables[2].detach().numpy() >= 0).all()
    # The test can fail: the weights moved by much more than the tolerance.
    assert max(np.abs(v.detach().numpy() - w).max() for v, w in zip(variables, initial)) > 1e-6


@pytest.mark.parametrize("kind", ["adam", "nadam", "ftrl_regularized", "adadelta_rho", "lion_betas"])
def test_a_wrong_hyperparameter_is_detected(kind):
    """The reference comparison is sensitive: the same run with one hyperparameter changed disagrees."""
    name, hyper = KINDS[kind]
    key = {"Adam": "beta_1", "Nadam": "beta_1", "Ftrl": "l2_regularization_strength", "Adadelta": "rho",
           "Lion": "beta_2"}[name]
    ours = dict(hyper, learning_rate=0.1)
    ours[key] = 0.7 * (ours.get(key) or 0.2) + 0.01
    _, variables, _, expected = _run(name, ours, dict(hyper, learning_rate=0.1))
    assert max(np.abs(v.detach().numpy() - w).max() for v, w in zip(variables, expected)) > 1e-6


@pytest.mark.parametrize("name", ["Adagrad", "Adamax", "Nadam", "Ftrl", "Lion"])
def test_mixed_dtypes_use_each_variables_dtype(name):
    """float64 and float32 weights in one optimizer: each is updated in its own dtype, like Keras.

    (float64 first: Keras keeps Nadam's running product in the first weight's dtype.)
    """
    weights, grads = problem([(3,), (4,)], 5, seed=3)
    variables = [keras.Variable(torch.tensor(weights[0]), name="a"),
                 keras.Variable(torch.tensor(weights[1], dtype=torch.float32), name="b")]
    optimizer = getattr(optimizers, name)(learning_rate=0.1)
    reference = Reference(name, learning_rate=0.1)
    expected = [w.copy() for w in weights]
    for step_grads in grads:
        optimizer.apply([torch.tensor(g, dtype=v.dtype) for g, v in zip(step_grads, variables)], variables)
        reference.apply(step_grads, expected, [None, None])
    assert [v.dtype for v in variables] == [torch.float64, torch.float32]
    slot_dtypes = {(s.name[0], s.dtype) for s in optimizer.variables[2:] if s.name[:2] in ("a_", "b_")}
    assert slot_dtypes == {("a", torch.float64), ("b", torch.float32)}
    np.testing.assert_allclose(variables[0].detach().numpy(), expected[0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(variables[1].detach().numpy(), expected[1], rtol=1e-5, atol=1e-6)
