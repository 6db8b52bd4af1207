"""Checks every public object must pass, walked from the export registry (sklearn's test_common).

A new public layer, loss, metric, optimizer, initializer, regularizer, constraint or callback is
picked up here automatically; an exemption is one line in ``EXEMPT`` with its reason.
"""

import importlib.util
import inspect
import json
import pathlib

import pytest

import layerwise as keras  # noqa: F401  (imports register every export)
from layerwise import api_export
from layerwise.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

EXEMPT = {
    "layerwise.layers.Layer": "abstract base: no call()",
    "layerwise.layers.InputLayer": "created by Input(); covered in tests/layers/core/test_input_layer.py",
    "layerwise.layers.Lambda": "needs a function argument; covered in tests/layers/core/test_lambda_layer.py",
    "layerwise.layers.OpLayer": "created by ops on symbolic tensors; covered in tests/layers/core/test_op_layer.py",
}

# Minimal constructor arguments for classes that need some: one file per family under
# tests/common_args/, each defining a ``REQUIRED_ARGS`` dict (class name -> kwargs).
REQUIRED_ARGS = {
    "Dense": {"units": 2}, "Activation": {"activation": "relu"}, "Dropout": {"rate": 0.5},
    "Reshape": {"target_shape": (2,)}, "Permute": {"dims": (1,)}, "RepeatVector": {"n": 2},
    "Conv2D": {"filters": 2, "kernel_size": 3}, "Dot": {"axes": 1}, "ConfusionMatrix": {"num_classes": 3},
    "MeanMetricWrapper": {"fn": keras.metrics.accuracy}, "LossFunctionWrapper": {"fn": keras.losses.mean_squared_error},
    "ExponentialDecay": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5},
    "InverseTimeDecay": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5},
    "PiecewiseConstantDecay": {"boundaries": [1], "values": [0.1, 0.01]},
    "PolynomialDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "CosineDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "CosineDecayRestarts": {"initial_learning_rate": 0.1, "first_decay_steps": 10},
}
for _file in sorted((pathlib.Path(__file__).parent / "common_args").glob("*.py")):
    _spec = importlib.util.spec_from_file_location(f"common_args_{_file.stem}", _file)
    _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
    REQUIRED_ARGS.update(getattr(_module, "REQUIRED_ARGS", {}))

FAMILIES = ("layers", "losses", "metrics", "optimizers", "initializers", "regularizers", "constraints",
            "callbacks", "optimizers.schedules")


def _public_classes():
    seen = set()
    for path, obj in api_export.public_items():
        family = path[len("layerwise."):].rpartition(".")[0]
        if inspect.isclass(obj) and family in FAMILIES and id(obj) not in seen:
            seen.add(id(obj))
            yield path, obj


CLASSES = sorted(_public_classes())


def test_registry_is_not_empty():
    assert len(CLASSES) > 50


@pytest.mark.parametrize("path,cls", CLASSES, ids=[p for p, _ in CLASSES])
def test_public_class_contract(path, cls):
    if path in EXEMPT or api_export.canonical_path(cls) in EXEMPT:
        pytest.skip(EXEMPT.get(path) or EXEMPT[api_export.canonical_path(cls)])
    doc = inspect.getdoc(cls) or ""
    assert ">>>" in doc, f"{path} has no runnable example in its docstring"
    if inspect.isabstract(cls) or cls.__name__ in ("Callback", "CallbackList", "Initializer", "Regularizer",
                                                   "Constraint", "Loss", "Metric", "Optimizer",
                                                   "LearningRateSchedule", "History", "ProgbarLogger"):
        return
    instance = cls(**REQUIRED_ARGS.get(cls.__name__, {}))
    if not hasattr(instance, "get_config"):
        return
    config = serialize_keras_object(instance)
    json.dumps(config)  # JSON types only
    revived = deserialize_keras_object(config)
    assert type(revived) is cls
    assert revived.get_config() == instance.get_config()


def test_every_public_function_has_an_example():
    missing = []
    for path, obj in api_export.public_items():
        if inspect.isfunction(obj) and path.startswith(("layerwise.ops.", "layerwise.activations.",
                                                        "layerwise.losses.", "layerwise.metrics.",
                                                        "layerwise.utils.", "layerwise.layers.")):
            if ">>>" not in (inspect.getdoc(obj) or ""):
                missing.append(path)
    assert not missing, f"public functions without a docstring example: {missing}"
