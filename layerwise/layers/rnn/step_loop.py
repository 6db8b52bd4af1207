"""The step-by-step recurrence: a Python loop over timesteps, with Keras's masking semantics.

At a masked timestep the states are carried over unchanged and the output repeats the previous
output (zeros before the first unmasked step), or is zero when ``zero_output_for_mask`` is set
(``Bidirectional`` sets it for sequence outputs). With ``go_backwards`` the steps run from the
last to the first and the outputs come out in that (reversed) order, as in Keras.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from layerwise.utils import tree


def _expand(mask_t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """A ``(batch,)`` step mask shaped to broadcast against ``like`` (``(batch, ...)``)."""
    return mask_t.view((mask_t.shape[0],) + (1,) * (like.ndim - 1))


def run_steps(step: Callable, inputs: torch.Tensor, initial_states: Any, mask: torch.Tensor | None,
              go_backwards: bool, zero_output_for_mask: bool, return_sequences: bool) -> tuple:
    """Run ``step(x_t, states) -> (output, new_states)`` over axis 1 of ``inputs``.

    Returns ``(last_output, outputs or None, final_states)``; ``outputs`` is ``(batch, time, ...)``
    in processing order.

    Example:
        >>> import torch
        >>> step = lambda x, s: (x + s[0], [x + s[0]])  # a running sum
        >>> last, seq, states = run_steps(step, torch.ones(1, 3, 1), [torch.zeros(1, 1)],
        ...                               torch.tensor([[True, False, True]]), False, False, True)
        >>> seq.flatten().tolist(), states[0].item()
        ([1.0, 1.0, 2.0], 2.0)
    """
    steps = inputs.unbind(1)
    count = len(steps)
    order = range(count - 1, -1, -1) if go_backwards else range(count)
    mask_steps = mask.unbind(1) if mask is not None else None
    states = initial_states
    outputs = []
    output = previous = None
    for t in order:
        output, new_states = step(steps[t], states)
        if mask_steps is not None:
            keep = mask_steps[t]
            flat_new = [torch.where(_expand(keep, new), new, old)
                        for new, old in zip(tree.flatten(new_states), tree.flatten(states))]
            new_states = tree.pack_sequence_as(new_states, flat_new)
            if zero_output_for_mask or previous is None:
                output = torch.where(_expand(keep, output), output, torch.zeros((), dtype=output.dtype,
                                                                                 device=output.device))
            else:
                output = torch.where(_expand(keep, output), output, previous)
            previous = output
        states = new_states
        if return_sequences:
            outputs.append(output)
    sequence = torch.stack(outputs, dim=1) if return_sequences else None
    return output, sequence, states
