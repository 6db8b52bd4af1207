"""The ``.keras`` file: one zip holding the whole model, read back without running any code.

Members:

* ``config.json``: the architecture (Keras 3's config format), build and compile configs;
* ``model.weights.safetensors``: every tensor of ``model.state_dict()``;
* ``optimizer.safetensors``: the optimizer state (when the model is compiled and has trained);
* ``metadata.json``: versions, date, and the SHA-256 of each member.

Loading checks, before it builds anything: the zip is complete (CRC), it holds exactly the
expected members, each member matches its recorded SHA-256, and the JSON parses. A tampered,
truncated or missing file raises an error naming the file. Nothing is unpickled: configs are
JSON and only registered classes can be named in them; tensors are safetensors.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import tempfile
import zipfile
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors

from layerwise.version import __version__

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.safetensors"
OPTIMIZER = "optimizer.safetensors"
_KNOWN = {CONFIG, METADATA, WEIGHTS, OPTIMIZER}


class FileFormatError(ValueError):
    """A model or weights file that is missing, truncated, tampered with, or not ours."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tensors_to_bytes(tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """Safetensors bytes of CPU, contiguous copies (shared storage is split, as safetensors needs)."""
    prepared = {name: t.detach().to("cpu").contiguous().clone() for name, t in tensors.items()}
    return save_safetensors(prepared, metadata=metadata)


def bytes_to_tensors(data: bytes, source: str) -> dict[str, torch.Tensor]:
    try:
        return load_safetensors(data)
    except (SafetensorError, ValueError, RuntimeError) as error:
        raise FileFormatError(f"{source}: the tensor data cannot be read ({error}); the file is truncated or "
                              "corrupted.") from None


def atomic_write(filepath: str, data: bytes) -> None:
    """Write ``data`` to ``filepath`` through a temporary file and a rename: never a half-written file."""
    directory = os.path.dirname(os.path.abspath(filepath)) or "."
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, filepath)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


# ---- writing -------------------------------------------------------------------------------------
def model_config(model: Any) -> dict:
    from layerwise.saving.serialization_lib import serialize_keras_object

    try:
        config = serialize_keras_object(model)
    except NotImplementedError as error:
        raise NotImplementedError(
            f"Model '{model.name}' ({type(model).__name__}) cannot be saved as a whole: {error} "
            "Either implement `get_config()` (and register the class), or save only the weights with "
            "`model.save_weights(...)`."
        ) from None
    build = model.get_build_config()
    if build is not None:
        config["build_config"] = build
    compile_config = model.get_compile_config() if hasattr(model, "get_compile_config") else None
    if compile_config is not None:
        config["compile_config"] = compile_config
    return config


def optimizer_tensors(model: Any) -> dict[str, torch.Tensor] | None:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not optimizer.built:
        return None
    return dict(zip(optimizer.state_names(), optimizer.variables))


def save_model(model: Any, filepath: str) -> None:
    members: dict[str, bytes] = {
        CONFIG: json.dumps(model_config(model), indent=1).encode("utf-8"),
        WEIGHTS: tensors_to_bytes(model.state_dict(), {"order": json.dumps(list(model.state_dict()))}),
    }
    state = optimizer_tensors(model)
    if state is not None:
        members[OPTIMIZER] = tensors_to_bytes(state, {"order": json.dumps(list(state))})
    metadata = {
        "layerwise_version": __version__,
        "torch_version": torch.__version__,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        "format": "layerwise.keras/1",
        "files": {name: sha256(data) for name, data in members.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(METADATA, json.dumps(metadata, indent=1))
        for name, data in members.items():
            archive.writestr(name, data)
    atomic_write(filepath, buffer.getvalue())


# ---- reading -------------------------------------------------------------------------------------
def read_archive(filepath: str) -> dict[str, bytes]:
    """Every member of a ``.keras`` file, verified against the recorded hashes."""
    if not os.path.isfile(filepath):
        raise FileNotFoundError(f"No model file at {filepath!r}.")
    try:
        with zipfile.ZipFile(filepath, "r") as archive:
            names = set(archive.namelist())
            unknown = sorted(names - _KNOWN)
            if unknown:
                raise FileFormatError(f"{filepath}: unexpected members {unknown}; this is not a layerwise model file "
                                      "(or it was tampered with).")
            for required in (METADATA, CONFIG, WEIGHTS):
                if required not in names:
                    raise FileFormatError(f"{filepath}: the member {required!r} is missing; the file is incomplete.")
            broken = archive.testzip()
            if broken is not None:
                raise FileFormatError(f"{filepath}: the member {broken!r} is corrupted (CRC mismatch).")
            members = {name: archive.read(name) for name in names}
    except zipfile.BadZipFile as error:
        raise FileFormatError(f"{filepath}: not a valid model file ({error}); it is truncated or corrupted.") from None
    try:
        metadata = json.loads(members[METADATA])
        recorded = metadata["files"]
    except (ValueError, KeyError, TypeError):
        raise FileFormatError(f"{filepath}: the metadata is unreadable; the file is corrupted.") from None
    for name, data in members.items():
        if name == METADATA:
            continue
        if recorded.get(name) != sha256(data):
            raise FileFormatError(f"{filepath}: the member {name!r} does not match its recorded SHA-256; the file "
                                  "was modified or corrupted. Refusing to load it.")
    return members


def load_model(filepath: str, custom_objects: dict | None = None, compile: bool = True, safe_mode: bool = True) -> Any:
    from layerwise.saving.serialization_lib import deserialize_keras_object

    members = read_archive(filepath)
    try:
        config = json.loads(members[CONFIG])
    except ValueError:
        raise FileFormatError(f"{filepath}: the model config is not valid JSON.") from None
    weights = bytes_to_tensors(members[WEIGHTS], f"{filepath} [{WEIGHTS}]")
    optimizer_state = bytes_to_tensors(members[OPTIMIZER], f"{filepath} [{OPTIMIZER}]") if OPTIMIZER in members else None
    compile_config = config.pop("compile_config", None)
    model = deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
    load_state_dict(model, weights, filepath)
    if compile and compile_config is not None:
        from layerwise.saving.object_registration import CustomObjectScope
        from layerwise.saving.serialization_lib import SafeModeScope

        with CustomObjectScope(custom_objects or {}), SafeModeScope(safe_mode):
            model.compile_from_config(compile_config)
        if optimizer_state is not None:
            model.optimizer.build(model.trainable_weights)
            model.optimizer.load_state(optimizer_state)
    return model


def load_state_dict(model: Any, tensors: dict[str, torch.Tensor], source: str, skip_mismatch: bool = False,
                    order: list[str] | None = None) -> None:
    """Copy saved tensors into the model, by name; by position when only the names differ."""
    target = model.state_dict()
    if set(tensors) != set(target) and order is not None and len(order) == len(target):
        by_position = dict(zip(target, (tensors[name] for name in order)))
        if all(tuple(by_position[k].shape) == tuple(v.shape) for k, v in target.items()):
            tensors = by_position
    missing = [k for k in target if k not in tensors]
    unexpected = [k for k in tensors if k not in target]
    mismatched = [(k, tuple(tensors[k].shape), tuple(v.shape)) for k, v in target.items()
                  if k in tensors and tuple(tensors[k].shape) != tuple(v.shape)]
    if (missing or unexpected or mismatched) and not skip_mismatch:
        problems = []
        if missing:
            problems.append(f"missing in the file: {missing[:8]}")
        if unexpected:
            problems.append(f"not in the model: {unexpected[:8]}")
        for key, saved, wanted in mismatched[:8]:
            problems.append(f"'{key}' has shape {saved} in the file but {wanted} in the model")
        raise ValueError(f"{source}: the saved weights do not fit model '{model.name}': " + "; ".join(problems) +
                         ". Use `skip_mismatch=True` to load only the weights that fit.")
    usable = {k: v for k, v in tensors.items() if k in target and tuple(v.shape) == tuple(target[k].shape)}
    with torch.no_grad():
        for key, value in usable.items():
            target[key].copy_(value.to(device=target[key].device, dtype=target[key].dtype))
