"""``TimeDistributed``: applies a layer to every timestep of a sequence."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.layers.rnn.base_cell import build_sublayer, follow_weights_dtype
from layerwise.utils import tree


@export("layerwise.layers.TimeDistributed")
class TimeDistributed(Layer):
    """Applies ``layer`` to each timestep (axis 1) of the input, with the same weights at every step.

    The time axis is folded into the batch (``(batch * time, ...)``), so the layer runs once on
    all steps at once; the results are unfolded to ``(batch, time, ...)``. A mask ``(batch, time)``
    is passed through, and to the layer (per step) when its ``call`` takes one.

    Args:
        layer: the layer to apply (``Dense``, ``Conv2D``, a model...).

    Input shape:
        ``(batch, time, ...)``, at least rank 3.
    Output shape:
        ``(batch, time) + layer output shape without its batch axis``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.TimeDistributed(keras.layers.Dense(4))
        >>> tuple(layer(torch.randn(2, 10, 3)).shape), [tuple(w.shape) for w in layer.weights]
        ((2, 10, 4), [(3, 4), (4,)])
    """

    def __init__(self, layer: Layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(  # noqa: TRY004 (ValueError, as Keras)
                f"`TimeDistributed` argument `layer` must be a layerwise layer; received layer={layer!r}.")
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)

    def _child_shape(self, input_shape: Any) -> tuple:
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(f"Layer '{self.name}' (TimeDistributed) expects inputs of rank >= 3, (batch, time, ...); "
                             f"received shape {input_shape}.")
        return (input_shape[0],) + tuple(input_shape[2:])

    def _apply(self, fn, recurse=True):
        result = super()._apply(fn, recurse)
        follow_weights_dtype(self)
        return result

    def build(self, input_shape: Any) -> None:
        build_sublayer(self, self.layer, self._child_shape(input_shape))

    def compute_output_shape(self, input_shape: Any) -> Any:
        child = self.layer.compute_output_shape(self._child_shape(input_shape))
        return _unfold_shape(child, input_shape[0], input_shape[1])

    def call(self, inputs, training=None, mask=None):
        shape = tuple(inputs.shape)
        batch, steps = shape[0], shape[1]
        kwargs: dict = {}
        if self.layer._call_has_training:
            kwargs["training"] = training
        if mask is not None and self.layer._call_has_mask:
            if mask.ndim < 2 or tuple(mask.shape[:2]) != (batch, steps):
                raise ValueError(f"Layer '{self.name}' (TimeDistributed) argument `mask` must start with the input's "
                                 f"(batch, time) = {(batch, steps)}; received shape {tuple(mask.shape)}.")
            kwargs["mask"] = mask.reshape((batch * steps,) + tuple(mask.shape[2:]))
        outputs = self.layer(inputs.reshape((batch * steps,) + shape[2:]), **kwargs)
        compute = self.dtype_policy.torch_compute_dtype

        def unfold(o):
            o = o.reshape((batch, steps) + tuple(o.shape[1:]))
            return o.to(compute) if o.is_floating_point() and o.dtype != compute else o

        return tree.map_structure(unfold, outputs)

    def get_config(self) -> dict:
        from layerwise.saving.serialization_lib import serialize_keras_object

        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> TimeDistributed:
        from layerwise.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)


def _unfold_shape(child: Any, batch: Any, steps: Any) -> Any:
    if isinstance(child, (tuple, list)) and all(d is None or isinstance(d, int) for d in child):
        return (batch, steps) + tuple(child[1:])
    return type(child)(_unfold_shape(c, batch, steps) for c in child)
