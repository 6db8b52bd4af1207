"""The batched affine sampler: identity, exact integer shifts in every fill mode, nearest vs bilinear,
channels_first, gradients, one gather for a batch of different transforms, Keras parity."""

import numpy as np
import pytest
import torch

from layerwise.layers.preprocessing.augmentation.affine import (
    affine_transform,
    rotation_transforms,
    translation_transforms,
    zoom_transforms,
)

FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def _shift(dx, dy, batch=1):
    return translation_transforms(torch.full((batch,), float(dx)), torch.full((batch,), float(dy)))


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_identity_transform_returns_the_images(interpolation, fill_mode):
    x = torch.randn(2, 5, 4, 3)
    torch.testing.assert_close(affine_transform(x, _shift(0, 0, 2), interpolation, fill_mode), x, rtol=0, atol=0)


@pytest.mark.parametrize("fill_mode,expected", [
    ("constant", [9, 9, 0, 1, 2, 3, 4]),   # k k | a b c ...
    ("nearest", [0, 0, 0, 1, 2, 3, 4]),    # a a | a b c ...
    ("wrap", [5, 6, 0, 1, 2, 3, 4]),       # f g | a b c ...
    ("reflect", [1, 0, 0, 1, 2, 3, 4]),    # b a | a b c ...
])
def test_fill_modes_on_an_integer_shift(fill_mode, expected):
    x = torch.arange(7.0).reshape(1, 1, 7, 1)
    out = affine_transform(x, _shift(2, 0), "bilinear", fill_mode, fill_value=9.0)
    assert out.flatten().tolist() == [float(v) for v in expected]


def test_reflect_and_wrap_far_outside_the_image():
    x = torch.arange(3.0).reshape(1, 1, 3, 1)  # a b c
    out = affine_transform(x, _shift(-6, 0), "nearest", "reflect")  # reads x + 6: positions 6, 7, 8
    assert out.flatten().tolist() == [0.0, 1.0, 2.0]  # a b c | c b a | a b c
    out = affine_transform(x, _shift(4, 0), "nearest", "wrap")  # positions -4, -3, -2
    assert out.flatten().tolist() == [2.0, 0.0, 1.0]


def test_bilinear_half_pixel_shift_averages_neighbours_and_blends_the_fill():
    x = torch.tensor([2.0, 4.0, 8.0]).reshape(1, 1, 3, 1)
    out = affine_transform(x, _shift(0.5, 0), "bilinear", "constant", fill_value=0.0)
    assert out.flatten().tolist() == [1.0, 3.0, 6.0]  # (0 + 2) / 2, (2 + 4) / 2, (4 + 8) / 2


def test_nearest_rounds_half_to_even():
    x = torch.arange(4.0).reshape(1, 1, 4, 1)
    out = affine_transform(x, _shift(-0.5, 0), "nearest", "nearest")  # reads 0.5, 1.5, 2.5, 3.5
    assert out.flatten().tolist() == [0.0, 2.0, 2.0, 3.0]  # round(0.5)=0, round(1.5)=2, round(2.5)=2, 4 -> 3


def test_each_image_gets_its_own_transform_and_channels_first_agrees():
    x = torch.randn(3, 6, 6, 2)
    transforms = torch.cat([_shift(1, 0), _shift(0, -2), rotation_transforms(torch.tensor([0.3]), 6, 6)])
    batched = affine_transform(x, transforms, "bilinear", "reflect")
    for i in range(3):
        torch.testing.assert_close(batched[i:i + 1], affine_transform(x[i:i + 1], transforms[i:i + 1], "bilinear",
                                                                      "reflect"))
    first = affine_transform(x.permute(0, 3, 1, 2), transforms, "bilinear", "reflect", data_format="channels_first")
    torch.testing.assert_close(first.permute(0, 2, 3, 1), batched)


def test_rotation_by_a_quarter_turn_is_rot90():
    x = torch.randn(2, 5, 5, 3)
    out = affine_transform(x, rotation_transforms(torch.full((2,), torch.pi / 2), 5, 5), "bilinear", "constant")
    torch.testing.assert_close(out, torch.rot90(x, k=1, dims=(1, 2)), atol=1e-5, rtol=0)


def test_zoom_of_a_linear_ramp_is_exact():
    ramp = torch.arange(9.0).reshape(1, 1, 9, 1).expand(1, 5, 9, 1).contiguous()
    out = affine_transform(ramp, zoom_transforms(torch.tensor([0.5]), torch.tensor([1.0]), 5, 9), "bilinear", "nearest")
    torch.testing.assert_close(out[0, 0, :, 0], 0.5 * torch.arange(9.0) + 2.0)  # x_in = 0.5 x + 4 (1 - 0.5)


def test_gradient_with_respect_to_the_images():
    x = torch.randn(2, 4, 5, 2, dtype=torch.float64, requires_grad=True)
    transforms = torch.cat([rotation_transforms(torch.tensor([0.4]), 4, 5), _shift(0.3, -1.7)])
    for fill_mode in FILL_MODES:
        def sample(t, mode=fill_mode):
            return affine_transform(t, transforms, "bilinear", mode, 0.5)

        assert torch.autograd.gradcheck(sample, (x,))


def test_bfloat16_and_invalid_arguments():
    x = torch.randn(1, 4, 4, 1, dtype=torch.bfloat16)
    assert affine_transform(x, _shift(1, 1), "bilinear", "reflect").dtype == torch.bfloat16
    with pytest.raises(ValueError, match="`affine_transform` argument `fill_mode` must be one of"):
        affine_transform(x, _shift(1, 1), "bilinear", "mirror")
    with pytest.raises(ValueError, match="`affine_transform` argument `interpolation` must be one of"):
        affine_transform(x, _shift(1, 1), "bicubic", "reflect")


@pytest.mark.keras_oracle
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_parity_with_keras_affine_transform(keras_oracle, interpolation, fill_mode):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 7, 9, 2)).astype("float32")
    transforms = (rng.normal(size=(3, 6)) * [0.5, 0.5, 3, 0.5, 0.5, 3] + [1, 0, 0, 0, 1, 0]).astype("float32")
    theirs = keras_oracle.ops.image.affine_transform(x, np.concatenate([transforms, np.zeros((3, 2), "float32")], 1),
                                                     interpolation=interpolation, fill_mode=fill_mode, fill_value=0.7)
    ours = affine_transform(torch.from_numpy(x), torch.from_numpy(transforms).view(3, 2, 3), interpolation, fill_mode,
                            0.7)
    np.testing.assert_allclose(ours.numpy(), keras_oracle.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-5)


@pytest.mark.requires_cuda
@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_cuda_matches_cpu(fill_mode):
    x = torch.randn(3, 6, 7, 2)
    transforms = torch.cat([rotation_transforms(torch.tensor([0.7]), 6, 7), _shift(1.3, -2.6),
                            zoom_transforms(torch.tensor([1.4]), torch.tensor([0.6]), 6, 7)])
    expected = affine_transform(x, transforms, "bilinear", fill_mode, 0.25)
    torch.testing.assert_close(affine_transform(x.cuda(), transforms.cuda(), "bilinear", fill_mode, 0.25).cpu(),
                               expected, atol=1e-5, rtol=1e-5)
