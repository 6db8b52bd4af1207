import numpy as np
import pytest
import torch

import layerwise as keras
from tests.trainers.conftest import small_classifier


def test_issue_example_learns_and_reports_keras_history_keys(blobs):
    x, y = blobs
    model = keras.Sequential([keras.layers.Dense(32, input_shape=(4,)), keras.layers.Activation("relu")])
    model.add(keras.layers.Dense(3, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=15, batch_size=32, validation_split=0.1, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.epoch == list(range(15)) and model.history is history
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["val_accuracy"][-1] >= 0.95
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy >= 0.95 and loss < 0.3
    predictions = model.predict(x, verbose=0)
    assert isinstance(predictions, np.ndarray) and predictions.shape == (600, 3)
    np.testing.assert_allclose(predictions.sum(1), 1.0, rtol=1e-5)


def test_epoch_loss_is_sample_weighted_mean_of_batch_losses(blobs):
    x, y = blobs
    x, y = x[:70], y[:70]
    model = small_classifier()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0)
    losses = [float(keras.losses.sparse_categorical_crossentropy(y[i:i + 32], model(x[i:i + 32])).mean().item()) * len(y[i:i + 32])
              for i in range(0, 70, 32)]
    assert history.history["loss"][0] == pytest.approx(sum(losses) / 70, rel=1e-5)


def test_matches_hand_written_pytorch_loop():
    rng = np.random.RandomState(1)
    x = rng.randn(96, 5).astype("float32")
    y = rng.randint(0, 4, 96)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="tanh"),
                              keras.layers.Dense(4, activation="softmax")])
    w0 = model.get_weights()
    model.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9), loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)

    kernel1, bias1, kernel2, bias2 = [torch.tensor(w, requires_grad=True) for w in w0]
    params = [kernel1, bias1, kernel2, bias2]
    velocity = [torch.zeros_like(p) for p in params]
    epoch_losses = []
    for _ in range(3):
        total = 0.0
        for i in range(0, 96, 16):
            xb, yb = torch.from_numpy(x[i:i + 16]), torch.from_numpy(y[i:i + 16])
            probs = torch.softmax(torch.tanh(xb @ kernel1 + bias1) @ kernel2 + bias2, -1)
            probs = torch.clamp(probs / probs.sum(-1, keepdim=True), 1e-7, 1 - 1e-7)
            loss = -torch.log(probs[torch.arange(16), yb]).mean()
            grads = torch.autograd.grad(loss, params)
            with torch.no_grad():
                for p, v, g in zip(params, velocity, grads):
                    v.mul_(0.9).sub_(0.1 * g)
                    p.add_(v)
            total += loss.item() * 16
        epoch_losses.append(total / 96)
    np.testing.assert_allclose(history.history["loss"], epoch_losses, rtol=1e-6, atol=1e-6)
    for ours, theirs in zip(model.get_weights(), params):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_validation_split_takes_the_last_samples_before_shuffling():
    x = np.arange(100, dtype="float32").reshape(100, 1)
    y = np.arange(100, dtype="float32").reshape(100, 1)
    seen = {"train": set(), "val": set()}

    class Recorder(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, inputs, training=None):
            seen["train" if training else "val"].update(inputs[:, 0].tolist())
            return self.dense(inputs)

    model = Recorder()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, validation_split=0.2, epochs=1, batch_size=16, verbose=0)
    assert seen["train"] == set(range(80)) and set(range(80, 100)) <= seen["val"]


def test_validation_data_freq_and_initial_epoch(blobs):
    x, y = blobs
    model = small_classifier()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["acc"])
    history = model.fit(x, y, validation_data=(x[:50], y[:50]), validation_freq=2, initial_epoch=1, epochs=5,
                        verbose=0)
    assert history.epoch == [1, 2, 3, 4]
    assert len(history.history["acc"]) == 4 and len(history.history["val_acc"]) == 2


def test_keras1_nb_epoch_and_unknown_argument(blobs):
    x, y = blobs
    model = small_classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    assert len(model.fit(x, y, nb_epoch=2, verbose=0).history["loss"]) == 2
    with pytest.raises(TypeError, match="unexpected keyword arguments: \\['epoch'\\]"):
        model.fit(x, y, epoch=2)


def test_sample_weight_and_class_weight_change_the_loss(blobs):
    x, y = blobs
    model = small_classifier()
    model.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")
    plain = model.evaluate(x, y, verbose=0)
    weights = np.where(y == 0, 2.0, 0.0).astype("float32")
    weighted = model.evaluate(x, y, sample_weight=weights, verbose=0)
    per_sample = keras.losses.sparse_categorical_crossentropy(y, model.predict(x, verbose=0)).numpy()
    assert plain == pytest.approx(per_sample.mean(), rel=1e-5)
    assert weighted == pytest.approx((per_sample * weights).mean(), rel=1e-5)
    fitted = model.fit(x, y, class_weight={0: 2.0, 1: 0.0, 2: 0.0}, batch_size=600, shuffle=False, verbose=0)
    assert fitted.history["loss"][0] == pytest.approx((per_sample * weights).mean(), rel=1e-5)
    with pytest.raises(ValueError, match="cannot use `class_weight` and `sample_weight` at the same time"):
        model.fit(x, y, class_weight={0: 1.0}, sample_weight=weights, verbose=0)


def test_steps_per_epoch_continues_through_the_data(blobs):
    x, y = blobs
    model = small_classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    calls = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            calls.append(batch)

    model.fit(x, y, batch_size=100, steps_per_epoch=4, epochs=3, verbose=0, callbacks=[Count()])
    assert calls == [0, 1, 2, 3] * 3


def test_fit_on_dataloader_and_generator(blobs):
    x, y = blobs
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    loader = torch.utils.data.DataLoader(dataset, batch_size=50, shuffle=True)
    model = small_classifier()
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(loader, epochs=8, verbose=0, validation_data=loader)
    assert history.history["accuracy"][-1] > 0.9 and "val_loss" in history.history

    def batches():
        while True:
            for i in range(0, 600, 60):
                yield x[i:i + 60], y[i:i + 60]

    history = model.fit(batches(), steps_per_epoch=10, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.evaluate(dataset, verbose=0)[1] > 0.9  # a map-style Dataset is batched for us


def test_multi_output_losses_metrics_and_keys():
    rng = np.random.RandomState(2)
    x = rng.randn(64, 4).astype("float32")
    inputs = keras.Input((4,), name="inp")
    a = keras.layers.Dense(3, activation="softmax", name="out_a")(inputs)
    b = keras.layers.Dense(1, activation="sigmoid", name="out_b")(inputs)
    model = keras.Model(inputs, [a, b])
    model.compile("adam", loss=["sparse_categorical_crossentropy", "binary_crossentropy"],
                  loss_weights=[1.0, 0.5], metrics=[["accuracy"], ["accuracy", "mse"]])
    ya, yb = rng.randint(0, 3, 64), rng.randint(0, 2, (64, 1)).astype("float32")
    history = model.fit(x, [ya, yb], epochs=1, verbose=0, validation_split=0.25)
    assert set(history.history) == {"loss", "out_a_loss", "out_b_loss", "out_a_accuracy", "out_b_accuracy",
                                    "out_b_mse", "val_loss", "val_out_a_loss", "val_out_b_loss",
                                    "val_out_a_accuracy", "val_out_b_accuracy", "val_out_b_mse"}
    results = model.evaluate(x, {"out_a": ya, "out_b": yb}, return_dict=True, verbose=0)
    assert results["loss"] == pytest.approx(results["out_a_loss"] + 0.5 * results["out_b_loss"], rel=1e-5)
    as_list = model.evaluate(x, [ya, yb], verbose=0)
    assert as_list[:3] == pytest.approx([results["loss"], results["out_a_loss"], results["out_b_loss"]], rel=1e-6)


def test_accuracy_string_resolves_from_shapes():
    x = np.random.RandomState(0).rand(8, 3).astype("float32")
    for units, activation, labels, expected in [
        (1, "sigmoid", np.ones((8, 1)), "BinaryAccuracy"),
        (3, "softmax", np.zeros(8), "SparseCategoricalAccuracy"),
        (3, "softmax", np.eye(3)[np.zeros(8, int)], "CategoricalAccuracy"),
    ]:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units, activation=activation)])
        loss = "binary_crossentropy" if units == 1 else ("sparse_categorical_crossentropy" if labels.ndim == 1
                                                        else "categorical_crossentropy")
        model.compile("sgd", loss, metrics=["accuracy"])
        model.fit(x, labels, verbose=0)
        assert type(model.metrics[-1]).__name__ == expected


def test_custom_callable_loss_and_metric():
    def asymmetric(y_true, y_pred):
        error = y_true - y_pred
        return keras.ops.mean(keras.ops.where(error > 0, 2.0 * error, -error), axis=-1)

    def max_error(y_true, y_pred):
        return keras.ops.max(keras.ops.abs(y_true - y_pred), axis=-1)

    x = np.random.RandomState(0).rand(32, 2).astype("float32")
    y = x.sum(1, keepdims=True)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(0.05), loss=asymmetric, metrics=[max_error])
    history = model.fit(x, y, epochs=40, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 4
    assert "max_error" in history.history


def test_train_test_predict_on_batch(blobs):
    x, y = blobs
    model = small_classifier()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    before = model.get_weights()
    loss, accuracy = model.train_on_batch(x[:32], y[:32])
    assert all(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    logs = model.test_on_batch(x[:32], y[:32], return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    np.testing.assert_allclose(model.predict_on_batch(x[:5]), model.predict(x[:5], verbose=0), rtol=1e-6)


def test_regularization_losses_are_added(blobs):
    x, y = blobs
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, kernel_regularizer=keras.regularizers.L2(1.0),
                                                                     activation="softmax")])
    model.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")
    data_loss = float(keras.losses.sparse_categorical_crossentropy(y, model.predict(x, verbose=0)).mean())
    penalty = float((model.layers[0].kernel.detach() ** 2).sum())
    assert model.evaluate(x, y, verbose=0) == pytest.approx(data_loss + penalty, rel=1e-5)


def test_constraints_applied_after_each_step(blobs):
    x, y = blobs
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, kernel_constraint="non_neg")])
    model.compile(keras.optimizers.SGD(0.5), "mse")
    model.fit(x, np.random.RandomState(0).randn(600, 3), epochs=1, verbose=0)
    assert model.layers[0].kernel.min().item() >= 0.0


def test_multi_input_fit_with_lists_and_dicts():
    rng = np.random.RandomState(3)
    a, b = rng.randn(128, 3).astype("float32"), rng.randn(128, 2).astype("float32")
    y = (a.sum(1) + b.sum(1)).reshape(-1, 1).astype("float32")
    in_a, in_b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    model = keras.Model([in_a, in_b], keras.layers.Dense(1)(keras.layers.concatenate([in_a, in_b])))
    model.compile(keras.optimizers.Adam(0.05), "mse")
    first = model.fit([a, b], y, epochs=1, verbose=0).history["loss"][0]
    last = model.fit({"a": a, "b": b}, y, epochs=30, verbose=0).history["loss"][-1]
    assert last < first / 10
    np.testing.assert_allclose(model.predict({"a": a, "b": b}, verbose=0), model.predict([a, b], verbose=0))


def test_a_metric_with_several_values_logs_an_array_and_the_bar_shows_its_mean(capsys):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(keras.optimizers.SGD(0.0), "categorical_crossentropy", metrics=[keras.metrics.F1Score()])
    x = np.random.RandomState(0).randn(32, 3).astype("float32")
    y = np.eye(3, dtype="float32")[np.random.RandomState(1).randint(0, 3, 32)]
    history = model.fit(x, y, epochs=1, batch_size=32, verbose=2)
    logged = history.history["f1_score"][0]
    assert isinstance(logged, np.ndarray) and logged.shape == (3,)
    reference = keras.metrics.F1Score()
    reference.update_state(torch.from_numpy(y), torch.from_numpy(model.predict(x, verbose=0)))
    np.testing.assert_allclose(logged, reference.result().numpy(), rtol=1e-6)
    assert f"f1_score: {logged.mean():.4f}" in capsys.readouterr().out
