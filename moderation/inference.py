"""Moderation on Beam's RunInference: one ModelHandler per scorer, and the batch-level glue.

An element is a `ModerationWork`: one Arrow record batch with its judged texts (fields, languages)
and the outputs of the scorers that have run so far. Each scorer's RunInference adds its output;
`moderate_work` (or `moderate_batch`) then applies the policy:

    works = batches | beam.Map(prepare, fmt=fmt, cfg=cfg)
    for handler in handlers(cfg):
        works = works | f"Score {handler.spec.name}" >> RunInference(handler) | beam.Map(lambda r: r.inference)
    decided = works | beam.Map(lambda w: (w.batch, moderate_work(w, cfg)))

RunInference loads each model once per worker process in setup and shares it across threads
(`share_across_processes: true` in a scorer's spec shares one per machine). Elements are whole
record batches already, so the handlers ask RunInference not to group them further; inside a batch
a scorer is called `batch_size` texts at a time.

A scorer that raises on a batch fails only that batch: its texts are recorded as not scored, the
records it should have judged get `moderation_error` (unless another category rejected them), and
the counter `moderation/<scorer>_failed_batches` goes up. The pipeline compares the share of
`moderation_error` records with `max_error_ratio`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from apache_beam.metrics import Metrics
from apache_beam.ml.inference.base import ModelHandler, PredictionResult

from moderation.adapters import build_scorer
from moderation.config import ModerationConfig, ScorerSpec
from moderation.ensemble import Decisions, ScorerOutput, decide, undecided
from moderation.records import JudgedTexts, judged_texts
from moderation.scorer import Scorer, score_texts
from pipelines.config import RecordFormat

log = logging.getLogger(__name__)
METRICS_NAMESPACE = "moderation"


@dataclass(frozen=True)
class ModerationWork:
    """A record batch on its way through the scorers."""

    batch: pa.RecordBatch
    fmt: str
    texts: JudgedTexts
    outputs: dict[str, ScorerOutput] = field(default_factory=dict)

    def with_output(self, name: str, output: ScorerOutput) -> ModerationWork:
        return dataclasses.replace(self, outputs={**self.outputs, name: output})


def prepare(batch: pa.RecordBatch, fmt: RecordFormat | str, cfg: ModerationConfig) -> ModerationWork:
    """The judged texts of a batch: its fields, each with the language the scorers go by."""
    fmt = RecordFormat(fmt).value
    texts = judged_texts(batch, fmt, cfg.language_source == "column", cfg.min_han_share)
    return ModerationWork(batch, fmt, texts)


# Scorer types from the cheapest per text to the dearest: the cascade runs them in this order, so
# the lexicons' verdicts spare the models most texts.
COST_ORDER = ("lexicon", "ngram", "fasttext", "sklearn", "onnx", "torch", "transformers")


def scoring_order(cfg: ModerationConfig) -> list[ScorerSpec]:
    """The config's scorers, cheapest type first (config order within a type)."""
    return sorted(cfg.scorers, key=lambda spec: COST_ORDER.index(spec.type))


def covered(scorer: Scorer, texts: JudgedTexts) -> np.ndarray:
    return np.array([scorer.covers(str(lang)) for lang in texts.langs], dtype=bool)


def still_needed(cfg: ModerationConfig, texts: JudgedTexts, outputs: dict[str, ScorerOutput],
                 pending: list[Scorer]) -> np.ndarray | None:
    """Texts the first of `pending` must judge given the outputs so far (see ensemble.undecided); None: all."""
    if not cfg.cascade:
        return None
    specs = {spec.name: spec for spec in cfg.scorers}
    return undecided(cfg, specs, outputs, {s.name: (covered(s, texts), tuple(s.categories)) for s in pending}, len(texts))


def run_scorer(scorer: Scorer, spec: ScorerSpec, texts: JudgedTexts, needed: np.ndarray | None = None) -> ScorerOutput:
    """One scorer over the texts in its languages (and among them the `needed` ones); an exception it
    raises becomes the output's error."""
    judged = covered(scorer, texts)
    if needed is not None:
        judged &= needed
    try:
        scores, evidence = score_texts(scorer, texts.texts, judged, spec.batch_size or scorer.default_batch_size,
                                       spec.max_chars)
    except Exception as error:  # noqa: BLE001 - one failing batch must not fail the job; counted, logged, reported per record
        log.warning("moderation scorer %s failed on a batch of %d texts: %r", spec.name, int(judged.sum()), error)
        Metrics.counter(METRICS_NAMESPACE, f"{spec.name}_failed_batches").inc()
        return ScorerOutput(error=f"{type(error).__name__}: {error}"[:500], judged=judged)
    Metrics.counter(METRICS_NAMESPACE, f"{spec.name}_texts").inc(int(judged.sum()))
    return ScorerOutput(scores=scores, evidence=evidence, judged=judged)


def moderate_work(work: ModerationWork, cfg: ModerationConfig) -> Decisions:
    """The policy over the outputs the scorers added to the work."""
    return decide(cfg, work.texts, work.outputs)


def load_scorers(cfg: ModerationConfig) -> dict[str, Scorer]:
    """Every scorer of the config, loaded (for in-process use; Beam uses the handlers)."""
    scorers = {}
    for spec in cfg.scorers:
        scorer = build_scorer(spec)
        scorer.load()
        scorers[spec.name] = scorer
    return scorers


def moderate_batch(batch: pa.RecordBatch, fmt: RecordFormat | str, cfg: ModerationConfig,
                   outputs: dict[str, ScorerOutput] | None = None, scorers: dict[str, Scorer] | None = None) -> Decisions:
    """Decisions for one record batch: `column`, `reasons`, `details` (unpack as a 3-tuple), `counts()`.

    outputs: each scorer's output over `prepare(batch, fmt, cfg).texts`, as RunInference produced
    them; without them, the loaded `scorers` (see load_scorers) run here.
    """
    work = prepare(batch, fmt, cfg)
    if outputs is None:
        if scorers is None:
            raise ValueError("moderate_batch needs the scorers' outputs or loaded scorers")
        order = scoring_order(cfg)
        outputs = {}
        for position, spec in enumerate(order):
            needed = still_needed(cfg, work.texts, outputs, [scorers[s.name] for s in order[position:]])
            outputs[spec.name] = run_scorer(scorers[spec.name], spec, work.texts, needed)
    return decide(cfg, work.texts, outputs)


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
        scorer = build_scorer(self.spec)
        scorer.load()
        log.info("moderation scorer %s loaded: %r", self.spec.name, scorer)
        return scorer

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
