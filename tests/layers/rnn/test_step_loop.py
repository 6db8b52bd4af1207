import torch

from layerwise.layers.rnn.step_loop import run_steps


def _running_sum(x, states):
    total = states[0] + x
    return total * 10, [total]  # output differs from the state, to tell them apart


def test_unmasked_loop_order_and_states():
    x = torch.tensor([[[1.0], [2.0], [3.0]]])
    last, seq, states = run_steps(_running_sum, x, [torch.zeros(1, 1)], None, False, False, True)
    assert seq.flatten().tolist() == [10.0, 30.0, 60.0] and last.item() == 60.0 and states[0].item() == 6.0
    last, seq, _ = run_steps(_running_sum, x, [torch.zeros(1, 1)], None, True, False, True)
    assert seq.flatten().tolist() == [30.0, 50.0, 60.0]  # processing order: 3, 3+2, 3+2+1


def test_masked_steps_carry_states_and_outputs():
    x = torch.tensor([[[1.0], [2.0], [3.0], [4.0]]])
    mask = torch.tensor([[False, True, False, True]])
    last, seq, states = run_steps(_running_sum, x, [torch.zeros(1, 1)], mask, False, False, True)
    assert seq.flatten().tolist() == [0.0, 20.0, 20.0, 60.0] and states[0].item() == 6.0
    _, zeroed, _ = run_steps(_running_sum, x, [torch.zeros(1, 1)], mask, False, True, True)
    assert zeroed.flatten().tolist() == [0.0, 20.0, 0.0, 60.0]
    last, seq, _ = run_steps(_running_sum, x, [torch.zeros(1, 1)], mask, False, True, False)
    assert seq is None and last.item() == 60.0


def test_nested_states_are_masked_leaf_by_leaf():
    def step(x, states):
        (a,), (b,) = states
        return x, [[a + x], [b - x]]

    x = torch.ones(2, 2, 1)
    mask = torch.tensor([[True, False], [True, True]])
    _, _, states = run_steps(step, x, [[torch.zeros(2, 1)], [torch.zeros(2, 1)]], mask, False, False, False)
    assert states[0][0].flatten().tolist() == [1.0, 2.0] and states[1][0].flatten().tolist() == [-1.0, -2.0]
