"""Lexicon scorer: weighted term lists matched in one Aho-Corasick pass per batch.

Matching, per batch of texts:

- Texts are folded once, column-wise in Arrow: NFKC (full-width letters become ASCII), lower case,
  zero-width characters removed, whitespace runs collapsed, and separators inserted between Han
  characters dropped (操*你, 操 你, 操🔥你 and 操丶你 read as 操你).
- Terms marked `~` also match their homophone spellings ({language}_homophones.tsv: 草泥马 for 操你妈).
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
`target` term such as 你 or you in the text) weighs TARGET_BOOST times more; the PAIRS of word
classes within PAIR_WINDOW characters (中共 … 下台, 推翻 … 中共, 西藏 … 建国) add the weaker word's weight; distribution words
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
TERM_CATEGORIES = ("abuse", "porn", "politics", "hate", "violence", "solicit", "contact", "target", "media",
                   "actor", "hostile", "overthrow", "region", "secession")
TARGET_BOOST = 1.5
# words that only modify the evidence of others (and are too common to look for on their own)
CONTEXT_CATEGORIES = ("target", "media", "contact", "actor", "region")
# Word classes that are politics only near each other: hostility towards the party or its leaders
# (中共 … 下台, 暴政的中共), a call to overthrow them (推翻 … 中共: the party must come after the verb,
# since 共产党领导人民推翻了三座大山 is official history), secession of a region (西藏 … 建国, 自决).
# Each word alone is common in news. (anchor class, word class, category, where the anchor may stand)
PAIRS = (
    ("actor", "hostile", "politics", "either"),
    ("actor", "overthrow", "politics", "after"),
    ("region", "secession", "politics", "either"),
)
PAIR_WINDOW = 12  # characters between the two words of a pair
TRIGGER_CHUNK = 800  # terms per RE2 alternation of the first pass (see Lexicon.trigger_patterns)
MIN_SEXUAL_CUE = 0.3  # porn evidence from which distribution words count (at most doubling it)
SCORED_CATEGORIES = ("abuse", "porn", "politics", "hate", "violence", "spam")
ZERO_WIDTH = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
# Symbols written between the characters of a term to dodge filters (操*你, 傻 逼, 操丶你, 草🐴): ASCII
# symbols, 丶, emoji and pictographs, arrows, shapes, stars and hearts. Chinese clause punctuation
# (，。、) is left alone: dropping it would join words across clauses (他妈，的确).
HAN_SEPARATORS = (r"(\p{Han})[\s*_.·\-~/|\\!?#@$%^&+=丶\x{2190}-\x{21FF}\x{2500}-\x{27BF}\x{2B00}-\x{2BFF}"
                  r"\x{FE0F}\x{1F000}-\x{1FAFF}]+(\p{Han})")


@dataclass(frozen=True)
class Term:
    text: str
    category: str
    weight: float
    prefix: bool = False
    source: str = ""
    homophones: bool = False

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
    homophones: dict[str, str] = field(default_factory=dict)

    def digest(self) -> str:
        h = hashlib.sha256()
        for t in sorted(self.terms, key=lambda t: (t.text, t.category)):
            h.update(f"{t.text}\t{t.category}\t{t.weight}\t{t.prefix}\n".encode())
        for w in sorted(self.allow):
            h.update(f"allow\t{w}\n".encode())
        for p in self.contact_patterns:
            h.update(f"re\t{p.regex}\t{p.weight}\n".encode())
        for t in sorted(t.text for t in self.terms if t.homophones):
            h.update(f"homophones\t{t}\n".encode())
        for character, spellings in sorted(self.homophones.items()):
            h.update(f"sounds\t{character}\t{spellings}\n".encode())
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
        homophones = text.endswith("~")
        text = text.rstrip("~")
        prefix = text.endswith("*")
        terms.append(Term(text.rstrip("*"), category, weight, prefix, parts[3].strip() if len(parts) > 3 else "", homophones))
    return terms


def read_homophones(path: str) -> dict[str, str]:
    """{character: the characters and letters written for it}, from `character<TAB>spellings` lines."""
    out = {}
    for number, line in _data_lines(path):
        character, _, spellings = line.partition("\t")
        if len(character.strip()) != 1 or not spellings.strip():
            raise ValueError(f"{path}:{number}: expected character<TAB>spellings")
        out[character.strip()] = "".join(spellings.split()).lower()
    return out


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
    """`{language}.tsv`, and optionally `{language}_allow.txt`, `{language}_homophones.tsv` and
    `contact_patterns.tsv` of a folder."""
    terms = read_terms(os.path.join(directory, f"{language}.tsv"))
    allow_path = os.path.join(directory, f"{language}_allow.txt")
    homophones_path = os.path.join(directory, f"{language}_homophones.tsv")
    contact_path = os.path.join(directory, "contact_patterns.tsv")
    return LexiconData(
        terms,
        read_allow(allow_path) if os.path.exists(allow_path) else [],
        read_contact_patterns(contact_path) if os.path.exists(contact_path) else [],
        read_homophones(homophones_path) if os.path.exists(homophones_path) else {},
    )


MAX_SPELLINGS = 64
MAX_HOMOPHONE_SPELLINGS = 512


def _homophone_spellings(word: str, homophones: dict[str, str]) -> list[str]:
    """The word with each character replaced by any of the ones written for it (操你妈: 草泥马, 艹尼玛,
    cao你妈 is not made: replacements are single characters or letters). At most MAX_HOMOPHONE_SPELLINGS."""
    import itertools

    options = [sorted({ch, *homophones.get(ch, "")}) for ch in word]
    spellings = ("".join(c) for c in itertools.islice(itertools.product(*options), MAX_HOMOPHONE_SPELLINGS))
    # all-letter spellings (sb from 傻逼) are left to the list itself, where they are weighed as abbreviations
    return [s for s in spellings if s != word and not all(_is_word_char(ch) for ch in s)]


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
    # RE2's \s is [\t\n\f\r ]; a run of it, or one that is not a space, becomes one space (as \s+ would,
    # but RE2 spends far less on the common single space when the pattern does not match it alone)
    folded = pc.replace_substring_regex(folded, r"[\t\n\f\r ]{2,}|[\t\n\f\r]", " ")
    for _ in range(2):  # non-overlapping matches: 操*你*妈 needs two passes
        folded = pc.replace_substring_regex(folded, HAN_SEPARATORS, r"\1\2")
    return folded


@dataclass
class TextHits:
    """Occurrences of each term counted in one text, by category."""

    counts: dict[str, dict[str, int]]
    pairs: dict[str, dict[str, float]] = field(default_factory=dict)  # {category: {"中共…下台": evidence}}

    def terms(self) -> dict[str, dict[str, int]]:
        """{category: {term: occurrences}}, pairs of words as "first…second"."""
        out = {c: {key.split(":", 1)[1]: n for key, n in found.items()} for c, found in self.counts.items()}
        for category, found in self.pairs.items():
            out.setdefault(category, {}).update({label: 1 for label in found})
        return out

    def evidence(self, terms: dict[str, Term], category: str) -> float:
        single = sum(terms[key].weight * (1.0 + math.log(n)) for key, n in self.counts.get(category, {}).items())
        return single + sum(self.pairs.get(category, {}).values())


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
        allowed = set(self.data.allow)
        for key, term in self.terms.items():
            if term.homophones:
                for spelling in _homophone_spellings(term.text, self.data.homophones):
                    # a spelling that is an ordinary word stays one; one that is a term of the category already
                    # (沙比 for 傻逼) counts once
                    listed = any(kind == "term" and self.terms[other].category == term.category
                                 for kind, other, _ in by_surface.get(spelling, ()))
                    if spelling not in allowed and not listed:
                        by_surface[spelling].append(("term", key, len(spelling)))
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
    def trigger_patterns(self) -> list[str]:
        """RE2 patterns whose matches mark the few texts worth counting: a vectorised first pass over the
        whole batch (RE2 in Arrow scans Chinese text several times faster than the automaton iterated
        from Python). The terms that score by themselves (not allow-listed words, nor the context words
        of `target`, `media`, `contact`, frequent in clean text) go into alternations of at most
        TRIGGER_CHUNK terms, since on one alternation of thousands RE2 leaves its DFA for a far slower
        engine; the two word classes of a PAIR trigger only together, within PAIR_WINDOW characters."""
        alternatives = set()
        paired = {cls for anchor, word, _, _ in PAIRS for cls in (anchor, word)}
        for surface, entries in self._surfaces.items():
            for kind, key, _ in entries:
                term = self.terms.get(key) if kind == "term" else None
                if term is None or term.category in CONTEXT_CATEGORIES or term.category in paired:
                    continue
                alternatives.add(self._alternative(surface, term))
        ordered = sorted(alternatives, key=lambda a: (-len(a), a))
        patterns = ["|".join(ordered[i:i + TRIGGER_CHUNK]) for i in range(0, len(ordered), TRIGGER_CHUNK)]
        for anchor_class, word_class, _, side in PAIRS:
            anchors, words = self._class_alternation(anchor_class), self._class_alternation(word_class)
            if anchors and words:
                gap = f".{{0,{PAIR_WINDOW}}}"
                pattern = f"(?:{words}){gap}(?:{anchors})"
                if side == "either":
                    pattern += f"|(?:{anchors}){gap}(?:{words})"
                patterns.append(pattern)
        for pattern in patterns:
            pc.match_substring_regex(pa.array([""]), pattern)  # fails now, at load, if RE2 cannot compile it
        return patterns

    @staticmethod
    def _alternative(surface: str, term: Term) -> str:
        alternative = re.escape(surface)
        if _is_word_char(surface[0]):
            alternative = r"\b" + alternative
        if _is_word_char(surface[-1]) and not term.prefix:
            alternative += r"\b"
        return alternative

    def _class_alternation(self, category: str) -> str:
        alternatives = {self._alternative(surface, self.terms[key])
                        for surface, entries in self._surfaces.items()
                        for kind, key, _ in entries if kind == "term" and self.terms[key].category == category}
        return "|".join(sorted(alternatives, key=lambda a: (-len(a), a)))

    def _triggered(self, folded: pa.Array) -> np.ndarray:
        out = np.zeros(len(folded), dtype=bool)
        for pattern in self.trigger_patterns:
            out |= pc.match_substring_regex(folded, pattern).to_numpy(zero_copy_only=False)
        return out

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
        candidates = np.flatnonzero(self._triggered(folded))
        texts = folded.take(pa.array(candidates, pa.int64())).to_pylist()
        matches: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
        for index, begin, end, kind, key in self._matches(self.automaton, texts):
            matches[index].append((begin, end, kind, key))
        return candidates, [self._resolve(matches.get(i, [])) for i in range(len(texts))]

    @staticmethod
    def _on_word_boundary(joined: str, begin: int, end: int, term: Term) -> bool:
        """The matched spelling's own ends decide (a homophone spelling such as 傻b ends in a letter)."""
        if _is_word_char(joined[begin]) and begin > 0 and _is_word_char(joined[begin - 1]):
            return False
        if not term.prefix and _is_word_char(joined[end]) and end + 1 < len(joined) and _is_word_char(joined[end + 1]):
            return False
        return True

    def _resolve(self, spans: list[tuple[int, int, str, str]]) -> TextHits:
        allowed = [(b, e) for b, e, kind, _ in spans if kind == "allow"]
        found = [(b, e, key) for b, e, kind, key in spans if kind == "term"]
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        kept = []
        for b, e, key in found:
            length = e - b
            if any(ab <= e and b <= ae and ae - ab >= length for ab, ae in allowed):
                continue
            if any(ob <= b and e <= oe and oe - ob > length for ob, oe, _ in found):
                continue
            counts[self.terms[key].category][key] += 1
            kept.append((b, e, self.terms[key]))
        return TextHits({c: dict(v) for c, v in counts.items()}, self._pairs(kept))

    @staticmethod
    def _pairs(kept: list[tuple[int, int, Term]]) -> dict[str, dict[str, float]]:
        """Evidence of the PAIRS found within PAIR_WINDOW characters: per pair of words, the weaker weight."""
        out: dict[str, dict[str, float]] = {}
        for anchor_class, word_class, category, side in PAIRS:
            anchors = [(b, e, t) for b, e, t in kept if t.category == anchor_class]
            if not anchors:
                continue
            for b, e, word in (k for k in kept if k[2].category == word_class):
                near = [(ab, t) for ab, ae, t in anchors
                        if (e < ab <= e + PAIR_WINDOW + 1) or (side == "either" and ae < b <= ae + PAIR_WINDOW + 1)]
                if near:
                    ab, anchor = max(near, key=lambda n: n[1].weight)
                    label = f"{anchor.text}…{word.text}" if ab < b else f"{word.text}…{anchor.text}"
                    found = out.setdefault(category, {})
                    found[label] = max(found.get(label, 0.0), min(anchor.weight, word.weight))
        return out

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
    default_batch_size = 4096  # its Arrow passes compile their patterns once per call: fewer, larger calls

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
        self.lexicon.trigger_patterns  # noqa: B018
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
