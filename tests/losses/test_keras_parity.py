"""The losses added beside the cross-entropies, against Keras 3: every class with every reduction,
weight shape and mask; the functions; configs; and ``get`` for every name Keras knows.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import REDUCTIONS, binary_data, categorical_data, logits_data, t, to_np

NOT_IMPLEMENTED = {"CTC", "ctc", "Circle", "circle", "Tversky", "tversky", "CategoricalGeneralizedCrossEntropy",
                   "categorical_generalized_cross_entropy"}


def _cases(rng):
    n = 12
    labels, y_onehot, probs = categorical_data(rng, n=n, c=4)
    logits = logits_data(rng, n=n, c=4)
    yb, pb = binary_data(rng, n=n, k=3)
    reg_y, reg_p = rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    reg_y[0, 0] = 0.0  # a zero label for MAPE, a zero/negative value for MSLE
    reg_p[1, 0] = -0.5
    soft = rng.dirichlet(np.ones(4), size=n)
    counts = rng.poisson(2.0, size=(n, 3)).astype(np.float64)
    rates = rng.uniform(0, 4, size=(n, 3))
    rates[0, 0] = 0.0
    signs = 2 * yb - 1
    masks = (rng.uniform(size=(n, 5)) > 0.5).astype(np.float64)
    return [
        ("MeanAbsolutePercentageError", {}, reg_y, reg_p),
        ("MeanSquaredLogarithmicError", {}, np.abs(reg_y), reg_p),
        ("MeanSquaredLogarithmicError", {}, np.abs(reg_y[:, 0]), np.abs(reg_p[:, :1])),  # (n,) vs (n, 1)
        ("CosineSimilarity", {}, reg_y, reg_p),
        ("Huber", {}, 3 * reg_y, reg_p),
        ("Huber", {"delta": 0.5}, reg_y, reg_p),
        ("LogCosh", {}, 5 * reg_y, reg_p),
        ("Hinge", {}, yb, 2 * reg_p),  # 0/1 labels are converted to -1/1
        ("Hinge", {}, signs, 2 * reg_p),
        ("SquaredHinge", {}, yb, 2 * reg_p),
        ("CategoricalHinge", {}, y_onehot, logits),
        ("KLDivergence", {}, soft, probs),
        ("KLDivergence", {}, y_onehot, soft),
        ("Poisson", {}, counts, rates),
        ("BinaryFocalCrossentropy", {}, yb, pb),
        ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.6, "gamma": 1.0}, yb, pb),
        ("BinaryFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, yb, logits[:, :3]),
        ("CategoricalFocalCrossentropy", {}, y_onehot, probs),
        ("CategoricalFocalCrossentropy", {"from_logits": True, "gamma": 1.5}, y_onehot, logits),
        ("CategoricalFocalCrossentropy", {"alpha": [0.1, 0.2, 0.3, 0.4], "label_smoothing": 0.2}, y_onehot, probs),
        ("Dice", {"axis": (1,)}, masks, rng.uniform(size=(n, 5))),
    ]


CASES = len(_cases(np.random.default_rng(0)))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("case", range(CASES))
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_loss_classes_match_keras(keras_oracle, case, reduction):
    kr = keras_oracle
    rng = np.random.default_rng(200 + case)
    name, kwargs, y, p = _cases(rng)[case]
    n = len(y)
    w = rng.uniform(0, 2, size=n).astype(np.float32)
    mask = rng.uniform(size=n) > 0.4
    mask[0] = True
    ours = getattr(keras.losses, name)(reduction=reduction, **kwargs)
    theirs = getattr(kr.losses, name)(reduction=reduction, **kwargs)
    y_true = t(y)
    for sample_weight in (None, w, w[:, None]):
        for masked in (False, True):
            y_pred = t(p)
            if masked:
                kr.src.backend.set_keras_mask(y_pred, torch.as_tensor(mask))
            got = ours(y_true, y_pred, sample_weight=sample_weight)
            want = kr.ops.convert_to_numpy(theirs(y_true, y_pred, sample_weight=sample_weight))
            assert tuple(got.shape) == want.shape
            np.testing.assert_allclose(to_np(got), want, rtol=2e-6, atol=2e-6,
                                       err_msg=f"{name}{kwargs} weight={sample_weight is not None} mask={masked}")


@pytest.mark.keras_oracle
def test_dice_over_everything_matches_keras(keras_oracle):
    kr = keras_oracle
    rng = np.random.default_rng(5)
    y, p = t((rng.uniform(size=(4, 3, 3)) > 0.5).astype(np.float32)), t(rng.uniform(size=(4, 3, 3)))
    w = rng.uniform(0, 2, size=4).astype(np.float32)
    for reduction in REDUCTIONS:
        for sample_weight in (None, w):
            got = keras.losses.Dice(reduction=reduction)(y, p, sample_weight=sample_weight)
            want = kr.losses.Dice(reduction=reduction)(y, p, sample_weight=sample_weight)
            np.testing.assert_allclose(to_np(got), kr.ops.convert_to_numpy(want), rtol=1e-6, err_msg=reduction)


@pytest.mark.keras_oracle
def test_loss_functions_match_keras(keras_oracle):
    kr = keras_oracle
    rng = np.random.default_rng(11)
    _, y, p = categorical_data(rng)
    x = logits_data(rng)
    yb, pb = binary_data(rng, k=4)
    r1, r2 = rng.normal(size=(16, 4)), rng.normal(size=(16, 4))
    r2[0] = r1[0] + [0.0, 1e-3, 30.0, -200.0]  # log_cosh: tiny, switch-over and huge errors
    soft = rng.dirichlet(np.ones(4), size=16)
    volume_y = (rng.uniform(size=(3, 4, 5)) > 0.5).astype(np.float32)
    volume_p = rng.uniform(size=(3, 4, 5))
    calls = [
        ("mean_absolute_percentage_error", (r1, r2), {}), ("mean_squared_logarithmic_error", (np.abs(r1), r2), {}),
        ("cosine_similarity", (r1, r2), {}), ("cosine_similarity", (r1, r2), {"axis": 0}),
        ("huber", (r1, 3 * r2), {"delta": 2.0}), ("log_cosh", (r1, r2), {}),
        ("hinge", (yb, r2), {}), ("squared_hinge", (2 * yb - 1, r2), {}), ("categorical_hinge", (y, x), {}),
        ("kl_divergence", (soft, p), {}), ("poisson", (np.abs(r1), np.abs(r2)), {}),
        ("binary_focal_crossentropy", (yb, pb), {"gamma": 3.0, "label_smoothing": 0.2}),
        ("binary_focal_crossentropy", (yb, x), {"from_logits": True, "apply_class_balancing": True}),
        ("categorical_focal_crossentropy", (y, p), {"alpha": 0.5}),
        ("categorical_focal_crossentropy", (y, x), {"from_logits": True, "label_smoothing": 0.1}),
        ("dice", (volume_y, volume_p), {}), ("dice", (volume_y, volume_p), {"axis": (1, 2)}),
    ]
    for name, (a, b), kwargs in calls:
        got = getattr(keras.losses, name)(t(a), t(b), **kwargs)
        want = kr.ops.convert_to_numpy(getattr(kr.losses, name)(t(a), t(b), **kwargs))
        np.testing.assert_allclose(to_np(got), want, rtol=2e-6, atol=2e-6, err_msg=f"{name}{kwargs}")


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name,kwargs", [
    ("MeanAbsolutePercentageError", {}), ("MeanSquaredLogarithmicError", {"reduction": "sum"}),
    ("CosineSimilarity", {"axis": 0}), ("Huber", {"delta": 2.0}), ("LogCosh", {"name": "lc"}), ("Hinge", {}),
    ("SquaredHinge", {}), ("CategoricalHinge", {}), ("KLDivergence", {}), ("Poisson", {"reduction": None}),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.0, "from_logits": True,
                                 "label_smoothing": 0.1, "axis": 1}),
    ("CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 3.0, "label_smoothing": 0.2}),
    ("Dice", {"axis": (1, 2)}),
])
def test_loss_configs_match_keras(keras_oracle, name, kwargs):
    ours = getattr(keras.losses, name)(**kwargs)
    theirs = getattr(keras_oracle.losses, name)(**kwargs)
    config, keras_config = ours.get_config(), theirs.get_config()
    # Keras leaves `delta` (Huber) and `axis` (CosineSimilarity) out of the config; we keep them
    assert set(keras_config) <= set(config)
    assert {k: config[k] for k in keras_config} == keras_config
    revived = keras.losses.deserialize(keras.losses.serialize(ours))
    assert type(revived) is type(ours) and revived.get_config() == config


@pytest.mark.keras_oracle
def test_every_keras_loss_name_resolves(keras_oracle):
    from keras.src.losses import ALL_OBJECTS_DICT

    for name, obj in sorted(ALL_OBJECTS_DICT.items()):
        if name in NOT_IMPLEMENTED or getattr(obj, "__name__", "") in NOT_IMPLEMENTED:
            continue
        if name in ("Loss", "LossFunctionWrapper"):
            assert getattr(keras.losses, name) is not None
            continue
        ours = keras.losses.ALL_OBJECTS[name]
        assert ours.__name__ == obj.__name__, name
        assert getattr(keras.losses, obj.__name__) is ours
