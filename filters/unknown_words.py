"""Garbled words: text whose words no dictionary knows (a letter dropped throughout, OCR noise, random keys).

English is judged on its prose: lower-case or capitalised words (letters only, optionally hyphenated
or with an apostrophe) in runs of 4+ words within a line. Identifiers (`_`, digits, dots, brackets),
words in capitals and the names of a table, a code listing or an API index are not prose and not judged.

  measure                                                         judged from          default
  share of prose words of 4+ letters missing from wordfreq's      30 such words        over 25%
  English list and used once in the text (short words are too
  often real words by accident; a document's own terms, futex or
  oldpath, recur)
  share of them garbled: a known word under one OCR confusion     20 such words        over 8%
  (rn/m, cl/d, vv/w, l/1/i, o/0/a, e/c, h/b, u/v), or, joined with
  the next or previous word, a known word (infor mation)
  a common letter (e t a o i n s h r l) almost absent from the    200 letters, 80 of   under 5% of
  whole text, where Latin words carry it and it has some prose    them in prose words  its usual share
  share of Han characters outside GB2312 and Big5 level 1         50 Han characters    over 15%

The kernel of filters.textstats finds the prose words and looks each one up, in its one pass, in hash
sets of the list's words and of their OCR-folded forms (built once per process from wordfreq's data,
which ships in its wheel): no word goes through Python. A broken word counts where a half is no word at
all (wordfreq's large list holds most halves of common words: "news paper" is two words, "engi neers" is
garbled only because of "neers"). Clean documentation stays under 6% garbled and
under 25% unknown; OCR of a poor scan, where a confusion hits two words in five, is over 13% garbled.
The missing-letter test catches a letter dropped throughout (`Brief Itroductio`), whatever words the
drop happens to make: clean English never lacks one where it has prose (an index of identifiers can
lack an h; it has no prose). The Han share sits between ordinary text (a few percent, classical text
included) and GBK mojibake (over 40%, judged first).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from filters import textstats
from filters.textstats import TextStats
from filters.verdicts import Verdicts, ratio
from pipelines.config import UnknownWordRules

_LISTED = r"^[a-z]+(?:'[a-z]+)*$"  # the forms a prose word can take


@lru_cache(maxsize=2)
def word_tables(wordlist: str) -> tuple[np.ndarray, np.ndarray]:
    """The list's prose-shaped words (a-z with inner apostrophes) as the kernel's hash sets
    (textstats.word_table), built once per process (about a second)."""
    import wordfreq

    words = pa.array(list(wordfreq.get_frequency_dict("en", wordlist)), pa.string())
    return textstats.word_table(words.filter(pc.match_substring_regex(words, _LISTED)))


def apply(verdicts: Verdicts, stats: TextStats, cfg: UnknownWordRules) -> None:
    if not cfg.enabled:
        return
    letter_ratio = stats.rarest_letter_permille / 1000
    latin_share = ratio(stats.latin_word_chars, stats.word_chars)
    missing = ((stats.latin_letters >= cfg.min_letters) & (stats.prose_letters >= cfg.min_prose_letters)
               & (latin_share >= cfg.min_latin_share) & (letter_ratio < cfg.min_letter_ratio))
    verdicts.fail(missing, "unknown_words", letter_ratio, cfg.min_letter_ratio, measure="missing_letter")
    share = ratio(stats.unknown_words, stats.prose_words)
    verdicts.fail((stats.prose_words >= cfg.min_latin_words) & (share > cfg.max_unknown_latin_share), "unknown_words", share,
                  cfg.max_unknown_latin_share, measure="unknown_latin_words")
    garbled = ratio(stats.garbled_words, stats.prose_words)
    verdicts.fail((stats.prose_words >= cfg.min_garbled_words) & (garbled > cfg.max_garbled_share), "unknown_words", garbled,
                  cfg.max_garbled_share, measure="garbled_words")
    uncommon = ratio(stats.han - stats.common_han, stats.han)
    verdicts.fail((stats.han >= cfg.min_han) & (uncommon > cfg.max_uncommon_han_share), "unknown_words", uncommon,
                  cfg.max_uncommon_han_share, measure="uncommon_han")
