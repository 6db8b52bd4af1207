"""Numerical gradient checks of a layer, in float64, for its input and every weight."""

from __future__ import annotations

import copy
from typing import Any

import torch


def check_layer_gradients(layer: Any, inputs: Any, atol: float = 1e-6, rtol: float = 1e-4,
                          check_inputs: bool = True, training: bool = False) -> None:
    """Compare autograd with finite differences (``torch.autograd.gradcheck``) in float64.

    The layer is copied and converted to float64; the input (if floating) and every trainable
    weight are checked. Raises ``GradcheckError`` on a mismatch.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Dense(3, activation="tanh")
        >>> check_layer_gradients(layer, torch.randn(4, 2))
    """
    layer = copy.deepcopy(layer)
    x = inputs.detach()
    if not layer.built:
        with torch.no_grad():
            layer(x.to(torch.float32) if x.is_floating_point() else x)
    layer = layer.double()
    for sublayer in layer.modules():  # a layer without weights keeps its policy through .double(); set it too
        if hasattr(sublayer, "dtype_policy"):
            sublayer.dtype_policy = "float64"
    if x.is_floating_point():
        x = x.to(torch.float64)
    names = [name for name, p in layer.named_parameters() if p.requires_grad]
    with_input = check_inputs and x.is_floating_point()

    def run(*values):
        point = values[0] if with_input else x
        params = dict(zip(names, values[1:] if with_input else values))
        return torch.func.functional_call(layer, params, (point,), {"training": training})

    parameters = dict(layer.named_parameters())
    leaves = [parameters[n].detach().clone().requires_grad_(True) for n in names]
    arguments = ([x.clone().requires_grad_(True)] if with_input else []) + leaves
    torch.autograd.gradcheck(run, tuple(arguments), eps=1e-6, atol=atol, rtol=rtol)
