"""Read the ``.npz`` files behind IMDB and Reuters without unpickling anything.

Keras stores those datasets' variable-length sequences as NumPy *object* arrays, which ``.npy``
can only hold as a pickle stream; ``np.load(allow_pickle=False)`` refuses them and
``allow_pickle=True`` would run whatever code a tampered file names. This module never calls
:mod:`pickle`. It reads the stream itself, as data, and accepts only the opcodes that NumPy writes
for a one-dimensional object array of integer sequences:

- the three names such an array refers to (``numpy.ndarray``, ``numpy.dtype`` and
  ``numpy[._]core.multiarray._reconstruct``), plus ``_codecs.encode`` (how protocol 2 spells
  bytes), are matched by name and stand for themselves; nothing is imported and nothing is
  called: "calling" ``_reconstruct`` or ``dtype`` only builds a placeholder whose state is checked
  field by field, and "calling" ``encode`` must be ``encode(text, "latin1")``;
- containers are lists, tuples and the memo; values are integers, booleans, ``None``, text and
  bytes. Any other opcode (``INST``, ``OBJ``, ``NEWOBJ``, extensions, persistent ids, ...) or
  any other name is refused with a ``ValueError`` that names the file.

Each sequence may be a list of integers or a one-dimensional integer array. Runs of integers in
a list, the bulk of the file, are decoded with NumPy instead of one opcode at a time
(:mod:`layerwise.datasets._int_runs`). Numeric
members (the labels) are read with ``np.lib.format.read_array(allow_pickle=False)``.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np

from layerwise.datasets._int_runs import decode_runs, int_runs

# Opcodes (see the pickletools module documentation for their meaning).
_PROTO, _FRAME, _STOP, _MARK = 0x80, 0x95, ord("."), ord("(")
_BININT, _BININT1, _BININT2, _LONG1 = ord("J"), ord("K"), ord("M"), 0x8A
_NONE, _NEWTRUE, _NEWFALSE = ord("N"), 0x88, 0x89
_SHORT_BINUNICODE, _BINUNICODE = 0x8C, ord("X")
_SHORT_BINBYTES, _BINBYTES, _SHORT_BINSTRING, _BINSTRING = ord("C"), ord("B"), ord("U"), ord("T")
_GLOBAL, _STACK_GLOBAL, _REDUCE, _BUILD = ord("c"), 0x93, ord("R"), ord("b")
_MEMOIZE, _BINPUT, _LONG_BINPUT, _BINGET, _LONG_BINGET = 0x94, ord("q"), ord("r"), ord("h"), ord("j")
_EMPTY_LIST, _APPEND, _APPENDS = ord("]"), ord("a"), ord("e")
_EMPTY_TUPLE, _TUPLE, _TUPLE1, _TUPLE2, _TUPLE3 = ord(")"), ord("t"), 0x85, 0x86, 0x87


_INT_DESCRS = {f"{kind}{size}" for kind in "iu" for size in (1, 2, 4, 8)}
_OBJECT_DESCRS = {"O", "O4", "O8"}


class _Name:
    """One of the three names an object array's stream may refer to; never resolved to code."""

    def __init__(self, name: str) -> None:
        self.name = name


_RECONSTRUCT, _NDARRAY, _DTYPE, _ENCODE = _Name("_reconstruct"), _Name("ndarray"), _Name("dtype"), _Name("encode")
_NAMES = {
    ("_codecs", "encode"): _ENCODE,
    ("numpy.core.multiarray", "_reconstruct"): _RECONSTRUCT,
    ("numpy._core.multiarray", "_reconstruct"): _RECONSTRUCT,
    ("numpy", "ndarray"): _NDARRAY,
    ("numpy", "dtype"): _DTYPE,
}


class _Dtype:
    def __init__(self, descr: str) -> None:
        self.descr, self.byteorder = descr, "|"


class _Array:
    def __init__(self) -> None:
        self.state: tuple | None = None


class _List:
    def __init__(self) -> None:
        self.items: list = []


class _Run:
    """A run of integers appended to a list, decoded in bulk once the stream is read."""

    def __init__(self, index: int) -> None:
        self.index = index


class _Bad(Exception):
    """Internal: the stream is not an object array of integer sequences (reason in args[0])."""


def read_npz(path: str, what: str) -> dict[str, np.ndarray | list[np.ndarray]]:
    """Read every ``.npy`` member of ``path``: numeric arrays as arrays, object arrays as lists.

    An object member becomes a list of one-dimensional ``int64`` arrays, one per sequence.
    ``what`` names the dataset in error messages (``"IMDB"``).
    """
    bad = f"{path} is not a valid {what} .npz file"
    arrays: dict[str, np.ndarray | list[np.ndarray]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if not member.endswith(".npy"):
                    continue
                with archive.open(member) as raw:
                    data = raw.read()
                arrays[member[: -len(".npy")]] = _read_npy(data)
    except _Bad as e:
        raise ValueError(f"{bad}: member {member!r} {e.args[0]}.") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, RuntimeError) as e:
        raise ValueError(f"{bad}: it cannot be read as .npz ({e}).") from e
    return arrays


def _read_npy(data: bytes) -> np.ndarray | list[np.ndarray]:
    fp = io.BytesIO(data)
    version = np.lib.format.read_magic(fp)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(fp)
    elif version in ((2, 0), (3, 0)):  # 3.0 only changes the header text's encoding
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(fp)
    else:
        raise _Bad(f"has an unsupported .npy version {version}")
    if not dtype.hasobject:
        fp.seek(0)
        return np.lib.format.read_array(fp, allow_pickle=False)
    if dtype != np.dtype(object) or len(shape) != 1:
        raise _Bad(f"holds objects of dtype {dtype} and shape {shape}, not a 1-d array of sequences")
    sequences = _interpret(data, fp.tell())
    if len(sequences) != shape[0]:
        raise _Bad(f"holds {len(sequences)} sequences, but its header says {shape[0]}")
    return sequences


def _interpret(data: bytes, pos: int) -> list[np.ndarray]:
    """Run the restricted opcode reader over ``data[pos:]``; return the array's sequences."""
    stack: list = []
    marks: list[int] = []
    memo: dict[int, object] = {}
    runs: list[tuple[int, int]] = []
    end = len(data)

    def take(count: int) -> bytes:
        nonlocal pos
        if count < 0 or pos + count > end:
            raise _Bad("is truncated")
        chunk = data[pos : pos + count]
        pos += count
        return chunk

    def uint(count: int) -> int:
        return int.from_bytes(take(count), "little")

    def pop_mark() -> list:
        if not marks:
            raise _Bad("has an unbalanced MARK")
        start = marks.pop()
        items = stack[start:]
        del stack[start:]
        return items

    try:
        while True:
            op = take(1)[0]
            if op == _MARK:
                found = int_runs(data, pos) if stack and isinstance(stack[-1], _List) else None
                if found is not None:
                    spans, pos = found  # ``pos`` is just past the APPENDS that ends the batch
                    for span in spans:
                        stack[-1].items.append(_Run(len(runs)))
                        runs.append(span)
                else:
                    marks.append(len(stack))
            elif op == _BININT1:
                stack.append(uint(1))
            elif op == _BININT2:
                stack.append(uint(2))
            elif op == _BININT:
                stack.append(int.from_bytes(take(4), "little", signed=True))
            elif op == _LONG1:
                size = uint(1)
                if size > 8:
                    raise _Bad("holds an integer too large for a word index")
                stack.append(int.from_bytes(take(size), "little", signed=True))
            elif op in (_BINPUT, _LONG_BINPUT, _MEMOIZE):
                key = len(memo) if op == _MEMOIZE else uint(1 if op == _BINPUT else 4)
                memo[key] = stack[-1]
            elif op in (_BINGET, _LONG_BINGET):
                key = uint(1 if op == _BINGET else 4)
                if key not in memo:
                    raise _Bad(f"refers to a memo entry {key} that was never stored")
                stack.append(memo[key])
            elif op == _EMPTY_LIST:
                stack.append(_List())
            elif op == _APPEND:
                value = stack.pop()
                _list_on(stack).items.append(value)
            elif op == _APPENDS:
                values = pop_mark()
                _list_on(stack).items.extend(values)
            elif op in (_SHORT_BINUNICODE, _BINUNICODE):
                stack.append(take(uint(1 if op == _SHORT_BINUNICODE else 4)).decode("utf-8"))
            elif op in (_SHORT_BINSTRING, _BINSTRING):  # Python 2 ``str``, read as NumPy does (latin-1)
                stack.append(take(uint(1 if op == _SHORT_BINSTRING else 4)).decode("latin-1"))
            elif op in (_SHORT_BINBYTES, _BINBYTES):
                stack.append(take(uint(1 if op == _SHORT_BINBYTES else 4)))
            elif op == _NONE:
                stack.append(None)
            elif op in (_NEWTRUE, _NEWFALSE):
                stack.append(op == _NEWTRUE)
            elif op == _EMPTY_TUPLE:
                stack.append(())
            elif op in (_TUPLE1, _TUPLE2, _TUPLE3):
                count = op - _TUPLE1 + 1
                if len(stack) < count:
                    raise _Bad("is malformed (a tuple of missing items)")
                items = tuple(stack[-count:])
                del stack[-count:]
                stack.append(items)
            elif op == _TUPLE:
                stack.append(tuple(pop_mark()))
            elif op == _GLOBAL:
                module = _line(data, pos, end)
                pos += len(module) + 1
                name = _line(data, pos, end)
                pos += len(name) + 1
                stack.append(_name(module.decode("ascii", "replace"), name.decode("ascii", "replace")))
            elif op == _STACK_GLOBAL:
                name, module = stack.pop(), stack.pop()
                if not (isinstance(module, str) and isinstance(name, str)):
                    raise _Bad("names a global with something other than text")
                stack.append(_name(module, name))
            elif op == _REDUCE:
                args, func = stack.pop(), stack.pop()
                stack.append(_reduce(func, args))
            elif op == _BUILD:
                state = stack.pop()
                _build(stack[-1], state)
            elif op == _PROTO:
                if uint(1) not in (2, 3, 4, 5):
                    raise _Bad("uses an unsupported pickle protocol")
            elif op == _FRAME:
                take(8)
            elif op == _STOP:
                break
            else:
                raise _Bad(f"holds opcode {bytes([op])!r} at byte {pos - 1}, which an array of sequences never uses")
    except IndexError:
        raise _Bad("is malformed (an opcode found too few items on the stack)") from None
    if len(stack) != 1 or marks:
        raise _Bad("is malformed (it does not end with exactly one object)")
    return _sequences(stack[0], decode_runs(data, runs))


def _line(data: bytes, pos: int, end: int) -> bytes:
    stop = data.find(b"\n", pos, min(end, pos + 256))
    if stop < 0:
        raise _Bad("is truncated in a global name")
    return data[pos:stop]


def _name(module: str, name: str) -> _Name:
    known = _NAMES.get((module, name))
    if known is None:
        raise _Bad(f"refers to {module}.{name}; only NumPy's array-reconstruction names are accepted")
    return known


def _list_on(stack: list) -> _List:
    if not stack or not isinstance(stack[-1], _List):
        raise _Bad("appends to something that is not a list")
    return stack[-1]


def _reduce(func: object, args: object) -> object:
    if func is _RECONSTRUCT:
        if not (isinstance(args, tuple) and len(args) == 3 and args[0] is _NDARRAY and args[1] == (0,)):
            raise _Bad("reconstructs an array with unexpected arguments")
        if args[2] not in (b"b", "b"):
            raise _Bad("reconstructs an array with unexpected arguments")
        return _Array()
    if func is _ENCODE:
        if not (isinstance(args, tuple) and len(args) == 2 and isinstance(args[0], str)):
            raise _Bad("encodes bytes with unexpected arguments")
        if args[1] not in ("latin1", "latin-1"):
            raise _Bad("encodes bytes with unexpected arguments")
        return args[0].encode("latin-1")
    if func is _DTYPE:
        if not (isinstance(args, tuple) and len(args) == 3 and isinstance(args[0], str)):
            raise _Bad("builds a dtype with unexpected arguments")
        if args[0] not in _INT_DESCRS | _OBJECT_DESCRS:
            raise _Bad(f"holds values of dtype {args[0]!r}, not integers")
        return _Dtype(args[0])
    raise _Bad("calls something other than NumPy's array and dtype constructors")


def _build(obj: object, state: object) -> None:
    if not isinstance(state, tuple):
        raise _Bad("sets a state that is not a tuple")
    if isinstance(obj, _Dtype):
        if len(state) < 2 or state[1] not in ("<", ">", "|", "="):
            raise _Bad("sets a malformed dtype state")
        obj.byteorder = state[1]
    elif isinstance(obj, _Array):
        if len(state) != 5 or not isinstance(state[2], _Dtype) or not isinstance(state[1], tuple):
            raise _Bad("sets a malformed array state")
        obj.state = state
    else:
        raise _Bad("sets the state of something that is not an array or a dtype")


def _sequences(top: object, runs: list[np.ndarray]) -> list[np.ndarray]:
    array = _finished(top)
    version, shape, dtype, _, items = array.state
    if dtype.descr not in _OBJECT_DESCRS or len(shape) != 1 or not isinstance(items, _List):
        raise _Bad("is not a one-dimensional object array")
    if len(items.items) != shape[0]:
        raise _Bad(f"holds {len(items.items)} items for an array of shape {shape}")
    return [_sequence(item, runs) for item in items.items]


def _finished(obj: object) -> _Array:
    if not isinstance(obj, _Array) or obj.state is None:
        raise _Bad("does not hold a NumPy array")
    return obj


def _sequence(item: object, runs: list[np.ndarray]) -> np.ndarray:
    if isinstance(item, _List):
        parts: list[np.ndarray] = []
        pending: list[int] = []
        for value in item.items:
            if isinstance(value, _Run):
                if pending:
                    parts.append(np.array(pending, np.int64))
                    pending = []
                parts.append(runs[value.index])
            elif isinstance(value, int) and not isinstance(value, bool):
                pending.append(value)
            else:
                raise _Bad("holds a sequence item that is not an integer")
        if pending:
            parts.append(np.array(pending, np.int64))
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)
    array = _finished(item)
    _, shape, dtype, fortran, raw = array.state
    if dtype.descr not in _INT_DESCRS or len(shape) != 1 or not isinstance(shape[0], int):
        raise _Bad("holds a sequence that is not a one-dimensional integer array")
    if isinstance(raw, str):  # written by Python 2
        raw = raw.encode("latin-1")
    np_dtype = np.dtype(dtype.descr).newbyteorder(dtype.byteorder if dtype.byteorder in "<>" else "=")
    if not isinstance(raw, bytes) or len(raw) != shape[0] * np_dtype.itemsize:
        raise _Bad("holds an integer array whose data does not match its shape")
    return np.frombuffer(raw, np_dtype).astype(np.int64)
