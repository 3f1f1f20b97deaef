"""Candidate pairs for near-duplicate verification: MinHash LSH bands, grouped by band key.

Why MinHash and not bands of a simhash. Near-duplicates sit up to 16-20 bits apart on a 64-bit
character-3-gram simhash while unrelated documents of one language start near 11 bits. A simhash bit
is a random hyperplane, so a pair at angle θ disagrees on a bit with probability θ/π: up to 0.24 for
near-duplicates on the dev set and 0.33-0.45 for unrelated documents. Banding cannot separate such
close probabilities: at 99% pair recall (16-bit bands, 64 of them) an unrelated pair still meets with
probability 0.01, thousands of candidate pairs per document at 1M documents. The Jaccard similarity
of character 5-gram sets separates the same pairs widely (dev set: copies ≥ 0.55, 99% of them ≥ 0.6;
unrelated documents 0.013 on average), so LSH over MinHash signatures with 32 bands of 5 rows reaches
≥ 99.7% pair recall while an unrelated pair meets with probability ~5e-6: candidate pairs grow with
the duplicates, near-linearly in the corpus (bench/near_quality.py measures both). The 64-bit simhash
distance then serves as a cheap filter before the texts are compared (`filters.tiling`).

MinHash: datasketch 2.0.0's default "affine32" permutation scheme, vectorised over a whole batch: a
feature's 32-bit hash h is pre-mixed with MurmurHash3's fmix32, then permutation k maps it to
a_k·h + b_k mod 2**32 (a_k odd), with (a, b) drawn as datasketch draws them from
``np.random.RandomState(seed)``. Given our feature hash as its ``hashfunc``, datasketch's
``MinHash(num_perm, seed)`` gives the same signature (tested). A feature is a character n-gram of
the matching form, hashed by `filters.simhash.ngram_keys` and splitmix64 (low 32 bits).

Banding: b bands of r rows; a band's key is a 64-bit hash of its r values and the band number, so
texts that agree on all r values of a band share a key. Grouping rows by key (a shuffle in Beam)
and pairing the members of each group gives the candidates. A hot key (boilerplate, near-empty
texts) is capped: a group larger than `max_group` pairs each member only with its `window`
neighbours in fingerprint order, and the pairs left out are counted.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from filters.buffers import string_buffers
from filters.simhash import decode_code_points, mix64, ngram_keys

_MASK32 = np.uint64(0xFFFFFFFF)
EMPTY_HASH = np.uint32(0xFFFFFFFF)  # a signature value no feature reached (datasketch's empty value)


def permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) uint32 arrays of datasketch 2.0.0's affine32 scheme for (num_perm, seed)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


@numba.njit(cache=True, nogil=True)
def _fmix32(h):
    """MurmurHash3's 32-bit finaliser, on a uint64 holding 32 bits (numba widens uint32 products)."""
    h = h ^ (h >> np.uint64(16))
    h = (h * np.uint64(0x85EBCA6B)) & _MASK32
    h = h ^ (h >> np.uint64(13))
    h = (h * np.uint64(0xC2B2AE35)) & _MASK32
    return h ^ (h >> np.uint64(16))


@numba.njit(cache=True, nogil=True)
def _batch_minhash(offsets, data, ngram, perm_a, perm_b, out, feature_counts):
    rows = offsets.shape[0] - 1
    num_perm = perm_a.shape[0]
    longest = 0
    for row in range(rows):
        longest = max(longest, offsets[row + 1] - offsets[row])
    cps = np.empty(longest + 1, dtype=np.int64)
    byte_starts = np.empty(longest + 2, dtype=np.int64)
    keys = np.empty(longest + 1, dtype=np.uint64)
    signature = np.empty(num_perm, dtype=np.uint32)
    for row in range(rows):
        n_chars = decode_code_points(data, offsets[row], offsets[row + 1], cps, byte_starts)
        if n_chars == 0:
            out[row, :] = EMPTY_HASH
            feature_counts[row] = 0
            continue
        n_keys = ngram_keys(cps, n_chars, ngram, keys)
        feature_counts[row] = n_keys
        signature[:] = EMPTY_HASH
        for f in range(n_keys):
            h = np.uint32(_fmix32(mix64(keys[f]) & _MASK32))
            for p in range(num_perm):
                # uint32 arithmetic wraps mod 2**32 and vectorises (8 lanes with AVX2)
                signature[p] = min(signature[p], np.uint32(perm_a[p] * h + perm_b[p]))
        out[row, :] = signature


def minhash_signatures(
    texts: pa.Array | pa.ChunkedArray, num_perm: int = 112, ngram: int = 5, seed: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """(signatures uint32 (rows, num_perm), feature counts int64 (rows,)) of texts in matching form.

    An empty text has no feature: its signature is all EMPTY_HASH and its count 0 (such rows should
    get no band keys). A text shorter than `ngram` is one feature, the whole text.
    """
    offsets, data, _ = string_buffers(texts)
    rows = len(offsets) - 1
    out = np.empty((rows, num_perm), dtype=np.uint32)
    counts = np.zeros(rows, dtype=np.int64)
    if rows:
        perm_a, perm_b = permutations(num_perm, seed)
        _batch_minhash(offsets, data, ngram, perm_a, perm_b, out, counts)
    return out, counts


def feature_hash_py(feature: bytes) -> int:
    """The 32-bit hash the MinHash kernel gives one feature (UTF-8 bytes): a datasketch ``hashfunc``."""
    from filters.simhash import _mix64_py, ngram_key_py

    return _mix64_py(ngram_key_py(feature.decode("utf-8"))) & 0xFFFFFFFF


@numba.njit(cache=True, nogil=True)
def _band_keys(signatures, selected, bands, rows_per_band, out_row, out_band, out_key):
    n = 0
    for i in range(selected.shape[0]):
        row = selected[i]
        for band in range(bands):
            key = mix64(np.uint64(band + 1) * np.uint64(0x9E3779B97F4A7C15))
            for r in range(rows_per_band):
                key = mix64(key ^ np.uint64(signatures[row, band * rows_per_band + r]))
            out_row[n] = row
            out_band[n] = band
            out_key[n] = key
            n += 1


def band_keys(
    signatures: np.ndarray, bands: int, rows: int, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row index int64, band number int32, band key uint64) for every selected row and band.

    `signatures` is (rows, num_perm) from `minhash_signatures` (uint32) or fingerprint words (uint64,
    then a "row" of a band is one 64-bit word). bands * rows must not exceed the signature width.
    Rows where `mask` is False get no keys (default: rows whose signature is all EMPTY_HASH, i.e.
    empty texts, which would otherwise all share every key).
    """
    if bands * rows > signatures.shape[1]:
        raise ValueError(f"{bands} bands x {rows} rows need {bands * rows} signature values; have {signatures.shape[1]}")
    if mask is None:
        mask = ~np.all(signatures == signatures.dtype.type(np.iinfo(signatures.dtype).max), axis=1)
    selected = np.flatnonzero(mask).astype(np.int64)
    total = len(selected) * bands
    out_row = np.empty(total, dtype=np.int64)
    out_band = np.empty(total, dtype=np.int32)
    out_key = np.empty(total, dtype=np.uint64)
    if total:
        _band_keys(np.ascontiguousarray(signatures), selected, bands, rows, out_row, out_band, out_key)
    return out_row, out_band, out_key


def simhash_band_keys(
    fingerprints: np.ndarray, bands: int, bits: int, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random-hyperplane LSH over a wide simhash: band j is bits [j*bits, (j+1)*bits) of the fingerprint.

    The alternative candidate source (`near.method: simhash`); same output as `band_keys`.
    """
    words = fingerprints.shape[1]
    if bands * bits > 64 * words or not 1 <= bits <= 64:
        raise ValueError(f"{bands} bands of {bits} bits do not fit {64 * words} fingerprint bits")
    rows = fingerprints.shape[0]
    selected = np.flatnonzero(np.ones(rows, bool) if mask is None else mask)
    values = np.empty((rows, bands), dtype=np.uint64)
    for band in range(bands):
        first = band * bits
        word, shift = divmod(first, 64)
        value = fingerprints[:, word] >> np.uint64(shift)
        if shift + bits > 64:
            value |= fingerprints[:, word + 1] << np.uint64(64 - shift)
        if bits < 64:
            value &= np.uint64((1 << bits) - 1)
        values[:, band] = value
    return band_keys(values, bands, 1, mask=np.isin(np.arange(rows), selected))


@numba.njit(cache=True, nogil=True)
def _grouped_pairs(members, starts, max_group, window, out_left, out_right):
    """Pairs of every group members[starts[g]:starts[g+1]]; with out_left empty, only counts them.

    Returns (pairs written or counted, pairs skipped in capped groups).
    """
    n = 0
    skipped = 0
    fill = out_left.shape[0] > 0
    for g in range(starts.shape[0] - 1):
        first = starts[g]
        size = starts[g + 1] - first
        reach = size if size <= max_group else window + 1
        emitted = 0
        for i in range(size):
            for j in range(i + 1, min(size, i + reach)):
                if fill:
                    a = members[first + i]
                    b = members[first + j]
                    out_left[n] = min(a, b)
                    out_right[n] = max(a, b)
                n += 1
                emitted += 1
        skipped += size * (size - 1) // 2 - emitted
    return n, skipped


def _pairs_of_groups(members, starts, max_group, window):
    empty = np.empty(0, dtype=np.int64)
    count, skipped = _grouped_pairs(members, starts, max_group, window, empty, empty)
    left = np.empty(count, dtype=np.int64)
    right = np.empty(count, dtype=np.int64)
    if count:
        _grouped_pairs(members, starts, max_group, window, left, right)
    return left, right, int(skipped)


def pairs_in_group(
    members: np.ndarray, sort_keys: np.ndarray | None = None, max_group: int = 200, window: int = 20
) -> tuple[np.ndarray, np.ndarray, int]:
    """Candidate pairs among the rows (distinct int64 ids) that share one band key: (left, right, skipped).

    Up to `max_group` members every pair is a candidate. A larger (hot) group is sorted by
    (`sort_keys`, member), e.g. by 64-bit simhash, and each member is paired with its next `window`
    members only; `skipped` is how many of the group's pairs were left out. Pairs come out with
    left < right, each once (the same pair may also come from another band: see `unique_pairs`).
    """
    members = np.asarray(members, dtype=np.int64)
    if len(members) > max_group:
        members = members[np.lexsort((members,) if sort_keys is None else (members, np.asarray(sort_keys)))]
    return _pairs_of_groups(members, np.array([0, len(members)], dtype=np.int64), max_group, window)


def unique_pairs(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (min, max) pairs of non-negative ids, sorted."""
    lo = np.minimum(left, right).astype(np.int64)
    hi = np.maximum(left, right).astype(np.int64)
    keep = lo != hi
    lo, hi = lo[keep], hi[keep]
    if len(hi) and hi.max() < (1 << 31):
        # sort and compare: numpy 2.4's hash-based np.unique is pathologically slow on packed pairs
        packed = np.sort((lo << 32) | hi)
        packed = packed[np.r_[True, packed[1:] != packed[:-1]]]
        return packed >> 32, packed & 0xFFFFFFFF
    order = np.lexsort((hi, lo))
    lo, hi = lo[order], hi[order]
    first = np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])] if len(lo) else np.empty(0, bool)
    return lo[first], hi[first]


def candidate_pairs(
    rows: np.ndarray, bands: np.ndarray, keys: np.ndarray, sort_keys: np.ndarray | None = None,
    max_group: int = 200, window: int = 20,
) -> tuple[np.ndarray, np.ndarray, int]:
    """All distinct candidate pairs from band keys held in memory: (left, right, skipped).

    What the Beam stage does with a shuffle by band key, for a local run, tests and the dev set.
    `sort_keys` (indexed by row) orders the members of hot groups.
    """
    rows = np.asarray(rows, dtype=np.int64)
    columns = (rows,) if sort_keys is None else (rows, np.asarray(sort_keys)[rows])
    order = np.lexsort(columns + (keys, bands))
    rows, bands, keys = rows[order], bands[order], keys[order]
    boundary = np.r_[True, (keys[1:] != keys[:-1]) | (bands[1:] != bands[:-1])] if len(rows) else np.empty(0, bool)
    starts = np.r_[np.flatnonzero(boundary), len(rows)].astype(np.int64)
    left, right, skipped = _pairs_of_groups(rows, starts, max_group, window)
    if len(left):
        left, right = unique_pairs(left, right)
    return left, right, skipped
