"""``Maxout``: the max over affine pieces by hand and against ``Dense`` + reshape + max, its weight
layout, gradients for input, kernel and bias, config, errors, and a maxout network learning XOR."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def test_hand_computed_output():
    # 2 units x 2 pieces, unit-major columns: [u0p0, u0p1, u1p0, u1p1]
    kernel = np.array([[1.0, -1.0, 2.0, 0.0],
                       [0.0, 0.0, 1.0, 3.0]], dtype="float32")
    bias = np.array([0.0, 0.0, 0.0, -1.0], dtype="float32")
    layer = keras.layers.Maxout(units=2, pieces=2)
    x = torch.tensor([[3.0, 1.0], [-2.0, 4.0]])
    layer(x)
    layer.set_weights([kernel, bias])
    # row 0: unit0 = max(3, -3) = 3; unit1 = max(2*3 + 1, 3*1 - 1) = 7
    # row 1: unit0 = max(-2, 2) = 2; unit1 = max(-4 + 4, 12 - 1) = 11
    assert layer(x).tolist() == [[3.0, 7.0], [2.0, 11.0]]


def test_layer_contract_and_weight_layout():
    run_layer_test(keras.layers.Maxout, {"units": 3, "pieces": 4}, input_shape=(5, 6), expected_output_shape=(5, 3),
                   expected_num_trainable_weights=2, expected_weight_shapes=[(6, 12), (12,)])
    run_layer_test(keras.layers.Maxout, {"units": 3, "pieces": 2, "use_bias": False}, input_shape=(2, 7, 6),
                   expected_output_shape=(2, 7, 3), expected_weight_shapes=[(6, 6)])
    layer = keras.layers.Maxout(3, 4)
    layer(torch.zeros(1, 6))
    assert [w.name for w in layer.weights] == ["kernel", "bias"]


@pytest.mark.parametrize("units,pieces", [(3, 4), (2, 1), (1, 5)])
def test_equals_dense_then_max_over_pieces(units, pieces):
    x = torch.randn(8, 5, dtype=torch.float64)
    maxout = keras.layers.Maxout(units, pieces, bias_initializer="random_normal", dtype="float64")
    dense = keras.layers.Dense(units * pieces, dtype="float64")
    maxout(x)
    dense(x)
    dense.set_weights(maxout.get_weights())
    expected = dense(x).reshape(8, units, pieces).amax(dim=-1)
    torch.testing.assert_close(maxout(x), expected, rtol=0, atol=0)
    # by the definition, piece by piece
    kernel, bias = (torch.as_tensor(w) for w in maxout.get_weights())
    pieces_out = [x @ kernel[:, k::pieces] + bias[k::pieces] for k in range(pieces)]
    torch.testing.assert_close(maxout(x), torch.stack(pieces_out).amax(dim=0))


def test_kernel_initialised_as_the_equivalent_dense():
    maxout = keras.layers.Maxout(50, 4, kernel_initializer="glorot_uniform")
    maxout(torch.zeros(1, 100))
    limit = np.sqrt(6 / (100 + 200))  # fans of Dense(units * pieces)
    kernel = maxout.kernel.detach().numpy()
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit
    assert np.allclose(maxout.bias.detach().numpy(), 0)


def test_gradients_for_input_kernel_and_bias():
    layer = keras.layers.Maxout(3, 2, bias_initializer="random_normal")
    check_layer_gradients(layer, torch.randn(4, 5))
    check_layer_gradients(keras.layers.Maxout(2, 3, use_bias=False), torch.randn(2, 3, 4))


def test_only_the_winning_piece_gets_gradient():
    layer = keras.layers.Maxout(1, 2, use_bias=False)
    layer(torch.zeros(1, 1))
    layer.set_weights([np.array([[1.0, -1.0]], dtype="float32")])
    layer(torch.tensor([[2.0]])).sum().backward()
    assert layer.kernel.grad.tolist() == [[2.0, 0.0]]


def test_regularizers_and_constraints():
    layer = keras.layers.Maxout(2, 3, kernel_regularizer="l2", bias_regularizer="l1",
                                kernel_constraint=keras.constraints.MaxNorm(1.0), bias_constraint="non_neg")
    layer(torch.ones(1, 4))
    assert len(layer.losses) == 2
    assert layer.kernel.constraint is not None and layer.bias.constraint is not None


def test_config_round_trip():
    layer = keras.layers.Maxout(4, 3, use_bias=False, kernel_initializer="he_normal", kernel_regularizer="l1")
    config = layer.get_config()
    assert (config["units"], config["pieces"], config["use_bias"]) == (4, 3, False)
    assert keras.layers.Maxout.from_config(config).get_config() == config


@pytest.mark.parametrize("kwargs,message", [
    ({"units": 0, "pieces": 2}, r"`Maxout` argument `units` must be a positive integer; received units=0"),
    ({"units": 2, "pieces": -1}, r"`Maxout` argument `pieces` must be a positive integer; received pieces=-1"),
    ({"units": 2, "pieces": 1.5}, r"`Maxout` argument `pieces` must be a positive integer; received pieces=1.5"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        keras.layers.Maxout(**kwargs)


def test_unknown_last_axis_is_refused():
    with pytest.raises(ValueError, match=r"Layer 'maxout' \(Maxout\) needs a known last input axis"):
        keras.layers.Maxout(2, 2)(keras.Input((None,)))


def test_maxout_network_learns_xor():
    keras.utils.set_random_seed(3)
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
    y = np.array([[0], [1], [1], [0]], dtype="float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Maxout(4, 3), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    history = model.fit(x, y, epochs=200, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < 0.05
    predictions = model.predict(x, verbose=0)
    np.testing.assert_array_equal((predictions > 0.5).astype("float32"), y)
