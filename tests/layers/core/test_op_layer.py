import numpy as np
import torch

import layerwise as keras


def test_ops_on_symbolic_tensors_build_a_graph():
    a = keras.Input((3,), name="a")
    b = keras.Input((3,), name="b")
    out = keras.ops.concatenate([a * 2.0 + b, keras.ops.square(b)], axis=-1)
    model = keras.Model([a, b], out)
    assert model.output_shape == (None, 6)
    x = torch.randn(4, 3)
    y = torch.randn(4, 3)
    np.testing.assert_allclose(model([x, y]).numpy(), torch.cat([2 * x + y, y ** 2], -1).numpy(), rtol=1e-6)


def test_op_model_round_trips_through_config():
    x = keras.Input((4,))
    model = keras.Model(x, keras.ops.sum(x[:, 1:3] - 1.0, axis=-1))
    clone = keras.Model.from_config(model.get_config())
    data = torch.randn(5, 4)
    torch.testing.assert_close(clone(data), model(data))
    torch.testing.assert_close(model(data), (data[:, 1:3] - 1).sum(-1))
