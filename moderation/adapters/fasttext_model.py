"""fastText adapter: a supervised classifier (.bin or .ftz), e.g. one trained with
`fasttext supervised -input train.txt -output toxic` on `__label__abuse ...` lines.

Scores are the model's probabilities for every label (k=-1). fastText reads one line per text, so
line breaks are turned into spaces first.
"""

from __future__ import annotations

import numpy as np

from moderation.adapters.base import ModelScorer
from moderation.adapters.files import content_version, local_file
from moderation.config import ScorerSpec
from moderation.scorer import map_labels

PREFIX = "__label__"


class FastTextScorer(ModelScorer):
    def __init__(self, spec: ScorerSpec):
        if spec.path is None:
            raise ValueError(f"scorer {spec.name!r}: a fasttext scorer needs a path to a supervised .bin/.ftz model")
        if not spec.labels:
            raise ValueError(f"scorer {spec.name!r}: a fasttext scorer needs a labels map (its labels are the model's own)")
        super().__init__(spec)
        self.model = None

    def load(self) -> None:
        import fasttext

        path = local_file(self.spec.path if isinstance(self.spec.path, str) else self.spec.path[0])
        self.version = content_version([path])
        self.model = fasttext.load_model(path)
        self.raw_labels = [label.removeprefix(PREFIX) for label in self.model.get_labels()]
        self.column = {label: i for i, label in enumerate(self.raw_labels)}
        map_labels(np.zeros((0, len(self.raw_labels))), self.raw_labels, self.labels)

    def score(self, texts: list[str]) -> dict[str, np.ndarray]:
        lines = [" ".join(t.split()) for t in texts]
        labels, probabilities = self.model.predict(lines, k=-1)
        matrix = np.zeros((len(texts), len(self.raw_labels)), dtype=np.float32)
        for row, (names, values) in enumerate(zip(labels, probabilities)):
            for name, value in zip(names, values):
                matrix[row, self.column[name.removeprefix(PREFIX)]] = value
        return map_labels(np.clip(matrix, 0.0, 1.0), self.raw_labels, self.labels)
