"""Data augmentation layers: random flips, rotations, translations, zooms, contrast, brightness and
crops. Each is active only in training: inside ``fit``, or called on its own as Keras's
``data_augmentation(images)`` is (``training=False`` turns that off); inside a model called for
inference (``predict``, ``evaluate``, ``model(x)``) it passes images through. It draws its random
parameters on the input's device from its own seeded generator, and transforms a whole batch at once
(the geometric ones through one batched affine resampling, ``affine.py``).

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""

from layerwise.layers.preprocessing.augmentation.random_brightness import (
           RandomBrightness,
)
from layerwise.layers.preprocessing.augmentation.random_contrast import RandomContrast
from layerwise.layers.preprocessing.augmentation.random_crop import RandomCrop
from layerwise.layers.preprocessing.augmentation.random_flip import RandomFlip
from layerwise.layers.preprocessing.augmentation.random_rotation import RandomRotation
from layerwise.layers.preprocessing.augmentation.random_translation import (
           RandomTranslation,
)
from layerwise.layers.preprocessing.augmentation.random_zoom import RandomZoom

__all__ = ["RandomBrightness", "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation", "RandomTranslation",
           "RandomZoom"]
