"""Recurrent layers: cells, the RNN driver, SimpleRNN, JordanRNN, LSTM, GRU, Bidirectional, TimeDistributed.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""

from layerwise.layers.rnn.bidirectional import Bidirectional
from layerwise.layers.rnn.gru import GRU, GRUCell
from layerwise.layers.rnn.jordan_rnn import JordanRNN, JordanRNNCell
from layerwise.layers.rnn.lstm import LSTM, LSTMCell
from layerwise.layers.rnn.rnn import RNN
from layerwise.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from layerwise.layers.rnn.stacked_rnn_cells import StackedRNNCells
from layerwise.layers.rnn.time_distributed import TimeDistributed

__all__ = [
           "GRU",
           "LSTM",
           "RNN",
           "Bidirectional",
           "GRUCell",
           "JordanRNN",
           "JordanRNNCell",
           "LSTMCell",
           "SimpleRNN",
           "SimpleRNNCell",
           "StackedRNNCells",
           "TimeDistributed",
]
