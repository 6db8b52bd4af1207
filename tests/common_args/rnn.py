"""Constructor arguments for the recurrent layers in tests/test_common.py."""

import layerwise as keras

REQUIRED_ARGS = {
    "SimpleRNN": {"units": 2}, "SimpleRNNCell": {"units": 2},
    "LSTM": {"units": 2}, "LSTMCell": {"units": 2},
    "GRU": {"units": 2}, "GRUCell": {"units": 2},
    "JordanRNN": {"units": 3, "output_units": 2}, "JordanRNNCell": {"units": 3, "output_units": 2},
    "RNN": {"cell": keras.layers.LSTMCell(2)},
    "StackedRNNCells": {"cells": [keras.layers.GRUCell(2), keras.layers.SimpleRNNCell(3)]},
    "Bidirectional": {"layer": keras.layers.GRU(2)},
    "TimeDistributed": {"layer": keras.layers.Dense(2)},
}
