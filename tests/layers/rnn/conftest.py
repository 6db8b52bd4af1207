"""Shared data and helpers of the recurrent-layer tests (fixtures, since tests import no conftest)."""

import numpy as np
import pytest
import torch


def _flat_numpy(value):
    if isinstance(value, (list, tuple)):
        return [a for item in value for a in _flat_numpy(item)]
    if isinstance(value, torch.Tensor):
        return [value.detach().cpu().numpy()]
    return [np.asarray(value)]


@pytest.fixture
def sequences():
    """(4, 6, 3) float32 inputs."""
    return np.random.RandomState(0).randn(4, 6, 3).astype("float32")


@pytest.fixture
def masks():
    """Masks for ``sequences``: right-padded (with one empty sequence) and one with holes."""
    right = np.ones((4, 6), bool)
    right[1, 4:] = False
    right[2, 1:] = False
    right[3, :] = False
    holes = right.copy()
    holes[0, 2] = False
    holes[1, 0] = False
    return {"none": None, "right": right, "holes": holes}


@pytest.fixture
def parity(keras_oracle):
    """``parity(theirs, ours, x, **call_kwargs)``: build ours, copy Keras's weights, compare outputs."""

    def check(theirs, ours, x, atol=1e-5, **call_kwargs):
        expected = _flat_numpy(theirs(x, **call_kwargs))
        torch_kwargs = {k: (torch.as_tensor(v) if isinstance(v, np.ndarray) else v) for k, v in call_kwargs.items()}
        ours(torch.as_tensor(x), **torch_kwargs)
        ours.set_weights(theirs.get_weights())
        got = _flat_numpy(ours(torch.as_tensor(x), **torch_kwargs))
        assert len(got) == len(expected)
        for a, b in zip(got, expected):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=atol)
        return got

    return check


@pytest.fixture
def flat_numpy():
    return _flat_numpy


@pytest.fixture
def trimmed_states_match():
    """``check(layer, x, mask)``: for each sample, the final states under the mask equal those of
    the sample's unmasked steps run alone (``layer`` must have ``return_state=True``)."""

    def check(layer, x, mask):
        x = torch.as_tensor(x)
        mask = torch.as_tensor(mask)
        _, *states = layer(x, mask=mask)
        for i in range(x.shape[0]):
            kept = x[i:i + 1, mask[i]]
            if kept.shape[1] == 0:
                for s in states:  # nothing to read: the initial (zero) states
                    np.testing.assert_allclose(s[i].detach().numpy(), 0.0)
                continue
            _, *alone = layer(kept)
            for s, a in zip(states, alone):
                np.testing.assert_allclose(s[i].detach().numpy(), a[0].detach().numpy(), rtol=1e-5, atol=1e-6)

    return check


@pytest.fixture
def fused_calls(monkeypatch):
    """Counts calls of PyTorch's fused RNN kernels."""
    from layerwise.layers.rnn import fused

    calls = []
    original = fused._call_kernel

    def counting(*args, **kwargs):
        calls.append(args[0].mode)
        return original(*args, **kwargs)

    monkeypatch.setattr(fused, "_call_kernel", counting)
    return calls
