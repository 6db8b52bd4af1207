import re
import sys

import pytest

import layerwise as keras
from layerwise.viz import model_plot
from layerwise.viz.model_plot import model_to_dot, plot_model

graphviz = pytest.importorskip("graphviz")


def _branching_model():
    inputs = keras.Input((4,), name="x")
    left = keras.layers.Dense(3, activation="relu", name="left")(inputs)
    right = keras.layers.Dense(3, name="right")(inputs)
    merged = keras.layers.Add(name="add")([left, right])
    outputs = keras.layers.Dense(1, activation="sigmoid", name="out")(merged)
    return keras.Model(inputs, outputs, name="branchy")


def _nodes_and_edges(dot):
    source = dot.source
    edges = set(re.findall(r'^\s*"?([\w/]+)"? -> "?([\w/]+)"?\s*$', source, re.M))
    nodes = dict(re.findall(r'^\s*"?([\w/]+)"? \[label="(.*?)"\]', source, re.M | re.S))
    return nodes, edges


def test_functional_branch_nodes_and_edges():
    dot = model_to_dot(_branching_model())
    assert isinstance(dot, graphviz.Digraph)
    nodes, edges = _nodes_and_edges(dot)
    assert nodes == {"x": "x (InputLayer)", "left": "left (Dense)", "right": "right (Dense)",
                     "add": "add (Add)", "out": "out (Dense)"}
    assert edges == {("x", "left"), ("x", "right"), ("left", "add"), ("right", "add"), ("add", "out")}
    assert dot.source.count("->") == 5
    assert "rankdir=TB" in dot.source and "dpi=200" in dot.source


def test_details_in_labels():
    dot = model_to_dot(_branching_model(), show_shapes=True, show_dtype=True, show_layer_names=False,
                       show_layer_activations=True, show_trainable=True, rankdir="lr", dpi=96)
    nodes, _ = _nodes_and_edges(dot)
    assert nodes["left"] == "Dense\nOutput shape: (None, 3)\nOutput dtype: float32\nActivation: relu\nTrainable: Y"
    assert nodes["add"] == "Add\nOutput shape: (None, 3)\nOutput dtype: float32\nTrainable: Y"
    assert nodes["out"].splitlines()[1:4] == ["Output shape: (None, 1)", "Output dtype: float32",
                                              "Activation: sigmoid"]
    assert "rankdir=LR" in dot.source and "dpi=96" in dot.source


def test_sequential_shared_layer_and_nested_expansion():
    seq = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d1"), keras.layers.Dense(2, name="d2")],
                           name="inner")
    nodes, edges = _nodes_and_edges(model_to_dot(seq))
    assert set(nodes) == {"input_layer", "d1", "d2"}
    assert edges == {("input_layer", "d1"), ("d1", "d2")}

    inputs = keras.Input((3,), name="x")
    shared = keras.layers.Dense(3, name="shared")
    twice = shared(shared(inputs))
    outputs = seq(twice)
    model = keras.Model(inputs, outputs)
    nodes, edges = _nodes_and_edges(model_to_dot(model))
    assert set(nodes) == {"x", "shared", "inner"}  # one node per layer, even a shared one
    assert edges == {("x", "shared"), ("shared", "shared"), ("shared", "inner")}
    dot = model_to_dot(model, expand_nested=True)
    nodes, edges = _nodes_and_edges(dot)
    assert set(nodes) == {"x", "shared", "inner/input_layer", "inner/d1", "inner/d2"}
    assert edges == {("x", "shared"), ("shared", "shared"), ("shared", "inner/input_layer"),
                     ("inner/input_layer", "inner/d1"), ("inner/d1", "inner/d2")}
    assert "subgraph cluster_inner" in dot.source


def test_unbuilt_sequential_is_a_chain():
    model = keras.Sequential([keras.layers.Dense(4, name="a"), keras.layers.Dense(1, name="b")])
    nodes, edges = _nodes_and_edges(model_to_dot(model, show_shapes=True))
    assert set(nodes) == {"a", "b"} and edges == {("a", "b")}


@pytest.mark.skipif(model_plot.find_dot() is None, reason="the Graphviz `dot` program is not installed")
@pytest.mark.parametrize("name,magic", [("model.png", b"\x89PNG"), ("model.svg", b"<?xml"), ("model.pdf", b"%PDF")])
def test_plot_model_renders(tmp_path, name, magic):
    plot_model(_branching_model(), to_file=tmp_path / name, show_shapes=True, expand_nested=True)
    data = (tmp_path / name).read_bytes()
    assert data.startswith(magic) and len(data) > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no .gv source left behind
    if name.endswith(".svg"):
        text = data.decode()
        for label in ("x (InputLayer)", "left (Dense)", "right (Dense)", "add (Add)", "Output shape: (None, 1)"):
            assert label in text


def test_missing_dot_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(model_plot, "find_dot", lambda: None)
    with pytest.raises(OSError, match=r"`plot_model` needs the Graphviz `dot` program.*pip install graphviz.*"
                                      r"apt install graphviz, brew install graphviz"):
        plot_model(_branching_model(), to_file=tmp_path / "m.png")
    assert not (tmp_path / "m.png").exists()


def test_missing_graphviz_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ImportError, match=r"`model_to_dot` needs the graphviz Python package.*pip install graphviz"):
        model_to_dot(_branching_model())


def test_errors(tmp_path):
    model = _branching_model()
    with pytest.raises(ValueError, match="`model_to_dot` argument `rankdir` must be one of"):
        model_to_dot(model, rankdir="up")
    with pytest.raises(ValueError, match="`model_to_dot` argument `dpi` must be a positive integer"):
        model_to_dot(model, dpi=0)
    with pytest.raises(ValueError, match="`to_file` must end with an image extension"):
        plot_model(model, to_file=tmp_path / "model")
    with pytest.raises(ValueError, match="extension 'xyz'"):
        plot_model(model, to_file=tmp_path / "model.xyz")
    with pytest.raises(TypeError, match="`model_to_dot` argument `model`"):
        model_to_dot(3)
    with pytest.raises(ValueError, match="has none yet"):
        model_to_dot(keras.Sequential())
