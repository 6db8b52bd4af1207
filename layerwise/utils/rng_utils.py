"""Reproducibility: one call seeds Python, NumPy and torch (every device)."""

from __future__ import annotations

import random

import numpy as np
import torch

from layerwise.api_export import export


@export("layerwise.utils.set_random_seed")
def set_random_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy and torch (CPU and all CUDA devices).

    Weights, dropout masks and shuffling are then reproducible on the same machine.

    Example:
        >>> import torch
        >>> set_random_seed(1); a = torch.rand(2)
        >>> set_random_seed(1); bool(torch.equal(a, torch.rand(2)))
        True
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise ValueError(f"`set_random_seed` argument `seed` must be an integer; received seed={seed!r}.")
    random.seed(int(seed))
    np.random.seed(int(seed) % (2**32))
    torch.manual_seed(int(seed))
