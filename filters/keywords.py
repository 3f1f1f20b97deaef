"""Keyword stuffing in web text: SEO keyword lists, stuffed titles, pages written around one search phrase,
one phrase repeated throughout.

Gopher's repetition measures (Rae et al. 2021, table A1) over words, where a word is a CJK character
or a run of letters and digits (filters.textstats computes them in its one pass):

  measure                                                   Gopher            default here
  chars in the most frequent word 2/3/4-gram (if repeated)  .20 .18 .16       .40 .45 .40
  chars in word 5..10-grams seen earlier                     .15 down to .10   5: .85, 10: .80

Gopher's values were set on web text; clean technical documentation (code, option tables, menu paths)
repeats far more, and they reject 5-10% of it, so the defaults sit at its tail (bench/quality.py):
they catch text made of one repeated phrase, not lightly stuffed prose. Then the shapes of SEO pages,
which need not repeat one phrase that much:

  keyword lines    over half the non-space characters in lines of 4+ items split by `, ， 、 ; / | _`
                   (`_` after a CJK character) or spaces between CJK characters, three quarters of
                   them short (8 words or fewer, letters and CJK only, not quoted literals), without a
                   sentence end
  repeating lines  over 30% of the word characters in lines without a sentence end covered by word
                   2-grams repeated within their own line: keywords joined by plain spaces ("web hosting
                   cheap web hosting best web hosting"); clean documentation stays under 15%
  SEO title        a first line of 5+ items of 3..20 words split only by `_` or `|`
                   (`xx电影会员账号怎么登录_亚洲欧美h片在线看_…`)
  SEO prose        8+ sentences, 90% of which hold one word 2..4-gram (the longest held this widely: a
                   search phrase, 二手车价格 or "cheap running shoes"), whose occurrences make over 20% of
                   the word characters: SEO keyword density, where pages written for readers stay under
                   a few percent (clean documentation, whose sentences share a term, stays under 17%)
"""

from __future__ import annotations

import numpy as np

from filters.textstats import TextStats
from filters.verdicts import Verdicts, ratio
from pipelines.config import KeywordRules


def _measure(stats: TextStats, n: int) -> np.ndarray:
    return getattr(stats, f"top{n}_chars" if n <= 4 else f"dup{n}_chars")


def ngram_sizes(cfg: KeywordRules) -> tuple[int, ...]:
    """The word n-gram measures the kernel must compute for these rules (2..4 always: the SEO-prose phrase)."""
    return tuple(sorted(set(cfg.max_top_ngram_char_share) | set(cfg.max_dup_ngram_char_share) | {2, 3, 4}))


def deep_share(cfg: KeywordRules) -> float:
    """The 2-gram share of the word characters from which a 3- or 4-gram could break its threshold
    (the kernel skips those measures below it)."""
    thresholds = [share for n, share in cfg.max_top_ngram_char_share.items() if n > 2]
    return min(thresholds) if thresholds else 1.0


def top_floor(cfg: KeywordRules) -> float:
    """The top word 2-gram share of the word characters at or below which no top n-gram measure can break its
    threshold: the 2-gram's own, and half the 3- and 4-grams' (which hold at most twice the 2-gram's share)."""
    thresholds = [share if n == 2 else share / 2 for n, share in cfg.max_top_ngram_char_share.items()]
    return min(thresholds, default=1.0)


def phrase_floor(cfg: KeywordRules) -> float:
    """The top word 2-gram share at or below which the SEO phrase (a 2..4-gram) cannot break max_phrase_share."""
    return cfg.max_phrase_share / 2


def phrase_share(stats: TextStats, cfg: KeywordRules) -> tuple[np.ndarray, np.ndarray]:
    """(share of the word characters in the SEO phrase, its n) per text: the longest word n-gram (n = 2..4)
    held by min_phrase_coverage of the sentences, from min_phrase_sentences on; 0 where there is none."""
    share = np.zeros(len(stats))
    size = np.zeros(len(stats), dtype=np.int64)
    judged = stats.sentences >= cfg.min_phrase_sentences
    for n in (2, 3, 4):
        held = judged & (getattr(stats, f"phrase{n}_sentences") >= cfg.min_phrase_coverage * stats.sentences)
        share = np.where(held, ratio(getattr(stats, f"phrase{n}_chars"), stats.word_chars), share)
        size = np.where(held, n, size)
    return share, size


def apply(verdicts: Verdicts, stats: TextStats, cfg: KeywordRules) -> None:
    judged = stats.words >= cfg.min_words
    for table, top in ((cfg.max_top_ngram_char_share, True), (cfg.max_dup_ngram_char_share, False)):
        for n, threshold in sorted(table.items()):
            share = ratio(_measure(stats, n), stats.word_chars)
            kind = f"top_{n}gram" if top else f"dup_{n}gram"
            verdicts.fail(judged & (share > threshold), "keyword_stuffing", share, threshold, measure=kind)
    lines = ratio(stats.keyword_line_chars, stats.content_chars)
    verdicts.fail(lines > cfg.max_keyword_line_share, "keyword_stuffing", lines, cfg.max_keyword_line_share,
                  measure="keyword_lines")
    repeats = ratio(stats.line_repeat_chars, stats.word_chars)
    verdicts.fail(repeats > cfg.max_line_repeat_share, "keyword_stuffing", repeats, cfg.max_line_repeat_share,
                  measure="repeating_lines")
    verdicts.fail(stats.title_items >= cfg.min_title_items, "keyword_stuffing", stats.title_items, cfg.min_title_items,
                  measure="seo_title")
    share, _ = phrase_share(stats, cfg)
    verdicts.fail(share > cfg.max_phrase_share, "keyword_stuffing", share, cfg.max_phrase_share, measure="seo_prose")
