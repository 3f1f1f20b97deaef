"""Per-text statistics for a whole Arrow string array in one compiled pass.

Every rule family reads these counts instead of scanning the text again: a single numba loop decodes
UTF-8 straight from the Arrow buffers, classifies each code point with the table in `charclass`, and
counts characters, words, lines, paragraphs, repeats and character n-gram duplicates. Chinese has no
spaces, so every Han/kana/hangul character counts as one word and n-grams are over characters.
"""

from dataclasses import dataclass

import numba
import numpy as np
import pyarrow as pa

from filters import charclass as cc
from filters.buffers import string_buffers

STAT_NAMES = (
    "chars",  # code points
    "han",
    "common_han",
    "kana_hangul",
    "letters",  # letters outside Han/kana/hangul
    "digits",
    "spaces",
    "punct",
    "symbols",
    "control",
    "format",
    "private_use",
    "replacement",  # U+FFFD
    "words",  # non-CJK letter/digit runs + one per CJK character
    "latin_words",
    "latin_word_chars",
    "lines",  # non-blank lines
    "terminal_lines",  # non-blank lines ending in sentence punctuation
    "bullet_lines",
    "ellipsis_lines",
    "dup_lines",  # non-blank lines equal to an earlier line
    "dup_line_chars",
    "paragraphs",
    "dup_paragraphs",
    "dup_paragraph_chars",
    "content_chars",  # non-space characters
    "max_char_run",  # longest run of one repeated non-space character
    "ngrams",
    "dup_ngrams",  # character n-grams already seen earlier in the text
    "latin1_mojibake_pairs",
    "long_digit_runs",
    "hashes",  # '#' characters
    "ellipses",  # '…' or '...'
)
_IDX = {name: i for i, name in enumerate(STAT_NAMES)}

_BULLETS = np.array([ord(c) for c in "•·-*‣◦●▪■□○►★☆✓✔➢→"], dtype=np.int64)
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_NGRAM_BASE = np.uint64(0x9E3779B97F4A7C15)


@numba.njit(cache=True, nogil=True)
def _code_class(cp, table):
    if cp < 0x10000:
        return table[cp]
    if 0x20000 <= cp <= 0x3FFFF:
        return cc.HAN
    if 0x1F000 <= cp <= 0x1FAFF:
        return cc.SYMBOL
    if cp >= 0xF0000:
        return cc.PRIVATE_USE
    return 0


@numba.njit(cache=True, nogil=True)
def _count_repeats(hashes, weights, n):
    """Items among hashes[:n] equal to an earlier one, and their summed weights (none given: 0).

    An open-addressing set (linear probing, at least twice as many slots as items) keeps this
    linear in n; sorting every text's n-gram hashes instead took most of the kernel's time.
    """
    if n < 2:
        return 0, 0
    size = 4
    while size < 2 * n:
        size *= 2
    mask = np.uint64(size - 1)
    slots = np.zeros(size, dtype=np.uint64)
    dups = 0
    dup_weight = 0
    for k in range(n):
        key = hashes[k] | np.uint64(1)  # 0 marks an empty slot
        slot = ((key * _NGRAM_BASE) >> np.uint64(40)) & mask
        while True:
            held = slots[slot]
            if held == 0:
                slots[slot] = key
                break
            if held == key:
                dups += 1
                if weights.shape[0]:
                    dup_weight += weights[k]
                break
            slot = (slot + np.uint64(1)) & mask
    return dups, dup_weight


@numba.njit(cache=True, nogil=True)
def _text_stats(data, start, end, table, bullets, ngram_n, digit_run_min, out):
    max_items = end - start + 1
    line_hashes = np.empty(max_items, dtype=np.uint64)
    line_weights = np.empty(max_items, dtype=np.int64)
    para_hashes = np.empty(max_items, dtype=np.uint64)
    para_weights = np.empty(max_items, dtype=np.int64)
    ngram_hashes = np.empty(max_items, dtype=np.uint64)
    window = np.zeros(max(ngram_n, 1), dtype=np.uint64)
    base_pow = np.uint64(1)
    for _ in range(ngram_n):
        base_pow = base_pow * _NGRAM_BASE

    n_lines = 0
    n_paras = 0
    n_ngrams = 0
    line_hash = _FNV_OFFSET
    line_len = 0
    first_cp = -1
    last1 = -1
    last2 = -1
    last3 = -1
    para_hash = _FNV_OFFSET
    para_len = 0
    run_cp = -1
    run_len = 0
    word_len = 0
    digit_run = 0
    prev_cp = -1
    rolling = np.uint64(0)
    content_pos = 0

    i = start
    while i <= end:
        if i < end:
            b = data[i]
            if b < 0x80:
                cp = np.int64(b)
                i += 1
            elif b < 0xE0:
                cp = (np.int64(b & 0x1F) << 6) | np.int64(data[i + 1] & 0x3F)
                i += 2
            elif b < 0xF0:
                cp = (np.int64(b & 0x0F) << 12) | (np.int64(data[i + 1] & 0x3F) << 6) | np.int64(data[i + 2] & 0x3F)
                i += 3
            else:
                cp = (
                    (np.int64(b & 0x07) << 18)
                    | (np.int64(data[i + 1] & 0x3F) << 12)
                    | (np.int64(data[i + 2] & 0x3F) << 6)
                    | np.int64(data[i + 3] & 0x3F)
                )
                i += 4
        else:
            cp = np.int64(10)  # a virtual final newline closes the last line
            i += 1
            out[0] -= 1
            out[6] -= 1
        cls = _code_class(cp, table)
        out[0] += 1

        is_word_char = (cls & (cc.LETTER | cc.DIGIT)) != 0 and (cls & (cc.HAN | cc.KANA_HANGUL)) == 0
        if is_word_char:
            word_len += 1
        elif word_len > 0:
            out[14] += 1
            out[15] += word_len
            word_len = 0
        if 0x30 <= cp <= 0x39:
            digit_run += 1
        else:
            if digit_run >= digit_run_min:
                out[30] += 1
            digit_run = 0

        if cls & cc.SPACE:
            out[6] += 1
            run_len = 0
            run_cp = -1
        else:
            out[25] += 1
            if cls & cc.HAN:
                out[1] += 1
                if cls & cc.COMMON_HAN:
                    out[2] += 1
            if cls & cc.KANA_HANGUL:
                out[3] += 1
            if cls & cc.LETTER:
                out[4] += 1
            if cls & cc.DIGIT:
                out[5] += 1
            if cls & cc.PUNCT:
                out[7] += 1
            if cls & cc.SYMBOL:
                out[8] += 1
            if cls & cc.CONTROL:
                out[9] += 1
            if cls & cc.FORMAT:
                out[10] += 1
            if cls & cc.PRIVATE_USE:
                out[11] += 1
            if cp == 0xFFFD:
                out[12] += 1
            if cp == 0x23:
                out[31] += 1
            if cp == 0x2026 or (cp == 0x2E and last1 == 0x2E and last2 == 0x2E and line_len > 0):
                out[32] += 1
            if 0xC2 <= prev_cp <= 0xF4 and (cls & cc.CP1252_HIGH):
                out[29] += 1
            if cp == run_cp:
                run_len += 1
            else:
                run_cp = cp
                run_len = 1
            if run_len > out[26]:
                out[26] = run_len
            if ngram_n > 0:
                outgoing = window[content_pos % ngram_n]
                window[content_pos % ngram_n] = np.uint64(cp + 1)
                rolling = rolling * _NGRAM_BASE + np.uint64(cp + 1) - outgoing * base_pow
                content_pos += 1
                if content_pos >= ngram_n:
                    ngram_hashes[n_ngrams] = rolling
                    n_ngrams += 1
            # line bookkeeping
            if line_len == 0:
                first_cp = cp
            line_hash = (line_hash ^ np.uint64(cp)) * _FNV_PRIME
            line_len += 1
            last3 = last2
            last2 = last1
            last1 = cp
        if cls & (cc.HAN | cc.KANA_HANGUL):
            out[13] += 1

        if cp == 10:
            if line_len > 0:
                line_hashes[n_lines] = line_hash
                line_weights[n_lines] = line_len
                n_lines += 1
                if _code_class(last1, table) & cc.TERMINAL:
                    out[17] += 1
                for k in range(bullets.shape[0]):
                    if first_cp == bullets[k]:
                        out[18] += 1
                        break
                if last1 == 0x2026 or (last1 == 0x2E and last2 == 0x2E and last3 == 0x2E):
                    out[19] += 1
                para_hash = (para_hash ^ line_hash) * _FNV_PRIME
                para_len += line_len
            if line_len == 0 or i > end:
                if para_len > 0:
                    para_hashes[n_paras] = para_hash
                    para_weights[n_paras] = para_len
                    n_paras += 1
                para_hash = _FNV_OFFSET
                para_len = 0
            line_hash = _FNV_OFFSET
            line_len = 0
            last1 = -1
            last2 = -1
            last3 = -1
        prev_cp = cp

    out[13] += out[14]
    out[16] = n_lines
    out[20], out[21] = _count_repeats(line_hashes, line_weights, n_lines)
    out[22] = n_paras
    out[23], out[24] = _count_repeats(para_hashes, para_weights, n_paras)
    out[27] = n_ngrams
    out[28], _ = _count_repeats(ngram_hashes, np.empty(0, dtype=np.int64), n_ngrams)


@numba.njit(cache=True, nogil=True)
def _batch_stats(offsets, data, valid, table, bullets, ngram_n, digit_run_min, out):
    for row in range(offsets.shape[0] - 1):
        if valid[row]:
            _text_stats(data, offsets[row], offsets[row + 1], table, bullets, ngram_n, digit_run_min, out[row])


@dataclass(frozen=True)
class TextStats:
    """Counts per text, one int64 numpy column per name in STAT_NAMES."""

    values: np.ndarray  # shape (rows, len(STAT_NAMES))

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.values[:, _IDX[name]]
        except KeyError:
            raise AttributeError(name) from None

    def __len__(self) -> int:
        return self.values.shape[0]


def compute(texts: pa.Array, ngram_size: int = 10, digit_run_min: int = 7) -> TextStats:
    """Statistics of every text in `texts` (a string array; nulls count as empty)."""
    offsets, data, valid = string_buffers(texts)
    out = np.zeros((len(texts), len(STAT_NAMES)), dtype=np.int64)
    if len(texts):
        _batch_stats(offsets, data, valid, cc.bmp_class_table(), _BULLETS, ngram_size, digit_run_min, out)
    return TextStats(out)
