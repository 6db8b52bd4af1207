import pytest
import torch

import layerwise as keras
from layerwise.graph.function import Function


def test_runs_nodes_in_dependency_order():
    x = keras.Input((2,))
    a = keras.layers.Dense(3, name="a")(x)
    b = keras.layers.Dense(3, name="b")(a)
    c = keras.layers.Add(name="c")([a, b])
    fn = Function([x], [c])
    assert [op.name for op in fn.operations][1:] == ["a", "b", "c"]
    data = torch.randn(4, 2)
    layer_a, layer_b = fn.operations[1], fn.operations[2]
    expected = layer_a(data) + layer_b(layer_a(data))
    torch.testing.assert_close(fn.run([data])[0], expected)


def test_rejects_non_symbolic_outputs():
    x = keras.Input((2,))
    with pytest.raises(TypeError, match="must be symbolic tensors"):
        Function([x], [torch.zeros(1)])


def test_intermediate_tensor_as_input():
    x = keras.Input((2,))
    hidden = keras.layers.Dense(3)(x)
    out = keras.layers.Dense(1)(hidden)
    fn = Function([hidden], [out])
    assert len(fn.operations) == 1
