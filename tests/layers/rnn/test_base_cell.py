import pytest
import torch

import layerwise as keras
from layerwise.layers.rnn.base_cell import fast_activation, is_activation


def test_fast_activation_and_is_activation():
    assert fast_activation(keras.activations.tanh) is torch.tanh
    assert fast_activation(keras.activations.elu) is keras.activations.elu
    assert is_activation(keras.activations.get("sigmoid"), "sigmoid") and not is_activation(torch.tanh, "relu")


@pytest.mark.parametrize("cls,gates", [(keras.layers.LSTMCell, 4), (keras.layers.GRUCell, 3),
                                       (keras.layers.SimpleRNNCell, 1)])
def test_dropout_masks(cls, gates):
    cell = cls(4, dropout=0.5, recurrent_dropout=0.25)
    x, h = torch.ones(8, 6), torch.ones(8, 4)
    inputs, recurrent = cell._dropout_masks(x, h, training=True)
    per_gate = gates if cls is not keras.layers.SimpleRNNCell else 1  # Keras's implementation=1
    assert len(inputs) == len(recurrent) == per_gate
    assert set(inputs[0].unique().tolist()) <= {0.0, 2.0}
    assert all(v == 0.0 or v == pytest.approx(4 / 3) for v in recurrent[0].unique().tolist())
    assert cell._dropout_masks(x, h, training=False) == (None, None)
    only_input = cls(4, dropout=0.5)
    inputs, recurrent = only_input._dropout_masks(x, h, training=True)
    assert len(inputs) == 1 and recurrent is None


def test_cell_accepts_a_single_state_tensor():
    cell = keras.layers.GRUCell(3)
    x = torch.randn(2, 4)
    out, state = cell(x, torch.zeros(2, 3))
    assert isinstance(state, torch.Tensor)
    torch.testing.assert_close(out, cell(x, [torch.zeros(2, 3)])[1][0])


def test_initial_state_and_config():
    cell = keras.layers.LSTMCell(3, dropout=0.1, seed=4, name="c")
    assert [tuple(s.shape) for s in cell.get_initial_state(batch_size=2)] == [(2, 3), (2, 3)]
    config = cell.get_config()
    assert config["dropout"] == 0.1 and config["seed"] == 4 and config["recurrent_activation"] == "sigmoid"
    assert keras.layers.LSTMCell.from_config(config).get_config() == config


def test_invalid_seed():
    with pytest.raises(ValueError, match="`GRUCell` argument `seed` must be an integer or None; received seed='a'"):
        keras.layers.GRUCell(2, seed="a")
