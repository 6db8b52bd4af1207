"""Process-wide state of Keras 2's backend: clearing the session, the learning phase, symbolic tests.

The settings themselves (``floatx``, ``epsilon``, ``image_data_format`` ...) live in
:mod:`layerwise.config` and are re-exposed by the package.
"""

from __future__ import annotations

import gc
from typing import Any

import torch

from layerwise.api_export import export
from layerwise.graph.keras_tensor import KerasTensor
from layerwise.utils import naming


@export("layerwise.backend.clear_session")
def clear_session(free_memory: bool = True) -> None:
    """Start afresh: automatic layer names restart (a new ``Dense`` is ``"dense"`` again).

    With ``free_memory`` (Keras 3's argument; Keras 2 always did it), unreachable objects are
    collected and, when CUDA is available, cached GPU memory is handed back.

    Example:
        >>> import layerwise as keras
        >>> from layerwise import backend as K
        >>> _ = keras.layers.Dense(1); K.clear_session(); keras.layers.Dense(1).name
        'dense'
    """
    naming.reset_uids()
    if free_memory:
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


@export("layerwise.backend.learning_phase")
def learning_phase() -> int:
    """Always ``0`` (inference), Keras 2's value outside ``fit``.

    Training mode is not global here: layers receive ``training=`` from ``fit``/``predict`` or
    from the caller, as in Keras 3.

    Example:
        >>> from layerwise import backend as K
        >>> K.learning_phase()
        0
    """
    return 0


@export("layerwise.backend.set_learning_phase")
def set_learning_phase(value: int) -> None:
    """Accepted for Keras 2 code and ignored: pass ``training=True/False`` to layers instead.

    ``value`` must still be 0 (inference) or 1 (training), as Keras 2 required.

    Example:
        >>> from layerwise import backend as K
        >>> K.set_learning_phase(1); K.learning_phase()
        0
    """
    if isinstance(value, bool) or value not in (0, 1):
        raise ValueError(f"`set_learning_phase` argument `value` must be 0 or 1; received value={value!r}.")


@export("layerwise.backend.is_keras_tensor")
def is_keras_tensor(x: Any) -> bool:
    """True for a symbolic tensor (from ``keras.Input`` or a layer called on one), False for a real one.

    As in Keras 2, anything that is not a tensor (a NumPy array, a list ...) is an error.

    Example:
        >>> import torch, layerwise as keras
        >>> from layerwise import backend as K
        >>> K.is_keras_tensor(keras.Input((3,))), K.is_keras_tensor(torch.zeros(3))
        (True, False)
    """
    if isinstance(x, KerasTensor):
        return True
    if isinstance(x, torch.Tensor):
        return False
    raise ValueError(
        f"`is_keras_tensor` argument `x` must be a tensor (symbolic or not); received an object of type "
        f"{type(x).__name__}: {x!r}."
    )
