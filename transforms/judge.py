"""The shape every filtering stage shares: judge a batch, keep what passes, reject the rest."""

from __future__ import annotations

import apache_beam as beam
import numpy as np
import pyarrow as pa
from apache_beam.metrics import Metrics

from filters.verdicts import Verdicts
from transforms.batches import mask_rows, with_verdicts


class JudgeBatchesFn(beam.DoFn):
    """Subclasses name their `stage` and implement judge(batch) -> (batch, Verdicts); the batch may gain columns."""

    stage = ""

    def judge(self, batch: pa.RecordBatch) -> tuple[pa.RecordBatch, Verdicts]:
        raise NotImplementedError

    def process(self, batch: pa.RecordBatch):
        batch, verdicts = self.judge(batch)
        kept = verdicts.kept
        n_kept = int(kept.sum())
        Metrics.counter(self.stage, "in").inc(batch.num_rows)
        Metrics.counter(self.stage, "kept").inc(n_kept)
        if n_kept:
            yield batch if n_kept == batch.num_rows else mask_rows(batch, kept)
        if n_kept < batch.num_rows:
            rejected = np.flatnonzero(~kept)
            reasons = [verdicts.reasons[i] for i in rejected]
            for reason, count in zip(*np.unique(reasons, return_counts=True)):
                Metrics.counter(self.stage, str(reason)).inc(int(count))
            rows = batch.take(pa.array(rejected))
            yield beam.pvalue.TaggedOutput(
                "rejects", with_verdicts(rows, self.stage, reasons, [verdicts.details[i] for i in rejected])
            )


def judged(batches, fn: JudgeBatchesFn, label: str):
    results = batches | label >> beam.ParDo(fn).with_outputs("rejects", main="kept")
    return results.kept, results.rejects
