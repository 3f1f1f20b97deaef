"""Keyword stuffing in web text: SEO keyword lists, stuffed titles, one phrase repeated throughout.

Gopher's repetition measures (Rae et al. 2021, table A1) over words, where a word is a CJK character
or a run of letters and digits (filters.textstats computes them in its one pass):

  measure                                                   Gopher            default here
  chars in the most frequent word 2/3/4-gram (if repeated)  .20 .18 .16       .40 .45 .40
  chars in word 5..10-grams seen earlier                     .15 down to .10   5: .85, 10: .80

Gopher's values were set on web text; clean technical documentation (code, option tables, menu paths)
repeats far more, and they reject 5-10% of it, so the defaults sit at its tail (bench/quality.py):
they catch text made of one repeated phrase, not lightly stuffed prose. Then the shape of keyword
lists, which need not repeat anything:

  keyword lines   over half the non-space characters in lines of 4+ items split by `, ， 、 ; / | _`
                  (`_` after a CJK character) or spaces between CJK characters, three quarters of
                  them short (8 words or fewer, letters and CJK only), without a sentence end
  SEO title       a first line of 5+ items of 3..20 words split only by `_` or `|`
                  (`xx电影会员账号怎么登录_亚洲欧美h片在线看_…`)
"""

from __future__ import annotations

import numpy as np

from filters.textstats import TextStats
from filters.verdicts import Verdicts, ratio
from pipelines.config import KeywordRules


def _measure(stats: TextStats, n: int) -> np.ndarray:
    return getattr(stats, f"top{n}_chars" if n <= 4 else f"dup{n}_chars")


def ngram_sizes(cfg: KeywordRules) -> tuple[int, ...]:
    """The word n-gram measures the kernel must compute for these rules."""
    return tuple(sorted(set(cfg.max_top_ngram_char_share) | set(cfg.max_dup_ngram_char_share)))


def apply(verdicts: Verdicts, stats: TextStats, cfg: KeywordRules) -> None:
    judged = stats.words >= cfg.min_words
    for table in (cfg.max_top_ngram_char_share, cfg.max_dup_ngram_char_share):
        for n, threshold in sorted(table.items()):
            share = ratio(_measure(stats, n), stats.word_chars)
            kind = f"top_{n}gram" if n <= 4 else f"dup_{n}gram"
            verdicts.fail(judged & (share > threshold), "keyword_stuffing", share, threshold, measure=kind)
    lines = ratio(stats.keyword_line_chars, stats.content_chars)
    verdicts.fail(lines > cfg.max_keyword_line_share, "keyword_stuffing", lines, cfg.max_keyword_line_share,
                  measure="keyword_lines")
    verdicts.fail(stats.title_items >= cfg.min_title_items, "keyword_stuffing", stats.title_items, cfg.min_title_items,
                  measure="seo_title")
