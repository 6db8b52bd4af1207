import pytest

import layerwise as keras
from layerwise.layers.rnn.cell_layer import check_layer_args, layer_config


def test_layer_properties_read_the_cell():
    layer = keras.layers.GRU(3, dropout=0.2, reset_after=False, recurrent_activation="hard_sigmoid")
    assert (layer.units, layer.dropout, layer.reset_after) == (3, 0.2, False)
    assert layer.recurrent_activation is layer.cell.recurrent_activation


def test_layer_config_has_cell_arguments_and_no_cell():
    config = layer_config(keras.layers.SimpleRNN(2, go_backwards=True))
    assert "cell" not in config and config["units"] == 2 and config["go_backwards"] is True
    assert config["activity_regularizer"] is None


def test_check_layer_args_names_the_layer():
    with pytest.raises(ValueError, match="`JordanRNN` argument `units` must be a positive integer"):
        check_layer_args("JordanRNN", 0, 0.0, 0.0)
