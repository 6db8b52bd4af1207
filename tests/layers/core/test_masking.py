import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape", [({}, (2, 5, 3)), ({"mask_value": -1.0}, (3, 4, 2, 2))])
def test_common_checks(kwargs, shape):
    run_layer_test(keras.layers.Masking, kwargs, input_shape=shape, expected_output_shape=shape,
                   expected_num_trainable_weights=0, supports_masking=True)


def test_hand_computed_output_and_mask():
    x = torch.tensor([[[1.0, -1.0], [-1.0, -1.0], [0.0, -1.0]]])
    out = keras.layers.Masking(mask_value=-1.0)(x)
    np.testing.assert_array_equal(out.numpy(), [[[1.0, -1.0], [0.0, 0.0], [0.0, -1.0]]])
    assert out._keras_mask.tolist() == [[True, False, True]]


def test_mask_flows_into_a_recurrent_layer_in_a_model():
    model = keras.Sequential([keras.Input((4, 2)), keras.layers.Masking(), keras.layers.LSTM(3)])
    x = torch.randn(2, 4, 2)
    x[0, 2:] = 0.0  # padding
    out = model(x)
    torch.testing.assert_close(out[:1], model.layers[1](x[:1, :2]))
    torch.testing.assert_close(out[1:], model.layers[1](x[1:]))


def test_gradients():
    check_layer_gradients(keras.layers.Masking(), torch.randn(2, 3, 2))


def test_config_and_invalid_value():
    layer = keras.layers.Masking(mask_value=2.5, name="pad")
    assert keras.layers.Masking.from_config(layer.get_config()).mask_value == 2.5
    with pytest.raises(ValueError, match="`Masking` argument `mask_value` must be a number; received mask_value='x'"):
        keras.layers.Masking("x")


@pytest.mark.keras_oracle
def test_parity_with_keras(keras_oracle):
    x = np.random.RandomState(0).randn(3, 5, 2).astype("float32")
    x[0, 3:] = 0.0
    x[2, 1] = 0.0
    theirs = keras_oracle.layers.Masking()(x)
    ours = keras.layers.Masking()(torch.as_tensor(x))
    np.testing.assert_array_equal(ours.numpy(), keras_oracle.ops.convert_to_numpy(theirs))
    np.testing.assert_array_equal(ours._keras_mask.numpy(), keras_oracle.ops.convert_to_numpy(theirs._keras_mask))


@pytest.mark.parametrize("functional", [False, True])
def test_mask_attached_to_a_model_input_reaches_its_layers(functional):
    if functional:
        inputs = keras.Input((3, 2))
        model = keras.Model(inputs, keras.layers.SimpleRNN(2, return_sequences=True)(inputs))
    else:
        model = keras.Sequential([keras.Input((3, 2)), keras.layers.SimpleRNN(2, return_sequences=True)])
    x = torch.randn(2, 3, 2, dtype=torch.float64)  # converted by the model: the mask must survive
    x._keras_mask = torch.tensor([[True, False, True], [True, True, False]])
    out = model(x)
    assert torch.equal(out._keras_mask, x._keras_mask)
    torch.testing.assert_close(out[0, 1], out[0, 0])  # masked step repeats the previous output


def test_an_explicit_mask_wins_over_the_attached_one():
    layer = keras.layers.GRU(2, return_sequences=True)
    x = torch.randn(1, 3, 2)
    x._keras_mask = torch.tensor([[True, True, True]])
    explicit = torch.tensor([[True, False, True]])
    out = layer(x, mask=explicit)
    assert torch.equal(out._keras_mask, explicit)
    torch.testing.assert_close(out[0, 1], out[0, 0])
