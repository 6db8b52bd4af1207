"""Global settings that Keras keeps in ``keras.config`` (and old code reads through the backend).

Everything here is process-wide and read at layer-construction or call time, never per element.
"""

from __future__ import annotations

import os

import torch

from layerwise.api_export import export

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_DEFAULT_DEVICE: str | None = os.environ.get("LAYERWISE_DEVICE") or None

_FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")


@export("layerwise.config.backend", "layerwise.backend.backend")
def backend() -> str:
    """The name of the engine underneath: always ``"torch"``.

    Example:
        >>> import layerwise
        >>> layerwise.config.backend()
        'torch'
    """
    return "torch"


@export("layerwise.config.floatx", "layerwise.backend.floatx")
def floatx() -> str:
    """The default float type of weights and data, as a string (``"float32"``).

    Example:
        >>> import layerwise
        >>> layerwise.config.floatx()
        'float32'
    """
    return _FLOATX


@export("layerwise.config.set_floatx", "layerwise.backend.set_floatx")
def set_floatx(value: str) -> None:
    """Set the default float type (``"float16"``, ``"bfloat16"``, ``"float32"`` or ``"float64"``).

    Example:
        >>> import layerwise
        >>> layerwise.config.set_floatx("float64"); layerwise.config.floatx()
        'float64'
        >>> layerwise.config.set_floatx("float32")
    """
    global _FLOATX
    value = str(value)
    if value not in _FLOAT_TYPES:
        raise ValueError(f"`set_floatx` argument `value` must be one of {_FLOAT_TYPES}; received value={value!r}.")
    _FLOATX = value


@export("layerwise.config.epsilon", "layerwise.backend.epsilon")
def epsilon() -> float:
    """The fuzz factor used in numeric expressions (``1e-7``, as in Keras).

    Example:
        >>> import layerwise
        >>> layerwise.config.epsilon()
        1e-07
    """
    return _EPSILON


@export("layerwise.config.set_epsilon", "layerwise.backend.set_epsilon")
def set_epsilon(value: float) -> None:
    """Set the fuzz factor returned by :func:`epsilon`.

    Example:
        >>> import layerwise
        >>> layerwise.config.set_epsilon(1e-5); layerwise.config.epsilon()
        1e-05
        >>> layerwise.config.set_epsilon(1e-7)
    """
    global _EPSILON
    value = float(value)
    if not value > 0:
        raise ValueError(f"`set_epsilon` argument `value` must be a positive float; received value={value}.")
    _EPSILON = value


@export("layerwise.config.image_data_format", "layerwise.backend.image_data_format")
def image_data_format() -> str:
    """``"channels_last"`` (Keras's default) or ``"channels_first"``.

    Example:
        >>> import layerwise
        >>> layerwise.config.image_data_format()
        'channels_last'
    """
    return _IMAGE_DATA_FORMAT


@export("layerwise.config.set_image_data_format", "layerwise.backend.set_image_data_format")
def set_image_data_format(data_format: str) -> None:
    """Set the default image layout for convolution and pooling layers.

    Example:
        >>> import layerwise
        >>> layerwise.config.set_image_data_format("channels_last")
    """
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "`set_image_data_format` argument `data_format` must be 'channels_first' or "
            f"'channels_last'; received data_format={data_format!r}."
        )
    _IMAGE_DATA_FORMAT = data_format


@export("layerwise.config.default_device")
def default_device() -> torch.device:
    """The device new weights are created on: CUDA when available, else the CPU.

    Set ``LAYERWISE_DEVICE`` (for example ``cpu``) or call :func:`set_default_device` to choose.

    Example:
        >>> import layerwise
        >>> layerwise.config.default_device().type in ("cpu", "cuda", "mps")
        True
    """
    if _DEFAULT_DEVICE is not None:
        return torch.device(_DEFAULT_DEVICE)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@export("layerwise.config.set_default_device")
def set_default_device(device: str | torch.device | None) -> None:
    """Choose the device new weights are created on (``None`` restores the automatic choice).

    Example:
        >>> import layerwise
        >>> layerwise.config.set_default_device("cpu"); str(layerwise.config.default_device())
        'cpu'
        >>> layerwise.config.set_default_device(None)
    """
    global _DEFAULT_DEVICE
    if device is None:
        _DEFAULT_DEVICE = None
        return
    _DEFAULT_DEVICE = str(torch.device(device))


_ALLOW_TF32 = os.environ.get("LAYERWISE_ALLOW_TF32", "1") not in ("0", "false", "False")


@export("layerwise.config.allow_tf32")
def allow_tf32() -> bool:
    """Whether ``fit``, ``evaluate`` and ``predict`` let float32 matmuls and convolutions use TF32
    tensor cores on GPUs that have them (Ampere and later), as JAX does by default. On by default;
    ``LAYERWISE_ALLOW_TF32=0`` or :func:`set_allow_tf32` turns it off. torch's own settings are
    restored when each call returns, so plain PyTorch code is not affected.

    Example:
        >>> import layerwise
        >>> layerwise.config.allow_tf32()
        True
    """
    return _ALLOW_TF32


@export("layerwise.config.set_allow_tf32")
def set_allow_tf32(enabled: bool) -> None:
    """Turn TF32 matmuls and convolutions inside ``fit``/``evaluate``/``predict`` on or off.

    Example:
        >>> import layerwise
        >>> layerwise.config.set_allow_tf32(False); layerwise.config.allow_tf32()
        False
        >>> layerwise.config.set_allow_tf32(True)
    """
    global _ALLOW_TF32
    _ALLOW_TF32 = bool(enabled)
