"""fastText adapter: a supervised classifier (.bin or .ftz).

With `path` null it loads winnow's own classifier shipped in the package,
moderation/models/moderation-zh-en.bin (built by `python -m bench.moderation_train`: labels abuse, porn,
politics and clean), and reads texts in the form it was trained on (`model_texts`, which the training
script uses too): each character's NFKC form in lower case, Traditional Han characters as Simplified
(OpenCC t2s, character by character), sentence punctuation and whitespace as spaces, zero-width
characters dropped, the separators the lexicons drop between two Han characters dropped (操*你 reads
操你), and a space on both sides of every Han character. fastText's tokens are then English words, with
their character n-grams, and single Chinese characters, whose word bigrams stand for the two-character
words a segmenter would find. The form is computed with per-code-point tables in numpy, several times
faster than folding with Arrow regexes; an ASCII text needs only its lower case with punctuation and
whitespace as spaces, which str.translate gives directly. The texts are the ones every other scorer judges
(one per field or turn).

With an explicit `path` (e.g. one trained with `fasttext supervised -input train.txt -output toxic` on
`__label__abuse ...` lines) texts are passed as they are, line breaks turned into spaces, and a labels
map is required.

Scores are the model's probabilities for every label (k=-1), one `predict` call per batch, all of them: the
ensemble applies the spec's `abstain_below`, and its `veto_below` needs the low ones.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from moderation.adapters.base import ModelScorer
from moderation.adapters.files import content_version, local_file
from moderation.config import ScorerSpec
from moderation.scorer import map_labels

PREFIX = "__label__"
MODEL_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "models")
SHIPPED_MODEL = os.path.join(MODEL_DIR, "moderation-zh-en.bin")
SHIPPED_LABELS = {"abuse": "abuse", "porn": "porn", "politics": "politics"}
# Sentence punctuation (ASCII, and CJK after NFKC) becomes a space; symbols used in disguises (* $ @ ! ') stay.
PUNCTUATION = ",.?;:\"()[]{}<>。、“”‘’《》〈〉「」『』【】…—～·"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Dropped between two Han characters (操*你, 操🔥你, 操丶你), as the lexicons' folding drops them
HAN_SEPARATORS = "*_.·-~/|\\!?#@$%^&+=丶\ufe0f"
HAN_SEPARATOR_RANGES = ((0x2190, 0x21FF), (0x2500, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF))
# Code points whose NFKC form and lower case are looked up one by one: the BMP, mathematical letters
# (𝐟𝐮𝐜𝐤) and enclosed letters (🅵🆄🅲🅺)
NFKC_RANGES = ((0, 0xD7FF), (0xE000, 0xFFFF), (0x1D400, 0x1D7FF), (0x1F100, 0x1F1FF))
# Han blocks whose Traditional characters OpenCC's t2s maps to one Simplified character
T2S_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
DELETED = 0x110000  # a code point past Unicode: the character is dropped
ASCII_WHITESPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f"
ASCII_SPACES = str.maketrans({c: " " for c in PUNCTUATION + ASCII_WHITESPACE if c.isascii()})
_TABLE_LOCK = threading.Lock()
_TABLES: dict | None = None


def _build_tables() -> dict:
    import unicodedata

    import opencc

    from moderation.language import HAN, SCRIPT_TABLE

    mapping = np.arange(DELETED + 1, dtype=np.uint32)
    for low, high in NFKC_RANGES:
        for point in range(low, high + 1):
            char = chr(point)
            folded = unicodedata.normalize("NFKC", char).lower()
            if len(folded) == 1 and folded != char:
                mapping[point] = ord(folded)
    chars = [chr(c) for low, high in T2S_BLOCKS for c in range(low, high + 1)]
    simplified = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    t2s = np.arange(DELETED + 1, dtype=np.uint32)
    for a, b in zip(chars, simplified):
        if a != b and len(b) == 1:
            t2s[ord(a)] = ord(b)
    mapping = t2s[mapping]
    for char in PUNCTUATION + ASCII_WHITESPACE + "\x85\xa0\u2028\u2029\u3000":
        mapping[mapping == ord(char)] = ord(" ")
    for char in ZERO_WIDTH:
        mapping[ord(char)] = DELETED
    separator = np.zeros(DELETED + 1, dtype=bool)
    separator[[ord(c) for c in HAN_SEPARATORS + " "]] = True
    for low, high in HAN_SEPARATOR_RANGES:
        separator[low:high + 1] = True
    han = np.zeros(DELETED + 1, dtype=bool)
    han[:0x110000] = SCRIPT_TABLE == HAN
    return {"map": mapping, "separator": separator, "han": han}


def tables() -> dict:
    """The per-code-point tables of `model_texts`, built once per process (~0.2 s)."""
    global _TABLES
    if _TABLES is None:
        with _TABLE_LOCK:
            if _TABLES is None:
                _TABLES = _build_tables()
    return _TABLES


def model_texts(texts: list[str]) -> list[str]:
    """Texts in the form the shipped classifier was trained on (and its training script writes), in
    numpy over code points: each character's NFKC form in lower case, Traditional Han characters as
    Simplified (OpenCC t2s, character by character), sentence punctuation and whitespace as spaces,
    zero-width characters dropped, the separators the lexicons drop between two Han characters dropped
    (操*你 reads 操你), and a space on both sides of every Han character. Runs of spaces stay: fastText
    splits on any whitespace run."""
    if not texts:
        return []
    out: list[str | None] = [None] * len(texts)
    others = []
    for i, text in enumerate(texts):
        if text.isascii():  # no NFKC, Han or separator step changes ASCII: lower case and spaces are the whole form
            out[i] = text.lower().translate(ASCII_SPACES)
        else:
            others.append(i)
    if others:
        for i, text in zip(others, _folded([texts[i] for i in others])):
            out[i] = text
    return out


def _folded(texts: list[str]) -> list[str]:
    from moderation.language import codepoints

    t = tables()
    points, _ = codepoints(texts)  # every text followed by a NUL
    points = t["map"][points]
    points = points[points != DELETED]
    candidates = np.flatnonzero(t["separator"][points] & (points != ord(" ")))
    if len(candidates):
        kept = np.flatnonzero(~t["separator"][points])  # NULs between texts are kept: no run crosses a text's end
        position = np.searchsorted(kept, candidates)
        inside = (position > 0) & (position < len(kept))
        candidates, position = candidates[inside], position[inside]
        between_han = t["han"][points[kept[position - 1]]] & t["han"][points[kept[position]]]
        points = np.delete(points, candidates[between_han])
    han = t["han"][points]
    pad = np.where(han, ord(" "), DELETED).astype(np.uint32)
    out = np.stack([pad, points, pad], axis=1).ravel()
    out = out[out != DELETED]
    return out.tobytes().decode("utf-32-le").split("\0")[:-1]


class FastTextScorer(ModelScorer):
    default_batch_size = 8192  # texts per predict call (and per pass of the code-point tables)

    def __init__(self, spec: ScorerSpec):
        self.shipped = spec.path is None
        if not self.shipped and not spec.labels:
            raise ValueError(f"scorer {spec.name!r}: a fasttext scorer with a path needs a labels map (its labels are the model's own)")
        super().__init__(spec, SHIPPED_LABELS if self.shipped else None)
        self.model = None

    def load(self) -> None:
        import fasttext

        if self.shipped:
            if not os.path.exists(SHIPPED_MODEL):
                raise FileNotFoundError(f"the shipped classifier {SHIPPED_MODEL} is missing (python -m bench.moderation_train)")
            path = SHIPPED_MODEL
            tables()
        else:
            path = local_file(self.spec.path if isinstance(self.spec.path, str) else self.spec.path[0])
        self.version = content_version([path])
        self.model = fasttext.load_model(path)
        self.raw_labels = [label.removeprefix(PREFIX) for label in self.model.get_labels()]
        self.column = {label: i for i, label in enumerate(self.raw_labels)}
        map_labels(np.zeros((0, len(self.raw_labels))), self.raw_labels, self.labels)

    def score(self, texts: list[str]) -> dict[str, np.ndarray]:
        lines = model_texts(texts) if self.shipped else [" ".join(t.split()) for t in texts]
        matrix = np.zeros((len(texts), len(self.raw_labels)), dtype=np.float32)
        if lines:
            labels, probabilities = self.model.predict(lines, k=-1)
            # each row lists the labels best first: one column order per distinct ranking (a few), applied in numpy
            rankings: dict[tuple, int] = {}
            rows = [row for row, names in enumerate(labels) if len(names) == len(self.raw_labels)
                    and (not self.shipped or lines[row].strip())]  # shipped: a text with no features has no scores
            if rows:
                ranking = np.fromiter((rankings.setdefault(tuple(labels[row]), len(rankings)) for row in rows), dtype=np.int64,
                                      count=len(rows))
                columns = np.array([[self.column[name.removeprefix(PREFIX)] for name in names] for names in rankings])
                picked = np.asarray(rows)
                matrix[picked[:, None], columns[ranking]] = np.stack([probabilities[row] for row in rows])
        # every score, also those under the spec's abstention point: the ensemble applies it, and a veto needs them
        return map_labels(np.clip(matrix, 0.0, 1.0), self.raw_labels, self.labels)
