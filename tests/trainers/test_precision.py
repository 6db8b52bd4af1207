"""TF32 inside fit/evaluate/predict on CUDA only, with torch's own settings restored afterwards."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.trainers.precision import device_precision


@pytest.fixture
def tf32_flags():
    saved = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved
    keras.config.set_allow_tf32(True)


def _flags():
    return torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32


def test_cuda_calls_allow_tf32_and_restore_the_previous_flags(tf32_flags):
    with device_precision(torch.device("cuda")):
        assert _flags() == (True, True)
    assert _flags() == (False, False)


def test_turned_off_it_leaves_the_flags_alone(tf32_flags):
    keras.config.set_allow_tf32(False)
    with device_precision(torch.device("cuda")):
        assert _flags() == (False, False)


def test_cpu_changes_nothing_and_errors_still_restore(tf32_flags):
    with device_precision(torch.device("cpu")):
        assert _flags() == (False, False)
    with pytest.raises(KeyError), device_precision(torch.device("cuda")):
        raise KeyError
    assert _flags() == (False, False)


def test_fit_evaluate_predict_leave_torch_settings_as_they_were(tf32_flags):
    seen = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(_flags())

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
    model.fit(x, y, verbose=0, callbacks=[Record()])
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    expected = (True, True) if model._device().type == "cuda" else (False, False)
    assert set(seen) == {expected}
    assert _flags() == (False, False)
