"""pad_sequences: padding/truncating sides, maxlen, element shapes, string dtypes, Keras parity."""

import numpy as np
import pytest

import layerwise as keras
from layerwise.utils.sequence_utils import pad_sequences

SEQS = [[1, 2, 3, 4], [5, 6], [], [7]]


@pytest.mark.parametrize("padding,truncating,expected", [
    ("pre", "pre", [[2, 3, 4], [0, 5, 6], [0, 0, 0], [0, 0, 7]]),
    ("post", "pre", [[2, 3, 4], [5, 6, 0], [0, 0, 0], [7, 0, 0]]),
    ("pre", "post", [[1, 2, 3], [0, 5, 6], [0, 0, 0], [0, 0, 7]]),
    ("post", "post", [[1, 2, 3], [5, 6, 0], [0, 0, 0], [7, 0, 0]]),
])
def test_sides_by_hand(padding, truncating, expected):
    out = pad_sequences(SEQS, maxlen=3, padding=padding, truncating=truncating)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, expected)


def test_default_maxlen_value_dtype_and_element_shape():
    out = pad_sequences([[1.5], [2.5, 3.5]], dtype="float32", value=-1.0)
    np.testing.assert_array_equal(out, [[-1.0, 1.5], [2.5, 3.5]])
    out = pad_sequences([np.ones((2, 3)), np.zeros((1, 3))], dtype="float32")
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[1], [[0, 0, 0], [0, 0, 0]])
    text = pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert text.tolist() == [["a", "b"], ["<pad>", "c"]]
    assert keras.utils.pad_sequences is pad_sequences if hasattr(keras.utils, "pad_sequences") else True


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`pad_sequences` argument `padding` must be one of"):
        pad_sequences(SEQS, padding="middle")
    with pytest.raises(ValueError, match="`maxlen` must be None or a non-negative integer"):
        pad_sequences(SEQS, maxlen=-1)
    with pytest.raises(ValueError, match="string value"):
        pad_sequences(SEQS, value="x")
    with pytest.raises(ValueError, match="element 0"):
        pad_sequences([3, 4])
    with pytest.raises(ValueError, match="shape"):
        pad_sequences([np.ones((1, 2)), np.ones((1, 3))])


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{}, {"maxlen": 2, "padding": "post"}, {"maxlen": 5, "truncating": "post", "value": 9}])
def test_parity_with_keras(keras_oracle, kwargs):
    np.testing.assert_array_equal(pad_sequences(SEQS, **kwargs), keras_oracle.utils.pad_sequences(SEQS, **kwargs))
