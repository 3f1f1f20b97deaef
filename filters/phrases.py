"""Count advertising, contact, URL and markup phrases in texts with one Aho-Corasick pass each.

Matching is case-insensitive and needs no word boundaries, so Chinese phrases such as 加微信 are
found inside running text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import numpy as np

URL_PREFIXES = ("http://", "https://", "www.")
MARKUP = (
    "<div", "</div", "<span", "</span", "<p>", "</p>", "<p ", "<br", "<a href", "</a>", "<img", "<td", "</td",
    "<tr", "</tr", "<li>", "</li>", "<ul", "</ul", "<script", "</script", "<style", "<table", "<iframe",
    "&nbsp;", "&amp;", "&lt;", "&gt;", "&quot;", "&#", "[url", "[/url", "[img", "[/img",
)
KINDS = ("ad", "contact", "url", "markup")


@dataclass(frozen=True)
class PhraseHits:
    ad: np.ndarray
    contact: np.ndarray
    url: np.ndarray
    markup: np.ndarray


@lru_cache(maxsize=8)
def _automaton(ad: tuple[str, ...], contact: tuple[str, ...]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for kind, phrases in zip(KINDS, (ad, contact, URL_PREFIXES, MARKUP)):
        for phrase in phrases:
            key = phrase.lower()
            if key:
                kinds = automaton.get(key, ())
                automaton.add_word(key, tuple(sorted(set(kinds) | {KINDS.index(kind)})))
    automaton.make_automaton()
    return automaton


def count(texts: list[str | None], ad_phrases: list[str], contact_phrases: list[str]) -> PhraseHits:
    automaton = _automaton(tuple(ad_phrases), tuple(contact_phrases))
    hits = np.zeros((len(KINDS), len(texts)), dtype=np.int64)
    for row, text in enumerate(texts):
        if text:
            for _, kinds in automaton.iter(text.lower()):
                for kind in kinds:
                    hits[kind, row] += 1
    return PhraseHits(*hits)
