"""TerminateOnNaN: stops at the batch whose loss turns NaN or infinite, gracefully or by raising."""

import numpy as np
import pytest

import layerwise as keras


class Batches(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []
        self.ended = False

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(batch)

    def on_train_end(self, logs=None):
        self.ended = True


def _fit(y, callbacks, epochs=3):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(np.ones((len(y), 1)), np.asarray(y, "float32").reshape(-1, 1), batch_size=1, epochs=epochs,
                        shuffle=False, callbacks=callbacks, verbose=0)
    return model, history


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_stops_at_the_first_invalid_batch(bad, capsys):
    batches = Batches()
    model, history = _fit([0.0, 0.0, bad, 0.0, 0.0], [keras.callbacks.TerminateOnNaN(), batches])
    assert batches.seen == [0, 1, 2] and history.epoch == [0] and batches.ended
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out


def test_finite_losses_run_to_the_end():
    batches = Batches()
    _, history = _fit([0.0, 1.0, 2.0], [keras.callbacks.TerminateOnNaN(), batches], epochs=2)
    assert history.epoch == [0, 1] and batches.seen == [0, 1, 2, 0, 1, 2]


def test_raise_error_skips_on_train_end():
    batches = Batches()
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 1"):
        _fit([0.0, np.nan, 0.0], [keras.callbacks.TerminateOnNaN(raise_error=True), batches])
    assert not batches.ended


def test_it_reads_the_loss_once_per_batch():
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    reads = []
    original = model.get_metrics_result
    model.get_metrics_result = lambda: (reads.append(1), original())[1]
    model.fit(np.ones((6, 1)), np.ones((6, 1)), batch_size=1, callbacks=[keras.callbacks.TerminateOnNaN()],
              verbose=0)
    assert len(reads) == 6 + 1  # one per batch (documented), plus the end of the epoch
