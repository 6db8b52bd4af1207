"""``layerwise.activations``: every function against a float64 NumPy definition (edge values
included), Keras 3 as an oracle for every function Keras has, and ``get``/``serialize``."""

import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import activations

# Edge values: zero (both signs), values near the kinks, moderately and very large magnitudes.
EDGES = np.array([0.0, -0.0, 1e-7, -1e-7, 0.5, -0.5, 1.0, -1.0, 2.9, -2.9, 3.0, -3.0, 6.0, 7.5, -7.5,
                  20.0, -20.0, 50.0, -50.0, 300.0, -300.0])


def _np_sigmoid(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))


def _np_softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _np_elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


_ERF = np.vectorize(math.erf)
SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946

# name -> (float64 definition, keyword arguments)
REFERENCES = {
    "linear": (lambda x: x, {}),
    "relu": (lambda x: np.maximum(x, 0), {}),
    "relu6": (lambda x: np.clip(x, 0, 6), {}),
    "leaky_relu": (lambda x: np.where(x >= 0, x, 0.2 * x), {}),
    "elu": (_np_elu, {}),
    "selu": (lambda x: SELU_SCALE * _np_elu(x, SELU_ALPHA), {}),
    "celu": (lambda x: np.maximum(x, 0) + np.minimum(0, 1.5 * np.expm1(np.minimum(x, 0) / 1.5)), {"alpha": 1.5}),
    "sigmoid": (_np_sigmoid, {}),
    "hard_sigmoid": (lambda x: np.clip(x + 3, 0, 6) / 6, {}),
    "hard_silu": (lambda x: x * np.clip(x + 3, 0, 6) / 6, {}),
    "silu": (lambda x: x * _np_sigmoid(x), {}),
    "swish": (lambda x: x * _np_sigmoid(x), {}),
    "hard_swish": (lambda x: x * np.clip(x + 3, 0, 6) / 6, {}),
    "gelu": (lambda x: 0.5 * x * (1 + _ERF(x / np.sqrt(2))), {}),
    "tanh": (np.tanh, {}),
    "softplus": (_np_softplus, {}),
    "softsign": (lambda x: x / (1 + np.abs(x)), {}),
    "exponential": (np.exp, {}),
    "mish": (lambda x: x * np.tanh(_np_softplus(x)), {}),
    "log_sigmoid": (lambda x: -_np_softplus(-x), {}),
    "threshold": (lambda x: (x >= 0).astype(np.float64), {}),
    "bru": (lambda x: np.where(x >= 0, np.sqrt(4 * np.maximum(x, 0) + 1), np.exp(2 * np.minimum(x, 0))) - 0.5, {}),
}


def test_every_identifier_has_a_reference():
    assert set(activations.ALL_OBJECTS) - {"softmax", "log_softmax"} == set(REFERENCES)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_matches_float64_definition(name):
    reference, kwargs = REFERENCES[name]
    fn = activations.get(name)
    x = np.concatenate([EDGES, np.random.RandomState(0).randn(50) * 4])
    with np.errstate(over="ignore"):
        expected = reference(x)
    out = fn(torch.tensor(x, dtype=torch.float64), **kwargs)
    assert out.dtype == torch.float64
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)
    out32 = fn(torch.tensor(x, dtype=torch.float32), **kwargs)
    assert out32.dtype == torch.float32
    finite = np.isfinite(expected) & (np.abs(expected) < 1e30)
    np.testing.assert_allclose(out32.numpy()[finite], expected[finite], rtol=2e-6, atol=2e-6)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_infinite_inputs_give_the_limits(name):
    reference, kwargs = REFERENCES[name]
    x = np.array([-np.inf, np.inf])
    with np.errstate(invalid="ignore", over="ignore"):
        expected = reference(x)
    defined = ~np.isnan(expected)  # x * sigmoid(x) and friends are inf * 0 at -inf in any float code
    out = activations.get(name)(torch.tensor(x, dtype=torch.float64), **kwargs).numpy()
    np.testing.assert_array_equal(out[defined], expected[defined])


# ---- Keras 3 as oracle ------------------------------------------------------------------------
KERAS_CASES = [
    ("relu", {}), ("relu", {"negative_slope": 0.1}), ("relu", {"max_value": 6.0}), ("relu", {"max_value": 2.5}),
    ("relu", {"threshold": 1.5}), ("relu", {"threshold": -1.0}), ("relu", {"negative_slope": 0.3, "max_value": 4.0}),
    ("relu", {"negative_slope": 0.5, "threshold": 2.0}), ("relu", {"max_value": 5.0, "threshold": 1.0}),
    ("relu", {"negative_slope": 0.2, "max_value": 3.0, "threshold": 0.5}),
    ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.05}), ("relu6", {}), ("elu", {}), ("elu", {"alpha": 0.4}),
    ("selu", {}), ("celu", {}), ("celu", {"alpha": 2.0}), ("gelu", {}), ("gelu", {"approximate": True}),
    ("silu", {}), ("swish", {}), ("sigmoid", {}), ("hard_sigmoid", {}), ("hard_silu", {}), ("hard_swish", {}),
    ("tanh", {}), ("softplus", {}), ("softsign", {}), ("exponential", {}), ("mish", {}), ("linear", {}),
    ("log_sigmoid", {}), ("softmax", {}), ("softmax", {"axis": 0}), ("softmax", {"axis": (0, 2)}),
    ("log_softmax", {}), ("log_softmax", {"axis": 1}), ("log_softmax", {"axis": (1, 2)}),
    ("threshold", {"threshold": 0.5, "default_value": -2.0}), ("threshold", {"threshold": -1.0, "default_value": 0.0}),
]


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name,kwargs", KERAS_CASES, ids=[f"{n}-{k}" for n, k in KERAS_CASES])
def test_matches_keras(keras_oracle, name, kwargs):
    x = np.random.RandomState(1).randn(3, 4, 5) * 4
    x[0, 0, :] = [0.0, -1e4, 1e4, 6.0, 1.5]
    x = x.astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.activations.get(name)(x, **kwargs))
    ours = activations.get(name)(torch.from_numpy(x), **kwargs)
    np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.keras_oracle
def test_keras_names_resolve_to_the_same_functions(keras_oracle):
    for name in sorted(REFERENCES) + ["softmax", "log_softmax"]:
        if name == "bru":
            continue  # not in Keras
        assert keras_oracle.activations.get(name).__name__ == activations.get(name).__name__, name


# ---- relu's options ---------------------------------------------------------------------------
def _np_relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    out = np.where(x > threshold, x, 0.0)
    if max_value is not None:
        out = np.clip(out, 0.0, max_value)
    return out - negative_slope * np.maximum(threshold - x, 0.0)


@pytest.mark.parametrize("negative_slope", [0.0, 0.25])
@pytest.mark.parametrize("max_value", [None, 6.0, 2.0])
@pytest.mark.parametrize("threshold", [0.0, 1.0, -0.5])
def test_relu_options_match_the_formula(negative_slope, max_value, threshold):
    x = np.concatenate([EDGES, [threshold, np.nextafter(threshold, 10), np.nextafter(threshold, -10)]])
    out = activations.relu(torch.tensor(x), negative_slope=negative_slope, max_value=max_value, threshold=threshold)
    np.testing.assert_allclose(out.numpy(), _np_relu(x, negative_slope, max_value, threshold), rtol=1e-12, atol=0)


def test_relu_keras_docstring_values():
    x = torch.tensor([-10.0, -5.0, 0.0, 5.0, 10.0])
    assert activations.relu(x, negative_slope=0.5).tolist() == [-5.0, -2.5, 0.0, 5.0, 10.0]
    assert activations.relu(x, max_value=5.0).tolist() == [0.0, 0.0, 0.0, 5.0, 5.0]
    assert activations.relu(x, threshold=5.0).tolist() == [0.0, 0.0, 0.0, 0.0, 10.0]


def test_relu_with_threshold_keeps_infinities_finite_or_infinite():
    # x * (x > threshold) would give -inf * 0 = NaN.
    out = activations.relu(torch.tensor([-math.inf, math.inf]), threshold=1.0)
    assert out.tolist() == [0.0, math.inf]
    out = activations.relu(torch.tensor([-math.inf, math.inf]), threshold=1.0, max_value=3.0)
    assert out.tolist() == [0.0, 3.0]


# ---- softmax / log_softmax --------------------------------------------------------------------
@pytest.mark.parametrize("axis", [-1, 0, 1, (0, 2), [1, 2], None])
def test_softmax_and_log_softmax_along_axes(axis):
    x = np.random.RandomState(2).randn(2, 3, 4) * 3
    x[0, 0, 0] = 500.0  # large logits must not overflow
    np_axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    shifted = x - x.max(axis=np_axis, keepdims=True)
    log_expected = shifted - np.log(np.exp(shifted).sum(axis=np_axis, keepdims=True))
    out = activations.softmax(torch.tensor(x), axis=axis)
    np.testing.assert_allclose(out.numpy(), np.exp(log_expected), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(activations.log_softmax(torch.tensor(x), axis=axis).numpy(), log_expected, rtol=1e-12)


# ---- threshold: the perceptron step ----------------------------------------------------------
def test_threshold_is_the_unit_step_in_the_input_float_dtype():
    x = torch.tensor([-math.inf, -1e-30, -0.0, 0.0, 1e-30, 2.0, math.inf], dtype=torch.float64)
    out = activations.threshold(x)
    assert out.dtype == torch.float64
    assert out.tolist() == [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    assert activations.threshold(torch.tensor([-2, 0, 3])).dtype == torch.float32  # ints give floatx
    assert activations.threshold(torch.tensor([-2, 0, 3])).tolist() == [0.0, 1.0, 1.0]
    assert math.isnan(activations.threshold(torch.tensor([math.nan])).item())  # NaN is not hidden


def test_threshold_gradient_is_zero_but_backward_runs():
    x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    activations.threshold(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_threshold_keras_form_and_argument_errors():
    x = torch.tensor([-1.0, 0.5, 0.7, 3.0])
    assert activations.threshold(x, 0.5, -9.0).tolist() == [-9.0, -9.0, pytest.approx(0.7), 3.0]
    assert activations.threshold(x, torch.tensor(0.5), torch.tensor(-9.0)).tolist() == \
        [-9.0, -9.0, pytest.approx(0.7), 3.0]
    with pytest.raises(ValueError, match=r"`threshold` argument `default_value` must be given together"):
        activations.threshold(x, 0.5)
    with pytest.raises(ValueError, match=r"`threshold` argument `threshold` must be given together"):
        activations.threshold(x, default_value=1.0)


def test_perceptron_learning_rule_with_the_step_learns_and():
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([0.0, 0.0, 0.0, 1.0])
    w, b = torch.zeros(2), torch.tensor(0.0)
    for _ in range(20):  # Rosenblatt: w += (target - output) * x, converges on separable data
        for xi, yi in zip(x, y):
            error = yi - activations.threshold(xi @ w + b)
            w, b = w + error * xi, b + error
    assert activations.threshold(x @ w + b).tolist() == y.tolist()


# ---- bru: the bionodal root unit --------------------------------------------------------------
def _np_bru(x, r):
    return np.where(x >= 0, (r * r * np.maximum(x, 0) + 1) ** (1 / r), np.exp(r * np.minimum(x, 0))) - 1 / r


def _np_bru_derivative(x, r):
    return np.where(x >= 0, r * (r * r * np.maximum(x, 0) + 1) ** (1 / r - 1), r * np.exp(r * np.minimum(x, 0)))


@pytest.mark.parametrize("r", [0.5, 1.0, 2.0, 3.0, 7.5])
def test_bru_formula_and_derivative_in_float64(r):
    x = np.concatenate([EDGES, np.linspace(-4, 4, 81)])
    xt = torch.tensor(x, requires_grad=True)
    out = activations.bru(xt, r=r)
    np.testing.assert_allclose(out.detach().numpy(), _np_bru(x, r), rtol=1e-13, atol=1e-13)
    out.sum().backward()
    np.testing.assert_allclose(xt.grad.numpy(), _np_bru_derivative(x, r), rtol=1e-12, atol=1e-14)
    assert torch.autograd.gradcheck(lambda t: activations.bru(t, r=r), (torch.tensor(x[np.abs(x) > 1e-5],
                                                                                  requires_grad=True),))


@pytest.mark.parametrize("r", [0.5, 2.0, 4.0])
def test_bru_is_continuously_differentiable_at_zero(r):
    h = 1e-7
    left, at, right = activations.bru(torch.tensor([-h, 0.0, h], dtype=torch.float64), r=r).tolist()
    assert at == pytest.approx(1 - 1 / r, abs=1e-15)  # both pieces give 1 - 1/r at 0
    assert left == pytest.approx(at, abs=2 * r * h) and right == pytest.approx(at, abs=2 * r * h)
    # One-sided difference quotients both tend to the slope r.
    assert (at - left) / h == pytest.approx(r, rel=1e-5)
    assert (right - at) / h == pytest.approx(r, rel=1e-5)


def test_bru_paper_values_and_limits():
    out = activations.bru(torch.tensor([-1.0, 0.0, 2.0, -3.0], dtype=torch.float64))
    # r = 2: e^-2 - 1/2, 1 - 1/2, sqrt(9) - 1/2, e^-6 - 1/2
    np.testing.assert_allclose(out.numpy(), [math.exp(-2) - 0.5, 0.5, 2.5, math.exp(-6) - 0.5], rtol=1e-15)
    big = torch.tensor([-1e30, 1e30, -math.inf, math.inf], dtype=torch.float64, requires_grad=True)
    out = activations.bru(big)
    assert out.detach().tolist() == [-0.5, pytest.approx(2e15 - 0.5), -0.5, math.inf]
    out[:2].sum().backward()
    assert torch.isfinite(big.grad).all()  # no NaN from the branch that is not taken


def test_bru_with_r_one_is_elu():
    x = torch.linspace(-6, 6, 101, dtype=torch.float64)
    torch.testing.assert_close(activations.bru(x, r=1.0), activations.elu(x), rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("r", [0, -1.0, math.nan, math.inf, "2", None])
def test_bru_refuses_a_bad_r(r):
    with pytest.raises(ValueError, match=r"`bru` argument `r` must be a finite number > 0; received r="):
        activations.bru(torch.zeros(2), r=r)


# ---- get / serialize / deserialize ------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(activations.ALL_OBJECTS))
def test_round_trip_by_name(name):
    fn = activations.get(name)
    assert activations.get(activations.serialize(fn)) is fn
    assert activations.deserialize(activations.serialize(fn)) is fn
    assert getattr(keras.activations, fn.__name__) is fn


def test_aliases_and_defaults():
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.serialize(activations.get("swish")) == "silu"
    assert activations.get(None) is activations.linear
    with pytest.raises(ValueError, match=r"Unknown activation: 'thresold'. Did you mean: 'threshold'"):
        activations.get("thresold")


def test_activations_work_on_symbolic_tensors_and_survive_saving(tmp_path):
    inputs = keras.Input((4,))
    outputs = [activations.relu(inputs, negative_slope=0.1, max_value=2.0, threshold=0.5),
               activations.bru(inputs, r=3.0), activations.threshold(inputs)]
    model = keras.Model(inputs, outputs)
    x = torch.tensor([[-1.0, 0.0, 0.7, 5.0]])
    got = model(x)
    np.testing.assert_allclose(got[0].numpy(), _np_relu(x.numpy(), 0.1, 2.0, 0.5), rtol=1e-6)
    np.testing.assert_allclose(got[1].numpy(), _np_bru(x.numpy().astype(np.float64), 3.0), rtol=1e-6)
    assert got[2].tolist() == [[0.0, 1.0, 1.0, 1.0]]
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    for a, b in zip(loaded(x), got):
        torch.testing.assert_close(a, b)
