"""Stage `rules`: the rule families of filters/ applied to whole batches."""

from __future__ import annotations

import apache_beam as beam

from filters.ruleset import evaluate
from pipelines.config import FieldNames, RecordFormat, RulesConfig
from transforms.judge import JudgeBatchesFn, judged


class ApplyRulesFn(JudgeBatchesFn):
    stage = "rules"

    def __init__(self, fmt: RecordFormat, cfg: RulesConfig, fields: FieldNames):
        self.fmt = fmt
        self.cfg = cfg
        self.fields = fields

    def judge(self, batch):
        columns = dict(zip(batch.schema.names, batch.columns))
        return batch, evaluate(self.fmt, columns, self.cfg, self.fields)


class ApplyRules(beam.PTransform):
    """Stage `rules`: keep records that pass every rule; reject the rest with their reason."""

    def __init__(self, fmt: RecordFormat, cfg: RulesConfig, fields: FieldNames):
        super().__init__()
        self.fmt = fmt
        self.cfg = cfg
        self.fields = fields

    def expand(self, batches):
        return judged(batches, ApplyRulesFn(self.fmt, self.cfg, self.fields), "ApplyRules")
