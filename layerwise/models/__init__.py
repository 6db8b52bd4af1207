"""``layerwise.models``: ``Model``, ``Sequential``, and loading models from files and configs."""

from layerwise.models.functional import Functional
from layerwise.models.model import Model
from layerwise.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_config", "model_from_json",
           "save_model"]


def __getattr__(name):
    if name in ("load_model", "save_model"):
        from layerwise.saving import saving_api

        return getattr(saving_api, name)
    if name in ("model_from_json", "model_from_config", "clone_model"):
        from layerwise.models import cloning

        return getattr(cloning, name)
    raise AttributeError(f"module 'layerwise.models' has no attribute {name!r}")
