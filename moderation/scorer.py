"""The scorer interface every moderation model adapter implements.

A scorer judges a batch of texts and returns, per category, one score in [0, 1] per text. Categories
are winnow's own (`CATEGORIES`); an adapter maps its model's labels onto them with a labels map from
the config, e.g. {"insult": "abuse", "obscene": ["porn", "abuse"]}. When several labels map to one
category, the category's score is their maximum.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

import numpy as np

CATEGORIES = ("abuse", "porn", "politics", "hate", "violence", "spam")

LabelMap = Mapping[str, str | Sequence[str]]


class Scorer(ABC):
    """One moderation model. `load()` once per process, then `score()` any number of batches.

    name: unique within an ensemble (the key of its scores in the output); version: of the model or
    list it loads (recorded in the moderation column); languages: the `lang` codes it may judge
    ("*" for any); categories: the categories its `score()` returns.
    """

    name: str
    version: str = "unknown"
    default_batch_size: int = 256  # texts per score() call when the spec does not say
    languages: tuple[str, ...] = ("*",)
    categories: tuple[str, ...] = ()

    @abstractmethod
    def load(self) -> None:
        """Read the model into memory (called in a worker's setup, never per batch)."""

    @abstractmethod
    def score(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Per category, a float32 array with one score in [0, 1] per text."""

    def covers(self, lang: str) -> bool:
        return "*" in self.languages or lang in self.languages

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, version={self.version!r}, languages={list(self.languages)})"


class LazyScorer(Scorer):
    """A scorer whose model loads on the first batch it has to judge, once, whichever thread gets there first.

    Under the cascade a model judges only the texts a lexicon left open, which in clean text may be
    none at all: its load (seconds: scikit-learn and ONNX Runtime imports, the pickles) is then never
    paid. Name, languages and categories, which the cascade needs before any scoring, come from the
    unloaded scorer.
    """

    def __init__(self, scorer: Scorer):
        self.scorer = scorer
        self.name = scorer.name
        self.languages = tuple(scorer.languages)
        self.categories = tuple(scorer.categories)
        self.default_batch_size = scorer.default_batch_size
        self.loaded = False
        self._lock = threading.Lock()
        if hasattr(scorer, "score_with_evidence"):
            self.score_with_evidence = self._score_with_evidence

    @property
    def version(self) -> str:
        return self.scorer.version

    def load(self) -> None:
        if self.loaded:
            return
        with self._lock:
            if not self.loaded:
                self.scorer.load()
                self.loaded = True

    def score(self, texts: list[str]) -> dict[str, np.ndarray]:
        self.load()
        return self.scorer.score(texts)

    def _score_with_evidence(self, texts: list[str]):
        self.load()
        return self.scorer.score_with_evidence(texts)

    def __repr__(self) -> str:
        return f"LazyScorer({self.scorer!r}, loaded={self.loaded})"


def normalise_label_map(labels: LabelMap) -> dict[str, tuple[str, ...]]:
    """{raw label: (category, ...)}, checking every category is one of CATEGORIES."""
    out: dict[str, tuple[str, ...]] = {}
    for raw, cats in labels.items():
        cats = (cats,) if isinstance(cats, str) else tuple(cats)
        unknown = [c for c in cats if c not in CATEGORIES]
        if unknown:
            raise ValueError(f"label {raw!r} maps to unknown categories {unknown}; known: {list(CATEGORIES)}")
        out[str(raw)] = cats
    return out


def map_labels(probabilities: np.ndarray, raw_labels: Sequence[str], labels: Mapping[str, tuple[str, ...]]) -> dict[str, np.ndarray]:
    """Turn a (texts x raw labels) probability matrix into {category: scores}, max over labels per category.

    Raw labels without an entry in `labels` are ignored; a mapped label the model lacks is an error.
    """
    probabilities = np.asarray(probabilities, dtype=np.float32).reshape(len(probabilities), len(raw_labels))
    missing = sorted(set(labels) - {str(r) for r in raw_labels})
    if missing:
        raise ValueError(f"labels {missing} are not outputs of the model (it has {list(map(str, raw_labels))})")
    out: dict[str, np.ndarray] = {}
    for column, raw in enumerate(raw_labels):
        for category in labels.get(str(raw), ()):
            column_scores = probabilities[:, column]
            out[category] = np.maximum(out[category], column_scores) if category in out else column_scores.copy()
    return out


def categories_of(labels: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(c for c in CATEGORIES if any(c in cats for cats in labels.values()))


def score_texts(scorer: Scorer, texts: list[str], selected: np.ndarray, batch_size: int,
                max_chars: int | None = None) -> tuple[dict[str, np.ndarray], dict[int, dict]]:
    """Score the selected texts in calls of batch_size; (full-length scores with NaN where not selected,
    {text index: evidence} from scorers that give evidence).

    With max_chars, a longer text is cut into windows of max_chars characters and scores the
    maximum over its windows (models that read a fixed number of tokens miss the rest otherwise).
    """
    pieces: list[str] = []
    owners: list[int] = []
    for index in np.flatnonzero(selected):
        text = texts[index]
        if max_chars and len(text) > max_chars:
            windows = [text[i:i + max_chars] for i in range(0, len(text), max_chars)]
        else:
            windows = [text]
        pieces += windows
        owners += [int(index)] * len(windows)
    out = {c: np.full(len(texts), np.nan, dtype=np.float32) for c in scorer.categories}
    evidence: dict[int, dict] = {}
    if not pieces:
        return out, evidence
    owners_array = np.asarray(owners)
    with_evidence = getattr(scorer, "score_with_evidence", None)
    for start in range(0, len(pieces), batch_size):
        chunk = pieces[start:start + batch_size]
        chunk_owners = owners_array[start:start + batch_size]
        if with_evidence is not None:
            scores, notes = with_evidence(chunk)
            for owner, note in zip(chunk_owners, notes):
                if note:
                    merged = evidence.setdefault(int(owner), {})
                    for category, terms in note.items():
                        for term, n in terms.items():
                            merged.setdefault(category, {})[term] = merged.get(category, {}).get(term, 0) + n
        else:
            scores = scorer.score(chunk)
        for category in scorer.categories:
            # the maximum over a text's windows; NaN (not yet scored) gives way to any score
            np.fmax.at(out[category], chunk_owners, np.asarray(scores[category], dtype=np.float32))
    return out, evidence
