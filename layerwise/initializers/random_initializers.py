"""Random initializers, with Keras 3's formulas and seeding.

As in Keras 3, an initializer draws its seed once, when it is created (from the global torch RNG
when ``seed=None``, so :func:`layerwise.utils.set_random_seed` makes it reproducible), and then
gives the same values each time it is called with the same shape. Values are drawn on the CPU so
a seed gives the same weights on every device.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.initializers.initializer import Initializer
from layerwise.utils.argument_validation import number_in_range, one_of
from layerwise.utils.dtype_utils import standardize_dtype, to_torch_dtype

# Standard deviation of a standard normal truncated to [-2, 2]: Keras divides by it so that
# truncated-normal variance scaling keeps the intended variance.
_TRUNCATED_STD = 0.87962566103423978


def compute_fans(shape: tuple) -> tuple[int, int]:
    """Keras's fan-in and fan-out: ``(in, out)`` for matrices, times the receptive field for kernels.

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
    """
    shape = tuple(shape)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class RandomInitializer(Initializer):
    """Base of the seeded initializers: holds ``seed`` and a private generator."""

    def __init__(self, seed: int | None = None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
            raise ValueError(f"`{type(self).__name__}` argument `seed` must be an integer or None; received seed={seed!r}.")
        self.seed = None if seed is None else int(seed)
        # The seed actually used; drawn now from the global RNG when none is given.
        self._draw_seed = self.seed if self.seed is not None else int(torch.randint(0, 2**31 - 1, ()).item())

    def _generator(self) -> torch.Generator:
        return torch.Generator(device="cpu").manual_seed(self._draw_seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}


@export("layerwise.initializers.RandomUniform", "layerwise.initializers.random_uniform",
        "layerwise.initializers.uniform")
class RandomUniform(RandomInitializer):
    """Uniform values in ``[minval, maxval)``.

    Example:
        >>> w = RandomUniform(-1.0, 1.0, seed=1)((1000,))
        >>> bool(w.min() >= -1 and w.max() < 1)
        True
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.minval = minval
        self.maxval = maxval

    def __call__(self, shape, dtype=None):
        dtype = to_torch_dtype(standardize_dtype(dtype))
        values = torch.rand(tuple(shape), generator=self._generator(), dtype=torch.float64)
        return (self.minval + (self.maxval - self.minval) * values).to(dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


@export("layerwise.initializers.RandomNormal", "layerwise.initializers.random_normal",
        "layerwise.initializers.normal")
class RandomNormal(RandomInitializer):
    """Normal values with the given ``mean`` and ``stddev``.

    Example:
        >>> w = RandomNormal(stddev=2.0, seed=0)((20000,))
        >>> round(float(w.std()), 1)
        2.0
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None):
        dtype = to_torch_dtype(standardize_dtype(dtype))
        values = torch.randn(tuple(shape), generator=self._generator(), dtype=torch.float64)
        return (self.mean + self.stddev * values).to(dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


def _truncated_normal(shape: tuple, mean: float, stddev: float, generator: torch.Generator) -> torch.Tensor:
    values = torch.empty(tuple(shape), dtype=torch.float64)
    torch.nn.init.trunc_normal_(values, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=generator)
    return mean + stddev * values


@export("layerwise.initializers.TruncatedNormal", "layerwise.initializers.truncated_normal")
class TruncatedNormal(RandomInitializer):
    """Normal values redrawn when more than two standard deviations from the mean.

    Example:
        >>> w = TruncatedNormal(stddev=1.0, seed=0)((10000,))
        >>> bool(w.abs().max() <= 2.0)
        True
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None):
        dtype = to_torch_dtype(standardize_dtype(dtype))
        return _truncated_normal(shape, self.mean, self.stddev, self._generator()).to(dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


@export("layerwise.initializers.VarianceScaling", "layerwise.initializers.variance_scaling")
class VarianceScaling(RandomInitializer):
    """Values whose variance is ``scale / n``, with ``n`` the fan-in, fan-out or their mean.

    Args:
        scale: positive scaling factor.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"``, ``"untruncated_normal"`` or ``"uniform"``.
        seed: integer seed, or ``None``.

    Example:
        >>> w = VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=0)((100, 50))
        >>> limit = (3 * 2.0 / 100) ** 0.5
        >>> bool(w.abs().max() <= limit)
        True
    """

    def __init__(self, scale: float = 1.0, mode: str = "fan_in", distribution: str = "truncated_normal",
                 seed: int | None = None):
        super().__init__(seed)
        self.scale = number_in_range(type(self).__name__, "scale", scale, 0, None, low_inclusive=False)
        self.mode = one_of(type(self).__name__, "mode", mode, ("fan_in", "fan_out", "fan_avg"), str.lower)
        distribution = distribution.lower() if isinstance(distribution, str) else distribution
        if distribution == "normal":
            distribution = "truncated_normal"
        self.distribution = one_of(type(self).__name__, "distribution", distribution,
                                   ("truncated_normal", "untruncated_normal", "uniform"))

    def __call__(self, shape, dtype=None):
        dtype = to_torch_dtype(standardize_dtype(dtype))
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        generator = self._generator()
        if self.distribution == "truncated_normal":
            values = _truncated_normal(shape, 0.0, math.sqrt(variance) / _TRUNCATED_STD, generator)
        elif self.distribution == "untruncated_normal":
            values = math.sqrt(variance) * torch.randn(tuple(shape), generator=generator, dtype=torch.float64)
        else:
            limit = math.sqrt(3.0 * variance)
            values = (2 * torch.rand(tuple(shape), generator=generator, dtype=torch.float64) - 1) * limit
        return values.to(dtype)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, **super().get_config()}


def _variance_scaling_preset(class_name: str, alias: str, scale: float, mode: str, distribution: str, doc: str):
    def __init__(self, seed: int | None = None):
        VarianceScaling.__init__(self, scale=scale, mode=mode, distribution=distribution, seed=seed)

    def get_config(self):
        return {"seed": self.seed}

    cls = type(class_name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config, "__doc__": doc,
                                                "__module__": __name__})
    return export(f"layerwise.initializers.{class_name}", f"layerwise.initializers.{alias}")(cls)


GlorotUniform = _variance_scaling_preset(
    "GlorotUniform", "glorot_uniform", 1.0, "fan_avg", "uniform",
    """Glorot (Xavier) uniform: ``U(-l, l)`` with ``l = sqrt(6 / (fan_in + fan_out))``.

    Example:
        >>> w = GlorotUniform(seed=0)((30, 20))
        >>> bool(w.abs().max() <= (6 / 50) ** 0.5)
        True
    """)
GlorotNormal = _variance_scaling_preset(
    "GlorotNormal", "glorot_normal", 1.0, "fan_avg", "truncated_normal",
    """Glorot (Xavier) normal: truncated normal with ``stddev = sqrt(2 / (fan_in + fan_out))``.

    Example:
        >>> GlorotNormal(seed=0)((3, 2)).shape
        torch.Size([3, 2])
    """)
HeUniform = _variance_scaling_preset(
    "HeUniform", "he_uniform", 2.0, "fan_in", "uniform",
    """He uniform: ``U(-l, l)`` with ``l = sqrt(6 / fan_in)``.

    Example:
        >>> w = HeUniform(seed=0)((24, 5))
        >>> bool(w.abs().max() <= (6 / 24) ** 0.5)
        True
    """)
HeNormal = _variance_scaling_preset(
    "HeNormal", "he_normal", 2.0, "fan_in", "truncated_normal",
    """He normal: truncated normal with ``stddev = sqrt(2 / fan_in)``.

    Example:
        >>> HeNormal(seed=0)((3, 2)).shape
        torch.Size([3, 2])
    """)
LecunUniform = _variance_scaling_preset(
    "LecunUniform", "lecun_uniform", 1.0, "fan_in", "uniform",
    """LeCun uniform: ``U(-l, l)`` with ``l = sqrt(3 / fan_in)``.

    Example:
        >>> w = LecunUniform(seed=0)((12, 5))
        >>> bool(w.abs().max() <= (3 / 12) ** 0.5)
        True
    """)
LecunNormal = _variance_scaling_preset(
    "LecunNormal", "lecun_normal", 1.0, "fan_in", "truncated_normal",
    """LeCun normal: truncated normal with ``stddev = sqrt(1 / fan_in)`` (SELU networks use it).

    Example:
        >>> LecunNormal(seed=0)((3, 2)).shape
        torch.Size([3, 2])
    """)


@export("layerwise.initializers.Orthogonal", "layerwise.initializers.orthogonal",
        "layerwise.initializers.OrthogonalInitializer")
class Orthogonal(RandomInitializer):
    """A (semi-)orthogonal matrix times ``gain``; higher-rank shapes are flattened to
    ``(prod(shape[:-1]), shape[-1])`` first, as Keras does.

    Example:
        >>> import torch
        >>> q = Orthogonal(seed=0)((4, 4)).double()
        >>> torch.allclose(q.T @ q, torch.eye(4, dtype=torch.float64), atol=1e-6)
        True
    """

    def __init__(self, gain: float = 1.0, seed: int | None = None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError(f"`Orthogonal` initializer needs a shape of rank 2 or more; received shape={shape}.")
        dtype = to_torch_dtype(standardize_dtype(dtype))
        rows = math.prod(shape[:-1])
        cols = shape[-1]
        flat = torch.randn((max(rows, cols), min(rows, cols)), generator=self._generator(), dtype=torch.float64)
        q, r = torch.linalg.qr(flat)
        q = q * torch.sign(torch.diagonal(r))  # make the decomposition unique
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).to(dtype)

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}
