"""Moderation of record batches: the judged texts of a batch, the scorers run cheapest first (the
cascade), and the policy over their outputs.

An element is a `ModerationWork`: one Arrow record batch with its judged texts (fields, languages)
and the outputs of the scorers that have run so far. In one process, `moderate_batch` runs the
loaded scorers and applies the policy; on Beam's RunInference each scorer is a step of its own
(`handlers`, in moderation/handlers.py) and `moderate_work` applies the policy:

    works = batches | beam.Map(prepare, fmt=fmt, cfg=cfg)
    for handler in handlers(cfg):
        works = works | f"Score {handler.spec.name}" >> RunInference(handler) | beam.Map(lambda r: r.inference)
    decided = works | beam.Map(lambda w: (w.batch, moderate_work(w, cfg)))

Models are loaded once per worker process and shared by its threads; a model (anything but a
lexicon) loads on the first batch that has texts for it (`LazyScorer`), so a run whose cascade never
needs a model never pays for loading it. A load that fails then fails the job, as it would in setup.
Elements are whole record batches already, so the handlers ask RunInference not to group them
further; inside a batch a scorer is called `batch_size` texts at a time.

A scorer that raises on a batch fails only that batch: its texts are recorded as not scored, the
records it should have judged get `moderation_error` (unless another category rejected them), and
the counter `moderation/<scorer>_failed_batches` goes up. The pipeline compares the share of
`moderation_error` records with `max_error_ratio`.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
from apache_beam.metrics import Metrics

from moderation.adapters import build_scorer
from moderation.config import ModerationConfig, ScorerSpec
from moderation.ensemble import Decisions, ScorerOutput, decide, undecided
from moderation.records import JudgedTexts, judged_texts
from moderation.scorer import LazyScorer, Scorer, score_texts
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
    return texts.in_languages(scorer.languages)


def still_needed(cfg: ModerationConfig, texts: JudgedTexts, outputs: dict[str, ScorerOutput],
                 pending: list[Scorer]) -> np.ndarray | None:
    """Texts the first of `pending` must judge given the outputs so far (see ensemble.undecided); None: all."""
    if not cfg.cascade:
        return None
    specs = {spec.name: spec for spec in cfg.scorers}
    return undecided(cfg, specs, outputs, {s.name: (covered(s, texts), tuple(s.categories)) for s in pending}, len(texts),
                     texts.lengths())


def run_scorer(scorer: Scorer, spec: ScorerSpec, texts: JudgedTexts, needed: np.ndarray | None = None) -> ScorerOutput:
    """One scorer over the texts in its languages (and among them the `needed` ones); an exception it
    raises becomes the output's error."""
    judged = covered(scorer, texts)
    if needed is not None:
        judged = judged & needed
    if isinstance(scorer, LazyScorer) and judged.any():
        scorer.load()  # its model, on the first batch it judges; outside the try: a model that cannot load fails the job
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


def load_scorer(spec: ScorerSpec) -> Scorer:
    """The scorer a spec describes, ready to score: a lexicon loaded now (every batch needs it), a model
    as a LazyScorer that loads on the first batch with texts for it."""
    scorer = build_scorer(spec)
    if spec.type == "lexicon":
        scorer.load()
        log.info("moderation scorer %s loaded: %r", spec.name, scorer)
        return scorer
    return LazyScorer(scorer)


def load_scorers(cfg: ModerationConfig) -> dict[str, Scorer]:
    """Every scorer of the config (for in-process use; Beam's RunInference uses the handlers)."""
    return {spec.name: load_scorer(spec) for spec in cfg.scorers}


HANDLER_NAMES = ("ScorerModelHandler", "SklearnModelHandler", "OnnxModelHandler", "TorchModelHandler",
                 "FastTextModelHandler", "TransformersModelHandler", "LexiconModelHandler", "HANDLERS",
                 "handler_for", "handlers")


def __getattr__(name: str):
    """The RunInference handlers, imported from moderation.handlers on first use (Beam's inference module
    imports torch and SciPy when they are installed: seconds that the moderation stage does not need)."""
    if name in HANDLER_NAMES:
        from moderation import handlers

        return getattr(handlers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
