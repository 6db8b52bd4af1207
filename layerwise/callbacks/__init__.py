"""``layerwise.callbacks``: hooks into ``fit``, ``evaluate`` and ``predict``."""

from layerwise.callbacks.callback import Callback
from layerwise.callbacks.callback_list import CallbackList
from layerwise.callbacks.early_stopping import EarlyStopping
from layerwise.callbacks.history import History
from layerwise.callbacks.progbar_logger import ProgbarLogger

__all__ = ["Callback", "CallbackList", "EarlyStopping", "History", "ProgbarLogger"]
