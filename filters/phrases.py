"""Count advertising, contact, URL, markup and jargon phrases in a batch of texts.

Matching is case-insensitive and needs no word boundaries, so Chinese phrases such as 加微信 are
found inside running text. A URL is counted once, not once for "https://" and again for its "www.". One RE2 alternation of every phrase (Arrow, about 6x faster than an
Aho-Corasick scan from Python) finds the few texts with any hit; only those are counted per kind
with an Aho-Corasick automaton.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

URL_PREFIXES = ("http://", "https://", "www.")
KINDS = ("ad", "contact", "url", "markup", "jargon")


@dataclass(frozen=True)
class PhraseHits:
    ad: np.ndarray
    contact: np.ndarray
    url: np.ndarray
    markup: np.ndarray
    jargon: np.ndarray


@lru_cache(maxsize=8)
def _automaton(ad: tuple[str, ...], contact: tuple[str, ...], markup: tuple[str, ...],
               jargon: tuple[str, ...]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for kind, phrases in zip(KINDS, (ad, contact, URL_PREFIXES, markup, jargon)):
        for phrase in phrases:
            key = phrase.lower()
            if key:
                kinds = automaton.get(key, ((), key))[0]
                automaton.add_word(key, (tuple(sorted(set(kinds) | {KINDS.index(kind)})), key))
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=8)
def _any_phrase(ad: tuple[str, ...], contact: tuple[str, ...], markup: tuple[str, ...], jargon: tuple[str, ...]) -> str:
    phrases = sorted({p.lower() for p in (*ad, *contact, *URL_PREFIXES, *markup, *jargon) if p})
    return "|".join(re.escape(p) for p in phrases)


def count(texts: pa.Array, ad_phrases: list[str], contact_phrases: list[str], markup_phrases: list[str],
          jargon_phrases: list[str] = ()) -> PhraseHits:
    """Hits per kind for every text of the array."""
    ad, contact, markup, jargon = tuple(ad_phrases), tuple(contact_phrases), tuple(markup_phrases), tuple(jargon_phrases)
    hits = np.zeros((len(KINDS), len(texts)), dtype=np.int64)
    lowered = pc.utf8_lower(pc.fill_null(texts, ""))
    candidates = np.flatnonzero(pc.greater(pc.count_substring_regex(lowered, _any_phrase(ad, contact, markup, jargon)), 0)
                                .to_numpy(zero_copy_only=False))
    if len(candidates):
        automaton = _automaton(ad, contact, markup, jargon)
        url = KINDS.index("url")
        for row, text in zip(candidates, lowered.take(pa.array(candidates)).to_pylist()):
            for end, (kinds, key) in automaton.iter(text):
                for kind in kinds:
                    if kind == url and key == "www." and text[max(end - 5, 0):end - 3] == "//":
                        continue  # https://www.example.org is one URL
                    hits[kind, row] += 1
    return PhraseHits(*hits)
