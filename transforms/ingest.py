"""Stage `ingest`: input files → record batches, ingest rejects and per-file counts."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from pipelines.config import IngestConfig
from pipelines.inputs import InputFile
from transforms.readers import FileStats, read_file


class _ReadFileFn(beam.DoFn):
    def __init__(self, cfg: IngestConfig):
        self.cfg = cfg

    def process(self, file: InputFile):
        stats = FileStats(file.source)
        for emitted in read_file(file.path, file.source, self.cfg, stats):
            if emitted.kind == "records":
                yield emitted.batch
            else:
                yield beam.pvalue.TaggedOutput("rejects", emitted.batch)
        Metrics.counter("ingest", "records_read").inc(stats.records + stats.rejected)
        for reason, count in stats.reasons.items():
            Metrics.counter("ingest", reason).inc(count)
        yield beam.pvalue.TaggedOutput(
            "stats",
            {"files": {file.source: {
                "path": file.path,
                "bytes": file.size,
                "records_read": stats.records + stats.rejected,
                "blank_lines": stats.blank_lines,
                "unreadable": stats.rejected,
            }}},
        )


class ReadInputs(beam.PTransform):
    """Stage `ingest`: one file per element, spread over workers; returns (records, rejects, stats)."""

    def __init__(self, files: list[InputFile], cfg: IngestConfig):
        super().__init__()
        self.files = files
        self.cfg = cfg

    def expand(self, pbegin):
        results = (
            pbegin
            | "ListFiles" >> beam.Create(self.files)
            | "SpreadFiles" >> beam.Reshuffle()
            | "ReadFiles" >> beam.ParDo(_ReadFileFn(self.cfg)).with_outputs("rejects", "stats", main="records")
        )
        return results.records, results.rejects, results.stats
