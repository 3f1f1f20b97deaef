"""Sequence simhash fingerprints of a whole Arrow batch in one compiled pass.

A text's features are its character n-grams (code points, so a CJK character is one unit and no
word segmenter is needed), taken over the matching form (`filters.near_text.matching_form`). A text
shorter than n is one feature, the whole text (the empty text too), as the `simhash` package does.
Each feature hashes to `width` bits; bit j of the fingerprint is set when more than half of the
feature weight has bit j set (Charikar 2002; Manku et al. 2007). Weighting: ``count`` (every
occurrence counts, the `simhash` package's default) or ``binary`` (each distinct n-gram once).

Two hash modes:

- ``fast``: a 64-bit polynomial hash of the n-gram's code points, then one splitmix64 finaliser per
  64-bit word with that word's seed, so a wide fingerprint is several independent 64-bit simhashes.
- ``compat``: MD5 of the n-gram's UTF-8 bytes, as the `simhash` package (2.1.2) hashes features; with
  width 64 (or 128) the fingerprint equals ``Simhash(features, f=width).value`` exactly.

A fingerprint is a uint64 row of ``width // 64`` words; word k holds bits 64k..64k+63 of the value.
Counting uses byte lanes (8 additions per 64-bit hash instead of 64), flushed every 255 features.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import pyarrow as pa

from filters.buffers import code_point_at, string_buffers

WEIGHTINGS = ("count", "binary")
MODES = ("fast", "compat")

NGRAM_BASE = np.uint64(0x9E3779B97F4A7C15)
_MASK32 = np.uint64(0xFFFFFFFF)
_LANES = np.uint64(0x0101010101010101)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_MD5_K = np.array([int(abs(math.sin(i + 1)) * 2**32) & 0xFFFFFFFF for i in range(64)], dtype=np.uint64)
_MD5_S = np.array([7, 12, 17, 22] * 4 + [5, 9, 14, 20] * 4 + [4, 11, 16, 23] * 4 + [6, 10, 15, 21] * 4, dtype=np.uint64)


@numba.njit(cache=True, nogil=True)
def mix64(z):
    """splitmix64's finaliser: a bijection of uint64 with full avalanche."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@numba.njit(cache=True, nogil=True)
def decode_code_points(data, start, end, cps, byte_starts):
    """Decode UTF-8 data[start:end] into cps; byte_starts[i] is where code point i begins. Returns the count."""
    n = 0
    i = start
    while i < end:
        byte_starts[n] = i
        cp, width = code_point_at(data, i)
        i += width
        cps[n] = cp
        n += 1
    byte_starts[n] = end
    return n


@numba.njit(cache=True, nogil=True)
def ngram_keys(cps, n_chars, ngram, keys):
    """Polynomial hash of every character n-gram of cps[:n_chars] into keys; returns how many.

    key = sum((cp + 1) * BASE**(n - 1 - i)) mod 2**64. A text shorter than ngram gives one key, that
    of the whole text (0 for the empty text).
    """
    if n_chars < ngram:
        key = np.uint64(0)
        for i in range(n_chars):
            key = key * NGRAM_BASE + np.uint64(cps[i] + 1)
        keys[0] = key
        return 1
    base_pow = np.uint64(1)
    for _ in range(ngram):
        base_pow = base_pow * NGRAM_BASE
    key = np.uint64(0)
    count = 0
    for i in range(n_chars):
        key = key * NGRAM_BASE + np.uint64(cps[i] + 1)
        if i >= ngram:
            key = key - np.uint64(cps[i - ngram] + 1) * base_pow
        if i >= ngram - 1:
            keys[count] = key
            count += 1
    return count


@numba.njit(cache=True, nogil=True)
def distinct_in_place(keys, n, keep):
    """Mark keep[i] = True for the first occurrence of every distinct key among keys[:n]; returns the count."""
    size = 4
    while size < 2 * n:
        size *= 2
    mask = np.uint64(size - 1)
    slots = np.zeros(size, dtype=np.uint64)
    used = np.zeros(size, dtype=np.bool_)
    distinct = 0
    for k in range(n):
        key = keys[k]
        slot = mix64(key) & mask
        while True:
            if not used[slot]:
                used[slot] = True
                slots[slot] = key
                keep[k] = True
                distinct += 1
                break
            if slots[slot] == key:
                keep[k] = False
                break
            slot = (slot + np.uint64(1)) & mask
    return distinct


@numba.njit(cache=True, nogil=True)
def _rotl32(x, s):
    return ((x << s) | (x >> (np.uint64(32) - s))) & _MASK32


@numba.njit(cache=True, nogil=True)
def _bswap32(x):
    return (
        ((x & np.uint64(0xFF)) << np.uint64(24))
        | ((x & np.uint64(0xFF00)) << np.uint64(8))
        | ((x >> np.uint64(8)) & np.uint64(0xFF00))
        | ((x >> np.uint64(24)) & np.uint64(0xFF))
    )


@numba.njit(cache=True, nogil=True)
def md5_words(data, start, end, k_table, s_table, block):
    """MD5 of data[start:end] as two big-endian uint64: (digest bytes 0-7, digest bytes 8-15)."""
    n = end - start
    total = ((n + 9 + 63) // 64) * 64
    bit_length = np.uint64(n) * np.uint64(8)
    a0 = np.uint64(0x67452301)
    b0 = np.uint64(0xEFCDAB89)
    c0 = np.uint64(0x98BADCFE)
    d0 = np.uint64(0x10325476)
    for base in range(0, total, 64):
        for w in range(16):
            word = np.uint64(0)
            for byte in range(4):
                pos = base + 4 * w + byte
                if pos < n:
                    v = np.uint64(data[start + pos])
                elif pos == n:
                    v = np.uint64(0x80)
                elif pos >= total - 8:
                    v = (bit_length >> np.uint64(8 * (pos - (total - 8)))) & np.uint64(0xFF)
                else:
                    v = np.uint64(0)
                word |= v << np.uint64(8 * byte)
            block[w] = word
        a = a0
        b = b0
        c = c0
        d = d0
        for i in range(64):
            if i < 16:
                f = (b & c) | ((~b & _MASK32) & d)
                g = i
            elif i < 32:
                f = (d & b) | ((~d & _MASK32) & c)
                g = (5 * i + 1) % 16
            elif i < 48:
                f = b ^ c ^ d
                g = (3 * i + 5) % 16
            else:
                f = c ^ (b | (~d & _MASK32))
                g = (7 * i) % 16
            f = (f + a + k_table[i] + block[g]) & _MASK32
            a = d
            d = c
            c = b
            b = (b + _rotl32(f, s_table[i])) & _MASK32
        a0 = (a0 + a) & _MASK32
        b0 = (b0 + b) & _MASK32
        c0 = (c0 + c) & _MASK32
        d0 = (d0 + d) & _MASK32
    high = (_bswap32(a0) << np.uint64(32)) | _bswap32(b0)
    low = (_bswap32(c0) << np.uint64(32)) | _bswap32(d0)
    return high, low


@numba.njit(cache=True, nogil=True)
def _flush_lanes(lanes, counts):
    words = lanes.shape[0]
    for k in range(words):
        for o in range(8):
            packed = lanes[k, o]
            if packed:
                for lane in range(8):
                    counts[k * 64 + lane * 8 + o] += np.int64((packed >> np.uint64(8 * lane)) & np.uint64(0xFF))
            lanes[k, o] = np.uint64(0)


@numba.njit(cache=True, nogil=True)
def _batch_simhash(offsets, data, ngram, seeds, compat, binary, k_table, s_table, out):
    rows = offsets.shape[0] - 1
    words = seeds.shape[0]
    longest = 0
    for row in range(rows):
        longest = max(longest, offsets[row + 1] - offsets[row])
    cps = np.empty(longest + 1, dtype=np.int64)
    byte_starts = np.empty(longest + 2, dtype=np.int64)
    keys = np.empty(longest + 1, dtype=np.uint64)
    keep = np.ones(longest + 1, dtype=np.bool_)
    lanes = np.zeros((words, 8), dtype=np.uint64)
    counts = np.zeros(words * 64, dtype=np.int64)
    block = np.empty(16, dtype=np.uint64)
    hashes = np.empty(words, dtype=np.uint64)
    for row in range(rows):
        n_chars = decode_code_points(data, offsets[row], offsets[row + 1], cps, byte_starts)
        n_keys = ngram_keys(cps, n_chars, ngram, keys)
        span = min(ngram, n_chars)
        if binary:
            distinct_in_place(keys, n_keys, keep)
        counts[:] = 0
        total = 0
        pending = 0
        for f in range(n_keys):
            if binary and not keep[f]:
                continue
            if compat:
                high, low = md5_words(data, byte_starts[f], byte_starts[f + span], k_table, s_table, block)
                hashes[0] = low
                if words > 1:
                    hashes[1] = high
            else:
                for k in range(words):
                    hashes[k] = mix64(keys[f] ^ seeds[k])
            for k in range(words):
                h = hashes[k]
                for o in range(8):
                    lanes[k, o] += (h >> np.uint64(o)) & _LANES
            total += 1
            pending += 1
            if pending == 255:
                _flush_lanes(lanes, counts)
                pending = 0
        _flush_lanes(lanes, counts)
        for k in range(words):
            value = np.uint64(0)
            for bit in range(64):
                if 2 * counts[k * 64 + bit] > total:
                    value |= np.uint64(1) << np.uint64(bit)
            out[row, k] = value
        if binary:
            keep[:n_keys] = True


def word_seeds(words: int, seed: int = 0) -> np.ndarray:
    """The per-word seeds of fast mode: distinct, well mixed, fixed by (words, seed)."""
    return np.array([_mix64_py((seed << 16) + k + 1) for k in range(words)], dtype=np.uint64)


def _mix64_py(z: int) -> int:
    mask = (1 << 64) - 1
    z &= mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return z ^ (z >> 31)


def fingerprints(
    texts: pa.Array | pa.ChunkedArray,
    ngram: int = 3,
    width: int = 64,
    weighting: str = "count",
    mode: str = "fast",
    seed: int = 0,
) -> np.ndarray:
    """Simhash fingerprints of every text (nulls as empty), shape (rows, width // 64), uint64.

    Texts should already be in matching form. ``mode="compat"`` needs width 64 or 128 and then
    reproduces the `simhash` package for the same features (the character n-grams).
    """
    if ngram < 1:
        raise ValueError("ngram must be at least 1")
    if width < 64 or width % 64:
        raise ValueError("width must be a positive multiple of 64")
    if weighting not in WEIGHTINGS:
        raise ValueError(f"weighting must be one of {WEIGHTINGS}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if mode == "compat" and width > 128:
        raise ValueError("compat mode (MD5 features) gives at most 128 bits")
    words = width // 64
    offsets, data, _ = string_buffers(texts)
    out = np.zeros((len(offsets) - 1, words), dtype=np.uint64)
    if len(out):
        _batch_simhash(
            offsets, data, ngram, word_seeds(words, seed), mode == "compat", weighting == "binary", _MD5_K, _MD5_S, out
        )
    return out


def hamming_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bits that differ between fingerprint rows a[i] and b[i] (shape (rows, words) or (rows,))."""
    diff = np.bitwise_count(np.bitwise_xor(a, b))
    return diff.sum(axis=-1, dtype=np.int64) if diff.ndim > 1 else diff.astype(np.int64)


def ngram_key_py(gram: str) -> int:
    """Pure-Python `ngram_keys` value of one n-gram (a reference for tests and for hash functions)."""
    key = 0
    for ch in gram:
        key = (key * int(NGRAM_BASE) + ord(ch) + 1) & ((1 << 64) - 1)
    return key


def ngrams_py(text: str, ngram: int) -> list[str]:
    """The features `fingerprints` uses for one text, in order (the `simhash` package's sliding window)."""
    return [text[i:i + ngram] for i in range(max(len(text) - ngram + 1, 1))]
