import os

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({"input_dim": 10, "output_dim": 4}, (2, 5), (2, 5, 4)),
    ({"input_dim": 5, "output_dim": 3, "mask_zero": True}, (3, 2, 4), (3, 2, 4, 3)),
    ({"input_dim": 7, "output_dim": 2, "embeddings_initializer": "ones"}, (4,), (4, 2)),
])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.Embedding, kwargs, input_shape=shape, input_dtype="int64",
                   expected_output_shape=out_shape, expected_output_dtype="float32",
                   expected_num_trainable_weights=1, supports_masking=kwargs.get("mask_zero", False))


def test_hand_computed_lookup():
    table = np.arange(12, dtype="float32").reshape(4, 3)
    layer = keras.layers.Embedding(4, 3, weights=[table])
    assert layer.built and [w.name for w in layer.weights] == ["embeddings"]
    out = layer(torch.tensor([[3, 0], [1, 1]]))
    np.testing.assert_array_equal(out.detach().numpy(), table[[[3, 0], [1, 1]]])
    np.testing.assert_array_equal(layer(torch.tensor([2.9])).detach().numpy(), table[[2]])  # floats truncate


def test_default_initializer_is_keras_uniform():
    layer = keras.layers.Embedding(200, 50)
    layer(torch.zeros(1, 1, dtype=torch.long))
    values = layer.embeddings.detach()
    assert float(values.min()) >= -0.05 and float(values.max()) <= 0.05 and float(values.std()) > 0.02


def test_mask_zero():
    ids = torch.tensor([[4, 2, 0, 0], [1, 0, 0, 0]])
    out = keras.layers.Embedding(5, 2, mask_zero=True)(ids)
    assert torch.equal(out._keras_mask, ids != 0)
    assert getattr(keras.layers.Embedding(5, 2)(ids), "_keras_mask", None) is None


def test_gradients_reach_only_the_rows_used():
    check_layer_gradients(keras.layers.Embedding(6, 3), torch.tensor([[1, 2], [2, 5]]))
    layer = keras.layers.Embedding(6, 3)
    layer(torch.tensor([[1, 2, 2]])).sum().backward()
    assert layer.embeddings.grad[[1, 2]].abs().sum() > 0 and layer.embeddings.grad[[0, 3, 4, 5]].abs().sum() == 0


def test_input_length_is_accepted_and_ignored():
    layer = keras.layers.Embedding(10, 3, input_length=7)
    assert tuple(layer(torch.zeros(2, 4, dtype=torch.long)).shape) == (2, 4, 3)
    assert "input_length" not in layer.get_config()


def test_config_round_trip():
    layer = keras.layers.Embedding(9, 2, mask_zero=True, embeddings_regularizer="l2", name="emb")
    config = layer.get_config()
    assert config["mask_zero"] is True and config["input_dim"] == 9
    assert keras.layers.Embedding.from_config(config).get_config() == config


@pytest.mark.parametrize("kwargs,match", [
    ({"input_dim": 0, "output_dim": 2}, ("`Embedding` argument `input_dim` must be a positive integer; received "
                                         "input_dim=0")),
    ({"input_dim": 3, "output_dim": "4"}, "`Embedding` argument `output_dim` must be a positive integer"),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.layers.Embedding(**kwargs)


@pytest.mark.keras_oracle
def test_parity_with_keras(keras_oracle):
    ids = np.array([[1, 2, 0, 0], [3, 9, 4, 0]])
    theirs = keras_oracle.layers.Embedding(10, 3, mask_zero=True)
    expected = keras_oracle.ops.convert_to_numpy(theirs(ids))
    ours = keras.layers.Embedding(10, 3, mask_zero=True)
    ours(torch.as_tensor(ids))
    ours.set_weights(theirs.get_weights())
    out = ours(torch.as_tensor(ids))
    np.testing.assert_array_equal(out.detach().numpy(), expected)
    np.testing.assert_array_equal(out._keras_mask.numpy(), keras_oracle.ops.convert_to_numpy(theirs.compute_mask(ids)))


# ---- masks through models, into recurrent layers and losses -------------------------------------------
def _padded_ids(seed=0):
    rng = np.random.RandomState(seed)
    ids = rng.randint(1, 10, size=(6, 5))
    for row, length in enumerate([5, 3, 1, 4, 2, 5]):
        ids[row, length:] = 0
    return ids


def _tagger(lib, functional):
    if not functional:
        return lib.Sequential([lib.Input((5,), dtype="int32"), lib.layers.Embedding(10, 4, mask_zero=True),
                               lib.layers.LSTM(6, return_sequences=True),
                               lib.layers.Dense(3, activation="softmax")])
    inputs = lib.Input((5,), dtype="int32")
    x = lib.layers.Embedding(10, 4, mask_zero=True)(inputs)
    x = lib.layers.Bidirectional(lib.layers.GRU(3, return_sequences=True))(x)
    outputs = lib.layers.TimeDistributed(lib.layers.Dense(3, activation="softmax"))(x)
    return lib.Model(inputs, outputs)


@pytest.mark.parametrize("functional", [False, True])
def test_mask_reaches_the_output_and_masked_steps_contribute_nothing_to_the_loss(functional):
    model = _tagger(keras, functional)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    ids = torch.as_tensor(_padded_ids())
    labels = torch.as_tensor(np.random.RandomState(1).randint(0, 3, size=(6, 5)))
    out = model(ids)
    assert torch.equal(out._keras_mask, ids != 0)

    def loss_and_grads(y):
        model.zero_grad()
        loss = model.compute_loss(x=ids, y=y, y_pred=model(ids))
        loss.backward()
        return loss.detach(), [w.grad.clone() for w in model.trainable_weights]

    relabelled = torch.where(ids == 0, (labels + 1) % 3, labels)
    (loss_a, grads_a), (loss_b, grads_b) = loss_and_grads(labels), loss_and_grads(relabelled)
    torch.testing.assert_close(loss_a, loss_b)
    for a, b in zip(grads_a, grads_b):
        torch.testing.assert_close(a, b)
    valid = ids != 0
    per_step = -torch.log(out.detach().gather(-1, labels.unsqueeze(-1)).squeeze(-1))
    torch.testing.assert_close(loss_a, per_step[valid].mean(), rtol=1e-5, atol=1e-6)


def test_padded_sequence_gives_the_unpadded_result():
    model = keras.Sequential([keras.Input((5,), dtype="int32"), keras.layers.Embedding(10, 4, mask_zero=True),
                              keras.layers.GRU(3), keras.layers.Dense(2)])
    ids = torch.as_tensor(_padded_ids())
    out = model(ids)
    for row in range(ids.shape[0]):
        kept = ids[row][ids[row] != 0].unsqueeze(0)
        unpadded = model.layers[2](model.layers[1](model.layers[0](kept)))
        torch.testing.assert_close(out[row:row + 1], unpadded, rtol=1e-5, atol=1e-6)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("functional", [False, True])
def test_masked_loss_matches_keras(keras_oracle, functional):
    os.environ.setdefault("KERAS_BACKEND", "torch")
    theirs, ours = _tagger(keras_oracle, functional), _tagger(keras, functional)
    ours.set_weights(theirs.get_weights())
    ids, labels = _padded_ids(), np.random.RandomState(1).randint(0, 3, size=(6, 5))
    theirs.compile(loss="sparse_categorical_crossentropy")
    ours.compile(loss="sparse_categorical_crossentropy")
    expected = theirs.evaluate(ids, labels, verbose=0)
    assert ours.evaluate(ids, labels, verbose=0) == pytest.approx(expected, rel=1e-5)
    np.testing.assert_allclose(ours.predict(ids, verbose=0), theirs.predict(ids, verbose=0), rtol=1e-5, atol=1e-6)
