"""Shuffles through staging: the steps after the per-record stages exchange their small columns as files.

A step runs once per partition (`partition_step`). It reads what earlier steps wrote for its
partition, and writes what it sends on as one Arrow IPC file per (step, partition) holding one
record batch per destination partition. What travels through the runner is only
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

from collections.abc import Callable, Iterable

import apache_beam as beam
import numpy as np
import pyarrow as pa
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from transforms.batches import concat, split_by_bucket
from transforms.staging import write_atomically
from transforms.stats import step_timer

EXCHANGE = "exchange"
# Uncompressed: files are small and read once soon after; at 181 partitions zstd took 26 s of a 100k
# run to write and 20 s to read (lz4 7 s and 5.5 s), none about 1 s each.
_IPC_OPTIONS = pa.ipc.IpcWriteOptions(compression=None)


def exchange_path(staging: str, step: str, partition: int) -> str:
    return FileSystems.join(staging, EXCHANGE, step, f"part-{partition:05d}.arrow")


def write_partitioned(path: str, table: pa.Table, destinations: np.ndarray) -> dict:
    """Write rows as one record batch per destination partition; returns the file's entry (empty when no rows).

    Arrow IPC files, not Parquet: a reader opens one file per (source, destination) pair, P² opens a
    step, and an IPC footer costs a tenth of a Parquet footer to read."""
    if not table.num_rows:
        return {}
    groups: dict[str, list[int]] = {}
    pieces = split_by_bucket(table.combine_chunks(), np.asarray(destinations, dtype=np.int64))

    def write(f):
        with pa.ipc.new_file(f, table.schema, options=_IPC_OPTIONS) as writer:
            for index, (partition, rows) in enumerate(pieces):
                writer.write_table(rows, max_chunksize=max(rows.num_rows, 1))
                groups[str(partition)] = [index]

    write_atomically(path, write)
    return {"path": path, "row_groups": groups}


def _open(path: str):
    if FileSystems.get_scheme(path) in (None, "file"):
        return pa.OSFile(path, "rb")  # local: no Python file object in between
    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


def _read_groups(entry: dict, groups: list[list[int]] | None, columns: list[str] | None) -> list[pa.Table]:
    """One table per list of batch indices (the whole file when groups is None), the file opened once."""
    with _open(entry["path"]) as f:
        reader = pa.ipc.open_file(f)
        wanted = [range(reader.num_record_batches)] if groups is None else groups
        tables = [pa.Table.from_batches([reader.get_batch(i) for i in indices], schema=reader.schema)
                  for indices in wanted]
        return [t.select(columns) for t in tables] if columns is not None else tables


def _read(entry: dict, groups: list[int] | None, columns: list[str] | None) -> pa.Table:
    return _read_groups(entry, None if groups is None else [groups], columns)[0]


def _target(schema: pa.Schema, columns: list[str] | None) -> pa.Schema:
    return schema if columns is None else pa.schema([schema.field(c) for c in columns])


def read_destinations(entries: list[dict], partitions: Iterable[int], schema: pa.Schema,
                      columns: list[str] | None = None) -> dict[int, pa.Table]:
    """Every file's rows for each of several destination partitions, files in path order; each file is
    opened once for all of them (a shard writer's partitions, a key group's partitions)."""
    partitions = list(partitions)
    parts: dict[int, list[pa.Table]] = {p: [] for p in partitions}
    for entry in sorted((e for e in entries if e), key=lambda e: e["path"]):
        present = [p for p in partitions if entry["row_groups"].get(str(p))]
        if present:
            tables = _read_groups(entry, [entry["row_groups"][str(p)] for p in present], columns)
            for p, table in zip(present, tables):
                parts[p].append(table)
    target = _target(schema, columns)
    return {p: concat(tables, target) for p, tables in parts.items()}


def read_destination(entries: list[dict], partition: int, schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    """Every file's rows for one destination partition, files in path order."""
    return read_destinations(entries, [partition], schema, columns)[partition]


def read_everything(entries: list[dict], schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    """Every row of every file (for small columns every partition needs, such as removed handles)."""
    parts = [_read(entry, None, columns) for entry in sorted((e for e in entries if e), key=lambda e: e["path"])]
    return concat(parts, _target(schema, columns))


def partition_step(pipeline: beam.Pipeline, label: str, partitions: int, fn: beam.DoFn | Callable, *after,
                   tags: tuple[str, ...] = (), main: str | None = None):
    """fn(partition, *entries of each earlier step) for every partition, spread over the workers.

    `after` are PCollections of earlier steps' entries; each reaches fn as a list, which also makes
    this step wait until they are complete. With `tags`, the result has those tagged outputs too.
    """
    do_fn = _Timed(label, fn if isinstance(fn, beam.DoFn) else _Call(fn))
    pardo = beam.ParDo(do_fn, *[beam.pvalue.AsList(entries) for entries in after])
    if tags:
        pardo = pardo.with_outputs(*tags, main=main)
    return (
        pipeline
        | f"{label}Partitions" >> beam.Create(range(partitions), reshuffle=False)  # spread by the next step
        | f"{label}Spread" >> beam.Reshuffle()
        | label >> pardo
    )


class _Timed(beam.DoFn):
    """The step's DoFn, its worker time counted (metric `step_ms`, for the manifest's profile of the run)."""

    def __init__(self, label: str, fn: beam.DoFn):
        self.label, self.fn = label, fn

    def setup(self):
        self.fn.setup()

    def process(self, partition: int, *sides):
        with step_timer(self.label):
            yield from self.fn.process(partition, *sides)

    def teardown(self):
        self.fn.teardown()


class _Call(beam.DoFn):
    def __init__(self, fn: Callable):
        self.fn = fn

    def process(self, partition: int, *sides):
        yield from self.fn(partition, *sides)
