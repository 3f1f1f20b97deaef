"""What every model adapter shares: who it is and how its labels map onto winnow's categories."""

from __future__ import annotations

from moderation.config import ScorerSpec
from moderation.scorer import LabelMap, Scorer, categories_of, normalise_label_map


class ModelScorer(Scorer):
    """A scorer built from its spec: name, languages, and the spec's label map or the adapter's default."""

    def __init__(self, spec: ScorerSpec, default_labels: LabelMap | None = None):
        self.name = spec.name
        self.spec = spec
        self.languages = tuple(spec.languages)
        self.labels = normalise_label_map(spec.labels if spec.labels is not None else default_labels)
        self.categories = categories_of(self.labels)
