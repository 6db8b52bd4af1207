"""``DTypePolicy``: Keras's split between a layer's variable dtype and its compute dtype.

``"float32"`` stores and computes in float32. ``"mixed_float16"`` and ``"mixed_bfloat16"`` store
weights in float32 and compute in the half type, as Keras's mixed precision does.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.utils.dtype_utils import standardize_dtype, to_torch_dtype

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


@export(
    "layerwise.dtype_policies.DTypePolicy",
    "layerwise.mixed_precision.DTypePolicy",
    "layerwise.mixed_precision.Policy",
)
class DTypePolicy:
    """A named pair (variable dtype, compute dtype).

    Args:
        name: ``"float32"``, ``"float64"``, ``"bfloat16"``, ``"float16"``, ``"mixed_float16"`` or
            ``"mixed_bfloat16"``. ``None`` means the global floatx.

    Example:
        >>> p = DTypePolicy("mixed_bfloat16")
        >>> p.variable_dtype, p.compute_dtype
        ('float32', 'bfloat16')
    """

    def __init__(self, name: str | None = None):
        if name is None:
            from layerwise import config

            name = config.floatx()
        if not isinstance(name, str):
            raise TypeError(f"`DTypePolicy` argument `name` must be a string; received name={name!r}.")
        if name in _MIXED:
            self._variable_dtype = "float32"
            self._compute_dtype = _MIXED[name]
        else:
            try:
                dtype = standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    "`DTypePolicy` argument `name` must be a dtype such as 'float32' or one of "
                    f"'mixed_float16', 'mixed_bfloat16'; received name={name!r}."
                ) from None
            self._variable_dtype = dtype
            self._compute_dtype = dtype
        self._name = name
        self._torch_compute = to_torch_dtype(self._compute_dtype)
        self._torch_variable = to_torch_dtype(self._variable_dtype)

    @property
    def name(self) -> str:
        return self._name

    @property
    def variable_dtype(self) -> str:
        return self._variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._compute_dtype

    @property
    def torch_compute_dtype(self) -> torch.dtype:
        return self._torch_compute

    @property
    def torch_variable_dtype(self) -> torch.dtype:
        return self._torch_variable

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict) -> "DTypePolicy":
        return cls(**config)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self._name}">'


_GLOBAL_POLICY: DTypePolicy | None = None


@export("layerwise.dtype_policies.dtype_policy", "layerwise.mixed_precision.dtype_policy",
        "layerwise.mixed_precision.global_policy", "layerwise.config.dtype_policy")
def global_policy() -> DTypePolicy:
    """The policy new layers get when they are given no ``dtype``.

    Example:
        >>> global_policy().name
        'float32'
    """
    if _GLOBAL_POLICY is None:
        return DTypePolicy()
    return _GLOBAL_POLICY


dtype_policy = global_policy


@export("layerwise.dtype_policies.set_dtype_policy", "layerwise.mixed_precision.set_dtype_policy",
        "layerwise.mixed_precision.set_global_policy", "layerwise.config.set_dtype_policy")
def set_global_policy(policy: str | DTypePolicy | None) -> None:
    """Set the policy for layers created from now on (``None`` goes back to floatx).

    Example:
        >>> set_global_policy("mixed_bfloat16"); global_policy().compute_dtype
        'bfloat16'
        >>> set_global_policy(None)
    """
    global _GLOBAL_POLICY
    _GLOBAL_POLICY = None if policy is None else get(policy)


set_dtype_policy = set_global_policy


def get(identifier: Any) -> DTypePolicy:
    """A policy from ``None`` (the global one), a name, a torch dtype, a config dict or a policy."""
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        config = identifier.get("config", identifier)
        return DTypePolicy(config.get("name"))
    if isinstance(identifier, torch.dtype):
        return DTypePolicy(standardize_dtype(identifier))
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    return DTypePolicy(standardize_dtype(identifier))


def serialize(policy: DTypePolicy) -> dict:
    """The config dict written for a layer's ``dtype``."""
    return {"module": "layerwise", "class_name": "DTypePolicy", "config": policy.get_config(),
            "registered_name": None}


def deserialize(config: Any) -> DTypePolicy:
    """Inverse of :func:`serialize` (also accepts a plain name)."""
    return get(config)
