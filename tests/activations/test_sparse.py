"""``layerwise.activations.sparse``: ``sparse_sigmoid`` and ``sparse_plus`` against float64 NumPy
definitions, and ``sparsemax`` against an independent projection onto the simplex (bisection on
its threshold), its optimality conditions, its Jacobian, and Keras 3."""

import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import activations

POINTS = np.concatenate([[0.0, -0.0, 1.0, -1.0, np.nextafter(1.0, 2), np.nextafter(1.0, 0), np.nextafter(-1.0, 0),
                          np.nextafter(-1.0, -2), 1e-300, 1e300, -1e300, math.inf, -math.inf],
                         np.random.RandomState(0).randn(60) * 2])


def _np_sparse_sigmoid(x):
    return np.where(x <= -1, 0.0, np.where(x >= 1, 1.0, 0.5 * (x + 1)))


def _np_sparse_plus(x):
    with np.errstate(over="ignore"):
        return np.where(x <= -1, 0.0, np.where(x >= 1, x, (x + 1) ** 2 / 4))


# ---- sparse_sigmoid / sparse_plus ------------------------------------------------------------
def test_sparse_sigmoid_definition():
    out = activations.sparse_sigmoid(torch.tensor(POINTS))
    assert out.dtype == torch.float64
    np.testing.assert_array_equal(out.numpy(), _np_sparse_sigmoid(POINTS))
    assert activations.sparse_sigmoid(torch.tensor([-1.0, 1.0])).tolist() == [0.0, 1.0]  # the limits, exactly


def test_sparse_plus_definition():
    out = activations.sparse_plus(torch.tensor(POINTS))
    assert out.dtype == torch.float64
    np.testing.assert_allclose(out.numpy(), _np_sparse_plus(POINTS), rtol=1e-15, atol=0)
    assert activations.sparse_plus(torch.tensor([-1.0, 0.0, 1.0])).tolist() == [0.0, 0.25, 1.0]


@pytest.mark.parametrize("name", ["sparse_sigmoid", "sparse_plus"])
def test_float32_integer_and_nan_inputs(name):
    fn = activations.get(name)
    x = np.random.RandomState(1).randn(50) * 2
    np.testing.assert_allclose(fn(torch.tensor(x, dtype=torch.float32)).numpy(), fn(torch.tensor(x)).numpy(),
                               rtol=2e-7, atol=2e-7)
    out = fn(torch.tensor([-3, 0, 2]))
    assert out.dtype == torch.float32  # integers are computed in floatx
    assert out.tolist() == fn(torch.tensor([-3.0, 0.0, 2.0])).tolist()
    assert math.isnan(fn(torch.tensor([math.nan])).item())


def test_sparse_plus_slope_is_sparse_sigmoid():
    x = torch.tensor(np.concatenate([POINTS[np.isfinite(POINTS)], np.linspace(-2, 2, 81)]), requires_grad=True)
    activations.sparse_plus(x).sum().backward()  # continuously differentiable: also right at -1 and 1
    np.testing.assert_allclose(x.grad.numpy(), _np_sparse_sigmoid(x.detach().numpy()), rtol=1e-15, atol=0)
    smooth = torch.tensor(np.linspace(-3, 3, 61), requires_grad=True)  # includes the joins at -1 and 1
    assert torch.autograd.gradcheck(activations.sparse_plus, (smooth,))


def test_sparse_sigmoid_gradient_away_from_its_kinks():
    x = np.random.RandomState(2).randn(80) * 2
    x = x[np.abs(np.abs(x) - 1) > 1e-3]
    xt = torch.tensor(x, requires_grad=True)
    activations.sparse_sigmoid(xt).sum().backward()
    np.testing.assert_array_equal(xt.grad.numpy(), np.where(np.abs(x) < 1, 0.5, 0.0))
    assert torch.autograd.gradcheck(activations.sparse_sigmoid, (torch.tensor(x, requires_grad=True),))


# ---- sparsemax --------------------------------------------------------------------------------
def _np_sparsemax(x, axis=-1):
    """Projection onto the simplex by bisection on the threshold tau: sum(max(z - tau, 0)) = 1."""
    z = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    low = z.max(axis=-1, keepdims=True) - 1.0  # the sum is >= 1 at this tau
    high = z.max(axis=-1, keepdims=True)  # and 0 at this one
    for _ in range(200):
        middle = (low + high) / 2
        too_low = np.maximum(z - middle, 0).sum(axis=-1, keepdims=True) > 1
        low, high = np.where(too_low, middle, low), np.where(too_low, high, middle)
    return np.moveaxis(np.maximum(z - (low + high) / 2, 0.0), -1, axis)


def _assert_is_the_projection(p, z, atol):
    """The optimality conditions of min ||p - z||^2 on the simplex: p >= 0, sum(p) = 1, and a tau with
    z_i - p_i = tau where p_i > 0 and z_i <= tau where p_i = 0."""
    assert (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, atol=atol)
    for p_row, z_row in zip(p.reshape(-1, p.shape[-1]), z.reshape(-1, z.shape[-1])):
        tau = (z_row - p_row)[p_row > 0]
        np.testing.assert_allclose(tau, tau.mean(), atol=atol)
        assert (z_row[p_row == 0] <= tau.mean() + atol).all()


@pytest.mark.parametrize("scale", [0.1, 1.0, 5.0, 100.0])
def test_sparsemax_matches_the_projection(scale):
    z = np.random.RandomState(3).randn(30, 7) * scale
    out = activations.sparsemax(torch.tensor(z))
    assert out.dtype == torch.float64
    np.testing.assert_allclose(out.numpy(), _np_sparsemax(z), rtol=1e-12, atol=1e-13)
    _assert_is_the_projection(out.numpy(), z, atol=1e-12)
    out32 = activations.sparsemax(torch.tensor(z, dtype=torch.float32))
    assert out32.dtype == torch.float32
    np.testing.assert_allclose(out32.numpy(), _np_sparsemax(z.astype(np.float32)), atol=2e-6)


@pytest.mark.parametrize("shape,axis", [((4, 5, 3), 0), ((4, 5, 3), 1), ((4, 5, 3), -1), ((2, 6), -2), ((6,), 0)])
def test_sparsemax_along_an_axis(shape, axis):
    z = np.random.RandomState(4).randn(*shape)
    out = activations.sparsemax(torch.tensor(z), axis=axis)
    assert tuple(out.shape) == shape
    np.testing.assert_allclose(out.numpy(), _np_sparsemax(z, axis), rtol=1e-12, atol=1e-13)


def test_sparsemax_known_values_and_limits():
    def sparsemax(*rows, **kwargs):
        return activations.sparsemax(torch.tensor(rows, dtype=torch.float64), **kwargs).numpy()

    # Martins & Astudillo's two-entry case is sparse_sigmoid of the difference, (1 + z1 - z2) / 2 clipped.
    np.testing.assert_allclose(sparsemax([0.3, 0.0], [2.0, 0.0], [0.0, 0.0]), [[0.65, 0.35], [1, 0], [0.5, 0.5]])
    np.testing.assert_allclose(sparsemax([0.0, 0.5, 1.0]), [[0.0, 0.25, 0.75]], atol=1e-15)
    np.testing.assert_allclose(sparsemax([0.1, 0.2, 0.3, 0.4, 0.5]), [[0.0, 0.1, 0.2, 0.3, 0.4]], atol=1e-15)
    np.testing.assert_allclose(sparsemax([1.0, 1.0, 1.0, 1.0]), [[0.25] * 4])  # ties share
    np.testing.assert_allclose(sparsemax([-1.0, 0.0, 1.0]), [[0.0, 0.0, 1.0]])
    # -inf masks an entry out, as for softmax; a single entry gets everything.
    np.testing.assert_allclose(sparsemax([0.2, -math.inf, 0.0]), [[0.6, 0.0, 0.4]])
    assert sparsemax([-7.0]).tolist() == [[1.0]]
    assert activations.sparsemax(torch.zeros(3, 0)).shape == (3, 0)


def test_sparsemax_is_shift_invariant_and_keeps_precision_for_large_offsets():
    z = np.random.RandomState(5).randn(10, 6)
    expected = activations.sparsemax(torch.tensor(z)).numpy()
    for offset in (1e3, -1e6, 1e9):
        np.testing.assert_allclose(activations.sparsemax(torch.tensor(z + offset)).numpy(), expected,
                                   atol=abs(offset) * 1e-15)
    np.testing.assert_allclose(activations.sparsemax(torch.tensor(z + 1e4, dtype=torch.float32)).numpy(),
                               _np_sparsemax((z + 1e4).astype(np.float32)), atol=2e-3)


def test_sparsemax_integer_inputs_and_errors():
    out = activations.sparsemax(torch.tensor([[3, 1, 0]]))
    assert out.dtype == torch.float32 and out.tolist() == [[1.0, 0.0, 0.0]]
    with pytest.raises(ValueError, match=r"`sparsemax` needs an input with at least one axis"):
        activations.sparsemax(torch.tensor(1.0))


def test_sparsemax_jacobian():
    # On the support S: d p_i / d z_j = [i == j] - 1 / |S| (i, j in S); 0 elsewhere.
    z = torch.tensor([0.9, 0.2, -1.5, 0.6, 0.75], dtype=torch.float64)
    p = activations.sparsemax(z)
    support = (p > 0).double()
    expected = torch.diag(support) - torch.outer(support, support) / support.sum()
    jacobian = torch.autograd.functional.jacobian(activations.sparsemax, z)
    torch.testing.assert_close(jacobian, expected, rtol=0, atol=1e-15)
    assert 1 < support.sum() < len(z)  # a support that is neither everything nor one entry


@pytest.mark.parametrize("axis", [-1, 0])
def test_sparsemax_gradcheck(axis):
    z = np.random.RandomState(6).randn(4, 5)
    # gradcheck's finite differences must not move an entry across the support boundary (z_i = tau).
    assert np.abs(z - _tau(z, axis)).min() > 1e-3
    assert torch.autograd.gradcheck(lambda t: activations.sparsemax(t, axis=axis),
                                    (torch.tensor(z, requires_grad=True),))


def _tau(z, axis):
    """The threshold of the projection, broadcast back along ``axis``."""
    out = np.moveaxis(_np_sparsemax(z, axis), axis, -1)
    zm = np.moveaxis(z, axis, -1)
    tau = np.nanmean(np.where(out > 0, zm - out, np.nan), axis=-1, keepdims=True)
    return np.moveaxis(np.broadcast_to(tau, zm.shape), -1, axis)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_sparsemax_matches_keras_where_one_entry_wins(keras_oracle, axis):
    # Keras 3.15's sparsemax builds its threshold from the sum of the cumulative sums over the
    # support instead of the last one (keras-team/keras#23425, fixed by #23469), so it is right only
    # when a single entry is in the support: compare there, and nowhere else.
    z = np.random.RandomState(7).randn(3, 4, 5).astype("float32")
    winner = np.moveaxis(np.zeros_like(z), axis, -1)
    winner[..., 2] = 5.0  # ahead of every other entry by more than 1: a support of one
    z = z + np.moveaxis(winner, -1, axis)
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.activations.sparsemax(z, axis=axis))
    np.testing.assert_allclose(activations.sparsemax(torch.from_numpy(z), axis=axis).numpy(), expected, atol=1e-6)
    expected_op = keras_oracle.ops.convert_to_numpy(keras_oracle.ops.sparsemax(z, axis=axis))
    np.testing.assert_allclose(keras.ops.sparsemax(torch.from_numpy(z), axis=axis).numpy(), expected_op, atol=1e-6)


@pytest.mark.parametrize("name", ["sparse_sigmoid", "sparse_plus", "sparsemax"])
def test_get_serialize_and_the_activation_layer(name):
    fn = getattr(activations, name)
    assert activations.get(name) is fn and activations.serialize(fn) == name
    assert activations.deserialize(activations.serialize(fn)) is fn
    layer = keras.layers.Activation(name)
    revived = keras.layers.Activation.from_config(layer.get_config())
    x = torch.tensor([[-2.0, -0.3, 0.0, 0.4, 3.0]])
    torch.testing.assert_close(revived(x), fn(x))


def test_sparsemax_axis_survives_a_saved_functional_model(tmp_path):
    inputs = keras.Input((3, 2))
    outputs = [activations.sparsemax(inputs, axis=1), activations.sparse_plus(inputs)]
    model = keras.Model(inputs, outputs)
    x = torch.tensor([[[0.0, 2.0], [0.5, 0.0], [1.0, 0.0]]])
    got = model(x)
    torch.testing.assert_close(got[0], torch.tensor([[[0.0, 1.0], [0.25, 0.0], [0.75, 0.0]]]))
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    for a, b in zip(loaded(x), got):
        torch.testing.assert_close(a, b)
