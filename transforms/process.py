"""Ingest and every per-record stage of one read task, in one worker, written once to staging.

A task's records never cross a stage boundary with their texts: the worker that reads them runs
normalize, rules and lang on each batch, stages the survivors and the rejects (transforms.staging),
and the small key columns that dedup reads, laid out by partition; only the task's entry (its files
and counts) goes on through the runner. A task that
an earlier attempt finished (a retried bundle, or a run started again with --resume) is not redone:
its entry is read back from staging.
"""

from __future__ import annotations

import apache_beam as beam
import pyarrow as pa
from apache_beam.metrics import Metrics

from pipelines.config import WinnowConfig
from pipelines.records import content_columns
from transforms.batches import conform, with_length
from transforms.dedup import KEY_SCHEMA, key_rows
from transforms.faults import maybe_fail
from transforms.ingest import ReadTask
from transforms.normalize import NormalizeStep
from transforms.prefetch import prefetched
from transforms.readers import FileStats
from transforms.staging import TaskWriter, finished_task
from transforms.stats import step_timer
from transforms.tokens import token_steps


def record_steps(cfg: WinnowConfig) -> list:
    """The per-record stages that run, in the recipe's order; each has setup() and apply(batch).
    A stage's module is imported only when it runs (the rules and language id take a tenth of a
    second each to import, a fair share of a small run's start-up)."""
    fmt = cfg.ingest.record_kind
    steps = []
    if cfg.runs("normalize"):
        steps.append(NormalizeStep(fmt, cfg.normalize))
    if cfg.runs("sharegpt"):
        from transforms.sharegpt import sharegpt_steps

        steps += sharegpt_steps(cfg)
    if cfg.runs("rules"):
        from transforms.rules import ApplyRulesFn

        steps.append(ApplyRulesFn(fmt, cfg.rules, cfg.ingest.fields))
    if cfg.runs("lang"):
        from transforms.lang import LanguageIdFn

        steps.append(LanguageIdFn(fmt, cfg.lang))
    return steps + token_steps(cfg)  # last: the rules may change the text


class ProcessTaskFn(beam.DoFn):
    """ReadTask → the task's staged entry (its files, which row groups hold which partition, counts)."""

    def __init__(self, cfg: WinnowConfig, staging: str, partitions: int, record_schema: pa.Schema, reject_schema: pa.Schema):
        self.cfg, self.staging, self.partitions = cfg, staging, partitions
        self.record_schema, self.reject_schema = record_schema, reject_schema
        self.steps: list = []

    def setup(self):
        self.steps = record_steps(self.cfg)
        for step in self.steps:
            step.setup()

    def process(self, task: ReadTask):
        entry = finished_task(self.staging, task.key)
        if entry is None:
            with step_timer("ProcessTask"):
                entry = self._run(task)
        else:
            Metrics.counter("staging", "tasks_reused").inc()
        yield entry

    def _run(self, task: ReadTask) -> dict:
        cfg, fmt = self.cfg, self.cfg.ingest.record_kind
        content = content_columns(fmt)
        near = band_schema = matching_schema = None
        if cfg.runs("near"):
            from transforms.near import BAND_SCHEMA, MATCHING_SCHEMA, NearFingerprints

            near = NearFingerprints(fmt, cfg.near, cfg.ingest.fields, self.partitions, task.ordinal)
            band_schema, matching_schema = BAND_SCHEMA, MATCHING_SCHEMA
        writer = TaskWriter(self.staging, task.key, self.partitions, self.record_schema, self.reject_schema,
                            KEY_SCHEMA, cfg.output.staging_flush_bytes, task.file.source, band_schema, matching_schema)
        stats = FileStats(task.file.source)
        split: dict[str, int] = {}  # ShareGPT conversations split into pieces (records read = kept + rejected - pieces + split)

        def reject(rows: pa.RecordBatch) -> None:
            writer.reject(conform(with_length(rows, content), self.reject_schema))

        try:
            for item in prefetched(task.read(cfg.ingest, stats)):
                maybe_fail("read", task.file.source)
                if item.kind == "rejects":
                    reject(item.batch)
                    continue
                batch = item.batch
                for step in self.steps:
                    batch, rejected = step.apply(batch)
                    for name, count in getattr(step, "last_split", {}).items():
                        split[name] = split.get(name, 0) + count
                    if rejected is not None:
                        reject(rejected)
                    if batch is None:
                        break
                if batch is not None:
                    keys = key_rows(batch, fmt, cfg.exact, cfg.runs("exact"), self.partitions)
                    bands = matching = None
                    if near is not None:
                        handles = near.handles(keys.column("partition").to_numpy())
                        keys = keys.set_column(keys.schema.get_field_index("handle"), "handle", pa.array(handles))
                        bands, matching = near.band_rows(batch, handles)
                    writer.keep(conform(with_length(batch, content), self.record_schema), keys, bands, matching)
            read = stats.records + stats.rejected
            Metrics.counter("ingest", "records_read").inc(read)
            for reason, count in stats.reasons.items():
                Metrics.counter("ingest", reason).inc(count)
            file_stats = {"records_read": read, "blank_lines": stats.blank_lines, "unreadable": stats.rejected,
                          **({"skipped_records": stats.skipped} if stats.skipped else {})}
            task_stats = {"files": {task.file.source: file_stats}, **({"split": split} if split else {})}
            return writer.finish({"ordinal": task.ordinal, "stats": task_stats})
        except BaseException:
            writer.abort()
            raise


class ProcessInputs(beam.PTransform):
    """Read tasks → staged task entries."""

    def __init__(self, cfg: WinnowConfig, staging: str, partitions: int, record_schema: pa.Schema, reject_schema: pa.Schema):
        super().__init__()
        self.fn = ProcessTaskFn(cfg, staging, partitions, record_schema, reject_schema)

    def expand(self, tasks):
        return tasks | "ProcessTask" >> beam.ParDo(self.fn)
