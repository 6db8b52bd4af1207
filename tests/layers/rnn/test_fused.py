import itertools

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.layers.rnn import fused
from layerwise.layers.rnn.step_loop import run_steps


def test_right_padded_lengths():
    mask = torch.tensor([[True, True, False], [False, False, False], [True, True, True]])
    assert fused.right_padded_lengths(mask).tolist() == [2, 0, 3]
    assert fused.right_padded_lengths(torch.tensor([[True, False, True]])) is None
    assert fused.right_padded_lengths(torch.tensor([[False, True, True]])) is None


def test_torch_params_reorders_gate_blocks():
    kernel = torch.arange(6.0).repeat(2, 1)  # blocks of 2 columns: [0, 1 | 2, 3 | 4, 5]
    w_ih, _, b_ih, b_hh = fused.torch_params(kernel, torch.zeros(2, 6), torch.arange(6.0), None, order=[1, 0, 2])
    assert w_ih[:, 0].tolist() == [2.0, 3.0, 0.0, 1.0, 4.0, 5.0]
    assert b_ih.tolist() == [2.0, 3.0, 0.0, 1.0, 4.0, 5.0] and b_hh.tolist() == [0.0] * 6


def _lstm_step(kernel, recurrent, bias):
    def step(x, states):
        h, c = states
        i, f, g, o = (x @ kernel + h @ recurrent + bias).chunk(4, -1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, [h, c]

    return step


@pytest.mark.parametrize("back,zero_out,rseq", list(itertools.product([False, True], repeat=3)))
def test_packed_run_has_the_step_loop_semantics(masks, sequences, back, zero_out, rseq):
    torch.manual_seed(0)
    kernel, recurrent, bias = torch.randn(3, 8), torch.randn(2, 8), torch.randn(8)
    x = torch.as_tensor(sequences)
    states = [torch.randn(4, 2), torch.randn(4, 2)]  # non-zero: fully masked rows must keep them
    mask = torch.as_tensor(masks["right"])
    spec = fused.FusedSpec("lstm", fused.torch_params(kernel, recurrent, bias, None), True, None)
    expected = run_steps(_lstm_step(kernel, recurrent, bias), x, states, mask, back, zero_out, rseq)
    for need_states in (True, False):  # packed sequences / the whole padded batch
        got = fused.run(spec, x, states, fused.right_padded_lengths(mask), back, zero_out, rseq, need_states)
        torch.testing.assert_close(got[0], expected[0], rtol=1e-5, atol=1e-6)
        if rseq:
            torch.testing.assert_close(got[1], expected[1], rtol=1e-5, atol=1e-6)
        torch.testing.assert_close(got[2][0], expected[2][0], rtol=1e-5, atol=1e-6)
        if need_states:
            torch.testing.assert_close(got[2][1], expected[2][1], rtol=1e-5, atol=1e-6)
        else:
            assert got[2][1] is None


def test_packed_run_gradients():
    torch.manual_seed(0)
    lengths = fused.right_padded_lengths(torch.tensor([[True, True, True], [True, False, False],
                                                       [False, False, False]]))
    leaves = [torch.randn(3, 3, 2, dtype=torch.float64), torch.randn(2, 6, dtype=torch.float64),
              torch.randn(2, 6, dtype=torch.float64), torch.randn(2, 6, dtype=torch.float64)]

    def fn(x, kernel, recurrent, bias):
        params = fused.torch_params(kernel, recurrent, bias[0], bias[1], order=[1, 0, 2])
        spec = fused.FusedSpec("gru", params, True, None)
        _, seq, states = fused.run(spec, x, [torch.zeros(3, 2, dtype=torch.float64)], lengths, True, False, True)
        return seq, states[0]

    torch.autograd.gradcheck(fn, tuple(t.requires_grad_(True) for t in leaves), eps=1e-6, atol=1e-6, rtol=1e-4)


def test_input_dropout_mask_is_shared_by_all_steps():
    layer = keras.layers.SimpleRNN(3, dropout=0.5, seed=1, return_sequences=True)
    x = torch.ones(2, 4, 5)
    layer(x)
    layer._use_fused = False
    steps = layer(x, training=True)
    layer.cell._generator = None  # same seed again: the same mask
    layer._use_fused = "auto"
    torch.testing.assert_close(layer(x, training=True), steps)


@pytest.mark.requires_cuda
@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN"])
def test_cuda_matches_cpu_without_warnings(name, sequences, masks):
    cpu = getattr(keras.layers, name)(4, return_sequences=True, return_state=True, go_backwards=True)
    x = torch.as_tensor(sequences)
    mask = torch.as_tensor(masks["right"])
    expected = cpu(x, mask=mask)
    gpu = getattr(keras.layers, name)(4, return_sequences=True, return_state=True, go_backwards=True).to("cuda")
    gpu(x.cuda())
    gpu.set_weights(cpu.get_weights())
    got = gpu(x.cuda(), mask=mask.cuda())
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a.detach().cpu().numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
    got[0].sum().backward()
