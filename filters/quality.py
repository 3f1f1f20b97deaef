"""Web-text quality heuristics after Gopher (Rae et al. 2021, appendix A) and C4 (Raffel et al. 2020).

Chinese has no spaces, so a "word" is a run of Latin letters/digits or a single CJK character.
Mean word length is a rule about Latin-script text: it is judged on Latin words only, and only where
they carry the text (half of the word characters), so option letters, `-x` and version numbers in
Chinese prose do not count. A line ends a sentence in Chinese as in English, but Chinese documents
(tables, lists, headings, code) often put their sentence ends inside lines: the terminal-punctuation
rule only rejects text that also has few sentence ends anywhere.

  rule                     Gopher/C4 value            default here
  low_content_ratio        80% words alphabetic       40% of non-space chars are letters or CJK
  too_few/many_words       50 .. 100,000 words        same
  mean_word_length         3 .. 10                    same (from 20 Latin words holding half the word chars)
  symbol_ratio             '#' or ellipsis per word   0.1
  bullet_lines             90% of lines               same
  ellipsis_lines           30% of lines               same (not "[FILE]..." of a synopsis)
  no_terminal_punctuation  C4: every line             10% of lines, from 3 lines, and under 1 sentence end
                                                      (。！？ anywhere, . ! ? before a space) per 100 words
  paragraph_repetition     30% paragraphs / 20% chars 50% / 40% (Gopher's reject clean documentation)
"""

from __future__ import annotations

from filters.textstats import TextStats
from filters.verdicts import Verdicts, ratio
from pipelines.config import WebQualityRules


def apply(verdicts: Verdicts, stats: TextStats, cfg: WebQualityRules) -> None:
    content = ratio(stats.letters + stats.han + stats.kana_hangul, stats.content_chars)
    verdicts.fail(content < cfg.min_content_ratio, "low_content_ratio", content, cfg.min_content_ratio)
    verdicts.fail(stats.words < cfg.min_words, "too_few_words", stats.words, cfg.min_words)
    verdicts.fail(stats.words > cfg.max_words, "too_many_words", stats.words, cfg.max_words)
    mean_len = ratio(stats.latin_word_chars, stats.latin_words)
    latin_share = ratio(stats.latin_word_chars, stats.word_chars)
    judged = (stats.latin_words >= cfg.min_latin_words_for_length) & (latin_share >= cfg.min_latin_share_for_length)
    verdicts.fail(
        judged & ((mean_len < cfg.min_mean_word_length) | (mean_len > cfg.max_mean_word_length)),
        "mean_word_length",
        mean_len,
        [cfg.min_mean_word_length, cfg.max_mean_word_length],
    )
    symbols = ratio(stats.hashes + stats.ellipses, stats.words)
    verdicts.fail(symbols > cfg.max_symbol_word_ratio, "symbol_ratio", symbols, cfg.max_symbol_word_ratio)
    bullets = ratio(stats.bullet_lines, stats.lines)
    verdicts.fail(bullets > cfg.max_bullet_line_ratio, "bullet_lines", bullets, cfg.max_bullet_line_ratio)
    ellipsis = ratio(stats.ellipsis_lines, stats.lines)
    verdicts.fail(ellipsis > cfg.max_ellipsis_line_ratio, "ellipsis_lines", ellipsis, cfg.max_ellipsis_line_ratio)
    terminal = ratio(stats.terminal_lines, stats.lines)
    sentence_ends = ratio(stats.sentence_ends * 100, stats.words)
    words_per_line = ratio(stats.words, stats.lines)
    verdicts.fail(
        (stats.lines >= cfg.min_lines_for_terminal_rule) & (terminal < cfg.min_terminal_line_ratio)
        & (sentence_ends < cfg.min_sentence_ends_per_100_words) & (words_per_line <= cfg.max_words_per_line_for_terminal_rule),
        "no_terminal_punctuation", terminal, cfg.min_terminal_line_ratio,
    )
    dup_paras = ratio(stats.dup_paragraphs, stats.paragraphs)
    verdicts.fail(dup_paras > cfg.max_dup_paragraph_ratio, "paragraph_repetition", dup_paras, cfg.max_dup_paragraph_ratio)
    dup_para_chars = ratio(stats.dup_paragraph_chars, stats.content_chars)
    verdicts.fail(
        dup_para_chars > cfg.max_dup_paragraph_char_ratio, "paragraph_repetition", dup_para_chars, cfg.max_dup_paragraph_char_ratio
    )
