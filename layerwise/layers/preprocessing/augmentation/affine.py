"""A batched affine image sampler with Keras's fill modes, and the matrices of the affine augmentations.

A transform is a ``(batch, 2, 3)`` tensor ``[[a0, a1, a2], [b0, b1, b2]]`` that maps each *output*
pixel ``(x, y)`` (column, row; pixel centres at integers) to the *input* point
``(a0 x + a1 y + a2, b0 x + b1 y + b2)`` it is read from -- the convention of Keras's
``ops.image.affine_transform``.

Sampling is one gather over the whole batch. ``"bilinear"`` reads the four integer neighbours of
the input point and ``"nearest"`` its rounded position (ties to even, as ``torch.round``); every
neighbour index outside the image is first mapped back by ``fill_mode``:

* ``"reflect"``: ``d c b a | a b c d | d c b a`` (mirrored about the outer pixel edge),
* ``"wrap"``: ``a b c d | a b c d | a b c d``,
* ``"nearest"``: ``a a a a | a b c d | d d d d``,
* ``"constant"``: neighbours outside the image read ``fill_value``.

Fixing the neighbours rather than the point is what Keras's torch backend does, so the numbers
match it; at the border of a ``"constant"`` fill the bilinear weights blend image and fill value.
The output is differentiable with respect to the images (the gather's backward is a scatter-add).
"""

from __future__ import annotations

import torch

from layerwise.layers.preprocessing.augmentation.augmentation_utils import (
    AFFINE_INTERPOLATIONS,
    FILL_MODES,
)


def _fix_index(index: torch.Tensor, size: int, fill_mode: str) -> torch.Tensor:
    """Map integer positions outside ``[0, size)`` back inside, following ``fill_mode``."""
    if fill_mode == "wrap":
        return torch.remainder(index, size)
    if fill_mode == "reflect":
        folded = torch.remainder(index, 2 * size)
        return torch.where(folded < size, folded, 2 * size - 1 - folded)
    return index.clamp(0, size - 1)  # "nearest"; "constant" masks these positions afterwards


def _axis_taps(coordinate: torch.Tensor, size: int, interpolation: str,
               fill_mode: str) -> list[tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]]:
    """The neighbours of ``coordinate`` along one axis: ``(index inside the image, weight, inside)``.

    ``weight`` is ``None`` for the single tap of ``"nearest"``; ``inside`` (whether the neighbour lay in
    the image before fixing) only for ``fill_mode="constant"``.
    """
    if interpolation == "nearest":
        positions, weights = [torch.round(coordinate).to(torch.int32)], [None]
    else:
        lower = torch.floor(coordinate)
        upper_weight = coordinate - lower
        lower = lower.to(torch.int32)
        positions, weights = [lower, lower + 1], [1 - upper_weight, upper_weight]
    taps = []
    for position, weight in zip(positions, weights):
        inside = ((position >= 0) & (position < size)) if fill_mode == "constant" else None
        taps.append((_fix_index(position, size, fill_mode), weight, inside))
    return taps


def affine_transform(images: torch.Tensor, transforms: torch.Tensor, interpolation: str = "bilinear",
                     fill_mode: str = "constant", fill_value: float = 0.0,
                     data_format: str = "channels_last") -> torch.Tensor:
    """Resample a batch of floating images (rank 4) through per-image affine maps, in one gather.

    Args:
        images: ``(batch, height, width, channels)`` or, for ``"channels_first"``, ``(batch, channels,
            height, width)``.
        transforms: ``(batch, 2, 3)``, output pixel ``(x, y, 1)`` to input point (see the module docstring).
        interpolation: ``"bilinear"`` or ``"nearest"``.
        fill_mode: ``"reflect"``, ``"wrap"``, ``"constant"`` or ``"nearest"``.
        fill_value: the value read outside the image with ``fill_mode="constant"``.
        data_format: ``"channels_last"`` or ``"channels_first"``.

    Example:
        >>> import torch
        >>> x = torch.arange(4.0).reshape(1, 1, 4, 1)
        >>> shift_right = torch.tensor([[[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]]])
        >>> affine_transform(x, shift_right, fill_mode="constant", fill_value=9.0).flatten().tolist()
        [9.0, 0.0, 1.0, 2.0]
        >>> affine_transform(x, shift_right, fill_mode="wrap").flatten().tolist()
        [3.0, 0.0, 1.0, 2.0]
    """
    if interpolation not in AFFINE_INTERPOLATIONS:
        raise ValueError(f"`affine_transform` argument `interpolation` must be one of {AFFINE_INTERPOLATIONS}; "
                         f"received interpolation={interpolation!r}.")
    if fill_mode not in FILL_MODES:
        raise ValueError(f"`affine_transform` argument `fill_mode` must be one of {FILL_MODES}; "
                         f"received fill_mode={fill_mode!r}.")
    channels_last = data_format == "channels_last"
    if channels_last:
        batch, height, width, channels = images.shape
    else:
        batch, channels, height, width = images.shape
    coordinate_dtype = torch.promote_types(images.dtype, torch.float32)
    transforms = transforms.to(device=images.device, dtype=coordinate_dtype).reshape(batch, 6, 1, 1)
    rows = torch.arange(height, dtype=coordinate_dtype, device=images.device).view(1, height, 1)
    cols = torch.arange(width, dtype=coordinate_dtype, device=images.device).view(1, 1, width)
    source_x = transforms[:, 0] * cols + transforms[:, 1] * rows + transforms[:, 2]  # (batch, height, width)
    source_y = transforms[:, 3] * cols + transforms[:, 4] * rows + transforms[:, 5]

    pixels = height * width
    index_dtype = torch.int32 if batch * pixels < 2**31 else torch.int64
    batch_offset = (torch.arange(batch, dtype=index_dtype, device=images.device) * pixels).view(batch, 1, 1)
    indices, weights, outside = [], [], []
    col_taps = _axis_taps(source_x, width, interpolation, fill_mode)
    for row, row_weight, row_inside in _axis_taps(source_y, height, interpolation, fill_mode):
        row = batch_offset + row.to(index_dtype) * width
        for col, col_weight, col_inside in col_taps:
            indices.append(row + col)  # (batch, height, width)
            weight = None if row_weight is None else row_weight * col_weight
            if row_inside is not None:  # "constant": neighbours outside read fill_value
                inside = row_inside & col_inside
                outside.append(~inside if weight is None else weight * ~inside)
                weight = inside if weight is None else weight * inside
            weights.append(weight)
    taps = len(indices)
    index = torch.stack(indices, dim=1).flatten()  # (batch * taps * height * width,)

    if channels_last:
        values = images.reshape(batch * pixels, channels).index_select(0, index).view(batch, taps, pixels, channels)
        tap_shape, tap_axis = (batch, taps, pixels, 1), 1
    else:
        local = (index.view(batch, taps * pixels) - batch_offset.view(batch, 1)).to(torch.int64)
        values = images.reshape(batch, channels, pixels).gather(2, local.unsqueeze(1).expand(batch, channels, -1))
        values = values.view(batch, channels, taps, pixels)
        tap_shape, tap_axis = (batch, 1, taps, pixels), 2
    if weights[0] is not None:
        values = values * torch.stack(weights, dim=1).reshape(tap_shape).to(values.dtype)
    output = values.sum(dim=tap_axis)
    if outside:  # + fill_value times the weight of the neighbours outside the image
        fill_weight = torch.stack(outside, dim=1).to(values.dtype).sum(dim=1).reshape(tap_shape[:tap_axis] +
                                                                                       tap_shape[tap_axis + 1:])
        output = output + float(fill_value) * fill_weight
    if channels_last:
        return output.view(batch, height, width, channels)
    return output.view(batch, channels, height, width)


def _stack_rows(a0, a1, a2, b0, b1, b2) -> torch.Tensor:
    return torch.stack([torch.stack([a0, a1, a2], dim=-1), torch.stack([b0, b1, b2], dim=-1)], dim=-2)


def rotation_transforms(angles: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Rotations by ``angles`` (radians, counter-clockwise as seen on screen) about the image centre.

    Example:
        >>> import math, torch
        >>> rotation_transforms(torch.tensor([0.0]), 3, 3).tolist()
        [[[1.0, -0.0, 0.0], [0.0, 1.0, 0.0]]]
    """
    center_x, center_y = (width - 1) / 2, (height - 1) / 2
    cos, sin = torch.cos(angles), torch.sin(angles)
    return _stack_rows(cos, -sin, center_x - center_x * cos + center_y * sin,
                       sin, cos, center_y - center_x * sin - center_y * cos)


def translation_transforms(shift_x: torch.Tensor, shift_y: torch.Tensor) -> torch.Tensor:
    """Shifts of the content by ``shift_x`` pixels right and ``shift_y`` pixels down.

    Example:
        >>> import torch
        >>> translation_transforms(torch.tensor([2.0]), torch.tensor([-1.0])).tolist()
        [[[1.0, 0.0, -2.0], [0.0, 1.0, 1.0]]]
    """
    ones, zeros = torch.ones_like(shift_x), torch.zeros_like(shift_x)
    return _stack_rows(ones, zeros, -shift_x, zeros, ones, -shift_y)


def zoom_transforms(zoom_x: torch.Tensor, zoom_y: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Scalings about the image centre that read ``zoom`` input pixels per output pixel (``> 1`` zooms out).

    Example:
        >>> import torch
        >>> zoom_transforms(torch.tensor([2.0]), torch.tensor([1.0]), 3, 5).tolist()
        [[[2.0, 0.0, -2.0], [0.0, 1.0, 0.0]]]
    """
    zeros = torch.zeros_like(zoom_x)
    return _stack_rows(zoom_x, zeros, (width - 1) / 2 * (1 - zoom_x),
                       zeros, zoom_y, (height - 1) / 2 * (1 - zoom_y))
