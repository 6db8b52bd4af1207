import numpy as np
import pytest
import torch

import layerwise as keras


@pytest.mark.parametrize("cls,fn", [
    (keras.layers.Add, lambda a, b: a + b),
    (keras.layers.Subtract, lambda a, b: a - b),
    (keras.layers.Multiply, lambda a, b: a * b),
    (keras.layers.Average, lambda a, b: (a + b) / 2),
    (keras.layers.Maximum, np.maximum),
    (keras.layers.Minimum, np.minimum),
])
def test_elementwise_merges(cls, fn):
    a, b = np.random.RandomState(0).randn(2, 3, 4).astype("float32")
    out = cls()([torch.from_numpy(a), torch.from_numpy(b)])
    np.testing.assert_allclose(out.numpy(), fn(a, b), rtol=1e-6)
    x1, x2 = keras.Input((4,)), keras.Input((4,))
    assert cls()([x1, x2]).shape == (None, 4)


def test_broadcasting_shapes_and_error_names_both_shapes():
    assert keras.layers.Add()([keras.Input((3, 1)), keras.Input((3, 5))]).shape == (None, 3, 5)
    with pytest.raises(ValueError, match=r"Layer 'clash' \(Add\) received inputs with incompatible shapes "
                                         r"\(3,\) and \(4,\)"):
        keras.layers.Add(name="clash")([keras.Input((3,)), keras.Input((4,))])


def test_subtract_needs_two_inputs():
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        keras.layers.Subtract()([keras.Input((3,))] * 3)


def test_concatenate_and_shape_check():
    a, b = torch.randn(2, 3), torch.randn(2, 5)
    assert torch.equal(keras.layers.concatenate([a, b]), torch.cat([a, b], -1))
    assert keras.layers.Concatenate(axis=1)([keras.Input((2, 3)), keras.Input((4, 3))]).shape == (None, 6, 3)
    with pytest.raises(ValueError, match=r"match except on the concatenation axis -1; received shapes"):
        keras.layers.Concatenate()([keras.Input((2, 3)), keras.Input((4, 3))])


def test_dot_matches_batched_matmul_and_cosine():
    a, b = torch.randn(4, 5), torch.randn(4, 5)
    np.testing.assert_allclose(keras.layers.Dot(axes=1)([a, b]).numpy(), (a * b).sum(1, keepdim=True).numpy(),
                               rtol=1e-5)
    cosine = keras.layers.Dot(axes=1, normalize=True)([a, b])
    np.testing.assert_allclose(cosine.numpy()[:, 0], torch.nn.functional.cosine_similarity(a, b).numpy(), rtol=1e-5)
    x, y = torch.randn(2, 3, 4), torch.randn(2, 5, 4)
    out = keras.layers.Dot(axes=(2, 2))([x, y])
    np.testing.assert_allclose(out.numpy(), torch.bmm(x, y.transpose(1, 2)).numpy(), rtol=1e-5)
    assert keras.layers.Dot(axes=(2, 2))([keras.Input((3, 4)), keras.Input((5, 4))]).shape == (None, 3, 5)


def test_dot_parity_with_keras(keras_oracle):
    x = np.random.RandomState(1).randn(2, 3, 4).astype("float32")
    y = np.random.RandomState(2).randn(2, 4, 6).astype("float32")
    theirs = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.Dot(axes=(2, 1))([x, y]))
    ours = keras.layers.Dot(axes=(2, 1))([torch.from_numpy(x), torch.from_numpy(y)]).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_merge_needs_a_list():
    with pytest.raises(ValueError, match="list of inputs"):
        keras.layers.Add()(keras.Input((3,)))
