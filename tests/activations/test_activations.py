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
    "hard_tanh": (lambda x: np.clip(x, -1, 1), {}),
    "squareplus": (lambda x: (x + np.sqrt(x * x + 4)) / 2, {}),
    "hard_shrink": (lambda x: np.where(np.abs(x) > 0.5, x, 0.0), {}),
    "soft_shrink": (lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0.0)), {}),
    "tanh_shrink": (lambda x: x - np.tanh(x), {}),
    "sparse_sigmoid": (lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, 1.0, (x + 1) / 2)), {}),
    "sparse_plus": (lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, (x + 1) ** 2 / 4)), {}),
}
# Functions of a whole axis, tested on their own (glu here, sparsemax in test_sparse.py).
AXIS_FUNCTIONS = {"softmax", "log_softmax", "glu", "sparsemax"}


def test_every_identifier_has_a_reference():
    assert set(activations.ALL_OBJECTS) - AXIS_FUNCTIONS == set(REFERENCES)


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
    ("glu", {"axis": 1}), ("hard_tanh", {}), ("hard_shrink", {}), ("hard_shrink", {"threshold": 1.5}),
    ("soft_shrink", {}), ("soft_shrink", {"threshold": 2.0}), ("tanh_shrink", {}), ("sparse_plus", {}),
    ("sparse_sigmoid", {}),
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
    for name in sorted(REFERENCES) + sorted(AXIS_FUNCTIONS):
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


# ---- glu, hard_tanh, squareplus ---------------------------------------------------------------
def _np_sigmoid_halves(x, axis):
    a, b = np.split(x, 2, axis=axis)
    return a * _np_sigmoid(b)


@pytest.mark.parametrize("shape,axis", [((6,), -1), ((4, 3), 0), ((3, 4, 2), 1), ((3, 2, 8), -1), ((2, 5), -2)])
def test_glu_along_an_axis(shape, axis):
    x = np.random.RandomState(3).randn(*shape) * 5
    x.flat[0] = 0.0
    out = activations.glu(torch.tensor(x), axis=axis)
    expected = _np_sigmoid_halves(x, axis)
    assert tuple(out.shape) == expected.shape
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-14, atol=1e-300)
    assert torch.autograd.gradcheck(lambda t: activations.glu(t, axis=axis), (torch.tensor(x, requires_grad=True),))


def test_glu_gate_limits_and_integer_inputs():
    out = activations.glu(torch.tensor([2.0, -3.0, 1e4, -1e4]))  # gates: sigmoid(1e4) = 1, sigmoid(-1e4) = 0
    assert out.tolist() == [2.0, -0.0]
    assert activations.glu(torch.tensor([[4, 0]])).dtype == torch.float32  # integers are computed in floatx
    assert activations.glu(torch.tensor([[4, 0]])).tolist() == [[2.0]]


@pytest.mark.parametrize("shape,axis", [((5,), -1), ((2, 3), 1), ((3, 4), 0)])
def test_glu_refuses_an_odd_axis(shape, axis):
    with pytest.raises(ValueError, match=r"`glu` needs an even size along `axis`"):
        activations.glu(torch.zeros(shape), axis=axis)


@pytest.mark.parametrize("axis", [2, -3])
def test_glu_refuses_a_missing_axis(axis):
    with pytest.raises(ValueError, match=r"`glu` argument `axis` must be an axis of the input"):
        activations.glu(torch.zeros(2, 4), axis=axis)


def test_hard_tanh_keeps_integers_and_has_the_gradient_of_a_clip():
    x = torch.tensor([-3, -1, 0, 1, 5])
    assert activations.hard_tanh(x).tolist() == [-1, -1, 0, 1, 1] and activations.hard_tanh(x).dtype == torch.int64
    xs = torch.tensor([-2.0, -0.5, 0.0, 0.9, 4.0], dtype=torch.float64, requires_grad=True)
    activations.hard_tanh(xs).sum().backward()
    assert xs.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]
    assert torch.autograd.gradcheck(activations.hard_tanh, (xs.detach().clone().requires_grad_(),))


def _exact_squareplus(x, b):
    """``(x + sqrt(x**2 + b)) / 2`` with 60 significant digits (no cancellation at that precision)."""
    from decimal import Decimal, localcontext

    with localcontext() as context:
        context.prec = 60
        value = (Decimal(float(x)) + (Decimal(float(x)) ** 2 + Decimal(b)).sqrt()) / 2
    return float(value)


@pytest.mark.parametrize("b", [0.25, 1, 4, 9.0])
def test_squareplus_formula_slope_and_gradient(b):
    x = np.concatenate([EDGES[np.abs(EDGES) < 100], np.random.RandomState(4).randn(40) * 5])
    xt = torch.tensor(x, requires_grad=True)
    out = activations.squareplus(xt, b=b)
    np.testing.assert_allclose(out.detach().numpy(), (x + np.sqrt(x * x + b)) / 2, rtol=1e-12, atol=1e-13)
    out.sum().backward()
    np.testing.assert_allclose(xt.grad.numpy(), (1 + x / np.sqrt(x * x + b)) / 2, rtol=1e-12, atol=1e-15)
    assert torch.autograd.gradcheck(lambda t: activations.squareplus(t, b=b), (xt.detach().clone().requires_grad_(),))
    assert activations.squareplus(torch.tensor(0.0, dtype=torch.float64), b=b).item() == pytest.approx(
        math.sqrt(b) / 2, rel=1e-15)


@pytest.mark.parametrize("dtype,rtol", [(torch.float64, 1e-15), (torch.float32, 3e-7)])
def test_squareplus_keeps_its_precision_for_large_inputs(dtype, rtol):
    # x + sqrt(x**2 + b) would cancel for large negative x (and x**2 overflow for huge ones).
    x = [-1e30, -1e8, -1e4, -300.0, -20.0, -1.0, 1e4, 1e30]
    out = activations.squareplus(torch.tensor(x, dtype=dtype)).tolist()
    assert out == pytest.approx([_exact_squareplus(v, 4) for v in x], rel=rtol)
    assert activations.squareplus(torch.tensor([1e300, -1e300], dtype=torch.float64)).tolist() == \
        pytest.approx([1e300, 1e-300], rel=1e-15)
    assert activations.squareplus(torch.tensor([-math.inf, math.inf])).tolist() == [0.0, math.inf]
    big = torch.tensor([-1e300, -1e30, 1e30, 1e300], dtype=torch.float64, requires_grad=True)
    activations.squareplus(big).sum().backward()
    assert big.grad.tolist() == pytest.approx([0.0, 0.0, 1.0, 1.0])  # no NaN from the branch not taken


def test_squareplus_with_b_zero_is_relu_and_refuses_a_negative_b():
    x = torch.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    out = activations.squareplus(x, b=0)
    out.sum().backward()
    assert out.tolist() == [0.0, 0.0, 3.0] and x.grad.tolist() == [0.0, 0.0, 1.0]
    for b in (-1.0, math.nan, "4", True, torch.tensor(4.0)):
        with pytest.raises(ValueError, match=r"`squareplus` argument `b` must be a number >= 0; received b="):
            activations.squareplus(x, b=b)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("b", [4, 1.0, 0.5])
def test_squareplus_matches_keras_away_from_large_negative_inputs(keras_oracle, b):
    # Keras computes (x + sqrt(x**2 + b)) / 2 as written, so for very negative inputs its float32 result
    # loses all its digits (at x = -1e4 it returns 0 where the value is 1e-4); we agree elsewhere.
    x = (np.random.RandomState(5).randn(4, 6) * 3).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.activations.squareplus(x, b=b))
    np.testing.assert_allclose(activations.squareplus(torch.from_numpy(x), b=b).numpy(), expected, rtol=1e-6,
                               atol=1e-6)
    big = np.array([1e4, 50.0, -50.0], dtype="float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.activations.squareplus(big, b=b))
    # Keras's float32 error there is about |x| * 2**-24 (ours is a few ulps of the result).
    np.testing.assert_allclose(activations.squareplus(torch.from_numpy(big), b=b).numpy(), expected, rtol=1e-6,
                               atol=50 * 2.0**-23)


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
    assert keras.activations.swish is activations.silu and keras.activations.hard_swish is activations.hard_silu
    assert activations.serialize(keras.activations.hard_swish) == "hard_silu"
    assert activations.serialize(activations.get("swish")) == "silu"
    assert activations.get(None) is activations.linear
    with pytest.raises(ValueError, match=r"Unknown activation: 'thresold'. Did you mean: 'threshold'"):
        activations.get("thresold")


def test_activations_work_on_symbolic_tensors_and_survive_saving(tmp_path):
    inputs = keras.Input((4,))
    outputs = [activations.relu(inputs, negative_slope=0.1, max_value=2.0, threshold=0.5),
               activations.bru(inputs, r=3.0), activations.threshold(inputs), activations.glu(inputs, axis=-1),
               activations.squareplus(inputs, b=1.0), activations.hard_tanh(inputs)]
    model = keras.Model(inputs, outputs)
    x = torch.tensor([[-1.0, 0.0, 0.7, 5.0]])
    got = model(x)
    np.testing.assert_allclose(got[0].numpy(), _np_relu(x.numpy(), 0.1, 2.0, 0.5), rtol=1e-6)
    np.testing.assert_allclose(got[1].numpy(), _np_bru(x.numpy().astype(np.float64), 3.0), rtol=1e-6)
    assert got[2].tolist() == [[0.0, 1.0, 1.0, 1.0]]
    np.testing.assert_allclose(got[3].numpy(), _np_sigmoid_halves(x.numpy().astype(np.float64), -1), rtol=1e-6)
    np.testing.assert_allclose(got[4].numpy(), (x.numpy() + np.sqrt(x.numpy() ** 2 + 1)) / 2, rtol=1e-6)
    assert got[5].tolist() == [[-1.0, 0.0, pytest.approx(0.7), 1.0]]
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    for a, b in zip(loaded(x), got):
        torch.testing.assert_close(a, b)
