"""``Softmax``: normalisation along axes, Keras's masking rules, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def _np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_keras_docstring_values():
    out = run_layer_test(keras.layers.Softmax, {}, input_data=torch.tensor([[1.0, 2.0, 1.0]]),
                         expected_output=[[0.21194157, 0.5761169, 0.21194157]], expected_num_trainable_weights=0,
                         supports_masking=True)
    assert float(out.sum()) == pytest.approx(1.0)


@pytest.mark.parametrize("axis", [-1, 1, [1, 2], (0, 2)])
def test_axes(axis):
    x = np.random.RandomState(0).randn(2, 3, 4) * 5
    np_axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    out = keras.layers.Softmax(axis=axis, dtype="float64")(torch.tensor(x))
    np.testing.assert_allclose(out.numpy(), _np_softmax(x, np_axis), rtol=1e-12)


def test_mask_gives_zero_probability_and_renormalises():
    x = torch.tensor([[1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0]])
    mask = torch.tensor([[True, False, True, False], [False, False, False, False]])
    out = keras.layers.Softmax()(x, mask=mask)
    e1, e3 = np.exp(1.0), np.exp(3.0)
    np.testing.assert_allclose(out.numpy(), [[e1 / (e1 + e3), 0, e3 / (e1 + e3), 0], [0, 0, 0, 0]], rtol=1e-6)
    # a float mask keeps positions > 0.5; a mask broadcasts from the right
    float_mask = torch.tensor([0.9, 0.1, 0.6, 0.0])
    torch.testing.assert_close(keras.layers.Softmax()(x[:1], mask=float_mask), out[:1])


def test_mask_broadcasts_over_heads_like_attention_scores():
    scores = torch.randn(2, 3, 4, 4, dtype=torch.float64)
    mask = torch.tril(torch.ones(4, 4, dtype=torch.bool))[None, None]  # (1, 1, 4, 4) causal
    out = keras.layers.Softmax(dtype="float64")(scores, mask=mask)
    expected = torch.softmax(scores.masked_fill(~mask, -torch.inf), dim=-1)
    torch.testing.assert_close(out, expected, rtol=1e-12, atol=1e-12)


def test_mask_from_the_previous_layer_is_used():
    x = torch.tensor([[0.0, 5.0, 0.0]])
    x._keras_mask = torch.tensor([[True, False, True]])
    assert keras.layers.Softmax()(x).tolist() == [[0.5, 0.0, 0.5]]


def test_symbolic_mask_argument(tmp_path):
    scores = keras.Input((3,))
    mask = keras.Input((3,), dtype="bool")
    model = keras.Model([scores, mask], keras.layers.Softmax()(scores, mask=mask))
    out = model([torch.tensor([[1.0, 1.0, 7.0]]), torch.tensor([[True, True, False]])])
    assert out.tolist() == [[0.5, 0.5, 0.0]]


@pytest.mark.parametrize("mask_shape", [(2, 3, 4, 1), (3,), (2, 5)])
def test_mask_that_does_not_broadcast_is_refused(mask_shape):
    with pytest.raises(ValueError, match=r"Layer 'softmax' \(Softmax\) argument `mask` must be broadcastable"):
        keras.layers.Softmax()(torch.zeros(2, 3, 4), mask=torch.ones(mask_shape, dtype=torch.bool))


def test_float16_uses_a_representable_large_negative():
    x = torch.tensor([[1.0, 2.0]], dtype=torch.float16)
    out = keras.layers.Softmax(dtype="float16")(x, mask=torch.tensor([[True, False]]))
    assert out.tolist() == [[1.0, 0.0]]


def test_gradients_and_config():
    check_layer_gradients(keras.layers.Softmax(axis=1, dtype="float64"), torch.randn(2, 3, 4))
    config = keras.layers.Softmax(axis=[1, 2]).get_config()
    assert config["axis"] == [1, 2] and keras.layers.Softmax.from_config(config).get_config() == config
    with pytest.raises(ValueError, match=r"`Softmax` argument `axis` must be an integer or a non-empty list"):
        keras.layers.Softmax(axis="last")


@pytest.mark.keras_oracle
@pytest.mark.parametrize("axis", [-1, 1, (1, 2)])
@pytest.mark.parametrize("with_mask", [False, True])
def test_parity_with_keras(keras_oracle, axis, with_mask):
    rs = np.random.RandomState(0)
    x = (rs.randn(2, 3, 4) * 3).astype("float32")
    mask = rs.rand(3, 4) > 0.4 if with_mask else None
    kwargs = {"mask": mask} if with_mask else {}
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.Softmax(axis=axis)(x, **kwargs))
    ours = keras.layers.Softmax(axis=axis)(torch.from_numpy(x), **({"mask": torch.from_numpy(mask)} if with_mask else {}))
    np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-6, atol=1e-7)
