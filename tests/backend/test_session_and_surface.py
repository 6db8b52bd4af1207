"""``layerwise.backend`` (Keras 2's ``K.*`` functions) checked on numbers against NumPy and hand formulas.

Keras 3 (on its torch backend) is used as an oracle where it exposes the same function.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import backend as K
from layerwise.api_export import get_public

from tests.backend.conftest import rand, close


# ---- the public surface -----------------------------------------------------------------------
def test_every_public_name_is_exported_under_its_backend_path():
    for name in K.__all__:
        assert get_public(f"layerwise.backend.{name}") is getattr(K, name), name


def test_settings_are_the_config_functions():
    assert K.floatx() == "float32" and K.floatx is keras.config.floatx
    assert K.epsilon() == 1e-7
    K.set_epsilon(1e-5)
    try:
        assert keras.config.epsilon() == 1e-5
    finally:
        K.set_epsilon(1e-7)
    assert K.image_data_format() == "channels_last"
    K.set_image_data_format("channels_first")
    try:
        assert keras.config.image_data_format() == "channels_first"
    finally:
        K.set_image_data_format("channels_last")
    K.set_floatx("float64")
    try:
        assert K.zeros((2,)).dtype == torch.float64 and K.variable([1.0]).dtype == torch.float64
    finally:
        K.set_floatx("float32")


def test_keras_style_import():
    from layerwise import backend

    assert keras.backend is backend
    close(K.sum(K.ones((2, 3)), axis=1), [3.0, 3.0])


# ---- session ----------------------------------------------------------------------------------
def test_clear_session_resets_layer_names():
    assert keras.layers.Dense(2).name == "dense"
    assert keras.layers.Dense(2).name == "dense_1"
    K.clear_session()
    assert keras.layers.Dense(2).name == "dense"
    K.clear_session(free_memory=False)
    assert keras.layers.Dense(2).name == "dense"


def test_learning_phase_and_is_keras_tensor():
    assert K.learning_phase() == 0
    K.set_learning_phase(1)
    assert K.learning_phase() == 0  # accepted and ignored: layers take `training=`
    with pytest.raises(ValueError, match="`set_learning_phase` argument `value`"):
        K.set_learning_phase(2)
    assert K.is_keras_tensor(keras.Input((3,))) is True
    assert K.is_keras_tensor(torch.zeros(3)) is False and K.is_keras_tensor(K.variable([1.0])) is False
    with pytest.raises(ValueError, match="`is_keras_tensor` argument `x`"):
        K.is_keras_tensor(np.zeros(3))


# ---- Keras 2 code in a model ------------------------------------------------------------------
def test_keras2_sampling_lambda_in_a_functional_model():
    """The classic VAE sampling layer written with K.* runs in a functional model."""

    def sampling(args):
        z_mean, z_log_var = args
        batch, dim = K.shape(z_mean)[0], K.int_shape(z_mean)[1]
        epsilon = K.random_normal(shape=(batch, dim))
        return z_mean + K.exp(0.5 * z_log_var) * epsilon

    inputs = keras.Input((4,))
    z_mean = keras.layers.Dense(2)(inputs)
    z_log_var = keras.layers.Dense(2)(inputs)
    z = keras.layers.Lambda(sampling)([z_mean, z_log_var])
    model = keras.Model(inputs, z)
    out = model(torch.from_numpy(rand(5, 4)))
    assert tuple(out.shape) == (5, 2) and torch.isfinite(out).all()


def test_backend_functions_serialize_by_name():
    from layerwise.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

    config = serialize_keras_object(K.l2_normalize)
    assert config["module"] == "layerwise.backend" and config["config"] == "l2_normalize"
    assert deserialize_keras_object(config) is K.l2_normalize
    layer = keras.layers.Lambda(K.l2_normalize, arguments={"axis": -1})
    clone = keras.layers.Lambda.from_config(layer.get_config())
    close(clone(torch.tensor([[3.0, 4.0]])), [[0.6, 0.8]])
