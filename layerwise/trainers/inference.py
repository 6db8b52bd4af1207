"""``evaluate``, ``predict`` and the single-batch methods (``train_on_batch``...): the model's loops that
do not train over epochs. Mixed into :class:`~layerwise.trainers.trainer.Trainer`, whose preparation
helpers (``_make_adapter``, ``_first_batch_checks``, caches) they use.
"""

from __future__ import annotations

from typing import Any, Callable

import torch

from layerwise.callbacks.callback_list import CallbackList
from layerwise.trainers import data_adapter, step_capture
from layerwise.trainers.precision import on_model_device
from layerwise.utils import tree


class InferenceMixin:
    """Keras's ``evaluate``/``predict``/``*_on_batch`` on top of the train and test steps."""

    # ---- evaluate ----------------------------------------------------------------------------------
    def _evaluate_adapter(self, adapter: Any, callback_list: CallbackList, report: Callable[[str], None]) -> dict:
        """Run the test steps over ``adapter`` (on CUDA replaying a captured step, as ``fit`` does)."""
        self.reset_metrics()
        callback_list.on_test_begin()
        run_step = None
        with torch.no_grad():
            for step, batch in enumerate(adapter.epoch()):
                callback_list.on_test_batch_begin(step)
                if run_step is None:  # the first step decides: CUDA graph replay, or eager
                    run_step, step_logs = step_capture.make_inference_runner(
                        self, "test", adapter.device, batch, report)
                else:
                    step_logs = run_step(batch)
                callback_list.on_test_batch_end(step, step_logs)
        logs = self._epoch_logs()
        callback_list.on_test_end(logs)
        return logs

    @on_model_device
    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None, verbose: Any = "auto",
                 sample_weight: Any = None, steps: int | None = None, callbacks: list | None = None,
                 return_dict: bool = False, **kwargs):
        """The loss and metrics on the given data: a scalar, a list in ``metrics_names`` order, or a dict."""
        if kwargs:
            raise TypeError(f"`evaluate` got unexpected keyword arguments: {sorted(kwargs)}.")
        self._assert_compiled("evaluate")
        adapter = self._make_adapter(x, y, sample_weight, batch_size, steps, False, None, "evaluate")
        self._first_batch_checks(adapter)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                     steps=adapter.num_batches)
        self._prepare_caches()
        try:
            logs = self._evaluate_adapter(adapter, callback_list, step_capture.reporter(verbose))
        finally:
            self._clear_caches()
        return self._format_results(logs, return_dict)

    def _format_results(self, logs: dict, return_dict: bool) -> Any:
        if return_dict:
            return logs
        ordered = [logs[name] for name in self.metrics_names if name in logs]
        ordered += [v for k, v in logs.items() if k not in self.metrics_names]
        return ordered[0] if len(ordered) == 1 else ordered

    # ---- predict -----------------------------------------------------------------------------------
    @on_model_device
    def predict(self, x: Any, batch_size: int | None = None, verbose: Any = "auto", steps: int | None = None,
                callbacks: list | None = None):
        """The model's outputs on ``x``, as NumPy arrays (one per output, in the model's structure)."""
        adapter = self._make_adapter(x, None, None, batch_size, steps, False, None, "predict")
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                                     steps=adapter.num_batches)
        outputs: list = []
        callback_list.on_predict_begin()
        run_step = None
        with torch.no_grad():
            for step, batch in enumerate(adapter.epoch()):
                callback_list.on_predict_batch_begin(step)
                if run_step is None:  # the first step decides: CUDA graph replay, or eager
                    run_step, batch_outputs = step_capture.make_inference_runner(
                        self, "predict", adapter.device, batch, step_capture.reporter(verbose))
                else:
                    batch_outputs = run_step(batch)
                outputs.append(batch_outputs)
                callback_list.on_predict_batch_end(step, {"outputs": batch_outputs})
        callback_list.on_predict_end()
        if not outputs:
            raise ValueError("`predict` received no data (an empty dataset or zero steps).")
        flat = [tree.flatten(o) for o in outputs]
        joined = [torch.cat([f[i].detach() for f in flat]).cpu().numpy() for i in range(len(flat[0]))]
        return tree.pack_sequence_as(outputs[0], joined)

    # ---- single batches ----------------------------------------------------------------------------
    def _single_batch(self, x: Any, y: Any, sample_weight: Any, class_weight: dict | None = None) -> tuple:
        adapter = data_adapter.ArrayDataAdapter(x, y, sample_weight, batch_size=None, class_weight=class_weight,
                                                device=self._device())
        adapter.batch_size = adapter.num_samples
        adapter.batches_per_pass = 1
        return next(iter(adapter.epoch())), adapter

    def train_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, class_weight: dict | None = None,
                       return_dict: bool = False):
        """One training step on exactly this batch; metrics accumulate until ``reset_metrics()``."""
        self._assert_compiled("train_on_batch")
        batch, adapter = self._single_batch(x, y, sample_weight, class_weight)
        self._first_batch_checks(adapter)
        self._prepare_caches()
        was_training = self.training
        self.train()
        try:
            self.train_step(batch)
        finally:
            self.train(was_training)
            self._clear_caches()
        return self._format_results(self._epoch_logs(), return_dict)

    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False):
        """Loss and metrics on exactly this batch (metrics are reset first)."""
        self._assert_compiled("test_on_batch")
        batch, adapter = self._single_batch(x, y, sample_weight)
        self._first_batch_checks(adapter)
        self.reset_metrics()
        with torch.no_grad():
            self.test_step(batch)
        return self._format_results(self._epoch_logs(), return_dict)

    def predict_on_batch(self, x: Any):
        """The outputs for exactly this batch, as NumPy arrays."""
        batch, _ = self._single_batch(x, None, None)
        with torch.no_grad():
            outputs = self.predict_step(batch)
        return tree.map_structure(lambda t: t.detach().cpu().numpy(), outputs)
