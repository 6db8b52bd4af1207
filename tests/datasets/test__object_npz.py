"""The pickle-free reader of object-array ``.npz`` files (IMDB, Reuters).

Files are written by NumPy (its pickle *writer*, which is what produced Keras's files) or by hand,
opcode by opcode; reading them must never unpickle anything.
"""

from __future__ import annotations

import io
import os
import pickle
import re

import numpy as np
import pytest

from layerwise.datasets import _int_runs, _object_npz
from layerwise.datasets._object_npz import read_npz


def object_array(items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


def npy_with_stream(array: np.ndarray, stream: bytes) -> bytes:
    """An ``.npy`` file with ``array``'s header and ``stream`` as its pickled body."""
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    data = buffer.getvalue()
    header_end = 10 + int.from_bytes(data[8:10], "little")
    return data[:header_end] + stream


def write_npz(path, **members: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name + ".npy", data)
    return str(path)


SEQUENCES = [[1, 14, 22, 16], [1, 194], [], [7], [-5, 2**31 - 1, -(2**31), 255, 256, 65535, 65536], list(range(2500))]


@pytest.fixture(autouse=True)
def no_pickle(monkeypatch):
    """Any use of pickle's loaders during a test is a failure."""
    def refuse(*args, **kwargs):
        raise AssertionError("pickle must not be used to read dataset files")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)


def test_modules_never_use_pickle():
    for module in (_object_npz, _int_runs):
        source = open(module.__file__).read()
        assert "import pickle" not in source and not re.search(r"pickle\.\w", source)


def test_lists_written_by_numpy(tmp_path):
    path = tmp_path / "seqs.npz"
    np.savez(path, x=object_array(SEQUENCES), y=np.array([0, 1, 1, 0, 1, 0]))
    arrays = read_npz(str(path), "Test")
    assert [s.tolist() for s in arrays["x"]] == SEQUENCES
    assert all(s.dtype == np.int64 for s in arrays["x"])
    np.testing.assert_array_equal(arrays["y"], [0, 1, 1, 0, 1, 0])


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_every_pickle_protocol(tmp_path, protocol, monkeypatch):
    monkeypatch.undo()  # writing needs pickle.dumps only; reading is checked below
    array = object_array(SEQUENCES)
    stream = pickle.dumps(array, protocol=protocol)
    path = write_npz(tmp_path / "p.npz", x=npy_with_stream(array, stream))
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("unpickled"))
    assert [s.tolist() for s in read_npz(path, "Test")["x"]] == SEQUENCES


def test_large_file_with_frames_and_batches(tmp_path):
    rng = np.random.default_rng(0)
    sequences = [rng.integers(0, 90000, int(rng.integers(0, 3000))).tolist() for _ in range(300)]
    path = tmp_path / "big.npz"
    np.savez(path, x=object_array(sequences))
    got = read_npz(str(path), "Test")["x"]
    assert len(got) == 300
    assert all(g.tolist() == s for g, s in zip(got, sequences))


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8, np.uint16, ">i4"])
def test_sequences_stored_as_integer_arrays(tmp_path, dtype):
    items = [np.array(s, dtype=dtype) for s in ([1, 2, 3], [], [200, 7])]
    path = tmp_path / "arrays.npz"
    np.savez(path, x=object_array(items))
    got = read_npz(str(path), "Test")["x"]
    assert [g.tolist() for g in got] == [[1, 2, 3], [], [200, 7]]


def python2_stream() -> bytes:
    """What Python 2's cPickle wrote for ``array([[1, 300, 65536], [5]], dtype=object)``, by hand."""
    return b"".join([
        b"\x80\x02",
        b"cnumpy.core.multiarray\n_reconstruct\nq\x01",
        b"cnumpy\nndarray\nq\x02",
        b"K\x00\x85U\x01b\x87R",  # _reconstruct(ndarray, (0,), 'b')
        b"(K\x01K\x02\x85",  # state: version 1, shape (2,)
        b"cnumpy\ndtype\nU\x02O8K\x00K\x01\x87R",  # dtype('O8', 0, 1)
        b"(K\x03U\x01|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK?tb",  # its state
        b"\x89",  # not Fortran-ordered
        b"](](K\x01M,\x01\x8a\x03\x00\x00\x01e]h\x09K\x05ae",  # [[1, 300, 65536L], [5]], h: a bad memo get
        b"tb.",
    ])


def test_python2_style_stream(tmp_path):
    stream = python2_stream().replace(b"]h\x09K\x05a", b"]K\x05a")
    path = write_npz(tmp_path / "py2.npz", x=npy_with_stream(object_array([[0], [0]]), stream))
    assert [s.tolist() for s in read_npz(path, "Test")["x"]] == [[1, 300, 65536], [5]]


class Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


class Evaluate:
    def __reduce__(self):
        return (eval, ("1 + 1",))


def test_code_execution_gadget_is_refused_and_never_runs(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    np.savez(path, x=object_array([Exploit(marker), [1, 2]]))
    with pytest.raises(ValueError, match=r"refers to (posix|os|nt)\.system") as info:
        read_npz(str(path), "Test")
    assert str(path) in str(info.value) and "'x.npy'" in str(info.value)
    assert not marker.exists()


BAD_STREAMS = {
    "eval": (lambda: pickle.dumps(object_array([Evaluate()]), protocol=2), r"refers to (builtins|__builtin__)\.eval"),
    "INST opcode": (lambda: b"\x80\x02(ios\nsystem\nS'true'\n.", "opcode b'i'"),
    "OBJ opcode": (lambda: b"\x80\x02(K\x01o.", "opcode b'o'"),
    "dict item": (lambda: pickle.dumps(object_array([{"a": 1}]), protocol=4), r"opcode b'}'"),
    "float item": (lambda: pickle.dumps(object_array([[1.5]]), protocol=4), "opcode b'G'"),
    "text item": (lambda: pickle.dumps(object_array([["the"]]), protocol=4), "not an integer"),
    "bool item": (lambda: pickle.dumps(object_array([[True, 1]]), protocol=4), "not an integer"),
    "nested list": (lambda: pickle.dumps(object_array([[[1], 2]]), protocol=4), "not an integer"),
    "float array item": (lambda: pickle.dumps(object_array([np.zeros(2)]), protocol=4), "dtype 'f8'"),
    "truncated": (lambda: pickle.dumps(object_array([[1, 2, 3]]), protocol=4)[:-5], "truncated"),
    "unknown memo": (lambda: python2_stream(), "memo entry 9"),
    "no array": (lambda: b"\x80\x02](K\x01e.", "does not hold a NumPy array"),
    "two objects": (lambda: b"\x80\x02K\x01K\x02.", "exactly one object"),
    "persistent id": (lambda: b"\x80\x02X\x01\x00\x00\x00aQ.", r"opcode b'Q'"),
    "extension": (lambda: b"\x80\x02\x82\x01.", r"opcode b'\\x82'"),
}


@pytest.mark.parametrize("case", sorted(BAD_STREAMS))
def test_bad_streams_are_refused(tmp_path, monkeypatch, case):
    make, match = BAD_STREAMS[case]
    monkeypatch.undo()  # pickle.dumps builds the hostile files
    stream = make()
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("unpickled"))
    path = write_npz(tmp_path / "bad.npz", x=npy_with_stream(object_array([[1]]), stream))
    with pytest.raises(ValueError, match=match) as info:
        read_npz(path, "Test")
    assert path in str(info.value)


def test_item_count_must_match_the_header(tmp_path, monkeypatch):
    monkeypatch.undo()
    stream = pickle.dumps(object_array([[1], [2]]), protocol=4)
    path = write_npz(tmp_path / "count.npz", x=npy_with_stream(object_array([[1], [2], [3]]), stream))
    with pytest.raises(ValueError, match="holds 2 sequences, but its header says 3"):
        read_npz(path, "Test")


def test_two_dimensional_object_array_is_refused(tmp_path):
    array = np.empty((2, 2), dtype=object)
    array[:] = 1
    path = tmp_path / "2d.npz"
    np.savez(path, x=array)
    with pytest.raises(ValueError, match="not a 1-d array of sequences"):
        read_npz(str(path), "Test")


def test_not_a_zip(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_bytes(b"junk")
    with pytest.raises(ValueError, match="cannot be read as .npz"):
        read_npz(str(path), "Test")
