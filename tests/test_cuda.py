"""GPU behaviour; skipped where there is no CUDA device (CI), run on a lent GPU machine."""

import numpy as np
import pytest
import torch

import layerwise as keras

pytestmark = pytest.mark.requires_cuda


def _model():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(3, activation="softmax")])


def test_weights_default_to_cuda_and_fit_moves_the_data():
    model = _model()
    assert model.weights[0].device.type == "cuda"
    x = np.random.RandomState(0).randn(64, 4).astype("float32")
    y = np.random.RandomState(1).randint(0, 3, 64)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert isinstance(model.predict(x, verbose=0), np.ndarray)


def test_model_moved_to_cpu_trains_there():
    model = _model().to("cpu")
    model.compile("sgd", "sparse_categorical_crossentropy")
    model.fit(np.zeros((8, 4), "float32"), np.zeros(8, "int64"), verbose=0)
    assert all(w.device.type == "cpu" for w in model.weights)
    assert all(v.device.type == "cpu" for v in model.optimizer.variables)


def test_cuda_and_cpu_give_the_same_training():
    rng = np.random.RandomState(0)
    x, y = rng.randn(64, 4).astype("float32"), rng.randint(0, 3, 64)
    results = []
    for device in ("cpu", "cuda"):
        keras.config.set_default_device(device)
        keras.utils.set_random_seed(0)
        model = _model()
        model.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
        model.fit(x, y, epochs=2, shuffle=False, verbose=0)
        results.append(model.get_weights())
    keras.config.set_default_device(None)
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_out_of_range_labels_give_a_message_not_a_device_assert():
    model = _model()
    model.compile("sgd", "sparse_categorical_crossentropy")
    y = np.zeros(16, "int64")
    y[3] = 7
    with pytest.raises(ValueError, match=r"Label 7 \(sample 3\)"):
        model.fit(np.zeros((16, 4), "float32"), y, verbose=0)
    assert torch.cuda.is_available()


def _capture_data():
    rng = np.random.RandomState(0)
    return rng.randn(100, 4).astype("float32"), rng.randint(0, 3, 100)  # 100 = 3 x 32 + a ragged 4


def test_captured_fit_equals_eager_fit():
    x, y = _capture_data()
    results = []
    for jit_compile in (False, "auto"):
        keras.utils.set_random_seed(0)
        model = _model()
        model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"],
                      jit_compile=jit_compile)
        history = model.fit(x, y, epochs=4, shuffle=False, verbose=0)
        results.append((model.get_weights(), history.history, int(model.optimizer.iterations),
                        model.optimizer._host_iterations))
    (w_eager, h_eager, it_eager, host_eager), (w_graph, h_graph, it_graph, host_graph) = results
    for a, b in zip(w_eager, w_graph):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for key in h_eager:
        np.testing.assert_allclose(h_eager[key], h_graph[key], rtol=1e-5)
    assert it_eager == it_graph == host_eager == host_graph == 16


def test_captured_steps_keep_dropout_random_and_learning_rate_assignable():
    x, y = _capture_data()
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dropout(0.5),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    seen = []

    class ZeroLR(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                self.model.optimizer.learning_rate = 0.0
                seen.append([w.copy() for w in self.model.get_weights()])

    history = model.fit(x, y, epochs=3, shuffle=False, verbose=0, callbacks=[ZeroLR()])
    assert history.history["loss"][0] != history.history["loss"][1]
    for a, b in zip(seen[0], model.get_weights()):  # lr 0 in the replayed graph: nothing moves
        np.testing.assert_array_equal(a, b)


def test_captured_evaluate_and_predict_equal_the_eager_ones():
    x, y = _capture_data()
    results = []
    for jit_compile in (False, "auto"):
        keras.utils.set_random_seed(0)
        model = _model()
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=jit_compile)
        # batch 8: 12 full batches (probe, 2 warm-up steps, then replays) and a ragged 4
        results.append((model.evaluate(x, y, batch_size=8, verbose=0), model.predict(x, batch_size=8, verbose=0),
                        model.evaluate(x, y, batch_size=8, verbose=0)))
    (eval_eager, pred_eager, again_eager), (eval_graph, pred_graph, again_graph) = results
    np.testing.assert_allclose(eval_graph, eval_eager, rtol=1e-5)
    np.testing.assert_allclose(again_graph, again_eager, rtol=1e-5)
    np.testing.assert_allclose(pred_graph, pred_eager, rtol=1e-5, atol=1e-6)
    assert len(np.unique(pred_graph.round(5), axis=0)) > 50  # every batch, not the last replay repeated
