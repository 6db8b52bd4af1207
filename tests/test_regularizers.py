"""``layerwise.regularizers``: each penalty against its formula, Keras 3 as an oracle, and the
penalties reaching ``model.losses`` and the training loss."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import regularizers


def _orthogonal_penalty(w: np.ndarray, factor: float, mode: str) -> float:
    """Keras's definition in float64: mean |off-diagonal| of the Gram matrix of the unit rows (or columns)."""
    w = np.asarray(w, np.float64)
    vectors = w if mode == "rows" else w.T
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    gram = vectors @ vectors.T
    n = gram.shape[0]
    off_diagonal = np.abs(gram - np.eye(n))
    return factor * off_diagonal.sum() / (n * (n - 1))


def test_penalties_match_their_formulas():
    w = torch.tensor([[1.0, -2.0], [3.0, 0.5]])
    assert float(regularizers.L1(0.1)(w)) == pytest.approx(0.1 * 6.5)
    assert float(regularizers.L2(0.1)(w)) == pytest.approx(0.1 * (1 + 4 + 9 + 0.25))
    assert float(regularizers.L1L2(0.1, 0.2)(w)) == pytest.approx(0.1 * 6.5 + 0.2 * 14.25)
    l1_l2 = regularizers.get("l1_l2")
    assert (l1_l2.l1, l1_l2.l2) == (0.01, 0.01)
    assert regularizers.get("l2").l2 == 0.01 and regularizers.get("l1").l1 == 0.01
    rows = torch.nn.functional.normalize(w, dim=1)
    gram = rows @ rows.T
    assert float(regularizers.OrthogonalRegularizer(1.0)(w)) == pytest.approx(float(gram[0, 1].abs()), rel=1e-6)


@pytest.mark.parametrize("mode", ["rows", "columns"])
def test_orthogonal_regularizer_matches_float64_definition(mode):
    w = np.random.RandomState(1).randn(6, 4)
    ours = float(regularizers.OrthogonalRegularizer(0.3, mode)(torch.tensor(w, dtype=torch.float64)))
    assert ours == pytest.approx(_orthogonal_penalty(w, 0.3, mode), rel=1e-10)
    # orthonormal rows have no penalty
    q, _ = np.linalg.qr(np.random.RandomState(2).randn(5, 5))
    assert float(regularizers.OrthogonalRegularizer(1.0, "rows")(torch.tensor(q))) == pytest.approx(0.0, abs=1e-12)


def test_regularizer_parity(keras_oracle):
    w = np.random.RandomState(0).randn(5, 4).astype("float32")
    for ours, theirs in [(regularizers.L1(0.3), keras_oracle.regularizers.L1(0.3)),
                         (regularizers.L2(0.2), keras_oracle.regularizers.L2(0.2)),
                         (regularizers.L1L2(0.1, 0.05), keras_oracle.regularizers.L1L2(0.1, 0.05)),
                         (regularizers.OrthogonalRegularizer(0.5, "rows"),
                          keras_oracle.regularizers.OrthogonalRegularizer(0.5, "rows")),
                         (regularizers.OrthogonalRegularizer(0.5, "columns"),
                          keras_oracle.regularizers.OrthogonalRegularizer(0.5, "columns"))]:
        expected = float(keras_oracle.ops.convert_to_numpy(theirs(keras_oracle.ops.convert_to_tensor(w))))
        assert float(ours(torch.from_numpy(w))) == pytest.approx(expected, rel=1e-5)
        assert ours.get_config() == pytest.approx(theirs.get_config())


def test_penalties_reach_model_losses_and_the_training_loss():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)),
                              keras.layers.Dense(4, kernel_regularizer="l2", bias_regularizer=keras.regularizers.L1(0.5),
                                                 activity_regularizer=keras.regularizers.L2(0.1))])
    x = np.random.RandomState(0).randn(8, 3).astype("float32")
    y = np.zeros((8, 4), "float32")
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    out = model(torch.from_numpy(x))
    kernel, bias = (w.detach().numpy().astype(np.float64) for w in model.layers[0].weights)
    weight_penalty = 0.01 * (kernel ** 2).sum() + 0.5 * np.abs(bias).sum()
    # Keras: the activity penalty is summed over the output and divided by the batch size
    activity_penalty = 0.1 * (out.detach().numpy().astype(np.float64) ** 2).sum() / 8
    assert float(sum(v.detach() for v in model.losses)) == pytest.approx(weight_penalty + activity_penalty, rel=1e-5)
    data_loss = ((out.detach().numpy().astype(np.float64) - y) ** 2).mean()
    logs = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(data_loss + weight_penalty + activity_penalty, rel=1e-5)


def test_config_round_trips_and_unknown_names():
    for obj in (regularizers.L1L2(0.1, 0.2), regularizers.OrthogonalRegularizer(0.2, "columns")):
        again = type(obj).from_config(obj.get_config())
        assert again.get_config() == obj.get_config()
    with pytest.raises(ValueError, match="Unknown regularizer: 'l3'"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="`L2` argument `l2` must be a number"):
        keras.regularizers.L2(-1.0)
