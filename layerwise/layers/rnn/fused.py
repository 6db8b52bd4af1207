"""The fused-kernel path: PyTorch's own RNN kernels (cuDNN on CUDA, oneDNN or ATen on the CPU).

``SimpleRNN`` (tanh or relu), ``LSTM`` and ``GRU`` (``reset_after=True``) with the standard
activations run through ``torch._VF.rnn_tanh`` / ``rnn_relu`` / ``lstm`` / ``gru``. The weights
stay in Keras's layout (``kernel`` ``(input_dim, gates * units)``, gate orders i,f,c,o and z,r,h);
:func:`torch_params` turns them into torch's layout at call time with a transpose view (and, for
GRU, one small ``cat`` to reorder z,r,h into r,z,n). On CUDA the four tensors are concatenated
into one buffer so cuDNN uses them in place.

Masks: with a right-padded mask (every sequence is a run of valid steps followed by padding) the
kernel runs on the valid steps -- a packed sequence on CUDA; on the CPU the padded batch whole,
reading the final states at each length, since PyTorch's packed CPU kernel is slower than that
(an LSTM whose final ``c`` is needed is packed on the CPU too) -- and the outputs are then
rearranged to Keras's masking semantics (the previous output repeated, or zeros, at padded steps;
reversed order for ``go_backwards``). Deciding that a mask is right-padded and reading the lengths
needs the mask on the host: one device-to-host copy per call on CUDA (none on the CPU). Other masks
use the step-by-step path.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import torch
from torch import _VF
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

_KERNELS = {"lstm": _VF.lstm, "gru": _VF.gru, "rnn_tanh": _VF.rnn_tanh, "rnn_relu": _VF.rnn_relu}


class FusedSpec(NamedTuple):
    """What a layer hands to :func:`run`: the kernel and its weights in torch's layout."""

    mode: str  # "lstm", "gru", "rnn_tanh" or "rnn_relu"
    params: list  # [w_ih, w_hh] (+ [b_ih, b_hh] when has_biases)
    has_biases: bool
    input_mask: torch.Tensor | None  # input dropout mask (batch, features), shared by every step


def torch_params(kernel: torch.Tensor, recurrent_kernel: torch.Tensor, bias_ih: torch.Tensor | None,
                 bias_hh: torch.Tensor | None, order: list[int] | None = None) -> list:
    """Keras-layout weights as torch's ``[w_ih, w_hh, b_ih, b_hh]``; ``order`` permutes gate blocks.

    Example:
        >>> import torch
        >>> w_ih, w_hh = torch_params(torch.ones(3, 8), torch.ones(2, 8), None, None)
        >>> tuple(w_ih.shape), tuple(w_hh.shape)
        ((8, 3), (8, 2))
    """
    if order is not None:
        units = recurrent_kernel.shape[0]

        def reorder(t):
            blocks = t.split(units, dim=-1)
            return torch.cat([blocks[i] for i in order], dim=-1)

        kernel, recurrent_kernel = reorder(kernel), reorder(recurrent_kernel)
        bias_ih = None if bias_ih is None else reorder(bias_ih)
        bias_hh = None if bias_hh is None else reorder(bias_hh)
    params = [kernel.t(), recurrent_kernel.t()]
    if bias_ih is not None:
        params += [bias_ih, bias_hh if bias_hh is not None else torch.zeros_like(bias_ih)]
    return params


def _flat(params: list) -> list:
    """The parameters as views into one contiguous buffer (the layout cuDNN reads in place)."""
    flat = torch.cat([p.reshape(-1) for p in params])
    views, offset = [], 0
    for p in params:
        views.append(flat[offset:offset + p.numel()].view(p.shape))
        offset += p.numel()
    return views


def right_padded_lengths(mask: torch.Tensor) -> torch.Tensor | None:
    """The lengths (on the CPU) if ``mask`` is right-padded, else None. One host read.

    Example:
        >>> import torch
        >>> right_padded_lengths(torch.tensor([[True, True, False], [True, False, False]])).tolist()
        [2, 1]
        >>> right_padded_lengths(torch.tensor([[False, True, True]])) is None
        True
    """
    lengths = mask.sum(dim=1)
    positions = torch.arange(mask.shape[1], device=mask.device)
    ok = (mask == (positions < lengths.unsqueeze(1))).all()
    host = torch.cat([lengths, ok.to(lengths.dtype).reshape(1)]).cpu()
    if not bool(host[-1]):
        return None
    return host[:-1]


def _call_kernel(spec: FusedSpec, inputs: torch.Tensor, hidden: list, batch_sizes: torch.Tensor | None = None) -> tuple:
    fn = _KERNELS[spec.mode]
    hx = tuple(hidden) if spec.mode == "lstm" else hidden[0]
    # (num_layers=1, dropout=0, train, bidirectional=False[, batch_first=True])
    tail = (spec.has_biases, 1, 0.0, torch.is_grad_enabled(), False)
    if not inputs.is_cuda:
        if batch_sizes is None:
            return fn(inputs, hx, spec.params, *tail, True)
        return fn(inputs, batch_sizes, hx, spec.params, *tail)
    params = _flat(spec.params)
    with warnings.catch_warnings():
        # cuDNN may still copy the weights into its own layout; that is expected here.
        warnings.filterwarnings("ignore", message="RNN module weights are not part of single contiguous")
        if batch_sizes is None:
            return fn(inputs, hx, params, *tail, True)
        return fn(inputs, batch_sizes, hx, params, *tail)


def run(spec: FusedSpec, x: torch.Tensor, states: list, lengths: torch.Tensor | None, go_backwards: bool,
        zero_output_for_mask: bool, return_sequences: bool, need_states: bool = True) -> tuple:
    """``(last_output, outputs or None, new_states)`` with the semantics of the step-by-step path.

    ``need_states=False`` says the caller reads no final state but the first (``h``): on the CPU,
    a masked LSTM may then skip packing (its final ``c`` is returned as None).
    """
    if spec.input_mask is not None:
        x = x * spec.input_mask.unsqueeze(1)
    hx = [s.unsqueeze(0).contiguous() for s in states]
    if lengths is None:
        if go_backwards:
            x = x.flip(1)
        result = _call_kernel(spec, x, hx)
        new_states = [h[0] for h in result[1:]]
        return new_states[0], (result[0] if return_sequences else None), new_states
    return _run_masked(spec, x, hx, states, lengths, go_backwards, zero_output_for_mask, return_sequences,
                       need_states)


def _valid_first(spec: FusedSpec, x: torch.Tensor, hx: list, lengths: torch.Tensor, length: torch.Tensor,
                 need_states: bool) -> tuple:
    """Run the kernel on sequences whose valid steps come first: ``(outputs, final_states)``; the
    outputs past each length are undefined. On CUDA (and for an LSTM whose ``c`` is needed) the
    sequences are packed; on the CPU the padded batch runs whole (PyTorch's packed CPU kernel is
    slower than that) and the final states are read from the outputs at each length."""
    steps = x.shape[1]
    if x.is_cuda or (need_states and spec.mode == "lstm"):
        packed = pack_padded_sequence(x, lengths.clamp(min=1), batch_first=True, enforce_sorted=False)
        hidden = [h.index_select(1, packed.sorted_indices) for h in hx]
        result = _call_kernel(spec, packed.data, hidden, packed.batch_sizes)
        finals = [h[0].index_select(0, packed.unsorted_indices) for h in result[1:]]
        out_packed = PackedSequence(result[0], packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
        outputs, _ = pad_packed_sequence(out_packed, batch_first=True, total_length=steps)
        return outputs, finals
    result = _call_kernel(spec, x, hx)
    outputs = result[0]
    last_index = (length - 1).clamp(min=0).unsqueeze(-1).expand(-1, -1, outputs.shape[-1])
    finals = [outputs.gather(1, last_index).squeeze(1)] + [None] * (len(hx) - 1)
    return outputs, finals


def _run_masked(spec: FusedSpec, x: torch.Tensor, hx: list, states: list, lengths: torch.Tensor,
                go_backwards: bool, zero_output_for_mask: bool, return_sequences: bool, need_states: bool) -> tuple:
    batch, steps = x.shape[0], x.shape[1]
    device = x.device
    length = lengths.to(device=device, non_blocking=True).unsqueeze(1)  # (batch, 1)
    time = torch.arange(steps, device=device).unsqueeze(0)  # (1, time)
    if go_backwards:  # each sequence reversed within its own length
        index = torch.where(time < length, length - 1 - time, time)
        x = x.gather(1, index.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
    outputs, finals = _valid_first(spec, x, hx, lengths, length, need_states)
    empty = length == 0  # fully masked sequences keep their initial states
    new_states = [None if h is None else torch.where(empty, s, h) for s, h in zip(states, finals)]
    zero = torch.zeros((), dtype=x.dtype, device=device)
    if zero_output_for_mask and not go_backwards:
        last = torch.where(length == steps, new_states[0], zero)
    else:
        last = torch.where(empty, zero, new_states[0])
    if not return_sequences:
        return last, None, new_states
    units = outputs.shape[-1]
    if go_backwards:  # the padding was processed first: zeros, then the outputs
        source = time - (steps - length)
        gathered = outputs.gather(1, source.clamp(min=0).unsqueeze(-1).expand(-1, -1, units))
        outputs = torch.where((source >= 0).unsqueeze(-1), gathered, zero)
    elif zero_output_for_mask:
        outputs = torch.where((time < length).unsqueeze(-1), outputs, zero)
    else:  # padded steps repeat the last valid output
        source = torch.minimum(time, (length - 1).clamp(min=0)).expand(batch, steps)
        gathered = outputs.gather(1, source.unsqueeze(-1).expand(-1, -1, units))
        outputs = torch.where(empty.unsqueeze(-1), zero, gathered)
    return last, outputs, new_states
