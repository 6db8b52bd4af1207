"""``layerwise.callbacks``: hooks into ``fit``, ``evaluate`` and ``predict``."""

from layerwise.callbacks.backup_and_restore import BackupAndRestore
from layerwise.callbacks.callback import Callback
from layerwise.callbacks.callback_list import CallbackList
from layerwise.callbacks.csv_logger import CSVLogger
from layerwise.callbacks.early_stopping import EarlyStopping
from layerwise.callbacks.history import History
from layerwise.callbacks.lambda_callback import LambdaCallback
from layerwise.callbacks.learning_rate_scheduler import LearningRateScheduler
from layerwise.callbacks.model_checkpoint import ModelCheckpoint
from layerwise.callbacks.monitor_callback import MonitorCallback
from layerwise.callbacks.progbar_logger import ProgbarLogger
from layerwise.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from layerwise.callbacks.tensorboard import TensorBoard
from layerwise.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore", "CSVLogger", "Callback", "CallbackList", "EarlyStopping", "History", "LambdaCallback",
    "LearningRateScheduler", "ModelCheckpoint", "MonitorCallback", "ProgbarLogger", "ReduceLROnPlateau",
    "TensorBoard", "TerminateOnNaN",
]
