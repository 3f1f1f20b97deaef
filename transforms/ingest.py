"""Stage `ingest`: the read tasks of a run (see transforms.process for what a task does).

A file is read by one worker, except uncompressed JSON Lines larger than `ingest.split_bytes`: those
are read in byte ranges by several. Ids and `source_row` must not depend on that, so a first pass
counts newlines per range and numbers each range's first line before the ranges are read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import apache_beam as beam

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
    ordinal: int = 0  # the task's place among all tasks of the run (sorted by source, start)

    @property
    def key(self) -> str:
        """A name for the task's staged work: the same task of the same input always gets it."""
        label = f"{self.file.source}@{self.start}" if self.first_line else self.file.source
        return hashlib.sha1(label.encode()).hexdigest()[:20]

    def read(self, cfg: IngestConfig, stats: FileStats):
        if self.first_line:
            return read_json_lines_range(self.file.path, self.file.source, cfg, stats, self.start, self.end, self.first_line)
        return read_file(self.file.path, self.file.source, cfg, stats)


def _counted_range(task: ReadTask) -> tuple[str, tuple[int, ReadTask, int]]:
    return task.file.source, (task.start, task, count_newlines(task.file.path, task.start, task.end))


def _numbered_ranges(element) -> list[ReadTask]:
    """Give each range of a file the number of its first line (see readers.count_newlines)."""
    _, ranges = element
    numbered, newlines_before = [], 0
    for index, (_, task, newlines) in enumerate(sorted(ranges, key=lambda r: r[0])):
        first_line = 1 if index == 0 else newlines_before + 2
        numbered.append(ReadTask(task.file, task.start, task.end, first_line, task.ordinal))
        newlines_before += newlines
    return numbered


MAX_TASKS = 1 << 16  # a task's ordinal takes 16 bits of a near-duplicate handle (transforms.near)


def plan_tasks(files: list[InputFile], cfg: IngestConfig) -> tuple[list[ReadTask], list[ReadTask]]:
    """(whole-file tasks, byte-range tasks of large uncompressed JSON Lines), numbered in (source, start) order."""
    tasks = []
    for f in files:
        if splittable(f.path) and f.size > cfg.split_bytes:
            tasks += [ReadTask(f, start, end) for start, end in byte_ranges(f.size, cfg.split_bytes)]
        else:
            tasks.append(ReadTask(f))
    if len(tasks) > MAX_TASKS:
        raise ValueError(f"{len(tasks)} read tasks; at most {MAX_TASKS}: raise ingest.split_bytes or merge small files")
    tasks = [replace(t, ordinal=i) for i, t in enumerate(sorted(tasks, key=lambda t: (t.file.source, t.start)))]
    return [t for t in tasks if not t.end], [t for t in tasks if t.end]


class ReadTasks(beam.PTransform):
    """The read tasks of a run, spread over workers: whole files, and numbered ranges of large ones."""

    def __init__(self, files: list[InputFile], cfg: IngestConfig):
        super().__init__()
        self.files = files
        self.cfg = cfg

    def expand(self, pbegin):
        whole, ranges = plan_tasks(self.files, self.cfg)
        tasks = [pbegin | "WholeFiles" >> beam.Create(whole, reshuffle=False)]  # spread by SpreadReads
        if ranges:
            tasks.append(
                pbegin
                | "FileRanges" >> beam.Create(ranges, reshuffle=False)
                | "SpreadRanges" >> beam.Reshuffle()
                | "CountNewlines" >> beam.Map(_counted_range)
                | "RangesOfFile" >> beam.GroupByKey()
                | "NumberRanges" >> beam.FlatMap(_numbered_ranges)
            )
        return tasks | "AllReadTasks" >> beam.Flatten() | "SpreadReads" >> beam.Reshuffle()
