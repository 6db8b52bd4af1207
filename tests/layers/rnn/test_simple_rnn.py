import itertools

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({"units": 3}, (2, 5, 4), (2, 3)),
    ({"units": 2, "return_sequences": True, "activation": "relu"}, (3, 4, 2), (3, 4, 2)),
    ({"units": 4, "go_backwards": True, "use_bias": False, "activation": "sigmoid"}, (2, 3, 5), (2, 4)),
])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.SimpleRNN, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2 if kwargs.get("use_bias") is False else 3,
                   supports_masking=True)


@pytest.mark.parametrize("fused", ["auto", False])
def test_hand_computed_elman_recurrence(fused):
    layer = keras.layers.SimpleRNN(2, return_sequences=True, activation="relu")
    layer._use_fused = fused
    layer(torch.zeros(1, 2, 1))
    layer.set_weights([np.array([[1.0, -1.0]]), np.array([[0.5, 0.0], [1.0, 2.0]]), np.array([0.1, 0.2])])
    out = layer(torch.tensor([[[1.0], [2.0]]])).detach().numpy()[0]
    # h1 = relu([1, -1] + [0.1, 0.2]) = [1.1, 0]; h2 = relu([2, -2] + [0.1, 0.2] + [1.1*0.5, 0]) = [2.65, 0]
    np.testing.assert_allclose(out, [[1.1, 0.0], [2.65, 0.0]], rtol=1e-6)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_gradients(activation):
    for fused in ("auto", False):
        layer = keras.layers.SimpleRNN(3, return_sequences=True, activation=activation)
        layer._use_fused = fused
        check_layer_gradients(layer, torch.randn(2, 4, 2))


def test_cell_gradients():
    check_layer_gradients(keras.layers.RNN(keras.layers.SimpleRNNCell(3)), torch.randn(2, 3, 2))


@pytest.mark.parametrize("mask_kind", ["none", "right", "holes"])
def test_fused_and_step_paths_agree(sequences, masks, mask_kind, fused_calls):
    mask = None if masks[mask_kind] is None else torch.as_tensor(masks[mask_kind])
    x = torch.as_tensor(sequences)
    for activation, back in itertools.product(["tanh", "relu"], [False, True]):
        layer = keras.layers.SimpleRNN(5, activation=activation, return_sequences=True, return_state=True,
                                       go_backwards=back)
        fused_out = layer(x, mask=mask)
        layer._use_fused = False
        for a, b in zip(fused_out, layer(x, mask=mask)):
            torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    expected = [] if mask_kind == "holes" else ["rnn_tanh", "rnn_tanh", "rnn_relu", "rnn_relu"]
    assert fused_calls == expected


@pytest.mark.parametrize("mask_kind,back", [("right", False), ("holes", False), ("holes", True)])
def test_masking_equals_trimming(sequences, masks, mask_kind, back, trimmed_states_match):
    trimmed_states_match(keras.layers.SimpleRNN(4, return_state=True, go_backwards=back), sequences, masks[mask_kind])


@pytest.mark.keras_oracle
@pytest.mark.parametrize("rseq,rstate,back", list(itertools.product([False, True], repeat=3)))
@pytest.mark.parametrize("mask_kind", ["none", "right", "holes"])
def test_parity_with_keras(keras_oracle, parity, sequences, masks, rseq, rstate, back, mask_kind):
    kwargs = {"units": 5, "return_sequences": rseq, "return_state": rstate, "go_backwards": back}
    call = {} if masks[mask_kind] is None else {"mask": masks[mask_kind]}
    parity(keras_oracle.layers.SimpleRNN(**kwargs), keras.layers.SimpleRNN(**kwargs), sequences, **call)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{"units": 3, "activation": "relu"}, {"units": 2, "use_bias": False},
                                    {"units": 3, "activation": "elu", "return_sequences": True}])
def test_parity_with_keras_other_configs(keras_oracle, parity, sequences, kwargs):
    parity(keras_oracle.layers.SimpleRNN(**kwargs), keras.layers.SimpleRNN(**kwargs), sequences)


def test_cell_matches_layer_step():
    layer = keras.layers.SimpleRNN(3, return_sequences=True)
    x = torch.randn(2, 4, 5)
    seq = layer(x)
    h = torch.zeros(2, 3)
    for t in range(4):
        out, [h] = layer.cell(x[:, t], [h])
        torch.testing.assert_close(out, seq[:, t])


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`SimpleRNN` argument `units` must be a positive integer; received units=-2"):
        keras.layers.SimpleRNN(-2)
    with pytest.raises(ValueError, match="`SimpleRNNCell` argument `dropout` must be a number in"):
        keras.layers.SimpleRNNCell(2, dropout=2)
