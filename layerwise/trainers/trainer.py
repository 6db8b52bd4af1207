"""``Trainer``: ``compile`` and ``fit`` (``evaluate``, ``predict`` and ``*_on_batch`` come from ``inference.py``).

The loops keep the data on the device, call the (overridable) steps of
:mod:`layerwise.trainers.train_step`, and hand callbacks lazy logs, so a step costs no host sync
unless a callback actually reads a value. Bad data is refused before any weight changes: a first
batch is run forward (which builds an unbuilt model and checks shapes), labels are checked
against the number of classes, and only then does training start.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise import optimizers
from layerwise.callbacks.callback_list import CallbackList
from layerwise.metrics.metric import Metric
from layerwise.metrics.reduction_metrics import Mean
from layerwise.trainers import compile_utils, data_adapter, step_capture, validation
from layerwise.trainers.data_adapter import unpack_x_y_sample_weight
from layerwise.trainers.inference import InferenceMixin
from layerwise.trainers.precision import on_model_device
from layerwise.trainers.train_step import LazyLogs, StepsMixin
from layerwise.utils import tree
from layerwise.utils.argument_validation import non_negative_int, number_in_range, positive_int

_FIT_LEGACY = {"nb_epoch": "epochs"}


class Trainer(InferenceMixin, StepsMixin):
    """The training half of :class:`layerwise.Model`."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self._compile_config: dict | None = None
        self.stop_training = False
        self.history = None
        self._run_eagerly = False
        self._jit_compile = "auto"
        self._trainable_cache = None
        self._output_names_cache = None
        self._regularized_cache = None
        self._tracked_metrics: list[Metric] = []
        self._sparse_label_checks = None

    def __setattr__(self, name, value):
        if isinstance(value, Metric) and "_tracked_metrics" in self.__dict__ and not name.startswith("_"):
            if not any(m is value for m in self._tracked_metrics):
                self._tracked_metrics.append(value)
        super().__setattr__(name, value)

    # ---- compile -----------------------------------------------------------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, loss_weights: Any = None, metrics: Any = None,
                weighted_metrics: Any = None, run_eagerly: bool = False, steps_per_execution: int = 1,
                jit_compile: Any = "auto", auto_scale_loss: bool = True, **kwargs) -> None:
        """Configure training: the optimizer, the loss(es), and the metrics to report.

        Args:
            optimizer: name (``"adam"``) or optimizer object.
            loss: name, ``Loss`` object or function ``f(y_true, y_pred)``; a list or dict
                (by output name) for models with several outputs.
            loss_weights: scalar weights of the per-output losses (list or dict).
            metrics: names or objects (``["accuracy"]``); per output as a list of lists or dict.
            weighted_metrics: metrics that take ``sample_weight``/``class_weight`` into account.
            run_eagerly: never capture or compile the step.
            jit_compile: ``"auto"`` lets layerwise choose (CUDA graphs on GPU); ``False`` disables.
            auto_scale_loss: under the ``"mixed_float16"`` policy, wrap the optimizer in a
                ``LossScaleOptimizer`` (dynamic loss scaling), as Keras does.
        """
        kwargs.pop("sample_weight_mode", None)  # Keras 2, no effect
        if kwargs:
            raise TypeError(f"`compile` got unexpected keyword arguments: {sorted(kwargs)}.")
        positive_int("compile", "steps_per_execution", steps_per_execution)
        self.optimizer = optimizers.get(optimizer)
        if (auto_scale_loss and self.dtype_policy.name == "mixed_float16"
                and not isinstance(self.optimizer, optimizers.LossScaleOptimizer)):
            self.optimizer = optimizers.LossScaleOptimizer(self.optimizer, name="loss_scale_optimizer")
        if isinstance(metrics, str):
            metrics = [metrics]
        if isinstance(weighted_metrics, str):
            weighted_metrics = [weighted_metrics]
        for metric in tree.flatten(metrics) + tree.flatten(weighted_metrics):
            if metric is not None and not isinstance(metric, Metric):
                compile_utils.get_metric(metric, torch.zeros(1, 2), torch.zeros(1, 2))  # unknown names fail now
        for entry in tree.flatten(loss):
            if entry is not None:
                compile_utils.get_loss(entry, torch.zeros(1, 2), torch.zeros(1, 2))
        self.loss = loss
        self._compile_loss = compile_utils.CompileLoss(loss, loss_weights) if loss is not None else None
        self._compile_metrics = compile_utils.CompileMetrics(metrics, weighted_metrics)
        self._loss_tracker = Mean(name="loss")
        self._run_eagerly = bool(run_eagerly)
        self._jit_compile = jit_compile
        self._sparse_label_checks = None
        self._compile_config = {"optimizer": optimizer, "loss": loss, "loss_weights": loss_weights,
                                "metrics": metrics, "weighted_metrics": weighted_metrics,
                                "run_eagerly": run_eagerly, "jit_compile": jit_compile}
        self.compiled = True

    @property
    def run_eagerly(self) -> bool:
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value: bool) -> None:
        self._run_eagerly = bool(value)

    @property
    def jit_compile(self) -> Any:
        return self._jit_compile

    def get_compile_config(self) -> dict | None:
        """The ``compile`` arguments, serialised (saved in model files)."""
        if not self.compiled or self._compile_config is None:
            return None
        from layerwise.saving.serialization_lib import serialize_keras_object

        config = dict(self._compile_config)
        config["optimizer"] = serialize_keras_object(self.optimizer)
        for key in ("loss", "metrics", "weighted_metrics"):
            config[key] = serialize_keras_object(config[key])
        return config

    def compile_from_config(self, config: dict) -> None:
        """Compile from :meth:`get_compile_config`'s output."""
        from layerwise.saving.serialization_lib import deserialize_keras_object

        config = {k: deserialize_keras_object(v) if k in ("optimizer", "loss", "metrics", "weighted_metrics") else v
                  for k, v in config.items()}
        self.compile(**config)

    # ---- metrics -----------------------------------------------------------------------------------
    @property
    def metrics(self) -> list[Metric]:
        """The loss tracker, per-output loss trackers, compiled metrics, then metrics set as attributes."""
        out: list[Metric] = []
        if self._loss_tracker is not None:
            out.append(self._loss_tracker)
        if self._compile_loss is not None and self._compile_loss.built:
            out.extend(self._compile_loss.metrics)
        if self._compile_metrics is not None and self._compile_metrics.built:
            out.extend(self._compile_metrics.metrics)
        for metric in self._tracked_metrics:
            if not any(m is metric for m in out):
                out.append(metric)
        return out

    @property
    def metrics_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    def reset_metrics(self) -> None:
        """Reset every metric's state."""
        for metric in self.metrics:
            metric.reset_state()

    def _assert_compiled(self, method: str) -> None:
        if not self.compiled:
            raise ValueError(f"You must call `compile()` before calling `{method}()` on model '{self.name}'.")

    # ---- preparation -------------------------------------------------------------------------------
    def _device(self) -> torch.device:
        return self._weight_device()

    def _prepare_caches(self) -> None:
        self._trainable_cache = self.trainable_weights
        self._output_names_cache = self._output_names_for_training() if hasattr(
            self, "_output_names_for_training") else None
        self._regularized_cache = [(w, w.regularizer) for w in self.weights
                                   if getattr(w, "regularizer", None) is not None]

    def _clear_caches(self) -> None:
        self._trainable_cache = None
        self._output_names_cache = None
        self._regularized_cache = None

    def _first_batch_checks(self, adapter: Any) -> None:
        """Run the first batch forward (building the model) and check the labels; nothing trains yet."""
        batch = next(iter(adapter.epoch()), None) if isinstance(adapter, data_adapter.ArrayDataAdapter) else None
        if batch is None:
            return
        x, y, sample_weight = batch
        compiled = self._compile_loss is None or (self._compile_loss.built and self._compile_metrics.built)
        if self.built and compiled and getattr(self, "_sparse_label_checks", None) is not None:
            validation.check_labels(self, adapter.all_labels())  # no forward pass again
            return
        with torch.no_grad():
            y_pred = self(x, training=False)
        self._build_compiled(y, y_pred, sample_weight)
        validation.remember_sparse_outputs(self, y_pred)
        validation.check_labels(self, adapter.all_labels())

    def _check_streamed_batch(self, batch: tuple) -> None:
        """Label checks for a streamed batch; the first one also builds the model and compiled metrics."""
        x, y, sample_weight = batch
        if y is None or self._compile_loss is None:
            return
        if getattr(self, "_sparse_label_checks", None) is None:
            device = self._device()
            x = tree.map_structure(lambda t: t.to(device) if isinstance(t, torch.Tensor) else t, x)
            with torch.no_grad():
                y_pred = self(x, training=False)
            y_device = tree.map_structure(lambda t: t.to(device) if isinstance(t, torch.Tensor) else t, y)
            self._build_compiled(y_device, y_pred, None)
            validation.remember_sparse_outputs(self, y_pred)
        validation.check_labels(self, y)

    def _make_adapter(self, x, y, sample_weight, batch_size, steps, shuffle, class_weight, what):
        device = self._device()
        adapter = data_adapter.get_data_adapter(x, y, sample_weight, batch_size, steps, shuffle, class_weight,
                                                device, batch_check=None, what=what)
        if isinstance(adapter, data_adapter.IterableDataAdapter):
            adapter.batch_check = self._check_streamed_batch
        return adapter

    # ---- fit ---------------------------------------------------------------------------------------
    @on_model_device
    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1, verbose: Any = "auto",
            callbacks: list | None = None, validation_split: float = 0.0, validation_data: Any = None,
            shuffle: Any = True, class_weight: dict | None = None, sample_weight: Any = None, initial_epoch: int = 0,
            steps_per_epoch: int | None = None, validation_steps: int | None = None,
            validation_batch_size: int | None = None, validation_freq: int = 1, **kwargs):
        """Train for ``epochs`` epochs; return a ``History`` (also stored as ``model.history``).

        See Keras's ``Model.fit``; ``nb_epoch`` (Keras 1) is accepted for ``epochs``.
        """
        for old, new in _FIT_LEGACY.items():
            if old in kwargs:
                epochs = kwargs.pop(old)
        if kwargs:
            raise TypeError(f"`fit` got unexpected keyword arguments: {sorted(kwargs)}.")
        self._assert_compiled("fit")
        epochs = non_negative_int("fit", "epochs", epochs)
        initial_epoch = non_negative_int("fit", "initial_epoch", initial_epoch)
        if batch_size is not None:
            positive_int("fit", "batch_size", batch_size)
        number_in_range("fit", "validation_split", validation_split, 0, 1, high_inclusive=False)
        validation_freq = positive_int("fit", "validation_freq", validation_freq)
        if steps_per_epoch is not None:
            positive_int("fit", "steps_per_epoch", steps_per_epoch)
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapter.split_for_validation(
                x, y, sample_weight, validation_split)
        train = self._make_adapter(x, y, sample_weight, batch_size, steps_per_epoch, shuffle, class_weight, "fit")
        val = None
        if validation_data is not None:
            if isinstance(validation_data, (tuple, list)) and len(validation_data) in (2, 3) and \
                    data_adapter.is_array_like(validation_data[0]):
                vx, vy, vw = unpack_x_y_sample_weight(tuple(validation_data))
                val = self._make_adapter(vx, vy, vw, validation_batch_size or batch_size, validation_steps, False,
                                         None, "fit")
            else:
                val = self._make_adapter(validation_data, None, None, None, validation_steps, False, None, "fit")
        self._first_batch_checks(train)
        if val is not None:
            self._first_batch_checks(val)
        self._prepare_caches()
        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=epochs, steps=train.num_batches)
        self.stop_training = False
        was_training = self.training
        self.train()  # torch mode, for plain torch modules inside; layerwise layers get training=True explicitly
        logs: dict = {}
        try:
            callback_list.on_train_begin()
            initial_epoch, skip_steps = self._take_resume_point(initial_epoch)
            run_step = None
            report = step_capture.reporter(verbose)
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                callback_list.on_epoch_begin(epoch)
                for step, batch in enumerate(train.epoch()):
                    if step < skip_steps:  # already trained on before the backup that was restored
                        continue
                    callback_list.on_train_batch_begin(step)
                    if run_step is None:  # the first step decides: CUDA graph replay, or eager
                        run_step, step_logs = step_capture.make_train_runner(self, train.device, batch, report)
                    else:
                        step_logs = run_step(batch)
                    callback_list.on_train_batch_end(step, step_logs)
                    if self.stop_training:
                        break
                skip_steps = 0
                logs = self._epoch_logs()
                if val is not None and (epoch + 1) % validation_freq == 0:
                    val_logs = self._evaluate_adapter(val, callback_list, report)
                    logs.update({f"val_{k}": v for k, v in val_logs.items()})
                callback_list.on_epoch_end(epoch, logs)
                if self.stop_training:
                    break
            if self.optimizer is not None:
                self.optimizer.finalize_variable_values(self._trainable_cache or [])
            callback_list.on_train_end(logs)
        finally:
            self.train(was_training)
            self._clear_caches()
        return callback_list.history

    def _take_resume_point(self, initial_epoch: int) -> tuple[int, int]:
        """Where ``fit`` starts: ``initial_epoch``, unless a callback's ``on_train_begin`` set
        ``model._initial_epoch`` (and ``model._initial_step``, batches of that epoch already done), as
        ``BackupAndRestore`` does when it restores a backup. Read once, then cleared."""
        epoch, step = getattr(self, "_initial_epoch", None), getattr(self, "_initial_step", None)
        self._initial_epoch = self._initial_step = None
        return (initial_epoch if epoch is None else int(epoch)), int(step or 0)

    def _epoch_logs(self) -> dict:
        return dict(LazyLogs(self.get_metrics_result).items()) if self.metrics else {}
