"""Lexicon scorer: weighted term lists matched in one Aho-Corasick pass per batch.

Matching, per batch of texts:

- Texts are folded once, column-wise in Arrow: NFKC (full-width letters become ASCII), lower case,
  zero-width characters removed, whitespace runs collapsed, and separators inserted between Han
  characters dropped (操*你, 操 你, 操🔥你 and 操丶你 read as 操你); emoji and pictographs between a Han
  character and a letter or digit are dropped too (约❤️p reads 约p). Animal emoji that picture a character
  are read as it first (PICTOGRAPHS: 🐶东西 reads 狗东西, 草泥🐴 reads 草泥马).
- Terms marked `~` also match their variant spellings: homophones ({language}_homophones.tsv: 草泥马
  for 操你妈) and disguised Latin spellings ({language}_disguises.tsv): letters written as digits or
  symbols (sh1t, b!tch, a$$hole), interior letters masked (f*ck, f**k), letters repeated (fuuuck) or
  spaced out (s h i t, f.u.c.k). A disguised word is rewritten to its term before counting (see
  Lexicon.undisguise).
- In English (PLURAL_LANGUAGES), one-word terms of abuse, porn and hate also match their plural
  (milfs, fetishes).
- Compound insults are generated from two word classes: every `stem` glued to every `tail`
  (shit + stain, douche + nozzle: shitstain, douche-nozzle) is an abuse term weighing the weaker word.
- The folded texts are joined with NUL and scanned by one automaton holding every term, its
  Traditional Chinese spellings (OpenCC s2t, s2tw, s2hk) and every allow-listed word.
- Latin terms count only on word boundaries (no ASCII letter, digit or _ on either side), so
  assassin, classic, Sussex, cocktail and Scunthorpe do not hit; a term written `fuck*` matches
  any word starting with it.
- Longest match wins: a term occurrence is dropped when an allow-listed word at least as long
  overlaps it (被操作 holds 被操 but 操作 is allowed; 单台独立 holds 台独; 山东突然 holds 东突) and when a
  longer term that scores contains it (操你妈 counts once, not also as 操你); a longer word of a context
  class hides only words of its own class (the filler `fucking` does not hide the abuse term fuck*).
- Innocent senses ({language}_senses.tsv): an occurrence with one of the term's own context words
  within the sense window (SENSE_WINDOWS) does not count (bitch near dog breeding, tits near bird
  feeders, 法轮功 near 依法取缔, 老子 near 道德经); a term listed in its plural shares its singular's
  senses (faggots near meatballs).
- Mentions: abuse, hate and porn terms near a `mention` word (释义, 粗口, 贬义, the word, a slur) or
  standing alone in quotes (“傻逼”, 'retard') weigh MENTION_FACTOR of their weight.
- Contact and URL patterns (RE2 regexes) are counted column-wise with Arrow.

Scores, per text and category: each distinct term adds its weight times (1 + ln occurrences); the
sum is scaled by the text's density, min(1, sqrt(reference_chars / chars)), so one stray word in
a long document weighs less than in a short message; the score is 1 - 0.5 ** evidence, so evidence
1 (one strong term in a short text, or two medium ones) scores 0.5. Abuse and porn addressed to someone (a
`target` term such as 你 or you in the text: TARGET_BOOSTED) weigh TARGET_BOOST times more; the PAIRS of word
classes within the language's pair window (PAIR_WINDOWS: 12 characters in Chinese, 24 in English; 中共 … 下台,
推翻 … 中共, 西藏 … 建国, 六四 … 悼念, 维尼熊 … 视察, overthrow … the CCP, Tibet … independence, June 4th … candle)
add the weaker word's weight, and so does an `insult` noun right after an `address` with only `filler` words
between (你这头猪, you little rat, you're a straight up clown), and a request to write (写一段, write me) near a porn
term adds the request's weight (SFT prompts asking for sexual scenes); distribution words (`media`: 视频, 在线看, free
videos ...) add to porn evidence only when sexual terms give at least MIN_SEXUAL_CUE, and at most double it;
solicitation terms add SOLICIT_PORN_SHARE of their weight to porn. In English, abuse terms of weight 0.75 or more
count twice (STRONG_TERMS: the lexicon shares the abuse mean with two models). `spam` is sexual evidence
(porn + solicitation terms) co-occurring with contact evidence: 1 - 0.5 ** (2 * min(sexual, contact)).

Term files (moderation/lexicons/*.tsv) hold `term<TAB>category<TAB>weight<TAB>source` lines; allow
lists hold one word a line; sense files `term<TAB>word, word, ...` lines; `#` starts a comment. Their
sources and licences: lexicons/README.md.
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
                   "actor", "hostile", "overthrow", "region", "secession", "stem", "tail", "event", "memorial",
                   "mock", "office", "address", "insult", "filler", "mention", "request")
TARGET_BOOST = 1.5
# Categories whose evidence a `target` word (你, you, ur) boosts: abuse aimed at someone, and sexual talk aimed at the reader
# (sexting, offers: 帮你打飞机, ur cock looks so good), which narration and sex education rarely are (sixth round).
TARGET_BOOSTED = ("abuse", "porn")
# words that only modify the evidence of others (and are too common to look for on their own)
CONTEXT_CATEGORIES = ("target", "media", "contact", "actor", "region", "filler", "mention", "request")
# Word classes that are politics only near each other: hostility towards the party or its leaders
# (中共 … 下台, 暴政的中共), a call to overthrow them (推翻 … 中共: the party must come after the verb,
# since 共产党领导人民推翻了三座大山 is official history), secession of a region (西藏 … 建国, 自决).
# Each word alone is common in news. (anchor class, word class, category, where the anchor may stand)
# 1989 (六四, 八九, June 4th) near a word of killing or remembrance (屠杀, 坦克, 蜡烛, candle), a region near a call to
# resist (香港人 … 反抗), and a mocking name for a leader (维尼熊, 包子) near the leader's office (视察, 连任, 下台) are
# politics the same way. An insult noun right after an address (你这头猪, you little rat, you're a total clown: only
# `filler` words such as 这头, little, total, a, so between them) is abuse; the noun alone (猪, rat, clown) is common.
# (anchor class, word class, category, where the word may stand, class of the only words allowed between them)
# An anchor of a class in ONCE_PER_ANCHOR counts once, with the best word near it over all its pairs (庆丰 near 主席 and
# 习近平 is one mocking name, an insult noun after two addresses one insult).
PAIRS = (
    ("actor", "hostile", "politics", "either", None),
    ("actor", "overthrow", "politics", "after", None),
    ("region", "secession", "politics", "either", None),
    ("region", "overthrow", "politics", "either", None),
    ("event", "hostile", "politics", "either", None),
    ("event", "memorial", "politics", "either", None),
    ("mock", "office", "politics", "either", None),
    ("mock", "actor", "politics", "either", None),
    ("mock", "hostile", "politics", "either", None),
    ("insult", "address", "abuse", "after", "filler"),
    ("request", "porn", "porn", "either", None),
)
# A request to write (写一段, describe, write me) near a porn term adds the weaker weight (request words weigh 0.2): SFT
# prompts asking for sexual content. Its word class scores alone, so the porn term triggers the text by itself and the
# pair needs no trigger pattern of its own (_TRIGGERING_PAIRS).
ONCE_PER_ANCHOR = ("mock", "insult")
# Pairs whose words trigger the first pass only together: those whose word class does not score by itself.
_TRIGGERING_PAIRS = tuple(p for p in PAIRS if p[1] not in ("abuse", "porn", "politics", "hate", "violence"))
UNLISTED_CATEGORIES = ("address", "insult", "filler", "mention", "request")  # not listed in a reject's terms (TextHits.terms)
PAIR_WINDOW = 12  # characters between the two words of a pair (Chinese, and any language not in PAIR_WINDOWS)
PAIR_WINDOWS = {"en": 24}  # English words are longer: about four words
# Words that mention a term rather than use it (词典释义, 粗口, 贬义, the word, a slur, derogatory): abuse, hate and porn
# terms within MENTION_WINDOW characters of one, or standing in quotes (“傻逼”, 'retard'), weigh MENTION_FACTOR of their
# weight (and never count as STRONG_TERMS). Some evidence stays, so an insult that also talks about swearing can still be
# rejected with the classifier's agreement, but the English models' confidence alone does not tip a mention.
MENTION_CATEGORIES = ("abuse", "hate", "porn")
MENTION_WINDOW = 16  # characters (Chinese, and any language not in MENTION_WINDOWS)
MENTION_WINDOWS = {"en": 40}
MENTION_FACTOR = 0.15
QUOTES = {"“": "”", "「": "」", "『": "』", '"': '"', "'": "'", "‘": "’"}
# Innocent senses ({language}_senses.tsv): a term occurrence with one of its own context words within SENSE_WINDOW
# characters (bitch near dog breeding, tits near garden birds, 法轮功 near 取缔) does not count.
SENSE_WINDOW = 20
SENSE_WINDOWS = {"en": 60}
# Strong terms that count more, per language and category: (least weight, factor). English abuse is averaged with
# profanity-check and hatesonar, which know common profanity but score low on the long tail of insults (fatso, old
# bat, airhead) and high on mild expletives (crap, hell): there, unambiguous insults (weight 0.75 or more) count twice,
# so that one of them in a short text rejects on its own (as one strong term does in Chinese), while the weak words
# stay weak.
STRONG_TERMS = {"en": {"abuse": (0.75, 2.0)}}
# Solicitation (全套, escort service, hookup) is sexual evidence: it counts toward porn at this share of its weight
# (besides making spam with contact details).
SOLICIT_PORN_SHARE = 0.5
# Word classes glued into compound words (shit + stain): (first class, second class, category of the compound).
# The classes only generate compounds; their words alone are not matched.
COMPOUNDS = (("stem", "tail", "abuse"),)
COMPOUND_GLUES = ("", "-")  # shitstain, shit-stain
COMPOUND_PLURAL = "s"  # shitstains
# Disguised spellings (`~` terms of a language with a {language}_disguises.tsv)
DISGUISE_SEPARATORS = r"[ .\-_*·]{1,2}"  # between the letters of a spaced-out word: s h i t, f.u.c.k, f-u-c-k
MIN_MASKED_LETTERS = 4  # masks (f*ck) and spacing (s h i t) only for words this long; shorter ones (c*m, a s s) misfire
DISGUISE_TRIGGER_CHUNK = 100  # disguise patterns per RE2 alternation of the first pass
GENERATOR_CATEGORIES = ("stem", "tail")
PLURAL_CATEGORIES = ("abuse", "porn", "hate")  # one-word Latin terms of these also match their plural (milf: milfs)
PLURAL_LANGUAGES = ("en",)  # lexicons whose Latin terms are English words (Chinese lists hold pinyin initials: sb, cnm)
TRIGGER_CHUNK = 800  # terms per RE2 alternation of the first pass (see Lexicon.trigger_patterns)
MIN_SEXUAL_CUE = 0.3  # porn evidence from which distribution words count (at most doubling it)
SCORED_CATEGORIES = ("abuse", "porn", "politics", "hate", "violence", "spam")
# categories whose longer terms hide shorter terms of any category inside them (others hide their own category only)
HIDING_CATEGORIES = ("abuse", "porn", "politics", "hate", "violence", "solicit")
ZERO_WIDTH = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
# Symbols written between the characters of a term to dodge filters (操*你, 傻 逼, 操丶你, 草🐴): ASCII
# symbols, 丶, emoji and pictographs, arrows, shapes, stars and hearts. Chinese clause punctuation
# (，。、) is left alone: dropping it would join words across clauses (他妈，的确).
HAN_SEPARATORS = (r"(\p{Han})[\s*_.·\-~/|\\!?#@$%^&+=丶\x{2190}-\x{21FF}\x{2500}-\x{27BF}\x{2B00}-\x{2BFF}"
                  r"\x{FE0F}\x{1F000}-\x{1FAFF}]+(\p{Han})"
                  # emoji and pictographs (not ASCII symbols or spaces) also go between a Han character and a letter or
                  # digit: 约❤️p, 加🔥v
                  r"|(\p{Han})[丶\x{2190}-\x{21FF}\x{2500}-\x{27BF}\x{2B00}-\x{2BFF}\x{FE0F}\x{1F000}-\x{1FAFF}]+([a-z0-9])"
                  r"|([a-z0-9])[丶\x{2190}-\x{21FF}\x{2500}-\x{27BF}\x{2B00}-\x{2BFF}\x{FE0F}\x{1F000}-\x{1FAFF}]+(\p{Han})")


# Emoji that stand for a character in Chinese insults and porn slang (🐶东西, 🐷头, 草🐴, 🐔巴): read as the character
# (after NFKC, before HAN_SEPARATORS would drop them). The variation selector that may follow is dropped as a separator.
PICTOGRAPHS = {"🐶": "狗", "🐕": "狗", "🐷": "猪", "🐖": "猪", "🐽": "猪", "🐴": "马", "🐎": "马", "🐔": "鸡", "🐓": "鸡",
               "🐢": "龟", "🐍": "蛇", "🐀": "鼠", "🐭": "鼠"}
PICTOGRAPH_PATTERN = "[" + "".join(PICTOGRAPHS) + "]"


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
    disguises: dict[str, str] = field(default_factory=dict)  # letter -> characters written for it; "any": masks
    pair_window: int = PAIR_WINDOW
    plurals: bool = False  # one-word Latin terms also match their English plural (see _plural)
    senses: dict[str, list[str]] = field(default_factory=dict)  # term -> context words of its innocent senses
    mention_window: int = MENTION_WINDOW
    sense_window: int = SENSE_WINDOW
    strong: dict[str, tuple[float, float]] = field(default_factory=dict)  # category -> (min weight, factor): see STRONG_TERMS

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
        for letter, spellings in sorted(self.disguises.items()):
            h.update(f"disguise\t{letter}\t{spellings}\n".encode())
        if (self.pair_window, self.plurals) != (PAIR_WINDOW, False):  # the lists of earlier versions keep their digest
            h.update(f"window\t{self.pair_window}\tplurals\t{self.plurals}\n".encode())
        for term, words in sorted(self.senses.items()):
            h.update(f"sense\t{term}\t{','.join(words)}\n".encode())
        for category, (least, factor) in sorted(self.strong.items()):
            h.update(f"strong\t{category}\t{least}\t{factor}\n".encode())
        if (self.mention_window, self.sense_window) != (MENTION_WINDOW, SENSE_WINDOW):
            h.update(f"mention\t{self.mention_window}\tsense\t{self.sense_window}\n".encode())
        return h.hexdigest()[:12]


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _quoted(text: str, begin: int, end: int) -> bool:
    """The span [begin, end] stands alone in quotes (“傻逼”, 'retard')."""
    return 0 < begin and end + 1 < len(text) and QUOTES.get(text[begin - 1]) == text[end + 1]


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


def read_disguises(path: str) -> dict[str, str]:
    """{letter: the digits and symbols written for it, "any": the masks written for any inner letter},
    from `letter<TAB>characters` lines."""
    out = {}
    for number, line in _data_lines(path):
        letter, _, spellings = line.partition("\t")
        letter = letter.strip().lower()
        if not (letter == "any" or (len(letter) == 1 and "a" <= letter <= "z")) or not spellings.strip():
            raise ValueError(f"{path}:{number}: expected letter (a-z or 'any')<TAB>characters")
        out[letter] = "".join(spellings.split()).lower()
    return out


def read_senses(path: str) -> dict[str, list[str]]:
    """{term: the words around it that show an innocent sense}, from `term<TAB>word, word, ...` lines."""
    out: dict[str, list[str]] = {}
    for number, line in _data_lines(path):
        term, _, words = line.partition("\t")
        context = [w.strip().lower() for w in words.split(",") if w.strip()]
        if not term.strip() or not context:
            raise ValueError(f"{path}:{number}: expected term<TAB>word, word, ...")
        out.setdefault(term.strip().lower(), []).extend(context)
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
    """`{language}.tsv`, and optionally `{language}_allow.txt`, `{language}_homophones.tsv`,
    `{language}_disguises.tsv`, `{language}_senses.tsv` and `contact_patterns.tsv` of a folder."""
    terms = read_terms(os.path.join(directory, f"{language}.tsv"))
    allow_path = os.path.join(directory, f"{language}_allow.txt")
    homophones_path = os.path.join(directory, f"{language}_homophones.tsv")
    disguises_path = os.path.join(directory, f"{language}_disguises.tsv")
    contact_path = os.path.join(directory, "contact_patterns.tsv")
    senses_path = os.path.join(directory, f"{language}_senses.tsv")
    return LexiconData(
        terms,
        read_allow(allow_path) if os.path.exists(allow_path) else [],
        read_contact_patterns(contact_path) if os.path.exists(contact_path) else [],
        read_homophones(homophones_path) if os.path.exists(homophones_path) else {},
        read_disguises(disguises_path) if os.path.exists(disguises_path) else {},
        PAIR_WINDOWS.get(language, PAIR_WINDOW),
        language in PLURAL_LANGUAGES,
        read_senses(senses_path) if os.path.exists(senses_path) else {},
        MENTION_WINDOWS.get(language, MENTION_WINDOW),
        SENSE_WINDOWS.get(language, SENSE_WINDOW),
        STRONG_TERMS.get(language, {}),
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


def _disguise_pattern(word: str, disguises: dict[str, str]) -> str | None:
    """A regex matching the word's disguised spellings (without boundaries), or None for a word that is
    not a single run of letters a-z.

    Compact: each letter as itself or a character written for it, repeated any number of times
    (fuuuck, sh1t, a$$hole); in words of MIN_MASKED_LETTERS letters or more an inner letter may also be
    a mask (f*ck, f**k). Spaced: words of MIN_MASKED_LETTERS or more with a separator between every two
    letters (s h i t, f.u.c.k); letters spaced out only in part (it's hit) are not the word.
    """
    if not word or not all("a" <= ch <= "z" for ch in word):
        return None
    masked = len(word) >= MIN_MASKED_LETTERS

    def letter_class(position: int, inner_masks: bool) -> str:
        letter = word[position]
        chars = letter + disguises.get(letter, "")
        if inner_masks and 0 < position < len(word) - 1:
            chars += disguises.get("any", "")
        return "[" + "".join(re.escape(c) for c in dict.fromkeys(chars)) + "]"

    compact = "".join(letter_class(i, masked) + "+" for i in range(len(word)))
    if not masked:
        return compact
    spaced = DISGUISE_SEPARATORS.join(letter_class(i, False) for i in range(len(word)))
    return f"{compact}|{spaced}"


def _plural(term: Term) -> str | None:
    """The English plural of a one-word Latin term that scores by itself (milfs, retards, fetishes), or None;
    a plural that the list names, or an allowed word, stays what the list says."""
    if term.category not in PLURAL_CATEGORIES or term.prefix or not term.text.isascii() or not term.text.isalpha():
        return None
    if term.text.endswith("s"):
        return None
    return term.text + ("es" if term.text.endswith(("sh", "ch", "x", "z")) else "s")


def _traditional_spellings(words: set[str]) -> dict[str, str]:
    """{Traditional spelling: Simplified word} for every word with Han characters.

    Each character may take any of its Traditional forms (干 -> 幹 or 乾, 娘 -> 孃), since texts mix
    them freely (幹你娘); the whole-word conversions are added too. At most MAX_SPELLINGS a word.
    """
    import itertools

    han_words = [w for w in words if any("\u4e00" <= ch <= "\u9fff" for ch in w)]
    if not han_words:  # an English list: no converter to build
        return {}
    import opencc

    converters = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]
    forms: dict[str, list[str]] = {}  # character -> its Simplified and Traditional forms, converted once
    out = {}
    for word in han_words:
        for ch in word:
            if ch not in forms:
                forms[ch] = sorted({ch, *(c.convert(ch) for c in converters)})
        spellings = {c.convert(word) for c in converters}
        for combo in itertools.islice(itertools.product(*(forms[ch] for ch in word)), MAX_SPELLINGS):
            spellings.add("".join(combo))
        for variant in spellings:
            if variant != word and len(variant) == len(word):
                out.setdefault(variant, word)
    return out


# RE2's \s is [\t\n\f\r ]; a run of it, or one that is not a space, becomes one space (as \s+ would,
# but RE2 spends far less on the common single space when the pattern does not match it alone)
WHITESPACE_RUNS = r"[\t\n\f\r ]{2,}|[\t\n\f\r]"


def fold(texts: pa.Array) -> pa.Array:
    """The matching form of a batch of texts (see the module docstring). ASCII texts (most English ones)
    skip the steps that change only other characters: NFKC, zero-width characters, Han separators."""
    texts = pc.fill_null(texts, "")
    plain = pc.string_is_ascii(texts).to_numpy(zero_copy_only=False)
    if plain.all():
        return _fold_ascii(texts)
    if not plain.any():
        return _fold_unicode(texts)
    ascii_rows, other_rows = np.flatnonzero(plain), np.flatnonzero(~plain)
    parts = pa.concat_arrays([_fold_ascii(texts.take(pa.array(ascii_rows))), _fold_unicode(texts.take(pa.array(other_rows)))])
    position = np.empty(len(texts), dtype=np.int64)  # where each text's folded form sits in `parts`
    position[np.concatenate([ascii_rows, other_rows])] = np.arange(len(texts))
    return parts.take(pa.array(position))


def _fold_ascii(texts: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(pc.ascii_lower(texts), WHITESPACE_RUNS, " ")


def _fold_unicode(texts: pa.Array) -> pa.Array:
    folded = pc.utf8_lower(pc.utf8_normalize(texts, "NFKC"))
    folded = pc.replace_substring_regex(folded, ZERO_WIDTH, "")
    folded = _read_pictographs(folded)
    folded = pc.replace_substring_regex(folded, WHITESPACE_RUNS, " ")
    for _ in range(2):  # non-overlapping matches: 操*你*妈 needs two passes
        folded = pc.replace_substring_regex(folded, HAN_SEPARATORS, r"\1\2\3\4\5\6")
    return folded


def _read_pictographs(folded: pa.Array) -> pa.Array:
    """Animal emoji written for the character they picture (🐶东西 is 狗东西, 🐷头 is 猪头), before separators are
    dropped (which would drop them as decoration); only the few texts that hold one are rewritten."""
    holding = pc.match_substring_regex(folded, PICTOGRAPH_PATTERN)
    rows = np.flatnonzero(holding.to_numpy(zero_copy_only=False))
    if not len(rows):
        return folded
    picked = folded.take(pa.array(rows, pa.int64()))
    for emoji, character in PICTOGRAPHS.items():
        picked = pc.replace_substring(picked, emoji, character)
    return pc.replace_with_mask(folded, holding, picked)


@dataclass
class TextHits:
    """Occurrences of each term counted in one text, by category."""

    counts: dict[str, dict[str, int]]
    pairs: dict[str, dict[str, float]] = field(default_factory=dict)  # {category: {"中共…下台": evidence}}
    mentioned: dict[str, dict[str, int]] = field(default_factory=dict)  # occurrences next to a `mention` word or in quotes

    def terms(self) -> dict[str, dict[str, int]]:
        """{category: {term: occurrences}}, pairs of words as "first…second" (the words of the address-insult pairs and
        the mention words are left out: they explain nothing alone)."""
        out = {c: {key.split(":", 1)[1]: n for key, n in found.items()} for c, found in self.counts.items()
               if c not in UNLISTED_CATEGORIES}
        for category, found in self.pairs.items():
            out.setdefault(category, {}).update({label: 1 for label in found})
        return out

    def evidence(self, terms: dict[str, Term], category: str, strong: tuple[float, float] | None = None) -> float:
        """Each term's weight times (1 + ln occurrences), times MENTION_FACTOR when every occurrence is a mention, and
        with `strong` (min_weight, factor) terms of min_weight or more count factor times; plus the pairs' evidence."""
        mentioned = self.mentioned.get(category, {})
        single = 0.0
        for key, n in self.counts.get(category, {}).items():
            weight = terms[key].weight
            if mentioned.get(key, 0) >= n:
                weight *= MENTION_FACTOR
            elif strong is not None and weight >= strong[0]:
                weight *= strong[1]
            single += weight * (1.0 + math.log(n))
        return single + sum(self.pairs.get(category, {}).values())


@dataclass
class Disguises:
    """The disguised spellings of a lexicon's `~` terms."""

    pattern: str  # every disguisable word; the name of the group that matched is a key of `names`
    names: dict[str, str]  # group name -> the term's spelling
    triggers: list[str]  # RE2 patterns of the first pass (plain spellings match them too)

    @cached_property
    def regex(self) -> re.Pattern:
        """Compiled on the first disguised text (Python takes a few tenths of a second over it)."""
        return re.compile(self.pattern)


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
        for key, term in self._compounds().items():
            self.terms.setdefault(key, term)  # a compound listed as a term keeps the list's weight

    def _compounds(self) -> dict[str, Term]:
        """The COMPOUNDS of the word classes: every first word glued to every second word (and its plural),
        weighing the weaker of the two."""
        out = {}
        for first_class, second_class, category in COMPOUNDS:
            firsts = [t for t in self.data.terms if t.category == first_class]
            seconds = [t for t in self.data.terms if t.category == second_class]
            for first in firsts:
                for second in seconds:
                    for glue in COMPOUND_GLUES:
                        for ending in ("", COMPOUND_PLURAL):
                            text = f"{first.text}{glue}{second.text}{ending}"
                            out[f"{category}:{text}"] = Term(text, category, min(first.weight, second.weight),
                                                             source="compound")
        return out

    @property
    def pair_window(self) -> int:
        return self.data.pair_window

    @cached_property
    def _disguises(self) -> Disguises | None:
        """The disguised spellings of the `~` terms (None when the language has no disguise table)."""
        if not self.data.disguises:
            return None
        words = sorted({t.text for t in self.terms.values() if t.homophones and t.category not in GENERATOR_CATEGORIES},
                       key=lambda w: (-len(w), w))
        by_first: dict[str, list[str]] = defaultdict(list)  # first-letter class -> alternatives
        names, triggers = {}, []
        for word in words:
            pattern = _disguise_pattern(word, self.data.disguises)
            if pattern is None:
                continue
            prefix = any(t.prefix for t in self.terms.values() if t.text == word)
            name = f"w{len(names)}"
            names[name] = word
            by_first[_disguise_pattern(word[0], self.data.disguises)].append(
                f"(?P<{name}>{pattern}){'' if prefix else '(?![a-z0-9_])'}")
            triggers.append(f"(?:^|[^a-z0-9_])(?:{pattern})" + ("" if prefix else "(?:$|[^a-z0-9_])"))
        if not names:
            return None
        # one look-behind per position, then only the words whose first letter fits: Python's re tries
        # alternatives one by one, so grouping them by first letter keeps a word start to a few tries
        regex = "(?<![a-z0-9_])(?:" + "|".join(f"(?={first})(?:{'|'.join(alts)})" for first, alts in by_first.items()) + ")"
        chunks = ["|".join(triggers[i:i + DISGUISE_TRIGGER_CHUNK]) for i in range(0, len(triggers), DISGUISE_TRIGGER_CHUNK)]
        return Disguises(regex, names, chunks)

    def undisguise(self, text: str) -> str:
        """The folded text with every disguised spelling of a `~` term written as the term (sh1t, f*ck,
        s h i t: shit, fuck). A spelling with more digits than letters is left alone (a55, 8008s: codes)."""
        if self._disguises is None:
            return text
        regex, names = self._disguises.regex, self._disguises.names

        def plain(match: re.Match) -> str:
            spelling = match.group(0)
            letters = sum("a" <= ch <= "z" for ch in spelling)
            digits = sum(ch.isdigit() for ch in spelling)
            return names[match.lastgroup] if letters and digits <= letters else spelling

        return regex.sub(plain, text)

    @cached_property
    def _surfaces(self) -> dict[str, tuple[tuple[str, str, int], ...]]:
        """Every term and allow-listed word, and their Traditional spellings -> ((kind, key, length), ...)."""
        by_surface: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for key, term in self.terms.items():
            if term.category not in GENERATOR_CATEGORIES:
                by_surface[term.text].append(("term", key, len(term.text)))
        for word in self.data.allow:
            by_surface[word].append(("allow", word, len(word)))
        for word in sorted({w for words in self.data.senses.values() for w in words}):
            by_surface[word].append(("sense", word, len(word)))
        allowed = set(self.data.allow)
        for key, term in self.terms.items():
            if term.homophones and self.data.homophones:
                for spelling in _homophone_spellings(term.text, self.data.homophones):
                    # a spelling that is an ordinary word stays one; one that is a term of the category already
                    # (沙比 for 傻逼) counts once
                    listed = any(kind == "term" and self.terms[other].category == term.category
                                 for kind, other, _ in by_surface.get(spelling, ()))
                    if spelling not in allowed and not listed:
                        by_surface[spelling].append(("term", key, len(spelling)))
        for key, term in self.terms.items() if self.data.plurals else ():
            plural = _plural(term)
            if plural is not None and plural not in by_surface and plural not in allowed:
                by_surface[plural].append(("term", key, len(plural)))
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
        engine; the two word classes of a PAIR trigger only together, within the pair window
        (`pair_patterns`, run on the texts with an anchor word only), or, for a pair with a gap class (an address
        and an insult), by one pattern of the two classes with only gap words between them, here; compounds trigger by one pattern of
        their two classes; disguised spellings by their own patterns (`_triggered` keeps those texts apart)."""
        alternatives = set()
        paired = {cls for anchor, word, _, _, gap in _TRIGGERING_PAIRS for cls in (anchor, word, gap) if cls}
        for surface, entries in self._surfaces.items():
            for kind, key, _ in entries:
                term = self.terms.get(key) if kind == "term" else None
                if term is None or term.category in CONTEXT_CATEGORIES or term.category in paired or term.source == "compound":
                    continue
                alternatives.add(self._alternative(surface, term))
        ordered = sorted(alternatives, key=lambda a: (-len(a), a))
        patterns = ["|".join(ordered[i:i + TRIGGER_CHUNK]) for i in range(0, len(ordered), TRIGGER_CHUNK)]
        patterns += self._pair_patterns(adjacent=True)  # address + insult: rare as a whole, but insult nouns are common
        for first_class, second_class, _ in COMPOUNDS:  # one small pattern instead of every compound spelled out
            firsts, seconds = self._class_alternation(first_class, generators=True), self._class_alternation(second_class, generators=True)
            if firsts and seconds:
                glues = "|".join(re.escape(g) for g in COMPOUND_GLUES)
                patterns.append(rf"\b(?:{firsts})(?:{glues})(?:{seconds}){re.escape(COMPOUND_PLURAL)}?\b")
        for pattern in patterns + self.pair_patterns + [self.pair_anchor_pattern] + (self._disguises.triggers if self._disguises is not None else []):
            pc.match_substring_regex(pa.array([""]), pattern)  # fails now, at load, if RE2 cannot compile it
        return patterns

    @cached_property
    def pair_anchor_pattern(self) -> str:
        """RE2 alternation of the PAIRS' anchor words (the party, its leaders, the regions): the pair patterns
        run only on texts that have one, which in ordinary text are few."""
        return "|".join(a for a in (self._class_alternation(anchor) for anchor in dict.fromkeys(p[0] for p in _TRIGGERING_PAIRS if not p[4]))
                        if a)

    @cached_property
    def pair_patterns(self) -> list[str]:
        """RE2 patterns of the PAIRS without a gap class: the two word classes within the pair window (run on the
        texts with an anchor word only)."""
        return self._pair_patterns(adjacent=False)

    def _pair_patterns(self, adjacent: bool) -> list[str]:
        """RE2 patterns of the PAIRS with (adjacent) or without a gap class: the two word classes with only words of
        the gap class between them, or within the pair window."""
        patterns = []
        for anchor_class, word_class, _, side, gap_class in _TRIGGERING_PAIRS:
            if bool(gap_class) != adjacent:
                continue
            anchors, words = self._class_alternation(anchor_class), self._class_alternation(word_class)
            fillers = self._class_alternation(gap_class) if gap_class else ""
            if anchors and words and (fillers or not gap_class):
                gap = rf"(?:\s*(?:{fillers}))*\s*" if gap_class else f".{{0,{self.pair_window}}}"
                pattern = f"(?:{words}){gap}(?:{anchors})"
                if side == "either":
                    pattern += f"|(?:{anchors}){gap}(?:{words})"
                patterns.append(pattern)
        return patterns

    @staticmethod
    def _alternative(surface: str, term: Term) -> str:
        alternative = re.escape(surface)
        if _is_word_char(surface[0]):
            alternative = r"\b" + alternative
        if _is_word_char(surface[-1]) and not term.prefix:
            alternative += r"\b"
        return alternative

    def _class_alternation(self, category: str, generators: bool = False) -> str:
        """The RE2 alternation of a word class: its surfaces, or with `generators` its bare words (the
        classes that only generate compounds have no surfaces)."""
        if generators:
            alternatives = {re.escape(t.text) for t in self.data.terms if t.category == category}
        else:
            alternatives = {self._alternative(surface, self.terms[key])
                            for surface, entries in self._surfaces.items()
                            for kind, key, _ in entries if kind == "term" and self.terms[key].category == category}
        return "|".join(sorted(alternatives, key=lambda a: (-len(a), a)))

    def _triggered(self, folded: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """(texts with a trigger, texts with a plain or disguised spelling of a `~` term)."""
        out = np.zeros(len(folded), dtype=bool)
        for pattern in self.trigger_patterns:
            out |= pc.match_substring_regex(folded, pattern).to_numpy(zero_copy_only=False)
        if self.pair_patterns:
            anchored = np.flatnonzero(pc.match_substring_regex(folded, self.pair_anchor_pattern).to_numpy(zero_copy_only=False))
            if len(anchored):
                texts = folded.take(pa.array(anchored, pa.int64()))
                paired = np.zeros(len(anchored), dtype=bool)
                for pattern in self.pair_patterns:
                    paired |= pc.match_substring_regex(texts, pattern).to_numpy(zero_copy_only=False)
                out[anchored[paired]] = True
        disguised = np.zeros(len(folded), dtype=bool)
        for pattern in self._disguises.triggers if self._disguises is not None else []:
            disguised |= pc.match_substring_regex(folded, pattern).to_numpy(zero_copy_only=False)
        return out | disguised, disguised

    def hits(self, texts: list[str] | pa.Array) -> list[TextHits]:
        """Term occurrences per text after boundary checks and longest-match resolution."""
        array = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.string())
        candidates, found = self._hits(fold(array))
        out = [TextHits({}) for _ in range(len(array))]
        for row, hits in zip(candidates, found):
            out[row] = hits
        return out

    def _matches(self, automaton: ahocorasick.Automaton, texts: list[str]):
        """(text index, begin, end, kind, key) of every match on word boundaries, texts joined by NUL; begin and end
        (inclusive) are positions in the text."""
        joined = "\0".join(texts)
        ends = np.cumsum([len(t) + 1 for t in texts]) - 1  # index of each text's terminating NUL
        row, start = 0, 0
        for end, entries in automaton.iter(joined):
            while end >= ends[row]:  # matches come in order of their end; none spans a NUL
                row += 1
                start = int(ends[row - 1]) + 1
            begin = end - entries[0][2] + 1
            for kind, key, _ in entries:
                if kind == "allow" or self._on_word_boundary(joined, begin, end, self.terms[key] if kind == "term" else None):
                    yield row, begin - start, end - start, kind, key

    def _hits(self, folded: pa.Array) -> tuple[np.ndarray, list[TextHits]]:
        """(rows with a trigger term, their hits): the automaton runs on those rows only."""
        triggered, disguised = self._triggered(folded)
        candidates = np.flatnonzero(triggered)
        texts = folded.take(pa.array(candidates, pa.int64())).to_pylist()
        if disguised.any():  # rewritten in Python, so only where a disguised spelling may be
            texts = [self.undisguise(t) if d else t for t, d in zip(texts, disguised[candidates].tolist())]
        matches: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
        for index, begin, end, kind, key in self._matches(self.automaton, texts):
            matches[index].append((begin, end, kind, key))
        return candidates, [self._resolve(matches.get(i, []), text) for i, text in enumerate(texts)]

    @staticmethod
    def _on_word_boundary(joined: str, begin: int, end: int, term: Term | None) -> bool:
        """The matched spelling's own ends decide (a homophone spelling such as 傻b ends in a letter); a context word
        (term None) is a whole word."""
        if _is_word_char(joined[begin]) and begin > 0 and _is_word_char(joined[begin - 1]):
            return False
        prefix = term is not None and term.prefix
        if not prefix and _is_word_char(joined[end]) and end + 1 < len(joined) and _is_word_char(joined[end + 1]):
            return False
        return True

    def _resolve(self, spans: list[tuple[int, int, str, str]], text: str = "") -> TextHits:
        """Counts of the terms that survive the allow list (longest match), longer terms and the innocent-sense
        contexts; occurrences that are mentions (MENTION_CATEGORIES near a `mention` word or in quotes) counted apart."""
        allowed = [(b, e) for b, e, kind, _ in spans if kind == "allow"]
        senses = [(b, e, key) for b, e, kind, key in spans if kind == "sense"]
        found = [(b, e, key) for b, e, kind, key in spans if kind == "term"]
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        kept = []
        for b, e, key in found:
            length = e - b
            if any(ab <= e and b <= ae and ae - ab >= length for ab, ae in allowed):
                continue
            term = self.terms[key]
            if any(ob <= b and e <= oe and oe - ob > length and self._hides(self.terms[other].category, term.category)
                   for ob, oe, other in found):
                continue
            if senses and self._innocent(term, b, e, senses):
                continue
            counts[term.category][key] += 1
            kept.append((b, e, term, key))
        mentioned: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        mentions = [(b, e) for b, e, t, _ in kept if t.category == "mention"]
        window = self.data.mention_window
        for b, e, term, key in kept:
            if term.category in MENTION_CATEGORIES and (
                    any(mb <= e + window + 1 and b - window - 1 <= me for mb, me in mentions) or _quoted(text, b, e)):
                mentioned[term.category][key] += 1
        return TextHits({c: dict(v) for c, v in counts.items()}, self._pairs([k[:3] for k in kept], text),
                        {c: dict(v) for c, v in mentioned.items()})

    @staticmethod
    def _hides(longer: str, shorter: str) -> bool:
        """Whether a longer term of one category hides a shorter term of another inside it: terms that score do
        (操你妈 hides 操你 and 你), words that only modify evidence hide their own class only (the filler `fucking`
        does not hide the abuse term fuck*)."""
        return longer == shorter or longer in HIDING_CATEGORIES

    def _innocent(self, term: Term, begin: int, end: int, senses: list[tuple[int, int, str]]) -> bool:
        """A context word of one of the term's innocent senses within the sense window."""
        context = self._sense_words.get(term.text)
        if not context:
            return False
        window = self.data.sense_window
        return any(key in context and sb <= end + window + 1 and begin - window - 1 <= se for sb, se, key in senses)

    @cached_property
    def _sense_words(self) -> dict[str, frozenset[str]]:
        """Context words of each term's innocent senses; a term listed in its plural (faggots) shares its singular's."""
        out = {term: frozenset(words) for term, words in self.data.senses.items()}
        if self.data.plurals:
            for term in self.terms.values():
                singular = term.text[:-2] if term.text.endswith("es") and term.text[:-2] in out else term.text[:-1]
                if term.text.endswith("s") and term.text not in out and singular in out:
                    out[term.text] = out[singular]
        return out

    @cached_property
    def _gap_regexes(self) -> dict[str, re.Pattern]:
        """Per gap class, a regex matching a run of its words (and spaces) only: what may stand between an address
        and an insult."""
        out = {}
        for gap_class in {p[4] for p in PAIRS if p[4]}:
            words = sorted({surface for surface, entries in self._surfaces.items()
                            for kind, key, _ in entries if kind == "term" and self.terms[key].category == gap_class},
                           key=lambda w: (-len(w), w))
            alternation = "|".join(re.escape(w) + ("(?![a-z0-9_])" if _is_word_char(w[-1]) else "") for w in words)
            out[gap_class] = re.compile(rf"(?:\s*(?:{alternation}))*\s*" if words else r"\s*")
        return out

    def _pairs(self, kept: list[tuple[int, int, Term]], text: str = "") -> dict[str, dict[str, float]]:
        """Evidence of the PAIRS found within the pair window (and, for a pair with a gap class, with only words of
        that class between them): per pair of words, the weaker weight; an anchor of ONCE_PER_ANCHOR counts once."""
        window = self.pair_window
        out: dict[str, dict[str, float]] = {}
        best: dict[tuple[str, int], tuple[float, str]] = {}  # (category, anchor position) -> (evidence, label)
        for anchor_class, word_class, category, side, gap_class in PAIRS:
            anchors = [(b, e, t) for b, e, t in kept if t.category == anchor_class]
            if not anchors:
                continue
            gap = self._gap_regexes[gap_class] if gap_class else None
            for b, e, word in (k for k in kept if k[2].category == word_class):
                near = [(ab, t) for ab, ae, t in anchors
                        if ((e < ab <= e + window + 1) and (gap is None or gap.fullmatch(text, e + 1, ab)))
                        or (side == "either" and ae < b <= ae + window + 1 and (gap is None or gap.fullmatch(text, ae + 1, b)))]
                if not near:
                    continue
                ab, anchor = max(near, key=lambda n: n[1].weight)
                label = f"{anchor.text}…{word.text}" if ab < b else f"{word.text}…{anchor.text}"
                evidence = min(anchor.weight, word.weight)
                if anchor_class in ONCE_PER_ANCHOR:
                    key = (category, ab)
                    if key not in best or evidence > best[key][0]:
                        best[key] = (evidence, label)
                    continue
                found = out.setdefault(category, {})
                found[label] = max(found.get(label, 0.0), evidence)
        for (category, _), (evidence, label) in best.items():
            found = out.setdefault(category, {})
            found[label] = max(found.get(label, 0.0), evidence)
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
            strong = self.data.strong.get(category)
            evidence[category][candidates] = [h.evidence(self.terms, category, strong) for h in found]
        sexual_rows = candidates[(evidence["porn"][candidates] + evidence["solicit"][candidates]) > 0]
        if len(sexual_rows):  # contact details only matter next to sexual terms
            evidence["contact"][sexual_rows] += self.contact_counts(folded.take(pa.array(sexual_rows, pa.int64())))
        chars = pc.utf8_length(folded).to_numpy(zero_copy_only=False).astype(np.float64)
        density = np.minimum(1.0, np.sqrt(self.reference_chars / np.maximum(chars, 1.0)))
        sexual_cues = evidence["porn"] >= MIN_SEXUAL_CUE
        evidence["porn"] = np.where(sexual_cues, evidence["porn"] + np.minimum(evidence["media"], evidence["porn"]), evidence["porn"])
        sexual = (evidence["porn"] + evidence["solicit"]) * density
        evidence["porn"] = evidence["porn"] + SOLICIT_PORN_SHARE * evidence["solicit"]
        addressed = evidence["target"] > 0
        for category in TARGET_BOOSTED:
            evidence[category] = np.where(addressed, evidence[category] * TARGET_BOOST, evidence[category])
        out = {}
        for category in ("abuse", "porn", "politics", "hate", "violence"):
            out[category] = 1.0 - 0.5 ** (evidence[category] * density)
        contact = evidence["contact"] * density
        out["spam"] = 1.0 - 0.5 ** (2.0 * np.minimum(sexual, contact))
        no_hits = TextHits({})  # one shared (read-only) value for the many texts without a trigger
        hits = [no_hits] * len(texts)
        for row, h in zip(candidates, found):
            hits[row] = h
        return {c: v.astype(np.float32) for c, v in out.items()}, hits


class LexiconScorer(Scorer):
    """Scorer over one language's lexicon (default: the lists shipped in moderation/lexicons)."""

    categories = SCORED_CATEGORIES
    default_batch_size = 8192  # its Arrow passes compile their patterns once per call: fewer, larger calls

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
        self.lexicon._gap_regexes  # noqa: B018
        self.lexicon._sense_words  # noqa: B018
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
        return scores, [h.terms() if h.counts or h.pairs else {} for h in hits]
