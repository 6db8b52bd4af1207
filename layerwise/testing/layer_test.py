"""``run_layer_test``: the checks every layer must pass, in one call.

Output shape and dtype (eager and symbolic agree), weight counts and shapes, config round trip
through JSON, save/load in a model gives equal outputs, every trainable weight receives a
gradient and non-trainable ones none, float64 works, and the ``torch.nn.Module`` contract
(``parameters()``, ``state_dict()``, ``deepcopy``).
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from typing import Any

import numpy as np
import torch

from layerwise.utils.dtype_utils import to_torch_dtype


def _random_input(shape: tuple, dtype: str) -> torch.Tensor:
    torch_dtype = to_torch_dtype(dtype)
    if torch_dtype.is_floating_point:
        return torch.randn(shape, dtype=torch_dtype)
    return torch.randint(0, 5, shape, dtype=torch_dtype)


def run_layer_test(layer_cls: Any, init_kwargs: dict | None = None, input_shape: tuple | None = None,
                   input_dtype: str = "float32", input_data: Any = None, expected_output_shape: tuple | None = None,
                   expected_output: Any = None, expected_output_dtype: str | None = None,
                   expected_num_trainable_weights: int | None = None,
                   expected_num_non_trainable_weights: int | None = None, expected_weight_shapes: list | None = None,
                   supports_masking: bool | None = None, run_training_check: bool = True,
                   run_float64_check: bool = True, run_saving_check: bool = True, custom_objects: dict | None = None,
                   atol: float = 1e-6, rtol: float = 1e-6) -> torch.Tensor:
    """Run the common layer checks; return the eager output for further assertions.

    Example:
        >>> import layerwise as keras
        >>> out = run_layer_test(keras.layers.Dense, {"units": 3}, input_shape=(2, 4),
        ...                      expected_output_shape=(2, 3), expected_num_trainable_weights=2)
    """
    import layerwise as lw
    from layerwise.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

    init_kwargs = dict(init_kwargs or {})
    data = input_data if input_data is not None else _random_input(tuple(input_shape), input_dtype)
    if not isinstance(data, torch.Tensor):
        data = torch.as_tensor(np.asarray(data))
    shape = tuple(data.shape)

    # Config round trip (JSON types only).
    layer = layer_cls(**init_kwargs)
    config = layer.get_config()
    json.dumps(serialize_keras_object(layer))
    revived = layer_cls.from_config(config)
    if revived.get_config() != config:
        raise AssertionError(f"{layer_cls.__name__}: from_config(get_config()) changed the config:\n{config}\n"
                             f"{revived.get_config()}")
    revived = deserialize_keras_object(serialize_keras_object(layer), custom_objects=custom_objects)
    if type(revived) is not layer_cls:
        raise AssertionError(f"{layer_cls.__name__}: deserialization gave {type(revived).__name__}.")

    # Eager call, in inference mode (augmentation layers would otherwise augment a direct call).
    output = layer(data, training=False)
    if expected_output_shape is not None and tuple(output.shape) != tuple(expected_output_shape):
        raise AssertionError(f"{layer_cls.__name__}: output shape {tuple(output.shape)}, expected "
                             f"{tuple(expected_output_shape)}.")
    if expected_output_dtype is not None and output.dtype != to_torch_dtype(expected_output_dtype):
        raise AssertionError(f"{layer_cls.__name__}: output dtype {output.dtype}, expected {expected_output_dtype}.")
    if expected_output is not None:
        np.testing.assert_allclose(output.detach().cpu().numpy(), np.asarray(expected_output), atol=atol, rtol=rtol)
    if expected_num_trainable_weights is not None and len(layer.trainable_weights) != expected_num_trainable_weights:
        raise AssertionError(f"{layer_cls.__name__}: {len(layer.trainable_weights)} trainable weights, expected "
                             f"{expected_num_trainable_weights}.")
    if expected_num_non_trainable_weights is not None and \
            len(layer.non_trainable_weights) != expected_num_non_trainable_weights:
        raise AssertionError(f"{layer_cls.__name__}: {len(layer.non_trainable_weights)} non-trainable weights, "
                             f"expected {expected_num_non_trainable_weights}.")
    if expected_weight_shapes is not None:
        shapes = [tuple(w.shape) for w in layer.weights]
        if shapes != [tuple(s) for s in expected_weight_shapes]:
            raise AssertionError(f"{layer_cls.__name__}: weight shapes {shapes}, expected {expected_weight_shapes}.")
    if supports_masking is not None and layer.supports_masking != supports_masking:
        raise AssertionError(f"{layer_cls.__name__}: supports_masking={layer.supports_masking}.")

    # Symbolic call agrees with the eager shapes (batch axis unknown).
    symbolic_layer = layer_cls(**init_kwargs)
    symbolic_out = symbolic_layer(lw.Input(batch_shape=(None,) + shape[1:], dtype=str(data.dtype).split(".")[-1]))
    eager_tail = tuple(output.shape)[1:]
    if tuple(symbolic_out.shape)[1:] != eager_tail and not any(d is None for d in symbolic_out.shape[1:]):
        raise AssertionError(f"{layer_cls.__name__}: symbolic output shape {symbolic_out.shape} does not match the "
                             f"eager one {tuple(output.shape)}.")

    # torch.nn.Module contract.
    if not isinstance(layer, torch.nn.Module):
        raise AssertionError(f"{layer_cls.__name__} is not a torch.nn.Module.")
    if len(list(layer.parameters())) != len({id(w) for w in layer.weights}):
        raise AssertionError(f"{layer_cls.__name__}: parameters() and weights disagree.")
    clone = copy.deepcopy(layer)
    with torch.no_grad():
        torch.testing.assert_close(clone(data, training=False), layer(data, training=False))
    state = layer.state_dict()
    if len(state) < len(layer.weights):
        raise AssertionError(f"{layer_cls.__name__}: state_dict() lacks weights.")

    # Gradients reach exactly the trainable weights.
    if run_training_check and output.is_floating_point() and layer.trainable_weights:
        for w in layer.weights:
            w.grad = None
        layer(data, training=True).float().square().mean().backward()
        for w in layer.trainable_weights:
            if w.grad is None:
                raise AssertionError(f"{layer_cls.__name__}: trainable weight {getattr(w, 'name', '?')} got no gradient.")
        for w in layer.non_trainable_weights:
            if w.grad is not None:
                raise AssertionError(f"{layer_cls.__name__}: non-trainable weight {getattr(w, 'name', '?')} got a gradient.")

    # float64.
    if run_float64_check and data.is_floating_point():
        layer64 = layer_cls(**{**init_kwargs, "dtype": "float64"})
        out64 = layer64(data.double(), training=False)
        if out64.is_floating_point() and out64.dtype != torch.float64:
            raise AssertionError(f"{layer_cls.__name__}: a float64 layer returned {out64.dtype}.")

    # Save and load inside a model: same outputs.
    if run_saving_check:
        inputs = lw.Input(batch_shape=(None,) + shape[1:], dtype=str(data.dtype).split(".")[-1])
        model = lw.Model(inputs, layer_cls(**init_kwargs)(inputs))
        with torch.no_grad():
            before = model(data)
        path = os.path.join(tempfile.mkdtemp(), "layer_test.keras")
        model.save(path)
        loaded = lw.saving.load_model(path, custom_objects=custom_objects)
        with torch.no_grad():
            after = loaded(data)
        torch.testing.assert_close(after, before)
        os.remove(path)
    return output
