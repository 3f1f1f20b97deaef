"""Lexicon scorer: weighted term lists matched in one Aho-Corasick pass per batch.

Matching, per batch of texts:

- Texts are folded once, column-wise in Arrow: NFKC (full-width letters become ASCII), lower case,
  zero-width characters removed, whitespace runs collapsed, and separators inserted between Han
  characters dropped (操*你 and 操 你 read as 操你).
- The folded texts are joined with NUL and scanned by one automaton holding every term, its
  Traditional Chinese spellings (OpenCC s2t, s2tw, s2hk) and every allow-listed word.
- Latin terms count only on word boundaries (no ASCII letter, digit or _ on either side), so
  assassin, classic, Sussex, cocktail and Scunthorpe do not hit; a term written `fuck*` matches
  any word starting with it.
- Longest match wins: a term occurrence is dropped when an allow-listed word at least as long
  overlaps it (被操作 holds 被操 but 操作 is allowed; 单台独立 holds 台独) and when a longer term
  contains it (操你妈 counts once, not also as 操你).
- Contact and URL patterns (RE2 regexes) are counted column-wise with Arrow.

Scores, per text and category: each distinct term adds its weight times (1 + ln occurrences); the
sum is scaled by the text's density, min(1, sqrt(reference_chars / chars)), so one stray word in
a long document weighs less than in a short message; the score is 1 - 0.5 ** evidence, so evidence
1 (one strong term in a short text, or two medium ones) scores 0.5. Abuse addressed to someone (a
`target` term such as 你 or you in the text) weighs TARGET_BOOST times more; distribution words
(`media`: 视频, 在线看, free videos ...) add to porn evidence only when sexual terms give at least
MIN_SEXUAL_CUE, and at most double it. `spam` is sexual evidence
(porn + solicitation terms) co-occurring with contact evidence: 1 - 0.5 ** (2 * min(sexual, contact)).

Term files (moderation/lexicons/*.tsv) hold `term<TAB>category<TAB>weight<TAB>source` lines; allow
lists hold one word a line; `#` starts a comment. Their sources and licences: lexicons/README.md.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import ahocorasick
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from moderation.scorer import Scorer

LEXICON_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lexicons")
TERM_CATEGORIES = ("abuse", "porn", "politics", "hate", "violence", "solicit", "contact", "target", "media")
TARGET_BOOST = 1.5
CONTEXT_CATEGORIES = ("target", "media", "contact")  # words that only modify the evidence of scoring terms
MIN_SEXUAL_CUE = 0.3  # porn evidence from which distribution words count (at most doubling it)
SCORED_CATEGORIES = ("abuse", "porn", "politics", "hate", "violence", "spam")
ZERO_WIDTH = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
HAN_SEPARATORS = r"(\p{Han})[\s*_.·\-~/|\\]+(\p{Han})"


@dataclass(frozen=True)
class Term:
    text: str
    category: str
    weight: float
    prefix: bool = False
    source: str = ""

    @property
    def latin_start(self) -> bool:
        return _is_word_char(self.text[0])

    @property
    def latin_end(self) -> bool:
        return _is_word_char(self.text[-1]) and not self.prefix


@dataclass(frozen=True)
class ContactPattern:
    regex: str
    weight: float


@dataclass
class LexiconData:
    """Terms, allow-listed words and contact patterns of one language."""

    terms: list[Term]
    allow: list[str] = field(default_factory=list)
    contact_patterns: list[ContactPattern] = field(default_factory=list)

    def digest(self) -> str:
        h = hashlib.sha256()
        for t in sorted(self.terms, key=lambda t: (t.text, t.category)):
            h.update(f"{t.text}\t{t.category}\t{t.weight}\t{t.prefix}\n".encode())
        for w in sorted(self.allow):
            h.update(f"allow\t{w}\n".encode())
        for p in self.contact_patterns:
            h.update(f"re\t{p.regex}\t{p.weight}\n".encode())
        return h.hexdigest()[:12]


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _data_lines(path: str):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                yield number, line


def read_terms(path: str) -> list[Term]:
    terms = []
    for number, line in _data_lines(path):
        parts = line.split("\t")
        if len(parts) < 3:
            raise ValueError(f"{path}:{number}: expected term<TAB>category<TAB>weight[<TAB>source]")
        text, category, weight = parts[0].strip().lower(), parts[1].strip(), float(parts[2])
        if category not in TERM_CATEGORIES:
            raise ValueError(f"{path}:{number}: unknown category {category!r}; known: {list(TERM_CATEGORIES)}")
        prefix = text.endswith("*")
        terms.append(Term(text.rstrip("*"), category, weight, prefix, parts[3].strip() if len(parts) > 3 else ""))
    return terms


def read_allow(path: str) -> list[str]:
    return [line.strip().lower() for _, line in _data_lines(path)]


def read_contact_patterns(path: str) -> list[ContactPattern]:
    patterns = []
    for number, line in _data_lines(path):
        regex, _, weight = line.rpartition("\t")
        re.compile(regex)  # a broken pattern fails at load, not mid-batch
        patterns.append(ContactPattern(regex, float(weight)))
    return patterns


def load_lexicon(directory: str, language: str) -> LexiconData:
    """`{language}.tsv`, `{language}_allow.txt` (optional) and `contact_patterns.tsv` (optional) of a folder."""
    terms = read_terms(os.path.join(directory, f"{language}.tsv"))
    allow_path = os.path.join(directory, f"{language}_allow.txt")
    contact_path = os.path.join(directory, "contact_patterns.tsv")
    return LexiconData(
        terms,
        read_allow(allow_path) if os.path.exists(allow_path) else [],
        read_contact_patterns(contact_path) if os.path.exists(contact_path) else [],
    )


MAX_SPELLINGS = 64


def _traditional_spellings(words: set[str]) -> dict[str, str]:
    """{Traditional spelling: Simplified word} for every word with Han characters.

    Each character may take any of its Traditional forms (干 -> 幹 or 乾, 娘 -> 孃), since texts mix
    them freely (幹你娘); the whole-word conversions are added too. At most MAX_SPELLINGS a word.
    """
    import itertools

    import opencc

    converters = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]
    out = {}
    for word in words:
        if not any("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        options = [sorted({ch, *(c.convert(ch) for c in converters)}) for ch in word]
        spellings = {c.convert(word) for c in converters}
        for combo in itertools.islice(itertools.product(*options), MAX_SPELLINGS):
            spellings.add("".join(combo))
        for variant in spellings:
            if variant != word and len(variant) == len(word):
                out.setdefault(variant, word)
    return out


def fold(texts: pa.Array) -> pa.Array:
    """The matching form of a batch of texts (see the module docstring)."""
    folded = pc.utf8_lower(pc.utf8_normalize(pc.fill_null(texts, ""), "NFKC"))
    folded = pc.replace_substring_regex(folded, ZERO_WIDTH, "")
    folded = pc.replace_substring_regex(folded, r"\s+", " ")
    for _ in range(2):  # non-overlapping matches: 操*你*妈 needs two passes
        folded = pc.replace_substring_regex(folded, HAN_SEPARATORS, r"\1\2")
    return folded


@dataclass
class TextHits:
    """Occurrences of each term counted in one text, by category."""

    counts: dict[str, dict[str, int]]

    def terms(self) -> dict[str, dict[str, int]]:
        """{category: {term: occurrences}}."""
        return {c: {key.split(":", 1)[1]: n for key, n in found.items()} for c, found in self.counts.items()}

    def evidence(self, terms: dict[str, Term], category: str) -> float:
        return sum(terms[key].weight * (1.0 + math.log(n)) for key, n in self.counts.get(category, {}).items())


class Lexicon:
    """A compiled lexicon: `hits()` and `scores()` for batches of texts."""

    def __init__(self, data: LexiconData, reference_chars: int = 300):
        self.data = data
        self.reference_chars = reference_chars
        self.terms: dict[str, Term] = {}
        for term in data.terms:
            key = f"{term.category}:{term.text}"
            if key in self.terms and self.terms[key] != term:
                raise ValueError(f"term {term.text!r} listed twice in category {term.category!r} with different weights")
            self.terms[key] = term

    @cached_property
    def _surfaces(self) -> dict[str, tuple[tuple[str, str, int], ...]]:
        """Every term and allow-listed word, and their Traditional spellings -> ((kind, key, length), ...)."""
        by_surface: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for key, term in self.terms.items():
            by_surface[term.text].append(("term", key, len(term.text)))
        for word in self.data.allow:
            by_surface[word].append(("allow", word, len(word)))
        for variant, word in _traditional_spellings(set(by_surface)).items():
            if variant not in by_surface:
                by_surface[variant] = [(kind, key, len(variant)) for kind, key, _ in by_surface[word]]
        return {surface: tuple(entries) for surface, entries in by_surface.items()}

    @staticmethod
    def _build(surfaces: dict[str, tuple]) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton()
        for surface, entries in surfaces.items():
            automaton.add_word(surface, entries)
        automaton.make_automaton()
        return automaton

    @cached_property
    def automaton(self) -> ahocorasick.Automaton:
        """Every surface: the pass that counts, over texts with a trigger."""
        return self._build(self._surfaces)

    @cached_property
    def trigger_pattern(self) -> str:
        """One RE2 alternation of the terms that score by themselves (not allow-listed words, nor the
        context words of `target`, `media` and `contact`, which are frequent in clean text): a vectorised first pass over the whole batch
        that finds the few texts worth counting (RE2 in Arrow scans Chinese text several times faster than
        the automaton iterated from Python)."""
        alternatives = set()
        for surface, entries in self._surfaces.items():
            for kind, key, _ in entries:
                term = self.terms.get(key) if kind == "term" else None
                if term is None or term.category in CONTEXT_CATEGORIES:
                    continue
                alternative = re.escape(surface)
                if term.latin_start:
                    alternative = r"\b" + alternative
                if term.latin_end:
                    alternative += r"\b"
                alternatives.add(alternative)
        pattern = "|".join(sorted(alternatives, key=lambda a: (-len(a), a))) or "$^"
        pc.match_substring_regex(pa.array([""]), pattern)  # fails now, at load, if RE2 cannot compile it
        return pattern

    def hits(self, texts: list[str] | pa.Array) -> list[TextHits]:
        """Term occurrences per text after boundary checks and longest-match resolution."""
        array = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.string())
        candidates, found = self._hits(fold(array))
        out = [TextHits({}) for _ in range(len(array))]
        for row, hits in zip(candidates, found):
            out[row] = hits
        return out

    def _matches(self, automaton: ahocorasick.Automaton, texts: list[str]):
        """(text index, begin, end, kind, key) of every match on word boundaries, texts joined by NUL."""
        joined = "\0".join(texts)
        ends = np.cumsum([len(t) + 1 for t in texts]) - 1  # index of each text's terminating NUL
        row = 0
        for end, entries in automaton.iter(joined):
            while end >= ends[row]:  # matches come in order of their end; none spans a NUL
                row += 1
            begin = end - entries[0][2] + 1
            for kind, key, _ in entries:
                if kind == "allow" or self._on_word_boundary(joined, begin, end, self.terms[key]):
                    yield row, begin, end, kind, key

    def _hits(self, folded: pa.Array) -> tuple[np.ndarray, list[TextHits]]:
        """(rows with a trigger term, their hits): the automaton runs on those rows only."""
        triggered = pc.match_substring_regex(folded, self.trigger_pattern).to_numpy(zero_copy_only=False)
        candidates = np.flatnonzero(triggered)
        texts = folded.take(pa.array(candidates, pa.int64())).to_pylist()
        matches: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
        for index, begin, end, kind, key in self._matches(self.automaton, texts):
            matches[index].append((begin, end, kind, key))
        return candidates, [self._resolve(matches.get(i, [])) for i in range(len(texts))]

    @staticmethod
    def _on_word_boundary(joined: str, begin: int, end: int, term: Term) -> bool:
        if term.latin_start and begin > 0 and _is_word_char(joined[begin - 1]):
            return False
        if term.latin_end and end + 1 < len(joined) and _is_word_char(joined[end + 1]):
            return False
        return True

    def _resolve(self, spans: list[tuple[int, int, str, str]]) -> TextHits:
        allowed = [(b, e) for b, e, kind, _ in spans if kind == "allow"]
        found = [(b, e, key) for b, e, kind, key in spans if kind == "term"]
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for b, e, key in found:
            length = e - b
            if any(ab <= e and b <= ae and ae - ab >= length for ab, ae in allowed):
                continue
            if any(ob <= b and e <= oe and oe - ob > length for ob, oe, _ in found):
                continue
            counts[self.terms[key].category][key] += 1
        return TextHits({c: dict(v) for c, v in counts.items()})

    def contact_counts(self, folded: pa.Array) -> np.ndarray:
        total = np.zeros(len(folded), dtype=np.float64)
        for pattern in self.data.contact_patterns:
            total += pattern.weight * pc.count_substring_regex(folded, pattern.regex).to_numpy(zero_copy_only=False)
        return total

    def scores(self, texts: list[str]) -> dict[str, np.ndarray]:
        return self.scores_and_hits(texts)[0]

    def scores_and_hits(self, texts: list[str]) -> tuple[dict[str, np.ndarray], list[TextHits]]:
        """Scores per category, and the hits of every text (empty for texts without a trigger term)."""
        folded = fold(pa.array(texts, pa.string()))
        candidates, found = self._hits(folded)
        evidence = {c: np.zeros(len(texts)) for c in TERM_CATEGORIES}
        for category in TERM_CATEGORIES:
            evidence[category][candidates] = [h.evidence(self.terms, category) for h in found]
        sexual_rows = candidates[(evidence["porn"][candidates] + evidence["solicit"][candidates]) > 0]
        if len(sexual_rows):  # contact details only matter next to sexual terms
            evidence["contact"][sexual_rows] += self.contact_counts(folded.take(pa.array(sexual_rows, pa.int64())))
        chars = pc.utf8_length(folded).to_numpy(zero_copy_only=False).astype(np.float64)
        density = np.minimum(1.0, np.sqrt(self.reference_chars / np.maximum(chars, 1.0)))
        sexual_cues = evidence["porn"] >= MIN_SEXUAL_CUE
        evidence["porn"] = np.where(sexual_cues, evidence["porn"] + np.minimum(evidence["media"], evidence["porn"]), evidence["porn"])
        addressed = evidence["target"] > 0
        evidence["abuse"] = np.where(addressed, evidence["abuse"] * TARGET_BOOST, evidence["abuse"])
        out = {}
        for category in ("abuse", "porn", "politics", "hate", "violence"):
            out[category] = 1.0 - 0.5 ** (evidence[category] * density)
        sexual = (evidence["porn"] + evidence["solicit"]) * density
        contact = evidence["contact"] * density
        out["spam"] = 1.0 - 0.5 ** (2.0 * np.minimum(sexual, contact))
        hits = [TextHits({}) for _ in range(len(texts))]
        for row, h in zip(candidates, found):
            hits[row] = h
        return {c: v.astype(np.float32) for c, v in out.items()}, hits


class LexiconScorer(Scorer):
    """Scorer over one language's lexicon (default: the lists shipped in moderation/lexicons)."""

    categories = SCORED_CATEGORIES

    def __init__(self, name: str, lexicon_language: str, languages: tuple[str, ...], directory: str | None = None,
                 reference_chars: int = 300):
        self.name = name
        self.lexicon_language = lexicon_language
        self.languages = tuple(languages)
        self.directory = directory or LEXICON_DIR
        self.reference_chars = reference_chars
        self.lexicon: Lexicon | None = None

    def load(self) -> None:
        data = load_lexicon(self.directory, self.lexicon_language)
        self.lexicon = Lexicon(data, self.reference_chars)
        self.lexicon.automaton  # noqa: B018 - build once, in setup
        self.lexicon.trigger_pattern  # noqa: B018
        self.version = f"{self.lexicon_language}-{data.digest()}"

    def score(self, texts: list[str]) -> dict[str, np.ndarray]:
        if self.lexicon is None:
            raise RuntimeError(f"scorer {self.name!r} used before load()")
        return self.lexicon.scores(texts)

    def score_with_evidence(self, texts: list[str]) -> tuple[dict[str, np.ndarray], list[dict]]:
        """Scores and, per text, the matched terms by category ({} for none), for a reject's detail."""
        if self.lexicon is None:
            raise RuntimeError(f"scorer {self.name!r} used before load()")
        scores, hits = self.lexicon.scores_and_hits(texts)
        return scores, [h.terms() for h in hits]
