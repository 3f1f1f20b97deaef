"""Web-text quality heuristics after Gopher (Rae et al. 2021, appendix A) and C4 (Raffel et al. 2020).

Chinese has no spaces, so a "word" is a run of Latin letters/digits or a single CJK character.
Mean word length is a rule about Latin-script text: it is judged on Latin words that hold a letter
(numbers and the parts of "2.6.36" are not words of a length), and only where those carry the text
(four fifths of the word characters), so option letters, `-x` and version numbers in Chinese prose
or in a table of system calls do not count. Gopher's alphabetic-word share is taken over
whitespace-separated tokens, as Gopher takes it, without tokens of only symbols (table rules,
`│`, `=`): a table of numbers has few words with a letter; code, formulas and option tables have
many. Each Han (or kana, hangul) character of a token is a token of its own, and the token's other
characters one more when they hold a letter or digit ("3D效果" is three): a Chinese sentence between
two spaces is many words, not one. A line ends a sentence in Chinese as in English, but Chinese
documents (tables, lists, headings, code) often put their sentence ends inside lines: the
terminal-punctuation rule only rejects text that also has few sentence ends anywhere, and that is
made of short plain lines (letters and spaces, as menus and link lists are; code, tables and data
are not).

  rule                     Gopher/C4 value            default here
  low_content_ratio        80% words alphabetic       40% of tokens with a letter or CJK (a CJK character is a token)
  too_few/many_words       50 .. 100,000 words        same, a Latin word counting 1.5 (a CJK character counts as a
                                                      word and a Chinese word is ~1.5 characters: 34 English
                                                      words carry what 50 Chinese characters do)
  mean_word_length         3 .. 10                    same (from 20 words with a letter, holding 80% of word chars)
  symbol_ratio             '#' or ellipsis per word   0.1
  bullet_lines             90% of lines               same
  ellipsis_lines           30% of lines               same, lines of 8+ words ("Insert..." menu items are not cut)
  no_terminal_punctuation  C4: every line             10% of lines, from 3 lines, and under 1 sentence end
                                                      (。！？ anywhere, . ! ? before a space) per 100 words,
                                                      4 words a line or fewer, 80% of lines plain
  paragraph_repetition     30% paragraphs / 20% chars 50% / 40% (Gopher's reject clean documentation)
"""

from __future__ import annotations

from filters.textstats import TextStats
from filters.verdicts import Verdicts, ratio
from pipelines.config import WebQualityRules


def apply(verdicts: Verdicts, stats: TextStats, cfg: WebQualityRules) -> None:
    content = ratio(stats.alpha_tokens, stats.tokens)
    verdicts.fail(content < cfg.min_content_ratio, "low_content_ratio", content, cfg.min_content_ratio)
    weighted = (stats.words - stats.latin_words) + cfg.latin_word_weight * stats.latin_words
    verdicts.fail(weighted < cfg.min_words, "too_few_words", weighted, cfg.min_words)
    verdicts.fail(stats.words > cfg.max_words, "too_many_words", stats.words, cfg.max_words)
    mean_len = ratio(stats.alpha_word_chars, stats.alpha_words)
    latin_share = ratio(stats.alpha_word_chars, stats.word_chars)
    judged = (stats.alpha_words >= cfg.min_latin_words_for_length) & (latin_share >= cfg.min_latin_share_for_length)
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
    plain = ratio(stats.plain_lines, stats.content_lines)
    verdicts.fail(
        (stats.lines >= cfg.min_lines_for_terminal_rule) & (terminal < cfg.min_terminal_line_ratio)
        & (sentence_ends < cfg.min_sentence_ends_per_100_words) & (words_per_line <= cfg.max_words_per_line_for_terminal_rule)
        & (plain >= cfg.min_plain_line_ratio_for_terminal_rule),
        "no_terminal_punctuation", terminal, cfg.min_terminal_line_ratio,
    )
    dup_paras = ratio(stats.dup_paragraphs, stats.paragraphs)
    verdicts.fail(dup_paras > cfg.max_dup_paragraph_ratio, "paragraph_repetition", dup_paras, cfg.max_dup_paragraph_ratio)
    dup_para_chars = ratio(stats.dup_paragraph_chars, stats.content_chars)
    verdicts.fail(
        dup_para_chars > cfg.max_dup_paragraph_char_ratio, "paragraph_repetition", dup_para_chars, cfg.max_dup_paragraph_char_ratio
    )
