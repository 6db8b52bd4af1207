"""The exact sequence of callback hooks for fit (with validation), evaluate, predict and a resumed fit."""

import numpy as np

import layerwise as keras
from tests.trainers.conftest import small_classifier


HOOKS = [name for name in dir(keras.callbacks.Callback) if name.startswith("on_")]


def _recording(name):
    base = getattr(keras.callbacks.Callback, name)

    def hook(self, *args, **kwargs):
        self.calls.append((name,) + tuple(a for a in args if isinstance(a, int)))
        return base(self, *args, **kwargs)

    return hook


class Recorder(keras.callbacks.Callback):
    """Overrides every hook and records each call."""

    def __init__(self):
        super().__init__()
        self.calls = []


for _name in HOOKS:
    setattr(Recorder, _name, _recording(_name))


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(10, 4).astype("float32"), rng.randint(0, 3, 10)


def test_fit_with_validation_hook_sequence():
    x, y = _data()
    model = small_classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    recorder = Recorder()
    model.fit(x, y, batch_size=5, epochs=2, validation_data=(x[:4], y[:4]), callbacks=[recorder], verbose=0)
    epoch = lambda e: [("on_epoch_begin", e), ("on_train_batch_begin", 0), ("on_batch_begin", 0),
                       ("on_train_batch_end", 0), ("on_batch_end", 0), ("on_train_batch_begin", 1),
                       ("on_batch_begin", 1), ("on_train_batch_end", 1), ("on_batch_end", 1),
                       ("on_test_begin",), ("on_test_batch_begin", 0), ("on_test_batch_end", 0), ("on_test_end",),
                       ("on_epoch_end", e)]
    hooks = [c for c in recorder.calls if c[0] not in ("on_train_begin", "on_train_end")]
    assert recorder.calls[0] == ("on_train_begin",) and recorder.calls[-1] == ("on_train_end",)
    assert hooks == epoch(0) + epoch(1)


def test_evaluate_and_predict_hook_sequences():
    x, y = _data()
    model = small_classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    recorder = Recorder()
    model.evaluate(x, y, batch_size=5, callbacks=[recorder], verbose=0)
    assert recorder.calls == [("on_test_begin",), ("on_test_batch_begin", 0), ("on_test_batch_end", 0),
                              ("on_test_batch_begin", 1), ("on_test_batch_end", 1), ("on_test_end",)]
    recorder.calls.clear()
    model.predict(x, batch_size=10, callbacks=[recorder], verbose=0)
    assert recorder.calls == [("on_predict_begin",), ("on_predict_batch_begin", 0), ("on_predict_batch_end", 0),
                              ("on_predict_end",)]


def test_resumed_fit_starts_at_initial_epoch():
    x, y = _data()
    model = small_classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    recorder = Recorder()
    model.fit(x, y, batch_size=10, epochs=3, initial_epoch=2, callbacks=[recorder], verbose=0)
    assert [c for c in recorder.calls if c[0].startswith("on_epoch")] == [("on_epoch_begin", 2), ("on_epoch_end", 2)]


def test_callbacks_see_model_params_and_epoch_logs():
    x, y = _data()
    model = small_classifier()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    logs_seen = []

    class Check(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            assert self.model is model and self.params == {"verbose": 0, "epochs": 1, "steps": 2}

        def on_epoch_end(self, epoch, logs=None):
            logs_seen.append(dict(logs))

    model.fit(x, y, batch_size=5, callbacks=[Check()], verbose=0)
    assert set(logs_seen[0]) == {"loss", "accuracy"} and all(isinstance(v, float) for v in logs_seen[0].values())


def test_batch_logs_are_lazy_and_read_only_on_demand():
    x, y = _data()
    model = small_classifier()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    reads = []
    original = model.get_metrics_result

    def counting():
        reads.append(1)
        return original()

    model.get_metrics_result = counting

    class Silent(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            pass  # receives the logs but never reads them

    model.fit(x, y, batch_size=1, epochs=1, callbacks=[Silent()], verbose=0)
    assert len(reads) == 1  # only the end-of-epoch read, not one per step

    class Reader(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            assert set(logs) == {"loss", "accuracy"} and logs["loss"] > 0

    reads.clear()
    model.fit(x, y, batch_size=1, epochs=1, callbacks=[Reader()], verbose=0)
    assert len(reads) == 11
