"""RunInference handlers: one ModelHandler per scorer, for pipelines that move record batches
(`ModerationWork`) between steps (see moderation/inference.py for the glue and the policy).

    works = batches | beam.Map(prepare, fmt=fmt, cfg=cfg)
    for handler in handlers(cfg):
        works = works | f"Score {handler.spec.name}" >> RunInference(handler) | beam.Map(lambda r: r.inference)

A module of its own because Beam's `apache_beam.ml.inference.base` imports torch and SciPy when
they are installed (several seconds per process): the `moderation` stage, which calls the scorers
in its own DoFn, never pays for it.

RunInference calls `load_model` once per worker process in setup and shares the scorer across
threads; a model scorer (anything but a lexicon) loads its model on the first batch it has to
judge (`LazyScorer`), so a cascade that leaves it nothing to judge never loads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from apache_beam.ml.inference.base import ModelHandler, PredictionResult

from moderation.adapters import build_scorer
from moderation.config import ModerationConfig, ScorerSpec
from moderation.inference import METRICS_NAMESPACE, ModerationWork, load_scorer, run_scorer, scoring_order, still_needed
from moderation.scorer import Scorer


class ScorerModelHandler(ModelHandler[ModerationWork, PredictionResult, Scorer]):
    """RunInference handler of one scorer; the result's `inference` is the work with this scorer's output."""

    def __init__(self, spec: ScorerSpec, cfg: ModerationConfig | None = None):
        """cfg: the ensemble this scorer is one step of (see `handlers`), for the cascade; without
        it the scorer judges every text of its languages."""
        super().__init__()
        self.spec = spec
        self.cfg = cfg
        self._pending: list[Scorer] | None = None

    def pending(self) -> list[Scorer]:
        """This scorer and the ones after it in the cascade, unloaded: their languages and categories."""
        if self._pending is None:
            order = scoring_order(self.cfg)
            names = [s.name for s in order]
            self._pending = [build_scorer(s) for s in order[names.index(self.spec.name):]]
        return self._pending

    def load_model(self) -> Scorer:
        return load_scorer(self.spec)

    def run_inference(self, batch: Sequence[ModerationWork], model: Scorer,
                      inference_args: dict[str, Any] | None = None) -> Iterable[PredictionResult]:
        for work in batch:
            needed = None
            if self.cfg is not None:
                needed = still_needed(self.cfg, work.texts, work.outputs, [model, *self.pending()[1:]])
            output = run_scorer(model, self.spec, work.texts, needed)
            yield PredictionResult(example=work, inference=work.with_output(self.spec.name, output),
                                   model_id=f"{self.spec.name}:{model.version}")

    def get_num_bytes(self, batch: Sequence[ModerationWork]) -> int:
        return sum(work.batch.nbytes for work in batch)

    def get_metrics_namespace(self) -> str:
        return f"{METRICS_NAMESPACE}_{self.spec.name}"

    def batch_elements_kwargs(self) -> dict[str, Any]:
        return {"min_batch_size": 1, "max_batch_size": 1}

    def share_model_across_processes(self) -> bool:
        return self.spec.share_across_processes


class SklearnModelHandler(ScorerModelHandler):
    """alt-profanity-check or any joblib pipeline with predict_proba."""


class OnnxModelHandler(ScorerModelHandler):
    """hatesonar or any ONNX text classifier."""


class TorchModelHandler(ScorerModelHandler):
    """The Jigsaw BiLSTM rebuilt in torch."""


class FastTextModelHandler(ScorerModelHandler):
    """A supervised fastText classifier."""


class TransformersModelHandler(ScorerModelHandler):
    """A sequence-classification model from a local folder (GPU when present)."""


class LexiconModelHandler(ScorerModelHandler):
    """winnow's term lists."""


HANDLERS = {
    "sklearn": SklearnModelHandler, "onnx": OnnxModelHandler, "torch": TorchModelHandler,
    "fasttext": FastTextModelHandler, "transformers": TransformersModelHandler, "lexicon": LexiconModelHandler,
}


def handler_for(spec: ScorerSpec, cfg: ModerationConfig | None = None) -> ScorerModelHandler:
    return HANDLERS[spec.type](spec, cfg)


def handlers(cfg: ModerationConfig) -> list[ScorerModelHandler]:
    """One RunInference handler per scorer, in the order they must run (`scoring_order`: the cascade)."""
    return [handler_for(spec, cfg) for spec in scoring_order(cfg)]
