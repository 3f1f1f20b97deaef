"""Garbled words: text whose words no dictionary knows (a letter dropped throughout, OCR noise, random keys).

English is judged on its prose: lower-case words (letters only, optionally hyphenated or with an
apostrophe) in runs of 4+ words within a line. Capitalised words, identifiers (`_`, digits, dots,
brackets) and the names of a table, a code listing or an API index are not prose and not judged.

  measure                                                         judged from          default
  share of prose words of 4+ letters missing from wordfreq's      30 such words        over 25%
  English list (shipped in its wheel; short words are too often
  real words by accident)
  a common letter (e t a o i n s h r l) almost absent: its share  300 prose letters    under 5% of
  of the prose letters against its share in English                                    its usual share
  share of Han characters outside GB2312 and Big5 level 1         50 Han characters    over 15%

The kernel of filters.textstats finds the prose words and counts their letters in its one pass.
The missing-letter test catches a letter dropped throughout (`Brief Itroductio`), whatever words the
drop happens to make; clean English prose never lacks one (the lowest seen in the dev set is 6%).
The Han share sits between ordinary text (a few percent, classical text included) and GBK mojibake
(over 40%, judged first). The batch's prose words are made unique with Arrow and each unique word
is looked up once.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from filters.textstats import TextStats
from filters.verdicts import Verdicts, ratio
from pipelines.config import UnknownWordRules


@lru_cache(maxsize=2)
def known_words(wordlist: str) -> frozenset[str]:
    """Every lower-case word of wordfreq's English list (its data files ship in the wheel: no download)."""
    import wordfreq

    return frozenset(wordfreq.get_frequency_dict("en", wordlist))


def unknown_counts(stats: TextStats, rows: np.ndarray, wordlist: str, min_chars: int) -> tuple[np.ndarray, np.ndarray]:
    """(prose words of min_chars letters or more, unknown ones) per text, counted for `rows` only.

    The kernel wrote every prose word (a part of a hyphenated word is a word: wordfreq lists the
    parts) of the batch into one string array; each unique word is looked up once.
    """
    n = len(stats)
    long_words = np.zeros(n, dtype=np.int64)
    unknown = np.zeros(n, dtype=np.int64)
    if stats.prose_words is None or not len(rows) or not len(stats.prose_words):
        return long_words, unknown
    lengths = pc.utf8_length(stats.prose_words).to_numpy(zero_copy_only=False)
    wanted = np.zeros(n, dtype=bool)
    wanted[rows] = True
    keep = (lengths >= min_chars) & wanted[stats.prose_rows]
    if not keep.any():
        return long_words, unknown
    words = stats.prose_words.filter(pa.array(keep))
    owners = stats.prose_rows[keep]
    unique = pc.unique(words)
    vocabulary = known_words(wordlist)
    known_unique = np.fromiter((w in vocabulary for w in unique.to_pylist()), dtype=bool, count=len(unique))
    is_unknown = ~known_unique[pc.index_in(words, value_set=unique).to_numpy(zero_copy_only=False)]
    long_words += np.bincount(owners, minlength=n)
    unknown += np.bincount(owners, weights=is_unknown, minlength=n).astype(np.int64)
    return long_words, unknown


def apply(verdicts: Verdicts, stats: TextStats, cfg: UnknownWordRules) -> None:
    if not cfg.enabled:
        return
    letter_ratio = stats.rarest_letter_permille / 1000
    missing = verdicts.kept & (stats.prose_letters >= cfg.min_letters) & (letter_ratio < cfg.min_letter_ratio)
    verdicts.fail(missing, "unknown_words", letter_ratio, cfg.min_letter_ratio, measure="missing_letter")
    rows = np.flatnonzero(verdicts.kept & (stats.prose_letters >= cfg.min_latin_words * cfg.min_word_chars))
    words, unknown = unknown_counts(stats, rows, cfg.wordlist, cfg.min_word_chars)
    share = ratio(unknown, words)
    verdicts.fail((words >= cfg.min_latin_words) & (share > cfg.max_unknown_latin_share), "unknown_words", share,
                  cfg.max_unknown_latin_share, measure="unknown_latin_words")
    uncommon = ratio(stats.han - stats.common_han, stats.han)
    verdicts.fail((stats.han >= cfg.min_han) & (uncommon > cfg.max_uncommon_han_share), "unknown_words", uncommon,
                  cfg.max_uncommon_han_share, measure="uncommon_han")
