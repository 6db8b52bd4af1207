"""Every bad input gets a clear error before any weight changes."""

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.trainers.conftest import small_classifier


@pytest.fixture
def compiled():
    model = small_classifier()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _unchanged(model, before):
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_feature_count_mismatch(compiled):
    before = compiled.get_weights()
    with pytest.raises(ValueError, match=r"expects input of shape \(None, 4\), but received input of shape "
                                         r"\(32, 7\)"):
        compiled.fit(np.zeros((100, 7), "float32"), np.zeros(100, "int64"), verbose=0)
    _unchanged(compiled, before)


def test_feature_count_mismatch_in_functional_model_names_the_input():
    inputs = keras.Input((4,), name="pixels")
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(inputs))
    model.compile("sgd", "sparse_categorical_crossentropy")
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"Input 'pixels' of model .* expects data of shape \(None, 4\), but received "
                                         r"data of shape \(32, 5\)"):
        model.fit(np.zeros((64, 5), "float32"), np.zeros(64, "int64"), verbose=0)
    _unchanged(model, before)


def test_rank_mismatch(compiled):
    before = compiled.get_weights()
    with pytest.raises(ValueError, match=r"expects input of shape \(None, 4\), but received input of shape \(32, 4, 1, 2\)"):
        compiled.fit(np.zeros((64, 4, 1, 2), "float32"), np.zeros(64, "int64"), verbose=0)
    _unchanged(compiled, before)


def test_unbuilt_model_layer_error_names_layer():
    model = keras.Sequential([keras.layers.Dense(3, name="first"), keras.layers.Dense(2, name="second")])
    model.compile("sgd", "mse")
    model.fit(np.zeros((8, 4), "float32"), np.zeros((8, 2), "float32"), verbose=0)
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"expects input of shape \(None, 4\), but received input of shape \(8, 6\)"):
        model.fit(np.zeros((8, 6), "float32"), np.zeros((8, 2), "float32"), verbose=0)
    _unchanged(model, before)


def test_x_and_y_lengths_differ(compiled):
    with pytest.raises(ValueError, match=r"(?s)Data cardinality is ambiguous.*'x' sizes: 100\n'y' sizes: 90"):
        compiled.fit(np.zeros((100, 4), "float32"), np.zeros(90, "int64"), verbose=0)


@pytest.mark.parametrize("bad", [3, -1, 7])
def test_sparse_label_out_of_range(compiled, bad):
    before = compiled.get_weights()
    y = np.zeros(100, "int64")
    y[57] = bad
    with pytest.raises(ValueError, match=rf"Label {bad} \(sample 57\) is outside the valid range \[0, 3\).*has 3 "
                                         r"classes"):
        compiled.fit(np.zeros((100, 4), "float32"), y, verbose=0)
    _unchanged(compiled, before)


def test_sparse_label_out_of_range_in_a_dataloader(compiled):
    before = compiled.get_weights()
    y = torch.zeros(40, dtype=torch.int64)
    y[5] = 9
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(40, 4), y), batch_size=20)
    with pytest.raises(ValueError, match=r"Label 9 \(sample 5\) is outside the valid range \[0, 3\)"):
        compiled.fit(loader, verbose=0)
    _unchanged(compiled, before)


def test_fit_before_compile():
    model = small_classifier()
    with pytest.raises(ValueError, match=r"You must call `compile\(\)` before calling `fit\(\)`"):
        model.fit(np.zeros((4, 4)), np.zeros(4))
    with pytest.raises(ValueError, match=r"before calling `evaluate\(\)`"):
        model.evaluate(np.zeros((4, 4)), np.zeros(4))


@pytest.mark.parametrize("kind,call,pattern", [
    ("optimizer", lambda m: m.compile(optimizer="adma", loss="mse"), r"Unknown optimizer: 'adma'. Did you mean: .*'adam'"),
    ("loss", lambda m: m.compile(loss="mean_squared_eror"), r"Unknown loss: 'mean_squared_eror'. Did you mean: "
                                                            r"'mean_squared_error'"),
    ("metric", lambda m: m.compile(loss="mse", metrics=["acuracy"]), r"Unknown metric: 'acuracy'. Did you mean: "
                                                                      r"'accuracy'"),
    ("activation", lambda m: keras.layers.Dense(2, activation="sigmod"), r"Unknown activation: 'sigmod'. Did you "
                                                                         r"mean: 'sigmoid'"),
    ("initializer", lambda m: keras.layers.Dense(2, kernel_initializer="glorot_uniformm"),
     r"Unknown initializer: 'glorot_uniformm'. Did you mean: 'glorot_uniform'"),
])
def test_unknown_names_suggest_close_ones(kind, call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call(small_classifier())


@pytest.mark.parametrize("make,pattern", [
    (lambda: keras.layers.Dense(0), r"`Dense` argument `units` must be a positive integer; received units=0"),
    (lambda: keras.layers.Dropout(1.5), r"`Dropout` argument `rate` must be a number in \[0, 1\]; received rate=1.5"),
    (lambda: keras.layers.Conv2D(8, 3, padding="smae"),
     r"`Conv2D` argument `padding` must be one of 'valid', 'same' \(did you mean 'same'\?\); received padding='smae'"),
])
def test_invalid_layer_arguments(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


def test_invalid_fit_arguments(compiled):
    x, y = np.zeros((10, 4), "float32"), np.zeros(10, "int64")
    with pytest.raises(ValueError, match=r"`fit` argument `batch_size` must be a positive integer; received "
                                         r"batch_size=0"):
        compiled.fit(x, y, batch_size=0)
    with pytest.raises(ValueError, match=r"`fit` argument `validation_split` must be a number in \[0, 1\)"):
        compiled.fit(x, y, validation_split=1.0)
    with pytest.raises(ValueError, match=r"`validation_split` is only supported for arrays"):
        compiled.fit(iter([(x, y)]), validation_split=0.5)


def test_labels_are_still_checked_once_the_model_is_built_without_an_extra_forward_pass(compiled):
    x = np.zeros((100, 4), "float32")
    compiled.fit(x, np.zeros(100, "int64"), batch_size=50, verbose=0)
    calls = []
    handle = compiled.register_forward_hook(lambda module, inputs, output: calls.append(1))
    try:
        compiled.evaluate(x, np.ones(100, "int64"), batch_size=50, verbose=0)
        assert len(calls) == 2  # the two batches, nothing more
        y = np.zeros(100, "int64")
        y[80] = 5
        with pytest.raises(ValueError, match=r"Label 5 \(sample 80\) is outside the valid range \[0, 3\)"):
            compiled.evaluate(x, y, verbose=0)
        before = compiled.get_weights()
        with pytest.raises(ValueError, match=r"Label 5 \(sample 80\)"):
            compiled.fit(x, y, verbose=0)
        _unchanged(compiled, before)
    finally:
        handle.remove()
