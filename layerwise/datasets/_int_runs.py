"""Fast decoding of the integer runs in a NumPy object array's pickle stream, without pickle.

A list of integers is written as ``MARK``, one small-integer opcode per item (``K`` + 1 byte,
``M`` + 2 bytes little-endian unsigned, ``J`` + 4 bytes little-endian signed), then ``APPENDS``;
protocol 4 may put ``FRAME`` opcodes in between. :func:`int_runs` finds such runs with a regular
expression, which also validates them (every byte of a run belongs to one of those opcodes), and
:func:`decode_runs` turns all of them into integers with whole-array NumPy operations.
"""

from __future__ import annotations

import re

import numpy as np

# A run of small-integer opcodes: opcode byte K, M or J followed by 1, 2 or 4 data bytes.
_INT_RUN = re.compile(rb"(?:K.|M..|J....)+", re.DOTALL)
_TOKEN_WIDTH = np.zeros(256, np.int64)
_TOKEN_WIDTH[[ord("K"), ord("M"), ord("J")]] = (2, 3, 5)
_FRAME = b"\x95"  # FRAME + 8 bytes of length: it only delimits the stream
_APPENDS = b"e"
_RUN_BATCH_BYTES = 1 << 22


def _skip_frames(data: bytes, pos: int) -> int:
    """How many bytes of FRAME opcodes (which only delimit the stream) start at ``pos``."""
    skipped = 0
    while data[pos + skipped : pos + skipped + 1] == _FRAME:
        skipped += 9
    return skipped


def int_runs(data: bytes, pos: int) -> tuple[list[tuple[int, int]], int] | None:
    """Spans of integer opcodes from ``pos`` to an APPENDS (across FRAMEs) and the position past it."""
    spans = []
    while True:
        pos += _skip_frames(data, pos)
        match = _INT_RUN.match(data, pos)
        if match is None:
            break
        spans.append(match.span())
        pos = match.end()
    if not spans or data[pos : pos + 1] != _APPENDS:
        return None
    return spans, pos + 1


def decode_runs(data: bytes, runs: list[tuple[int, int]]) -> list[np.ndarray]:
    """Decode each ``(start, end)`` run of K/M/J opcodes into an ``int64`` array, in bulk."""
    decoded: list[np.ndarray] = []
    first = 0
    while first < len(runs):
        last, size = first, 0
        while last < len(runs) and (size == 0 or size + runs[last][1] - runs[last][0] <= _RUN_BATCH_BYTES):
            size += runs[last][1] - runs[last][0]
            last += 1
        batch = runs[first:last]
        lengths = np.array([e - s for s, e in batch], np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        raw = np.zeros(int(offsets[-1]) + 4, np.uint8)
        raw[: offsets[-1]] = np.frombuffer(b"".join(data[s:e] for s, e in batch), np.uint8)
        starts = _token_starts(raw[: offsets[-1]], offsets[:-1], int(lengths.max()) // 2)
        widths = _TOKEN_WIDTH[raw[starts]]
        # Zero-padded little-endian: BININT1 and BININT2 (unsigned) come out right, BININT is signed.
        values = raw[starts + 1].astype(np.int64)
        wide = np.flatnonzero(widths > 2)
        values[wide] |= raw[starts[wide] + 2].astype(np.int64) << 8
        four = np.flatnonzero(widths == 5)
        high = raw[starts[four] + 3].astype(np.int64) << 16 | raw[starts[four] + 4].astype(np.int64) << 24
        values[four] = (values[four] | high).astype(np.uint32).view(np.int32)
        decoded.extend(np.split(values, np.searchsorted(starts, offsets[1:-1])))
        first = last
    return decoded


def _token_starts(buffer: np.ndarray, run_starts: np.ndarray, max_tokens: int) -> np.ndarray:
    """Where the tokens of runs laid end to end in ``buffer`` start, found without a Python loop.

    Each run was matched by ``_INT_RUN`` from its start, so following "next token = this one +
    its width" from a run's start visits exactly its tokens (and then the next run's). Pointer
    doubling marks every position within ``2**k`` steps of a run start after ``k`` rounds.
    """
    n = len(buffer)
    jump = np.empty(n + 1, np.int32)
    jump[:n] = np.arange(n, dtype=np.int32) + _TOKEN_WIDTH[buffer].astype(np.int32)
    np.minimum(jump, n, out=jump)
    jump[n] = n  # past the end: a sink
    marked = np.zeros(n + 1, bool)
    marked[run_starts] = True
    for _ in range(max(max_tokens, 1).bit_length()):
        marked[jump[np.flatnonzero(marked)]] = True
        jump = jump[jump]
    return np.flatnonzero(marked[:n])
