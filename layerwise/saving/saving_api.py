"""``save_model``/``load_model`` and ``save_weights``/``load_weights``: Keras's file API.

Model files end in ``.keras`` (``.h5`` is accepted for Keras 2 code, with the same content).
Weights files end in ``.weights.h5`` (Keras's name) or ``.safetensors``; either way the content is
a safetensors file, written atomically.
"""

from __future__ import annotations

import json
import os
from typing import Any

from safetensors import SafetensorError, safe_open

from layerwise.api_export import export
from layerwise.saving import saving_lib

_MODEL_SUFFIXES = (".keras", ".h5")
_WEIGHTS_SUFFIXES = (".weights.h5", ".safetensors")


def _path(filepath: Any) -> str:
    return os.fspath(filepath)


def _check_overwrite(filepath: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} already exists; pass `overwrite=True` to replace it.")


@export("layerwise.saving.save_model", "layerwise.models.save_model")
def save_model(model: Any, filepath: Any, overwrite: bool = True, zipped: bool | None = None, **kwargs) -> None:
    """Save a model (architecture, weights, optimizer state, compile settings) to one ``.keras`` file.

    Example:
        >>> import os, tempfile, layerwise as keras
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
        >>> keras.saving.save_model(model, path)
        >>> keras.saving.load_model(path).output_shape
        (None, 2)
    """
    filepath = _path(filepath)
    if kwargs.pop("save_format", None) not in (None, "keras", "h5"):
        raise ValueError("`save_model` only writes the `.keras` zip format.")
    kwargs.pop("include_optimizer", None)
    if kwargs:
        raise TypeError(f"`save_model` got unexpected keyword arguments: {sorted(kwargs)}.")
    if zipped is False:
        raise ValueError("`save_model(zipped=False)` is not supported: a model is always saved as one zip file.")
    if not filepath.endswith(_MODEL_SUFFIXES) or filepath.endswith(".weights.h5"):
        raise ValueError(f"Invalid filepath extension for saving a model: {filepath!r}. Use a `.keras` extension "
                         "(or `.h5` for Keras 2 code); to save only the weights use `save_weights` with "
                         "`.weights.h5`.")
    _check_overwrite(filepath, overwrite)
    saving_lib.save_model(model, filepath)


@export("layerwise.saving.load_model", "layerwise.models.load_model")
def load_model(filepath: Any, custom_objects: dict | None = None, compile: bool = True, safe_mode: bool = True) -> Any:
    """Load a model saved with ``model.save``; training can resume exactly where it stopped.

    Args:
        filepath: the ``.keras`` file.
        custom_objects: ``{name: class_or_function}`` for custom layers, losses... not registered
            with ``register_keras_serializable``.
        compile: also restore the compile settings and optimizer state.
        safe_mode: refuse to load Python code stored in the file (``Lambda`` functions).
    """
    filepath = _path(filepath)
    if filepath.endswith(".weights.h5"):
        raise ValueError(f"{filepath!r} is a weights file: build the model, then call `model.load_weights(...)`.")
    return saving_lib.load_model(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


@export("layerwise.saving.save_weights")
def save_weights(model: Any, filepath: Any, overwrite: bool = True) -> None:
    """Save ``model.state_dict()`` (every weight, by its Keras name path) as safetensors.

    Example:
        >>> import os, tempfile, layerwise as keras
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> path = os.path.join(tempfile.mkdtemp(), "model.weights.h5")
        >>> model.save_weights(path); model.load_weights(path)
    """
    filepath = _path(filepath)
    if not filepath.endswith(_WEIGHTS_SUFFIXES):
        raise ValueError(f"The filename must end in `.weights.h5` (or `.safetensors`); received filepath={filepath!r}.")
    _check_overwrite(filepath, overwrite)
    if not model.built:
        raise ValueError(f"Model '{model.name}' is not built, so it has no weights to save yet.")
    state = model.state_dict()
    data = saving_lib.tensors_to_bytes(state, {"order": json.dumps(list(state)), "format": "layerwise.weights/1"})
    saving_lib.atomic_write(filepath, data)


def _read_weights_file(filepath: str) -> tuple[dict, list[str] | None]:
    if not os.path.isfile(filepath):
        raise FileNotFoundError(f"No weights file at {filepath!r}.")
    with open(filepath, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\x89HDF"):
        raise saving_lib.FileFormatError(
            f"{filepath} is an HDF5 file written by Keras; layerwise reads the weights files it writes itself "
            "(safetensors). Load it in Keras and copy the weights with `model.set_weights(keras_model.get_weights())`.")
    try:
        with safe_open(filepath, framework="pt") as handle:
            metadata = handle.metadata() or {}
    except (SafetensorError, OSError, ValueError) as error:
        raise saving_lib.FileFormatError(f"{filepath}: not a readable weights file ({error}); it is truncated or "
                                         "corrupted.") from None
    with open(filepath, "rb") as handle:
        tensors = saving_lib.bytes_to_tensors(handle.read(), filepath)
    order = json.loads(metadata["order"]) if "order" in metadata else None
    return tensors, order


@export("layerwise.saving.load_weights")
def load_weights(model: Any, filepath: Any, skip_mismatch: bool = False, **kwargs) -> None:
    """Load weights saved by ``save_weights`` (or the weights inside a ``.keras`` file).

    Weights are matched by name; a model built again with other layer names still loads when the
    shapes line up in order. With ``skip_mismatch=True`` weights that do not fit are left as they are.
    """
    if kwargs:
        raise TypeError(f"`load_weights` got unexpected keyword arguments: {sorted(kwargs)}.")
    filepath = _path(filepath)
    if filepath.endswith(".keras") or (filepath.endswith(".h5") and not filepath.endswith(".weights.h5")
                                       and _is_zip(filepath)):
        members = saving_lib.read_archive(filepath)
        tensors = saving_lib.bytes_to_tensors(members[saving_lib.WEIGHTS], filepath)
        order = None
    elif filepath.endswith(_WEIGHTS_SUFFIXES):
        tensors, order = _read_weights_file(filepath)
    else:
        raise ValueError(f"Cannot load weights from {filepath!r}: expected a `.weights.h5`, `.safetensors` or "
                         "`.keras` file.")
    if not model.built:
        raise ValueError(f"Model '{model.name}' is not built: call it on data or `build(input_shape)` before "
                         "`load_weights`, so that its weights exist.")
    saving_lib.load_state_dict(model, tensors, filepath, skip_mismatch=skip_mismatch, order=order)


def _is_zip(filepath: str) -> bool:
    import zipfile

    return os.path.isfile(filepath) and zipfile.is_zipfile(filepath)
