"""``GlobalAveragePooling1D``: the mean over all (unmasked) steps of a sequence."""

from __future__ import annotations

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.layers.pooling.base_global_pooling import BaseGlobalPooling
from layerwise.utils.dtype_utils import to_torch_dtype


@export("layerwise.layers.GlobalAveragePooling1D", "layerwise.layers.GlobalAvgPool1D")
class GlobalAveragePooling1D(BaseGlobalPooling):
    """The mean of each feature over all steps; masked steps (``mask`` false or 0) are left out.

    Args:
        data_format: ``"channels_last"`` (``(batch, steps, features)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, features, steps)``).
        keepdims: keep the steps axis with size 1; default ``False``.

    Call arguments:
        inputs: a 3-D tensor.
        mask: ``(batch, steps)``, true (or 1) for the steps to average; taken from the input's
            Keras mask (e.g. after ``Embedding(mask_zero=True)``) when not given. A row that keeps
            no step gives NaN, as in Keras. The output carries no mask.

    Output shape:
        ``(batch, features)``, or ``(batch, 1, features)`` with ``keepdims=True`` (channels-last).

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([[[1.0, 9.0], [5.0, 2.0], [3.0, 4.0]]])
        >>> keras.layers.GlobalAveragePooling1D()(x)
        tensor([[3., 5.]])
        >>> keras.layers.GlobalAveragePooling1D()(x, mask=torch.tensor([[True, True, False]]))
        tensor([[3.0000, 5.5000]])
    """

    rank = 1
    pool_mode = "average"

    def __init__(self, data_format: str | None = None, keepdims: bool = False, name: str | None = None,
                 **kwargs):
        super().__init__(data_format, keepdims, name=name, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        steps_axis = 1 if self.data_format == "channels_last" else 2
        if not isinstance(mask, torch.Tensor):  # a NumPy array or nested lists, as Keras accepts
            mask = torch.as_tensor(mask, device=inputs.device)
        if tuple(mask.shape) != (inputs.shape[0], inputs.shape[steps_axis]):
            raise ValueError(f"Layer '{self.name}' (GlobalAveragePooling1D) expects a mask of shape (batch, steps) = "
                             f"{(inputs.shape[0], inputs.shape[steps_axis])}; received mask shape {tuple(mask.shape)}.")
        if not inputs.is_floating_point():
            inputs = inputs.to(to_torch_dtype(config.floatx()))
        keep = mask.to(torch.bool).unsqueeze(2 if self.data_format == "channels_last" else 1)
        total = torch.where(keep, inputs, 0).sum(dim=steps_axis, keepdim=self.keepdims)
        count = keep.sum(dim=steps_axis, keepdim=self.keepdims, dtype=inputs.dtype)
        return total / count

    def compute_mask(self, inputs, previous_mask=None):
        return None
