"""Shuffles through staging: the steps after the per-record stages exchange their small columns as files.

A step runs once per partition (`partition_step`). It reads what earlier steps wrote for its
partition, and writes what it sends on as one Parquet file per (step, partition) whose row groups
are laid out by destination partition (`PartitionedFile`). What travels through the runner is only
each file's entry: its path and which row groups hold which destination, a few hundred bytes.

Why not the runner's own shuffle: the DirectRunner keeps every PCollection that crosses a stage
boundary in its driver process and hands whole stage inputs to worker processes, so memory grew
with the corpus (keys, candidate pairs and shipped texts of 1M records took 16 GB). Through files,
a worker holds one partition of one step, on every runner, and the next step starts only once every
partition of the one before it is written (its entries are a side input). On a cluster the files
live on the output's filesystem (gs://, s3://, hdfs://), as a shuffle service's spill files would.

Every file is written under a temporary name and renamed, and its name depends only on the step
and the partition, so a retried step rewrites the same file and readers never see half of one.
Readers take the files in path order: the rows a partition reads do not depend on which worker
wrote what first.
"""

from __future__ import annotations

from collections.abc import Callable

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from transforms.batches import concat
from transforms.staging import PartitionedFile

EXCHANGE = "exchange"


def exchange_path(staging: str, step: str, partition: int) -> str:
    return FileSystems.join(staging, EXCHANGE, step, f"part-{partition:05d}.parquet")


def write_partitioned(path: str, table: pa.Table, destinations: np.ndarray, partitions: int) -> dict:
    """Write rows laid out by destination partition; returns the file's entry (empty when no rows)."""
    out = PartitionedFile(path, table.schema, partitions, path, partition_of=lambda t: destinations)
    out.add(table, np.asarray(destinations, dtype=np.int64))
    if not out.close():
        return {}
    return {"path": path, "row_groups": {str(p): groups for p, groups in sorted(out.row_groups.items())}}


def read_destination(entries: list[dict], partition: int, schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    """Every file's rows for one destination partition, files in path order."""
    parts = []
    for entry in sorted((e for e in entries if e), key=lambda e: e["path"]):
        groups = entry["row_groups"].get(str(partition))
        if groups:
            with FileSystems.open(entry["path"], compression_type=CompressionTypes.UNCOMPRESSED) as f:
                parts.append(pq.ParquetFile(f).read_row_groups(groups, columns=columns))
    target = schema if columns is None else pa.schema([schema.field(c) for c in columns])
    return concat(parts, target)


def read_everything(entries: list[dict], schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    """Every row of every file (for small columns every partition needs, such as removed handles)."""
    parts = []
    for entry in sorted((e for e in entries if e), key=lambda e: e["path"]):
        with FileSystems.open(entry["path"], compression_type=CompressionTypes.UNCOMPRESSED) as f:
            parts.append(pq.read_table(f, columns=columns))
    target = schema if columns is None else pa.schema([schema.field(c) for c in columns])
    return concat(parts, target)


def partition_step(pipeline: beam.Pipeline, label: str, partitions: int, fn: beam.DoFn | Callable, *after,
                   tags: tuple[str, ...] = (), main: str | None = None):
    """fn(partition, *entries of each earlier step) for every partition, spread over the workers.

    `after` are PCollections of earlier steps' entries; each reaches fn as a list, which also makes
    this step wait until they are complete. With `tags`, the result has those tagged outputs too.
    """
    do_fn = fn if isinstance(fn, beam.DoFn) else _Call(fn)
    pardo = beam.ParDo(do_fn, *[beam.pvalue.AsList(entries) for entries in after])
    if tags:
        pardo = pardo.with_outputs(*tags, main=main)
    return (
        pipeline
        | f"{label}Partitions" >> beam.Create(range(partitions))
        | f"{label}Spread" >> beam.Reshuffle()
        | label >> pardo
    )


class _Call(beam.DoFn):
    def __init__(self, fn: Callable):
        self.fn = fn

    def process(self, partition: int, *sides):
        yield from self.fn(partition, *sides)
