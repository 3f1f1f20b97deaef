"""Small operations on Arrow record batches shared by the stages."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from filters.normalize import hash128


def conform(batch: pa.RecordBatch | pa.Table, schema: pa.Schema) -> pa.RecordBatch | pa.Table:
    """The batch with exactly `schema`'s columns, in order; absent ones are all null."""
    columns = []
    for field in schema:
        index = batch.schema.get_field_index(field.name)
        column = batch.column(index) if index >= 0 else pa.nulls(batch.num_rows, field.type)
        columns.append(column if column.type == field.type else column.cast(field.type))
    if isinstance(batch, pa.Table):
        return pa.Table.from_arrays(columns, schema=schema)
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def with_verdicts(batch: pa.RecordBatch, stage: str, reasons: list, details: list) -> pa.RecordBatch:
    """Reject rows: the batch plus stage, reason and detail columns."""
    columns = [*batch.columns, pa.array([stage] * batch.num_rows, pa.string()), pa.array(reasons, pa.string()),
               pa.array(details, pa.string())]
    return pa.RecordBatch.from_arrays(columns, names=[*batch.schema.names, "stage", "reason", "detail"])


def concat(batches: Iterable[pa.RecordBatch | pa.Table], schema: pa.Schema) -> pa.Table:
    """One table over the batches, without copying them (its columns are chunked)."""
    tables = [pa.Table.from_batches([b]) if isinstance(b, pa.RecordBatch) else b for b in batches if b is not None]
    tables = [conform(t, schema) for t in tables if t.num_rows]
    return pa.concat_tables(tables) if tables else schema.empty_table()


def bucket_of(keys: pa.Array, buckets: int) -> np.ndarray:
    """A stable bucket in [0, buckets) for every string key (xxh3-128 low half, modulo)."""
    _, low = hash128(keys)
    return (low % np.uint64(buckets)).astype(np.int64)


def split_by_bucket(batch: pa.RecordBatch | pa.Table, buckets: np.ndarray) -> list[tuple[int, pa.RecordBatch | pa.Table]]:
    """One (bucket, rows) pair per bucket present, rows in their original order."""
    if not len(buckets):
        return []
    order = np.argsort(buckets, kind="stable")
    sorted_buckets = buckets[order]
    starts = np.flatnonzero(np.r_[True, sorted_buckets[1:] != sorted_buckets[:-1]])
    ends = np.r_[starts[1:], len(order)]
    # one gather, then zero-copy slices: a take per bucket cost most of a staged write with many partitions
    ordered = batch.take(pa.array(order))
    return [(int(sorted_buckets[s]), ordered.slice(s, e - s)) for s, e in zip(starts, ends)]


def shard_count(total_bytes: int, target_bytes: int) -> int:
    return max(1, math.ceil(total_bytes / target_bytes))


ROW_ORDER = [("id", "ascending"), ("source", "ascending"), ("source_row", "ascending")]


def sort_rows(table: pa.Table) -> pa.Table:
    return table.sort_by(ROW_ORDER)


def mask_rows(batch, mask: np.ndarray):
    return batch.filter(pa.array(mask, pa.bool_()))


def content_measure(table, content: list[str], measure=pc.binary_length) -> np.ndarray:
    """Per row, `measure` (UTF-8 bytes by default; pc.utf8_length for characters) summed over the
    content columns; a ShareGPT turn list counts the values of all its turns."""
    total = np.zeros(table.num_rows, dtype=np.int64)
    for name in content:
        column = table.column(name)
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        if pa.types.is_list(column.type):
            per_turn = pc.fill_null(measure(pc.list_flatten(column).field("value")), 0)
            offsets = column.offsets.to_numpy()
            offsets = offsets - offsets[0]
            padded = np.r_[per_turn.to_numpy(zero_copy_only=False).astype(np.int64), 0]
            sums = np.add.reduceat(padded, offsets[:-1]) if table.num_rows else np.zeros(0, dtype=np.int64)
            sums[offsets[:-1] == offsets[1:]] = 0
            total += sums
        else:
            total += pc.fill_null(measure(column), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    return total


def content_bytes(table, content: list[str]) -> np.ndarray:
    return content_measure(table, content, pc.binary_length)


def with_length(table: pa.Table | pa.RecordBatch, content: list[str]) -> pa.Table:
    """The rows as a table with `length`: characters of the record's content (all SFT fields and turns)."""
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    lengths = content_measure(table, content, pc.utf8_length)
    index = table.schema.get_field_index("length")
    if index >= 0:
        table = table.remove_column(index)
    return table.append_column("length", pa.array(lengths, pa.int64()))
