import itertools

import pytest
import torch

import layerwise as keras
from layerwise.layers.rnn.step_loop import run_steps
from layerwise.testing import check_layer_gradients


def test_sizes_and_initial_state():
    cells = keras.layers.StackedRNNCells([keras.layers.LSTMCell(3), keras.layers.JordanRNNCell(4, output_units=2)])
    assert cells.state_size == [[3, 3], 2] and cells.output_size == 2
    states = cells.get_initial_state(batch_size=5)
    assert [[tuple(s.shape) for s in group] for group in states] == [[(5, 3), (5, 3)], [(5, 2)]]


def test_call_is_one_step_of_each_cell():
    a, b = keras.layers.GRUCell(3), keras.layers.SimpleRNNCell(2)
    cells = keras.layers.StackedRNNCells([a, b])
    x = torch.randn(4, 5)
    out, (sa, _) = cells(x, [[torch.zeros(4, 3)], [torch.zeros(4, 2)]])
    mid, [ha] = a(x, [torch.zeros(4, 3)])
    expected, _ = b(mid, [torch.zeros(4, 2)])
    torch.testing.assert_close(out, expected)
    torch.testing.assert_close(sa[0], ha)


def test_sequence_plan_matches_calling_the_cells(sequences, masks):
    layer = keras.layers.RNN([keras.layers.LSTMCell(3), keras.layers.GRUCell(2)], return_sequences=True)
    x, mask = torch.as_tensor(sequences), torch.as_tensor(masks["holes"])
    planned = layer(x, mask=mask)  # first cell's inputs projected at once
    _, generic, _ = run_steps(layer._generic_step(False), x, layer.get_initial_state(4), mask, False, False, True)
    torch.testing.assert_close(generic, planned)


def test_gradients():
    layer = keras.layers.RNN([keras.layers.SimpleRNNCell(2), keras.layers.LSTMCell(2)], return_sequences=True)
    check_layer_gradients(layer, torch.randn(2, 3, 2))


def test_config_round_trip():
    cells = keras.layers.StackedRNNCells([keras.layers.LSTMCell(3), keras.layers.GRUCell(2, reset_after=False)])
    config = cells.get_config()
    revived = keras.layers.StackedRNNCells.from_config(config)
    assert [type(c).__name__ for c in revived.cells] == ["LSTMCell", "GRUCell"] and not revived.cells[1].reset_after


def test_invalid_cells():
    with pytest.raises(ValueError, match="`StackedRNNCells` argument `cells` must be a non-empty list"):
        keras.layers.StackedRNNCells([])
    with pytest.raises(ValueError, match="must hold RNN cells"):
        keras.layers.StackedRNNCells([keras.layers.Dense(2)])


@pytest.mark.keras_oracle
@pytest.mark.parametrize("rseq,mask_kind", list(itertools.product([False, True], ["none", "right", "holes"])))
def test_parity_with_keras(keras_oracle, parity, sequences, masks, rseq, mask_kind):
    call = {} if masks[mask_kind] is None else {"mask": masks[mask_kind]}
    k, ours = keras_oracle.layers, keras.layers
    parity(k.RNN([k.LSTMCell(4), k.GRUCell(3, reset_after=False), k.SimpleRNNCell(2)], return_sequences=rseq,
                 return_state=True),
           ours.RNN([ours.LSTMCell(4), ours.GRUCell(3, reset_after=False), ours.SimpleRNNCell(2)],
                    return_sequences=rseq, return_state=True), sequences, **call)
