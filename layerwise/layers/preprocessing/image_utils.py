"""Image helpers shared by the resizing, cropping and augmentation layers: data formats, channels-first
views of image batches, aspect-ratio crops and pads, and resizing with ``F.interpolate``.

Keras resizes with TensorFlow's conventions (half-pixel centers, no corner alignment), which are
``F.interpolate``'s ``align_corners=False`` for ``"bilinear"``/``"bicubic"`` and ``"nearest-exact"``
for ``"nearest"`` -- the mapping Keras's own torch backend uses.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from layerwise import config
from layerwise.utils.argument_validation import one_of

INTERPOLATIONS = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}


def standardize_data_format(owner: str, data_format: Any) -> str:
    """``data_format`` or, when ``None``, ``layerwise.config.image_data_format()``.

    Example:
        >>> standardize_data_format("Resizing", None)
        'channels_last'
    """
    if data_format is None:
        return config.image_data_format()
    return one_of(owner, "data_format", data_format, ("channels_last", "channels_first"), str.lower)


def check_images(layer: Any, images: torch.Tensor) -> None:
    """Refuse inputs that are not a single image (rank 3) or a batch of images (rank 4)."""
    if images.ndim not in (3, 4):
        raise ValueError(f"Layer '{layer.name}' ({type(layer).__name__}) expects images of rank 3 (one image) or 4 "
                         f"(a batch); received an input of shape {tuple(images.shape)}.")


def to_nchw(images: torch.Tensor, data_format: str) -> tuple[torch.Tensor, bool]:
    """A 4-D channels-first view of ``images`` and whether a batch axis was added.

    Example:
        >>> import torch
        >>> x, added = to_nchw(torch.zeros(5, 6, 3), "channels_last")
        >>> tuple(x.shape), added
        ((1, 3, 5, 6), True)
    """
    added = images.ndim == 3
    if added:
        images = images.unsqueeze(0)
    if data_format == "channels_last":
        images = images.permute(0, 3, 1, 2)
    return images, added


def from_nchw(images: torch.Tensor, data_format: str, added: bool) -> torch.Tensor:
    """Undo :func:`to_nchw`."""
    if data_format == "channels_last":
        images = images.permute(0, 2, 3, 1)
    return images.squeeze(0) if added else images


def spatial_size(images_shape: Any, data_format: str) -> tuple[Any, Any]:
    """``(height, width)`` of a rank-3 or rank-4 image shape."""
    if data_format == "channels_last":
        return images_shape[-3], images_shape[-2]
    return images_shape[-2], images_shape[-1]


def with_spatial_size(images_shape: Any, data_format: str, height: Any, width: Any) -> tuple:
    """``images_shape`` with its height and width replaced."""
    shape = list(images_shape)
    if data_format == "channels_last":
        shape[-3], shape[-2] = height, width
    else:
        shape[-2], shape[-1] = height, width
    return tuple(shape)


def aspect_crop_box(height: int, width: int, target_height: int, target_width: int) -> tuple[int, int, int, int]:
    """``(top, left, crop_height, crop_width)`` of the largest centred box with the target's aspect ratio.

    Example:
        >>> aspect_crop_box(10, 20, 5, 5)
        (0, 5, 10, 10)
    """
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    return int(float(height - crop_height) / 2), int(float(width - crop_width) / 2), crop_height, crop_width


def resize_nchw(images: torch.Tensor, size: tuple[int, int], interpolation: str = "bilinear",
                crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False, fill_value: float = 0.0,
                antialias: bool = False) -> torch.Tensor:
    """Resize a floating channels-first batch to ``size``, optionally cropping or padding it first so the
    aspect ratio is kept (the crop/pad is centred; padding uses ``fill_value``).

    Example:
        >>> import torch
        >>> resize_nchw(torch.arange(4.0).reshape(1, 1, 2, 2), (1, 1)).tolist()
        [[[[1.5]]]]
    """
    height, width = images.shape[-2], images.shape[-1]
    target_height, target_width = size
    if crop_to_aspect_ratio:
        top, left, crop_h, crop_w = aspect_crop_box(height, width, target_height, target_width)
        images = images[:, :, top:top + crop_h, left:left + crop_w]
    elif pad_to_aspect_ratio:
        pad_h = max(height, int(float(width * target_height) / target_width))
        pad_w = max(width, int(float(height * target_width) / target_height))
        top, left = int(float(pad_h - height) / 2), int(float(pad_w - width) / 2)
        if top or left:
            images = F.pad(images, (left, left, top, top), value=float(fill_value))
    if tuple(images.shape[-2:]) == (target_height, target_width):
        return images
    mode = INTERPOLATIONS[interpolation]
    align = False if mode in ("bilinear", "bicubic") else None
    antialias = antialias and mode in ("bilinear", "bicubic")
    return F.interpolate(images, size=(target_height, target_width), mode=mode, align_corners=align,
                         antialias=antialias)
