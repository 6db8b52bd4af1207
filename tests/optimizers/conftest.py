"""A float64 NumPy transcription of Keras 3's optimizers, shared by the optimizer tests.

Written from the update formulas of keras/src/optimizers/*.py (not from layerwise's code): one
method per optimizer, per variable, in plain NumPy. Keras keeps the learning rate as a float32
scalar (a float32 variable, or a float32 schedule) and casts it to the variable's dtype, so the
reference rounds the learning rate to float32 and does everything else in float64.
"""

from __future__ import annotations

import math

import numpy as np

DEFAULTS = {
    "SGD": {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
    "Adam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False},
    "AdamW": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False},
    "RMSprop": {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False},
    "Adagrad": {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
    "Adadelta": {"learning_rate": 0.001, "rho": 0.95, "epsilon": 1e-7},
    "Adamax": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "Nadam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "Ftrl": {"learning_rate": 0.001, "learning_rate_power": -0.5, "initial_accumulator_value": 0.1,
             "l1_regularization_strength": 0.0, "l2_regularization_strength": 0.0,
             "l2_shrinkage_regularization_strength": 0.0, "beta": 0.0},
    "Lion": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.99},
}


class Reference:
    """Keras 3's ``apply`` (unscale, accumulate, clip, decay, update, EMA, constraint) in float64."""

    def __init__(self, kind, learning_rate=None, lr=None, decay=None, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, **hyper):
        self.kind = kind
        self.h = {**DEFAULTS[kind], **{k: v for k, v in hyper.items() if v is not None}}
        lr = lr if lr is not None else learning_rate
        self.learning_rate = self.h["learning_rate"] if lr is None else lr
        if kind == "AdamW" and weight_decay is None:
            weight_decay = 0.004  # AdamW's default
        self.decay, self.weight_decay, self.loss_scale = decay, weight_decay, loss_scale_factor
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.use_ema, self.ema_momentum, self.ema_frequency = use_ema, ema_momentum, ema_overwrite_frequency
        self.accumulate = gradient_accumulation_steps or 1
        self.calls = 0
        self.slots = {}
        self.u_product = 1.0  # Nadam's running product of momentum coefficients

    def slot(self, name, i, like, initial=0.0):
        return self.slots.setdefault((name, i), np.full_like(like, initial))

    def apply(self, grads, weights, constraints):
        k, n = self.accumulate, self.calls
        step = n // k  # Keras's `iterations` (weight updates done so far)
        live = {i: g / self.loss_scale if self.loss_scale else g for i, g in enumerate(grads) if g is not None}
        if k == 1:
            self._update(live, weights, n, step)
        elif (n + 1) % k == 0:
            live = {i: (g + self.slot("accumulator", i, g)) / k for i, g in live.items()}
            for (name, _), value in self.slots.items():
                if name == "accumulator":
                    value[...] = 0.0  # Keras resets every accumulator
            self._update(live, weights, n, step)
        else:
            for i, g in live.items():
                self.slot("accumulator", i, g)[...] += g
        if self.use_ema:  # over every variable; the first update copies the weights
            momentum = self.ema_momentum if step != 0 else 0.0
            for i, w in enumerate(weights):
                average = self.slot("average", i, w)
                average[...] = momentum * average + (1 - momentum) * w
            if self.ema_frequency and (step + 1) % self.ema_frequency == 0:
                for i, w in enumerate(weights):
                    w[...] = self.slot("average", i, w)
        for i in live:
            if constraints[i] is not None:
                weights[i][...] = constraints[i](weights[i])
        self.calls += 1

    def _learning_rate(self, calls, step):
        if callable(self.learning_rate):  # schedules see the raw call count
            return float(np.float32(self.learning_rate(calls)))
        lr = np.float32(self.learning_rate)
        if self.decay:  # Keras 2: lr / (1 + decay * iterations), float32 like the learning rate
            lr = lr / (np.float32(1.0) + np.float32(self.decay) * np.float32(step))
        return float(lr)

    def _clip(self, grads):
        if self.clipnorm:
            return {i: g * self.clipnorm / max(np.sqrt(np.sum(g * g)), self.clipnorm) for i, g in grads.items()}
        if self.global_clipnorm:
            norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
            scale = self.global_clipnorm * min(1.0 / norm, 1.0 / self.global_clipnorm)
            return {i: g * scale for i, g in grads.items()}
        if self.clipvalue:
            return {i: np.clip(g, -self.clipvalue, self.clipvalue) for i, g in grads.items()}
        return grads

    def _update(self, grads, weights, calls, step):
        grads = self._clip(grads)
        lr = self._learning_rate(calls, step)
        t = step + 1
        if self.kind == "Nadam":  # once per weight update, before the per-variable updates
            self.u_product *= self.h["beta_1"] * (1.0 - 0.5 * 0.96 ** t)
        for i, g in grads.items():
            w = weights[i]
            if self.weight_decay is not None:
                w -= w * self.weight_decay * lr
            getattr(self, "_" + self.kind.lower())(i, g, w, lr, t)

    # ---- one method per optimizer: (slot index, gradient, weight updated in place, lr, t = iterations + 1)
    def _sgd(self, i, g, w, lr, t):
        momentum = self.h["momentum"]
        if not momentum:
            w -= g * lr
            return
        m = self.slot("momentum", i, w)
        m[...] = m * momentum - g * lr
        w += m * momentum - g * lr if self.h["nesterov"] else m

    def _adam(self, i, g, w, lr, t):
        b1, b2 = self.h["beta_1"], self.h["beta_2"]
        m, v = self.slot("m", i, w), self.slot("v", i, w)
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        if self.h["amsgrad"]:
            v_hat = self.slot("v_hat", i, w)
            v_hat[...] = np.maximum(v_hat, v)
            v = v_hat
        alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)  # both bias corrections in the step size
        w -= m * alpha / (np.sqrt(v) + self.h["epsilon"])  # epsilon outside the root of the raw v

    _adamw = _adam  # the decoupled decay is the common `weight_decay` step

    def _rmsprop(self, i, g, w, lr, t):
        rho, momentum, epsilon = self.h["rho"], self.h["momentum"], self.h["epsilon"]
        v = self.slot("velocity", i, w)
        v[...] = rho * v + (1 - rho) * g * g
        if self.h["centered"]:
            a = self.slot("average_gradient", i, w)
            a[...] = rho * a + (1 - rho) * g
            denominator = v - a * a + epsilon
        else:
            denominator = v + epsilon  # epsilon inside the square root
        increment = lr * g / np.sqrt(denominator)
        if momentum > 0:
            mom = self.slot("rms_momentum", i, w)
            mom[...] = momentum * mom + increment
            w -= mom
        else:
            w -= increment

    def _adagrad(self, i, g, w, lr, t):
        accumulator = self.slot("sum_of_squares", i, w, self.h["initial_accumulator_value"])
        accumulator += g * g
        w -= lr * g / np.sqrt(accumulator + self.h["epsilon"])

    def _adadelta(self, i, g, w, lr, t):
        rho, epsilon = self.h["rho"], self.h["epsilon"]
        grad_average = self.slot("accumulated_grad", i, w)
        delta_average = self.slot("accumulated_delta_var", i, w)
        grad_average[...] = rho * grad_average + (1 - rho) * g * g
        delta = -np.sqrt(delta_average + epsilon) * g / np.sqrt(grad_average + epsilon)
        delta_average[...] = rho * delta_average + (1 - rho) * delta * delta
        w += lr * delta

    def _adamax(self, i, g, w, lr, t):
        b1, b2, epsilon = self.h["beta_1"], self.h["beta_2"], self.h["epsilon"]
        m, u = self.slot("m", i, w), self.slot("u", i, w)
        m += (g - m) * (1 - b1)
        u[...] = np.maximum(b2 * u, np.abs(g))
        w -= lr * m / ((1 - b1 ** t) * (u + epsilon))

    def _nadam(self, i, g, w, lr, t):
        b1, b2, epsilon = self.h["beta_1"], self.h["beta_2"], self.h["epsilon"]
        u_t = b1 * (1 - 0.5 * 0.96 ** t)
        u_next = b1 * (1 - 0.5 * 0.96 ** (t + 1))
        product = self.u_product  # already includes u_t
        m, v = self.slot("m", i, w), self.slot("v", i, w)
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        m_hat = u_next * m / (1 - product * u_next) + (1 - u_t) * g / (1 - product)
        v_hat = v / (1 - b2 ** t)
        w -= m_hat * lr / (np.sqrt(v_hat) + epsilon)

    def _ftrl(self, i, g, w, lr, t):
        h = self.h
        power = -h["learning_rate_power"]
        n = self.slot("n", i, w, h["initial_accumulator_value"])
        z = self.slot("z", i, w)
        l1, l2 = h["l1_regularization_strength"], h["l2_regularization_strength"] + h["beta"] / (2 * lr)
        n_new = n + g * g
        z += g + 2 * h["l2_shrinkage_regularization_strength"] * w - (n_new ** power - n ** power) / lr * w
        w[...] = (np.clip(z, -l1, l1) - z) / (n_new ** power / lr + 2 * l2)
        n[...] = n_new

    def _lion(self, i, g, w, lr, t):
        b1, b2 = self.h["beta_1"], self.h["beta_2"]
        m = self.slot("m", i, w)
        w -= lr * np.sign(b1 * m + (1 - b1) * g)
        m[...] = b2 * m + (1 - b2) * g


def problem(shapes, steps, seed=0, none_every_other=()):
    """Initial float64 weights and a gradient sequence (fresh random gradients each step).

    The gradient of each index in ``none_every_other`` is None on even steps.
    """
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal(shape) for shape in shapes]
    grads = [[None if (i in none_every_other and step % 2 == 0) else rng.standard_normal(shape)
              for i, shape in enumerate(shapes)] for step in range(steps)]
    return weights, grads
