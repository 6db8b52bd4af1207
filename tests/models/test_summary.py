"""``Model.summary()``: the rich table and the parameter totals, compared with Keras 3's."""

from __future__ import annotations

import numpy as np
import pytest

import layerwise as keras
from layerwise.models.summary import format_count, readable_memory_size, weights_stats


def _capture(model, **kwargs) -> str:
    captured: list[str] = []
    kwargs.setdefault("line_length", 100)  # the default width follows the terminal, as in Keras
    model.summary(print_fn=captured.append, **kwargs)
    assert len(captured) == 1
    return captured[0]


def _row(text: str, name: str) -> str:
    rows = [line for line in text.splitlines() if f"{name} (" in line]
    assert rows, f"no row for {name!r} in:\n{text}"
    return rows[0]


def _mnist_mlp(module=keras):
    return module.Sequential([
        module.layers.Dense(32, input_shape=(784,)),
        module.layers.Activation("relu"),
        module.layers.Dense(10),
    ])


def _totals(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().split(":")[0].endswith("params")]


def test_helpers_format_like_keras():
    assert readable_memory_size(68) == "68.00 B"
    assert readable_memory_size(25450 * 4) == "99.41 KB"
    assert readable_memory_size(3 * 1024**2) == "3.00 MB"
    assert readable_memory_size(5 * 1024**3) == "5.00 GB"
    assert format_count(1234567) == "1,234,567"
    layer = keras.layers.Dense(4, input_shape=(3,))
    layer.build((None, 3))
    assert weights_stats(layer.weights + layer.weights) == (16, 64)


def test_sequential_rows_and_totals():
    text = _capture(_mnist_mlp())
    lines = text.splitlines()
    assert lines[0] == 'Model: "sequential"'
    assert "┏" in lines[1] and "┃ Layer (type)" in lines[2] and "Output Shape" in lines[2] and "Param #" in lines[2]
    assert "Connected to" not in text and "input_layer" not in text
    dense = _row(text, "dense")
    assert "dense (Dense)" in dense and "(None, 32)" in dense and "25,120" in dense
    activation = _row(text, "activation")
    assert "(None, 32)" in activation and activation.rstrip("│ ").endswith("0")
    last = _row(text, "dense_1")
    assert "(None, 10)" in last and "330" in last
    assert " Total params: 25,450 (99.41 KB)" in lines
    assert " Trainable params: 25,450 (99.41 KB)" in lines
    assert " Non-trainable params: 0 (0.00 B)" in lines
    assert "Optimizer params" not in text
    assert "\x1b[" not in text  # no colour codes in captured text


def test_summary_prints_to_stdout(capsys):
    _mnist_mlp().summary()
    out = capsys.readouterr().out
    assert 'Model: "sequential"' in out and "25,450" in out and "dense_1 (Dense)" in out


def test_functional_branches_show_connections():
    inputs = keras.Input((8,), name="inp")
    left = keras.layers.Dense(4, name="left")(inputs)
    right = keras.layers.Dense(4, name="right")(inputs)
    merged = keras.layers.Concatenate(name="merge")([left, right])
    model = keras.Model(inputs, merged, name="branches")
    text = _capture(model, line_length=120)
    assert 'Model: "branches"' in text and "Connected to" in text
    assert "inp (InputLayer)" in text and "(None, 8)" in _row(text, "inp")
    assert _row(text, "inp").rstrip("│ ").endswith("-")
    assert "inp[0][0]" in _row(text, "left") and "36" in _row(text, "left")
    assert "left[0][0], right[0][0]" in _row(text, "merge")
    assert " Total params: 72 (288.00 B)" in text.splitlines()


def test_functional_chain_has_no_connection_column():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Dense(4)(inputs)))
    text = _capture(model)
    assert "Connected to" not in text and "input_layer (InputLayer)" in text


def test_shared_layer_lists_each_call():
    shared = keras.layers.Dense(3, name="shared")
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    model = keras.Model([a, b], keras.layers.Add(name="add")([shared(a), shared(b)]))
    text = _capture(model, line_length=120)
    assert "a[0][0], b[0][0]" in _row(text, "shared")
    assert "shared[0][0], shared[1][0]" in _row(text, "add")


def test_multi_output_layer_shape_is_a_list():
    class Split(keras.layers.Layer):
        def call(self, x):
            return x[:, :2], x[:, 2:]

        def compute_output_shape(self, shape):
            return (shape[0], 2), (shape[0], shape[1] - 2)

    inputs = keras.Input((5,), name="x")
    first, second = Split(name="split")(inputs)
    model = keras.Model(inputs, [keras.layers.Dense(1, name="head")(first), second])
    text = _capture(model, line_length=120)
    assert "[(None, 2), (None, 3)]" in _row(text, "split")


def test_unbuilt_sequential():
    text = _capture(keras.Sequential([keras.layers.Dense(3)]))
    row = _row(text, "dense")
    assert "?" in row and "0 (unbuilt)" in row
    assert " Total params: 0 (0.00 B)" in text.splitlines()
    empty = _capture(keras.Sequential(name="empty"))
    assert 'Model: "empty"' in empty and " Total params: 0 (0.00 B)" in empty.splitlines()


def test_subclassed_model_rows():
    class TwoLayers(keras.Model):
        def __init__(self):
            super().__init__(name="two")
            self.hidden = keras.layers.Dense(4)
            self.out = keras.layers.Dense(2)

        def call(self, x):
            return self.out(self.hidden(x))

    model = TwoLayers()
    before = _capture(model)
    assert "0 (unbuilt)" in _row(before, "dense")
    model(np.zeros((2, 3), dtype="float32"))
    after = _capture(model)
    assert "16" in _row(after, "dense") and "10" in _row(after, "dense_1")
    assert " Total params: 26 (104.00 B)" in after.splitlines()


def test_optimizer_params_after_fit():
    model = _mnist_mlp()
    model.compile(optimizer="adam", loss="mse")
    assert "Optimizer params" not in _capture(model)  # compiled, optimizer not built yet
    model.fit(np.zeros((4, 784), "float32"), np.zeros((4, 10), "float32"), epochs=1, verbose=0)
    variables = model.optimizer.variables
    expected = sum(int(v.numel()) for v in variables)
    assert expected == 2 * 25450 + 2  # two Adam slots per weight, plus iterations and learning rate
    expected_bytes = sum(int(v.numel()) * v.element_size() for v in variables)
    lines = _capture(model).splitlines()
    assert f" Optimizer params: {expected:,} ({readable_memory_size(expected_bytes)})" in lines
    assert f" Total params: {25450 + expected:,} ({readable_memory_size(25450 * 4 + expected_bytes)})" in lines
    assert " Trainable params: 25,450 (99.41 KB)" in lines


def test_non_trainable_weights_and_trainable_column():
    model = _mnist_mlp()
    model.layers[0].trainable = False
    text = _capture(model, show_trainable=True, line_length=130)
    assert "Trainable" in text.splitlines()[2]
    assert _row(text, "dense").rstrip("│ ").endswith("N")
    assert _row(text, "activation").rstrip("│ ").endswith("-")
    assert _row(text, "dense_1").rstrip("│ ").endswith("Y")
    lines = text.splitlines()
    assert " Trainable params: 330 (1.29 KB)" in lines
    assert " Non-trainable params: 25,120 (98.12 KB)" in lines


def test_expand_nested_indents_inner_layers():
    inputs = keras.Input((8,), name="inner_in")
    hidden = keras.layers.Dense(4, name="inner_dense")(inputs)
    inner = keras.Model(inputs, hidden, name="inner")
    outer = keras.Sequential([keras.Input((8,)), inner, keras.layers.Dense(2, name="head")], name="outer")
    collapsed = _capture(outer)
    assert "inner (Functional)" in collapsed and "inner_dense" not in collapsed
    expanded = _capture(outer, expand_nested=True)
    assert "└ inner_dense (Dense)" in expanded and "└ inner_in (InputLayer)" in expanded
    assert "(None, 4)" in _row(expanded, "inner_dense") and "36" in _row(expanded, "inner_dense")
    lines = expanded.splitlines()
    assert lines.index(_row(expanded, "inner")) < lines.index(_row(expanded, "inner_dense")) < lines.index(
        _row(expanded, "head"))


def test_layer_range_and_layout_arguments():
    model = _mnist_mlp()
    text = _capture(model, layer_range=("activation", "dense_1"))
    assert "activation (Activation)" in text and "dense (Dense)" not in text and "dense_1 (Dense)" in text
    wide = _capture(model, line_length=120, positions=[0.5, 0.9, 1.0])
    assert max(len(line) for line in wide.splitlines()) == 120
    assert "25,120" in _capture(model, positions=[0.33, 0.55, 0.67, 1.0])  # Keras 2's four positions
    assert "25,120" in _capture(model, line_length=60, positions=[30, 45, 60])  # absolute positions
    with pytest.raises(ValueError, match="layer_range"):
        model.summary(layer_range=("dense",), print_fn=lambda _: None)
    with pytest.raises(ValueError, match="layer_range"):
        model.summary(layer_range=("nope", "dense"), print_fn=lambda _: None)
    with pytest.raises(ValueError, match="positions"):
        model.summary(positions=[0.5, 1.0], print_fn=lambda _: None)
    with pytest.raises(ValueError, match="line_length"):
        model.summary(line_length=6, print_fn=lambda _: None)


@pytest.mark.keras_oracle
@pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`:UserWarning")
def test_totals_match_keras(keras_oracle):
    ours = _totals(_capture(_mnist_mlp()))
    theirs_text: list[str] = []
    _mnist_mlp(keras_oracle).summary(print_fn=theirs_text.append)
    assert ours == _totals(theirs_text[0])
    assert len(ours) == 3
