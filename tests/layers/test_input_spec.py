import pytest
import torch

import layerwise as keras
from layerwise.layers.input_spec import InputSpec, assert_input_compatibility


def _layer():
    return keras.layers.Identity(name="probe")


def test_rank_checks():
    with pytest.raises(ValueError, match=r"Input 0 of layer 'probe' \(Identity\).*expected rank 3, found rank 2"):
        assert_input_compatibility(InputSpec(ndim=3), torch.zeros(2, 3), _layer())
    with pytest.raises(ValueError, match="expected rank >= 2"):
        assert_input_compatibility(InputSpec(min_ndim=2), torch.zeros(2), _layer())
    with pytest.raises(ValueError, match="expected rank <= 2"):
        assert_input_compatibility(InputSpec(max_ndim=2), torch.zeros(1, 1, 1), _layer())


def test_axis_and_shape_checks():
    with pytest.raises(ValueError, match=r"axis 1 must have size 4, received 5"):
        assert_input_compatibility(InputSpec(shape=(None, 4)), torch.zeros(2, 5), _layer())
    assert_input_compatibility(InputSpec(shape=(None, 4)), torch.zeros(7, 4), _layer())
    assert InputSpec(ndim=2, axes={-1: 3}).expected_shape() == "(None, 3)"


def test_input_count():
    with pytest.raises(ValueError, match=r"expects 2 input\(s\), but it received 1"):
        assert_input_compatibility([InputSpec(), InputSpec()], [torch.zeros(1)], _layer())


def test_a_layer_checks_every_new_input_signature_after_accepting_one():
    layer = keras.layers.Dense(2, name="dense_probe")
    layer(torch.zeros(3, 4))
    layer(torch.zeros(5, 4))  # a new batch size is still fine
    with pytest.raises(ValueError, match=r"'dense_probe'.*axis -1 must have size 4, received 5"):
        layer(torch.zeros(3, 5))
    with pytest.raises(ValueError, match="expected rank >= 2"):
        layer(torch.zeros(4))
    layer(torch.zeros(3, 4, dtype=torch.float64))  # a new dtype is checked (and accepted) too


def test_a_replaced_input_spec_is_checked_even_for_an_accepted_shape():
    layer = keras.layers.Identity(name="probe")
    layer.input_spec = InputSpec(ndim=2)
    layer(torch.zeros(2, 3))
    layer.input_spec = InputSpec(ndim=3)
    with pytest.raises(ValueError, match="expected rank 3, found rank 2"):
        layer(torch.zeros(2, 3))
