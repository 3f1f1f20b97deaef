"""The shape every filtering stage shares: judge a batch, keep what passes, reject the rest."""

from __future__ import annotations

import apache_beam as beam
import numpy as np
import pyarrow as pa
from apache_beam.metrics import Metrics

from filters.verdicts import Verdicts
from transforms.batches import mask_rows, with_verdicts


def split_by_verdicts(batch: pa.RecordBatch, verdicts: Verdicts, stage: str):
    """(kept rows or None, reject rows with stage/reason/detail or None), counted in Beam metrics."""
    kept = verdicts.kept
    n_kept = int(kept.sum())
    Metrics.counter(stage, "in").inc(batch.num_rows)
    Metrics.counter(stage, "kept").inc(n_kept)
    kept_rows = None if not n_kept else batch if n_kept == batch.num_rows else mask_rows(batch, kept)
    if n_kept == batch.num_rows:
        return kept_rows, None
    rejected = np.flatnonzero(~kept)
    reasons = [verdicts.reasons[i] for i in rejected]
    for reason, count in zip(*np.unique(reasons, return_counts=True)):
        Metrics.counter(stage, str(reason)).inc(int(count))
    rows = batch.take(pa.array(rejected))
    return kept_rows, with_verdicts(rows, stage, reasons, [verdicts.details[i] for i in rejected])


class JudgeBatchesFn(beam.DoFn):
    """Subclasses name their `stage` and implement judge(batch) -> (batch, Verdicts); the batch may gain columns.

    apply(batch) is the whole step, for callers that chain stages inside one worker (transforms.process).
    """

    stage = ""

    def judge(self, batch: pa.RecordBatch) -> tuple[pa.RecordBatch, Verdicts]:
        raise NotImplementedError

    def apply(self, batch: pa.RecordBatch):
        judged_batch, verdicts = self.judge(batch)
        return split_by_verdicts(judged_batch, verdicts, self.stage)

    def process(self, batch: pa.RecordBatch):
        kept, rejects = self.apply(batch)
        if kept is not None:
            yield kept
        if rejects is not None:
            yield beam.pvalue.TaggedOutput("rejects", rejects)


def judged(batches, fn: JudgeBatchesFn, label: str):
    results = batches | label >> beam.ParDo(fn).with_outputs("rejects", main="kept")
    return results.kept, results.rejects
