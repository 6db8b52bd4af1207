"""``layerwise.backend`` (Keras 2's ``K.*`` functions) checked on numbers against NumPy and hand formulas.

Keras 3 (on its torch backend) is used as an oracle where it exposes the same function.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from layerwise import backend as K

from tests.backend.conftest import rand, close, oracle_numpy


# ---- products ---------------------------------------------------------------------------------
@pytest.mark.parametrize("x_shape, y_shape", [((2, 3), (3, 4)), ((2, 5, 3), (3, 4)), ((2, 3), (5, 3, 4)),
                                              ((2, 3, 4), (6, 4, 5))])
def test_dot_matches_numpy(x_shape, y_shape):
    x, y = rand(*x_shape), rand(*y_shape)
    close(K.dot(torch.from_numpy(x), torch.from_numpy(y)), np.dot(x.astype("float64"), y), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("x_shape, y_shape, axes, subscripts", [
    ((4, 3, 5), (4, 5, 2), None, "bnd,bdm->bnm"),  # (batch, n, d) . (batch, d, m)
    ((4, 3, 5), (4, 2, 5), 2, "bnd,bmd->bnm"),
    ((4, 3, 5), (4, 2, 5), (2, 2), "bnd,bmd->bnm"),
    ((4, 20, 1), (4, 30, 20), (1, 2), "bki,bjk->bij"),  # Keras 2's docstring example: shape (4, 1, 30)
    ((4, 5, 3), (4, 5, 2), (1, 1), "bdn,bdm->bnm"),
    ((4, 3, 5), (4, 5), None, "bnd,bd->bn"),
    ((4, 5), (4, 5, 2), None, "bd,bdm->bm"),
    ((4, 2, 3, 5), (4, 5, 6), None, "bpqd,bdm->bpqm"),
    ((4, 5), (4, 5, 2, 3), (1, 1), "bd,bdpq->bpq"),
    ((4, 5), (4, 2, 5, 3), None, "bd,bpdq->bpq"),
    ((4, 5), (4, 5), None, "bd,bd->b"),  # shape (batch, 1) in Keras 2, checked below
])
def test_batch_dot_matches_einsum(x_shape, y_shape, axes, subscripts):
    x, y = rand(*x_shape), rand(*y_shape)
    expected = np.einsum(subscripts, x.astype("float64"), y)
    if len(x_shape) == len(y_shape) == 2:
        expected = expected[:, None]
    close(K.batch_dot(torch.from_numpy(x), torch.from_numpy(y), axes=axes), expected, atol=1e-5)


def test_batch_dot_rejects_bad_inputs():
    with pytest.raises(ValueError, match="`batch_dot` needs inputs of rank 2"):
        K.batch_dot(torch.ones(3), torch.ones(3, 2))
    with pytest.raises(ValueError, match="same batch size"):
        K.batch_dot(torch.ones(3, 2), torch.ones(4, 2))
    with pytest.raises(ValueError, match="batch axis 0"):
        K.batch_dot(torch.ones(3, 2), torch.ones(3, 2), axes=(0, 1))
    with pytest.raises(ValueError, match="sizes 2 and 5 differ"):
        K.batch_dot(torch.ones(3, 4, 2), torch.ones(3, 5, 6))
    with pytest.raises(ValueError, match="`batch_dot` argument `axes`"):
        K.batch_dot(torch.ones(3, 2), torch.ones(3, 2), axes=((1,), (1,)))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("x_shape, y_shape, axes", [((4, 3, 5), (4, 5, 2), (2, 1)), ((4, 3, 5), (4, 2, 5), 2),
                                                    ((4, 5), (4, 5), 1), ((4, 5, 3), (4, 5, 2), (1, 1))])
def test_batch_dot_matches_keras_dot_layer(keras_oracle, x_shape, y_shape, axes):
    x, y = rand(*x_shape), rand(*y_shape)
    expected = keras_oracle.layers.Dot(axes=axes)([torch.from_numpy(x), torch.from_numpy(y)])
    close(K.batch_dot(torch.from_numpy(x), torch.from_numpy(y), axes=axes), oracle_numpy(expected),
          atol=1e-5)


# ---- shapes, joins, indexing ------------------------------------------------------------------
def test_shape_functions():
    x = torch.from_numpy(rand(2, 3, 4))
    close(K.transpose(x), np.transpose(x.numpy()))
    close(K.permute_dimensions(x, (2, 0, 1)), np.transpose(x.numpy(), (2, 0, 1)))
    close(K.reshape(x, (-1, 4)), x.numpy().reshape(-1, 4))
    close(K.reshape(x, (K.shape(x)[0], -1)), x.numpy().reshape(2, 12))
    close(K.flatten(x), x.numpy().reshape(-1))
    close(K.batch_flatten(x), x.numpy().reshape(2, -1))
    assert K.int_shape(K.batch_flatten(torch.zeros(0, 3, 4))) == (0, 12)
    assert K.int_shape(K.expand_dims(x)) == (2, 3, 4, 1)
    close(K.expand_dims(x, 1), np.expand_dims(x.numpy(), 1))
    close(K.squeeze(K.expand_dims(x, 1), 1), x.numpy())
    with pytest.raises(ValueError, match="`squeeze`"):
        K.squeeze(x, 1)
    with pytest.raises(ValueError, match="`permute_dimensions` argument `pattern`"):
        K.permute_dimensions(x, (0, 0, 1))


def test_joins_and_repeats():
    a, b = rand(2, 3), rand(2, 4)
    close(K.concatenate([torch.from_numpy(a), torch.from_numpy(b)]), np.concatenate([a, b], axis=-1))
    close(K.concatenate([torch.from_numpy(a), torch.from_numpy(a)], axis=0), np.concatenate([a, a], axis=0))
    close(K.stack([torch.from_numpy(a), torch.from_numpy(a * 2)], axis=1), np.stack([a, a * 2], axis=1))
    close(K.repeat_elements(torch.from_numpy(a), 3, axis=1), np.repeat(a, 3, axis=1))
    close(K.repeat_elements(torch.from_numpy(a), 2, axis=0), np.repeat(a, 2, axis=0))
    close(K.tile(torch.from_numpy(a), (2, 3)), np.tile(a, (2, 3)))
    close(K.tile(torch.from_numpy(a), [1, 2]), np.tile(a, (1, 2)))
    with pytest.raises(ValueError, match="`concatenate` argument `tensors`"):
        K.concatenate([])
    with pytest.raises(ValueError, match="`repeat_elements` argument `rep`"):
        K.repeat_elements(torch.from_numpy(a), -1, axis=0)


def test_gather_and_one_hot():
    reference = rand(5, 3)
    indices = np.array([[4, 0], [2, 2]])
    close(K.gather(torch.from_numpy(reference), torch.from_numpy(indices)), np.take(reference, indices, axis=0))
    labels = np.array([[0, 3], [1, 5]])  # 5 is out of range: an all-zero row, as tf.one_hot
    expected = np.zeros((2, 2, 4), dtype="float32")
    for i, j in np.ndindex(labels.shape):
        if labels[i, j] < 4:
            expected[i, j, labels[i, j]] = 1.0
    out = K.one_hot(torch.from_numpy(labels), 4)
    assert out.dtype == torch.float32
    close(out, expected)
    with pytest.raises(ValueError, match="`one_hot` argument `num_classes`"):
        K.one_hot(torch.from_numpy(labels), 0)
