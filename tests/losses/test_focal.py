"""Focal cross-entropies against their float64 definitions; gamma=0 gives the plain cross-entropies."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import (
    _clip_bounds,
    binary_data,
    categorical_data,
    logits_data,
    np_binary_focal,
    np_categorical_focal,
    t,
    to_np,
)


def _np_dtype(dtype):
    return np.float32 if dtype == torch.float32 else np.float64


@pytest.mark.parametrize("kwargs", [
    {}, {"gamma": 0.0}, {"gamma": 3.5}, {"apply_class_balancing": True}, {"apply_class_balancing": True, "alpha": 0.9},
    {"label_smoothing": 0.2}, {"from_logits": True}, {"from_logits": True, "label_smoothing": 0.1, "gamma": 1.0},
])
@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-10), (torch.float32, 2e-5)])
def test_binary_focal_crossentropy_matches_numpy(rng, kwargs, dtype, tol):
    y, p = binary_data(rng, n=12, k=3)  # probabilities exactly 0 and 1, right and wrong
    if kwargs.get("from_logits"):
        p = logits_data(rng, n=12, c=3)  # logits of +-50
    out = keras.losses.binary_focal_crossentropy(t(y, dtype), t(p, dtype), **kwargs)
    assert torch.isfinite(out).all()
    np.testing.assert_allclose(to_np(out), np_binary_focal(y, p, dtype=_np_dtype(dtype), **kwargs), rtol=tol, atol=tol)


def test_binary_focal_crossentropy_special_cases(rng):
    y, p = binary_data(rng)
    y64, p64 = t(y, torch.float64), t(p, torch.float64)
    # gamma = 0 and no balancing: the plain binary cross-entropy
    torch.testing.assert_close(keras.losses.binary_focal_crossentropy(y64, p64, gamma=0.0),
                               keras.losses.binary_crossentropy(y64, p64))
    # by hand: t = 1, p = 0.9: (1 - 0.9)**2 * -log(0.9); balanced: * 0.25
    out = keras.losses.binary_focal_crossentropy(t([[1.0]], torch.float64), t([[0.9]], torch.float64),
                                                 apply_class_balancing=True)
    assert float(out) == pytest.approx(0.25 * 0.01 * -np.log(0.9), rel=1e-12)
    # with logits: a confidently wrong logit costs -log(eps) like Keras, not the logit itself
    lo = _clip_bounds(np.float32)[0]
    out = keras.losses.binary_focal_crossentropy(t([[1.0]]), t([[-50.0]]), from_logits=True)
    assert float(out) == pytest.approx(-np.log(lo), rel=1e-5)
    # axis
    y3, p3 = rng.integers(0, 2, size=(4, 3, 5)).astype(float), rng.uniform(size=(4, 3, 5))
    out = keras.losses.binary_focal_crossentropy(t(y3, torch.float64), t(p3, torch.float64), axis=1)
    np.testing.assert_allclose(to_np(out), np_binary_focal(y3, p3, axis=1), rtol=1e-10)


@pytest.mark.parametrize("kwargs", [
    {}, {"gamma": 0.0, "alpha": 1.0}, {"alpha": [0.1, 0.2, 0.3, 0.4]}, {"label_smoothing": 0.3},
    {"from_logits": True}, {"from_logits": True, "gamma": 1.5, "label_smoothing": 0.1},
])
@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-10), (torch.float32, 2e-5)])
def test_categorical_focal_crossentropy_matches_numpy(rng, kwargs, dtype, tol):
    _, y, p = categorical_data(rng)  # certain-and-right, certain-and-wrong, unnormalised rows
    if kwargs.get("from_logits"):
        p = logits_data(rng)
    out = keras.losses.categorical_focal_crossentropy(t(y, dtype), t(p, dtype), **kwargs)
    assert torch.isfinite(out).all()
    np.testing.assert_allclose(to_np(out), np_categorical_focal(y, p, dtype=_np_dtype(dtype), **kwargs),
                               rtol=tol, atol=tol)


def test_categorical_focal_crossentropy_special_cases(rng):
    _, y, p = categorical_data(rng)
    y64, p64 = t(y, torch.float64), t(p, torch.float64)
    torch.testing.assert_close(keras.losses.categorical_focal_crossentropy(y64, p64, alpha=1.0, gamma=0.0),
                               keras.losses.categorical_crossentropy(y64, p64))
    # by hand: label class 1 with p = 0.5: 0.25 * 0.5**2 * log(2)
    out = keras.losses.categorical_focal_crossentropy(t([[0.0, 1.0]], torch.float64), t([[0.5, 0.5]], torch.float64))
    assert float(out) == pytest.approx(0.25 * 0.25 * np.log(2), rel=1e-12)
    # classes on axis 1
    labels = rng.integers(0, 4, size=(3, 5))
    y3 = np.moveaxis(np.eye(4)[labels], -1, 1)
    p3 = rng.uniform(0.01, 1, size=(3, 4, 5))
    out = keras.losses.categorical_focal_crossentropy(t(y3, torch.float64), t(p3, torch.float64), axis=1)
    np.testing.assert_allclose(to_np(out), np_categorical_focal(y3, p3, axis=1), rtol=1e-10)
    with pytest.raises(ValueError, match="one-hot labels"):
        keras.losses.categorical_focal_crossentropy(t([0, 1]), t([[0.5, 0.5], [0.5, 0.5]]))


def test_focal_classes_validate_and_configure():
    loss = keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, gamma=1, from_logits=True)
    assert loss.get_config() == {"name": "binary_focal_crossentropy", "reduction": "sum_over_batch_size",
                                 "apply_class_balancing": True, "alpha": 0.4, "gamma": 1.0, "from_logits": True,
                                 "label_smoothing": 0.0, "axis": -1}
    per_class = keras.losses.CategoricalFocalCrossentropy(alpha=[0.2, 0.8])
    assert per_class.get_config()["alpha"] == [0.2, 0.8]
    clone = keras.losses.deserialize(keras.losses.serialize(per_class))
    y, p = torch.tensor([[0.0, 1.0], [1.0, 0.0]]), torch.tensor([[0.3, 0.7], [0.4, 0.6]])
    torch.testing.assert_close(clone(y, p), per_class(y, p))
    for cls, kwargs, message in [
        (keras.losses.BinaryFocalCrossentropy, {"alpha": 1.5}, r"`BinaryFocalCrossentropy` argument `alpha` must be a "
                                                               r"number in \[0, 1\]; received alpha=1.5"),
        (keras.losses.BinaryFocalCrossentropy, {"gamma": -1}, r"argument `gamma` must be a number in \[0, inf\)"),
        (keras.losses.BinaryFocalCrossentropy, {"apply_class_balancing": "yes"}, "must be True or False"),
        (keras.losses.CategoricalFocalCrossentropy, {"alpha": [0.5, -0.1]}, r"received alpha=\[0.5, -0.1\]"),
        (keras.losses.CategoricalFocalCrossentropy, {"label_smoothing": 2}, r"`label_smoothing` must be a number in"),
        (keras.losses.CategoricalFocalCrossentropy, {"from_logits": "False"}, "`from_logits` must be True or False"),
    ]:
        with pytest.raises(ValueError, match=message):
            cls(**kwargs)
