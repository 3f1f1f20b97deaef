"""scikit-learn adapter: a joblib pipeline (or a chain of joblib steps) with predict_proba.

joblib files are pickles and run code when loaded, so this adapter loads only the files the config
names, or by default the two shipped inside the alt-profanity-check wheel (MIT): a TF-IDF
vectorizer and a calibrated linear SVM trained on English offensive-language data.
"""

from __future__ import annotations

import os

import numpy as np

from moderation.adapters.base import ModelScorer
from moderation.adapters.files import content_version, distribution_version, local_file, package_dir
from moderation.config import ScorerSpec
from moderation.scorer import map_labels

DEFAULT_LABELS = {"1": "abuse"}


def default_paths() -> list[str]:
    folder = os.path.join(package_dir("profanity_check", "alt-profanity-check"), "data")
    return [os.path.join(folder, "vectorizer.joblib"), os.path.join(folder, "model.joblib")]


class SklearnScorer(ModelScorer):
    """Every step but the last transforms the texts; the last must have predict_proba and classes_."""

    def __init__(self, spec: ScorerSpec):
        super().__init__(spec, DEFAULT_LABELS)
        self.steps: list = []

    def load(self) -> None:
        import joblib

        if self.spec.path is None:
            paths = default_paths()
            self.version = distribution_version("alt-profanity-check")
        else:
            named = [self.spec.path] if isinstance(self.spec.path, str) else list(self.spec.path)
            paths = [local_file(p) for p in named]
            self.version = content_version(paths)
        self.steps = [joblib.load(p) for p in paths]
        final = self.steps[-1]
        if not hasattr(final, "predict_proba"):
            raise TypeError(f"scorer {self.name!r}: the last step ({type(final).__name__}) has no predict_proba")
        self.raw_labels = [str(c) for c in final.classes_]
        map_labels(np.zeros((0, len(self.raw_labels))), self.raw_labels, self.labels)  # fail now on a bad labels map

    def score(self, texts: list[str]) -> dict[str, np.ndarray]:
        features = texts
        for step in self.steps[:-1]:
            features = step.transform(features)
        return map_labels(self.steps[-1].predict_proba(features), self.raw_labels, self.labels)
