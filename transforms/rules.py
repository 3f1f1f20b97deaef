"""Stage `rules`: the rule families of filters/ applied to whole batches.

Kept records carry their cleaned text (boilerplate lines removed, mojibake repaired) and a `cleaned`
column, right after `meta`, noting what changed (JSON, null when nothing did); rejects keep the
text as it came, with the note.
"""

from __future__ import annotations

import apache_beam as beam
import pyarrow as pa

from filters.ruleset import judge
from pipelines.config import FieldNames, RecordFormat, RulesConfig
from pipelines.records import CLEANED_FIELD
from transforms.judge import JudgeBatchesFn, judged


def with_rules_outcome(batch: pa.RecordBatch, columns: dict[str, pa.Array], cleaned: pa.Array) -> pa.RecordBatch:
    """The batch with its content columns replaced and the `cleaned` column set after `meta`."""
    names = [n for n in batch.schema.names if n != CLEANED_FIELD.name]
    arrays = [columns.get(n, batch.column(n)) for n in names]
    at = names.index("meta") + 1 if "meta" in names else len(names)
    names.insert(at, CLEANED_FIELD.name)
    arrays.insert(at, cleaned)
    return pa.RecordBatch.from_arrays(arrays, names=names)


class ApplyRulesFn(JudgeBatchesFn):
    stage = "rules"

    def __init__(self, fmt: RecordFormat, cfg: RulesConfig, fields: FieldNames):
        self.fmt = fmt
        self.cfg = cfg
        self.fields = fields

    def judge(self, batch):
        columns = dict(zip(batch.schema.names, batch.columns))
        outcome = judge(self.fmt, columns, self.cfg, self.fields)
        return with_rules_outcome(batch, outcome.columns, outcome.cleaned), outcome.verdicts


class ApplyRules(beam.PTransform):
    """Stage `rules`: keep records that pass every rule; reject the rest with their reason."""

    def __init__(self, fmt: RecordFormat, cfg: RulesConfig, fields: FieldNames):
        super().__init__()
        self.fmt = fmt
        self.cfg = cfg
        self.fields = fields

    def expand(self, batches):
        return judged(batches, ApplyRulesFn(self.fmt, self.cfg, self.fields), "ApplyRules")
