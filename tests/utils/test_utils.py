import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.utils import argument_validation, tree
from layerwise.utils.progbar import Progbar, format_duration, format_time_per_unit, format_value


def test_to_categorical_matches_keras_semantics():
    np.testing.assert_array_equal(keras.utils.to_categorical([[1], [0], [2]]), np.eye(3)[[1, 0, 2]])
    out = keras.utils.to_categorical(np.array([[0, 1], [1, 1]]), num_classes=3)
    assert out.shape == (2, 2, 3) and out.dtype == np.float32
    tensor = keras.utils.to_categorical(torch.tensor([1, 0]))
    assert isinstance(tensor, torch.Tensor) and tensor.tolist() == [[0, 1], [1, 0]]
    with pytest.raises(ValueError, match=r"label 5, outside \[0, 3\)"):
        keras.utils.to_categorical([5], num_classes=3)


def test_to_categorical_parity(keras_oracle):
    y = np.random.RandomState(0).randint(0, 6, (10, 1))
    np.testing.assert_array_equal(keras.utils.to_categorical(y), keras_oracle.utils.to_categorical(y))


def test_normalize():
    x = np.random.RandomState(0).randn(4, 3)
    np.testing.assert_allclose(keras.utils.normalize(x), x / np.linalg.norm(x, axis=-1, keepdims=True))
    np.testing.assert_allclose(keras.utils.normalize(x, axis=0, order=1), x / np.abs(x).sum(0, keepdims=True))
    assert float(keras.utils.normalize(torch.zeros(1, 2)).abs().sum()) == 0.0


def test_set_random_seed_makes_models_reproducible():
    def build():
        keras.utils.set_random_seed(42)
        return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dropout(0.5)])

    a, b = build(), build()
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    keras.utils.set_random_seed(1)
    ya = a(torch.ones(2, 3), training=True)
    keras.utils.set_random_seed(1)
    torch.testing.assert_close(b(torch.ones(2, 3), training=True), ya)
    with pytest.raises(ValueError, match="must be an integer"):
        keras.utils.set_random_seed("1")


def test_tree_helpers():
    structure = {"b": [1, (2, 3)], "a": 4}
    assert tree.flatten(structure) == [4, 1, 2, 3]
    assert tree.pack_sequence_as(structure, [40, 10, 20, 30]) == {"b": [10, (20, 30)], "a": 40}
    with pytest.raises(ValueError, match="fewer leaves"):
        tree.pack_sequence_as([1, 2], [1])
    with pytest.raises(ValueError, match="structures differ"):
        tree.map_structure(lambda a, b: a, [1, 2], [1])


def test_argument_validation_messages():
    with pytest.raises(ValueError, match=r"`X` argument `n` must be a non-negative integer; received n=-1."):
        argument_validation.non_negative_int("X", "n", -1)
    assert argument_validation.positive_int("X", "n", 3.0) == 3
    assert argument_validation.standardize_tuple("X", "k", (2, 3), 2) == (2, 3)
    with pytest.raises(ValueError, match="positive integers"):
        argument_validation.standardize_tuple("X", "k", (2, 0), 2)


def test_progbar_formatting_and_averaging(capsys):
    assert format_value(0.12345) == "0.1235" and format_value(0.00001) == "1.0000e-05"
    assert format_time_per_unit(0.0032, "step") == "3ms/step" and format_time_per_unit(2.4, "step") == "2s/step"
    assert format_duration(75) == "1:15" and format_duration(3700) == "1:01:40"
    bar = Progbar(target=2, verbose=2)
    bar.update(1, [("loss", 1.0)])
    bar.update(2, [("loss", 3.0)])
    out = capsys.readouterr().out
    assert out.startswith("2/2 - ") and "loss: 2.0000" in out  # non-stateful values are averaged


def test_progbar_stateful_metrics_shown_as_given(capsys):
    bar = Progbar(target=2, verbose=2, stateful_metrics=["acc"])
    bar.update(1, [("acc", 0.5)])
    bar.update(2, [("acc", 0.9)])
    assert "acc: 0.9000" in capsys.readouterr().out
