"""Metrics: Sum/Mean/MeanMetricWrapper, accuracies, devices, configs, names and ``get``.

Hand counts and NumPy are the references; Keras 3's metric classes are the oracle where they exist.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras


def value(metric):
    return metric.result().detach().cpu().numpy()


# ---------------------------------------------------------------------------------------------
# Sum and Mean
# ---------------------------------------------------------------------------------------------

def test_sum_by_hand():
    m = keras.metrics.Sum()
    assert float(m.result()) == 0.0  # nothing seen yet
    m.update_state([1.0, 3.0, 5.0, 7.0])
    assert float(m.result()) == 16.0
    m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
    assert float(m.result()) == 20.0
    m.update_state(np.array([[1.0, 2.0], [3.0, 4.0]]))  # everything is summed, not averaged per row
    assert float(m.result()) == 30.0
    m.update_state(np.array([[1.0, 2.0], [3.0, 4.0]]), sample_weight=[2.0, 0.0])
    assert float(m.result()) == 36.0
    m.update_state(2.5)
    assert float(m.result()) == 38.5
    m.update_state([1.0, 2.0], sample_weight=3)  # a Python weight multiplies every value
    assert float(m.result()) == 47.5
    m.reset_state()
    assert float(m.result()) == 0.0


def test_mean_by_hand():
    m = keras.metrics.Mean()
    assert float(m.result()) == 0.0  # 0, not nan, before any update
    m.update_state([1.0, 3.0, 5.0, 7.0])
    assert float(m.result()) == 4.0
    m.update_state([9.0], sample_weight=[4.0])
    assert float(m.result()) == pytest.approx((16 + 36) / 8)
    m.reset_state()
    assert float(m.result()) == 0.0
    m.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
    assert float(m.result()) == 2.0
    m.update_state([[1.0, 3.0], [5.0, 7.0]], sample_weight=[[1.0], [0.0]])  # weights (n, 1)
    assert float(m.result()) == pytest.approx((4 + 2) / 3)
    m.reset_state()
    m.update_state([1.0, 2.0], sample_weight=[0.0, 0.0])
    assert float(m.result()) == 0.0  # all weights 0: 0, not nan


def test_mean_with_python_number_weights_is_the_loss_tracker():
    """The trainer's loss tracker: a scalar batch loss weighted by the batch size."""
    m = keras.metrics.Mean(name="loss")
    batches = [(0.9, 32), (0.5, 32), (0.2, 6)]
    for loss, size in batches:
        m.update_state(torch.tensor(loss), sample_weight=size)
    expected = sum(loss * size for loss, size in batches) / sum(size for _, size in batches)
    assert float(m.result()) == pytest.approx(expected, rel=1e-6)
    # the same as a tensor weight
    t = keras.metrics.Mean()
    for loss, size in batches:
        t.update_state(torch.tensor(loss), sample_weight=torch.tensor(float(size)))
    assert float(t.result()) == pytest.approx(float(m.result()), rel=1e-7)


def test_python_number_weight_matches_a_tensor_weight_for_vectors():
    a, b = keras.metrics.Mean(), keras.metrics.Mean()
    for values, w in [([1.0, 2.0, 3.0], 2), ([10.0], 1), ([[1.0, 5.0]], 3.0)]:
        a.update_state(values, sample_weight=w)
        b.update_state(values, sample_weight=torch.tensor(float(w)))
    assert float(a.result()) == pytest.approx(float(b.result()), rel=1e-7)
    assert float(a.result()) == pytest.approx((2 * 2 + 10 * 1 + 3 * 3) / 6)


@pytest.mark.keras_oracle
def test_sum_and_mean_match_keras(keras_oracle):
    kr = keras_oracle
    rng = np.random.default_rng(0)
    updates = [
        (rng.normal(size=8), None),
        (rng.normal(size=8), rng.uniform(size=8)),
        (rng.normal(size=(6, 3)), None),
        (rng.normal(size=(6, 3)), rng.uniform(size=6)),
        (rng.normal(size=(6, 3)), rng.uniform(size=(6, 1))),
        (rng.normal(size=(6, 3)), rng.uniform(size=(6, 3))),
        (rng.normal(size=5), 7),
        (rng.normal(size=(4, 2)), 2.5),
        (np.float32(1.25), 32),
        (np.float32(-0.5), None),
    ]
    for name in ("Sum", "Mean"):
        ours, theirs = getattr(keras.metrics, name)(), getattr(kr.metrics, name)()
        for values, weight in updates:
            values = np.asarray(values, np.float32)
            weight = weight if weight is None or np.isscalar(weight) else np.asarray(weight, np.float32)
            ours.update_state(values, sample_weight=weight)
            theirs.update_state(values, sample_weight=weight)
            np.testing.assert_allclose(value(ours), kr.ops.convert_to_numpy(theirs.result()), rtol=1e-6, atol=1e-6,
                                       err_msg=f"{name} after values {values.shape} weight {weight}")


def test_mean_metric_wrapper_with_a_function():
    def l1(y_true, y_pred):
        return (torch.as_tensor(y_true) - torch.as_tensor(y_pred)).abs()

    m = keras.metrics.MeanMetricWrapper(l1, name="l1")
    assert m.name == "l1" and float(m.result()) == 0.0
    m.update_state(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 3.0]))
    assert float(m.result()) == 2.0
    m.update_state(torch.tensor([0.0, 0.0]), torch.tensor([4.0, 8.0]), sample_weight=torch.tensor([1.0, 0.0]))
    assert float(m.result()) == pytest.approx((1 + 3 + 4) / 3)
    assert float(m(torch.tensor([1.0]), torch.tensor([1.0]))) == pytest.approx(8 / 4)  # __call__ updates
    m.reset_state()
    assert float(m.result()) == 0.0
    # keyword arguments go to the function; the name defaults to the function's
    wrapped = keras.metrics.MeanMetricWrapper(keras.losses.binary_crossentropy, from_logits=True)
    assert wrapped.name == "binary_crossentropy"
    wrapped.update_state(torch.tensor([[1.0], [0.0]]), torch.tensor([[0.0], [0.0]]))
    assert float(wrapped.result()) == pytest.approx(np.log(2), rel=1e-6)


@pytest.mark.keras_oracle
def test_mean_metric_wrapper_with_a_mask_matches_keras(keras_oracle):
    kr = keras_oracle
    rng = np.random.default_rng(1)
    ours = keras.metrics.MeanMetricWrapper(keras.losses.mean_squared_error)
    theirs = kr.metrics.MeanMetricWrapper(kr.losses.mean_squared_error)
    for step in range(3):
        y, p = rng.normal(size=(6, 2)).astype(np.float32), rng.normal(size=(6, 2)).astype(np.float32)
        mask = torch.as_tensor(rng.uniform(size=6) > 0.4)
        weight = None if step == 0 else rng.uniform(size=6).astype(np.float32)
        y_pred = torch.as_tensor(p)
        kr.src.backend.set_keras_mask(y_pred, mask)
        ours.update_state(torch.as_tensor(y), y_pred, sample_weight=weight)
        theirs.update_state(torch.as_tensor(y), y_pred, sample_weight=weight)
        np.testing.assert_allclose(value(ours), kr.ops.convert_to_numpy(theirs.result()), rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------------------------------------
# accuracies
# ---------------------------------------------------------------------------------------------

def test_accuracy_by_hand():
    m = keras.metrics.Accuracy()
    assert float(m.result()) == 0.0
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert float(m.result()) == 0.75
    m.update_state([1, 2], [1, 5], sample_weight=[3.0, 1.0])
    assert float(m.result()) == pytest.approx((3 + 3) / 8)
    # exact equality in the predictions' dtype: 1.4 is not the label 1
    assert keras.metrics.accuracy(torch.tensor([1, 2]), torch.tensor([1.4, 2.0])).tolist() == [0.0, 1.0]
    # labels (n,) against predictions (n, 1)
    assert keras.metrics.accuracy(torch.tensor([1, 2]), torch.tensor([[1.0], [3.0]])).flatten().tolist() == [1.0, 0.0]


def test_binary_accuracy_by_hand():
    m = keras.metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    assert float(m.result()) == 0.75
    m.update_state([1, 0], [[0.5], [0.5]], sample_weight=[1.0, 2.0])  # 0.5 is not > 0.5
    assert float(m.result()) == pytest.approx((3 + 2) / 7)
    strict = keras.metrics.BinaryAccuracy(threshold=0.9)
    strict.update_state([[1], [1], [0], [0]], [[0.98], [0.8], [0.0], [0.6]])
    assert float(strict.result()) == 0.75
    # several labels per sample: every element counts
    multi = keras.metrics.BinaryAccuracy()
    multi.update_state([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]], [[0.7, 0.2, 0.1], [0.9, 0.1, 0.8]])
    assert float(multi.result()) == pytest.approx(4 / 6)
    assert keras.metrics.binary_accuracy(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.7, 0.6]])).tolist() == [[1.0, 0.0]]


def test_categorical_accuracy_by_hand():
    m = keras.metrics.CategoricalAccuracy()
    m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    assert float(m.result()) == 0.5
    m.update_state([[1, 0, 0], [0, 0, 1]], [[0.6, 0.3, 0.1], [0.6, 0.3, 0.1]], sample_weight=[3.0, 1.0])
    assert float(m.result()) == pytest.approx((1 + 3) / 6)


@pytest.mark.parametrize("label_form", ["(n,)", "(n,1)", "float", "float (n,1)"])
def test_sparse_categorical_accuracy_by_hand(label_form):
    labels = np.array([2, 1, 0, 1])
    probs = np.array([[0.1, 0.6, 0.3], [0.05, 0.95, 0], [0.2, 0.3, 0.5], [0.1, 0.8, 0.1]])
    y = {"(n,)": labels, "(n,1)": labels[:, None], "float": labels.astype(np.float32),
         "float (n,1)": labels[:, None].astype(np.float32)}[label_form]
    matches = keras.metrics.sparse_categorical_accuracy(torch.as_tensor(y), torch.as_tensor(probs))
    assert matches.tolist() == [0.0, 1.0, 0.0, 1.0]  # one value per sample for (n,) and (n, 1)
    m = keras.metrics.SparseCategoricalAccuracy()
    m.update_state(y, probs)
    assert float(m.result()) == 0.5
    m.update_state(y, probs, sample_weight=[1.0, 3.0, 0.0, 0.0])
    assert float(m.result()) == pytest.approx((2 + 3) / 8)


def _accuracy_batches(rng, kind, label_form):
    batches = []
    for step in range(4):
        n = 8 + step
        weight = None if step == 0 else rng.uniform(0, 2, size=n).astype(np.float32)
        if step == 3 and weight is not None:
            weight = weight[:, None]
        if kind == "Accuracy":
            y = rng.integers(0, 3, size=(n, 1))
            p = np.where(rng.uniform(size=(n, 1)) > 0.5, y, rng.integers(0, 3, size=(n, 1))).astype(np.float32)
        elif kind == "BinaryAccuracy":
            y = rng.integers(0, 2, size=(n, 1)).astype(np.float32)
            p = rng.uniform(size=(n, 1)).astype(np.float32)
        elif kind == "CategoricalAccuracy":
            y = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=n)]
            p = rng.uniform(size=(n, 4)).astype(np.float32)
        else:
            y = rng.integers(0, 4, size=(n, 1))
            p = rng.uniform(size=(n, 4)).astype(np.float32)
        if label_form == "(n,)" and kind != "CategoricalAccuracy":
            y = y[:, 0]
        if label_form == "float":
            y = y.astype(np.float32)
        batches.append((y, p, weight))
    return batches


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kind,kwargs", [("Accuracy", {}), ("BinaryAccuracy", {}),
                                         ("BinaryAccuracy", {"threshold": 0.7}), ("CategoricalAccuracy", {}),
                                         ("SparseCategoricalAccuracy", {})])
@pytest.mark.parametrize("label_form", ["(n,)", "(n,1)", "float"])
def test_accuracy_metrics_match_keras_and_hand_counts(keras_oracle, kind, kwargs, label_form):
    kr = keras_oracle
    rng = np.random.default_rng(5)
    ours, theirs = getattr(keras.metrics, kind)(**kwargs), getattr(kr.metrics, kind)(**kwargs)
    hits, total = 0.0, 0.0
    for y, p, w in _accuracy_batches(rng, kind, label_form):
        ours.update_state(y, p, sample_weight=w)
        theirs.update_state(y, p, sample_weight=w)
        np.testing.assert_allclose(value(ours), kr.ops.convert_to_numpy(theirs.result()), rtol=1e-6, atol=1e-6)
        # the count by hand
        if kind == "Accuracy":
            right = y.reshape(-1) == p.reshape(-1)
        elif kind == "BinaryAccuracy":
            right = y.reshape(-1) == (p.reshape(-1) > kwargs.get("threshold", 0.5))
        elif kind == "CategoricalAccuracy":
            right = y.argmax(-1) == p.argmax(-1)
        else:
            right = y.reshape(-1) == p.argmax(-1)
        weight = np.ones(len(right)) if w is None else w.reshape(-1)
        hits += float((right * weight).sum())
        total += float(weight.sum())
        assert float(ours.result()) == pytest.approx(hits / total, rel=1e-6)
    ours.reset_state()
    assert float(ours.result()) == 0.0


# ---------------------------------------------------------------------------------------------
# devices, configs, names, get
# ---------------------------------------------------------------------------------------------

def test_unnamed_metrics_get_unique_names_as_in_keras():
    class Count(keras.metrics.Metric):
        def update_state(self, values):
            pass

    assert [Count().name, Count().name, Count(name="c").name] == ["count", "count_1", "c"]
    assert keras.metrics.Mean().name == "mean" and keras.metrics.Mean().name == "mean"  # named by default



def test_to_device_keeps_the_state():
    m = keras.metrics.Mean()
    m.update_state([1.0, 2.0, 6.0])
    assert m.to("cpu") is m
    assert float(m.result()) == 3.0
    m.to(torch.device("cpu"))
    assert float(m.result()) == 3.0 and all(v.device.type == "cpu" for v in m.variables)
    c = keras.metrics.ConfusionMatrix(num_classes=2)
    c.update_state([0, 1], [1, 1])
    c.to("cpu")
    assert value(c).tolist() == [[0.0, 1.0], [0.0, 1.0]]
    m.to("cpu").reset_state()
    assert float(m.result()) == 0.0


@pytest.mark.parametrize("metric", [
    keras.metrics.Mean(name="avg"),
    keras.metrics.Sum(dtype="float64"),
    keras.metrics.Accuracy(),
    keras.metrics.BinaryAccuracy(threshold=0.7, name="ba"),
    keras.metrics.CategoricalAccuracy(),
    keras.metrics.SparseCategoricalAccuracy(name="sca"),
    keras.metrics.ConfusionMatrix(num_classes=4),
    keras.metrics.MeanMetricWrapper(keras.losses.mean_squared_error, name="mse"),
])
def test_metric_config_round_trip(metric):
    config = metric.get_config()
    clone = type(metric).from_config(config)
    assert type(clone) is type(metric) and clone.get_config() == config
    assert clone.name == metric.name and clone.dtype == metric.dtype
    again = keras.metrics.deserialize(keras.metrics.serialize(metric))
    assert type(again) is type(metric) and again.get_config() == config


def test_binary_accuracy_threshold_survives_the_round_trip():
    clone = keras.metrics.BinaryAccuracy.from_config(keras.metrics.BinaryAccuracy(threshold=0.9).get_config())
    clone.update_state([[1.0]], [[0.8]])
    assert float(clone.result()) == 0.0


@pytest.mark.keras_oracle
def test_metric_configs_match_keras(keras_oracle):
    kr = keras_oracle
    for name, kwargs in [("Mean", {"name": "m"}), ("Sum", {}), ("Accuracy", {}), ("BinaryAccuracy", {"threshold": 0.3}),
                         ("CategoricalAccuracy", {}), ("SparseCategoricalAccuracy", {})]:
        assert getattr(keras.metrics, name)(**kwargs).get_config() == getattr(kr.metrics, name)(**kwargs).get_config()


def test_metrics_get():
    get = keras.metrics.get
    assert get("accuracy") is keras.metrics.accuracy
    assert get("acc") is keras.metrics.accuracy
    assert get("mse") is keras.metrics.mean_squared_error
    assert get("mae") is keras.metrics.mean_absolute_error
    assert get("MSE") is keras.metrics.mean_squared_error
    assert get("sparse_categorical_accuracy") is keras.metrics.sparse_categorical_accuracy
    assert isinstance(get("Accuracy"), keras.metrics.Accuracy)  # classes are instantiated
    assert isinstance(get("BinaryAccuracy"), keras.metrics.BinaryAccuracy)
    assert isinstance(get("mean"), keras.metrics.Mean)
    assert get(None) is None
    m = keras.metrics.Sum()
    assert get(m) is m
    assert get({"class_name": "BinaryAccuracy", "config": {"name": "b", "threshold": 0.8}}).threshold == 0.8
    with pytest.raises(ValueError, match=r"^Unknown metric: 'acuracy'.*Did you mean: 'accuracy'"):
        get("acuracy")
    with pytest.raises(ValueError, match=r"^Unknown metric:.*'mae'"):
        get("maee")


def test_metric_functions_in_compile_are_tracked():
    rng = np.random.RandomState(0)
    x = rng.randn(64, 3).astype("float32")
    y = (x.sum(1) > 0).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc", "mse", keras.metrics.BinaryAccuracy()])
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    logs = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    pred = model.predict(x, verbose=0)[:, 0]
    assert logs["acc"] == pytest.approx(float(((pred > 0.5) == y).mean()), rel=1e-6)
    assert logs["binary_accuracy"] == pytest.approx(logs["acc"], rel=1e-6)
    assert logs["mse"] == pytest.approx(float(((pred - y) ** 2).mean()), rel=1e-5)
