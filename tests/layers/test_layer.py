import copy

import numpy as np
import pytest
import torch

import layerwise as keras


class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.moving = self.add_weight(shape=(), initializer="zeros", trainable=False, name="moving")
        self.b = self.add_weight(shape=(1,), initializer="zeros", name="b")

    def call(self, inputs):
        return inputs * self.w * self.factor + self.b


def test_subclass_builds_lazily_with_keras_weight_order():
    layer = Scale(2.0)
    assert not layer.built and layer.weights == []
    out = layer(torch.ones(3, 4))
    assert layer.built and torch.equal(out, torch.full((3, 4), 2.0))
    # trainable weights first (in creation order), then non-trainable, as in Keras
    assert [w.name for w in layer.weights] == ["w", "b", "moving"]
    assert [w.name for w in layer.trainable_weights] == ["w", "b"]
    assert [w.name for w in layer.non_trainable_weights] == ["moving"]
    assert layer.count_params() == 6


def test_auto_config_for_subclass_without_get_config():
    layer = Scale(3.5, name="scaler")
    config = layer.get_config()
    assert config["factor"] == 3.5 and config["name"] == "scaler"
    assert Scale.from_config(config).factor == 3.5


def test_unserializable_constructor_argument_demands_get_config():
    class Holder(keras.layers.Layer):
        def __init__(self, thing, **kwargs):
            super().__init__(**kwargs)
            self.thing = thing

        def call(self, x):
            return x

    with pytest.raises(NotImplementedError, match=r"must implement `get_config\(\)`"):
        Holder(object()).get_config()


def test_trainable_flag_freezes_weights_and_recurses():
    outer = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
    outer.trainable = False
    assert outer.trainable_weights == [] and len(outer.non_trainable_weights) == 4
    assert not any(p.requires_grad for p in outer.parameters())
    outer.layers[0].trainable = True
    assert len(outer.layers[0].trainable_weights) == 2


def test_set_weights_checks_count_and_shapes_before_changing_anything():
    layer = keras.layers.Dense(2)
    layer(torch.zeros(1, 3))
    before = layer.get_weights()
    with pytest.raises(ValueError, match=r"list of 1 weights, but the layer has 2 weights"):
        layer.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"weight 'bias' has shape \(2,\), but the value given for it has shape \(3,\)"):
        layer.set_weights([np.ones((3, 2)), np.ones(3)])
    for a, b in zip(before, layer.get_weights()):
        np.testing.assert_array_equal(a, b)  # the valid kernel was not copied either


def test_count_params_requires_build():
    with pytest.raises(ValueError, match=r"isn't built"):
        keras.layers.Dense(3).count_params()


def test_unknown_keyword_argument():
    with pytest.raises(ValueError, match=r"Unrecognized keyword arguments passed to Dense: \{'foo': 1\}"):
        keras.layers.Dense(3, foo=1)


def test_add_loss_is_per_call_and_activity_regularizer():
    class Penalised(keras.layers.Layer):
        def call(self, x):
            self.add_loss(x.sum())
            return x

    model = keras.Sequential([keras.Input((2,)), Penalised(), keras.layers.Dense(
        1, kernel_initializer="ones", activity_regularizer=keras.regularizers.L1(0.5))])
    model(torch.ones(1, 2))
    model(torch.full((1, 2), 2.0))  # losses of the first call are gone
    values = sorted(float(v.detach()) for v in model.losses)
    assert values == [2.0, 4.0]  # activity: 0.5 * |2 + 2| ; add_loss: 2 + 2


def test_tracked_lists_and_dicts_register_sublayers():
    class Block(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = [keras.layers.Dense(4) for _ in range(2)]
            self.heads = {"a": keras.layers.Dense(1)}
            self.extra = []

        def call(self, x):
            for layer in self.hidden:
                x = layer(x)
            for layer in self.extra:
                x = layer(x)
            return self.heads["a"](x)

    block = Block()
    block.extra.append(keras.layers.Dense(4))
    block(torch.zeros(2, 3))
    assert len(block.weights) == 8
    assert {k.split(".")[0] for k in block.state_dict()} == {"hidden", "heads", "extra"}
    assert len(list(block.parameters())) == 8


def test_training_resolution():
    seen = []

    class Probe(keras.layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    model = keras.Sequential([keras.Input((1,)), Probe()])
    seen.clear()  # building ran the layer on placeholders, in inference mode
    model(torch.zeros(1, 1))
    model(torch.zeros(1, 1), training=True)
    model.train()
    model(torch.zeros(1, 1))
    model.eval()
    model(torch.zeros(1, 1))
    assert seen == [False, True, True, False]


def test_masks_flow_to_layers_that_take_them():
    received = {}

    class Masked(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, x, mask=None):
            received["mask"] = mask
            return x

    x = torch.ones(2, 3)
    x._keras_mask = torch.tensor([True, False])
    out = keras.Sequential([keras.Input((3,)), keras.layers.Dropout(0.1), Masked()])(x)
    assert torch.equal(received["mask"], x._keras_mask) and torch.equal(out._keras_mask, x._keras_mask)


def test_double_converts_weights_and_policy():
    layer = keras.layers.Dense(2)
    layer(torch.zeros(1, 3))
    layer.double()
    assert layer.dtype == "float64" and layer.compute_dtype == "float64"
    assert layer(torch.zeros(1, 3, dtype=torch.float64)).dtype == torch.float64


def test_float_inputs_are_cast_to_compute_dtype():
    layer = keras.layers.Dense(2)
    assert layer(np.zeros((1, 3), dtype="float64")).dtype == torch.float32


def test_plain_pytorch_usage():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(16, 4), torch.randn(16, 1)
    first = torch.nn.functional.mse_loss(model(x), y)
    for _ in range(20):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    assert loss.item() < first.item()
    hooked = []
    model.register_forward_hook(lambda module, inputs, output: hooked.append(output.shape))
    model(x)
    assert hooked == [torch.Size([16, 1])]
    clone = copy.deepcopy(model)
    torch.testing.assert_close(clone(x), model(x))


def test_weights_argument_sets_initial_values():
    layer = keras.layers.Dense(1, weights=[np.full((2, 1), 3.0), np.zeros(1)])
    assert layer(torch.ones(1, 2)).item() == 6.0


def test_compute_output_shape_by_trial_run():
    class Doubler(keras.layers.Layer):
        def call(self, x):
            return torch.cat([x, x], dim=1)

    assert Doubler().compute_output_shape((None, 3, 2)) == (None, 6, 2)
    assert Doubler()(keras.Input((None, 2))).shape == (None, None, 2)


def test_get_weights_returns_copies_not_views():
    layer = keras.layers.Dense(1)
    layer(torch.zeros(1, 2))
    snapshot = layer.get_weights()
    with torch.no_grad():
        layer.kernel.add_(1.0)
    assert not np.array_equal(snapshot[0], layer.get_weights()[0])
    value = layer.kernel.numpy()
    with torch.no_grad():
        layer.kernel.add_(1.0)
    assert not np.array_equal(value, layer.kernel.numpy())
