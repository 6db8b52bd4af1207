"""split_dataset (sizes as fractions or counts, tuples, shuffling) and ArrayDataset (DataLoader and fit)."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.utils.dataset_utils import ArrayDataset, split_dataset


def test_split_sizes_follow_keras():
    x = np.arange(10)
    left, right = split_dataset(x, left_size=0.25)  # round(2.5) = 2, complement 8
    assert left.tolist() == [0, 1] and right.tolist() == list(range(2, 10))
    left, right = split_dataset(x, left_size=2, right_size=3)  # the right part is taken from the end
    assert left.tolist() == [0, 1] and right.tolist() == [7, 8, 9]
    left, right = split_dataset(torch.arange(10), right_size=0.3)
    assert isinstance(left, torch.Tensor) and left.tolist() == list(range(7)) and right.tolist() == [7, 8, 9]


def test_tuples_stay_aligned_and_shuffle_is_seeded():
    x, y = np.arange(20), np.arange(20) * 10
    (xl, yl), (xr, yr) = split_dataset((x, y), left_size=0.5, shuffle=True, seed=3)
    np.testing.assert_array_equal(yl, xl * 10)
    np.testing.assert_array_equal(yr, xr * 10)
    assert sorted(xl.tolist() + xr.tolist()) == list(range(20))
    assert xl.tolist() != list(range(10))  # shuffled
    (xl2, _), _ = split_dataset((x, y), left_size=0.5, shuffle=True, seed=3)
    np.testing.assert_array_equal(xl, xl2)


@pytest.mark.parametrize("kwargs,error,match", [
    ({}, ValueError, "needs `left_size` or `right_size`"),
    ({"left_size": 1.5}, ValueError, "`left_size` must be a float in"),
    ({"left_size": 10}, ValueError, "an integer in"),
    ({"left_size": 0.6, "right_size": 0.6}, ValueError, "at most 1"),
    ({"left_size": 6, "right_size": 6}, ValueError, "sum to at most"),
    ({"left_size": "half"}, TypeError, "must be an int"),
])
def test_invalid_sizes(kwargs, error, match):
    with pytest.raises(error, match=match):
        split_dataset(np.arange(10), **kwargs)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="one length"):
        split_dataset((np.arange(4), np.arange(5)), left_size=2)


def test_array_dataset_items_loader_and_fit():
    x = np.random.default_rng(0).normal(size=(12, 3))
    y = (x.sum(1) > 0).astype("float32")[:, None]
    data = ArrayDataset(x, y)
    assert len(data) == 12
    item_x, item_y = data[4]
    assert item_x.dtype == torch.float32  # float64 becomes floatx
    np.testing.assert_allclose(item_x.numpy(), x[4], rtol=1e-6)
    batches = list(torch.utils.data.DataLoader(data, batch_size=5))
    assert [tuple(b[0].shape) for b in batches] == [(5, 3), (5, 3), (2, 3)]
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    history = model.fit(data, batch_size=4, epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1
    assert ArrayDataset(np.arange(3))[1].item() == 1
    with pytest.raises(ValueError, match="one length"):
        ArrayDataset(np.zeros(3), np.zeros(4))
    with pytest.raises(TypeError, match="numeric"):
        ArrayDataset(np.array(["a", "b"]))
