"""Per-text statistics for a whole Arrow string array in one compiled pass.

Every rule family reads these counts instead of scanning the text again: a single numba loop decodes
UTF-8 straight from the Arrow buffers, classifies each code point with the table in `charclass`, and
counts characters, words, lines, paragraphs, repeats and character n-gram duplicates. Chinese has no
spaces, so every Han/kana/hangul character counts as one word and n-grams are over characters.

The same pass records each text's words (a CJK character, or a run of letters and digits, case
folded) and, once the text is read, measures Gopher's repetition over them: the characters in the
most frequent word 2/3/4-gram, and the characters covered by word 5..10-grams that occurred earlier.
It also marks keyword lines, the shape of SEO stuffing: four or more short items (a few words each)
split by `, ， 、 ; / _ |`, tabs, or spaces between CJK characters, with no sentence end in the line.
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
    "bullet_lines",
    "ellipsis_lines",  # lines ending in an ellipsis after prose (not "[FILE]..." in a synopsis)
    "dup_lines",  # lines of 3+ words equal to an earlier such line ("-- name" signature lines aside)
    "dup_line_chars",
    "paragraphs",
    "dup_paragraphs",
    "dup_paragraph_chars",
    "content_chars",  # non-space characters
    "max_char_run",  # longest run of one repeated character that is not space, punctuation or a symbol
    "ngrams",
    "dup_ngrams",  # character n-grams already seen earlier in the text
    "latin1_mojibake_pairs",
    "long_digit_runs",  # runs of digit_run_min..15 digits: phone, QQ or WeChat numbers
    "hashes",  # hashtags: '#' after a space inside a line, before a word character
    "ellipses",  # '…' or '...' inside a line (not a REPL's "... " prompt, not "[FILE]..." syntax)
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
    "prose_letters",  # letters of lower-case prose words (runs of prose_min_run words in a line)
    "rarest_letter_permille",  # the rarest of e t a o i n s h r l in them, per mille of its usual English share
)
_IDX = {name: i for i, name in enumerate(STAT_NAMES)}
TOP_NGRAM_SIZES = (2, 3, 4)
DUP_NGRAM_SIZES = (5, 6, 7, 8, 9, 10)

_BULLETS = np.array([ord(c) for c in "•·-*‣◦●▪■□○►★☆✓✔➢→"], dtype=np.int64)
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_NGRAM_BASE = np.uint64(0x9E3779B97F4A7C15)
_CJK_WORD_SEED = np.uint64(0x84222325CBF29CE4)
_MAX_DIGIT_RUN = 15  # longer digit runs are ids or data, not phone numbers
_SIGNATURE_MAX_CHARS = 40  # "-- name" / "—— 作者" lines, repeated by design, are not duplicate lines
_MIN_DUP_LINE_WORDS = 3  # nor are headings of one or two words ("示例", "Parameters") that every section repeats


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


@numba.njit(cache=True, nogil=True)
def _count_repeats(hashes, weights, n):
    """Items among hashes[:n] equal to an earlier one, and their summed weights (none given: 0).

    An open-addressing set (linear probing, at least twice as many slots as items) keeps this
    linear in n; sorting every text's n-gram hashes instead took most of the kernel's time.
    """
    if n < 2:
        return 0, 0
    size = _table_size(n)
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
def _word_ngram_stats(word_hashes, word_lens, n_words, sizes_on, out):
    """Gopher's repetition measures over the text's words, into out[top2_chars..dup10_chars].

    Prefix hashes give every n-gram's hash in O(1); one open-addressing table per n counts them.
    """
    if n_words < 2:
        return
    prefix = np.empty(n_words + 1, dtype=np.uint64)
    chars = np.empty(n_words + 1, dtype=np.int64)
    prefix[0] = 0
    chars[0] = 0
    for k in range(n_words):
        prefix[k + 1] = prefix[k] * _NGRAM_BASE + word_hashes[k]
        chars[k + 1] = chars[k] + word_lens[k]
    size = _table_size(n_words)
    mask = np.uint64(size - 1)
    keys = np.zeros(size, dtype=np.uint64)
    counts = np.zeros(size, dtype=np.int64)
    for n in range(2, 11):
        if not sizes_on[n] or n_words < n + 1:
            continue
        base_pow = np.uint64(1)
        for _ in range(n):
            base_pow = base_pow * _NGRAM_BASE
        keys[:] = 0
        best = 0
        covered_to = 0
        covered = 0
        for i in range(n_words - n + 1):
            key = (prefix[i + n] - prefix[i] * base_pow) | np.uint64(1)
            slot = ((key * _NGRAM_BASE) >> np.uint64(40)) & mask
            seen = 0
            while True:
                held = keys[slot]
                if held == 0:
                    keys[slot] = key
                    counts[slot] = 1
                    break
                if held == key:
                    counts[slot] += 1
                    seen = counts[slot]
                    break
                slot = (slot + np.uint64(1)) & mask
            if seen:
                if n <= 4:
                    weight = seen * (chars[i + n] - chars[i])
                    if weight > best:
                        best = weight
                else:
                    start = i if i > covered_to else covered_to
                    covered += chars[i + n] - chars[start]
                    covered_to = i + n
        if n <= 4:
            out[36 + n - 2] = best
        else:
            out[39 + n - 5] = covered


@numba.njit(cache=True, nogil=True)
def _is_keyword_separator(cp):
    return (cp == 0x2C or cp == 0xFF0C or cp == 0x3001 or cp == 0x3B or cp == 0xFF1B or cp == 0x2F or cp == 0x09
            or cp == 0x3000 or cp == 0x5F or cp == 0x7C or cp == 0xFF5C or cp == 0x30FB)


_EDGE_CHARS = ".,;:!?\"'«»“”‘’…*`"  # trimmed from the edges of a prose word
_EDGE_TABLE = np.zeros(0x2030, dtype=np.bool_)
for _ch in _EDGE_CHARS:
    _EDGE_TABLE[ord(_ch)] = True
# prose-word states
_OUT, _LEAD, _LETTERS, _JOINER, _TRAIL, _BAD = 0, 1, 2, 3, 4, 5


@numba.njit(cache=True, nogil=True)
def _count_letters(pbytes, start, end, letters):
    for k in range(start, end):
        b = pbytes[k]
        if 0x61 <= b <= 0x7A:
            letters[b - 0x61] += 1


@numba.njit(cache=True, nogil=True)
def _text_stats(data, start, end, table, bullets, ngram_n, digit_run_min, sizes_on, kw_min_items, kw_max_item_words,
                title_max_item_words, rare_ratio, rare_min_han, prose_min_run, pbytes, poffsets, prows, pcursor, row,
                letter_shares, out):
    max_items = end - start + 1
    letters = np.zeros(26, dtype=np.int64)
    # prose words: lower-case a-z with inner ' or -, edge punctuation trimmed, in runs of prose_min_run
    # tokens within a line; written into pbytes (one string per part of a hyphenated word)
    cur = pcursor[0]
    parts = pcursor[1]
    p_state = _OUT
    p_joiner = 0
    tok_cur = cur
    tok_parts = parts
    run_tokens = 0
    run_cur = cur
    run_parts = parts
    line_hashes = np.empty(max_items, dtype=np.uint64)
    line_weights = np.empty(max_items, dtype=np.int64)
    para_hashes = np.empty(max_items, dtype=np.uint64)
    para_weights = np.empty(max_items, dtype=np.int64)
    ngram_hashes = np.empty(max_items, dtype=np.uint64)
    word_hashes = np.empty(max_items, dtype=np.uint64)
    word_lens = np.empty(max_items, dtype=np.int64)
    window = np.zeros(max(ngram_n, 1), dtype=np.uint64)
    base_pow = np.uint64(1)
    for _ in range(ngram_n):
        base_pow = base_pow * _NGRAM_BASE

    n_lines = 0
    n_dup_candidates = 0
    n_paras = 0
    n_ngrams = 0
    n_words = 0
    line_hash = _FNV_OFFSET
    line_len = 0
    line_content = False
    line_sentence = False
    line_han = 0
    line_common_han = 0
    line_words = 0
    first_cp = -1
    last1 = -1
    last2 = -1
    last3 = -1
    last4 = -1
    para_hash = _FNV_OFFSET
    para_len = 0
    run_cp = -1
    run_len = 0
    word_len = 0
    word_hash = _FNV_OFFSET
    digit_run = 0
    prev_cp = -1
    rolling = np.uint64(0)
    content_pos = 0
    # keyword-line items (split by separators) of the current line
    items = 0
    short_items = 0
    title_sized_items = 0
    item_words = 0
    item_latin = False
    item_clean = True  # letters, CJK, spaces, - and ' only
    item_spaced = False  # a space inside the item: a phrase, not an identifier
    strong_separators = 0
    last_content_cjk = False
    space_after_cjk = False
    first_line_seen = False
    hash_pending = False

    i = start
    while i <= end:
        if i < end:
            cp, width = code_point_at(data, i)
            i += width
        else:
            cp = np.int64(10)  # a virtual final newline closes the last line
            i += 1
            out[0] -= 1
            out[6] -= 1
        cls = _code_class(cp, table)
        out[0] += 1
        if cls & cc.SPACE:
            if p_state != _OUT:
                valid = p_state == _LETTERS or p_state == _TRAIL or (p_state == _JOINER and p_joiner == 0x27)
                if p_state == _JOINER and p_joiner == 0x27:
                    cur -= 1  # a trailing apostrophe is edge punctuation
                if valid:
                    poffsets[parts + 1] = cur
                    prows[parts] = row
                    parts += 1
                    if run_tokens == 0:
                        run_cur = tok_cur
                        run_parts = tok_parts
                    run_tokens += 1
                else:
                    cur = tok_cur
                    parts = tok_parts
                p_state = _OUT
            else:
                valid = True
            if run_tokens > 0 and (not valid or cp == 10):
                if run_tokens >= prose_min_run:
                    _count_letters(pbytes, run_cur, cur, letters)
                else:
                    cur = run_cur
                    parts = run_parts
                run_tokens = 0
        else:
            if p_state == _OUT:
                tok_cur = cur
                tok_parts = parts
                poffsets[parts] = cur
                p_state = _LEAD
            lower = 0x61 <= cp <= 0x7A
            edge = cp < 0x2030 and _EDGE_TABLE[cp]
            if p_state == _LEAD:
                if lower:
                    pbytes[cur] = cp
                    cur += 1
                    p_state = _LETTERS
                elif not edge:
                    p_state = _BAD
            elif p_state == _LETTERS:
                if lower:
                    pbytes[cur] = cp
                    cur += 1
                elif cp == 0x27 or cp == 0x2019:
                    pbytes[cur] = 0x27
                    cur += 1
                    p_joiner = 0x27
                    p_state = _JOINER
                elif cp == 0x2D:
                    poffsets[parts + 1] = cur  # a part of a hyphenated word ends
                    prows[parts] = row
                    parts += 1
                    p_joiner = 0x2D
                    p_state = _JOINER
                elif edge:
                    p_state = _TRAIL
                else:
                    p_state = _BAD
            elif p_state == _JOINER:
                if lower:
                    pbytes[cur] = cp
                    cur += 1
                    p_state = _LETTERS
                elif p_joiner == 0x27 and edge:
                    cur -= 1
                    p_state = _TRAIL
                else:
                    p_state = _BAD
            elif p_state == _TRAIL:
                if not edge:
                    p_state = _BAD
        is_cjk = (cls & (cc.HAN | cc.KANA_HANGUL)) != 0

        is_word_char = (cls & (cc.LETTER | cc.DIGIT)) != 0 and not is_cjk
        new_word = is_cjk or (is_word_char and word_len == 0)
        if new_word:
            line_words += 1
        if is_word_char:
            if word_len == 0:
                word_hash = _FNV_OFFSET
            word_len += 1
            folded = cp + 32 if 0x41 <= cp <= 0x5A else cp
            word_hash = (word_hash ^ np.uint64(folded)) * _FNV_PRIME
            if cls & cc.LETTER:
                item_latin = True
        elif word_len > 0:
            out[14] += 1
            out[15] += word_len
            word_hashes[n_words] = word_hash
            word_lens[n_words] = word_len
            n_words += 1
            word_len = 0
        if is_cjk:
            word_hashes[n_words] = (_CJK_WORD_SEED ^ np.uint64(cp)) * _FNV_PRIME
            word_lens[n_words] = 1
            n_words += 1
        if 0x30 <= cp <= 0x39:
            digit_run += 1
        else:
            if digit_run_min <= digit_run <= _MAX_DIGIT_RUN:
                out[30] += 1
            digit_run = 0
        if cp == 0x3002 or cp == 0xFF01 or cp == 0xFF1F or (
                (prev_cp == 0x2E or prev_cp == 0x21 or prev_cp == 0x3F) and (cp == 10 or (cls & cc.SPACE) != 0)):
            out[34] += 1
            line_sentence = True

        # keyword items: separators (or a space between two CJK characters) end an item
        if cp != 10:
            is_space = cp == 0x20 or cp == 0xA0
            split = _is_keyword_separator(cp)
            if cp == 0x5F and not last_content_cjk and not item_spaced:
                split = False  # '_' inside an identifier (local_address) joins; after CJK or a phrase it separates
            if not split and not is_space and space_after_cjk and is_cjk:
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
            if is_space:
                space_after_cjk = last_content_cjk
                item_spaced = item_spaced or item_words > 0
            else:
                space_after_cjk = False
                if not (split or punct) or (split and is_cjk):  # content of the current item
                    if cls & cc.DIGIT or cp == 0x5F:
                        item_clean = False
                    if new_word:
                        item_words += 1
                    if (cls & cc.LETTER) and not is_cjk:
                        item_latin = True
                elif not split:
                    item_clean = False  # punctuation inside an item
                last_content_cjk = is_cjk

        if cls & cc.SPACE:
            out[6] += 1
            run_len = 0
            run_cp = -1
        else:
            out[25] += 1
            if cls & cc.HAN:
                out[1] += 1
                line_han += 1
                if cls & cc.COMMON_HAN:
                    out[2] += 1
                    line_common_han += 1
            if cls & cc.KANA_HANGUL:
                out[3] += 1
            if cls & cc.LETTER:
                out[4] += 1
            if cls & cc.DIGIT:
                out[5] += 1
            if cls & (cc.LETTER | cc.DIGIT | cc.HAN | cc.KANA_HANGUL):
                line_content = True
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
            if hash_pending and (cls & (cc.LETTER | cc.DIGIT | cc.HAN | cc.KANA_HANGUL)):
                out[31] += 1
            hash_pending = cp == 0x23 and line_len > 0 and prev_cp == 0x20  # " #tag": not "# comment", "#include"
            if (cp == 0x2026 and line_len > 0) or (cp == 0x2E and last1 == 0x2E and last2 == 0x2E and line_len > 2):
                if not (last3 == 0x5D or last3 == 0x3E or last3 == 0x29 or last3 == 0x7D):  # "[FILE]..." is syntax
                    out[32] += 1
            if 0xC2 <= prev_cp <= 0xF4 and (cls & cc.CP1252_HIGH):
                out[29] += 1
            if cls & (cc.PUNCT | cc.SYMBOL):  # rules and separators ("-----", "═════") are layout
                run_cp = -1
                run_len = 0
            elif cp == run_cp:
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
            last4 = last3
            last3 = last2
            last2 = last1
            last1 = cp
        if is_cjk:
            out[13] += 1

        if cp == 10:
            if line_len > 0:
                n_lines += 1
                signature = (first_cp == 0x2D or first_cp == 0x2014 or first_cp == 0x2015) and line_len <= _SIGNATURE_MAX_CHARS
                if line_content:
                    out[33] += 1
                if line_content and not signature and line_words >= _MIN_DUP_LINE_WORDS:
                    line_hashes[n_dup_candidates] = line_hash
                    line_weights[n_dup_candidates] = line_len
                    n_dup_candidates += 1
                if _code_class(last1, table) & cc.TERMINAL:
                    out[17] += 1
                if line_han >= rare_min_han and line_han - line_common_han > rare_ratio * line_han:
                    out[48] += 1
                    out[49] += line_len
                for k in range(bullets.shape[0]):
                    if first_cp == bullets[k]:
                        out[18] += 1
                        break
                if last1 == 0x2026 or (last1 == 0x2E and last2 == 0x2E and last3 == 0x2E):
                    before = last2 if last1 == 0x2026 else last4
                    if not (before == 0x5D or before == 0x3E or before == 0x7D or before == 0x29 or before == 0x2E):
                        out[19] += 1
                para_hash = (para_hash ^ line_hash) * _FNV_PRIME
                para_len += line_len
                # keyword line?
                if item_words > 0:
                    items += 1
                    if item_clean and item_words <= kw_max_item_words and (item_words >= 2 or item_latin):
                        short_items += 1
                    if 3 <= item_words <= title_max_item_words:
                        title_sized_items += 1
                if items >= kw_min_items and 4 * short_items >= 3 * items and not line_sentence:
                    out[45] += 1
                    out[46] += line_len
                if not first_line_seen and title_sized_items == items and strong_separators >= items - 1 and not line_sentence:
                    out[47] = items
                first_line_seen = True
            if line_len == 0 or i > end:
                if para_len > 0:
                    para_hashes[n_paras] = para_hash
                    para_weights[n_paras] = para_len
                    n_paras += 1
                para_hash = _FNV_OFFSET
                para_len = 0
            line_hash = _FNV_OFFSET
            line_len = 0
            line_content = False
            line_sentence = False
            line_han = 0
            line_common_han = 0
            line_words = 0
            last1 = -1
            last2 = -1
            last3 = -1
            last4 = -1
            items = 0
            short_items = 0
            title_sized_items = 0
            item_words = 0
            item_latin = False
            item_clean = True
            item_spaced = False
            strong_separators = 0
            last_content_cjk = False
            space_after_cjk = False
        prev_cp = cp

    pcursor[0] = cur
    pcursor[1] = parts
    total = 0
    for k in range(26):
        total += letters[k]
    out[50] = total
    rarest = 1000
    if total > 0:
        for k in range(26):
            if letter_shares[k] > 0:
                permille = np.int64(1000.0 * letters[k] / total / letter_shares[k])
                if permille < rarest:
                    rarest = permille
    out[51] = rarest if total > 0 else 0
    out[13] += out[14]
    out[16] = n_lines
    out[20], out[21] = _count_repeats(line_hashes, line_weights, n_dup_candidates)
    out[22] = n_paras
    out[23], out[24] = _count_repeats(para_hashes, para_weights, n_paras)
    out[27] = n_ngrams
    out[28], _ = _count_repeats(ngram_hashes, np.empty(0, dtype=np.int64), n_ngrams)
    out[35] = out[15] + (out[13] - out[14])
    _word_ngram_stats(word_hashes, word_lens, n_words, sizes_on, out)


@numba.njit(cache=True, nogil=True)
def _batch_stats(offsets, data, valid, table, bullets, ngram_n, digit_run_min, sizes_on, kw_min_items, kw_max_item_words,
                 title_max_item_words, rare_ratio, rare_min_han, prose_min_run, pbytes, poffsets, prows, pcursor,
                 letter_shares, out):
    for row in range(offsets.shape[0] - 1):
        if valid[row]:
            _text_stats(data, offsets[row], offsets[row + 1], table, bullets, ngram_n, digit_run_min, sizes_on,
                        kw_min_items, kw_max_item_words, title_max_item_words, rare_ratio, rare_min_han, prose_min_run,
                        pbytes, poffsets, prows, pcursor, row, letter_shares, out[row])


# the ten most frequent letters of English and their usual share of letters
LETTER_SHARES = {"e": 0.127, "t": 0.091, "a": 0.082, "o": 0.075, "i": 0.070, "n": 0.067, "s": 0.063, "h": 0.061,
                 "r": 0.060, "l": 0.040}
_LETTER_SHARES = np.array([LETTER_SHARES.get(chr(0x61 + k), 0.0) for k in range(26)])


@dataclass(frozen=True)
class TextStats:
    """Counts per text, one int64 numpy column per name in STAT_NAMES, and the prose words of the texts
    (one string per part of a hyphenated word; `prose_rows` names each one's text)."""

    values: np.ndarray  # shape (rows, len(STAT_NAMES))
    prose_words: pa.Array | None = None
    prose_rows: np.ndarray | None = None

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.values[:, _IDX[name]]
        except KeyError:
            raise AttributeError(name) from None

    def __len__(self) -> int:
        return self.values.shape[0]

    def patched(self, rows: np.ndarray, other: "TextStats") -> "TextStats":
        """These stats with the given rows replaced by other's rows (in order), prose words too."""
        values = self.values.copy()
        values[rows] = other.values
        words, owners = self.prose_words, self.prose_rows
        if words is not None and other.prose_words is not None:
            keep = ~np.isin(owners, rows)
            words = pa.concat_arrays([words.filter(pa.array(keep)), other.prose_words])
            owners = np.concatenate([owners[keep], np.asarray(rows)[other.prose_rows]])
        return TextStats(values, words, owners)


def compute(texts: pa.Array, ngram_size: int = 10, digit_run_min: int = 7, word_ngram_sizes=(*TOP_NGRAM_SIZES, *DUP_NGRAM_SIZES),
            keyword_min_items: int = 4, keyword_max_item_words: int = 8, title_max_item_words: int = 20,
            rare_han_ratio: float = 0.4, rare_min_han: int = 8, prose_min_run: int = 4) -> TextStats:
    """Statistics of every text in `texts` (a string array; nulls count as empty).

    word_ngram_sizes: which word n-gram measures to compute (2..4 most frequent, 5..10 duplicated);
    the others stay 0.
    """
    offsets, data, valid = string_buffers(texts)
    out = np.zeros((len(texts), len(STAT_NAMES)), dtype=np.int64)
    sizes_on = np.zeros(11, dtype=np.bool_)
    for n in word_ngram_sizes:
        sizes_on[n] = True
    size = int(offsets[-1] - offsets[0]) if len(texts) else 0
    pbytes = np.empty(size + 1, dtype=np.uint8)
    most_parts = (size + len(texts)) // 2 + 2  # a part is a letter or more, then a space, a hyphen or a text's end
    poffsets = np.zeros(most_parts + 1, dtype=np.int32)
    prows = np.empty(most_parts, dtype=np.int32)
    pcursor = np.zeros(2, dtype=np.int64)
    if len(texts):
        _batch_stats(offsets, data, valid, cc.bmp_class_table(), _BULLETS, ngram_size, digit_run_min, sizes_on,
                     keyword_min_items, keyword_max_item_words, title_max_item_words, float(rare_han_ratio), rare_min_han,
                     prose_min_run, pbytes, poffsets, prows, pcursor, _LETTER_SHARES, out)
    used, parts = int(pcursor[0]), int(pcursor[1])
    words = pa.StringArray.from_buffers(parts, pa.py_buffer(poffsets[:parts + 1].copy()), pa.py_buffer(pbytes[:used].copy()))
    return TextStats(out, words, prows[:parts].astype(np.int64))
