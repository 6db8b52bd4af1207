"""``layerwise.metrics.get`` and ``compile(metrics=[...])`` for every name Keras 3 knows: each
resolves, and the loss-based ones give Keras's values.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras

# Keras 3 metrics not in layerwise yet (IoU family, R2Score, correlations) and the abstract base.
NOT_IMPLEMENTED = {"BinaryIoU", "binary_io_u", "IoU", "io_u", "MeanIoU", "mean_io_u", "OneHotIoU", "one_hot_io_u",
                   "OneHotMeanIoU", "one_hot_mean_io_u", "R2Score", "r2_score", "PearsonCorrelation",
                   "pearson_correlation", "ConcordanceCorrelation", "concordance_correlation", "metric"}
NEEDS_ARGUMENTS = {"SensitivityAtSpecificity", "SpecificityAtSensitivity", "PrecisionAtRecall", "RecallAtPrecision",
                   "MeanMetricWrapper"}

# name -> kind of data; the metrics made from losses, under every name Keras (or Keras 2) gives them
LOSS_METRICS = {
    "mse": "regression", "MSE": "regression", "mean_squared_error": "regression", "MeanSquaredError": "regression",
    "mae": "regression", "MAE": "regression", "mean_absolute_error": "regression", "MeanAbsoluteError": "regression",
    "mape": "regression", "MAPE": "regression", "mean_absolute_percentage_error": "regression",
    "MeanAbsolutePercentageError": "regression",
    "msle": "positive", "MSLE": "positive", "mean_squared_logarithmic_error": "positive",
    "MeanSquaredLogarithmicError": "positive",
    "root_mean_squared_error": "regression", "RootMeanSquaredError": "regression",
    "cosine_similarity": "regression", "CosineSimilarity": "regression",
    "log_cosh_error": "regression", "LogCoshError": "regression", "logcosh": "regression", "log_cosh": "regression",
    "kl_divergence": "distributions", "KLDivergence": "distributions", "kld": "distributions",
    "poisson": "positive", "Poisson": "positive",
    "bce": "binary", "BCE": "binary", "binary_crossentropy": "binary", "BinaryCrossentropy": "binary",
    "categorical_crossentropy": "one_hot", "CategoricalCrossentropy": "one_hot",
    "sparse_categorical_crossentropy": "sparse", "SparseCategoricalCrossentropy": "sparse",
    "hinge": "signs", "Hinge": "signs", "squared_hinge": "signs", "SquaredHinge": "signs",
    "categorical_hinge": "one_hot", "CategoricalHinge": "one_hot",
}
# names Keras 3's metrics.get does not know, and the Keras class that gives their values
KERAS_EQUIVALENT = {"logcosh": "LogCoshError", "log_cosh": "LogCoshError", "kld": "KLDivergence"}


def _data(rng, kind, n=10):
    if kind == "regression":
        return rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    if kind == "positive":
        return rng.uniform(0, 3, size=(n, 3)), rng.uniform(0, 3, size=(n, 3))
    if kind == "distributions":
        return rng.dirichlet(np.ones(4), size=n), rng.dirichlet(np.ones(4), size=n)
    if kind == "binary":
        return rng.integers(0, 2, size=(n, 3)), rng.uniform(size=(n, 3))
    if kind == "signs":
        return np.where(rng.uniform(size=(n, 3)) > 0.5, 1, -1), rng.normal(size=(n, 3))
    labels = rng.integers(0, 4, size=n)
    probs = rng.dirichlet(np.ones(4), size=n)
    return (labels, probs) if kind == "sparse" else (np.eye(4)[labels], probs)


def as_metric(obj):
    return obj if isinstance(obj, keras.metrics.Metric) else keras.metrics.MeanMetricWrapper(obj)


def test_names_of_our_metrics_resolve():
    get = keras.metrics.get
    for name in LOSS_METRICS:
        metric = as_metric(get(name))
        metric.update_state(*(torch.as_tensor(a, dtype=torch.float32) for a in _data(np.random.default_rng(0),
                                                                                      LOSS_METRICS[name])))
        assert np.isfinite(float(metric.result())), name
    assert isinstance(get("root_mean_squared_error"), keras.metrics.RootMeanSquaredError)
    assert isinstance(get("cosine_similarity"), keras.metrics.CosineSimilarity)  # the metric: not negated
    assert isinstance(get("log_cosh_error"), keras.metrics.LogCoshError)
    assert get("mape") is keras.metrics.mean_absolute_percentage_error is keras.metrics.MAPE
    assert get("bce") is keras.metrics.binary_crossentropy
    assert get("logcosh") is keras.metrics.log_cosh
    with pytest.raises(ValueError, match=r"Unknown metric: 'root_mean_square_error'.*'root_mean_squared_error'"):
        get("root_mean_square_error")


@pytest.mark.keras_oracle
def test_every_keras_metric_name_resolves(keras_oracle):
    from keras.src.metrics import ALL_OBJECTS_DICT

    missing = sorted(n for n in ALL_OBJECTS_DICT if n not in NOT_IMPLEMENTED and n not in keras.metrics.ALL_OBJECTS)
    assert not missing
    for name, cls in ALL_OBJECTS_DICT.items():
        if name in NOT_IMPLEMENTED or cls.__name__ in NEEDS_ARGUMENTS or cls.__name__ == "Metric":
            continue
        ours = keras.metrics.get(name)
        # a class name gives the same class; a function name gives the function with the same values
        if isinstance(ours, keras.metrics.Metric):
            assert type(ours).__name__ == cls.__name__, name
        else:
            assert callable(ours) and (name in LOSS_METRICS or ours.__name__ == name), name


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name", sorted(LOSS_METRICS))
def test_loss_metrics_by_name_match_keras(keras_oracle, name):
    rng = np.random.default_rng(sum(map(ord, name)))
    ours = as_metric(keras.metrics.get(name))
    theirs = keras_oracle.metrics.get(KERAS_EQUIVALENT.get(name, name))
    for _ in range(3):
        y, p = _data(rng, LOSS_METRICS[name], n=int(rng.integers(3, 9)))
        w = rng.uniform(0, 2, size=len(y)).astype(np.float32)
        y = torch.as_tensor(y, dtype=torch.int64 if LOSS_METRICS[name] == "sparse" else torch.float32)
        p = torch.as_tensor(p, dtype=torch.float32)
        ours.update_state(y, p, sample_weight=w)
        theirs.update_state(y, p, sample_weight=w)
    want = float(keras_oracle.ops.convert_to_numpy(theirs.result()))
    assert float(ours.result()) == pytest.approx(want, rel=2e-6, abs=1e-7)


@pytest.mark.keras_oracle
def test_compile_metrics_by_name_match_keras(keras_oracle):
    kr = keras_oracle
    rng = np.random.RandomState(0)
    x = rng.randn(48, 5).astype("float32")
    y_reg = np.abs(rng.randn(48, 3)).astype("float32")
    regression = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softplus")])
    names = ["mse", "mae", "mape", "msle", "root_mean_squared_error", "cosine_similarity", "logcosh", "poisson"]
    regression.compile("sgd", "mse", metrics=names)
    logs = regression.evaluate(x, y_reg, batch_size=16, verbose=0, return_dict=True)
    pred = torch.as_tensor(regression.predict(x, verbose=0))
    y_cls = np.eye(4)[rng.randint(0, 4, 48)].astype("float32")
    classifier = keras.Sequential([keras.Input((5,)), keras.layers.Dense(4, activation="softmax")])
    class_names = ["categorical_crossentropy", "kl_divergence", "categorical_hinge", "bce"]
    classifier.compile("sgd", "categorical_crossentropy", metrics=class_names)
    class_logs = classifier.evaluate(x, y_cls, batch_size=16, verbose=0, return_dict=True)
    class_pred = torch.as_tensor(classifier.predict(x, verbose=0))
    for names_, logs_, y, p in [(names, logs, y_reg, pred), (class_names, class_logs, y_cls, class_pred)]:
        for name in names_:
            theirs = kr.metrics.get(KERAS_EQUIVALENT.get(name, name))
            for start in range(0, 48, 16):  # the same batches
                theirs.update_state(torch.as_tensor(y[start:start + 16]), p[start:start + 16])
            assert logs_[name] == pytest.approx(float(kr.ops.convert_to_numpy(theirs.result())), rel=1e-5), name


OUR_METRIC_CLASSES = ["MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
                      "MeanSquaredLogarithmicError", "RootMeanSquaredError", "CosineSimilarity", "LogCoshError",
                      "KLDivergence", "Poisson", "BinaryCrossentropy", "CategoricalCrossentropy",
                      "SparseCategoricalCrossentropy", "Hinge", "SquaredHinge", "CategoricalHinge"]


def test_losses_and_metrics_never_read_a_tensor_on_the_host(monkeypatch):
    """A CPU stand-in for CUDA's sync check: the per-step path never converts a tensor to a Python value."""
    rng = np.random.default_rng(3)
    kinds = {**{k: v for k, v in LOSS_METRICS.items() if k[0].isupper()}, "RootMeanSquaredError": "regression"}
    inputs = {}
    for name in OUR_METRIC_CLASSES:
        y, p = _data(rng, kinds[name])
        inputs[name] = (torch.as_tensor(y, dtype=torch.int64 if kinds[name] == "sparse" else torch.float32),
                        torch.as_tensor(p, dtype=torch.float32), torch.rand(len(y)))
    metrics = {name: getattr(keras.metrics, name)() for name in OUR_METRIC_CLASSES}
    losses = {name: getattr(keras.losses, name)() for name in OUR_METRIC_CLASSES
              if hasattr(keras.losses, name) and name != "RootMeanSquaredError"}

    def refuse(*args, **kwargs):
        raise AssertionError("a tensor was read on the host")

    for method in ("item", "tolist", "__bool__", "__float__", "__int__", "cpu", "numpy"):
        monkeypatch.setattr(torch.Tensor, method, refuse)
    for name, (y, p, w) in inputs.items():
        metrics[name].update_state(y, p)
        metrics[name].update_state(y, p, sample_weight=w)
        if name in losses:
            losses[name](y, p, sample_weight=w)
    monkeypatch.undo()
    assert all(np.isfinite(float(m.result())) for m in metrics.values())
