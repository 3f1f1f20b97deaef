"""Per-text statistics for a whole Arrow string array in one compiled pass.

Every rule family reads these counts instead of scanning the text again: a single numba loop decodes
UTF-8 straight from the Arrow buffers, classifies each code point with the table in `charclass`, and
counts characters, words, lines, paragraphs, repeats and character n-gram duplicates. Chinese has no
spaces, so every Han/kana/hangul character counts as one word and n-grams are over characters.

The same pass records each text's words (a CJK character, or a run of letters and digits, case
folded) and, once the text is read, measures Gopher's repetition over them: the characters in the
most frequent word 2/3/4-gram, and the characters covered by word 5..10-grams that occurred earlier.
For the same n-grams it finds the one held by the most sentences, the shape of SEO prose that puts one
search phrase in every sentence. It also marks keyword lines, the shape of SEO lists: four or more
short items (a few words each) split by `, ， 、 ; / _ |`, tabs, or spaces between CJK characters, with
no sentence end in the line; and, in lines without a sentence end, the words covered by word 2-grams
repeated within the line ("web hosting cheap web hosting best web hosting ...").

Prose words (lower-case or capitalised words in runs of `prose_min_run` within a line, optionally
hyphenated or with an apostrophe) are looked up, once the run is known to be prose, in hash sets of a
word list (`word_table`): the known ones, the unknown ones used once in the text, and of those the
garbled ones, which become a known word under an OCR confusion (rn/m, cl/d, vv/w, l/1/i, o/0/a, e/c,
h/b, u/v) or joined with their neighbour ("infor mation"). Everything is counted in the pass: no word
reaches Python.

Buffers are allocated once per batch, sized for its longest text, and reused text after text, in
one compiled function (a call per text would update the reference counts of its ~40 scratch arrays).
Two fast paths take the commonest characters, lower-case letters inside a Latin word and Han
characters inside a line of CJK text, with only the counts they change; every hash set probes with
one helper (`_find`) and is at most a quarter full, and a repeat that continues a run of repeats
(a repeated phrase, a repeated section) is found without a probe.
"""

from dataclasses import dataclass

import numba
import numpy as np
import pyarrow as pa

from filters import charclass as cc
from filters.buffers import code_point_at, string_buffers

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
    "control",  # C0/C1 controls other than the whitespace ones (tab, newlines, form feed, ...)
    "format",
    "private_use",
    "replacement",  # U+FFFD
    "words",  # non-CJK letter/digit runs + one per CJK character
    "latin_words",
    "latin_word_chars",
    "lines",  # non-blank lines
    "terminal_lines",  # non-blank lines ending in sentence punctuation
    "bullet_lines",  # non-blank lines starting with a bullet and a space ("-X dev" is an option, not an item)
    "ellipsis_lines",  # lines of min_ellipsis_words or more ending in an ellipsis after prose (not "[FILE]...")
    "dup_lines",  # lines of 3+ words equal to an earlier such line ("-- name" signature lines aside)
    "dup_line_chars",
    "paragraphs",
    "dup_paragraphs",  # paragraphs of 3+ words equal to an earlier one (not headings or table cells, one to a paragraph)
    "dup_paragraph_chars",
    "content_chars",  # non-space characters
    "max_char_run",  # longest run of one repeated character that is not space, punctuation or a symbol
    "ngrams",  # character n-grams of the non-space characters, box drawing (U+2500..U+257F, table rules) left out as layout
    "dup_ngrams",  # character n-grams already seen earlier in the text
    "latin1_mojibake_pairs",
    "long_digit_runs",  # runs of digit_run_min..15 digits: phone, QQ or WeChat numbers
    "hashes",  # hashtags: '#' after a space inside a line, before a word character
    "ellipses",  # '…' or '...' right after a word character (not a "... " prompt, "[FILE]..." or "(...)")
    "content_lines",  # non-blank lines with a letter, digit or CJK character ("--" or "***" lines have none)
    "sentence_ends",  # 。！？ anywhere, or . ! ? before a space or line end
    "word_chars",  # characters in words (CJK characters + Latin word characters)
    "top2_chars",  # characters in all occurrences of the most frequent repeated word 2-gram
    "top3_chars",
    "top4_chars",
    "dup5_chars",  # word characters covered by word 5-grams that occurred earlier in the text
    "dup6_chars",
    "dup7_chars",
    "dup8_chars",
    "dup9_chars",
    "dup10_chars",
    "keyword_lines",  # lines of short items split by separators, without a sentence end
    "keyword_line_chars",
    "title_items",  # items (3..title_max_item_words words each) of a first line split only by '_' or '|': an SEO title
    "rare_han_lines",  # lines of rare_min_han Han or more, over rare_ratio of them outside GB2312/Big5 level 1
    "rare_han_line_chars",
    "prose_letters",  # letters of prose words
    "rarest_letter_permille",  # the rarest of e t a o i n s h r l among latin_letters, per mille of its usual share
    "c1_controls",  # U+0080..U+009F: never text, the residue of a mis-decoding
    "alpha_words",  # Latin words holding a letter (numbers and version parts are not words of a length)
    "alpha_word_chars",
    "tokens",  # words of whitespace-separated text: each CJK character of a token, and its other characters as one
    #            word when they hold a letter or digit ("3D效果" is three)
    "alpha_tokens",  # ... holding a letter or CJK (Gopher: words with an alphabetic character; a Chinese sentence
    #                  between two spaces is many words, not one)
    "plain_lines",  # content lines of only letters, CJK, spaces and ' - &: how menus and link lists look
    "line_repeat_chars",  # word chars of lines without a sentence end covered by 2-grams repeated in the line
    "sentences",  # spans of words closed by a sentence end
    "phrase2_sentences",  # sentences holding the word 2-gram held by the most sentences
    "phrase2_chars",  # characters in all occurrences of that 2-gram
    "phrase3_sentences",
    "phrase3_chars",
    "phrase4_sentences",
    "phrase4_chars",
    "latin_letters",  # a-z letters of the text, case folded
    "prose_words",  # prose words of min_word_chars or more, judged against the word list
    "unknown_words",  # ... neither in the list (nor a listed word with OCR digits) nor used again in the text
    "garbled_words",  # ... of those, OCR confusions of a known word or halves of one
)
_IDX = {name: i for i, name in enumerate(STAT_NAMES)}
TOP_NGRAM_SIZES = (2, 3, 4)
DUP_NGRAM_SIZES = (5, 6, 7, 8, 9, 10)

_BULLETS = np.array([ord(c) for c in "•·-*‣◦●▪■□○►★☆✓✔➢→"], dtype=np.int64)
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_NGRAM_BASE = np.uint64(0x9E3779B97F4A7C15)
_CJK_WORD_SEED = np.uint64(0x84222325CBF29CE4)
_PAIR_SEED = np.uint64(0x2545F4914F6CDD1D)
_MAX_DIGIT_RUN = 15  # longer digit runs are ids or data, not phone numbers
_SIGNATURE_MAX_CHARS = 40  # "-- name" / "—— 作者" lines, repeated by design, are not duplicate lines
_MIN_DUP_LINE_WORDS = 3  # nor are headings of one or two words ("示例", "Parameters") that every section repeats
_SCAN_CANDIDATES = 4  # up to this many unknown-word candidates are counted by scanning the text's words
_MIN_REPEAT_LINE_WORDS = 6  # a line repeating a phrase within itself needs room for the repeats
_MAX_BITMAP_BITS = 1 << 24  # _slot gives 24 bits
_NO_CODE_POINT = 0x1FFFFF  # before a text's first character: its first 2-gram key holds it
_FLOOR_MARGIN = 1.0 - 1e-9  # a bound is taken for a measure only clearly at or below its floor, whatever the rounding
_WORD_CLASSES = cc.LETTER | cc.DIGIT | cc.HAN | cc.KANA_HANGUL

# prose-word parts: flags
_KNOWN, _DIGIT, _NEAR, _FRAGMENT = 1, 2, 4, 8

_EDGE_CHARS = ".,;:!?\"'«»“”‘’…*`()[]"  # trimmed from the edges of a prose word
_EDGE_TABLE = np.zeros(0x2030, dtype=np.bool_)
for _ch in _EDGE_CHARS:
    _EDGE_TABLE[ord(_ch)] = True


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
def _table_size(n):
    size = 4
    while size < 2 * n:
        size *= 2
    return size


@numba.njit(cache=True, nogil=True, inline="always")
def _slot(key, mask):
    return ((key * _NGRAM_BASE) >> np.uint64(40)) & mask


@numba.njit(cache=True, nogil=True, inline="always")
def _clear(values, n):
    """values[:n] = 0 without a slice (a view of a scratch array costs two reference count updates)."""
    for k in range(n):
        values[k] = 0


@numba.njit(cache=True, nogil=True, inline="always")
def _find(keys, key, slot, mask):
    """Open addressing with linear probing from `slot`: the slot holding key, or the empty one (0) where
    it belongs. Every hash set of the kernel (n-grams, lines, words, the word list) probes with this."""
    while True:
        held = keys[slot]
        if held == 0 or held == key:
            return slot
        slot = (slot + np.uint64(1)) & mask


@numba.njit(cache=True, nogil=True, inline="always")
def _count_repeats(hashes, weights, weighted, n, slots, positions):
    """Items among hashes[:n] equal to an earlier one, and their summed weights (when `weighted`).

    An open-addressing set (linear probing, at least twice as many slots as items, in the batch's
    scratch `slots`, with the position of each key in `positions`) keeps this linear in n; sorting every
    text's n-gram hashes instead took most of the kernel's time. Repeats come in runs (a repeated phrase
    repeats all its n-grams, a repeated section all its lines): once item k - 1 equals an earlier item j,
    item k is compared with item j + 1 first, whose key the set holds already, without a probe.
    """
    if n < 2:
        return 0, 0
    size = _table_size(2 * n)
    mask = np.uint64(size - 1)
    _clear(slots, size)
    dups = 0
    dup_weight = 0
    match = -1  # an earlier item equal to the previous one
    for k in range(n):
        key = hashes[k] | np.uint64(1)  # 0 marks an empty slot
        if match >= 0 and (hashes[match + 1] | np.uint64(1)) == key:
            match += 1
        else:
            slot = _find(slots, key, _slot(key, mask), mask)
            if slots[slot] == 0:
                slots[slot] = key
                positions[slot] = k
                match = -1
                continue
            match = positions[slot]
        dups += 1
        if weighted:
            dup_weight += weights[k]
    return dups, dup_weight


@numba.njit(cache=True, nogil=True, inline="always")
def _ngram_hashes(data, start, end, table, size, base_pow, window, hashes):
    """The rolling hashes of the character n-grams (n = size) of the text data[start:end] into hashes: over its
    characters other than spaces and box drawing ("┌──┬──┐" is layout, as spaces are)."""
    _clear(window, size)
    position = 0
    rolling = np.uint64(0)
    chars = 0
    n = 0
    i = start
    while i < end:
        cp, width = code_point_at(data, i)
        i += width
        if (_code_class(cp, table) & cc.SPACE) or 0x2500 <= cp <= 0x257F:
            continue
        outgoing = window[position]
        window[position] = np.uint64(cp + 1)
        position = position + 1 if position + 1 < size else 0  # no division per character
        rolling = rolling * _NGRAM_BASE + np.uint64(cp + 1) - outgoing * base_pow
        chars += 1
        if chars >= size:
            hashes[n] = rolling
            n += 1
    return n


@numba.njit(cache=True, nogil=True, inline="always")
def _ngram_dups(data, start, end, table, size, base_pow, n_ngrams, gram_bits_set, floor, window, hashes, weights, keys,
                counts):
    """The character n-grams of the text equal to an earlier one, or, with a `floor` (>= 0), a bound of them
    where it shows them at most that share of the n-grams.

    The bound needs no n-gram: a text has at least d - (n - 2) distinct n-grams where it has d distinct
    2-grams (a text's distinct (k+1)-grams are at least its distinct k-grams less one: every k-gram but the
    last one extends), and at least `gram_bits_set` - 1 distinct 2-grams (the main loop sets a bit per
    2-gram, and one for the first character alone: equal 2-grams set the same bit). Only the texts it
    leaves over the floor are hashed (_ngram_hashes) and counted (_count_repeats), whose equal keys are
    taken for equal n-grams as everywhere in this kernel.
    """
    if n_ngrams < 2:
        return 0
    if floor >= 0.0 and size >= 2:
        distinct = max(1, gram_bits_set - 1 - (size - 2))
        if n_ngrams - distinct <= floor * n_ngrams * _FLOOR_MARGIN:
            return n_ngrams - distinct
    _ngram_hashes(data, start, end, table, size, base_pow, window, hashes)
    dups, _ = _count_repeats(hashes, weights, False, n_ngrams, keys, counts)
    return dups


@numba.njit(cache=True, nogil=True, inline="always")
def _bigram_bound(word_hashes, word_lens, n_words, singles, bucket_counts):
    """An upper bound of what _word_ngram_stats measures for word 2-grams: an occurrence's rank among the
    earlier ones of its 2-gram times its characters. The 2-grams are put in buckets by their key (the same
    key: a 2-gram's prefix-hash difference is hash(w1) * base + hash(w2)), and an occurrence's rank in its
    bucket bounds its rank among its 2-gram's. First occurrences count when `singles` (a sentence phrase may
    be held once), else only repeats do."""
    buckets = _table_size(2 * n_words)
    mask = np.uint64(buckets - 1)
    _clear(bucket_counts, buckets)
    bound = 0
    for i in range(n_words - 1):
        key = (word_hashes[i] * _NGRAM_BASE + word_hashes[i + 1]) | np.uint64(1)
        bucket = _slot(key, mask)
        rank = bucket_counts[bucket] + 1
        bucket_counts[bucket] = rank
        if rank > 1 or singles:
            weight = rank * (word_lens[i] + word_lens[i + 1])
            if weight > bound:
                bound = weight
    return bound


@numba.njit(cache=True, nogil=True, inline="always")
def _word_ngram_stats(word_hashes, word_lens, sentence_starts, n_words, n_sentences, sizes_on, deep_share, deep_coverage,
                      phrase_min_sentences, top_floor, phrase_floor, keys, counts, last_sent, sent_counts, positions, item_slots,
                      prefix, chars, out, row):
    """Gopher's repetition measures over the text's words, into out[row, top2_chars..dup10_chars], and for
    n = 2..4 the n-gram held by the most sentences (ties: the more frequent), into out[row, phrase*].

    Prefix hashes give every n-gram's hash in O(1); one open-addressing table per n counts them.
    The 3- and 4-gram measures are left at 0 when the 2-grams show they cannot matter: an n-gram's
    occurrences are covered by those of its first and last 2-grams, so its share of the characters is
    at most twice the top 2-gram's (needed from `deep_share`), and the sentences holding it hold its
    first 2-gram (needed from `deep_coverage` of the sentences). The sentence measures are taken from
    `phrase_min_sentences` sentences on. prefix and chars: the batch's scratch for n_words + 1 items;
    positions (per slot) and item_slots (per n-gram) let an n-gram that continues a run of repeats find
    its slot without a probe, as in _count_repeats.

    With a `top_floor` (>= 0, and no 5..10-gram measure asked for), nothing is counted where a bound of the
    top 2-gram's characters (_bigram_bound) shows them at most top_floor of the word characters, and, when
    the phrase measures are taken, at most `phrase_floor`: every 3- or 4-gram then holds at most twice that
    (see above), in its occurrences as in the sentence phrase. top2_chars holds the bound, top3_chars and
    top4_chars twice it, the phrase measures 0.
    """
    if n_words < 2:
        return
    phrases = n_sentences >= phrase_min_sentences
    dup_sizes = False
    for n in range(5, 11):
        dup_sizes = dup_sizes or sizes_on[n]
    if top_floor >= 0.0 and sizes_on[2] and not dup_sizes:
        word_chars = 0
        for k in range(n_words):
            word_chars += word_lens[k]
        bound = _bigram_bound(word_hashes, word_lens, n_words, phrases, counts)
        if bound <= (min(top_floor, phrase_floor) if phrases else top_floor) * word_chars * _FLOOR_MARGIN:
            out[row, 36] = bound
            for n in range(3, 5):
                if sizes_on[n] and n_words >= n + 1:
                    out[row, 36 + n - 2] = 2 * bound
            return
    prefix[0] = 0
    chars[0] = 0
    for k in range(n_words):
        prefix[k + 1] = prefix[k] * _NGRAM_BASE + word_hashes[k]
        chars[k + 1] = chars[k] + word_lens[k]
    size = _table_size(2 * n_words)
    mask = np.uint64(size - 1)
    deep = True
    for n in range(2, 11):
        if not sizes_on[n] or n_words < n + 1 or (3 <= n <= 4 and not deep):
            continue
        base_pow = np.uint64(1)
        for _ in range(n):
            base_pow = base_pow * _NGRAM_BASE
        _clear(keys, size)
        best = 0
        covered_to = 0
        covered = 0
        phrase_sents = 0
        phrase_count = 0
        phrase_len = 0
        sentence = 0
        match = -1  # an earlier n-gram equal to the previous one
        for i in range(n_words - n + 1):
            key = (prefix[i + n] - prefix[i] * base_pow) | np.uint64(1)
            seen = 0
            if match >= 0 and ((prefix[match + 1 + n] - prefix[match + 1] * base_pow) | np.uint64(1)) == key:
                match += 1
                slot = item_slots[match]
                counts[slot] += 1
                seen = counts[slot]
            else:
                slot = _find(keys, key, _slot(key, mask), mask)
                if keys[slot] == 0:
                    keys[slot] = key
                    counts[slot] = 1
                    last_sent[slot] = -1
                    sent_counts[slot] = 0
                    positions[slot] = i
                    match = -1
                else:
                    counts[slot] += 1
                    seen = counts[slot]
                    match = positions[slot]
            item_slots[i] = slot
            if seen:
                if n <= 4:
                    weight = seen * (chars[i + n] - chars[i])
                    if weight > best:
                        best = weight
                else:
                    start = i if i > covered_to else covered_to
                    covered += chars[i + n] - chars[start]
                    covered_to = i + n
            if n <= 4 and phrases:
                while sentence < n_sentences and sentence_starts[sentence + 1] <= i:
                    sentence += 1
                if sentence < n_sentences and i + n <= sentence_starts[sentence + 1] and last_sent[slot] != sentence:
                    last_sent[slot] = sentence
                    sent_counts[slot] += 1
                held_sents = sent_counts[slot]
                if held_sents > phrase_sents or (held_sents == phrase_sents and held_sents > 0 and counts[slot] > phrase_count):
                    phrase_sents = held_sents
                    phrase_count = counts[slot]
                    phrase_len = chars[i + n] - chars[i]
        if n <= 4:
            out[row, 36 + n - 2] = best
            out[row, 60 + 2 * (n - 2)] = phrase_sents
            out[row, 61 + 2 * (n - 2)] = phrase_count * phrase_len
            if n == 2:
                deep = 2 * best > deep_share * chars[n_words] or phrases and phrase_sents >= deep_coverage * n_sentences
        else:
            out[row, 39 + n - 5] = covered


@numba.njit(cache=True, nogil=True, inline="always")
def _line_repeat_chars(word_hashes, word_lens, first, last, keys):
    """Word characters of words[first:last] (one line) covered by word 2-grams repeated within it."""
    size = _table_size(last - first)
    mask = np.uint64(size - 1)
    _clear(keys, size)
    covered = 0
    covered_to = first
    for i in range(first, last - 1):
        key = ((word_hashes[i] ^ _PAIR_SEED) * _NGRAM_BASE + word_hashes[i + 1]) | np.uint64(1)
        slot = _find(keys, key, _slot(key, mask), mask)
        if keys[slot] == 0:
            keys[slot] = key
        else:
            if covered_to <= i:
                covered += word_lens[i] + word_lens[i + 1]
            else:
                covered += word_lens[i + 1]
            covered_to = i + 2
    return covered


@numba.njit(cache=True, nogil=True)
def _is_keyword_separator(cp):
    return (cp == 0x2C or cp == 0xFF0C or cp == 0x3001 or cp == 0x3B or cp == 0xFF1B or cp == 0x2F or cp == 0x09
            or cp == 0x3000 or cp == 0x5F or cp == 0x7C or cp == 0xFF5C or cp == 0x30FB)


# --- the word list as hash sets ----------------------------------------------------------------------------------


@numba.njit(cache=True, nogil=True, inline="always")
def _mix(h, b):
    return (h ^ np.uint64(b)) * _FNV_PRIME


# OCR confusions as tables (a chain of comparisons compiles to a jump table whose mispredictions cost more
# than the hashing): the letter standing for each byte's single-character class (1 i -> l, 0 a -> o, e -> c,
# h -> b, u -> v), and the two-letter confusions rn -> m, cl -> d, vv -> w by their first letter.
_OCR_CLASS = np.arange(256, dtype=np.uint8)
for _from, _to in (("1", "l"), ("i", "l"), ("0", "o"), ("a", "o"), ("e", "c"), ("h", "b"), ("u", "v")):
    _OCR_CLASS[ord(_from)] = ord(_to)
_OCR_PAIR_SECOND = np.zeros(256, dtype=np.uint8)  # 0: the byte starts no two-letter confusion
_OCR_PAIR_FOLDED = np.zeros(256, dtype=np.uint8)
for _pair, _to in (("rn", "m"), ("cl", "d"), ("vv", "w")):
    _OCR_PAIR_SECOND[ord(_pair[0])] = ord(_pair[1])
    _OCR_PAIR_FOLDED[ord(_pair[0])] = ord(_to)


@numba.njit(cache=True, nogil=True, inline="always")
def _fold_push(h, pending, b):
    """Feed byte b to an OCR-folded hash: rn -> m, cl -> d, vv -> w, then the single-character classes.
    `pending` holds an r, c or v that may start a two-letter confusion (0: none)."""
    if pending != 0:
        if _OCR_PAIR_SECOND[pending] == b:
            return _mix(h, _OCR_PAIR_FOLDED[pending]), 0
        h = _mix(h, _OCR_CLASS[pending])
    if _OCR_PAIR_SECOND[b] != 0:
        return h, np.int64(b)
    return _mix(h, _OCR_CLASS[b]), 0


@numba.njit(cache=True, nogil=True, inline="always")
def _fold_flush(h, pending):
    return _mix(h, _OCR_CLASS[pending]) if pending != 0 else h


@numba.njit(cache=True, nogil=True, inline="always")
def _fingerprint(h):
    return np.uint32((h >> np.uint64(32)) | np.uint64(1))  # 0 marks an empty slot


@numba.njit(cache=True, nogil=True)
def _build_tables(offsets, data, known, folded):
    for row in range(offsets.shape[0] - 1):
        h = _FNV_OFFSET
        fh = _FNV_OFFSET
        pending = 0
        for i in range(offsets[row], offsets[row + 1]):
            h = _mix(h, data[i])
            fh, pending = _fold_push(fh, pending, data[i])
        fh = _fold_flush(fh, pending)
        for table, value in ((known, h), (folded, fh)):
            mask = np.uint64(table.shape[0] - 1)
            key = _fingerprint(value)
            table[_find(table, key, value & mask, mask)] = key


def word_table(words: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(known, OCR-folded) hash sets of lower-case ASCII words (letters, inner apostrophes) for compute().

    32-bit fingerprints in a table at most half full: a stray match takes about one unknown word in
    10,000 for a known one, far below what the rules measure, and the tables stay small enough (2 MiB
    each for wordfreq's large English list) to sit in cache.
    """
    offsets, data, _ = string_buffers(words)
    size = _table_size(len(words))
    known = np.zeros(size, dtype=np.uint32)
    folded = np.zeros(size, dtype=np.uint32)
    if len(words):
        _build_tables(offsets, data, known, folded)
    return known, folded


# --- the pass ----------------------------------------------------------------------------------------------------


@numba.njit(cache=True, nogil=True, inline="always")
def _line_items(data, s, e, table, kw_max_item_words, title_max_item_words):
    """The items of the line data[s:e], split by keyword separators or a space between two CJK characters:
    (items, short items, title-sized items, strong separators '_' '|')."""
    items = 0
    short_items = 0
    title_sized_items = 0
    strong_separators = 0
    item_words = 0
    item_latin = False
    item_clean = True  # letters, CJK, spaces, - and ' only
    item_spaced = False  # a space inside the item: a phrase, not an identifier
    last_content_cjk = False
    space_after_cjk = False
    word_len = 0
    i = s
    while i < e:
        cp, width = code_point_at(data, i)
        i += width
        cls = _code_class(cp, table)
        is_cjk = (cls & (cc.HAN | cc.KANA_HANGUL)) != 0
        is_word_char = (cls & (cc.LETTER | cc.DIGIT)) != 0 and not is_cjk
        new_word = is_cjk or (is_word_char and word_len == 0)
        if is_word_char:
            word_len += 1
            if cls & cc.LETTER:
                item_latin = True
        else:
            word_len = 0
        spacing = cp == 0x20 or cp == 0xA0
        split = _is_keyword_separator(cp)
        if cp == 0x5F and not last_content_cjk and not item_spaced:
            split = False  # '_' inside an identifier (local_address) joins; after CJK or a phrase it separates
        if not split and not spacing and space_after_cjk and is_cjk:
            split = True
        punct = (cls & (cc.PUNCT | cc.SYMBOL)) != 0 and cp != 0x2D and cp != 0x27 and cp != 0x2019 and cp != 0x5F
        if split:
            if item_words > 0:
                items += 1
                if item_clean and item_words <= kw_max_item_words and (item_words >= 2 or item_latin):
                    short_items += 1
                if 3 <= item_words <= title_max_item_words:
                    title_sized_items += 1
            if cp == 0x5F or cp == 0x7C or cp == 0xFF5C:
                strong_separators += 1
            item_words = 0
            item_latin = False
            item_clean = True
            item_spaced = False
        if spacing:
            space_after_cjk = last_content_cjk
            item_spaced = item_spaced or item_words > 0
        else:
            space_after_cjk = False
            if not (split or punct) or (split and is_cjk):  # content of the current item
                if cls & cc.DIGIT or cp == 0x5F or (cp == 0x27 and item_words == 0):
                    item_clean = False  # an identifier, a number, or a quoted literal ('ArithmeticError')
                if new_word:
                    item_words += 1
                if (cls & cc.LETTER) and not is_cjk:
                    item_latin = True
            elif not split:
                item_clean = False  # punctuation inside an item
            last_content_cjk = is_cjk
    if item_words > 0:
        items += 1
        if item_clean and item_words <= kw_max_item_words and (item_words >= 2 or item_latin):
            short_items += 1
        if 3 <= item_words <= title_max_item_words:
            title_sized_items += 1
    return items, short_items, title_sized_items, strong_separators


@numba.njit(cache=True, nogil=True, inline="always")
def _prose_words(data, tok_starts, tok_ends, n_tokens, known, folded, min_word_chars, prose_min_run, judge_min_run, part_hash,
                 part_len, part_letters, part_flags, cand_hash, cand_flags):
    """Prose words of the text's candidate tokens (a start of -1 marks a token or line end that breaks a
    run): (letters of prose words in runs of prose_min_run, words in runs of judge_min_run judged against
    the list, unknown ones, garbled ones, candidates).

    A prose word is lower-case a-z (the first letter may be a capital), with inner apostrophes and
    hyphens (each hyphen-separated part is a word, as word lists hold them), edge punctuation trimmed;
    the digits 0 and 1 may stand in for letters when an OCR confusion makes the part a known word.
    Judged words the list knows are done; the unknown ones, and those with OCR digits (garbled when
    used once), go to cand_* for the once-used test, which needs every word of the text: a document's
    own identifiers recur (eth0 in a network configuration), OCR noise does not. Everything is written
    out in this one function (inlined into the kernel's): a helper called per token would update the
    reference counts of its array arguments, at five times the cost of the parsing itself.
    """
    known_mask = np.uint64(known.shape[0] - 1)
    folded_mask = np.uint64(folded.shape[0] - 1)
    have_words = known.shape[0] > 0
    letters_total = 0
    judged = 0
    unknown = 0
    garbled = 0
    n_cands = 0
    run_tokens = 0
    run_parts = 0
    prev_hash = np.uint64(0)
    for t in range(n_tokens + 1):
        ok = t < n_tokens and tok_starts[t] >= 0
        if ok:
            s = tok_starts[t]
            e = tok_ends[t]
            lead = False
            while s < e:
                b = data[s]
                if b < 0x80:
                    if not _EDGE_TABLE[b]:
                        break
                    s += 1
                else:
                    cp, width = code_point_at(data, s)
                    if not (cp < 0x2030 and _EDGE_TABLE[cp]):
                        break
                    s += width
                lead = True
            trail = False
            while e > s:
                b = data[e - 1]
                if b < 0x80:
                    if not _EDGE_TABLE[b]:
                        break
                    e -= 1
                else:
                    k = e - 1
                    while k > s and (data[k] & 0xC0) == 0x80:
                        k -= 1
                    cp, width = code_point_at(data, k)
                    if not (cp < 0x2030 and _EDGE_TABLE[cp]):
                        break
                    e = k
                trail = True
            ok = s < e
            parts = 0
            h = _FNV_OFFSET
            fh = _FNV_OFFSET
            pending = 0
            length = 0
            letters = 0
            digit = False
            joined = prev_hash if run_tokens > 0 and not lead else np.uint64(0)
            after_joiner = True
            k = s
            while ok and k <= e:
                if k < e:
                    b = np.int64(data[k])
                    if b >= 0x80:
                        cp, width = code_point_at(data, k)
                        if cp != 0x2019:
                            ok = False
                            break
                        k += width
                        b = 0x27
                    else:
                        k += 1
                else:
                    b = 0x2D  # the token's end closes its last part, as a hyphen does
                    k += 1
                if 0x61 <= b <= 0x7A:
                    letters += 1
                elif b == 0x30 or b == 0x31:
                    digit = True
                elif 0x41 <= b <= 0x5A and k - 1 == s:
                    b += 32
                    letters += 1
                elif b == 0x27 or b == 0x2D:
                    if after_joiner:
                        ok = False
                        break
                    after_joiner = True
                    if b == 0x27:
                        h = _mix(h, b)
                        fh = _mix(_fold_flush(fh, pending), b)
                        pending = 0
                        length += 1
                        continue
                    # a part ends
                    if letters == 0:
                        ok = False
                        break
                    flags = 0
                    if digit or length >= min_word_chars:
                        if not digit and have_words and known[_find(known, _fingerprint(h), h & known_mask, known_mask)] != 0:
                            flags = _KNOWN
                        if flags == 0 and have_words:
                            f = _fold_flush(fh, pending)
                            if folded[_find(folded, _fingerprint(f), f & folded_mask, folded_mask)] != 0:
                                flags = _NEAR
                        if digit:
                            if flags != _NEAR or length < min_word_chars:
                                ok = False
                                break
                            flags = _DIGIT | _NEAR
                    at = run_parts + parts
                    part_hash[at] = h
                    part_len[at] = length
                    part_letters[at] = letters
                    part_flags[at] = flags
                    parts += 1
                    if (parts == 1 and joined != 0 and have_words
                            and (part_flags[run_parts - 1] & flags & _KNOWN) == 0  # only an unknown half reads the flag
                            and known[_find(known, _fingerprint(joined), joined & known_mask, known_mask)] != 0):
                        part_flags[run_parts - 1] |= _FRAGMENT  # "infor mation": both halves are garbled words
                        part_flags[run_parts] |= _FRAGMENT
                    h = _FNV_OFFSET
                    fh = _FNV_OFFSET
                    pending = 0
                    length = 0
                    letters = 0
                    digit = False
                    continue
                else:
                    ok = False
                    break
                after_joiner = False
                h = _mix(h, b)
                fh, pending = _fold_push(fh, pending, b)
                length += 1
                if parts == 0 and joined != 0:
                    joined = _mix(joined, b)
            if ok:
                run_tokens += 1
                run_parts += parts
                prev_hash = part_hash[run_parts - 1] if not trail else np.uint64(0)
                continue
        if run_tokens >= prose_min_run:
            for k in range(run_parts):
                letters_total += part_letters[k]
        if run_tokens >= judge_min_run:
            for k in range(run_parts):
                if part_len[k] >= min_word_chars:
                    judged += 1
                    flags = part_flags[k]
                    if not (flags & _KNOWN):  # unknown, or a known word with OCR digits (w0rd): judged if used once
                        cand_hash[n_cands] = part_hash[k]
                        cand_flags[n_cands] = flags
                        n_cands += 1
        run_tokens = 0
        run_parts = 0
        prev_hash = np.uint64(0)
    return letters_total, judged, unknown, garbled, n_cands


@numba.njit(cache=True, nogil=True, inline="always")
def _once_used(word_hashes, n_words, cand_hash, cand_flags, n_cands, keys, counts):
    """(candidates the text uses once, garbled ones among them): a document's own terms recur.

    A few candidates are counted by a scan of the words; many, with a hash set of the words."""
    unknown = 0
    garbled = 0
    if n_cands <= _SCAN_CANDIDATES:
        for c in range(n_cands):
            key = cand_hash[c] | np.uint64(1)
            uses = 0
            for k in range(n_words):
                uses += (word_hashes[k] | np.uint64(1)) == key
            if uses <= 1:
                unknown += 1
                if cand_flags[c] & (_NEAR | _FRAGMENT):
                    garbled += 1
        return unknown, garbled
    size = _table_size(2 * n_words)
    mask = np.uint64(size - 1)
    _clear(keys, size)
    for k in range(n_words):
        key = word_hashes[k] | np.uint64(1)
        slot = _find(keys, key, _slot(key, mask), mask)
        if keys[slot] == 0:
            keys[slot] = key
            counts[slot] = 1
        else:
            counts[slot] += 1
    for k in range(n_cands):
        key = cand_hash[k] | np.uint64(1)
        slot = _find(keys, key, _slot(key, mask), mask)
        uses = counts[slot] if keys[slot] != 0 else 0
        if uses <= 1:
            unknown += 1
            if cand_flags[k] & (_NEAR | _FRAGMENT):
                garbled += 1
    return unknown, garbled


@numba.njit(cache=True, nogil=True, inline="always")
def _run_of(cp, separator, run_cp, run_len, max_run):
    """(run_cp, run_len, max_run) after one non-space character: the run of one repeated character, which
    punctuation and symbols break ("-----" and "═════" are layout)."""
    if separator:
        return -1, 0, max_run
    run_len = run_len + 1 if cp == run_cp else 1
    return cp, run_len, max(max_run, run_len)


@numba.njit(cache=True, nogil=True)
def _batch_stats(offsets, data, valid, table, bullets, ngram_n, digit_run_min, sizes_on, kw_min_items, kw_max_item_words,
                 title_max_item_words, rare_ratio, rare_min_han, prose_min_run, judge_min_run, min_word_chars, min_ellipsis_words,
                 deep_share, deep_coverage, phrase_min_sentences, ngram_floor, top_floor, phrase_floor, known, folded, letter_shares,
                 out):
    longest = 0
    for row in range(offsets.shape[0] - 1):
        if valid[row] and offsets[row + 1] - offsets[row] > longest:
            longest = offsets[row + 1] - offsets[row]
    items = longest + 2
    slots = _table_size(2 * items)
    line_hashes = np.empty(items, dtype=np.uint64)
    line_weights = np.empty(items, dtype=np.int32)
    para_hashes = np.empty(items, dtype=np.uint64)
    para_weights = np.empty(items, dtype=np.int32)
    ngram_hashes = np.empty(items, dtype=np.uint64)
    word_hashes = np.empty(items, dtype=np.uint64)
    word_lens = np.empty(items, dtype=np.int32)
    sentence_starts = np.zeros(items + 1, dtype=np.int32)
    keys = np.empty(slots, dtype=np.uint64)
    counts = np.empty(slots, dtype=np.int32)
    last_sent = np.empty(slots, dtype=np.int32)
    sent_counts = np.empty(slots, dtype=np.int32)
    tok_starts = np.empty(items, dtype=np.int64)
    tok_ends = np.empty(items, dtype=np.int64)
    part_hash = np.empty(items, dtype=np.uint64)
    part_len = np.empty(items, dtype=np.int32)
    part_letters = np.empty(items, dtype=np.int32)
    part_flags = np.empty(items, dtype=np.uint8)
    cand_hash = np.empty(items, dtype=np.uint64)
    cand_flags = np.empty(items, dtype=np.uint8)
    window = np.zeros(max(ngram_n, 1), dtype=np.uint64)
    letters = np.zeros(26, dtype=np.int64)
    prefix = np.empty(items + 1, dtype=np.uint64)
    prefix_chars = np.empty(items + 1, dtype=np.int64)
    positions = np.empty(slots, dtype=np.int32)
    item_slots = np.empty(items, dtype=np.uint64)
    bitmap_bits = 64
    while bitmap_bits < 4 * items and bitmap_bits < _MAX_BITMAP_BITS:
        bitmap_bits *= 2
    grams = np.empty(bitmap_bits >> 6, dtype=np.uint64)
    base_pow = np.uint64(1)
    for _ in range(ngram_n):
        base_pow = base_pow * _NGRAM_BASE
    for row in range(offsets.shape[0] - 1):  # one text after the other, in this one function: a call per text
        if valid[row]:                        # would update the reference counts of ~40 scratch arrays twice
            start = offsets[row]
            end = offsets[row + 1]
            n_chars = 0
            n_han = 0
            n_common_han = 0
            n_kana = 0
            n_letters = 0
            n_digits = 0
            n_spaces = 0
            n_punct = 0
            n_symbols = 0
            n_control = 0
            n_format = 0
            n_private = 0
            n_replacement = 0
            n_cjk = 0
            n_latin_words = 0
            n_latin_word_chars = 0
            n_terminal_lines = 0
            n_bullet_lines = 0
            n_ellipsis_lines = 0
            n_content = 0
            max_run = 0
            n_moji_pairs = 0
            n_digit_runs = 0
            n_hashes = 0
            n_ellipses = 0
            n_content_lines = 0
            n_sentence_ends = 0
            n_keyword_lines = 0
            n_keyword_line_chars = 0
            n_title_items = 0
            n_rare_lines = 0
            n_rare_line_chars = 0
            n_c1 = 0
            n_alpha_words = 0
            n_alpha_word_chars = 0
            n_tokens = 0
            n_alpha_tokens = 0
            n_plain_lines = 0
            n_line_repeat_chars = 0
            n_sentences = 0
            _clear(letters, 26)

            n_lines = 0
            n_dup_candidates = 0
            n_paras = 0
            n_para_candidates = 0
            n_words = 0
            n_prose_tokens = 0
            # the distinct character 2-grams, for the bound of the repeated n-grams (see _ngram_dups), in a bitmap
            gram_bits = 64
            while gram_bits < 4 * (end - start + 1) and gram_bits < _MAX_BITMAP_BITS:
                gram_bits *= 2
            gram_mask = np.uint64(gram_bits - 1)
            _clear(grams, gram_bits >> 6)
            gram_cp = _NO_CODE_POINT
            gram_distinct = 0
            n_gram_chars = 0
            line_start = start
            line_hash = _FNV_OFFSET
            line_len = 0
            line_content = False
            line_sentence = False
            line_plain = True
            line_splits = False  # a keyword separator, or a space in a line with CJK: the line may be a list of items
            line_han = 0
            line_common_han = 0
            line_cjk = 0
            line_words = 0
            line_first_word = 0
            first_cp = -1
            first_next = start
            last1 = -1
            last2 = -1
            last3 = -1
            last4 = -1
            para_hash = _FNV_OFFSET
            para_len = 0
            para_words = 0
            run_cp = -1
            run_len = 0
            word_len = 0
            word_letter = False
            word_hash = _FNV_OFFSET
            sentence_words = 0
            digit_run = 0
            prev_cp = -1
            dots_after = -1  # the character before the current run of dots
            first_line_seen = False
            hash_pending = False
            # the current whitespace-separated token
            tok_start = start
            tok_len = 0
            tok_cjk = 0  # CJK characters: a word each, as everywhere in this kernel
            tok_alnum = False  # a letter or digit outside CJK ...
            tok_alpha = False  # ... a letter
            tok_latin = False  # holds an ASCII letter ...
            tok_prose = True  # ... and nothing but a-z, A-Z, 0, 1, ' - and edge punctuation

            i = start
            while i <= end:
                # Fast paths for the two commonest cases, which change few counts: lower-case ASCII letters that
                # continue a Latin word, and Han characters that continue a line of CJK text. Each does exactly
                # what the general path below would do for those characters; the general path does the rest.
                # The n-gram update is written out in each: a helper taking the window and hash arrays, even
                # inlined, updates their reference counts per character and doubles the kernel's time.
                if word_len > 0 and digit_run == 0 and i < end and 0x61 <= data[i] <= 0x7A:
                    first = i
                    while i < end and 0x61 <= data[i] <= 0x7A:
                        cp = np.int64(data[i])
                        i += 1
                        letters[cp - 0x61] += 1
                        word_hash = (word_hash ^ np.uint64(cp)) * _FNV_PRIME
                        run_cp, run_len, max_run = _run_of(cp, False, run_cp, run_len, max_run)
                        bit = (((np.uint64(gram_cp) << np.uint64(21)) | np.uint64(cp)) * _NGRAM_BASE >> np.uint64(40)) & gram_mask
                        flag = np.uint64(1) << (bit & np.uint64(63))
                        gram_distinct += (grams[bit >> np.uint64(6)] & flag) == 0
                        grams[bit >> np.uint64(6)] |= flag
                        gram_cp = cp
                        n_gram_chars += 1
                        line_hash = (line_hash ^ np.uint64(cp)) * _FNV_PRIME
                        last4 = last3
                        last3 = last2
                        last2 = last1
                        last1 = cp
                    run = i - first
                    n_chars += run
                    n_content += run
                    n_letters += run
                    tok_len += run
                    word_len += run
                    line_len += run
                    tok_latin = True
                    tok_alpha = True
                    word_letter = True
                    prev_cp = last1
                    continue
                if (line_len > 0 and tok_len > 0 and word_len == 0 and digit_run == 0 and not hash_pending
                        and i + 2 < end and 0xE3 <= data[i] <= 0xE9):
                    cp, width = code_point_at(data, i)
                    cls = _code_class(cp, table)
                    if cls == cc.HAN or cls == cc.HAN | cc.COMMON_HAN:
                        while True:
                            i += 3
                            if cls & cc.COMMON_HAN:
                                n_common_han += 1
                                line_common_han += 1
                            n_han += 1
                            line_han += 1
                            n_cjk += 1
                            line_cjk += 1
                            line_words += 1
                            sentence_words += 1
                            n_chars += 1
                            n_content += 1
                            tok_len += 1
                            tok_cjk += 1
                            line_len += 1
                            word_hashes[n_words] = (_CJK_WORD_SEED ^ np.uint64(cp)) * _FNV_PRIME
                            word_lens[n_words] = 1
                            n_words += 1
                            run_cp, run_len, max_run = _run_of(cp, False, run_cp, run_len, max_run)
                            bit = (((np.uint64(gram_cp) << np.uint64(21)) | np.uint64(cp)) * _NGRAM_BASE >> np.uint64(40)) & gram_mask
                            flag = np.uint64(1) << (bit & np.uint64(63))
                            gram_distinct += (grams[bit >> np.uint64(6)] & flag) == 0
                            grams[bit >> np.uint64(6)] |= flag
                            gram_cp = cp
                            n_gram_chars += 1
                            line_hash = (line_hash ^ np.uint64(cp)) * _FNV_PRIME
                            last4 = last3
                            last3 = last2
                            last2 = last1
                            last1 = cp
                            prev_cp = cp
                            if not (i + 2 < end and 0xE3 <= data[i] <= 0xE9):
                                break
                            cp, width = code_point_at(data, i)
                            cls = _code_class(cp, table)
                            if not (cls == cc.HAN or cls == cc.HAN | cc.COMMON_HAN):
                                break
                        tok_prose = False
                        line_content = True
                        continue
                if i < end:
                    cp, width = code_point_at(data, i)
                    at = i
                    i += width
                else:
                    cp = np.int64(10)  # a virtual final newline closes the last line
                    at = i
                    i += 1
                    n_chars -= 1
                    n_spaces -= 1
                cls = _code_class(cp, table)
                n_chars += 1
                is_space = (cls & cc.SPACE) != 0
                if is_space:
                    if tok_len > 0:  # a whitespace-separated token ends
                        n_tokens += tok_cjk + tok_alnum
                        n_alpha_tokens += tok_cjk + tok_alpha
                        if tok_latin and tok_prose:
                            tok_starts[n_prose_tokens] = tok_start
                            tok_ends[n_prose_tokens] = at
                            n_prose_tokens += 1
                        elif n_prose_tokens > 0 and tok_starts[n_prose_tokens - 1] >= 0:
                            tok_starts[n_prose_tokens] = -1  # a token that is not prose ends a run of prose words
                            n_prose_tokens += 1
                        tok_len = 0
                        tok_cjk = 0
                        tok_alnum = False
                        tok_alpha = False
                        tok_latin = False
                        tok_prose = True
                    if cp == 10 and n_prose_tokens > 0 and tok_starts[n_prose_tokens - 1] >= 0:
                        tok_starts[n_prose_tokens] = -1  # so does a line end
                        n_prose_tokens += 1
                    if cp == 0x09 or cp == 0x3000 or (cp != 10 and line_cjk > 0):
                        line_splits = True
                else:
                    if tok_len == 0:
                        tok_start = at
                    tok_len += 1
                    if cp < 0x80:
                        if (0x61 <= cp <= 0x7A) or (0x41 <= cp <= 0x5A):
                            tok_latin = True
                            letters[(cp | 0x20) - 0x61] += 1
                        elif not (cp == 0x30 or cp == 0x31 or cp == 0x27 or cp == 0x2D or _EDGE_TABLE[cp]):
                            tok_prose = False
                    elif not (cp < 0x2030 and _EDGE_TABLE[cp]):
                        tok_prose = False
                is_cjk = (cls & (cc.HAN | cc.KANA_HANGUL)) != 0
                is_word_char = (cls & (cc.LETTER | cc.DIGIT)) != 0 and not is_cjk
                if is_word_char:
                    if word_len == 0:
                        word_hash = _FNV_OFFSET
                        word_letter = False
                        line_words += 1
                    word_len += 1
                    folded_cp = cp + 32 if 0x41 <= cp <= 0x5A else cp
                    word_hash = (word_hash ^ np.uint64(folded_cp)) * _FNV_PRIME
                    if cls & cc.LETTER:
                        word_letter = True
                        tok_alpha = True
                    tok_alnum = True
                elif word_len > 0:
                    n_latin_words += 1
                    n_latin_word_chars += word_len
                    if word_letter:
                        n_alpha_words += 1
                        n_alpha_word_chars += word_len
                    word_hashes[n_words] = word_hash
                    word_lens[n_words] = word_len
                    n_words += 1
                    sentence_words += 1
                    word_len = 0
                if is_cjk:
                    n_cjk += 1
                    line_cjk += 1
                    line_words += 1
                    tok_cjk += 1
                    word_hashes[n_words] = (_CJK_WORD_SEED ^ np.uint64(cp)) * _FNV_PRIME
                    word_lens[n_words] = 1
                    n_words += 1
                    sentence_words += 1
                if 0x30 <= cp <= 0x39:
                    digit_run += 1
                else:
                    if digit_run_min <= digit_run <= _MAX_DIGIT_RUN:
                        n_digit_runs += 1
                    digit_run = 0
                if cp == 0x3002 or cp == 0xFF01 or cp == 0xFF1F or (
                        (prev_cp == 0x2E or prev_cp == 0x21 or prev_cp == 0x3F) and is_space):
                    n_sentence_ends += 1
                    line_sentence = True
                    if sentence_words > 0:
                        n_sentences += 1
                        sentence_starts[n_sentences] = n_words
                        sentence_words = 0

                if is_space:
                    n_spaces += 1
                    run_len = 0
                    run_cp = -1
                else:
                    n_content += 1
                    if cls & cc.HAN:
                        n_han += 1
                        line_han += 1
                        if cls & cc.COMMON_HAN:
                            n_common_han += 1
                            line_common_han += 1
                    if cls & cc.KANA_HANGUL:
                        n_kana += 1
                    if cls & cc.LETTER:
                        n_letters += 1
                    if cls & cc.DIGIT:
                        n_digits += 1
                        line_plain = False
                    if cls & (cc.LETTER | cc.DIGIT | cc.HAN | cc.KANA_HANGUL):
                        line_content = True
                    else:
                        if not (cp == 0x27 or cp == 0x2D or cp == 0x26 or cp == 0x2019):
                            line_plain = False
                        if _is_keyword_separator(cp):
                            line_splits = True
                    if cls & cc.PUNCT:
                        n_punct += 1
                    if cls & cc.SYMBOL:
                        n_symbols += 1
                    if cls & cc.CONTROL:
                        n_control += 1
                        if 0x80 <= cp <= 0x9F:
                            n_c1 += 1
                    if cls & cc.FORMAT:
                        n_format += 1
                    if cls & cc.PRIVATE_USE:
                        n_private += 1
                    if cp == 0xFFFD:
                        n_replacement += 1
                    if hash_pending and (cls & (cc.LETTER | cc.DIGIT | cc.HAN | cc.KANA_HANGUL)):
                        n_hashes += 1
                    hash_pending = cp == 0x23 and line_len > 0 and prev_cp == 0x20  # " #tag": not "# comment", "#include"
                    if cp == 0x2E and prev_cp != 0x2E:
                        dots_after = prev_cp
                    if (cp == 0x2026 and _code_class(prev_cp, table) & _WORD_CLASSES) or (
                            cp == 0x2E and last1 == 0x2E and last2 == 0x2E and _code_class(dots_after, table) & _WORD_CLASSES):
                        n_ellipses += 1  # trailing off after a word: not "[FILE]...", a "... " prompt or a placeholder "(...)"
                    if 0xC2 <= prev_cp <= 0xF4 and (cls & cc.CP1252_HIGH):
                        n_moji_pairs += 1
                    run_cp, run_len, max_run = _run_of(cp, (cls & (cc.PUNCT | cc.SYMBOL)) != 0, run_cp, run_len, max_run)
                    if not (0x2500 <= cp <= 0x257F):  # box drawing ("┌──┬──┐") is layout, as spaces are (_ngram_hashes)
                        bit = (((np.uint64(gram_cp) << np.uint64(21)) | np.uint64(cp)) * _NGRAM_BASE >> np.uint64(40)) & gram_mask
                        flag = np.uint64(1) << (bit & np.uint64(63))
                        gram_distinct += (grams[bit >> np.uint64(6)] & flag) == 0
                        grams[bit >> np.uint64(6)] |= flag
                        gram_cp = cp
                        n_gram_chars += 1
                    # line bookkeeping
                    if line_len == 0:
                        first_cp = cp
                        first_next = i  # the byte after it
                    line_hash = (line_hash ^ np.uint64(cp)) * _FNV_PRIME
                    line_len += 1
                    last4 = last3
                    last3 = last2
                    last2 = last1
                    last1 = cp

                if cp == 10:
                    if line_len > 0:
                        n_lines += 1
                        signature = (first_cp == 0x2D or first_cp == 0x2014 or first_cp == 0x2015) and line_len <= _SIGNATURE_MAX_CHARS
                        if line_content:
                            n_content_lines += 1
                            if line_plain:
                                n_plain_lines += 1
                        if line_content and not signature and line_words >= _MIN_DUP_LINE_WORDS:
                            line_hashes[n_dup_candidates] = line_hash
                            line_weights[n_dup_candidates] = line_len
                            n_dup_candidates += 1
                        if _code_class(last1, table) & cc.TERMINAL:
                            n_terminal_lines += 1
                        if line_han >= rare_min_han and line_han - line_common_han > rare_ratio * line_han:
                            n_rare_lines += 1
                            n_rare_line_chars += line_len
                        for k in range(bullets.shape[0]):
                            if first_cp == bullets[k]:  # a bullet is set off by a space: "-X dev" is an option, not an item
                                if first_next >= at or _code_class(code_point_at(data, first_next)[0], table) & cc.SPACE:
                                    n_bullet_lines += 1
                                break
                        if (last1 == 0x2026 or (last1 == 0x2E and last2 == 0x2E and last3 == 0x2E)) and line_words >= min_ellipsis_words:
                            before = last2 if last1 == 0x2026 else last4
                            if not (before == 0x5D or before == 0x3E or before == 0x7D or before == 0x29 or before == 0x2E):
                                n_ellipsis_lines += 1
                        if not line_sentence:
                            if n_words - line_first_word >= _MIN_REPEAT_LINE_WORDS:
                                n_line_repeat_chars += _line_repeat_chars(word_hashes, word_lens, line_first_word, n_words, keys)
                            if line_splits:  # a keyword line, or the SEO title when it is the first line?
                                items, short_items, title_sized_items, strong_separators = _line_items(
                                    data, line_start, at, table, kw_max_item_words, title_max_item_words)
                                if items >= kw_min_items and 4 * short_items >= 3 * items:
                                    n_keyword_lines += 1
                                    n_keyword_line_chars += line_len
                                if not first_line_seen and title_sized_items == items and strong_separators >= items - 1:
                                    n_title_items = items
                        para_hash = (para_hash ^ line_hash) * _FNV_PRIME
                        para_len += line_len
                        para_words += line_words
                        first_line_seen = True
                    if line_len == 0 or i > end:
                        if para_len > 0:
                            n_paras += 1
                            if para_words >= _MIN_DUP_LINE_WORDS:  # nor are table cells ("47", "日语") one to a paragraph
                                para_hashes[n_para_candidates] = para_hash
                                para_weights[n_para_candidates] = para_len
                                n_para_candidates += 1
                        para_hash = _FNV_OFFSET
                        para_len = 0
                        para_words = 0
                    line_start = i
                    line_hash = _FNV_OFFSET
                    line_len = 0
                    line_content = False
                    line_sentence = False
                    line_plain = True
                    line_splits = False
                    line_han = 0
                    line_common_han = 0
                    line_cjk = 0
                    line_words = 0
                    line_first_word = n_words
                    last1 = -1
                    last2 = -1
                    last3 = -1
                    last4 = -1
                prev_cp = cp

            n_prose_letters, n_prose_words, n_unknown, n_garbled, n_cands = _prose_words(
                data, tok_starts, tok_ends, n_prose_tokens, known, folded, min_word_chars, prose_min_run, judge_min_run, part_hash,
                part_len, part_letters, part_flags, cand_hash, cand_flags)
            if n_cands > 0:
                once, garbled = _once_used(word_hashes, n_words, cand_hash, cand_flags, n_cands, keys, counts)
                n_unknown += once
                n_garbled += garbled

            total = 0
            for k in range(26):
                total += letters[k]
            rarest = 1000
            if total > 0:
                for k in range(26):
                    if letter_shares[k] > 0:
                        permille = np.int64(1000.0 * letters[k] / total / letter_shares[k])
                        if permille < rarest:
                            rarest = permille

            out[row, 0] = n_chars
            out[row, 1] = n_han
            out[row, 2] = n_common_han
            out[row, 3] = n_kana
            out[row, 4] = n_letters
            out[row, 5] = n_digits
            out[row, 6] = n_spaces
            out[row, 7] = n_punct
            out[row, 8] = n_symbols
            out[row, 9] = n_control
            out[row, 10] = n_format
            out[row, 11] = n_private
            out[row, 12] = n_replacement
            out[row, 13] = n_cjk + n_latin_words
            out[row, 14] = n_latin_words
            out[row, 15] = n_latin_word_chars
            out[row, 16] = n_lines
            out[row, 17] = n_terminal_lines
            out[row, 18] = n_bullet_lines
            out[row, 19] = n_ellipsis_lines
            out[row, 20], out[row, 21] = _count_repeats(line_hashes, line_weights, True, n_dup_candidates, keys, counts)
            out[row, 22] = n_paras
            out[row, 23], out[row, 24] = _count_repeats(para_hashes, para_weights, True, n_para_candidates, keys, counts)
            out[row, 25] = n_content
            out[row, 26] = max_run
            n_ngrams = max(0, n_gram_chars - ngram_n + 1) if ngram_n > 0 else 0
            out[row, 27] = n_ngrams
            out[row, 28] = _ngram_dups(data, start, end, table, ngram_n, base_pow, n_ngrams, gram_distinct, ngram_floor, window,
                                       ngram_hashes, line_weights, keys, counts)
            out[row, 29] = n_moji_pairs
            out[row, 30] = n_digit_runs
            out[row, 31] = n_hashes
            out[row, 32] = n_ellipses
            out[row, 33] = n_content_lines
            out[row, 34] = n_sentence_ends
            out[row, 35] = n_latin_word_chars + n_cjk
            out[row, 45] = n_keyword_lines
            out[row, 46] = n_keyword_line_chars
            out[row, 47] = n_title_items
            out[row, 48] = n_rare_lines
            out[row, 49] = n_rare_line_chars
            out[row, 50] = n_prose_letters
            out[row, 51] = rarest if total > 0 else 0
            out[row, 52] = n_c1
            out[row, 53] = n_alpha_words
            out[row, 54] = n_alpha_word_chars
            out[row, 55] = n_tokens
            out[row, 56] = n_alpha_tokens
            out[row, 57] = n_plain_lines
            out[row, 58] = n_line_repeat_chars
            out[row, 59] = n_sentences
            out[row, 66] = total
            out[row, 67] = n_prose_words
            out[row, 68] = n_unknown
            out[row, 69] = n_garbled
            _word_ngram_stats(word_hashes, word_lens, sentence_starts, n_words, n_sentences, sizes_on, deep_share, deep_coverage,
                              phrase_min_sentences, top_floor, phrase_floor, keys, counts, last_sent, sent_counts, positions, item_slots, prefix, prefix_chars,
                              out, row)


# the ten most frequent letters of English and their usual share of letters
LETTER_SHARES = {"e": 0.127, "t": 0.091, "a": 0.082, "o": 0.075, "i": 0.070, "n": 0.067, "s": 0.063, "h": 0.061,
                 "r": 0.060, "l": 0.040}
_LETTER_SHARES = np.array([LETTER_SHARES.get(chr(0x61 + k), 0.0) for k in range(26)])
_NO_WORDS = np.zeros(0, dtype=np.uint32)


@dataclass(frozen=True)
class TextStats:
    """Counts per text, one int64 numpy column per name in STAT_NAMES."""

    values: np.ndarray  # shape (rows, len(STAT_NAMES)), column by column in memory: each rule reads whole columns

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.values[:, _IDX[name]]
        except KeyError:
            raise AttributeError(name) from None

    def __len__(self) -> int:
        return self.values.shape[0]

    def patched(self, rows: np.ndarray, other: "TextStats") -> "TextStats":
        """These stats with the given rows replaced by other's rows (in order)."""
        values = self.values.copy(order="K")
        values[rows] = other.values
        return TextStats(values)


def compute(texts: pa.Array, ngram_size: int = 10, digit_run_min: int = 7, word_ngram_sizes=(*TOP_NGRAM_SIZES, *DUP_NGRAM_SIZES),
            keyword_min_items: int = 4, keyword_max_item_words: int = 8, title_max_item_words: int = 20,
            rare_han_ratio: float = 0.4, rare_min_han: int = 8, prose_min_run: int = 4, judge_min_run: int | None = None,
            min_word_chars: int = 4,
            min_ellipsis_words: int = 0, deep_share: float = 0.0, deep_coverage: float = 0.0, phrase_min_sentences: int = 1,
            words: tuple[np.ndarray, np.ndarray] | None = None, ngram_floor: float | None = None,
            top_floor: float | None = None, phrase_floor: float = 0.0) -> TextStats:
    """Statistics of every text in `texts` (a string array; nulls count as empty).

    word_ngram_sizes: which word n-gram measures to compute (2..4 most frequent and held by most
    sentences, 5..10 duplicated); the others stay 0. deep_share, deep_coverage: the 2-gram share of the
    word characters and the 2-gram sentence coverage from which the 3- and 4-gram measures are taken
    (0: always; see _word_ngram_stats); phrase_min_sentences: the sentences from which the phrase
    measures are taken (below, they stay 0). words: word_table() of a word list, for the prose-word counts
    (None: every prose word counts as unknown and none as garbled), taken over runs of judge_min_run
    prose tokens (None: prose_min_run, as prose_letters is).

    The floors are for callers that only ask whether a repetition share exceeds a threshold (None: every
    measure exact). ngram_floor: where a bound shows dup_ngrams at most this share of ngrams, dup_ngrams
    holds that bound instead of the count (_ngram_dups). top_floor, phrase_floor: where a bound shows
    the top word 2-gram at most top_floor of the word characters (and phrase_floor, where the phrase
    measures are taken), the word n-grams are not counted; top*_chars hold bounds, the phrase measures 0
    (see _word_ngram_stats).
    """
    offsets, data, valid = string_buffers(texts)
    out = np.zeros((len(STAT_NAMES), len(texts)), dtype=np.int64).T  # a column's counts side by side
    sizes_on = np.zeros(11, dtype=np.bool_)
    for n in word_ngram_sizes:
        sizes_on[n] = True
    known, folded = words if words is not None else (_NO_WORDS, _NO_WORDS)
    if len(texts):
        _batch_stats(offsets, data, valid, cc.bmp_class_table(), _BULLETS, ngram_size, digit_run_min, sizes_on,
                     keyword_min_items, keyword_max_item_words, title_max_item_words, float(rare_han_ratio), rare_min_han,
                     prose_min_run, prose_min_run if judge_min_run is None else judge_min_run, min_word_chars, min_ellipsis_words,
                     float(deep_share), float(deep_coverage), phrase_min_sentences,
                     -1.0 if ngram_floor is None else float(ngram_floor), -1.0 if top_floor is None else float(top_floor),
                     float(phrase_floor), known, folded, _LETTER_SHARES, out)
    return TextStats(out)
