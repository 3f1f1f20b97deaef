"""Messy-text rules for every record: TigerBot's "格式不规范" (malformed) and advertising content.

Reasons, in the order they are tried:
  too_short, too_long          non-space characters below / characters above the bounds
  replacement_chars            U+FFFD left by a lossy decode
  control_chars                C0/C1 control characters other than tab and newlines
  mojibake                     UTF-8 mis-decoded as Latin-1/CP1252 or GBK (see filters.mojibake)
  char_repetition              one character repeated in a long run
  line_repetition              duplicate lines (Gopher: 30% of lines, 20% of characters)
  char_repetition              mostly repeated character n-grams
  ad_spam, contact_spam        advertising phrases; a contact word next to a phone/QQ-like number
  url_spam                     URL density
  jargon                       internet slang and forum jargon, several and dense (TigerBot's 网络口语词)
  html_residue                 HTML tags and entities left by extraction
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from filters import mojibake
from filters.phrases import PhraseHits
from filters.textstats import TextStats
from filters.verdicts import Verdicts, ratio
from pipelines.config import SpamRules, TextRules


def apply(
    verdicts: Verdicts,
    texts: pa.Array,
    stats: TextStats,
    hits: PhraseHits,
    cfg: TextRules,
    spam: SpamRules,
    max_markup_hits: int | None,
) -> None:
    verdicts.fail(stats.content_chars < cfg.min_chars, "too_short", stats.content_chars, cfg.min_chars)
    verdicts.fail(stats.chars > cfg.max_chars, "too_long", stats.chars, cfg.max_chars)
    verdicts.fail(stats.replacement > cfg.max_replacement_chars, "replacement_chars", stats.replacement, cfg.max_replacement_chars)
    verdicts.fail(stats.control > cfg.max_control_chars, "control_chars", stats.control, cfg.max_control_chars)
    if cfg.mojibake:
        share = mojibake.rare_han_share(stats.han, stats.common_han)
        gbk = mojibake.gbk_mojibake_mask(texts, stats.han, stats.common_han, cfg.max_rare_han_ratio, cfg.min_han_for_rare_check)
        verdicts.fail(gbk, "mojibake", share, cfg.max_rare_han_ratio, kind="utf8_as_gbk")
        open_rows = verdicts.kept
        latin = mojibake.latin1_mojibake_mask(texts, np.where(open_rows, stats.latin1_mojibake_pairs, 0))
        verdicts.fail(latin, "mojibake", stats.latin1_mojibake_pairs, kind="utf8_as_latin1")
    verdicts.fail(stats.max_char_run > cfg.max_char_run, "char_repetition", stats.max_char_run, cfg.max_char_run)
    enough_lines = stats.lines >= cfg.min_lines_for_line_rules
    dup_lines = ratio(stats.dup_lines, stats.lines)
    verdicts.fail(enough_lines & (dup_lines > cfg.max_dup_line_ratio), "line_repetition", dup_lines, cfg.max_dup_line_ratio)
    dup_line_chars = ratio(stats.dup_line_chars, stats.content_chars)
    verdicts.fail(
        enough_lines & (dup_line_chars > cfg.max_dup_line_char_ratio), "line_repetition", dup_line_chars, cfg.max_dup_line_char_ratio
    )
    dup_ngrams = ratio(stats.dup_ngrams, stats.ngrams)
    verdicts.fail(dup_ngrams > cfg.max_dup_char_ngram_ratio, "char_repetition", dup_ngrams, cfg.max_dup_char_ngram_ratio)
    verdicts.fail(hits.ad > spam.max_ad_phrases, "ad_spam", hits.ad, spam.max_ad_phrases)
    verdicts.fail((hits.contact > 0) & (stats.long_digit_runs > 0), "contact_spam", stats.long_digit_runs)
    urls_per_1k = ratio(hits.url * 1000, stats.chars)
    verdicts.fail(urls_per_1k > spam.max_urls_per_1k_chars, "url_spam", urls_per_1k, spam.max_urls_per_1k_chars)
    jargon_per_1k = ratio(hits.jargon * 1000, stats.chars)
    verdicts.fail((hits.jargon >= spam.min_jargon_hits) & (jargon_per_1k > spam.max_jargon_per_1k_chars), "jargon",
                  jargon_per_1k, spam.max_jargon_per_1k_chars)
    if max_markup_hits is not None:
        verdicts.fail(hits.markup > max_markup_hits, "html_residue", hits.markup, max_markup_hits)
