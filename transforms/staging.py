"""Staged work of a run: what each read task wrote, so texts are written once and never shuffled.

A task (a whole input file, or a byte range of a large one) runs ingest and every per-record stage
in one worker and writes, under STAGING/tasks/<task>/:

    records.parquet   kept rows in their final schema, one row group per partition per flush
    rejects.parquet   rejected rows in the reject schema, laid out the same way
    bands.parquet     near-duplicate band rows (stage `near`), partitioned by band key
    keys.arrow        the small key columns of the kept rows (what dedup reads), one record batch per
                      partition (an exchange file, transforms.exchange: cheaper to open P times)
    task.json         written last: counts, and which row groups hold which partition

A row's partition is a hash of its id; output shards are runs of consecutive partitions, so a shard
writer reads just its partitions' row groups from every task. Every file is written under a
temporary name and renamed into place, and task.json comes last: a task with a task.json is
complete (a retried or resumed task reuses it), one without is redone from the start.
"""

from __future__ import annotations

import json
import uuid

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from transforms.batches import bucket_of, concat, split_by_bucket
from transforms.faults import maybe_fail

TASKS = "tasks"
TASK_FILE = "task.json"
# Staged files are read by the steps after the per-record stages: fast compression beats small files,
# and no column statistics (nothing filters on them; without them a footer of a row group per
# partition reads 1.7x faster).
STAGED_COMPRESSION = {"compression": "zstd", "compression_level": 1, "write_statistics": False}


def task_folder(staging: str, task_key: str) -> str:
    return FileSystems.join(staging, TASKS, task_key)


def write_atomically(path: str, write) -> None:
    """Write through write(file) to a temporary name, then rename: readers never see half a file."""
    temporary = f"{path}.tmp-{uuid.uuid4().hex[:12]}"
    with FileSystems.create(temporary, mime_type="application/octet-stream",
                            compression_type=CompressionTypes.UNCOMPRESSED) as f:
        write(f)
    if FileSystems.exists(path):
        FileSystems.delete([path])
    FileSystems.rename([temporary], [path])


def read_bytes(path: str) -> bytes:
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        return f.read()


def write_json(path: str, document: dict) -> None:
    write_atomically(path, lambda f: f.write(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()))


def read_json(path: str) -> dict:
    return json.loads(read_bytes(path))


class PartitionedFile:
    """Rows buffered and written as row groups of one partition each; remembers which groups hold which."""

    def __init__(self, path: str, schema: pa.Schema, partitions: int, label: str, partition_of=None):
        self.path, self.schema, self.partitions, self.label = path, schema, partitions, label
        # a row's partition: a hash of its id, unless the caller says otherwise (band rows: of their key)
        self.partition_of = partition_of or (lambda table: bucket_of(table.column("id").combine_chunks(), partitions))
        self.buffered: list[pa.Table] = []
        self.buffered_partitions: list[np.ndarray] = []
        self.buffered_bytes = 0
        self.row_groups: dict[int, list[int]] = {}
        self.bytes_by_partition = np.zeros(partitions, dtype=np.int64)
        self.rows = 0
        self._writer = None
        self._file = None
        self._temporary = f"{path}.tmp-{uuid.uuid4().hex[:12]}"
        self._groups_written = 0

    def add(self, table: pa.Table, partitions: np.ndarray | None = None) -> None:
        """Buffer rows; `partitions` when the caller knows them already (else partition_of decides)."""
        if table.num_rows:
            self.buffered.append(table)
            self.buffered_partitions.append(self.partition_of(table) if partitions is None else partitions)
            self.buffered_bytes += table.nbytes
            self.rows += table.num_rows

    def flush(self) -> None:
        if not self.buffered:
            return
        table = concat(self.buffered, self.schema)
        partitions = np.concatenate(self.buffered_partitions)
        self.buffered, self.buffered_partitions, self.buffered_bytes = [], [], 0
        if self._writer is None:
            self._file = FileSystems.create(self._temporary, mime_type="application/octet-stream",
                                            compression_type=CompressionTypes.UNCOMPRESSED)
            self._writer = pq.ParquetWriter(self._file, self.schema, **STAGED_COMPRESSION)
        for partition, rows in split_by_bucket(table, partitions):
            maybe_fail("stage-write", self.label)
            self._writer.write_table(rows, row_group_size=max(rows.num_rows, 1))
            self.row_groups.setdefault(partition, []).append(self._groups_written)
            self._groups_written += 1
            self.bytes_by_partition[partition] += rows.nbytes

    def close(self) -> bool:
        """Finish the file; False when it holds no rows (and was never created)."""
        self.flush()
        if self._writer is None:
            return False
        self._writer.close()
        self._file.close()
        if FileSystems.exists(self.path):
            FileSystems.delete([self.path])
        FileSystems.rename([self._temporary], [self.path])
        return True

    def abort(self) -> None:
        if self._writer is not None:
            try:
                self._writer.close()
                self._file.close()
            finally:
                FileSystems.delete([self._temporary])
            self._writer = None


class TaskWriter:
    """Stages one task's kept records, rejects and keys; flushes every `flush_bytes` of buffered rows."""

    def __init__(self, staging: str, task_key: str, partitions: int, record_schema: pa.Schema,
                 reject_schema: pa.Schema, key_schema: pa.Schema, flush_bytes: int, label: str = "",
                 band_schema: pa.Schema | None = None, matching_schema: pa.Schema | None = None):
        self.folder = task_folder(staging, task_key)
        self.label = label  # what the task reads, for messages
        self.flush_bytes = flush_bytes
        self.records = PartitionedFile(FileSystems.join(self.folder, "records.parquet"), record_schema, partitions, label)
        self.rejects = PartitionedFile(FileSystems.join(self.folder, "rejects.parquet"), reject_schema, partitions, label)
        self.bands = PartitionedFile(FileSystems.join(self.folder, "bands.parquet"), band_schema, partitions, label,
                                      lambda t: (t.column("key").to_numpy() % np.uint64(partitions)).astype(np.int64)
                                      ) if band_schema is not None else None
        # near dedup's matching form of each kept record, in the records' own partitions and order
        self.matching = PartitionedFile(FileSystems.join(self.folder, "matching.parquet"), matching_schema, partitions,
                                        label) if matching_schema is not None else None
        self.key_schema = key_schema
        self.keys: list[pa.Table] = []  # ~100 bytes a record: held until the task is done

    def keep(self, rows: pa.Table, keys: pa.Table, bands: pa.Table | None = None, matching: pa.Table | None = None) -> None:
        partitions = keys.column("partition").to_numpy().astype(np.int64)
        self.records.add(rows, partitions)
        self.keys.append(keys)
        if bands is not None:
            self.bands.add(bands)
        if matching is not None:
            self.matching.add(matching, partitions)
        self._maybe_flush()

    def reject(self, rows: pa.Table) -> None:
        self.rejects.add(rows)
        self._maybe_flush()

    def _files(self) -> list[PartitionedFile]:
        return [f for f in (self.records, self.rejects, self.bands, self.matching) if f is not None]

    def _maybe_flush(self) -> None:
        if sum(f.buffered_bytes for f in self._files()) >= self.flush_bytes:
            for staged in self._files():
                staged.flush()

    def finish(self, stats: dict) -> dict:
        """Close the files, then write task.json; returns the task's entry."""
        from transforms.exchange import write_partitioned  # exchange builds on this module

        entry = {"folder": self.folder, **stats}
        keys = concat(self.keys, self.key_schema)
        entry["keys"] = write_partitioned(FileSystems.join(self.folder, "keys.arrow"), keys,
                                          keys.column("partition").to_numpy().astype(np.int64))
        for name, staged in (("records", self.records), ("rejects", self.rejects), ("bands", self.bands),
                             ("matching", self.matching)):
            if staged is None:
                continue
            present = staged.close()
            entry[name] = {
                "rows": staged.rows,
                "row_groups": {str(p): groups for p, groups in sorted(staged.row_groups.items())} if present else {},
                "bytes": {str(p): int(b) for p, b in enumerate(staged.bytes_by_partition) if b},
            }
        maybe_fail("task-done", self.label)
        write_json(FileSystems.join(self.folder, TASK_FILE), entry)
        return entry

    def abort(self) -> None:
        for staged in self._files():
            staged.abort()


def finished_task(staging: str, task_key: str) -> dict | None:
    """The entry of a task staged by an earlier attempt, or None when it has to be done."""
    done = FileSystems.join(task_folder(staging, task_key), TASK_FILE)
    return read_json(done) if FileSystems.exists(done) else None


def read_task_partition(entry: dict, kind: str, partition: int, schema: pa.Schema) -> pa.Table:
    """One task's rows of one partition (kind "records", "rejects", "bands" or "matching"), in the order it
    staged them."""
    groups = entry.get(kind, {}).get("row_groups", {}).get(str(partition))
    if not groups:
        return schema.empty_table()
    path = FileSystems.join(entry["folder"], f"{kind}.parquet")
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        parquet = pq.ParquetFile(f, metadata=_FOOTERS.get(path))
        _FOOTERS.put(path, parquet.metadata)
        return parquet.read_row_groups(groups)


class _FooterCache:
    """Parquet footers of staged files, kept per worker process. A worker reads one partition of every
    task's file per step, so without it each footer (a row group per partition) is parsed once per
    partition: tasks × partitions times a step, the largest cost of a 10M-record run's later steps.
    A finished task's files never change (a task is redone only while it has no task.json)."""

    def __init__(self, limit: int = 128):
        self.limit, self.footers = limit, {}

    def get(self, path: str):
        return self.footers.get(path)

    def put(self, path: str, metadata) -> None:
        if path not in self.footers and len(self.footers) >= self.limit:
            self.footers.pop(next(iter(self.footers)))
        self.footers[path] = metadata


_FOOTERS = _FooterCache()


def read_partition(entries: list[dict], kind: str, partition: int, schema: pa.Schema) -> pa.Table:
    """Every task's rows of one partition (kind "records" or "rejects"), tasks in a fixed order."""
    return concat([read_task_partition(e, kind, partition, schema) for e in sorted(entries, key=lambda e: e["folder"])], schema)
