"""Ids made unique, then stage `exact`: global exact dedup that shuffles only small key columns.

Every read task stages its keys (id, source, source_row, partition, priority, bytes, 128-bit content
hash) laid out by partition; a key group's keys (those of a few consecutive partitions) are read on
one worker and sorted, so equal keys sit next to each other. Two exchanges of keys through staged
files (transforms.exchange), never of texts:
  1. by id: the first record of an id (by source, source_row) keeps it; later ones are
     `duplicate_id` rejects (stage ingest);
  2. by content hash: the survivor of each group of equal hashes is the smallest
     (source priority, id, source, source_row); the others are `exact_duplicate` rejects whose
     detail names it in `duplicate_of`.
The result is a PCollection of decision files' entries (which record goes, and why, laid out by the
partition the record is staged in) and the bytes that stay per partition; records meet their
decisions when the shard writers read them from staging.
"""

from __future__ import annotations

import fnmatch
import json
import math
from collections.abc import Iterable

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from apache_beam.metrics import Metrics

from filters.normalize import dedup_hashes
from pipelines.config import ExactConfig, RecordFormat
from pipelines.records import content_columns
from transforms.batches import bucket_of, concat, content_bytes
from transforms.exchange import exchange_path, partition_step, read_destination, read_destinations, write_partitioned

KEY_SCHEMA = pa.schema([
    ("id", pa.string()), ("source", pa.string()), ("source_row", pa.int64()), ("partition", pa.int32()),
    ("priority", pa.int32()), ("nbytes", pa.int64()), ("hash_hi", pa.uint64()), ("hash_lo", pa.uint64()),
    ("handle", pa.uint64()),  # where stage `near` finds the record (transforms.near); 0 when near does not run
])
DECISION_SCHEMA = pa.schema([
    ("id", pa.string()), ("source", pa.string()), ("source_row", pa.int64()), ("partition", pa.int32()),
    ("stage", pa.string()), ("reason", pa.string()), ("detail", pa.string()), ("handle", pa.uint64()),
])
FIELD_SEPARATOR = "\u241f"  # joins SFT fields into one hashed string; survives every normal form


def dedup_text(batch: pa.RecordBatch, fmt: RecordFormat) -> pa.Array:
    """The text whose normalised form decides exact duplicates."""
    if fmt is RecordFormat.web:
        return batch.column("text")
    if fmt is RecordFormat.alpaca:
        cols = [pc.fill_null(batch.column(n), "") for n in content_columns(fmt)]
        return pc.binary_join_element_wise(*cols, FIELD_SEPARATOR)
    conversations = batch.column("conversations")
    turns = pc.list_flatten(conversations)
    tagged = pc.binary_join_element_wise(turns.field("from"), turns.field("value"), ":")
    offsets = conversations.offsets
    return pc.binary_join(pa.ListArray.from_arrays(pc.subtract(offsets, offsets[0]), tagged), FIELD_SEPARATOR)


def source_priority(sources: pa.Array, patterns: list[str]) -> np.ndarray:
    """Index of the first pattern a source matches (len(patterns) when none): lower survives."""
    if not patterns:
        return np.zeros(len(sources), np.int32)
    unique = pc.unique(sources)
    ranks = np.array([next((i for i, p in enumerate(patterns) if fnmatch.fnmatchcase(s, p)), len(patterns))
                      for s in unique.to_pylist()], dtype=np.int32)
    return ranks[pc.index_in(sources, value_set=unique).to_numpy(zero_copy_only=False)]


def key_rows(batch: pa.RecordBatch, fmt: RecordFormat, cfg: ExactConfig, hashed: bool, partitions: int,
             handles: np.ndarray | None = None) -> pa.Table:
    """The key columns of a batch; `partition` is where the record is staged and written (hash of its id)."""
    n = batch.num_rows
    if hashed:
        high, low = dedup_hashes(dedup_text(batch, fmt), cfg)
    else:
        high = low = np.zeros(n, dtype=np.uint64)
    return pa.Table.from_arrays(
        [
            batch.column("id"), batch.column("source"), batch.column("source_row"),
            pa.array(bucket_of(batch.column("id"), partitions).astype(np.int32)),
            pa.array(source_priority(batch.column("source"), cfg.source_priority)),
            pa.array(content_bytes(batch, content_columns(fmt))),
            pa.array(high), pa.array(low), pa.array(np.zeros(n, np.uint64) if handles is None else handles),
        ],
        schema=KEY_SCHEMA,
    )


def _run_starts(same_as_previous: np.ndarray) -> np.ndarray:
    """For each row, the index of the first row of its run of equal keys."""
    starts = np.where(same_as_previous, 0, np.arange(len(same_as_previous)))
    return np.maximum.accumulate(starts) if len(starts) else starts


def _decisions(rows: pa.Table, stage: str, reason: str, details: list[str]) -> pa.Table:
    n = rows.num_rows
    return pa.Table.from_arrays(
        [rows.column("id"), rows.column("source"), rows.column("source_row"), rows.column("partition"),
         pa.array([stage] * n, pa.string()), pa.array([reason] * n, pa.string()), pa.array(details, pa.string()),
         rows.column("handle")],
        schema=DECISION_SCHEMA,
    )


def unique_ids(keys: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(survivors, duplicate_id decisions): the first record of every id stays."""
    keys = keys.sort_by([("id", "ascending"), ("source", "ascending"), ("source_row", "ascending")])
    ids = keys.column("id").to_numpy(zero_copy_only=False)
    same = np.r_[False, ids[1:] == ids[:-1]] if len(ids) else np.zeros(0, bool)
    first = _run_starts(same)
    losers = np.flatnonzero(same)
    sources = keys.column("source").to_pylist()
    rows = keys.column("source_row").to_pylist()
    details = [json.dumps({"first_seen": f"{sources[first[i]]}:{rows[first[i]]}"}, ensure_ascii=False) for i in losers]
    return keys.filter(pa.array(~same)), _decisions(keys.take(pa.array(losers, pa.int64())), "ingest", "duplicate_id", details)


def exact_duplicates(keys: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(survivors, exact_duplicate decisions) among keys that share a content hash."""
    keys = keys.sort_by([
        ("hash_hi", "ascending"), ("hash_lo", "ascending"), ("priority", "ascending"),
        ("id", "ascending"), ("source", "ascending"), ("source_row", "ascending"),
    ])
    hi = keys.column("hash_hi").to_numpy()
    lo = keys.column("hash_lo").to_numpy()
    same = np.r_[False, (hi[1:] == hi[:-1]) & (lo[1:] == lo[:-1])] if len(hi) else np.zeros(0, bool)
    first = _run_starts(same)
    losers = np.flatnonzero(same)
    ids = keys.column("id").to_pylist()
    details = [json.dumps({"duplicate_of": ids[first[i]]}, ensure_ascii=False) for i in losers]
    return keys.filter(pa.array(~same)), _decisions(keys.take(pa.array(losers, pa.int64())), "exact", "exact_duplicate", details)


def kept_bytes_by_partition(survivors: pa.Table):
    """(partition, bytes) of the records that stay, for every partition they fall in."""
    if not survivors.num_rows:
        return []
    partitions = survivors.column("partition").to_numpy()
    sums = np.bincount(partitions, weights=survivors.column("nbytes").to_numpy(), minlength=int(partitions.max()) + 1)
    return [(int(p), int(sums[p])) for p in np.flatnonzero(np.bincount(partitions))]


def decision_entry(staging: str, step: str, partition: int, decisions: pa.Table) -> dict:
    """Stage decisions laid out by the partition of the record they name (what shard writers read)."""
    return write_partitioned(exchange_path(staging, step, partition), decisions,
                             decisions.column("partition").to_numpy().astype(np.int64))


def read_decisions(entries: list[dict], partition: int, columns: list[str] | None = None) -> pa.Table:
    """Every decision about the records of one partition."""
    return read_destination(entries, partition, DECISION_SCHEMA, columns)


def read_shard_decisions(entries: list[dict], partitions: Iterable[int]) -> dict[int, pa.Table]:
    """Every decision about the records of each of several partitions (a shard's)."""
    return read_destinations(entries, partitions, DECISION_SCHEMA)


# A record's keys take about a sixth of its staged bytes (~100 of ~600 for web text), so one key step
# holds the keys of several partitions. Grouping cuts the exchanges' file reads, which grow with the
# square of the step count (tasks x groups by id, then groups² by hash): at 1M records with 181
# partitions they took 55 of a run's 124 s. Decisions do not depend on the grouping.
PARTITIONS_PER_KEY_GROUP = 8
MIN_KEY_GROUPS = 8  # enough steps to keep a few workers busy on small runs


def key_group_count(partitions: int) -> int:
    return max(min(partitions, MIN_KEY_GROUPS), math.ceil(partitions / PARTITIONS_PER_KEY_GROUP))


def partitions_of_group(group: int, groups: int, partitions: int) -> range:
    """The consecutive data partitions whose keys key group `group` of `groups` handles."""
    return range(group * partitions // groups, (group + 1) * partitions // groups)


class _UniqueIdsFn(beam.DoFn):
    """Key group g: its partitions' keys from every task → duplicate_id decisions, survivors sent on by
    content hash (an id's records share a partition, so they meet in one group)."""

    def __init__(self, staging: str, hashed: bool, partitions: int, groups: int):
        self.staging, self.hashed, self.partitions, self.groups = staging, hashed, partitions, groups

    def process(self, group: int, tasks: list[dict]):
        keys = read_destinations([task["keys"] for task in tasks],
                                 partitions_of_group(group, self.groups, self.partitions), KEY_SCHEMA)
        survivors, decisions = unique_ids(concat(keys.values(), KEY_SCHEMA))
        Metrics.counter("ingest", "duplicate_id").inc(decisions.num_rows)
        if decisions.num_rows:
            yield beam.pvalue.TaggedOutput("decisions", decision_entry(self.staging, "ids", group, decisions))
        if self.hashed:
            destinations = (survivors.column("hash_lo").to_numpy() % np.uint64(self.groups)).astype(np.int64)
            yield write_partitioned(exchange_path(self.staging, "by-hash", group), survivors, destinations)
        else:
            for kept in kept_bytes_by_partition(survivors):
                yield beam.pvalue.TaggedOutput("kept_bytes", kept)


class _ExactFn(beam.DoFn):
    """Hash group h: the keys of every key group that hash there → exact_duplicate decisions."""

    def __init__(self, staging: str):
        self.staging = staging

    def process(self, group: int, by_hash: list[dict]):
        survivors, decisions = exact_duplicates(read_destination(by_hash, group, KEY_SCHEMA))
        Metrics.counter("exact", "exact_duplicate").inc(decisions.num_rows)
        if decisions.num_rows:
            yield beam.pvalue.TaggedOutput("decisions", decision_entry(self.staging, "exact", group, decisions))
        for kept in kept_bytes_by_partition(survivors):
            yield beam.pvalue.TaggedOutput("kept_bytes", kept)


class Deduplicate(beam.PTransform):
    """Task entries → (decision entries, (partition, kept bytes)): unique ids, then exact copies.

    Only keys move, through staged files (transforms.exchange): texts stay in staging until the
    shard writers read them.
    """

    def __init__(self, staging: str, exact: bool, partitions: int):
        super().__init__()
        self.staging, self.exact, self.partitions = staging, exact, partitions

    def expand(self, tasks):
        p = tasks.pipeline
        groups = key_group_count(self.partitions)
        by_id = partition_step(p, "UniqueIds", groups, _UniqueIdsFn(self.staging, self.exact, self.partitions, groups),
                               tasks, tags=("decisions", "kept_bytes"), main="by_hash")
        if not self.exact:
            return by_id.decisions, by_id.kept_bytes
        by_hash = partition_step(p, "ExactDuplicates", groups, _ExactFn(self.staging),
                                 by_id.by_hash, tags=("decisions", "kept_bytes"))
        decisions = (by_id.decisions, by_hash.decisions) | "AllDecisions" >> beam.Flatten()
        return decisions, by_hash.kept_bytes
