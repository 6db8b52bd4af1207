import pytest
import torch

import layerwise as keras
from layerwise import api_export, dtype_policies
from layerwise.saving import serialization_lib


def test_config_setters_validate():
    with pytest.raises(ValueError, match="`set_floatx` argument `value` must be one of"):
        keras.config.set_floatx("float8")
    with pytest.raises(ValueError, match="`set_image_data_format` argument `data_format`"):
        keras.config.set_image_data_format("nhwc")
    with pytest.raises(ValueError, match="`set_epsilon` argument `value` must be a positive float"):
        keras.config.set_epsilon(0)


def test_floatx_changes_new_layers():
    keras.config.set_floatx("float64")
    try:
        layer = keras.layers.Dense(2)
        assert layer(torch.ones(1, 3)).dtype == torch.float64 and layer.dtype == "float64"
    finally:
        keras.config.set_floatx("float32")


def test_dtype_policies():
    policy = dtype_policies.DTypePolicy("mixed_float16")
    assert (policy.variable_dtype, policy.compute_dtype) == ("float32", "float16")
    layer = keras.layers.Dense(2, dtype="float64")
    assert layer.dtype_policy == dtype_policies.DTypePolicy("float64")
    with pytest.raises(ValueError, match="`DTypePolicy` argument `name`"):
        dtype_policies.DTypePolicy("float7")


def test_registry_paths_and_keras_module_names():
    assert api_export.get_public("layerwise.layers.Dense") is keras.layers.Dense
    assert api_export.canonical_path(keras.layers.Dense) == "layerwise.layers.Dense"
    config = {"module": "keras.layers", "class_name": "Dense", "config": {"units": 3}, "registered_name": None}
    layer = serialization_lib.deserialize_keras_object(config)
    assert isinstance(layer, keras.layers.Dense) and layer.units == 3
    with pytest.raises(ValueError, match="`export` argument must look like"):
        api_export.export("keras.Dense")


def test_serialization_of_plain_values_and_refusals():
    value = (1, [2.0, "a"], {"k": None}, slice(1, 2))
    assert serialization_lib.deserialize_keras_object(serialization_lib.serialize_keras_object(value)) == value
    with pytest.raises(TypeError, match="neither a layerwise function nor registered"):
        serialization_lib.serialize_keras_object(lambda x: x)
    with pytest.raises(ValueError, match="Could not locate class 'Evil'"):
        serialization_lib.deserialize_keras_object({"module": "os", "class_name": "Evil", "config": {}})


def test_variable_api():
    v = keras.Variable(torch.zeros(2), name="w")
    assert v.trainable and v.requires_grad and v.name == "w"
    v.trainable = False
    assert not v.requires_grad
    v.assign_add([1.0, 2.0]).assign_sub([0.5, 0.5])
    assert v.numpy().tolist() == [0.5, 1.5]
    with pytest.raises(ValueError, match=r"has shape \(2,\); the value assigned has shape \(3,\)"):
        v.assign([1.0, 2.0, 3.0])
    assert isinstance(v, torch.nn.Parameter)
