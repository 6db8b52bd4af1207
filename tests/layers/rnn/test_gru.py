import itertools
import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({"units": 3}, (2, 5, 4), (2, 3)),
    ({"units": 2, "return_sequences": True, "reset_after": False}, (3, 4, 2), (3, 4, 2)),
    ({"units": 4, "go_backwards": True, "use_bias": False}, (2, 3, 5), (2, 4)),
])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.GRU, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2 if kwargs.get("use_bias") is False else 3,
                   supports_masking=True)


def test_bias_shape_depends_on_reset_after():
    after, before = keras.layers.GRU(3), keras.layers.GRU(3, reset_after=False)
    assert after.reset_after is True and after.get_config()["reset_after"] is True  # Keras 3's default
    after(torch.zeros(1, 2, 4))
    before(torch.zeros(1, 2, 4))
    assert [tuple(w.shape) for w in after.weights] == [(4, 9), (3, 9), (2, 9)]
    assert [tuple(w.shape) for w in before.weights] == [(4, 9), (3, 9), (9,)]


def _sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


@pytest.mark.parametrize("reset_after,fused", [(True, "auto"), (True, False), (False, "auto")])
def test_hand_computed_two_steps(reset_after, fused):
    layer = keras.layers.GRU(1, return_sequences=True, reset_after=reset_after)
    layer._use_fused = fused
    layer(torch.zeros(1, 2, 1))
    k, r = [0.5, -1.0, 2.0], [0.3, 0.6, -0.4]  # gates z, r, h
    b_in, b_rec = [0.1, 0.2, 0.3], [-0.2, 0.1, 0.5]
    bias = np.array([b_in, b_rec]) if reset_after else np.array(b_in)
    layer.set_weights([np.array([k]), np.array([r]), bias])
    h, expected = 0.0, []
    for x in (1.0, -2.0):
        z = _sigmoid(x * k[0] + b_in[0] + h * r[0] + (b_rec[0] if reset_after else 0))
        rg = _sigmoid(x * k[1] + b_in[1] + h * r[1] + (b_rec[1] if reset_after else 0))
        if reset_after:
            cand = math.tanh(x * k[2] + b_in[2] + rg * (h * r[2] + b_rec[2]))
        else:
            cand = math.tanh(x * k[2] + b_in[2] + (rg * h) * r[2])
        h = z * h + (1 - z) * cand
        expected.append(h)
    out = layer(torch.tensor([[[1.0], [-2.0]]]))
    np.testing.assert_allclose(out.detach().numpy().ravel(), expected, rtol=1e-6)


@pytest.mark.parametrize("kwargs", [{"units": 3}, {"units": 3, "reset_after": False}])
def test_gradients(kwargs):
    for fused in ("auto", False):
        layer = keras.layers.GRU(return_sequences=True, **kwargs)
        layer._use_fused = fused
        check_layer_gradients(layer, torch.randn(2, 4, 2))


@pytest.mark.parametrize("mask_kind", ["none", "right", "holes"])
def test_fused_and_step_paths_agree(sequences, masks, mask_kind, fused_calls):
    mask = None if masks[mask_kind] is None else torch.as_tensor(masks[mask_kind])
    x = torch.as_tensor(sequences)
    for rseq, back in itertools.product([False, True], [False, True]):
        layer = keras.layers.GRU(5, return_sequences=rseq, return_state=True, go_backwards=back)
        fused_out = layer(x, mask=mask)
        layer._use_fused = False
        for a, b in zip(fused_out, layer(x, mask=mask)):
            torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    assert fused_calls == ([] if mask_kind == "holes" else ["gru"] * 4)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("mask_kind,back", [("right", False), ("right", True), ("holes", True)])
def test_masking_equals_trimming(sequences, masks, mask_kind, back, reset_after, trimmed_states_match):
    layer = keras.layers.GRU(4, return_state=True, go_backwards=back, reset_after=reset_after)
    trimmed_states_match(layer, sequences, masks[mask_kind])


@pytest.mark.keras_oracle
@pytest.mark.parametrize("rseq,rstate,back", list(itertools.product([False, True], repeat=3)))
@pytest.mark.parametrize("mask_kind", ["none", "right", "holes"])
def test_parity_with_keras(keras_oracle, parity, sequences, masks, rseq, rstate, back, mask_kind):
    kwargs = {"units": 5, "return_sequences": rseq, "return_state": rstate, "go_backwards": back}
    call = {} if masks[mask_kind] is None else {"mask": masks[mask_kind]}
    parity(keras_oracle.layers.GRU(**kwargs), keras.layers.GRU(**kwargs), sequences, **call)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{"units": 3, "reset_after": False, "return_sequences": True},
                                    {"units": 2, "use_bias": False}, {"units": 3, "activation": "relu"}])
@pytest.mark.parametrize("mask_kind", ["none", "holes"])
def test_parity_with_keras_other_configs(keras_oracle, parity, sequences, masks, kwargs, mask_kind):
    call = {} if masks[mask_kind] is None else {"mask": masks[mask_kind]}
    parity(keras_oracle.layers.GRU(**kwargs), keras.layers.GRU(**kwargs), sequences, **call)


@pytest.mark.keras_oracle
def test_config_compatible_with_keras(keras_oracle):
    theirs = keras_oracle.layers.GRU(3, reset_after=False, return_sequences=True).get_config()
    ours = keras.layers.GRU.from_config({**theirs, "kernel_initializer": "glorot_uniform"})
    assert ours.units == 3 and not ours.reset_after and ours.return_sequences
    assert set(theirs) <= set(ours.get_config())


def test_recurrent_dropout_uses_one_mask_per_gate_and_is_reproducible():
    x = torch.randn(2, 5, 3)
    a = keras.layers.GRU(4, recurrent_dropout=0.5, dropout=0.3, seed=7)
    b = keras.layers.GRU(4, recurrent_dropout=0.5, dropout=0.3, seed=7)
    a(x)
    b(x)
    b.set_weights(a.get_weights())
    torch.testing.assert_close(a(x, training=True), b(x, training=True))
    assert not torch.allclose(a(x, training=True), a(x))


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`GRU` argument `recurrent_dropout` must be a number in"):
        keras.layers.GRU(2, recurrent_dropout=-0.1)
