import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({"units": 3}, (2, 5, 4), (2, 3)),
    ({"units": 4, "output_units": 2, "return_sequences": True}, (3, 4, 2), (3, 4, 2)),
    ({"units": 4, "output_units": 1, "output_activation": "sigmoid", "use_bias": False, "go_backwards": True},
     (2, 3, 5), (2, 1)),
])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.JordanRNN, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=3 if kwargs.get("use_bias") is False else 5,
                   supports_masking=True)


def test_weights_names_shapes_and_state():
    layer = keras.layers.JordanRNN(5, output_units=2, return_state=True)
    y, state = layer(torch.randn(3, 4, 6))
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [
        ("kernel", (6, 5)), ("recurrent_kernel", (2, 5)), ("bias", (5,)), ("output_kernel", (5, 2)),
        ("output_bias", (2,))]
    assert layer.cell.state_size == 2 and layer.cell.output_size == 2
    torch.testing.assert_close(y, state)  # the state is the last output


def test_hand_computed_feeds_back_the_output():
    layer = keras.layers.JordanRNN(2, output_units=1, return_sequences=True)
    layer(torch.zeros(1, 2, 1))
    layer.set_weights([np.array([[1.0, 0.5]]), np.array([[2.0, -1.0]]), np.array([0.0, 0.1]),
                       np.array([[1.0], [-2.0]]), np.array([0.5])])
    x = [1.0, -1.0]
    y, expected = 0.0, []
    for value in x:
        h = np.tanh(np.array([value * 1.0 + y * 2.0 + 0.0, value * 0.5 - y * 1.0 + 0.1]))
        y = float(h[0] * 1.0 - h[1] * 2.0 + 0.5)  # linear output
        expected.append(y)
    out = layer(torch.tensor([[[1.0], [-1.0]]]))
    np.testing.assert_allclose(out.detach().numpy().ravel(), expected, rtol=1e-6)


def test_matches_a_reference_loop(sequences):
    layer = keras.layers.JordanRNN(4, output_units=3, output_activation="sigmoid", return_sequences=True,
                                   go_backwards=True)
    out = layer(torch.as_tensor(sequences)).detach().numpy()
    kernel, recurrent, bias, out_kernel, out_bias = layer.get_weights()
    y = np.zeros((4, 3), "float32")
    for step, t in enumerate(reversed(range(6))):
        h = np.tanh(sequences[:, t] @ kernel + y @ recurrent + bias)
        y = 1 / (1 + np.exp(-(h @ out_kernel + out_bias)))
        np.testing.assert_allclose(out[:, step], y, rtol=1e-5, atol=1e-6)


def test_gradients():
    check_layer_gradients(keras.layers.JordanRNN(3, output_units=2, output_activation="tanh", return_sequences=True),
                          torch.randn(2, 4, 3))
    check_layer_gradients(keras.layers.RNN(keras.layers.JordanRNNCell(2, output_units=3)), torch.randn(2, 3, 2))


@pytest.mark.parametrize("mask_kind,back", [("right", False), ("holes", False), ("holes", True)])
def test_masking_equals_trimming(sequences, masks, mask_kind, back, trimmed_states_match):
    layer = keras.layers.JordanRNN(4, output_units=2, return_state=True, go_backwards=back)
    trimmed_states_match(layer, sequences, masks[mask_kind])


def test_dropout_in_training_only():
    layer = keras.layers.JordanRNN(4, dropout=0.5, recurrent_dropout=0.5)
    x = torch.randn(3, 5, 2)
    torch.testing.assert_close(layer(x), layer(x))
    assert not torch.allclose(layer(x, training=True), layer(x))


def test_config_round_trip():
    layer = keras.layers.JordanRNN(6, output_units=2, output_activation="softmax", output_kernel_regularizer="l2",
                                   return_sequences=True, name="jordan")
    config = layer.get_config()
    assert config["output_units"] == 2 and config["output_activation"] == "softmax"
    assert keras.layers.JordanRNN.from_config(config).get_config() == config


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`JordanRNN` argument `output_units` must be a positive integer; "
                                         "received output_units=0"):
        keras.layers.JordanRNN(3, output_units=0)
    with pytest.raises(ValueError, match="`JordanRNNCell` argument `units` must be a positive integer"):
        keras.layers.JordanRNNCell(0)
