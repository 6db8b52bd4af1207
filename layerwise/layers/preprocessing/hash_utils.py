"""String hashes that give the same buckets as TensorFlow's ``to_hash_bucket_fast`` and
``to_hash_bucket_strong``, which Keras's ``Hashing`` and lookup layers use.

* :func:`fingerprint64` is FarmHash's 64-bit fingerprint (the ``farmhashna`` variant, which
  ``Fingerprint64`` names): short strings go through dedicated mixes for lengths 0-16, 17-32 and
  33-64; longer ones through a 64-byte block loop over two 128-bit states.
* :func:`siphash64` is SipHash-2-4 keyed with two 64-bit words (Aumasson and Bernstein, 2012).

Both are written here from the published algorithms in plain Python integers masked to 64 bits,
so no compiled extension is needed. A bucket is ``hash % num_bins`` on the unsigned value.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

_MASK = (1 << 64) - 1
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F


def _rotate(value: int, shift: int) -> int:
    """Rotate a 64-bit word right by ``shift`` bits."""
    return ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value: int) -> int:
    return value ^ (value >> 47)


def _fetch64(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset:offset + 8], "little")


def _fetch32(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset:offset + 4], "little")


def _hash_len16(u: int, v: int, mul: int) -> int:
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _hash_len0to16(data: bytes, length: int) -> int:
    if length >= 8:
        mul = (_K2 + length * 2) & _MASK
        a = (_fetch64(data, 0) + _K2) & _MASK
        b = _fetch64(data, length - 8)
        c = (_rotate(b, 37) * mul + a) & _MASK
        d = ((_rotate(a, 25) + b) * mul) & _MASK
        return _hash_len16(c, d, mul)
    if length >= 4:
        mul = (_K2 + length * 2) & _MASK
        a = _fetch32(data, 0)
        return _hash_len16((length + (a << 3)) & _MASK, _fetch32(data, length - 4), mul)
    if length > 0:
        y = (data[0] + (data[length >> 1] << 8)) & 0xFFFFFFFF
        z = (length + (data[length - 1] << 2)) & 0xFFFFFFFF
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK) * _K2) & _MASK
    return _K2


def _hash_len17to32(data: bytes, length: int) -> int:
    mul = (_K2 + length * 2) & _MASK
    a = (_fetch64(data, 0) * _K1) & _MASK
    b = _fetch64(data, 8)
    c = (_fetch64(data, length - 8) * mul) & _MASK
    d = (_fetch64(data, length - 16) * _K2) & _MASK
    return _hash_len16((_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK,
                       (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, mul)


def _hash_len33to64(data: bytes, length: int) -> int:
    mul = (_K2 + length * 2) & _MASK
    a = (_fetch64(data, 0) * _K2) & _MASK
    b = _fetch64(data, 8)
    c = (_fetch64(data, length - 8) * mul) & _MASK
    d = (_fetch64(data, length - 16) * _K2) & _MASK
    y = (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK
    z = _hash_len16(y, (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, mul)
    e = (_fetch64(data, 16) * mul) & _MASK
    f = _fetch64(data, 24)
    g = ((y + _fetch64(data, length - 32)) * mul) & _MASK
    h = ((z + _fetch64(data, length - 24)) * mul) & _MASK
    return _hash_len16((_rotate((e + f) & _MASK, 43) + _rotate(g, 30) + h) & _MASK,
                       (e + _rotate((f + a) & _MASK, 18) + g) & _MASK, mul)


def _weak_hash32(data: bytes, offset: int, a: int, b: int) -> tuple[int, int]:
    """Two 64-bit words from 32 bytes at ``offset`` and two seeds."""
    w, x = _fetch64(data, offset), _fetch64(data, offset + 8)
    y, z = _fetch64(data, offset + 16), _fetch64(data, offset + 24)
    a = (a + w) & _MASK
    b = _rotate((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotate(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def fingerprint64(data: bytes) -> int:
    """FarmHash's 64-bit fingerprint of ``data`` as an unsigned Python int.

    Example:
        >>> fingerprint64(b"")
        11160318154034397263
    """
    length = len(data)
    if length <= 16:
        return _hash_len0to16(data, length)
    if length <= 32:
        return _hash_len17to32(data, length)
    if length <= 64:
        return _hash_len33to64(data, length)
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    v0 = v1 = w0 = w1 = 0
    x = (x * _K2 + _fetch64(data, 0)) & _MASK
    end = ((length - 1) // 64) * 64
    last64 = end + ((length - 1) & 63) - 63
    s = 0
    while True:  # every whole 64-byte block but the last
        x = (_rotate((x + y + v0 + _fetch64(data, s + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotate((y + v1 + _fetch64(data, s + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w1
        y = (y + v0 + _fetch64(data, s + 40)) & _MASK
        z = (_rotate((z + w0) & _MASK, 33) * _K1) & _MASK
        v0, v1 = _weak_hash32(data, s, (v1 * _K1) & _MASK, (x + w0) & _MASK)
        w0, w1 = _weak_hash32(data, s + 32, (z + w1) & _MASK, (y + _fetch64(data, s + 16)) & _MASK)
        z, x = x, z
        s += 64
        if s == end:
            break
    mul = (_K1 + ((z & 0xFF) << 1)) & _MASK
    s = last64  # the last 64 bytes, overlapping the previous block when the length is not a multiple
    w0 = (w0 + ((length - 1) & 63)) & _MASK
    v0 = (v0 + w0) & _MASK
    w0 = (w0 + v0) & _MASK
    x = (_rotate((x + y + v0 + _fetch64(data, s + 8)) & _MASK, 37) * mul) & _MASK
    y = (_rotate((y + v1 + _fetch64(data, s + 48)) & _MASK, 42) * mul) & _MASK
    x ^= (w1 * 9) & _MASK
    y = (y + v0 * 9 + _fetch64(data, s + 40)) & _MASK
    z = (_rotate((z + w0) & _MASK, 33) * mul) & _MASK
    v0, v1 = _weak_hash32(data, s, (v1 * mul) & _MASK, (x + w0) & _MASK)
    w0, w1 = _weak_hash32(data, s + 32, (z + w1) & _MASK, (y + _fetch64(data, s + 16)) & _MASK)
    z, x = x, z
    return _hash_len16((_hash_len16(v0, w0, mul) + _shift_mix(y) * _K0 + z) & _MASK,
                       (_hash_len16(v1, w1, mul) + x) & _MASK, mul)


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK


def siphash64(data: bytes, key: tuple[int, int]) -> int:
    """SipHash-2-4 of ``data`` keyed with two 64-bit words, as an unsigned Python int.

    Example:
        >>> hex(siphash64(bytes(range(15)), (0x0706050403020100, 0x0F0E0D0C0B0A0908)))  # the paper's vector
        '0xa129ca6149be45e5'
    """
    k0, k1 = key[0] & _MASK, key[1] & _MASK
    v0, v1 = k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D
    v2, v3 = k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573

    def rounds(n: int) -> None:
        nonlocal v0, v1, v2, v3
        for _ in range(n):
            v0 = (v0 + v1) & _MASK
            v1 = _rotl(v1, 13) ^ v0
            v0 = _rotl(v0, 32)
            v2 = (v2 + v3) & _MASK
            v3 = _rotl(v3, 16) ^ v2
            v0 = (v0 + v3) & _MASK
            v3 = _rotl(v3, 21) ^ v0
            v2 = (v2 + v1) & _MASK
            v1 = _rotl(v1, 17) ^ v2
            v2 = _rotl(v2, 32)

    length = len(data)
    whole = length - length % 8
    for offset in range(0, whole, 8):
        m = _fetch64(data, offset)
        v3 ^= m
        rounds(2)
        v0 ^= m
    last = int.from_bytes(data[whole:], "little") | ((length & 0xFF) << 56)
    v3 ^= last
    rounds(2)
    v0 ^= last
    v2 ^= 0xFF
    rounds(4)
    return v0 ^ v1 ^ v2 ^ v3


def hash_to_bins(values: Iterable[bytes], num_bins: int, salt: tuple[int, int] | None = None) -> np.ndarray:
    """The bucket in ``[0, num_bins)`` of each byte string: FarmHash fingerprint modulo ``num_bins``,
    or SipHash keyed with ``salt`` when it is given. Each distinct value is hashed once.

    Example:
        >>> hash_to_bins([b"a", b"b", b"a"], 3).tolist()
        [0, 1, 0]
    """
    memo: dict[bytes, int] = {}
    out = []
    for value in values:
        bucket = memo.get(value)
        if bucket is None:
            digest = fingerprint64(value) if salt is None else siphash64(value, salt)
            bucket = memo[value] = digest % num_bins
        out.append(bucket)
    return np.asarray(out, dtype=np.int64)
