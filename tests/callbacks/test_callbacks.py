import numpy as np
import pytest

import layerwise as keras
from tests.callbacks.conftest import fit


def test_history_records_every_key():
    model, history = fit([], epochs=3)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in history.history.values())
    assert model.history is history


def test_verbose_2_prints_one_line_per_epoch(capsys):
    _fit_verbose(2, epochs=2)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    lines = [line for line in out.splitlines() if line.startswith("1/1")]
    assert len(lines) == 2 and " - loss: " in lines[0] and " - val_loss: " in lines[0] and "/step" in lines[0]


def test_verbose_1_draws_a_bar(capsys):
    _fit_verbose(1, epochs=1)
    out = capsys.readouterr().out
    assert "━" in out and "1/1" in out and "loss:" in out


def test_verbose_0_is_silent(capsys):
    _fit_verbose(0, epochs=2)
    assert capsys.readouterr().out == ""


def _fit_verbose(verbose, epochs):
    x = np.zeros((8, 3), "float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((8, 1)), epochs=epochs, batch_size=8, validation_data=(x, np.zeros((8, 1))),
              verbose=verbose)


def test_keras1_batch_hook_names_are_called():
    seen = []

    class Old(keras.callbacks.Callback):
        def on_batch_end(self, batch, logs=None):
            seen.append(batch)

    fit([Old()], epochs=1)
    assert seen == [0]


def test_callback_list_validates_members():
    with pytest.raises(TypeError, match="Callbacks must be"):
        keras.callbacks.CallbackList([object()])


def test_progress_bar_reads_metrics_a_few_times_a_second(capsys):
    import time

    x = np.zeros((4000, 3), "float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    reads = []
    original = model.get_metrics_result
    model.get_metrics_result = lambda: (reads.append(1), original())[1]
    start = time.perf_counter()
    model.fit(x, np.zeros((4000, 1)), batch_size=2, epochs=1, verbose=1)  # 2000 steps
    elapsed = time.perf_counter() - start
    assert len(reads) <= elapsed / 0.25 + 3  # redraws at 4 Hz, plus the end of the epoch
    assert "2000/2000" in capsys.readouterr().out


def test_mixed_precision_module():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        layer = keras.layers.Dense(2)
        import torch

        out = layer(torch.ones(1, 3))
        assert layer.kernel.dtype == torch.float32 and out.dtype == torch.bfloat16
    finally:
        keras.mixed_precision.set_global_policy(None)
