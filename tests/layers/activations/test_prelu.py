"""``PReLU``: the learned slope's shape (Keras's layout), outputs, gradients for input and ``alpha``,
shared axes, errors, and Keras parity with copied weights."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def test_starts_as_relu_and_has_keras_weight():
    x = torch.tensor([[-2.0, 0.0, 3.0]])
    layer = keras.layers.PReLU()
    run_layer_test(keras.layers.PReLU, {}, input_data=x, expected_output=[[0.0, 0.0, 3.0]],
                   expected_num_trainable_weights=1, expected_weight_shapes=[(3,)], supports_masking=True)
    layer(x)
    assert [w.name for w in layer.weights] == ["alpha"]
    assert list(layer.state_dict()) == ["alpha"]


@pytest.mark.parametrize("shared_axes,shape", [(None, (3, 4, 2)), ([1, 2], (1, 1, 2)), (1, (1, 4, 2)),
                                               ([-1], (3, 4, 1)), ((1, 3), (1, 4, 1))])
def test_alpha_shape_follows_shared_axes(shared_axes, shape):
    layer = keras.layers.PReLU(shared_axes=shared_axes, alpha_initializer="random_uniform")
    x = torch.randn(5, 3, 4, 2)
    out = layer(x)
    assert tuple(layer.alpha.shape) == shape
    alpha = layer.alpha.detach()
    torch.testing.assert_close(out, torch.where(x >= 0, x, alpha * x))


def test_hand_computed_output_per_channel():
    layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.1), shared_axes=[1])
    layer(torch.zeros(1, 2, 2))
    layer.set_weights([np.array([[0.5, 0.25]], dtype="float32")])
    out = layer(torch.tensor([[[-4.0, -4.0], [2.0, -8.0]]]))
    assert out.tolist() == [[[-2.0, -1.0], [2.0, -2.0]]]


def test_gradients_for_input_and_alpha():
    layer = keras.layers.PReLU(alpha_initializer="random_uniform", shared_axes=[1])
    check_layer_gradients(layer, torch.randn(4, 3, 5))
    x = torch.tensor([[-2.0, 3.0]])
    layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.3))
    layer(x).sum().backward()
    # d/d alpha = min(x, 0); d/dx = alpha below 0, 1 above
    assert layer.alpha.grad.tolist() == [-2.0, 0.0]


def test_alpha_regularizer_and_constraint_reach_the_weight():
    layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(-0.5), alpha_regularizer="l2",
                               alpha_constraint="non_neg")
    layer(torch.zeros(1, 2))
    assert len(layer.losses) == 1
    assert float(layer.losses[0].detach()) == pytest.approx(0.01 * 2 * 0.25)
    assert layer.alpha.constraint is not None


def test_config_round_trip():
    layer = keras.layers.PReLU(alpha_initializer="ones", alpha_regularizer="l1", alpha_constraint="non_neg",
                               shared_axes=2)
    config = layer.get_config()
    assert config["shared_axes"] == [2]
    assert keras.layers.PReLU.from_config(config).get_config() == config


def test_errors_name_the_layer_and_argument():
    with pytest.raises(ValueError, match=r"`PReLU` argument `shared_axes` must be an integer or a list of integers"):
        keras.layers.PReLU(shared_axes=[0])
    with pytest.raises(ValueError, match=r"`PReLU` argument `shared_axes`.*received shared_axes='1'"):
        keras.layers.PReLU(shared_axes="1")
    with pytest.raises(ValueError, match=r"Layer 'p_re_lu' \(PReLU\) argument `shared_axes` must name non-batch axes"):
        keras.layers.PReLU(shared_axes=[3])(torch.zeros(2, 3))
    inputs = keras.Input((None, 4))
    with pytest.raises(ValueError, match=r"\(PReLU\) needs known sizes for the axes it does not share"):
        keras.layers.PReLU()(inputs)
    assert keras.layers.PReLU(shared_axes=[1])(inputs).shape == (None, None, 4)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("shared_axes", [None, [1, 2], [1]])
def test_parity_with_keras(keras_oracle, shared_axes):
    x = np.random.RandomState(0).randn(2, 3, 4, 5).astype("float32")
    k_layer = keras_oracle.layers.PReLU(alpha_initializer="random_uniform", shared_axes=shared_axes)
    expected = keras_oracle.ops.convert_to_numpy(k_layer(x))
    layer = keras.layers.PReLU(shared_axes=shared_axes)
    layer(x)
    assert [tuple(w.shape) for w in layer.get_weights()] == [tuple(w.shape) for w in k_layer.get_weights()]
    layer.set_weights(k_layer.get_weights())
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-6, atol=1e-7)
    theirs = k_layer.get_config()
    ours = layer.get_config()
    assert set(theirs) <= set(ours)
    assert ours["shared_axes"] == theirs["shared_axes"]
    assert ours["alpha_initializer"]["class_name"] == "Zeros"
