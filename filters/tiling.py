"""Verification of candidate pairs on their texts: greedy string tiling, and the LCS ratio for short texts.

Greedy string tiling (Wise 1993) repeatedly takes the longest common substring of the two texts that
overlaps no tile taken so far (in either text), as long as it has at least `min_tile` characters;
similarity = 2 · tiled characters / (len a + len b). It is order-free: a copy with two paragraphs
swapped tiles almost completely, where a left/right longest-common-subsequence recursion
(Ratcliff–Obershelp) loses one of the swapped paragraphs. Ties go to the tile that starts first in
b, then first in a, so the result is a function of (a, b, min_tile); `greedy_tiling_py` is the
brute-force definition, and the tests check the kernel against it.

The kernel (numba): a suffix automaton of a (marked characters replaced by a separator no b
character equals) gives, in one left-to-right scan of b, the longest match ending at every position
of b and its first occurrence in a. Match ends that cannot be extended right are taken longest
first. A match whose text is still untouched is exactly the next greedy tile unless some blocked
match could still be at least as long; a match blocked in a only looks for another free occurrence
of the same substring (suffix-link subtree); anything else blocked keeps an upper bound (its longest
unmarked stretch in b), and the automaton is rebuilt and b rescanned only when such a bound competes.
Near-duplicates, whose tiles are long unique matches, tile in one or two scans: O(len a + len b) each.

Verification only needs the verdict similarity >= threshold, and most candidates fail it. Every tile
of at least min_tile characters lies in min_tile-character windows that both texts hold, so the
characters of a inside windows also found in b bound what tiling can tile; a pair whose bound already
misses the threshold is not tiled (`min_similarity`). The bound is one linear pass over each text (the
windows of a are tabled once for all its pairs, which come grouped by a, and the scan of b stops as soon
as the threshold is out of reach) and is tight on real candidates, whose shared material is whole
sentences: on the near-duplicate bench it spares about 70% of the tilings at 100k records and more at
1M, where fewer candidates pass.

For short texts (instructions, titles) tiles are too coarse: `lcs_ratio` is the plain
longest-common-subsequence ratio 2 · LCS / (len a + len b), by the textbook dynamic programme.

All functions take texts in matching form (`filters.near_text.matching_form`), so punctuation, spaces,
width, case and script variants tile whole.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from filters.buffers import string_buffers
from filters.simhash import decode_code_points, mix64

_SEPARATOR_A = -1  # stands for a tiled character of a; no character of b equals it
_SEPARATOR_B = -2  # stands for a tiled character of b
# scans of b, tiles taken, and pairs the coverage bound spared, over the process (diagnostics)
TILING_COUNTERS = np.zeros(3, dtype=np.int64)
_WINDOW_BASE = np.uint64(0xD6E8FEB86659FD93)  # an odd constant: a character's hash is (code point + 1) times it
_WINDOW_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the product's top bits pick the slot


# ---------------------------------------------------------------- suffix automaton with hashed edges


@numba.njit(cache=True, nogil=True)
def _edge_find(table_keys, table_edges, mask, key):
    slot = mix64(np.uint64(key)) & mask
    while True:
        e = table_edges[slot]
        if e < 0:
            return -1, slot
        if table_keys[slot] == key:
            return e, slot
        slot = (slot + np.uint64(1)) & mask


@numba.njit(cache=True, nogil=True)
def _build_automaton(text, n, length, link, firstpos, is_clone, head, edge_char, edge_target, edge_next,
                     table_keys, table_edges, mask):
    """Suffix automaton of text[:n]; returns the number of states. Edge lookup by a hash of (state, char)."""
    table_edges[:] = -1
    head[0] = -1
    length[0] = 0
    link[0] = -1
    firstpos[0] = -1
    is_clone[0] = False
    states = 1
    edges = 0
    last = 0
    for i in range(n):
        c = text[i]
        cur = states
        states += 1
        length[cur] = length[last] + 1
        firstpos[cur] = i
        is_clone[cur] = False
        head[cur] = -1
        p = last
        while p != -1:
            key = (np.int64(p) << 22) | (c + 2)
            e, slot = _edge_find(table_keys, table_edges, mask, key)
            if e >= 0:
                break
            table_keys[slot] = key
            table_edges[slot] = edges
            edge_char[edges] = c
            edge_target[edges] = cur
            edge_next[edges] = head[p]
            head[p] = edges
            edges += 1
            p = link[p]
        if p == -1:
            link[cur] = 0
        else:
            key = (np.int64(p) << 22) | (c + 2)
            e, slot = _edge_find(table_keys, table_edges, mask, key)
            q = edge_target[e]
            if length[p] + 1 == length[q]:
                link[cur] = q
            else:
                clone = states
                states += 1
                length[clone] = length[p] + 1
                link[clone] = link[q]
                firstpos[clone] = firstpos[q]
                is_clone[clone] = True
                head[clone] = -1
                f = head[q]
                while f != -1:
                    ckey = (np.int64(clone) << 22) | (edge_char[f] + 2)
                    _, cslot = _edge_find(table_keys, table_edges, mask, ckey)
                    table_keys[cslot] = ckey
                    table_edges[cslot] = edges
                    edge_char[edges] = edge_char[f]
                    edge_target[edges] = edge_target[f]
                    edge_next[edges] = head[clone]
                    head[clone] = edges
                    edges += 1
                    f = edge_next[f]
                while p != -1:
                    key = (np.int64(p) << 22) | (c + 2)
                    e, slot = _edge_find(table_keys, table_edges, mask, key)
                    if e < 0 or edge_target[e] != q:
                        break
                    edge_target[e] = clone
                    p = link[p]
                link[q] = clone
                link[cur] = clone
        last = cur
    return states


@numba.njit(cache=True, nogil=True)
def _free(marks, start, stop):
    for i in range(start, stop):
        if marks[i]:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _longest_free_run(marks, start, stop):
    best = 0
    run = 0
    for i in range(start, stop):
        if marks[i]:
            run = 0
        else:
            run += 1
            if run > best:
                best = run
    return best


@numba.njit(cache=True, nogil=True)
def _first_free_occurrence(state, size, a_marks, firstpos, is_clone, child_start, children, stack):
    """Smallest start of a free occurrence (size chars) of the strings of `state` in a, or -1."""
    best = -1
    top = 0
    stack[top] = state
    top += 1
    while top > 0:
        top -= 1
        v = stack[top]
        if not is_clone[v]:
            start = firstpos[v] - size + 1
            if (best < 0 or start < best) and _free(a_marks, start, start + size):
                best = start
        for k in range(child_start[v], child_start[v + 1]):
            stack[top] = children[k]
            top += 1
    return best


@numba.njit(cache=True, nogil=True)
def _tile(a, n, b, m, min_tile, a_marks, b_marks, counters):
    """Greedy string tiling of a[:n] and b[:m]; returns the tiled characters (of each text).

    The marks are output too; counters[0] += scans of b, counters[1] += tiles.
    """
    a_marks[:n] = False
    b_marks[:m] = False
    if n < min_tile or m < min_tile or min_tile < 1:
        return 0
    cap = 2 * n + 2
    length = np.empty(cap, dtype=np.int64)
    link = np.empty(cap, dtype=np.int64)
    firstpos = np.empty(cap, dtype=np.int64)
    is_clone = np.empty(cap, dtype=np.bool_)
    head = np.empty(cap, dtype=np.int64)
    edge_cap = 4 * n + 4
    edge_char = np.empty(edge_cap, dtype=np.int64)
    edge_target = np.empty(edge_cap, dtype=np.int64)
    edge_next = np.empty(edge_cap, dtype=np.int64)
    size = 16
    while size < 2 * edge_cap:
        size *= 2
    mask = np.uint64(size - 1)
    table_keys = np.empty(size, dtype=np.int64)
    table_edges = np.empty(size, dtype=np.int64)
    child_start = np.empty(cap + 1, dtype=np.int64)
    children = np.empty(cap, dtype=np.int64)
    stack = np.empty(cap, dtype=np.int64)
    text_a = np.empty(n, dtype=np.int64)
    match_len = np.empty(m, dtype=np.int64)
    match_state = np.empty(m, dtype=np.int64)
    tiled = 0
    while True:
        counters[0] += 1
        for i in range(n):
            text_a[i] = _SEPARATOR_A if a_marks[i] else a[i]
        states = _build_automaton(text_a, n, length, link, firstpos, is_clone, head, edge_char, edge_target,
                                  edge_next, table_keys, table_edges, mask)
        # children of the suffix-link tree, for enumerating the occurrences of a state
        child_start[: states + 1] = 0
        for v in range(1, states):
            child_start[link[v] + 1] += 1
        for v in range(states):
            child_start[v + 1] += child_start[v]
        fill = child_start[:states].copy()
        for v in range(1, states):
            children[fill[link[v]]] = v
            fill[link[v]] += 1
        # matching statistics of b against a
        v = 0
        matched = 0
        for j in range(m):
            c = _SEPARATOR_B if b_marks[j] else b[j]
            while True:
                e, _ = _edge_find(table_keys, table_edges, mask, (np.int64(v) << 22) | (c + 2))
                if e >= 0:
                    v = edge_target[e]
                    matched += 1
                    break
                if v == 0:
                    matched = 0
                    break
                v = link[v]
                matched = length[v]
            match_len[j] = matched
            match_state[j] = v
        # right-maximal match ends of at least min_tile characters, longest first, then leftmost
        count = 0
        for j in range(m):
            if match_len[j] >= min_tile and (j + 1 == m or match_len[j + 1] != match_len[j] + 1):
                count += 1
        if count == 0:
            return tiled
        ends = np.empty(count, dtype=np.int64)
        sort_keys = np.empty(count, dtype=np.int64)
        k = 0
        for j in range(m):
            if match_len[j] >= min_tile and (j + 1 == m or match_len[j + 1] != match_len[j] + 1):
                ends[k] = j
                sort_keys[k] = -match_len[j] * (m + 1) + j
                k += 1
        order = np.argsort(sort_keys)
        blocked_bound = 0  # longest tile a blocked match could still give
        blocked_start = m  # smallest b start among blocked matches with that bound
        rescan = False
        for k in range(count):
            j = ends[order[k]]
            size_ = match_len[j]
            b_start = j - size_ + 1
            if blocked_bound > size_ or (blocked_bound == size_ and blocked_start < b_start):
                rescan = True
                break
            a_start = -1
            if _free(b_marks, b_start, j + 1):
                a_start = firstpos[match_state[j]] - size_ + 1
                if not _free(a_marks, a_start, a_start + size_):
                    a_start = _first_free_occurrence(
                        match_state[j], size_, a_marks, firstpos, is_clone, child_start, children, stack
                    )
                if a_start < 0:
                    bound = size_ - 1  # no free copy of this substring in a: only shorter pieces remain
                else:
                    for i in range(size_):
                        a_marks[a_start + i] = True
                        b_marks[b_start + i] = True
                    tiled += size_
                    counters[1] += 1
                    continue
            else:
                bound = _longest_free_run(b_marks, b_start, j + 1)
            if bound >= min_tile and (bound > blocked_bound or (bound == blocked_bound and b_start < blocked_start)):
                blocked_bound = bound
                blocked_start = b_start
        if not rescan and blocked_bound < min_tile:
            return tiled


@numba.njit(cache=True, nogil=True, inline="always")
def _rotl(x, r):
    return (x << r) | (x >> ((np.uint64(64) - r) & np.uint64(63)))


@numba.njit(cache=True, nogil=True, inline="always")
def _char_hash(c):
    return (np.uint64(c) + np.uint64(1)) * _WINDOW_BASE


@numba.njit(cache=True, nogil=True)
def _window_table(a, n, k, table):
    """Fill table, an open-addressing set (32-bit keys, 0 is empty), with the hashes of a[:n]'s k-character
    windows; returns its size in bits (0: a has no window). The table needs at least twice as many slots as a
    has windows. Windows hash by cyclic polynomial (buzhash: rotate, xor in, xor out), whose rolling step is
    a short dependency chain."""
    if k < 1 or n < k:
        return 0
    bits = 4
    while (1 << bits) < 2 * (n - k + 1):
        bits += 1
    size = 1 << bits
    shift = np.uint64(64 - bits)
    mask = np.uint64(size - 1)
    table[:size] = 0
    out_rotation = np.uint64(k % 64)
    h = np.uint64(0)
    for i in range(n):
        h = _rotl(h, np.uint64(1)) ^ _char_hash(a[i])
        if i >= k:
            h ^= _rotl(_char_hash(a[i - k]), out_rotation)
        if i >= k - 1:
            x = h * _WINDOW_MIX
            slot = x >> shift
            key = np.uint32(x & np.uint64(0xFFFFFFFF)) | np.uint32(1)
            while table[slot] != 0 and table[slot] != key:
                slot = (slot + np.uint64(1)) & mask
            table[slot] = key
    return bits


@numba.njit(cache=True, nogil=True)
def _window_coverage(b, m, k, table, bits, target):
    """Characters of b[:m] inside some k-character window whose hash is in table (`_window_table` of a text a,
    `bits` its size).

    Every tile of at least k characters is a common substring, so each of its characters lies in such a
    window: tiling never tiles more of b (nor of a, the same count) than this. A hash collision only raises
    the count, so the bound stays sound. The caller only asks whether the count reaches `target`: once even
    counting every character still unseen cannot reach it, that (smaller) count is returned at once.
    """
    if bits == 0 or m < k:
        return 0
    shift = np.uint64(64 - bits)
    mask = np.uint64((1 << bits) - 1)
    out_rotation = np.uint64(k % 64)
    covered = 0
    until = 0  # b[:until] is counted
    h = np.uint64(0)
    for j in range(m):
        h = _rotl(h, np.uint64(1)) ^ _char_hash(b[j])
        if j >= k:
            h ^= _rotl(_char_hash(b[j - k]), out_rotation)
        if j >= k - 1:
            x = h * _WINDOW_MIX
            slot = x >> shift
            key = np.uint32(x & np.uint64(0xFFFFFFFF)) | np.uint32(1)
            while table[slot] != 0:
                if table[slot] == key:
                    covered += j + 1 - max(j - k + 1, until)
                    until = j + 1
                    break
                slot = (slot + np.uint64(1)) & mask
            # characters before j - k + 2 that are not counted yet never will be: windows still to come start later
            most = covered + m - max(until, j - k + 2)
            if most < target:
                return most
    return covered


@numba.njit(cache=True, nogil=True)
def _longest(begin, end, selected):
    longest = 1
    for i in range(begin.shape[0]):
        if selected[i]:
            longest = max(longest, end[i] - begin[i])
    return longest


@numba.njit(cache=True, nogil=True)
def _batch_tiling(begin_a, end_a, data_a, begin_b, end_b, data_b, selected, min_tile, needed, tiled_out, counters):
    """Pair i is the bytes data_a[begin_a[i]:end_a[i]] and data_b[begin_b[i]:end_b[i]]: pairs share the texts'
    buffers, so a text in many pairs is held once.

    A pair whose window-coverage bound gives 2 · bound / (n + m) < needed[i] is not tiled: tiled_out[i] is
    that bound (counters[2] += 1). needed[i] <= 0 tiles every pair.
    """
    longest_a = _longest(begin_a, end_a, selected)
    longest_b = _longest(begin_b, end_b, selected)
    cps_a = np.empty(longest_a + 1, dtype=np.int64)
    cps_b = np.empty(longest_b + 1, dtype=np.int64)
    starts_a = np.empty(longest_a + 2, dtype=np.int64)
    starts_b = np.empty(longest_b + 2, dtype=np.int64)
    marks_a = np.empty(longest_a + 1, dtype=np.bool_)
    marks_b = np.empty(longest_b + 1, dtype=np.bool_)
    size = 16
    while size < 2 * (longest_a + 1):
        size *= 2
    table = np.zeros(size, dtype=np.uint32)
    # Pairs come grouped by a, so a is decoded and its windows tabled once per text (the bytes it was read from
    # identify it; the table is filled only when a pair needs the bound).
    a_begin, a_end, n, table_for_a, table_bits = -1, -1, 0, False, 0
    for i in range(begin_a.shape[0]):
        if selected[i]:
            if begin_a[i] != a_begin or end_a[i] != a_end:
                n = decode_code_points(data_a, begin_a[i], end_a[i], cps_a, starts_a)
                a_begin, a_end, table_for_a = begin_a[i], end_a[i], False
            m = decode_code_points(data_b, begin_b[i], end_b[i], cps_b, starts_b)
            if needed[i] > 0.0 and n + m > 0:
                if not table_for_a:
                    table_bits = _window_table(cps_a, n, min_tile, table)
                    table_for_a = True
                bound = _window_coverage(cps_b, m, min_tile, table, table_bits, needed[i] * (n + m) / 2.0)
                if 2.0 * bound / (n + m) < needed[i]:
                    tiled_out[i] = bound
                    counters[2] += 1
                    continue
            tiled_out[i] = _tile(cps_a, n, cps_b, m, min_tile, marks_a, marks_b, counters)


@numba.njit(cache=True, nogil=True)
def _lcs_length(a, n, b, m, row):
    """Length of the longest common subsequence of a[:n] and b[:m] (one DP row of m + 1)."""
    row[: m + 1] = 0
    for i in range(n):
        diagonal = 0
        ai = a[i]
        for j in range(m):
            above = row[j + 1]
            if ai == b[j]:
                row[j + 1] = diagonal + 1
            elif row[j] > above:
                row[j + 1] = row[j]
            diagonal = above
    return row[m]


@numba.njit(cache=True, nogil=True)
def _batch_lcs(begin_a, end_a, data_a, begin_b, end_b, data_b, selected, lcs_out):
    longest_a = _longest(begin_a, end_a, selected)
    longest_b = _longest(begin_b, end_b, selected)
    cps_a = np.empty(longest_a + 1, dtype=np.int64)
    cps_b = np.empty(longest_b + 1, dtype=np.int64)
    starts_a = np.empty(longest_a + 2, dtype=np.int64)
    starts_b = np.empty(longest_b + 2, dtype=np.int64)
    row = np.empty(longest_b + 2, dtype=np.int64)
    for i in range(begin_a.shape[0]):
        if selected[i]:
            n = decode_code_points(data_a, begin_a[i], end_a[i], cps_a, starts_a)
            m = decode_code_points(data_b, begin_b[i], end_b[i], cps_b, starts_b)
            lcs_out[i] = _lcs_length(cps_a, n, cps_b, m, row)


def _ratio(common: np.ndarray, len_a: np.ndarray, len_b: np.ndarray) -> np.ndarray:
    total = len_a + len_b
    out = np.ones(len(common), dtype=np.float64)  # two empty texts are the same text
    nonempty = total > 0
    out[nonempty] = 2.0 * common[nonempty] / total[nonempty]
    return out


def _characters(texts) -> np.ndarray:
    return pc.fill_null(pc.utf8_length(texts), 0).to_numpy(zero_copy_only=False).astype(np.int64)


def _indexed_scores(texts_a, rows_a, texts_b, rows_b, min_tile: int, short_text_chars: int | None,
                    min_similarity: float | None = None) -> np.ndarray:
    """Scores of the pairs (texts_a[rows_a[i]], texts_b[rows_b[i]]): tiling, or the LCS ratio where either
    text is shorter than short_text_chars (None: never). With min_similarity, a tiled pair that provably
    scores below it gets its (lower than min_similarity) window-coverage bound instead of its tiling."""
    if len(rows_a) != len(rows_b):
        raise ValueError("texts_a and texts_b must hold the same number of texts (one pair per row)")
    rows = len(rows_a)
    if not rows:
        return np.zeros(0, dtype=np.float64)
    offsets_a, data_a, _ = string_buffers(texts_a)
    offsets_b, data_b, _ = string_buffers(texts_b)
    begin_a, end_a = offsets_a[rows_a], offsets_a[rows_a + 1]
    begin_b, end_b = offsets_b[rows_b], offsets_b[rows_b + 1]
    chars_a = _characters(texts_a)[rows_a]
    chars_b = _characters(texts_b)[rows_b]
    common = np.zeros(rows, dtype=np.int64)
    short = np.zeros(rows, dtype=np.bool_)
    if short_text_chars is not None:
        short = np.minimum(chars_a, chars_b) < short_text_chars
    if short.any():
        _batch_lcs(begin_a, end_a, data_a, begin_b, end_b, data_b, short, common)
    if not short.all():
        needed = np.full(rows, 0.0 if min_similarity is None else float(min_similarity))
        _batch_tiling(begin_a, end_a, data_a, begin_b, end_b, data_b, ~short, min_tile, needed, common, TILING_COUNTERS)
    return _ratio(common, chars_a, chars_b)


def _pair_scores(texts_a, texts_b, min_tile: int, short_text_chars: int | None,
                 min_similarity: float | None = None) -> np.ndarray:
    """Tiling similarity; the LCS ratio where either text is shorter than short_text_chars (None: never)."""
    if len(texts_a) != len(texts_b):
        raise ValueError("texts_a and texts_b must hold the same number of texts (one pair per row)")
    rows = np.arange(len(texts_a))
    return _indexed_scores(texts_a, rows, texts_b, rows, min_tile, short_text_chars, min_similarity)


def tiling_similarity(texts_a: pa.Array, texts_b: pa.Array, min_tile: int = 12) -> np.ndarray:
    """2 · tiled / (len a + len b) for every pair (texts_a[i], texts_b[i]), in characters."""
    return _pair_scores(texts_a, texts_b, min_tile, None)


def lcs_ratio(texts_a: pa.Array, texts_b: pa.Array) -> np.ndarray:
    """2 · LCS / (len a + len b) for every pair, LCS being the longest common subsequence (characters)."""
    return _pair_scores(texts_a, texts_b, 1, np.iinfo(np.int64).max)


def verify_pairs(
    texts_a: pa.Array, texts_b: pa.Array, min_tile: int = 12, short_text_chars: int = 200,
    min_similarity: float | None = None,
) -> np.ndarray:
    """Similarity of every pair (texts_a[i], texts_b[i]) in matching form, in [0, 1].

    Pairs where either text is shorter than `short_text_chars` characters are scored with
    `lcs_ratio`, the others with greedy string tiling (`tiling_similarity`).

    With `min_similarity`, only the verdict `score >= min_similarity` of a tiled pair is exact: a pair
    is first bounded by the characters of a that lie in min_tile-character windows also found in b
    (every tile lies in such windows), and one whose bound already scores below min_similarity is
    not tiled and scores that bound, which is still below min_similarity. On near-duplicate
    candidates most failing pairs stop there, at a small part of a tiling's cost.
    """
    return _pair_scores(texts_a, texts_b, min_tile, short_text_chars, min_similarity)


def verify_indexed_pairs(
    texts: pa.Array, rows_a: np.ndarray, rows_b: np.ndarray, min_tile: int = 12, short_text_chars: int = 200,
    min_similarity: float | None = None,
) -> np.ndarray:
    """verify_pairs of (texts[rows_a[i]], texts[rows_b[i]]), without a copy of a text per pair."""
    return _indexed_scores(texts, np.asarray(rows_a, np.int64), texts, np.asarray(rows_b, np.int64),
                           min_tile, short_text_chars, min_similarity)


# ---------------------------------------------------------------- brute-force definitions (for tests)


def greedy_tiling_py(a: str, b: str, min_tile: int) -> tuple[int, list[tuple[int, int, int]]]:
    """The definition, by brute force: (tiled characters, tiles as (a start, b start, length)).

    Each round takes the longest common substring of unmarked characters; ties go to the smallest
    b start, then the smallest a start.
    """
    a_marks = [False] * len(a)
    b_marks = [False] * len(b)
    tiles = []
    while True:
        best = (0, 0, 0)  # (length, -b start, -a start): max wins
        for i in range(len(a)):
            for j in range(len(b)):
                size = 0
                while (i + size < len(a) and j + size < len(b) and not a_marks[i + size] and not b_marks[j + size]
                       and a[i + size] == b[j + size]):
                    size += 1
                if size and (size, -j, -i) > best:
                    best = (size, -j, -i)
        size, j, i = best[0], -best[1], -best[2]
        if size < max(min_tile, 1):
            return sum(t[2] for t in tiles), tiles
        for k in range(size):
            a_marks[i + k] = True
            b_marks[j + k] = True
        tiles.append((i, j, size))


def lcs_length_py(a: str, b: str) -> int:
    """Longest common subsequence length, by the full DP table."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    return table[len(a)][len(b)]
