"""Losses against Keras 3 (every class, reduction, weight shape and mask), configs, ``get``, and
plain functions as the ``compile`` loss.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import ops
from tests.losses.conftest import REDUCTIONS, binary_data, categorical_data, logits_data, t, to_np

# ---------------------------------------------------------------------------------------------
# Keras 3 oracle: every class, every reduction, weights and masks, same inputs
# ---------------------------------------------------------------------------------------------

def _loss_cases(rng):
    n, c = 12, 4
    labels, y_onehot, probs = categorical_data(rng, n=n, c=c)
    logits = logits_data(rng, n=n, c=c)
    yb, pb = binary_data(rng, n=n, k=3)
    ignored = labels.copy()
    ignored[[1, 5]] = 0
    reg_y, reg_p = rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    return [
        ("MeanSquaredError", {}, reg_y, reg_p),
        ("MeanAbsoluteError", {}, reg_y, reg_p),
        ("MeanSquaredError", {}, reg_y[:, 0], reg_p[:, :1]),  # labels (n,) vs predictions (n, 1)
        ("BinaryCrossentropy", {}, yb, pb),
        ("BinaryCrossentropy", {"label_smoothing": 0.1}, yb, pb),
        ("BinaryCrossentropy", {"from_logits": True}, yb, logits[:, :3]),
        ("BinaryCrossentropy", {}, yb[:, 0], pb[:, :1]),
        ("CategoricalCrossentropy", {}, y_onehot, probs),
        ("CategoricalCrossentropy", {"label_smoothing": 0.2}, y_onehot, probs),
        ("CategoricalCrossentropy", {"from_logits": True}, y_onehot, logits),
        ("SparseCategoricalCrossentropy", {}, labels, probs),
        ("SparseCategoricalCrossentropy", {"from_logits": True}, labels[:, None], logits),
        ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 0}, ignored, logits),
        ("SparseCategoricalCrossentropy", {"ignore_class": 0}, ignored[:, None], probs),
    ]


@pytest.mark.keras_oracle
@pytest.mark.parametrize("case", range(14))
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_loss_classes_match_keras(keras_oracle, case, reduction):
    kr = keras_oracle
    rng = np.random.default_rng(100 + case)
    name, kwargs, y, p = _loss_cases(rng)[case]
    n = len(y)
    w = rng.uniform(0, 2, size=n).astype(np.float32)
    mask = rng.uniform(size=n) > 0.4
    mask[0] = True
    ours = getattr(keras.losses, name)(reduction=reduction, **kwargs)
    theirs = getattr(kr.losses, name)(reduction=reduction, **kwargs)
    y_true = torch.as_tensor(y.astype(np.int64 if name.startswith("Sparse") else np.float32))
    for sample_weight in (None, w, w[:, None]):
        for masked in (False, True):
            y_pred = t(p)
            if masked:
                kr.src.backend.set_keras_mask(y_pred, torch.as_tensor(mask))
                assert getattr(y_pred, "_keras_mask", None) is not None
            got = ours(y_true, y_pred, sample_weight=sample_weight)
            want = theirs(y_true, y_pred, sample_weight=sample_weight)
            np.testing.assert_allclose(to_np(got), kr.ops.convert_to_numpy(want), rtol=1e-6, atol=1e-6,
                                       err_msg=f"{name}{kwargs} weight={sample_weight is not None} mask={masked}")


@pytest.mark.keras_oracle
def test_loss_functions_match_keras(keras_oracle):
    kr = keras_oracle
    rng = np.random.default_rng(3)
    labels, y, p = categorical_data(rng)
    x = logits_data(rng)
    yb, pb = binary_data(rng, k=4)
    for name, args, kwargs in [
        ("mean_squared_error", (y, p), {}),
        ("mean_absolute_error", (y, p), {}),
        ("binary_crossentropy", (yb, pb), {"label_smoothing": 0.3}),
        ("binary_crossentropy", (yb, x), {"from_logits": True}),
        ("categorical_crossentropy", (y, p), {"label_smoothing": 0.3}),
        ("categorical_crossentropy", (y, x), {"from_logits": True}),
        ("sparse_categorical_crossentropy", (labels, p), {}),
        ("sparse_categorical_crossentropy", (labels, x), {"from_logits": True, "ignore_class": 1}),
    ]:
        y_true = torch.as_tensor(args[0] if name.startswith("sparse") else args[0].astype(np.float32))
        got = getattr(keras.losses, name)(y_true, t(args[1]), **kwargs)
        want = getattr(kr.losses, name)(y_true, t(args[1]), **kwargs)
        np.testing.assert_allclose(to_np(got), kr.ops.convert_to_numpy(want), rtol=1e-6, atol=1e-6, err_msg=name)


@pytest.mark.keras_oracle
def test_loss_configs_match_keras(keras_oracle):
    kr = keras_oracle
    for name, kwargs in [("MeanSquaredError", {}), ("MeanAbsoluteError", {"reduction": "sum"}),
                         ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}),
                         ("CategoricalCrossentropy", {"label_smoothing": 0.2}),
                         ("SparseCategoricalCrossentropy", {"ignore_class": 3})]:
        ours = getattr(keras.losses, name)(**kwargs).get_config()
        theirs = getattr(kr.losses, name)(**kwargs).get_config()
        shared = set(ours) & set(theirs)
        assert {"name", "reduction"} <= shared
        assert {k: ours[k] for k in shared} == {k: theirs[k] for k in shared}


# ---------------------------------------------------------------------------------------------
# configs, get, serialization
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("loss", [
    keras.losses.MeanSquaredError(reduction="sum", name="my_mse"),
    keras.losses.MeanAbsoluteError(),
    keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, axis=1, reduction="none"),
    keras.losses.CategoricalCrossentropy(label_smoothing=0.2),
    keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1, reduction="mean_with_sample_weight"),
])
def test_loss_config_round_trip(loss):
    config = loss.get_config()
    clone = type(loss).from_config(config)
    assert clone.get_config() == config
    again = keras.losses.deserialize(keras.losses.serialize(loss))
    assert type(again) is type(loss) and again.get_config() == config
    y, p = torch.tensor([[0.0, 1.0], [1.0, 0.0]]), torch.tensor([[0.3, 0.7], [0.6, 0.4]])
    if isinstance(loss, keras.losses.SparseCategoricalCrossentropy):
        y = torch.tensor([1, 0])
    torch.testing.assert_close(clone(y, p), loss(y, p))


def test_losses_get():
    get = keras.losses.get
    assert get("mse") is keras.losses.mean_squared_error
    assert get("MSE") is keras.losses.mean_squared_error
    assert get("mae") is keras.losses.mean_absolute_error
    assert get("mean_squared_error") is keras.losses.mean_squared_error
    assert get("sparse_categorical_crossentropy") is keras.losses.sparse_categorical_crossentropy
    assert isinstance(get("BinaryCrossentropy"), keras.losses.BinaryCrossentropy)
    assert get(None) is None
    fn = lambda a, b: a
    assert get(fn) is fn
    loss = keras.losses.CategoricalCrossentropy(from_logits=True)
    assert get(loss) is loss
    assert get({"class_name": "MeanAbsoluteError", "config": {"name": "l1", "reduction": "sum"}}).name == "l1"
    with pytest.raises(ValueError, match=r"^Unknown loss: 'mean_sqared_error'.*Did you mean: 'mean_squared_error'"):
        get("mean_sqared_error")
    with pytest.raises(ValueError, match=r"^Unknown loss:.*'mse'"):
        get("msee")


# ---------------------------------------------------------------------------------------------
# 4. a plain function as the compile loss
# ---------------------------------------------------------------------------------------------

def squared_error(y_true, y_pred):
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def asymmetric_error(y_true, y_pred):
    """Under-predictions cost 4 times as much as over-predictions."""
    error = y_true - y_pred
    return ops.mean(ops.where(error > 0, 4.0 * ops.square(error), ops.square(error)), axis=-1)


@pytest.mark.parametrize("fn", [squared_error, asymmetric_error])
def test_plain_function_trains_a_model(fn):
    rng = np.random.RandomState(0)
    x = rng.randn(128, 3).astype("float32")
    y = (x @ np.array([1.5, -2.0, 0.5], dtype="float32") + 0.3).astype("float32")  # labels (n,)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss=fn)
    history = model.fit(x, y, batch_size=32, epochs=8, verbose=0)
    losses = history.history["loss"]
    assert np.all(np.isfinite(losses)) and losses[-1] < 0.1 * losses[0]
    # the reported loss is the function of labels (n, 1) and predictions (n, 1), averaged
    pred = model.predict(x, verbose=0)
    expected = float(ops.mean(fn(torch.as_tensor(y[:, None]), torch.as_tensor(pred))))
    assert model.evaluate(x, y, batch_size=128, verbose=0) == pytest.approx(expected, rel=1e-5)


def test_asymmetric_loss_penalises_one_side():
    y = torch.tensor([[1.0], [1.0]])
    under = keras.losses.LossFunctionWrapper(asymmetric_error)(y, torch.tensor([[0.0], [0.0]]))
    over = keras.losses.LossFunctionWrapper(asymmetric_error)(y, torch.tensor([[2.0], [2.0]]))
    assert float(under) == 4.0 and float(over) == 1.0
