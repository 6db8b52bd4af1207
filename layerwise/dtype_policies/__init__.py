"""Dtype policies: which dtype a layer's weights are stored in and which it computes in."""

from layerwise.dtype_policies.dtype_policy import (
    DTypePolicy,
    dtype_policy,
    get,
    global_policy,
    serialize,
    deserialize,
    set_dtype_policy,
    set_global_policy,
)

__all__ = [
    "DTypePolicy",
    "dtype_policy",
    "get",
    "global_policy",
    "serialize",
    "deserialize",
    "set_dtype_policy",
    "set_global_policy",
]
