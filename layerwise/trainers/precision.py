"""The numeric settings ``fit``, ``evaluate`` and ``predict`` run under (TF32 on CUDA), restored on exit."""

from __future__ import annotations

import contextlib
import functools
from typing import Any, Callable, Iterator

import torch

from layerwise import config


@contextlib.contextmanager
def device_precision(device: torch.device) -> Iterator[None]:
    """On CUDA, allow TF32 for float32 matmuls and cuDNN convolutions when ``config.allow_tf32()``;
    put torch's previous settings back afterwards. Nothing changes on other devices.

    Example:
        >>> import torch
        >>> before = torch.backends.cuda.matmul.allow_tf32
        >>> with device_precision(torch.device("cpu")):
        ...     torch.backends.cuda.matmul.allow_tf32 == before
        True
    """
    if device.type != "cuda":
        yield
        return
    saved = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    wanted = config.allow_tf32()
    torch.backends.cuda.matmul.allow_tf32 = wanted or saved[0]
    torch.backends.cudnn.allow_tf32 = wanted or saved[1]
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


def on_model_device(method: Callable) -> Callable:
    """Run a model method (``fit``, ``evaluate``, ``predict``) under :func:`device_precision` for the model's
    device (the default device when the model has no weights yet)."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with device_precision(self._device()):
            return method(self, *args, **kwargs)

    return wrapper
