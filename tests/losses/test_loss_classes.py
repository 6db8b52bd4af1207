"""Every loss class is its function reduced by Keras's rules (NumPy float64 references), and
every string name reaches the right object.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import (
    REDUCTIONS,
    np_binary_focal,
    np_categorical_focal,
    np_categorical_hinge,
    np_cosine,
    np_hinge,
    np_huber,
    np_jsd,
    np_kld,
    np_log_cosh,
    np_mape,
    np_msle,
    np_poisson,
    np_reduce,
    np_squared_hinge,
    np_wasserstein,
    t,
    to_np,
)

L = keras.losses
CLASSES = [
    (L.MeanAbsolutePercentageError, {}, np_mape, "regression"),
    (L.MeanSquaredLogarithmicError, {}, np_msle, "positive"),
    (L.CosineSimilarity, {}, np_cosine, "regression"),
    (L.Huber, {"delta": 0.7}, lambda y, p: np_huber(y, p, 0.7), "regression"),
    (L.LogCosh, {}, np_log_cosh, "regression"),
    (L.Hinge, {}, np_hinge, "signs"),
    (L.SquaredHinge, {}, np_squared_hinge, "signs"),
    (L.CategoricalHinge, {}, np_categorical_hinge, "one_hot"),
    (L.KLDivergence, {}, np_kld, "distributions"),
    (L.Poisson, {}, np_poisson, "positive"),
    (L.BinaryFocalCrossentropy, {"gamma": 1.5}, lambda y, p: np_binary_focal(y, p, gamma=1.5), "binary"),
    (L.CategoricalFocalCrossentropy, {}, np_categorical_focal, "one_hot_probabilities"),
    (L.JSDivergence, {}, np_jsd, "distributions"),
    (L.Wasserstein, {}, np_wasserstein, "signs"),
]


def _data(rng, kind, n=10):
    if kind == "regression":
        return rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    if kind == "positive":
        return rng.uniform(0, 3, size=(n, 3)), rng.uniform(0, 3, size=(n, 3))
    if kind == "signs":
        return np.where(rng.uniform(size=(n, 2)) > 0.5, 1.0, -1.0), rng.normal(size=(n, 2))
    if kind == "binary":
        return rng.integers(0, 2, size=(n, 3)).astype(float), rng.uniform(size=(n, 3))
    labels = np.eye(4)[rng.integers(0, 4, size=n)]
    if kind == "one_hot":
        return labels, rng.normal(size=(n, 4))
    if kind == "one_hot_probabilities":
        return labels, rng.dirichlet(np.ones(4), size=n)
    return rng.dirichlet(np.ones(4), size=n), rng.dirichlet(np.ones(4), size=n)


@pytest.mark.parametrize("cls,kwargs,ref,kind", CLASSES, ids=[c[0].__name__ for c in CLASSES])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_class_is_the_reduced_function(rng, cls, kwargs, ref, kind, reduction, weighted):
    y, p = _data(rng, kind)
    w = rng.uniform(0, 2, size=len(y)) if weighted else None
    if weighted:
        w[3] = 0.0
    out = cls(reduction=reduction, dtype="float64", **kwargs)(t(y, torch.float64), t(p, torch.float64),
                                                            sample_weight=w)
    np.testing.assert_allclose(to_np(out), np_reduce(ref(y, p), w, reduction=reduction), rtol=1e-10, atol=1e-12)
    # the default dtype is floatx
    assert cls(**kwargs)(t(y), t(p)).dtype == torch.float32


@pytest.mark.parametrize("cls", [c[0] for c in CLASSES] + [L.Dice])
def test_bad_reduction_and_name_defaults(cls):
    with pytest.raises(ValueError, match=rf"`{cls.__name__}` argument `reduction` must be one of .*received "
                                         r"reduction='avg'"):
        cls(reduction="avg")
    loss = cls()
    assert loss.reduction == "sum_over_batch_size"
    assert cls.from_config(loss.get_config()).get_config() == loss.get_config()


def test_get_every_name():
    get = L.get
    functions = ["mean_absolute_percentage_error", "mean_squared_logarithmic_error", "cosine_similarity", "huber",
                 "log_cosh", "hinge", "squared_hinge", "categorical_hinge", "kl_divergence", "poisson",
                 "binary_focal_crossentropy", "categorical_focal_crossentropy", "dice", "js_divergence",
                 "wasserstein"]
    for name in functions:
        assert get(name) is getattr(L, name), name
    for alias, fn in [("mape", "mean_absolute_percentage_error"), ("MAPE", "mean_absolute_percentage_error"),
                      ("msle", "mean_squared_logarithmic_error"), ("MSLE", "mean_squared_logarithmic_error"),
                      ("kld", "kl_divergence"), ("KLD", "kl_divergence"), ("logcosh", "log_cosh"),
                      ("huber_loss", "huber"), ("bce", "binary_crossentropy"), ("BCE", "binary_crossentropy"),
                      ("kullback_leibler_divergence", "kl_divergence"), ("jsd", "js_divergence")]:
        assert get(alias) is getattr(L, fn), alias
        assert getattr(L, alias) is getattr(L, fn), alias  # Keras 2's module attributes
    for cls in [c[0] for c in CLASSES] + [L.Dice]:
        assert type(get(cls.__name__)) is cls
    assert isinstance(get("huber_loss"), type(L.huber)) and get("Huber").name == "huber_loss"
    with pytest.raises(ValueError, match=r"Unknown loss: 'huberr'.*Did you mean: .*'huber'"):
        get("huberr")
    config = {"class_name": "CategoricalFocalCrossentropy", "config": {"alpha": [0.5, 0.5], "gamma": 1.0}}
    assert get(config).alpha == [0.5, 0.5]


def test_sparse_categorical_crossentropy_keeps_class_indices_exact_above_2_to_the_24():
    import torch.nn.functional as F

    classes = 2**24 + 2
    label = 2**24 + 1  # float32 cannot hold it: a float cast would turn it into 2**24, another class
    logits = torch.zeros(1, classes)
    logits[0, label] = 20.0
    y = torch.tensor([label])
    for loss in (keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                 keras.losses.LossFunctionWrapper(keras.losses.sparse_categorical_crossentropy, from_logits=True)):
        torch.testing.assert_close(loss(y, logits), F.cross_entropy(logits, y))  # the compile("...") form too
