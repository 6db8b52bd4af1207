"""Recurrent layers: cells, the RNN driver, SimpleRNN, JordanRNN, LSTM, GRU, Bidirectional, TimeDistributed.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""

__all__: list[str] = []
