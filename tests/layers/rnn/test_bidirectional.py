import itertools

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,out_shape", [
    ({"layer": keras.layers.LSTM(3)}, (2, 6)),
    ({"layer": keras.layers.GRU(3, return_sequences=True), "merge_mode": "sum"}, (2, 4, 3)),
    ({"layer": keras.layers.JordanRNN(3, output_units=2), "merge_mode": "ave"}, (2, 2)),
])
def test_common_checks(kwargs, out_shape):
    run_layer_test(keras.layers.Bidirectional, kwargs, input_shape=(2, 4, 5), expected_output_shape=out_shape,
                   supports_masking=True)


def test_directions_and_weights():
    layer = keras.layers.Bidirectional(keras.layers.SimpleRNN(2, return_sequences=True, name="rnn"), merge_mode=None)
    x = torch.randn(3, 4, 5)
    y, y_rev = layer(x)
    assert layer.forward_layer.name == "forward_rnn" and layer.backward_layer.name == "backward_rnn"
    assert layer.backward_layer.go_backwards and not layer.forward_layer.go_backwards
    assert layer.weights == layer.forward_layer.weights + layer.backward_layer.weights
    torch.testing.assert_close(y, layer.forward_layer(x))
    torch.testing.assert_close(y_rev, layer.backward_layer(x).flip(1))  # back in input order
    concat = keras.layers.Bidirectional(keras.layers.SimpleRNN(2, return_sequences=True))
    concat(x)
    concat.set_weights(layer.get_weights())
    torch.testing.assert_close(concat(x), torch.cat([y, y_rev], -1))


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("rseq", [False, True])
def test_merge_modes_hand_computed(merge_mode, rseq):
    # SimpleRNN(1) with kernel 1, recurrent kernel 0, bias 0 and a linear activation outputs its input:
    # the forward direction gives x, the backward one x read from the end (flipped back to input order)
    layer = keras.layers.Bidirectional(keras.layers.SimpleRNN(1, activation=None, return_sequences=rseq),
                                       merge_mode=merge_mode)
    x = torch.tensor([[[1.0], [2.0], [4.0]]])
    layer(x)
    layer.set_weights([np.array([[1.0]]), np.array([[0.0]]), np.array([0.0]),
                       np.array([[3.0]]), np.array([[0.0]]), np.array([0.0])])  # backward: 3 * x
    forward, backward = (np.array([1.0, 2.0, 4.0]), np.array([3.0, 6.0, 12.0])) if rseq else \
        (np.array([4.0]), np.array([3.0]))  # last step: forward reads x[2], backward x[0]
    expected = {"concat": np.stack([forward, backward], -1), "sum": (forward + backward)[:, None],
                "mul": (forward * backward)[:, None], "ave": ((forward + backward) / 2)[:, None]}
    out = layer(x)
    if merge_mode is None:
        assert isinstance(out, (list, tuple)) and len(out) == 2
        np.testing.assert_allclose(out[0].detach().numpy().reshape(-1), forward)
        np.testing.assert_allclose(out[1].detach().numpy().reshape(-1), backward)
        return
    got = out.detach().numpy()[0]
    np.testing.assert_allclose(got if rseq else got[None], expected[merge_mode], rtol=1e-6)
    assert tuple(out.shape) == tuple(layer.compute_output_shape((1, 3, 1)))


@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN", "JordanRNN"])
@pytest.mark.parametrize("mask_kind", ["right", "holes"])
def test_masking_equals_trimming(sequences, masks, mask_kind, name, trimmed_states_match):
    layer = keras.layers.Bidirectional(getattr(keras.layers, name)(3, return_state=True))
    trimmed_states_match(layer, sequences, masks[mask_kind])


@pytest.mark.parametrize("name,kernel", [("LSTM", "lstm"), ("GRU", "gru"), ("SimpleRNN", "rnn_tanh")])
@pytest.mark.parametrize("mask_kind", ["none", "right"])
def test_fused_and_step_paths_agree(sequences, masks, name, kernel, mask_kind, fused_calls):
    mask = None if masks[mask_kind] is None else torch.as_tensor(masks[mask_kind])
    x = torch.as_tensor(sequences)
    for merge_mode in ("concat", "ave"):
        layer = keras.layers.Bidirectional(getattr(keras.layers, name)(3, return_sequences=True), merge_mode=merge_mode)
        for direction in (layer.forward_layer, layer.backward_layer):
            direction._use_fused = True  # the fused kernel, or an error
        fused_out = layer(x, mask=mask)
        for direction in (layer.forward_layer, layer.backward_layer):
            direction._use_fused = False
        torch.testing.assert_close(fused_out, layer(x, mask=mask), rtol=1e-5, atol=1e-6)
    assert fused_calls == [kernel] * 4


def test_return_state_and_initial_state_split():
    layer = keras.layers.Bidirectional(keras.layers.LSTM(2, return_state=True))
    x = torch.randn(3, 4, 1)
    out, fh, _, bh, _ = layer(x)
    assert tuple(out.shape) == (3, 4)
    torch.testing.assert_close(out, torch.cat([fh, bh], -1))
    states = [torch.randn(3, 2) for _ in range(4)]
    out2 = layer(x, initial_state=states)[0]
    torch.testing.assert_close(out2[:, :2], layer.forward_layer(x, initial_state=states[:2])[0])
    torch.testing.assert_close(out2[:, 2:], layer.backward_layer(x, initial_state=states[2:])[0])


def test_masked_sequence_outputs_are_zero_in_both_directions(masks, sequences):
    layer = keras.layers.Bidirectional(keras.layers.GRU(2, return_sequences=True))
    mask = torch.as_tensor(masks["right"])
    out = layer(torch.as_tensor(sequences), mask=mask)
    assert float(out[~mask].detach().abs().sum()) == 0.0
    assert torch.equal(out._keras_mask, mask)


def test_gradients():
    check_layer_gradients(keras.layers.Bidirectional(keras.layers.LSTM(2, return_sequences=True)), torch.randn(2, 3, 2))


def test_custom_backward_layer_and_checks():
    backward = keras.layers.GRU(3, go_backwards=True, name="back")
    layer = keras.layers.Bidirectional(keras.layers.LSTM(3), backward_layer=backward)
    assert layer.backward_layer is backward
    assert tuple(layer(torch.randn(2, 4, 2)).shape) == (2, 6)
    with pytest.raises(ValueError, match="must have different `go_backwards`"):
        keras.layers.Bidirectional(keras.layers.LSTM(3), backward_layer=keras.layers.LSTM(3))
    with pytest.raises(ValueError, match="must have the same `return_sequences`"):
        keras.layers.Bidirectional(keras.layers.LSTM(3), backward_layer=keras.layers.LSTM(3, go_backwards=True,
                                                                                          return_sequences=True))
    with pytest.raises(ValueError, match="`Bidirectional` argument `merge_mode` must be one of"):
        keras.layers.Bidirectional(keras.layers.LSTM(3), merge_mode="max")
    with pytest.raises(ValueError, match="`Bidirectional` argument `layer` must be a recurrent layer"):
        keras.layers.Bidirectional(keras.layers.Dense(3))


def test_stateful_reset():
    layer = keras.layers.Bidirectional(keras.layers.SimpleRNN(2, stateful=True))
    x = torch.randn(2, 3, 1)
    first = layer(x)
    assert not torch.allclose(layer(x), first)
    layer.reset_states()
    torch.testing.assert_close(layer(x), first)
    assert len(layer.states) == 2


def test_config_round_trip_keeps_both_layers():
    layer = keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True), merge_mode="mul",
                                       backward_layer=keras.layers.GRU(3, return_sequences=True, go_backwards=True))
    revived = keras.layers.Bidirectional.from_config(layer.get_config())
    assert revived.merge_mode == "mul" and type(revived.backward_layer).__name__ == "GRU"
    assert revived.get_config() == layer.get_config()


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name,merge,rseq,rstate", [
    *(("LSTM", *c) for c in itertools.product(["concat", "sum", "mul", "ave", None], [False, True], [False, True])),
    *(("GRU", *c) for c in itertools.product(["concat", None], [False, True], [True])),
    *(("SimpleRNN", "ave", rseq, False) for rseq in (False, True)),
])
def test_parity_with_keras(keras_oracle, parity, sequences, masks, merge, rseq, rstate, name):
    kwargs = {"units": 3, "return_sequences": rseq, "return_state": rstate}
    for mask in (None, masks["right"], masks["holes"]):
        call = {} if mask is None else {"mask": mask}
        parity(keras_oracle.layers.Bidirectional(getattr(keras_oracle.layers, name)(**kwargs), merge_mode=merge),
               keras.layers.Bidirectional(getattr(keras.layers, name)(**kwargs), merge_mode=merge), sequences, **call)


@pytest.mark.keras_oracle
def test_symbolic_shapes_match_keras(keras_oracle):
    for merge, rstate in itertools.product(["concat", None], [False, True]):
        theirs = keras_oracle.layers.Bidirectional(keras_oracle.layers.LSTM(3, return_state=rstate), merge_mode=merge)
        ours = keras.layers.Bidirectional(keras.layers.LSTM(3, return_state=rstate), merge_mode=merge)
        expected = theirs.compute_output_shape((None, 4, 2))
        assert ours(keras.Input((4, 2))) is not None
        got = ours.compute_output_shape((None, 4, 2))
        assert [tuple(s) for s in (got if isinstance(got[0], tuple) else [got])] == \
            [tuple(s) for s in (expected if isinstance(expected[0], tuple) else [expected])]
