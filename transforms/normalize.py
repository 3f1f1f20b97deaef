"""Stage `normalize`: rewrite the text fields of every record (see filters.normalize)."""

from __future__ import annotations

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc

from filters.normalize import normalize_text
from pipelines.config import NormalizeConfig, RecordFormat
from pipelines.records import TURN_TYPE, content_columns


def normalize_batch(batch: pa.RecordBatch, fmt: RecordFormat, cfg: NormalizeConfig) -> pa.RecordBatch:
    columns = dict(zip(batch.schema.names, batch.columns))
    for name in content_columns(fmt):
        column = columns[name]
        if pa.types.is_list(column.type):
            turns = pc.list_flatten(column)
            values = normalize_text(turns.field("value"), cfg)
            rebuilt = pa.StructArray.from_arrays([turns.field("from"), values], fields=list(TURN_TYPE.value_type))
            offsets = column.offsets
            columns[name] = pa.ListArray.from_arrays(pc.subtract(offsets, offsets[0]), rebuilt, type=TURN_TYPE)
        else:
            columns[name] = normalize_text(column, cfg)
    return pa.RecordBatch.from_arrays(list(columns.values()), schema=batch.schema)


class Normalize(beam.PTransform):
    """Stage `normalize`: Unicode form, newlines, trimming and optional Traditional→Simplified."""

    def __init__(self, fmt: RecordFormat, cfg: NormalizeConfig):
        super().__init__()
        self.fmt = fmt
        self.cfg = cfg

    def expand(self, batches):
        return batches | "NormalizeText" >> beam.Map(normalize_batch, self.fmt, self.cfg)


class NormalizeStep:
    """The normalize stage as a step of a worker's per-record chain (see transforms.process)."""

    stage = "normalize"

    def __init__(self, fmt: RecordFormat, cfg: NormalizeConfig):
        self.fmt = fmt
        self.cfg = cfg

    def setup(self) -> None:
        pass

    def apply(self, batch: pa.RecordBatch):
        return normalize_batch(batch, self.fmt, self.cfg), None
