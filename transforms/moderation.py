"""Stage `moderation`, the recipe's last step: the ensemble (moderation/) judges the records that every
other stage kept, partition by partition, in parallel.

Each partition's staged rows are read once more, the records that dedup removed are left out, and
the survivors are scored in batches by the scorers, loaded once per worker (setup). What it decides
travels as small columns: `moderation_*` decisions join the others in the shard writers, and each
kept record's scores (the `moderation` column) are staged per partition for the shard writer to add.
A scorer failing on a batch sends those records to rejects as `moderation_error`; past
`moderation.max_error_ratio` of a partition's records the job fails loudly instead.
"""

from __future__ import annotations

import json

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.utils.shared import Shared

from moderation.config import ModerationConfig
from pipelines.config import RecordFormat
from transforms.dedup import DECISION_SCHEMA, decision_entry, read_decisions
from transforms.shards import match_decisions
from transforms.staging import STAGED_COMPRESSION, read_partition, write_atomically
from transforms.stats import step_timer

SCORES_SCHEMA = pa.schema([("id", pa.string()), ("source", pa.string()), ("source_row", pa.int64()), ("moderation", pa.string())])
# records per moderate_batch call: large enough that the lexicons' Arrow passes compile their RE2 patterns
# rarely (8,192 took 40% less lexicon time than 2,048 on the bench corpus), small enough for documents
SCORING_ROWS = 8192


class ModerationErrors(RuntimeError):
    pass


def scores_path(staging: str, partition: int) -> str:
    return FileSystems.join(staging, "moderation", f"partition-{partition:05d}.parquet")


def read_scores(staging: str, partition: int) -> pa.Table:
    path = scores_path(staging, partition)
    if not FileSystems.exists(path):
        return SCORES_SCHEMA.empty_table()
    with FileSystems.open(path) as f:
        return pq.read_table(f)


class _LoadedScorers(dict):
    """The ensemble's loaded scorers; a dict subclass, since apache_beam.utils.shared keeps weak references."""


class _ModerateFn(beam.DoFn):
    def __init__(self, staging: str, fmt: RecordFormat, cfg: ModerationConfig, record_schema: pa.Schema):
        self.staging, self.fmt, self.cfg, self.record_schema = staging, fmt, cfg, record_schema
        self.shared = Shared()  # one copy of the models per worker process, whatever its threads (as RunInference)
        self.scorers = None

    def setup(self):
        def load():
            # imported here: the models' libraries (scikit-learn, ONNX Runtime, ...) cost every process
            # ~200 MB, which runs without this stage should not pay
            from moderation.inference import load_scorers

            return _LoadedScorers(load_scorers(self.cfg))

        self.scorers = self.shared.acquire(load)

    def process(self, partition: int, tasks: list[dict], decisions: list[dict]):
        with step_timer("Moderate"):
            yield from self._judge(partition, tasks, decisions)

    def _judge(self, partition: int, tasks: list[dict], decisions: list[dict]):
        from moderation.inference import moderate_batch

        records = read_partition(tasks, "records", partition, self.record_schema)
        removed = read_decisions(decisions, partition, ["id", "source", "source_row"])
        if removed.num_rows:
            gone = np.zeros(records.num_rows, dtype=bool)
            gone[match_decisions(records, removed)[0]] = True
            records = records.filter(pa.array(~gone))
        columns, reasons, details = [], [], []
        for start in range(0, records.num_rows, SCORING_ROWS):
            piece = records.slice(start, SCORING_ROWS).combine_chunks().to_batches()
            if not piece:
                continue
            column, why, detail = moderate_batch(piece[0], self.fmt, self.cfg, scorers=self.scorers)
            columns += column
            reasons += why
            details += detail
        rejected = np.array([r is not None for r in reasons], dtype=bool)
        errors = sum(r == "moderation_error" for r in reasons)
        if records.num_rows and errors / records.num_rows > self.cfg.max_error_ratio:
            raise ModerationErrors(f"moderation failed on {errors} of {records.num_rows} records of partition {partition}, "
                                   f"over moderation.max_error_ratio = {self.cfg.max_error_ratio}")
        scores = pa.table({"id": records.column("id"), "source": records.column("source"), "source_row": records.column("source_row"),
                           "moderation": pa.array(columns, pa.string())}, schema=SCORES_SCHEMA).filter(pa.array(~rejected))
        if scores.num_rows:
            write_atomically(scores_path(self.staging, partition), lambda f: pq.write_table(scores, f, **STAGED_COMPRESSION))
        counts: dict[str, int] = {}
        for reason in reasons:
            counts[reason or "kept"] = counts.get(reason or "kept", 0) + 1
        for reason, count in counts.items():
            Metrics.counter("moderation", reason).inc(count)
        yield beam.pvalue.TaggedOutput("stats", {"moderation": {"judged": records.num_rows, "errors": errors}})
        if rejected.any():
            rows = records.filter(pa.array(rejected))
            chosen = np.flatnonzero(rejected)
            decisions = pa.Table.from_arrays([
                rows.column("id"), rows.column("source"), rows.column("source_row"),
                pa.array(np.full(len(chosen), partition, np.int32)), pa.array(["moderation"] * len(chosen)),
                pa.array([reasons[i] for i in chosen], pa.string()),
                pa.array([_with_scores(details[i], columns[i]) for i in chosen], pa.string()),
                pa.array(np.zeros(len(chosen), np.uint64)),
            ], schema=DECISION_SCHEMA)
            yield decision_entry(self.staging, "moderation", partition, decisions)


def _with_scores(detail: str | None, scores: str | None) -> str:
    """The reject's detail: the ensemble's reasoning plus every scorer's scores."""
    merged = json.loads(detail) if detail else {}
    if scores:
        merged.setdefault("scores", json.loads(scores))
    return json.dumps(merged, ensure_ascii=False, sort_keys=True)


class Moderate(beam.PTransform):
    """(task entries, decision entries so far) → (moderation decision entries, stats); kept records' scores are staged."""

    def __init__(self, staging: str, fmt: RecordFormat, cfg: ModerationConfig, record_schema: pa.Schema, partitions: int):
        super().__init__()
        self.fn = _ModerateFn(staging, fmt, cfg, record_schema)
        self.partitions = partitions

    def expand(self, inputs):
        tasks, decisions = inputs
        results = (
            tasks.pipeline
            | "Partitions" >> beam.Create(range(self.partitions), reshuffle=False)
            | "Reshuffle" >> beam.Reshuffle()
            | "Judge" >> beam.ParDo(self.fn, beam.pvalue.AsList(tasks), beam.pvalue.AsList(decisions)).with_outputs(
                "stats", main="decisions")
        )
        return results.decisions, results.stats
