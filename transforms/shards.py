"""Write data/ and rejects/ shards from staged partitions, one partition at a time.

A record's partition is a hash of its id (transforms.staging); shard k of N is the run of partitions
p with p·N // P == k, so a shard writer reads only its partitions' row groups from every task. Rows
are sorted by id inside each partition, so the bytes of every shard depend only on the input and the
config, never on the workers, the batch size or how tasks flushed. A writer holds one partition (and
one row group being filled), not one shard: memory does not grow with the corpus.

Records meet their dedup decisions here, partition by partition (each partition reads the decisions
staged for it); the records a decision removes
are staged under dedup/ for the reject shards, which are written after every data shard.
Every shard number is written (an empty shard too), so `part-XXXXX-of-NNNNN` is always a complete set.
"""

from __future__ import annotations

import hashlib
import io

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from pipelines.config import OutputConfig
from transforms.batches import ROW_ORDER, concat, conform, shard_count
from transforms.dedup import read_shard_decisions
from transforms.faults import maybe_fail
from transforms.staging import STAGED_COMPRESSION, read_partition, write_atomically
from transforms.stats import step_timer


def shard_name(kind: str, index: int, count: int) -> str:
    return f"{kind}/part-{index:05d}-of-{count:05d}.parquet"


def partitions_of_shard(shard: int, shards: int, partitions: int) -> range:
    """The partitions p with p * shards // partitions == shard (never empty while shards <= partitions)."""
    return range(-(-shard * partitions // shards), -(-(shard + 1) * partitions // shards))


def shard_of_partition(partition: np.ndarray, shards: int, partitions: int) -> np.ndarray:
    return partition.astype(np.int64) * shards // partitions


class _HashingWriter(io.RawIOBase):
    """Passes bytes on to a file while counting and hashing them (for the manifest)."""

    def __init__(self, target):
        self._target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.sha256.update(data)
        self.size += len(data)
        self._target.write(data)
        return len(data)


class ShardWriter:
    """Streams sorted pieces into one Parquet shard in row groups of exactly `row_group_rows` (the last
    may be shorter), so the file does not depend on where the pieces were cut."""

    def __init__(self, path: str, schema: pa.Schema, cfg: OutputConfig):
        compression = None if cfg.compression == "none" else cfg.compression
        level = cfg.compression_level if compression in ("zstd", "gzip") else None
        self.path, self.schema, self.group = path, schema, cfg.row_group_rows
        self._file = FileSystems.create(path)
        self._sink = _HashingWriter(self._file)
        self._writer = pq.ParquetWriter(self._sink, schema, compression=compression, compression_level=level)
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        self._pending.append(table)
        self._pending_rows += table.num_rows
        if self._pending_rows >= self.group:
            pending = concat(self._pending, self.schema)
            full = pending.num_rows - pending.num_rows % self.group
            for start in range(0, full, self.group):
                self._write_group(pending.slice(start, self.group))
            rest = pending.slice(full)
            self._pending, self._pending_rows = [rest], rest.num_rows

    def _write_group(self, rows: pa.Table) -> None:
        # Parquet cuts pages where the input's chunks end: one chunk per group keeps the bytes a function of the rows
        self._writer.write_table(rows.combine_chunks(), row_group_size=self.group)
        self.rows += rows.num_rows

    def close(self) -> dict:
        """Finish the file; returns its manifest entry (rows, bytes, sha256)."""
        if self._pending_rows:
            self._write_group(concat(self._pending, self.schema))
        self._writer.close()
        self._file.close()
        return {"rows": self.rows, "bytes": self._sink.size, "sha256": self._sink.sha256.hexdigest()}


def write_parquet(table: pa.Table, path: str, cfg: OutputConfig) -> dict:
    writer = ShardWriter(path, table.schema, cfg)
    writer.write(table)
    return writer.close()


def match_decisions(records: pa.Table, decisions: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """(record row, decision row) pairs of records that a decision names, by (id, source, source_row):
    the pieces of a split conversation share their source row and differ in id."""
    keys = ["id", "source", "source_row"]
    left = pa.table({**{k: records.column(k) for k in keys}, "record_row": pa.array(np.arange(records.num_rows))})
    right = pa.table({**{k: decisions.column(k) for k in keys}, "decision_row": pa.array(np.arange(decisions.num_rows))})
    pairs = left.join(right, keys=keys, join_type="inner")
    return pairs.column("record_row").to_numpy(), pairs.column("decision_row").to_numpy()


def apply_decisions(records: pa.Table, decisions: pa.Table, reject_schema: pa.Schema) -> tuple[np.ndarray, pa.Table]:
    """(the rows of records that stay, in id order; the records decisions remove as reject rows)."""
    keep = np.ones(records.num_rows, dtype=bool)
    rejects = reject_schema.empty_table()
    if decisions.num_rows:
        record_rows, decision_rows = match_decisions(records, decisions)
        keep[record_rows] = False
        rejects = records.take(pa.array(record_rows))
        for name in ("stage", "reason", "detail"):
            rejects = rejects.append_column(name, decisions.column(name).take(pa.array(decision_rows)))
        rejects = conform(rejects, reject_schema)
    order = pc.sort_indices(records.select(["id", "source", "source_row"]), sort_keys=ROW_ORDER).to_numpy()
    return order[keep[order]], rejects


def value_counts(column) -> dict:
    counts = pc.value_counts(column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column)
    return {item["values"]: item["counts"] for item in counts.to_pylist() if item["values"] is not None}


def token_sums(table: pa.Table, key: str) -> dict:
    """Tokens of the rows, summed by the values of one column (language or source)."""
    grouped = table.select([key, "tokens"]).group_by(key).aggregate([("tokens", "sum")])
    return {row[key]: row["tokens_sum"] or 0 for row in grouped.to_pylist() if row[key] is not None}


def add_counts(total: dict, more: dict) -> None:
    for key, count in more.items():
        total[key] = total.get(key, 0) + count


def dedup_reject_path(staging: str, partition: int) -> str:
    return FileSystems.join(staging, "dedup", f"partition-{partition:05d}.parquet")


def every_shard(count, label: str):
    """(index, None) for every shard index of the one-element `count`, so that empty shards are written too."""
    return (
        count
        | f"{label}Indices" >> beam.FlatMap(lambda n: [(i, None) for i in range(n)])
        | f"{label}Spread" >> beam.Reshuffle()  # one shard per bundle, so workers share the writing
    )


def scores_column(kept: pa.Table, scores: pa.Table) -> pa.Array:  # scores: id, source, source_row, moderation
    """The `moderation` value of each kept row (by id, source, source_row) from the partition's staged scores."""
    column = np.full(kept.num_rows, None, dtype=object)
    if scores.num_rows:
        rows, score_rows = match_decisions(kept, scores)
        column[rows] = scores.column("moderation").take(pa.array(score_rows)).to_pylist()
    return pa.array(column, pa.string())


class _WriteDataShardFn(beam.DoFn):
    def __init__(self, staging: str, partitions: int, record_schema: pa.Schema, reject_schema: pa.Schema, cfg: OutputConfig,
                 scores=None):
        self.staging, self.partitions, self.cfg = staging, partitions, cfg
        self.record_schema, self.reject_schema = record_schema, reject_schema
        self.scores = scores  # reads a partition's staged moderation scores, when that stage runs

    def process(self, element, count: int, tasks: list[dict], decisions: list[dict]):
        with step_timer("WriteData"):
            yield from self._write(element, count, tasks, decisions)

    def _write(self, element, count: int, tasks: list[dict], decisions: list[dict]):
        index, _ = element
        name = shard_name("data", index, count)
        maybe_fail("assemble", name)
        writer = ShardWriter(FileSystems.join(self.staging, name), self.record_schema, self.cfg)
        languages: dict = {}
        tokens: dict = {}
        mine = partitions_of_shard(index, count, self.partitions)
        decided = read_shard_decisions(decisions, mine)  # small: every decision file opened once per shard
        for partition in mine:
            records = read_partition(tasks, "records", partition, self.record_schema)
            order, rejects = apply_decisions(records, decided.pop(partition), self.reject_schema)
            if rejects.num_rows:
                write_atomically(dedup_reject_path(self.staging, partition),
                                 lambda f, rows=rejects: pq.write_table(rows, f, **STAGED_COMPRESSION))
                yield beam.pvalue.TaggedOutput("dedup_rejects", (partition, int(rejects.nbytes)))
            del rejects
            small = records.select([c for c in ("id", "source", "source_row", "lang", "tokens") if c in records.column_names])
            small = small.take(pa.array(order))
            moderation = scores_column(small, self.scores(self.staging, partition)) if self.scores is not None else None
            if "lang" in small.column_names:
                add_counts(languages, value_counts(small.column("lang")))
            if "tokens" in small.column_names:
                for key in ("lang", "source"):
                    if key in small.column_names:
                        add_counts(tokens.setdefault(key, {}), token_sums(small, key))
            # the texts are gathered a row group at a time, so a writer holds one copy of its partition
            step = self.cfg.row_group_rows
            for start in range(0, len(order), step):
                kept = records.take(pa.array(order[start:start + step]))
                if moderation is not None:
                    kept = kept.set_column(kept.schema.get_field_index("moderation"), "moderation",
                                           moderation.slice(start, step))
                writer.write(kept)
            del records
        entry = writer.close()
        Metrics.counter("output", "kept").inc(entry["rows"])
        yield {"data_shards": [{"path": name, **entry}], "kept": entry["rows"], "languages": {"kept": languages},
               **({"tokens": {"by_" + key: sums for key, sums in tokens.items()}} if tokens else {})}


class _WriteRejectShardFn(beam.DoFn):
    def __init__(self, staging: str, partitions: int, reject_schema: pa.Schema, cfg: OutputConfig):
        self.staging, self.partitions, self.reject_schema, self.cfg = staging, partitions, reject_schema, cfg

    def process(self, element, count: int, tasks: list[dict], dedup_rejects: list[tuple[int, int]]):
        with step_timer("WriteRejects"):
            yield from self._write(element, count, tasks, dedup_rejects)

    def _write(self, element, count: int, tasks: list[dict], dedup_rejects: list[tuple[int, int]]):
        index, _ = element
        with_dedup = {partition for partition, _ in dedup_rejects}
        name = shard_name("rejects", index, count)
        writer = ShardWriter(FileSystems.join(self.staging, name), self.reject_schema, self.cfg)
        reasons: dict[str, dict[str, int]] = {}
        languages: dict = {}
        for partition in partitions_of_shard(index, count, self.partitions):
            parts = [read_partition(tasks, "rejects", partition, self.reject_schema)]
            if partition in with_dedup:
                parts.append(pq.read_table(FileSystems.open(dedup_reject_path(self.staging, partition))))
            rejects = concat(parts, self.reject_schema).sort_by(ROW_ORDER)
            for row in rejects.group_by(["stage", "reason"]).aggregate([("id", "count")]).to_pylist():
                add_counts(reasons.setdefault(row["stage"], {}), {row["reason"]: row["id_count"]})
            if "lang" in rejects.column_names:
                add_counts(languages, value_counts(rejects.filter(pc.equal(rejects.column("stage"), "lang")).column("lang")))
            writer.write(rejects)
        entry = writer.close()
        stats = {"reject_shards": [{"path": name, **entry}], "rejected": entry["rows"], "rejects": reasons}
        if languages:
            stats["languages"] = {"rejected": languages}
        yield stats


def _shard_count(byte_counts, target: int, partitions: int, label: str):
    return (
        byte_counts
        | f"{label}Bytes" >> beam.CombineGlobally(sum)
        | f"{label}ShardCount" >> beam.Map(lambda total: min(partitions, shard_count(total, target)))
    )


class WriteDataShards(beam.PTransform):
    """(decision entries, (partition, kept bytes), task entries) → (shard stats, (partition, dedup reject bytes))."""

    def __init__(self, staging: str, partitions: int, record_schema, reject_schema, cfg: OutputConfig, scores=None):
        super().__init__()
        self.fn = _WriteDataShardFn(staging, partitions, record_schema, reject_schema, cfg, scores)
        self.partitions, self.cfg = partitions, cfg

    def expand(self, inputs):
        decisions, kept_bytes, tasks = inputs
        count = _shard_count(kept_bytes | "KeptBytes" >> beam.Values(), self.cfg.target_shard_bytes, self.partitions, "Data")
        written = every_shard(count, "Data") | "WriteData" >> beam.ParDo(
            self.fn, beam.pvalue.AsSingleton(count), beam.pvalue.AsList(tasks), beam.pvalue.AsList(decisions)
        ).with_outputs("dedup_rejects", main="stats")
        return written.stats, written.dedup_rejects


def _reject_bytes(entry: dict) -> int:
    return sum(entry["rejects"]["bytes"].values())


class WriteRejectShards(beam.PTransform):
    """(task entries, (partition, dedup reject bytes)) → reject shard stats; runs after the data shards."""

    def __init__(self, staging: str, partitions: int, reject_schema: pa.Schema, cfg: OutputConfig):
        super().__init__()
        self.fn = _WriteRejectShardFn(staging, partitions, reject_schema, cfg)
        self.partitions, self.cfg = partitions, cfg

    def expand(self, inputs):
        tasks, dedup_rejects = inputs
        sizes = (
            (tasks | "TaskRejectBytes" >> beam.Map(_reject_bytes), dedup_rejects | "DedupRejectBytes" >> beam.Values())
            | "RejectSizes" >> beam.Flatten()
        )
        count = _shard_count(sizes, self.cfg.target_shard_bytes, self.partitions, "Rejects")
        return every_shard(count, "Rejects") | "WriteRejects" >> beam.ParDo(
            self.fn, beam.pvalue.AsSingleton(count), beam.pvalue.AsList(tasks), beam.pvalue.AsList(dedup_rejects))
