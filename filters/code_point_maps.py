"""Per-code-point tables of Arrow's own text functions, applied to whole string arrays by numba kernels.

Arrow's NFKD and its RE2 character-class removal cost 20 and 50 µs on a 1,200-character text, most of
the matching form's time. Both are, almost everywhere, a map of each code point on its own, so they
are tabulated once per process by running Arrow on every code point below `TABLE_LIMIT` as a
one-character string, and a kernel then maps a whole array in one pass over its UTF-8 bytes.

Where a map is not per code point the kernels do not guess: NFKD reorders runs of combining marks,
so a text whose decomposition holds two marks in a row, or any code point outside the tables, is
reported back to the caller, which gives those few texts to Arrow itself. The tables come from the
very functions they replace, so a kernel's output is Arrow's, byte for byte (tests compare both on
random text from every script).
"""

from __future__ import annotations

import functools

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from filters.buffers import code_point_at, string_buffers

TABLE_LIMIT = 0x40000  # planes 0-3: every script, CJK extensions B-H; rarer planes take Arrow's path
_SURROGATES = (0xD800, 0xE000)
# NFKD flags of a code point
_CHANGED, _FIRST_MARK, _LAST_MARK, _COMPLEX, _HAN = 1, 2, 4, 8, 16


@numba.njit(cache=True, nogil=True)
def _encoded_code_points(limit):
    """UTF-8 offsets and bytes of every code point below limit as its own string (surrogates empty)."""
    offsets = np.zeros(limit + 1, dtype=np.int32)
    data = np.empty(limit * 4, dtype=np.uint8)
    at = 0
    for cp in range(limit):
        if not (0xD800 <= cp < 0xE000):
            at += _put_utf8(data, at, cp)
        offsets[cp + 1] = at
    return offsets, data[:at]


@numba.njit(cache=True, nogil=True, inline="always")
def _put_utf8(out, at, cp):
    if cp < 0x80:
        out[at] = cp
        return 1
    if cp < 0x800:
        out[at] = 0xC0 | (cp >> 6)
        out[at + 1] = 0x80 | (cp & 0x3F)
        return 2
    if cp < 0x10000:
        out[at] = 0xE0 | (cp >> 12)
        out[at + 1] = 0x80 | ((cp >> 6) & 0x3F)
        out[at + 2] = 0x80 | (cp & 0x3F)
        return 3
    out[at] = 0xF0 | (cp >> 18)
    out[at + 1] = 0x80 | ((cp >> 12) & 0x3F)
    out[at + 2] = 0x80 | ((cp >> 6) & 0x3F)
    out[at + 3] = 0x80 | (cp & 0x3F)
    return 4


def _utf8_lengths(cps: np.ndarray) -> np.ndarray:
    return 1 + (cps >= 0x80) + (cps >= 0x800) + (cps >= 0x10000)


@numba.njit(cache=True, nogil=True)
def _first_code_points(offsets, data):
    """The first code point of every string (-2 for an empty one)."""
    out = np.full(offsets.shape[0] - 1, -2, dtype=np.int32)
    for t in range(out.shape[0]):
        if offsets[t + 1] > offsets[t]:
            out[t] = code_point_at(data, offsets[t])[0]
    return out


def _matches(singles: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(singles, pattern).to_numpy(zero_copy_only=False)


class Tables:
    """What Arrow does to each code point below TABLE_LIMIT (surrogates are never in valid UTF-8)."""

    def __init__(self):
        offsets, data = _encoded_code_points(TABLE_LIMIT)
        self.singles = pa.StringArray.from_buffers(TABLE_LIMIT, pa.py_buffer(offsets), pa.py_buffer(data))
        # NFKD of each code point: identity, or a replacement spliced in as bytes
        nfkd = pc.utf8_normalize(self.singles, form="NFKD")
        changed = pc.not_equal(nfkd, self.singles).to_numpy(zero_copy_only=False)
        changed[_SURROGATES[0]:_SURROGATES[1]] = False
        rep_offsets, rep_data, _ = string_buffers(nfkd)
        self.nfkd_start = rep_offsets[:-1].copy()
        self.nfkd_stop = np.where(changed, rep_offsets[1:], rep_offsets[:-1])  # empty range: unchanged
        self.nfkd_data = rep_data
        mark = _matches(self.singles, r"^\p{M}$")
        self.han = _matches(self.singles, r"^\p{Han}$")  # every Han code point lies below TABLE_LIMIT
        # a replacement's marks: its first and last code point, and whether it holds two in a row
        first_mark, last_mark, has_han = mark.copy(), mark.copy(), self.han.copy()
        inner_marks = np.zeros(TABLE_LIMIT, dtype=np.bool_)
        for cp in np.flatnonzero(changed):
            parts = [ord(c) for c in nfkd[int(cp)].as_py()]
            marks = [p < TABLE_LIMIT and bool(mark[p]) for p in parts]
            first_mark[cp] = bool(marks[0]) if parts else False
            last_mark[cp] = bool(marks[-1]) if parts else False
            inner_marks[cp] = any(x and y for x, y in zip(marks, marks[1:])) or any(p >= TABLE_LIMIT for p in parts)
            has_han[cp] = any(p < TABLE_LIMIT and bool(self.han[p]) for p in parts)
        self.nfkd_flags = (changed * _CHANGED | first_mark * _FIRST_MARK | last_mark * _LAST_MARK
                           | inner_marks * _COMPLEX | has_han * _HAN).astype(np.uint8)
        lower = pc.utf8_lower(self.singles)
        single = pc.equal(pc.utf8_length(lower), 1).to_numpy(zero_copy_only=False)
        self.lower = np.where(single, _first_code_points(*string_buffers(lower)[:2]), -2).astype(np.int32)
        # Python's str.isspace (what str.split() splits on): no such code point lies above U+3000
        self.space = np.zeros(TABLE_LIMIT, dtype=np.bool_)
        self.space[:0x3001] = [chr(cp).isspace() for cp in range(0x3001)]

    def fold(self, removal_pattern: str) -> np.ndarray:
        """Lower case, then the removal class, as one map: -1 removes, -2 is not tabulated."""
        removable = _matches(self.singles, removal_pattern)
        in_range = (self.lower >= 0) & (self.lower < TABLE_LIMIT)
        fold = np.where(in_range, self.lower, -2).astype(np.int32)
        fold[in_range & removable[np.clip(self.lower, 0, TABLE_LIMIT - 1)]] = -1
        fold[_SURROGATES[0]:_SURROGATES[1]] = -2
        grows = _utf8_lengths(fold) > 2 * _utf8_lengths(np.arange(TABLE_LIMIT))
        fold[grows & (fold >= 0)] = -2  # the kernel reserves twice a text's bytes
        return fold


@functools.cache
def tables() -> Tables:
    """The tables, built once per process (a few tenths of a second)."""
    return Tables()


@functools.cache
def fold_table(removal_pattern: str) -> np.ndarray:
    return tables().fold(removal_pattern)


# ---------------------------------------------------------------- Han, whitespace


@numba.njit(cache=True, nogil=True)
def _any_in_table(offsets, data, table):
    out = np.zeros(offsets.shape[0] - 1, dtype=np.bool_)
    for t in range(out.shape[0]):
        i = offsets[t]
        while i < offsets[t + 1]:
            if data[i] < 0x80:
                if table[data[i]]:
                    out[t] = True
                    break
                i += 1
                continue
            cp, width = code_point_at(data, i)
            i += width
            if cp < TABLE_LIMIT and table[cp]:
                out[t] = True
                break
    return out


def holds_any(values: pa.Array, table: np.ndarray) -> np.ndarray:
    """Whether each text holds a code point the table (TABLE_LIMIT long) marks; nulls hold none."""
    offsets, data, valid = string_buffers(values)
    return _any_in_table(offsets, data, table) & valid


def holds_han(values: pa.Array) -> np.ndarray:
    """Whether each text holds a Han character (as RE2's \\p{Han}); nulls hold none."""
    return holds_any(values, tables().han)


@numba.njit(cache=True, nogil=True)
def _collapse_kernel(offsets, data, space, out, out_offsets):
    at = 0
    for t in range(offsets.shape[0] - 1):
        pending = False  # a space run seen since the last word
        i = offsets[t]
        begin = at
        while i < offsets[t + 1]:
            b = data[i]
            if b < 0x80:
                cp, width = np.int64(b), 1
            else:
                cp, width = code_point_at(data, i)
            if cp < TABLE_LIMIT and space[cp]:
                pending = True
            else:
                if pending and at > begin:
                    out[at] = 0x20
                    at += 1
                pending = False
                for j in range(width):
                    out[at + j] = data[i + j]
                at += width
            i += width
        out_offsets[t + 1] = at


def collapse_whitespace(values: pa.Array) -> pa.Array:
    """" ".join(text.split()) of every text of a null-free string array."""
    offsets, data, _ = string_buffers(values)
    n = len(values)
    out = np.empty(int(offsets[-1] - offsets[0]) + 1, dtype=np.uint8)
    out_offsets = np.zeros(n + 1, dtype=np.int64)
    _collapse_kernel(offsets, data, tables().space, out, out_offsets)
    return _string_array(out_offsets, out[: out_offsets[n]])


# ---------------------------------------------------------------- NFKD


@numba.njit(cache=True, nogil=True)
def _nfkd_kernel(offsets, data, flags, start, stop, rep_data, first, out, out_offsets, complex_, han):
    """NFKD of texts first.. into out, from out_offsets[first]; a complex text's output is left empty.
    Returns the text it stopped at: n when done, else one that did not fit (grow out, and go on from it)."""
    n = offsets.shape[0] - 1
    capacity = out.shape[0]
    at = out_offsets[first]
    for t in range(first, n):
        begin = at
        previous_mark = False
        any_han = False
        i = offsets[t]
        end = offsets[t + 1]
        if at + end - i > capacity:
            return t
        while i < end:
            b = data[i]
            if b < 0x80:  # ASCII: never decomposed, never a mark
                out[at] = b
                at += 1
                i += 1
                previous_mark = False
                continue
            cp, width = code_point_at(data, i)
            f = flags[cp] if cp < TABLE_LIMIT else _COMPLEX
            if (f & _COMPLEX) or (previous_mark and (f & _FIRST_MARK)):
                complex_[t] = True
                break
            if f & _CHANGED:
                size = stop[cp] - start[cp]
                if at + size + end - i > capacity:
                    return t
                for j in range(size):
                    out[at + j] = rep_data[start[cp] + j]
                at += size
            else:
                for j in range(width):
                    out[at + j] = data[i + j]
                at += width
            i += width
            previous_mark = (f & _LAST_MARK) != 0
            any_han |= (f & _HAN) != 0
        if complex_[t]:
            at = begin
        han[t] = any_han
        out_offsets[t + 1] = at
    return n


def nfkd(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """(Arrow's NFKD of every text of a null-free string array, whether each text holds a Han character)."""
    t = tables()
    offsets, data, _ = string_buffers(values)
    n = len(values)
    out_offsets = np.zeros(n + 1, dtype=np.int64)
    complex_ = np.zeros(n, dtype=np.bool_)
    han = np.zeros(n, dtype=np.bool_)
    out = np.empty(int(offsets[-1] - offsets[0]) * 5 // 4 + 64, dtype=np.uint8)
    done = 0
    while True:
        done = _nfkd_kernel(offsets, data, t.nfkd_flags, t.nfkd_start, t.nfkd_stop, t.nfkd_data, done, out, out_offsets,
                            complex_, han)
        if done == n:
            break
        grown = np.empty(2 * len(out) + int(offsets[done + 1] - offsets[done]) * 18, dtype=np.uint8)
        grown[: out_offsets[done]] = out[: out_offsets[done]]
        out = grown
    result = _string_array(out_offsets, out[: out_offsets[n]])
    if complex_.any():
        mask = pa.array(complex_)
        by_arrow = pc.utf8_normalize(pc.filter(values, mask), form="NFKD")
        result = pc.replace_with_mask(result, mask, by_arrow)
        han[complex_] = pc.match_substring_regex(by_arrow, r"\p{Han}").to_numpy(zero_copy_only=False)
    return result, han


# ---------------------------------------------------------------- lower case + removal


@numba.njit(cache=True, nogil=True)
def _fold_kernel(offsets, data, fold, out, out_offsets, complex_):
    """Lower case and removal in one pass into out (twice the input's bytes: a lower-case letter takes
    at most twice the bytes of its capital); a complex text's output is left empty."""
    at = 0
    for t in range(offsets.shape[0] - 1):
        begin = at
        i = offsets[t]
        end = offsets[t + 1]
        while i < end:
            b = data[i]
            if b < 0x80:
                mapped = fold[b]
                if mapped >= 0:
                    out[at] = mapped
                    at += 1
                i += 1
                continue
            cp, width = code_point_at(data, i)
            i += width
            mapped = fold[cp] if cp < TABLE_LIMIT else -2
            if mapped == -2:
                complex_[t] = True
                break
            if mapped >= 0:
                at += _put_utf8(out, at, mapped)
        if complex_[t]:
            at = begin
        out_offsets[t + 1] = at


def lower_and_remove(values: pa.Array, removal_pattern: str) -> pa.Array:
    """pc.replace_substring_regex(pc.utf8_lower(values), removal_pattern, "") of a null-free string array,
    removal_pattern being a character class (with or without +) that matches one code point at a time."""
    fold = fold_table(removal_pattern)
    offsets, data, _ = string_buffers(values)
    n = len(values)
    out = np.empty(2 * int(offsets[-1] - offsets[0]) + 64, dtype=np.uint8)
    out_offsets = np.zeros(n + 1, dtype=np.int64)
    complex_ = np.zeros(n, dtype=np.bool_)
    _fold_kernel(offsets, data, fold, out, out_offsets, complex_)
    result = _string_array(out_offsets, out[: out_offsets[n]])
    if complex_.any():
        mask = pa.array(complex_)
        by_arrow = pc.replace_substring_regex(pc.utf8_lower(pc.filter(values, mask)), removal_pattern, "")
        result = pc.replace_with_mask(result, mask, by_arrow)
    return result


def _string_array(offsets: np.ndarray, data: np.ndarray) -> pa.Array:
    if offsets[-1] < 2**31:
        return pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data))
    return pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data))
