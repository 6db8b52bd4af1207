"""The six learning-rate schedules: Keras 3's formulas in plain Python floats, config round trips, Keras.

The expected values are computed independently of layerwise's code (restarts walk the periods one by
one instead of using the closed form), in float64; the schedules compute in float32 as Keras does.
"""

import math

import numpy as np
import pytest
import torch

from layerwise.optimizers import schedules

STEPS = [0, 1, 3, 5, 9, 10, 11, 17, 20, 25, 29, 30, 31, 45, 50, 69, 70, 71, 100, 250]


def exponential(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
    p = step / decay_steps
    return initial_learning_rate * decay_rate ** (math.floor(p) if staircase else p)


def inverse_time(step, initial_learning_rate, decay_steps, decay_rate, staircase=False):
    p = step / decay_steps
    return initial_learning_rate / (1 + decay_rate * (math.floor(p) if staircase else p))


def piecewise(step, boundaries, values):
    for boundary, value in zip(boundaries, values):
        if step <= boundary:
            return value
    return values[-1]


def polynomial(step, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False):
    if cycle:
        decay_steps = decay_steps * max(1, math.ceil(step / decay_steps))
    else:
        step = min(step, decay_steps)
    return (initial_learning_rate - end_learning_rate) * (1 - step / decay_steps) ** power + end_learning_rate


def cosine(step, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0):
    if warmup_target is not None and step < warmup_steps:
        return initial_learning_rate + (warmup_target - initial_learning_rate) * step / warmup_steps
    start = initial_learning_rate if warmup_target is None else warmup_target
    done = min(step - (0 if warmup_target is None else warmup_steps), decay_steps) / decay_steps
    return start * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * done)) + alpha)


def restarts(step, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0):
    start, length, i = 0.0, float(first_decay_steps), 0
    while step >= start + length:  # walk the periods: each is t_mul times longer, m_mul times lower
        start, length, i = start + length, length * t_mul, i + 1
    done = (step - start) / length
    return initial_learning_rate * ((1 - alpha) * 0.5 * m_mul ** i * (1 + math.cos(math.pi * done)) + alpha)


CASES = {
    "exponential": ("ExponentialDecay", exponential, dict(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5)),
    "exponential_staircase": ("ExponentialDecay", exponential,
                              dict(initial_learning_rate=0.3, decay_steps=7, decay_rate=0.9, staircase=True)),
    "inverse_time": ("InverseTimeDecay", inverse_time, dict(initial_learning_rate=0.1, decay_steps=4, decay_rate=0.5)),
    "inverse_time_staircase": ("InverseTimeDecay", inverse_time,
                               dict(initial_learning_rate=1.0, decay_steps=10, decay_rate=2.0, staircase=True)),
    "piecewise": ("PiecewiseConstantDecay", piecewise, dict(boundaries=[10, 30, 70], values=[1.0, 0.5, 0.1, 0.05])),
    "polynomial": ("PolynomialDecay", polynomial, dict(initial_learning_rate=0.1, decay_steps=30)),
    "polynomial_power": ("PolynomialDecay", polynomial,
                         dict(initial_learning_rate=1.0, decay_steps=20, end_learning_rate=0.01, power=2.0)),
    "polynomial_cycle": ("PolynomialDecay", polynomial,
                         dict(initial_learning_rate=1.0, decay_steps=10, end_learning_rate=0.1, power=0.5,
                              cycle=True)),
    "cosine": ("CosineDecay", cosine, dict(initial_learning_rate=0.1, decay_steps=50)),
    "cosine_alpha": ("CosineDecay", cosine, dict(initial_learning_rate=1.0, decay_steps=30, alpha=0.2)),
    "cosine_warmup": ("CosineDecay", cosine,
                      dict(initial_learning_rate=0.0, decay_steps=40, alpha=0.1, warmup_target=0.5, warmup_steps=10)),
    "cosine_target_no_warmup_steps": ("CosineDecay", cosine,
                                      dict(initial_learning_rate=0.1, decay_steps=40, warmup_target=0.5)),
    "restarts": ("CosineDecayRestarts", restarts, dict(initial_learning_rate=1.0, first_decay_steps=10)),
    "restarts_t_mul_1": ("CosineDecayRestarts", restarts,
                         dict(initial_learning_rate=0.5, first_decay_steps=8, t_mul=1.0, m_mul=0.5)),
    "restarts_m_mul_alpha": ("CosineDecayRestarts", restarts,
                             dict(initial_learning_rate=1.0, first_decay_steps=10, t_mul=1.5, m_mul=0.7, alpha=0.1)),
}


def _make(case, lib=schedules):
    name, _, kwargs = CASES[case]
    return getattr(lib, name)(**kwargs)


@pytest.mark.parametrize("case", sorted(CASES))
def test_schedule_matches_its_formula(case):
    _, formula, kwargs = CASES[case]
    schedule = _make(case)
    for step in STEPS:
        expected = formula(step, **kwargs)
        for given in (step, torch.tensor(step), torch.tensor(step, dtype=torch.float32)):
            value = schedule(given)
            assert isinstance(value, torch.Tensor) and value.dtype == torch.float32 and value.ndim == 0
            assert float(value) == pytest.approx(expected, rel=2e-6, abs=1e-7), (case, step, given)


def test_restarts_periods_and_peaks():
    schedule = schedules.CosineDecayRestarts(1.0, first_decay_steps=10, t_mul=2.0, m_mul=0.5)
    # Periods [0, 10), [10, 30), [30, 70): each restart starts at the peak, lowered by m_mul.
    assert [float(schedule(t)) for t in (0, 10, 30, 70)] == pytest.approx([1.0, 0.5, 0.25, 0.125])
    assert float(schedule(20)) == pytest.approx(0.25)  # half way through the second period
    assert float(schedule(29)) < 0.01


def test_staircase_holds_the_rate_within_a_period():
    schedule = schedules.ExponentialDecay(1.0, decay_steps=5, decay_rate=0.5, staircase=True)
    assert [float(schedule(t)) for t in (0, 4, 5, 9, 10)] == [1.0, 1.0, 0.5, 0.5, 0.25]


def test_piecewise_boundaries_belong_to_the_earlier_value():
    schedule = schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert [float(schedule(t)) for t in (10, 11, 20, 21)] == pytest.approx([1.0, 0.5, 0.5, 0.1])
    big = schedules.PiecewiseConstantDecay([2 ** 24], [1.0, 0.5])  # exact for integer steps past float32
    assert float(big(torch.tensor(2 ** 24 + 1))) == 0.5 and float(big(2 ** 24)) == 1.0


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_round_trip(case):
    schedule = _make(case)
    config = schedule.get_config()
    revived = type(schedule).from_config(config)
    assert type(revived) is type(schedule) and revived.get_config() == config
    again = schedules.deserialize(schedules.serialize(schedule))
    assert again.get_config() == config
    assert [float(again(t)) for t in STEPS] == [float(schedule(t)) for t in STEPS]


def test_invalid_arguments_raise():
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, decay_steps=0, decay_rate=0.5)
    with pytest.raises(ValueError, match="values"):
        schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5])
    with pytest.raises(ValueError, match="first_decay_steps"):
        schedules.CosineDecayRestarts(0.1, first_decay_steps=-1)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("case", sorted(CASES))
def test_schedule_matches_keras(keras_oracle, case):
    ours, theirs = _make(case), _make(case, keras_oracle.optimizers.schedules)
    assert ours.get_config() == theirs.get_config()
    # At the exact first step of a restart period with a non-power-of-two t_mul, Keras's float32
    # closed form can floor log(...)/log(t_mul) to the previous period (t_mul=1.5: step 25 gives
    # alpha, not the new peak); layerwise gives the new peak (checked against the formula above).
    name, _, kwargs = CASES[case]
    starts = {0}
    if name == "CosineDecayRestarts" and kwargs.get("t_mul", 2.0) not in (1.0, 2.0):
        length = kwargs["first_decay_steps"]
        while max(starts) < 50:
            starts.add(max(starts) + length)
            length *= kwargs.get("t_mul", 2.0)
    steps = [step for step in range(51) if step == 0 or step not in starts]
    expected = [float(keras_oracle.ops.convert_to_numpy(theirs(step))) for step in steps]
    np.testing.assert_allclose([float(ours(step)) for step in steps], expected, rtol=1e-6, atol=1e-8)
