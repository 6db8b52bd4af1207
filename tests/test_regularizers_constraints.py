import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import constraints, regularizers


def test_penalties_match_their_formulas():
    w = torch.tensor([[1.0, -2.0], [3.0, 0.5]])
    assert float(regularizers.L1(0.1)(w)) == pytest.approx(0.1 * 6.5)
    assert float(regularizers.L2(0.1)(w)) == pytest.approx(0.1 * (1 + 4 + 9 + 0.25))
    assert float(regularizers.L1L2(0.1, 0.2)(w)) == pytest.approx(0.1 * 6.5 + 0.2 * 14.25)
    l1_l2 = regularizers.get("l1_l2")
    assert (l1_l2.l1, l1_l2.l2) == (0.01, 0.01)
    rows = torch.nn.functional.normalize(w, dim=1)
    gram = rows @ rows.T
    assert float(regularizers.OrthogonalRegularizer(1.0)(w)) == pytest.approx(float(gram[0, 1].abs()), rel=1e-6)


def test_regularizer_parity(keras_oracle):
    w = np.random.RandomState(0).randn(5, 4).astype("float32")
    for ours, theirs in [(regularizers.L1(0.3), keras_oracle.regularizers.L1(0.3)),
                         (regularizers.L2(0.2), keras_oracle.regularizers.L2(0.2)),
                         (regularizers.OrthogonalRegularizer(0.5, "columns"),
                          keras_oracle.regularizers.OrthogonalRegularizer(0.5, "columns"))]:
        expected = float(keras_oracle.ops.convert_to_numpy(theirs(keras_oracle.ops.convert_to_tensor(w))))
        assert float(ours(torch.from_numpy(w))) == pytest.approx(expected, rel=1e-5)


def test_constraints_match_their_formulas():
    w = torch.tensor([[3.0, 0.3], [4.0, 0.4]])  # column norms 5 and 0.5
    np.testing.assert_allclose(constraints.MaxNorm(1.0)(w).numpy(), [[0.6, 0.3], [0.8, 0.4]], rtol=1e-5)
    np.testing.assert_allclose(constraints.UnitNorm()(w).numpy(), [[0.6, 0.6], [0.8, 0.8]], rtol=1e-5)
    np.testing.assert_allclose(constraints.MinMaxNorm(1.0, 2.0)(w).numpy(), [[1.2, 0.6], [1.6, 0.8]], rtol=1e-5)
    np.testing.assert_array_equal(constraints.NonNeg()(torch.tensor([-1.0, 2.0])).numpy(), [0.0, 2.0])


def test_config_round_trips_and_unknown_names():
    for obj in (regularizers.L1L2(0.1, 0.2), constraints.MaxNorm(3, axis=1)):
        again = type(obj).from_config(obj.get_config())
        assert again.get_config() == obj.get_config()
    with pytest.raises(ValueError, match="Unknown regularizer: 'l3'"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="Unknown constraint: 'non_negative'. Did you mean: 'non_neg'"):
        constraints.get("non_negative")
    with pytest.raises(ValueError, match="`L2` argument `l2` must be a number"):
        keras.regularizers.L2(-1.0)
