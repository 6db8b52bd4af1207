"""The logits that ``activations.softmax``/``sigmoid`` leave on their outputs, and the cross-entropies that use them.

References: ``torch.nn.functional`` cross entropies on the logits, in float64.
"""

import warnings

import pytest
import torch
import torch.nn.functional as F

import layerwise as keras
from layerwise.activations.logits import carry_logits, logits_of, remember_logits

torch.manual_seed(0)


def _logits(*shape):
    return torch.randn(*shape, dtype=torch.float64)


# ---- what is remembered, and when it is not used -----------------------------------------------
def test_softmax_and_sigmoid_keep_their_input_under_the_keras_attribute():
    z = _logits(4, 3)
    assert keras.activations.softmax(z)._keras_logits is z
    assert keras.activations.sigmoid(z)._keras_logits is z


def test_the_kind_is_checked():
    z = _logits(4, 3)
    p = keras.activations.sigmoid(z)
    assert logits_of(p, "sigmoid") is z
    assert logits_of(p, "softmax", axis=-1) is None


def test_the_softmax_axis_is_checked():
    z = _logits(4, 3)
    p = keras.activations.softmax(z, axis=0)
    assert logits_of(p, "softmax", axis=0) is z
    assert logits_of(p, "softmax", axis=-1) is None
    assert logits_of(keras.activations.softmax(z, axis=-1), "softmax", axis=1) is z  # -1 is axis 1 here


def test_a_softmax_over_several_axes_remembers_nothing():
    assert logits_of(keras.activations.softmax(_logits(2, 3, 4), axis=(1, 2)), "softmax", axis=-1) is None


def test_an_output_changed_in_place_is_not_taken_for_the_softmax_of_its_logits():
    z = _logits(4, 3)
    p = keras.activations.softmax(z)
    p[:, 0] = 0.8
    assert logits_of(p, "softmax", axis=-1) is None
    y = torch.tensor([0, 1, 2, 0])
    renormalised = p / p.sum(-1, keepdim=True)  # the probability form, as Keras computes it
    expected = -torch.log(renormalised.gather(1, y[:, None]).squeeze(1))
    torch.testing.assert_close(keras.losses.sparse_categorical_crossentropy(y, p), expected)


def test_remember_logits_refuses_mismatched_shapes():
    p = torch.ones(2, 3)
    assert remember_logits(p, torch.ones(2, 4), "softmax", -1) is p
    assert logits_of(p, "softmax", axis=-1) is None


def test_carry_logits_casts_the_logits_with_the_probabilities():
    z = _logits(2, 3)
    p = keras.activations.softmax(z)
    q = carry_logits(p.float(), p)
    assert logits_of(q, "softmax", axis=-1).dtype == torch.float32
    torch.testing.assert_close(logits_of(q, "softmax", axis=-1), z.float())
    plain = torch.ones(2, 3, dtype=torch.float64)
    assert logits_of(carry_logits(plain.float(), plain), "softmax", axis=-1) is None


# ---- the cross-entropies computed from the logits -------------------------------------------------
def test_sparse_categorical_crossentropy_of_a_softmax_is_the_logits_cross_entropy():
    z = _logits(6, 5) * 10  # confident predictions: some probabilities fall below the 1e-7 clip
    y = torch.tensor([0, 1, 2, 3, 4, 0])
    p = keras.activations.softmax(z)
    got = keras.losses.sparse_categorical_crossentropy(y, p)
    torch.testing.assert_close(got, F.cross_entropy(z, y, reduction="none"))
    assert got.max() > -torch.log(torch.tensor(1e-7, dtype=torch.float64))  # beyond what clipping allows


def test_a_confidently_wrong_softmax_still_has_a_gradient():
    z = torch.tensor([[30.0, 0.0, 0.0]], dtype=torch.float64, requires_grad=True)
    loss = keras.losses.sparse_categorical_crossentropy(torch.tensor([1]), keras.activations.softmax(z)).sum()
    loss.backward()
    expected = torch.softmax(z.detach(), -1) - torch.tensor([[0.0, 1.0, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(z.grad, expected)  # the clipped form gives exactly zero here


def test_categorical_crossentropy_of_a_softmax_uses_the_logits_with_label_smoothing():
    z = _logits(4, 3) * 5
    t = F.one_hot(torch.tensor([0, 2, 1, 1]), 3).to(torch.float64)
    got = keras.losses.categorical_crossentropy(t, keras.activations.softmax(z), label_smoothing=0.1)
    smoothed = t * 0.9 + 0.1 / 3
    torch.testing.assert_close(got, -(smoothed * torch.log_softmax(z, -1)).sum(-1))


def test_sparse_categorical_crossentropy_over_a_sequence_uses_the_logits():
    z = _logits(2, 4, 3) * 8
    y = torch.randint(0, 3, (2, 4))
    got = keras.losses.sparse_categorical_crossentropy(y, keras.activations.softmax(z))
    torch.testing.assert_close(got, F.cross_entropy(z.permute(0, 2, 1), y, reduction="none"))


def test_ignore_class_still_masks_on_the_logits_path():
    z = _logits(4, 3)
    y = torch.tensor([0, -1, 2, -1])
    got = keras.losses.sparse_categorical_crossentropy(y, keras.activations.softmax(z), ignore_class=-1)
    expected = F.cross_entropy(z, y.clamp(min=0), reduction="none") * torch.tensor([1.0, 0, 1, 0], dtype=z.dtype)
    torch.testing.assert_close(got, expected)
    assert got._keras_mask.tolist() == [True, False, True, False]


def test_binary_crossentropy_of_a_sigmoid_uses_the_logits():
    z = _logits(5, 2) * 20
    t = torch.randint(0, 2, (5, 2)).to(torch.float64)
    got = keras.losses.binary_crossentropy(t, keras.activations.sigmoid(z))
    torch.testing.assert_close(got, F.binary_cross_entropy_with_logits(z, t, reduction="none").mean(-1))


def test_a_softmax_output_given_to_binary_crossentropy_is_treated_as_probabilities():
    z = _logits(3, 2)
    p = keras.activations.softmax(z)
    t = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], dtype=torch.float64)
    eps = 1e-7
    clipped = p.clamp(eps, 1 - eps)
    expected = -(t * torch.log(clipped) + (1 - t) * torch.log(1 - clipped)).mean(-1)
    torch.testing.assert_close(keras.losses.binary_crossentropy(t, p), expected)


def test_the_loss_class_casts_the_logits_to_its_dtype():
    z = _logits(4, 3) * 10
    y = torch.tensor([0, 1, 2, 0])
    got = keras.losses.SparseCategoricalCrossentropy()(y, keras.activations.softmax(z))  # float64 in, float32 loss
    assert got.dtype == torch.float32
    torch.testing.assert_close(got, F.cross_entropy(z.float(), y))


def test_from_logits_true_on_a_softmax_output_warns_and_uses_the_logits():
    z = _logits(2, 3)
    y = torch.tensor([0, 2])
    with pytest.warns(UserWarning, match="produced by a softmax activation"):
        got = keras.losses.sparse_categorical_crossentropy(y, keras.activations.softmax(z), from_logits=True)
    torch.testing.assert_close(got, F.cross_entropy(z, y, reduction="none"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keras.losses.sparse_categorical_crossentropy(y, z, from_logits=True)  # real logits: no warning


def test_a_compiled_softmax_model_trains_on_the_logits_cross_entropy():
    torch.manual_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = torch.randn(8, 4) * 50  # large inputs: saturated softmax, where clipping would change the loss
    y = torch.randint(0, 3, (8,))
    logits = x @ model.layers[0].kernel.detach() + model.layers[0].bias.detach()
    loss = model.evaluate(x.numpy(), y.numpy(), verbose=0)
    assert loss == pytest.approx(float(F.cross_entropy(logits, y)), rel=1e-5)


def test_outputs_made_in_inference_mode_use_the_probability_form():
    z = _logits(3, 2)
    with torch.inference_mode():
        p = keras.activations.softmax(z)
    assert logits_of(p, "softmax", axis=-1) is None  # inference tensors have no version counter to check
    y = torch.tensor([0, 1, 1])
    expected = -torch.log(p.gather(1, y[:, None]).squeeze(1).clamp(1e-7, 1 - 1e-7))
    torch.testing.assert_close(keras.losses.sparse_categorical_crossentropy(y, p), expected)
