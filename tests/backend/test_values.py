"""``layerwise.backend`` (Keras 2's ``K.*`` functions) checked on numbers against NumPy and hand formulas.

Keras 3 (on its torch backend) is used as an oracle where it exposes the same function.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import backend as K
from layerwise.variables import Variable

from tests.backend.conftest import rand, close


# ---- values and variables ---------------------------------------------------------------------
def test_variable_is_a_layerwise_variable_holding_a_copy():
    source = np.arange(6, dtype="int64").reshape(2, 3)
    v = K.variable(source, name="state")
    assert isinstance(v, Variable) and v.name == "state" and v.dtype == torch.float32
    source[0, 0] = 100
    close(v, np.arange(6).reshape(2, 3))
    t = torch.ones(2)
    v2 = K.variable(t, dtype="float64")
    t.add_(1)
    assert v2.dtype == torch.float64 and K.get_value(v2).sum() == 2.0
    assert K.variable([1, 2], dtype="int32").dtype == torch.int32


def test_set_value_copies_in_place():
    v = K.variable(np.zeros((2, 3)))
    identity, address = id(v), v.data_ptr()
    new = rand(2, 3)
    assert K.set_value(v, new) is None
    assert id(v) == identity and v.data_ptr() == address and isinstance(v, Variable)
    close(K.get_value(v), new)
    K.set_value(v, np.arange(6).reshape(2, 3))  # integer values, float variable: the dtype is kept
    assert v.dtype == torch.float32
    close(v, np.arange(6).reshape(2, 3))
    plain = torch.zeros(3, dtype=torch.int64)
    K.set_value(plain, torch.tensor([1.7, 2.2, 3.0]))
    np.testing.assert_array_equal(plain.numpy(), [1, 2, 3])
    with pytest.raises(ValueError, match=r"`set_value` argument `value` must have the shape of `x`, \(2, 3\)"):
        K.set_value(v, np.zeros(3))
    with pytest.raises(TypeError, match="`set_value` argument `x`"):
        K.set_value(np.zeros(3), np.ones(3))


def test_batch_get_and_set_value():
    a, b = K.variable([0.0, 0.0]), K.variable(np.zeros((2, 2)))
    K.batch_set_value([(a, [1.0, 2.0]), (b, np.eye(2))])
    got = K.batch_get_value([a, b])
    assert all(isinstance(value, np.ndarray) for value in got)
    close(got[0], [1.0, 2.0])
    close(got[1], np.eye(2))
    with pytest.raises(ValueError, match="`batch_set_value` argument `tuples`"):
        K.batch_set_value([a])


def test_get_value_and_eval():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    assert isinstance(K.get_value(x), np.ndarray) and isinstance(K.eval(x * 2), np.ndarray)
    close(K.eval(x * 2), [2.0, 4.0])
    assert K.get_value(3.5) == 3.5
    with pytest.raises(ValueError, match="`get_value` argument `x` is a symbolic tensor"):
        K.get_value(keras.Input((2,)))


def test_set_value_on_an_optimizer_learning_rate():
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    K.set_value(optimizer.learning_rate, 0.01)
    assert abs(K.get_value(optimizer.learning_rate) - 0.01) < 1e-9


def test_shape_information():
    x = torch.zeros(2, 3, dtype=torch.int32)
    assert K.int_shape(x) == (2, 3) and K.ndim(x) == 2 and K.dtype(x) == "int32"
    shape = K.shape(x)
    assert shape.dtype == torch.int32 and shape.tolist() == [2, 3]
    symbolic = keras.Input((4, 5))
    assert K.int_shape(symbolic) == (None, 4, 5) and K.ndim(symbolic) == 3 and K.shape(symbolic) == (None, 4, 5)
    assert K.int_shape(np.zeros((1, 2))) == (1, 2)
    with pytest.raises(TypeError, match="`int_shape` argument `x`"):
        K.int_shape([1, 2])


def test_creation():
    close(K.zeros((2, 3)), np.zeros((2, 3)))
    close(K.ones((2,), dtype="int32"), np.ones(2))
    assert K.ones((2,), dtype="int32").dtype == torch.int32 and K.zeros(3).dtype == torch.float32
    close(K.eye(3), np.eye(3))
    close(K.eye((2, 4)), np.eye(2, 4))
    reference = torch.tensor([[1, 2]], dtype=torch.int16)
    assert K.zeros_like(reference).dtype == torch.int16
    close(K.ones_like(reference, dtype="float32"), np.ones((1, 2)))
    close(K.zeros(K.shape(reference)), np.zeros((1, 2)))
    close(K.constant(1.5, shape=(2, 2)), np.full((2, 2), 1.5))
    close(K.constant([[1, 2], [3, 4]], shape=(4,)), [1.0, 2.0, 3.0, 4.0])
    assert K.constant([1, 2]).dtype == torch.float32 and K.constant([1, 2], dtype="int64").dtype == torch.int64
    source = torch.ones(2)
    assert K.constant(source) is not source
    with pytest.raises(ValueError, match="`constant` argument `shape`"):
        K.constant([1.0, 2.0, 3.0], shape=(2, 2))
    with pytest.raises(ValueError, match="`zeros` argument `shape`"):
        K.zeros((2, -1))
    with pytest.raises(ValueError, match="`eye` argument `size`"):
        K.eye((2, 3, 4))


def test_random():
    uniform = K.eval(K.random_uniform((200, 100), minval=-2.0, maxval=3.0, seed=1))
    assert uniform.dtype == np.float32 and uniform.min() >= -2.0 and uniform.max() < 3.0
    assert abs(uniform.mean() - 0.5) < 0.05
    np.testing.assert_array_equal(uniform, K.eval(K.random_uniform((200, 100), minval=-2.0, maxval=3.0, seed=1)))
    integers = K.eval(K.random_uniform((1000,), minval=0, maxval=5, dtype="int32"))
    assert integers.dtype == np.int32 and set(np.unique(integers)) == {0, 1, 2, 3, 4}
    normal = K.eval(K.random_normal((200, 100), mean=1.0, stddev=2.0, seed=2))
    assert abs(normal.mean() - 1.0) < 0.05 and abs(normal.std() - 2.0) < 0.05
    np.testing.assert_array_equal(normal, K.eval(K.random_normal((200, 100), mean=1.0, stddev=2.0, seed=2)))
    x = torch.zeros(3, 4)
    assert K.int_shape(K.random_normal(shape=(K.shape(x)[0], K.int_shape(x)[1]))) == (3, 4)
    with pytest.raises(ValueError, match="`random_normal` argument `dtype`"):
        K.random_normal((2,), dtype="int32")
