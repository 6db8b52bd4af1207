"""Float64 NumPy references for the normalization layers, written from Keras's definitions, and
the Keras parity check the normalization tests share.

* Batch normalization, training: per channel, ``mean`` and the *biased* ``var`` over every other
  axis; ``y = gamma * (x - mean) / sqrt(var + eps) + beta``; then
  ``moving = momentum * moving + (1 - momentum) * batch`` for the mean and the variance.
  Inference: the same ``y`` with the moving statistics.
* Layer normalization: the same ``y`` with statistics per sample over ``axes``.
* Group normalization: channels split into ``groups`` consecutive groups; statistics per sample
  and group over the group's channels and every other non-batch axis.
"""

from __future__ import annotations

import numpy as np
import torch


def _other_axes(rank: int, axis: int) -> tuple[int, ...]:
    axis %= rank
    return tuple(a for a in range(rank) if a != axis)


def _on_axis(v, rank: int, axis: int) -> np.ndarray:
    shape = [1] * rank
    shape[axis % rank] = -1
    return np.asarray(v, np.float64).reshape(shape)


def reference_batch_norm_step(x, gamma, beta, moving_mean, moving_var, axis=-1, momentum=0.99, eps=1e-3,
                              training=True):
    """One call of batch normalization in float64: (output, new moving mean, new moving variance)."""
    x = np.asarray(x, np.float64)
    if training:
        dims = _other_axes(x.ndim, axis)
        mean, var = x.mean(axis=dims), x.var(axis=dims)  # biased, as Keras
        moving_mean = momentum * moving_mean + (1 - momentum) * mean
        moving_var = momentum * moving_var + (1 - momentum) * var
    else:
        mean, var = moving_mean, moving_var
    y = (x - _on_axis(mean, x.ndim, axis)) / np.sqrt(_on_axis(var, x.ndim, axis) + eps)
    if gamma is not None:
        y = y * _on_axis(gamma, x.ndim, axis)
    if beta is not None:
        y = y + _on_axis(beta, x.ndim, axis)
    return y, np.asarray(moving_mean, np.float64), np.asarray(moving_var, np.float64)


def reference_layer_norm(x, gamma, beta, axes, eps=1e-3):
    x = np.asarray(x, np.float64)
    axes = tuple(sorted(a % x.ndim for a in axes))
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]
    if gamma is not None:
        y = y * np.asarray(gamma, np.float64).reshape(shape)
    if beta is not None:
        y = y + np.asarray(beta, np.float64).reshape(shape)
    return y


def reference_group_norm(x, gamma, beta, groups, axis=-1, eps=1e-3):
    x = np.moveaxis(np.asarray(x, np.float64), axis, -1)  # channels last
    n, channels = x.shape[0], x.shape[-1]
    grouped = x.reshape(n, -1, groups, channels // groups)
    mean = grouped.mean(axis=(1, 3), keepdims=True)
    var = grouped.var(axis=(1, 3), keepdims=True)
    y = ((grouped - mean) / np.sqrt(var + eps)).reshape(x.shape)
    if gamma is not None:
        y = y * np.asarray(gamma, np.float64)
    if beta is not None:
        y = y + np.asarray(beta, np.float64)
    return np.moveaxis(y, -1, axis)


def random_weights(layer, seed=0) -> list[np.ndarray]:
    """Random values for a layer's weights; variances (and standard deviations) stay positive."""
    rs = np.random.RandomState(seed)
    values = []
    for w in layer.weights:
        low = 0.5 if any(k in w.name for k in ("variance", "stddev", "gamma")) else -1.0
        values.append(rs.uniform(low, 1.5, tuple(w.shape)).astype("float32"))
    return values


def keras_parity(keras, name, kwargs, x, steps=0, mask=None, atol=1e-5):
    """Build ``name`` in Keras, and in layerwise from Keras's config; give both the same random
    weights; run ``steps`` training calls on fresh batches like ``x`` (comparing outputs and all
    weights after each), then compare an inference call. Returns our layer."""
    import layerwise

    theirs = getattr(keras.layers, name)(**kwargs)
    ours = getattr(layerwise.layers, name).from_config(theirs.get_config())
    theirs(x)
    ours(torch.from_numpy(x))
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    weights = random_weights(ours)
    theirs.set_weights(weights)
    ours.set_weights(weights)
    rs = np.random.RandomState(1)
    kw_theirs, kw_ours = {}, {}
    if mask is not None:
        kw_theirs["mask"] = keras.ops.convert_to_tensor(mask)
        kw_ours["mask"] = torch.from_numpy(mask)
    for _ in range(steps):
        batch = (rs.randn(*x.shape) * 2 + 0.5).astype("float32")
        expected = keras.ops.convert_to_numpy(theirs(batch, training=True, **kw_theirs))
        got = ours(torch.from_numpy(batch), training=True, **kw_ours).detach().numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=atol)
        for a, b in zip(ours.get_weights(), theirs.get_weights()):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=atol)
    expected = keras.ops.convert_to_numpy(theirs(x, training=False))
    got = ours(torch.from_numpy(x), training=False).detach().numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=atol)
    unknown_batch = (None,) + x.shape[1:]
    assert tuple(ours.compute_output_shape(unknown_batch)) == tuple(theirs.compute_output_shape(unknown_batch))
    return ours


def case_id(value) -> str:
    if not isinstance(value, dict):
        return str(value).replace(" ", "")
    return ",".join(f"{k}={v}" for k, v in value.items()) or "defaults"
