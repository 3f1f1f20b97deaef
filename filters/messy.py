"""Messy-text rules for every record: TigerBot's "格式不规范" (malformed) and advertising content.

Reasons, in the order they are tried:
  too_short, too_long          non-space characters below / characters above the bounds
  replacement_chars            U+FFFD left by a lossy decode: more than 1 per 1,000 characters (a text may quote it once)
  control_chars                C0/C1 control characters other than whitespace (tab, newlines, form feed...),
                               more than 1 per 1,000 characters, once terminal escape sequences and
                               backspace overstrikes (rendering residue) were removed and noted, and a few C1
                               controls (bytes of a character whose lead byte was lost) removed as residue
  mojibake                     UTF-8 mis-decoded as Latin-1/CP1252 or GBK that cannot be repaired, or is mostly
                               garbled (see filters.mojibake; light mojibake is repaired and kept)
  char_repetition              one character repeated in a long run
  line_repetition              duplicate lines of 3+ words ("--" rules, "-- name" signatures and one-word headings
                               aside): 50% of lines or 40% of characters (Gopher's 30%/20% reject 1% of clean
                               documentation)
  char_repetition              mostly repeated character n-grams
  ad_spam, contact_spam        two or more different advertising phrases (a help page that repeats "Click here
                               to ..." holds one); several phone/QQ-like numbers right after a contact word
                               (联系电话 139...), or one in a short text (one number in a signature is normal; a
                               number far from any contact word, in a modem script or a table, is no contact)
  url_spam                     8+ different URLs and more than 5 per 1,000 characters (a table or sources.list
                               that repeats one mirror's URL is not link spam)
  jargon                       internet slang and forum jargon, several and dense (TigerBot's 网络口语词)
  html_residue                 HTML tags and entities left by extraction: more than 3 and more than 5 per 1,000
                               characters (documentation of HTML or XML quotes a few)
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from filters import mojibake
from filters.mojibake import CP1252, GBK
from filters.phrases import PhraseHits
from filters.textstats import TextStats
from filters.verdicts import Verdicts, ratio
from pipelines.config import SpamRules, TextRules

_TERMINAL_CODES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_OVERSTRIKE = re.compile(r"[^\x08\n]\x08")
C1_CONTROLS = re.compile("[\x80-\x84\x86-\x9f]")  # U+0085 (next line) is whitespace, not a control


def strip_terminal_codes(text: str) -> str:
    """Text without ANSI escape sequences and backspace overstrikes ("_\bX", "X\bX": what a pager
    would show), which terminal output and man(1) renderings leave behind."""
    text = _TERMINAL_CODES.sub("", text)
    while "\x08" in text:
        stripped = _OVERSTRIKE.sub("", text, count=0)
        if stripped == text:
            return text.replace("\x08", "")
        text = stripped
    return text


def apply(
    verdicts: Verdicts,
    texts: pa.Array,
    stats: TextStats,
    hits: PhraseHits,
    cfg: TextRules,
    spam: SpamRules,
    max_markup_hits: int | None,
    repaired=None,
    max_markup_per_1k: float = 0.0,
) -> None:
    """repaired: the MojibakeOutcome of the repair step, or None to detect mojibake without repairing."""
    verdicts.fail(stats.content_chars < cfg.min_chars, "too_short", stats.content_chars, cfg.min_chars)
    verdicts.fail(stats.chars > cfg.max_chars, "too_long", stats.chars, cfg.max_chars)
    replacement_per_1k = ratio(stats.replacement * 1000, stats.chars)
    verdicts.fail((stats.replacement > cfg.max_replacement_chars) & (replacement_per_1k > cfg.max_replacement_chars_per_1k),
                  "replacement_chars", stats.replacement, cfg.max_replacement_chars)
    control_per_1k = ratio(stats.control * 1000, stats.chars)
    verdicts.fail((stats.control > cfg.max_control_chars) & (control_per_1k > cfg.max_control_chars_per_1k), "control_chars",
                  stats.control, cfg.max_control_chars)
    if cfg.mojibake and repaired is not None:
        for kind in (GBK, CP1252):
            verdicts.fail(repaired.failed & (repaired.kinds == kind), "mojibake", repaired.garbled, cfg.max_garbled_share, kind=kind)
    elif cfg.mojibake:
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
    ads = hits.distinct_ad if hits.distinct_ad is not None else hits.ad
    verdicts.fail(ads > spam.max_ad_phrases, "ad_spam", ads, spam.max_ad_phrases)
    numbers = hits.contact_numbers if hits.contact_numbers is not None else np.where(hits.contact > 0, stats.long_digit_runs, 0)
    numbers_per_1k = ratio(numbers * 1000, stats.chars)
    many_numbers = (numbers >= spam.min_contact_numbers) | (numbers_per_1k > spam.max_contact_numbers_per_1k_chars)
    verdicts.fail((numbers > 0) & many_numbers, "contact_spam", numbers, spam.min_contact_numbers)
    urls = hits.distinct_urls if hits.distinct_urls is not None else hits.url
    urls_per_1k = ratio(urls * 1000, stats.chars)
    verdicts.fail((urls >= spam.min_urls) & (urls_per_1k > spam.max_urls_per_1k_chars), "url_spam", urls_per_1k,
                  spam.max_urls_per_1k_chars)
    jargon_per_1k = ratio(hits.jargon * 1000, stats.chars)
    verdicts.fail((hits.jargon >= spam.min_jargon_hits) & (jargon_per_1k > spam.max_jargon_per_1k_chars), "jargon",
                  jargon_per_1k, spam.max_jargon_per_1k_chars)
    if max_markup_hits is not None:
        markup_per_1k = ratio(hits.markup * 1000, stats.chars)
        verdicts.fail((hits.markup > max_markup_hits) & (markup_per_1k > max_markup_per_1k), "html_residue", hits.markup,
                      max_markup_hits)
