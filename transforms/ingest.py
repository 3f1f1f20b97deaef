"""Stage `ingest`: input files → record batches, ingest rejects and per-file counts.

A file is read by one worker, except uncompressed JSON Lines larger than `ingest.split_bytes`: those
are read in byte ranges by several. Ids and `source_row` must not depend on that, so a first pass
counts newlines per range and numbers each range's first line before the ranges are read.
"""

from __future__ import annotations

from dataclasses import dataclass

import apache_beam as beam
from apache_beam.metrics import Metrics

from pipelines.config import IngestConfig
from pipelines.inputs import InputFile
from transforms.readers import FileStats, byte_ranges, count_newlines, read_file, read_json_lines_range, splittable


@dataclass(frozen=True)
class ReadTask:
    """A whole file (first_line 0), or the lines starting in bytes [start, end) numbered from first_line."""

    file: InputFile
    start: int = 0
    end: int = 0
    first_line: int = 0


def _counted_range(task: ReadTask) -> tuple[str, tuple[int, ReadTask, int]]:
    return task.file.source, (task.start, task, count_newlines(task.file.path, task.start, task.end))


def _numbered_ranges(element) -> list[ReadTask]:
    """Give each range of a file the number of its first line (see readers.count_newlines)."""
    _, ranges = element
    numbered, newlines_before = [], 0
    for index, (_, task, newlines) in enumerate(sorted(ranges, key=lambda r: r[0])):
        first_line = 1 if index == 0 else newlines_before + 2
        numbered.append(ReadTask(task.file, task.start, task.end, first_line))
        newlines_before += newlines
    return numbered


class _ReadFn(beam.DoFn):
    def __init__(self, cfg: IngestConfig):
        self.cfg = cfg

    def process(self, task: ReadTask):
        file = task.file
        stats = FileStats(file.source)
        if task.first_line:
            emitted = read_json_lines_range(file.path, file.source, self.cfg, stats, task.start, task.end, task.first_line)
        else:
            emitted = read_file(file.path, file.source, self.cfg, stats)
        for item in emitted:
            if item.kind == "records":
                yield item.batch
            else:
                yield beam.pvalue.TaggedOutput("rejects", item.batch)
        Metrics.counter("ingest", "records_read").inc(stats.records + stats.rejected)
        for reason, count in stats.reasons.items():
            Metrics.counter("ingest", reason).inc(count)
        yield beam.pvalue.TaggedOutput(
            "stats",
            {"files": {file.source: {
                "records_read": stats.records + stats.rejected,
                "blank_lines": stats.blank_lines,
                "unreadable": stats.rejected,
            }}},
        )


class ReadInputs(beam.PTransform):
    """Stage `ingest`: files (or ranges of large ones) spread over workers; returns (records, rejects, stats)."""

    def __init__(self, files: list[InputFile], cfg: IngestConfig):
        super().__init__()
        self.files = files
        self.cfg = cfg

    def expand(self, pbegin):
        large = [f for f in self.files if splittable(f.path) and f.size > self.cfg.split_bytes]
        tasks = [pbegin | "WholeFiles" >> beam.Create([ReadTask(f) for f in self.files if f not in large])]
        if large:
            ranges = [ReadTask(f, start, end) for f in large for start, end in byte_ranges(f.size, self.cfg.split_bytes)]
            tasks.append(
                pbegin
                | "FileRanges" >> beam.Create(ranges)
                | "SpreadRanges" >> beam.Reshuffle()
                | "CountNewlines" >> beam.Map(_counted_range)
                | "RangesOfFile" >> beam.GroupByKey()
                | "NumberRanges" >> beam.FlatMap(_numbered_ranges)
            )
        results = (
            tasks
            | "AllReadTasks" >> beam.Flatten()
            | "SpreadReads" >> beam.Reshuffle()
            | "Read" >> beam.ParDo(_ReadFn(self.cfg)).with_outputs("rejects", "stats", main="records")
        )
        return results.records, results.rejects, results.stats
