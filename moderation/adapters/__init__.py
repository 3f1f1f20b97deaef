"""Adapters: one small module per kind of model, each a `Scorer` built from a `ScorerSpec`.

Heavy libraries (scikit-learn, onnxruntime, torch, transformers, fasttext) are imported inside
`load()`, so building the ensemble's description costs nothing and a missing optional library only
fails the scorer that needs it.
"""

from __future__ import annotations

from moderation.config import ScorerSpec
from moderation.scorer import Scorer


def build_scorer(spec: ScorerSpec) -> Scorer:
    """The (not yet loaded) scorer a spec describes."""
    if spec.type == "sklearn":
        from moderation.adapters.sklearn_model import SklearnScorer

        return SklearnScorer(spec)
    if spec.type == "onnx":
        from moderation.adapters.onnx_model import OnnxScorer

        return OnnxScorer(spec)
    if spec.type == "torch":
        from moderation.adapters.torch_bilstm import BiLstmScorer

        return BiLstmScorer(spec)
    if spec.type == "fasttext":
        from moderation.adapters.fasttext_model import FastTextScorer

        return FastTextScorer(spec)
    if spec.type == "transformers":
        from moderation.adapters.transformers_model import TransformersScorer

        return TransformersScorer(spec)
    if spec.type == "lexicon":
        from moderation.lexicon import LexiconScorer

        return LexiconScorer(spec.name, spec.lexicon or spec.languages[0], tuple(spec.languages),
                             spec.path if isinstance(spec.path, str) else None, spec.reference_chars)
    raise ValueError(f"unknown scorer type {spec.type!r}")
