"""Bulk decoding of the small-integer opcodes of a pickled list, checked against pickle's writer."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from layerwise.datasets._int_runs import decode_runs, int_runs


def list_stream(values: list[int], protocol: int = 2) -> bytes:
    return pickle.dumps(values, protocol=protocol)


@pytest.mark.parametrize("values", [
    [0, 0], [255, 256, 65535, 65536], [-1, -(2**31), 2**31 - 1], list(range(999)), [75, 77, 74, 75, 77],
])
def test_decode_single_batch(values):
    data = list_stream(values)
    start = data.index(b"(") + 1  # after EMPTY_LIST, BINPUT and MARK
    spans, after = int_runs(data, start)
    assert data[after - 1 : after] == b"e"
    decoded = np.concatenate(decode_runs(data, spans))
    assert decoded.dtype == np.int64 and decoded.tolist() == values


def test_many_runs_in_several_batches(monkeypatch):
    from layerwise.datasets import _int_runs

    monkeypatch.setattr(_int_runs, "_RUN_BATCH_BYTES", 64)  # force several batches
    rng = np.random.default_rng(0)
    pieces, runs, expected, pos = [], [], [], 0
    for _ in range(40):
        values = rng.integers(-(2**31), 2**31, int(rng.integers(1, 30))).tolist()
        body = b"".join(
            b"K" + v.to_bytes(1, "little") if 0 <= v < 256
            else b"M" + v.to_bytes(2, "little") if 0 <= v < 65536
            else b"J" + v.to_bytes(4, "little", signed=True)
            for v in values
        )
        pieces.append(body + b"e")
        runs.append((pos, pos + len(body)))
        expected.append(values)
        pos += len(body) + 1
    data = b"".join(pieces)
    assert [d.tolist() for d in decode_runs(data, runs)] == expected


def test_not_a_run():
    assert int_runs(b"K\x01K\x02a", 0) is None  # ends with APPEND, not APPENDS
    assert int_runs(b"]K\x01e", 0) is None  # does not start with an integer
    assert int_runs(b"K\x01M\x01", 0) is None  # truncated
    spans, after = int_runs(b"K\x01\x95" + bytes(8) + b"M\x02\x01e", 0)  # split by a FRAME
    assert spans == [(0, 2), (11, 14)] and after == 15
