import itertools

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


class MinimalCell(keras.layers.Layer):
    """A user-written cell: ``h_t = tanh(x W) + 0.5 * h_{t-1}`` (not one of the built-in cells)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

    def call(self, inputs, states):
        h = torch.tanh(inputs @ self.kernel) + 0.5 * states[0]
        return h, [h]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_common_checks():
    run_layer_test(keras.layers.RNN, {"cell": keras.layers.GRUCell(3), "return_sequences": True},
                   input_shape=(2, 4, 5), expected_output_shape=(2, 4, 3), expected_num_trainable_weights=3)
    run_layer_test(keras.layers.RNN, {"cell": [keras.layers.LSTMCell(3), keras.layers.SimpleRNNCell(2)]},
                   input_shape=(2, 4, 5), expected_output_shape=(2, 2), expected_num_trainable_weights=6)


def test_custom_cell_matches_a_manual_loop(sequences, masks):
    layer = keras.layers.RNN(MinimalCell(3), return_sequences=True, return_state=True)
    x = torch.as_tensor(sequences)
    seq, h = layer(x)
    state = torch.zeros(4, 3)
    for t in range(6):
        state = torch.tanh(x[:, t] @ layer.cell.kernel) + 0.5 * state
        torch.testing.assert_close(seq[:, t], state)
    torch.testing.assert_close(h, state)
    check_layer_gradients(keras.layers.RNN(MinimalCell(2), go_backwards=True), torch.randn(2, 3, 2))


def test_masked_step_keeps_state_and_repeats_output():
    layer = keras.layers.RNN(MinimalCell(1), return_sequences=True, return_state=True)
    layer(torch.zeros(1, 3, 1))
    layer.set_weights([np.array([[100.0]])])  # tanh(100 x) = sign(x)
    x = torch.tensor([[[1.0], [1.0], [1.0]]])
    seq, h = layer(x, mask=torch.tensor([[False, True, False]]))
    # step 0 masked: output 0 (nothing before), state 0; step 1: 1; step 2 masked: repeat 1, state 1
    np.testing.assert_allclose(seq.detach().numpy().ravel(), [0.0, 1.0, 1.0], atol=1e-6)
    assert h.item() == pytest.approx(1.0)
    zeroed = keras.layers.RNN(layer.cell, return_sequences=True, zero_output_for_mask=True)
    out = zeroed(x, mask=torch.tensor([[True, True, False]]))
    np.testing.assert_allclose(out.detach().numpy().ravel(), [1.0, 1.5, 0.0], atol=1e-6)


def test_go_backwards_returns_the_reversed_order():
    cell = MinimalCell(2)
    x = torch.randn(2, 5, 3)
    forward = keras.layers.RNN(cell, return_sequences=True)(x.flip(1))
    backward = keras.layers.RNN(cell, return_sequences=True, go_backwards=True)(x)
    torch.testing.assert_close(backward, forward)


def test_stateful_carries_states_and_reset_clears_them():
    layer = keras.layers.LSTM(3, stateful=True, return_state=True)
    x = torch.randn(2, 6, 4)
    reference = keras.layers.LSTM(3, return_state=True)
    layer(x[:, :3])
    reference(x)
    reference.set_weights(layer.get_weights())
    _, h_full, c_full = reference(x)
    _, h, c = layer(x[:, 3:])  # continues from the first half
    torch.testing.assert_close(h, h_full)
    torch.testing.assert_close(c, c_full)
    torch.testing.assert_close(layer.states[0], h)
    layer.reset_states()
    assert all(float(s.abs().sum()) == 0 for s in layer.states)
    _, h_fresh, _ = layer(x[:, 3:])
    torch.testing.assert_close(h_fresh, reference(x[:, 3:])[1])
    layer.reset_states([np.ones((2, 3)), np.zeros((2, 3))])
    torch.testing.assert_close(layer.states[0], torch.ones(2, 3))
    with pytest.raises(ValueError, match=r"'lstm' \(LSTM\) is stateful with batch size 2; it received a batch of 3"):
        layer(torch.randn(3, 2, 4))


def test_stateful_in_a_sequential_model():
    model = keras.Sequential([keras.Input(batch_shape=(2, 3, 1)), keras.layers.SimpleRNN(2, stateful=True)])
    x = torch.randn(2, 3, 1)
    first = model(x)
    second = model(x)
    assert not torch.allclose(first, second)
    model.layers[0].reset_states()
    torch.testing.assert_close(model(x), first)


def test_reset_states_needs_stateful():
    with pytest.raises(AttributeError, match=r"'gru' \(GRU\) is not stateful"):
        keras.layers.GRU(2).reset_states()


def test_initial_state_checks():
    layer = keras.layers.LSTM(3)
    with pytest.raises(ValueError, match=r"argument `initial_state` must have 2 tensors \(state sizes \[3, 3\]\); "
                                         r"received 1"):
        layer(torch.randn(2, 4, 1), initial_state=[torch.zeros(2, 3)])
    with pytest.raises(ValueError, match=r"must hold tensors of shape \(batch, state size\)"):
        layer(torch.randn(2, 4, 1), initial_state=[torch.zeros(2, 4), torch.zeros(2, 3)])


def test_unroll_is_accepted_and_changes_nothing(sequences):
    x = torch.as_tensor(sequences)
    layer = keras.layers.GRU(3, return_sequences=True)
    unrolled = keras.layers.GRU(3, return_sequences=True, unroll=True)
    layer(x)
    unrolled(x)
    unrolled.set_weights(layer.get_weights())
    torch.testing.assert_close(unrolled(x), layer(x))
    assert unrolled.get_config()["unroll"] is True


def test_output_mask():
    x = torch.randn(2, 3, 1)
    x._keras_mask = torch.tensor([[True, True, False], [True, False, False]])
    assert torch.equal(keras.layers.GRU(2, return_sequences=True)(x)._keras_mask, x._keras_mask)
    assert getattr(keras.layers.GRU(2)(x), "_keras_mask", None) is None
    out, h = keras.layers.GRU(2, return_sequences=True, return_state=True)(x)
    assert torch.equal(out._keras_mask, x._keras_mask) and getattr(h, "_keras_mask", None) is None


def test_symbolic_return_state_and_initial_state_inputs():
    inputs = keras.Input((5, 3))
    h0, c0 = keras.Input((4,)), keras.Input((4,))
    seq, h, c = keras.layers.LSTM(4, return_sequences=True, return_state=True)(inputs, initial_state=[h0, c0])
    assert seq.shape == (None, 5, 4) and h.shape == (None, 4) and c.shape == (None, 4)
    model = keras.Model([inputs, h0, c0], [seq, h, c])
    x = torch.randn(2, 5, 3)
    s0 = [torch.randn(2, 4), torch.randn(2, 4)]
    got = model([x, *s0])
    expected = model.layers[-1](x, initial_state=s0)
    for a, b in zip(got, expected):
        torch.testing.assert_close(a, b)


def test_stacked_return_state_structure():
    layer = keras.layers.RNN([keras.layers.LSTMCell(3), keras.layers.GRUCell(2)], return_state=True)
    out, lstm_states, gru_states = layer(torch.randn(2, 4, 5))
    assert tuple(out.shape) == (2, 2) and len(lstm_states) == 2 and len(gru_states) == 1
    spec = layer.compute_output_shape((None, 4, 5))
    assert spec == ((None, 2), [(None, 3), (None, 3)], [(None, 2)])


def test_invalid_cell():
    with pytest.raises(ValueError, match="`RNN` argument `cell` must be an RNN cell"):
        keras.layers.RNN(keras.layers.Dense(2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("rseq,back", list(itertools.product([False, True], repeat=2)))
@pytest.mark.parametrize("mask_kind", ["none", "holes"])
def test_parity_with_keras_cells(keras_oracle, parity, sequences, masks, rseq, back, mask_kind):
    call = {} if masks[mask_kind] is None else {"mask": masks[mask_kind]}
    for name in ("SimpleRNNCell", "LSTMCell", "GRUCell"):
        kwargs = {"return_sequences": rseq, "go_backwards": back, "return_state": True}
        parity(keras_oracle.layers.RNN(getattr(keras_oracle.layers, name)(3), **kwargs),
               keras.layers.RNN(getattr(keras.layers, name)(3), **kwargs), sequences, **call)


@pytest.mark.keras_oracle
def test_parity_with_keras_stateful(keras_oracle, sequences):
    theirs = keras_oracle.layers.GRU(3, stateful=True)
    ours = keras.layers.GRU(3, stateful=True)
    theirs(sequences)
    ours(torch.as_tensor(sequences))
    ours.set_weights(theirs.get_weights())
    theirs.reset_states()
    ours.reset_states()
    for _ in range(2):
        expected = keras_oracle.ops.convert_to_numpy(theirs(sequences))
        np.testing.assert_allclose(ours(torch.as_tensor(sequences)).detach().numpy(), expected, rtol=1e-5, atol=1e-6)
