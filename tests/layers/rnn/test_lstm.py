import itertools
import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({"units": 3}, (2, 5, 4), (2, 3)),
    ({"units": 2, "return_sequences": True}, (3, 4, 2), (3, 4, 2)),
    ({"units": 4, "go_backwards": True, "use_bias": False}, (2, 3, 5), (2, 4)),
    ({"units": 2, "activation": "relu", "recurrent_activation": "hard_sigmoid"}, (2, 3, 2), (2, 2)),
])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.LSTM, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2 if kwargs.get("use_bias") is False else 3,
                   supports_masking=True)


def test_weight_shapes_names_and_unit_forget_bias():
    layer = keras.layers.LSTM(3)
    layer(torch.zeros(1, 2, 5))
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [
        ("kernel", (5, 12)), ("recurrent_kernel", (3, 12)), ("bias", (12,))]
    np.testing.assert_array_equal(layer.cell.bias.detach().numpy(), [0] * 3 + [1] * 3 + [0] * 6)
    no_forget = keras.layers.LSTM(3, unit_forget_bias=False)
    no_forget(torch.zeros(1, 2, 5))
    assert float(no_forget.cell.bias.detach().abs().sum()) == 0.0


def _sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


@pytest.mark.parametrize("fused", ["auto", False])
def test_hand_computed_two_steps(fused):
    layer = keras.layers.LSTM(1, return_sequences=True, return_state=True)
    layer._use_fused = fused
    layer(torch.zeros(1, 2, 1))
    kernel, recurrent, bias = [0.5, -0.5, 1.0, 2.0], [0.1, 0.2, 0.3, 0.4], [0.0, 1.0, 0.0, -1.0]
    layer.set_weights([np.array([kernel]), np.array([recurrent]), np.array(bias)])
    h = c = 0.0
    expected = []
    for x in (1.0, 2.0):
        z = [x * k + h * r + b for k, r, b in zip(kernel, recurrent, bias)]  # gates i, f, c, o
        c = _sigmoid(z[1]) * c + _sigmoid(z[0]) * math.tanh(z[2])
        h = _sigmoid(z[3]) * math.tanh(c)
        expected.append(h)
    seq, h_out, c_out = layer(torch.tensor([[[1.0], [2.0]]]))
    np.testing.assert_allclose(seq.detach().numpy().ravel(), expected, rtol=1e-6)
    assert h_out.item() == pytest.approx(h, rel=1e-6) and c_out.item() == pytest.approx(c, rel=1e-6)


@pytest.mark.parametrize("fused", ["auto", False])
def test_gradients(fused):
    layer = keras.layers.LSTM(3, return_sequences=True)
    layer._use_fused = fused
    check_layer_gradients(layer, torch.randn(2, 4, 2))


def test_cell_gradients():
    check_layer_gradients(keras.layers.RNN(keras.layers.LSTMCell(2), go_backwards=True), torch.randn(2, 3, 2))


@pytest.mark.parametrize("mask_kind", ["none", "right", "holes"])
def test_fused_and_step_paths_agree(sequences, masks, mask_kind, fused_calls):
    mask = None if masks[mask_kind] is None else torch.as_tensor(masks[mask_kind])
    x = torch.as_tensor(sequences)
    for rseq, back, rstate in itertools.product([False, True], repeat=3):
        layer = keras.layers.LSTM(5, return_sequences=rseq, return_state=rstate, go_backwards=back)
        layer._use_fused = mask_kind != "holes"  # force the fused kernel where it applies
        fused_out = layer(x, mask=mask)
        layer._use_fused = False
        steps_out = layer(x, mask=mask)
        for a, b in zip(fused_out if rstate else [fused_out], steps_out if rstate else [steps_out]):
            torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    assert fused_calls == ([] if mask_kind == "holes" else ["lstm"] * 8)


def test_automatic_path_choice(sequences, masks, fused_calls):
    x, right, holes = torch.as_tensor(sequences), torch.as_tensor(masks["right"]), torch.as_tensor(masks["holes"])
    keras.layers.LSTM(3)(x, mask=right)  # fused: the final c is not needed
    keras.layers.LSTM(3, return_sequences=True)(x)
    assert fused_calls == ["lstm", "lstm"]
    keras.layers.LSTM(3, return_state=True)(x, mask=right)  # CPU: packing is slower than the steps
    keras.layers.LSTM(3)(x, mask=holes)  # not right-padded
    keras.layers.LSTM(3, recurrent_dropout=0.5)(x, training=True)
    keras.layers.LSTM(3, activation="relu")(x)
    assert fused_calls == ["lstm", "lstm"]


@pytest.mark.parametrize("mask_kind,back", [("right", False), ("right", True), ("holes", False), ("holes", True)])
def test_masking_equals_trimming(sequences, masks, mask_kind, back, trimmed_states_match):
    for fused in ("auto", False):
        layer = keras.layers.LSTM(4, return_state=True, go_backwards=back)
        layer._use_fused = fused
        trimmed_states_match(layer, sequences, masks[mask_kind])


@pytest.mark.keras_oracle
@pytest.mark.parametrize("rseq,rstate,back", list(itertools.product([False, True], repeat=3)))
@pytest.mark.parametrize("mask_kind", ["none", "right", "holes"])
def test_parity_with_keras(keras_oracle, parity, sequences, masks, rseq, rstate, back, mask_kind):
    kwargs = {"units": 5, "return_sequences": rseq, "return_state": rstate, "go_backwards": back}
    call = {} if masks[mask_kind] is None else {"mask": masks[mask_kind]}
    parity(keras_oracle.layers.LSTM(**kwargs), keras.layers.LSTM(**kwargs), sequences, **call)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{"units": 3, "activation": "relu"}, {"units": 2, "use_bias": False},
                                    {"units": 3, "recurrent_activation": "hard_sigmoid", "return_sequences": True}])
def test_parity_with_keras_other_configs(keras_oracle, parity, sequences, kwargs):
    parity(keras_oracle.layers.LSTM(**kwargs), keras.layers.LSTM(**kwargs), sequences)


@pytest.mark.keras_oracle
def test_config_compatible_with_keras(keras_oracle):
    theirs = keras_oracle.layers.LSTM(3, dropout=0.25, go_backwards=True).get_config()
    # Keras 3.15's GlorotUniform config has `input_axes`/`output_axes`, which layerwise's
    # initializers do not take yet: name the initializers instead.
    ours = keras.layers.LSTM.from_config({**theirs, "kernel_initializer": "glorot_uniform"})
    assert ours.units == 3 and ours.dropout == 0.25 and ours.go_backwards
    assert set(theirs) <= set(ours.get_config())


def test_initial_state_continues_a_sequence():
    layer = keras.layers.LSTM(2, return_state=True)
    x = torch.randn(3, 4, 2)
    _, h, c = layer(x)
    _, h_half, c_half = layer(x[:, :2])
    _, h2, c2 = layer(x[:, 2:], initial_state=[h_half, c_half])
    torch.testing.assert_close(h2, h)
    torch.testing.assert_close(c2, c)
    assert not torch.allclose(layer(x[:, 2:])[1], h)


def test_dropout_only_in_training():
    layer = keras.layers.LSTM(4, dropout=0.5, recurrent_dropout=0.5, seed=3)
    x = torch.randn(2, 5, 3)
    torch.testing.assert_close(layer(x), layer(x))
    assert not torch.allclose(layer(x, training=True), layer(x))


def test_use_cudnn_true_refuses_an_unfusable_call(masks, sequences):
    layer = keras.layers.LSTM(2, use_cudnn=True)
    layer(torch.as_tensor(sequences), mask=torch.as_tensor(masks["right"]))
    with pytest.raises(ValueError, match=r"'lstm' \(LSTM\) was asked to use the fused kernel"):
        layer(torch.as_tensor(sequences), mask=torch.as_tensor(masks["holes"]))


@pytest.mark.parametrize("kwargs,match", [
    ({"units": 0}, "`LSTM` argument `units` must be a positive integer; received units=0"),
    ({"units": 2, "dropout": 1.5}, r"`LSTM` argument `dropout` must be a number in \[0, 1\]"),
    ({"units": 2, "use_cudnn": "yes"}, "`LSTM` argument `use_cudnn` must be one of"),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.layers.LSTM(**kwargs)


def test_bad_input_rank_and_mask_shape():
    layer = keras.layers.LSTM(2)
    with pytest.raises(ValueError, match=r"Layer 'lstm' \(LSTM\) expects inputs of shape \(batch, time, features\); "
                                         r"received shape \(2, 3\)"):
        layer(torch.zeros(2, 3))
    layer(torch.zeros(2, 3, 1))
    with pytest.raises(ValueError, match=r"layer 'lstm' \(LSTM\).*expected rank 3"):
        layer(torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r"argument `mask` must have shape \(batch, timesteps\) = \(2, 3\)"):
        layer(torch.zeros(2, 3, 1), mask=torch.ones(2, 4, dtype=torch.bool))
