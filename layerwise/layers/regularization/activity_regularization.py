"""``ActivityRegularization``: the identity, plus an L1/L2 penalty on its input added to the loss."""

from __future__ import annotations

from layerwise import regularizers
from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.layers.ActivityRegularization")
class ActivityRegularization(Layer):
    """Passes its input through unchanged and adds ``l1 * sum(|x|) + l2 * sum(x ** 2)``, divided
    by the batch size, to ``layer.losses`` at every call (as Keras 3 does, so the penalty's
    strength does not depend on the batch size); ``fit`` adds it to the training loss.

    Args:
        l1: L1 factor (``>= 0``).
        l2: L2 factor (``>= 0``).

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.ActivityRegularization(l1=0.5, l2=1.0)
        >>> x = torch.tensor([[1.0, -2.0], [0.0, 1.0]])
        >>> bool(torch.equal(layer(x), x))
        True
        >>> [float(loss) for loss in layer.losses]  # (0.5 * 4 + 1.0 * 6) / 2 samples
        [4.0]
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs):
        l1 = number_in_range("ActivityRegularization", "l1", l1, 0, None)
        l2 = number_in_range("ActivityRegularization", "l2", l2, 0, None)
        kwargs.pop("activity_regularizer", None)  # l1 and l2 define it
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
