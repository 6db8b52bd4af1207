"""``layers/direct_call.py``: inside a running model, a layer's bookkeeping is skipped only where it does nothing.

Each test runs the same model with the direct path and with it switched off, and compares numbers.
"""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.layers import direct_call
from layerwise.models import sequential


@pytest.fixture
def ordinary_only(monkeypatch):
    """Switch the direct path off: every layer gets the ordinary call (Sequential and functional models)."""
    def switch_off():
        never = lambda layer, x, training: direct_call.NOT_DIRECT  # noqa: E731
        monkeypatch.setattr(sequential, "call_directly", never)
        monkeypatch.setattr(direct_call, "call_directly", never)  # graph/function.py imports it when it runs
    return switch_off


def _both(build, run, ordinary_only):
    keras.utils.set_random_seed(0)
    direct = run(build())
    ordinary_only()
    keras.utils.set_random_seed(0)
    return direct, run(build())


def test_training_with_dropout_and_batch_norm_is_unchanged(ordinary_only):
    x = np.random.RandomState(0).randn(64, 6).astype("float32")
    y = np.random.RandomState(1).randint(0, 3, 64)

    def build():
        model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.BatchNormalization(), keras.layers.Dropout(0.5),
                                  keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    def run(model):
        history = model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
        return model.get_weights(), history.history, model.predict(x, verbose=0)

    (w_direct, h_direct, p_direct), (w_plain, h_plain, p_plain) = _both(build, run, ordinary_only)
    for a, b in zip(w_direct, w_plain):
        np.testing.assert_array_equal(a, b)  # the same ops in the same order: bit for bit
    assert h_direct == h_plain
    np.testing.assert_array_equal(p_direct, p_plain)


def test_masks_and_activity_penalties_still_take_the_ordinary_call(ordinary_only):
    tokens = torch.tensor([[3, 5, 0, 0], [2, 0, 0, 0]])

    def build():
        return keras.Sequential([keras.Input((4,), dtype="int64"), keras.layers.Embedding(8, 5, mask_zero=True),
                                 keras.layers.LSTM(4), keras.layers.Dense(2, activity_regularizer="l2")])

    def run(model):
        out = model(tokens)
        return out.detach(), float(sum(model.losses).detach())

    (out_direct, loss_direct), (out_plain, loss_plain) = _both(build, run, ordinary_only)
    torch.testing.assert_close(out_direct, out_plain, rtol=0, atol=0)
    assert loss_direct == loss_plain > 0


def test_a_forward_hook_on_an_inner_layer_still_runs():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
    model(torch.ones(2, 3))
    seen = []
    model.layers[1].register_forward_hook(lambda module, args, out: seen.append(tuple(out.shape)))
    model(torch.ones(2, 3))
    assert seen == [(2, 2)]


def test_an_input_signature_not_yet_accepted_takes_the_ordinary_call():
    dense = keras.layers.Dense(2, name="d1")
    dense(torch.ones(3, 4))
    for unseen in (torch.ones(5, 4), torch.ones(3, 5), torch.ones(3, 4, 1)):
        assert direct_call.call_directly(dense, unseen, False) is direct_call.NOT_DIRECT
    with pytest.raises(ValueError, match=r"'d1'.*axis -1 must have size 4, received 5"):
        dense(torch.ones(3, 5))  # which then checks it


def test_mixed_precision_inputs_are_still_cast():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2, dtype="float32")])
    finally:
        keras.mixed_precision.set_global_policy("float32")
    model(torch.ones(2, 3))
    out = model(torch.ones(2, 3))
    assert out.dtype == torch.float32  # the last layer's float32 policy cast the bfloat16 activations back


def test_call_directly_refuses_what_needs_bookkeeping():
    dense = keras.layers.Dense(2)
    x = torch.ones(3, 4)
    assert direct_call.call_directly(dense, x, False) is direct_call.NOT_DIRECT  # unbuilt
    dense(x)
    assert direct_call.call_directly(dense, torch.ones(3, 4, dtype=torch.float64), False) is direct_call.NOT_DIRECT
    masked = torch.ones(3, 4)
    masked._keras_mask = torch.ones(3, dtype=torch.bool)
    assert direct_call.call_directly(dense, masked, False) is direct_call.NOT_DIRECT
    torch.testing.assert_close(direct_call.call_directly(dense, x, False), dense(x), rtol=0, atol=0)


def test_a_functional_model_with_branches_trains_the_same(ordinary_only):
    x = np.random.RandomState(0).randn(64, 6).astype("float32")
    y = np.random.RandomState(1).randint(0, 3, 64)

    def build():
        inputs = keras.Input((6,))
        a = keras.layers.Dense(8, activation="relu")(inputs)
        a = keras.layers.Dropout(0.3)(a)
        b = keras.layers.BatchNormalization()(keras.layers.Dense(8)(inputs))
        merged = keras.layers.Add()([a, b])  # two inputs: always the ordinary call
        model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(merged))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    def run(model):
        history = model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
        return model.get_weights(), history.history, model.predict(x, verbose=0)

    (w_direct, h_direct, p_direct), (w_plain, h_plain, p_plain) = _both(build, run, ordinary_only)
    for a, b in zip(w_direct, w_plain):
        np.testing.assert_array_equal(a, b)
    assert h_direct == h_plain
    np.testing.assert_array_equal(p_direct, p_plain)
