"""Write data/ and rejects/ shards: rows go to shard hash(id) mod N and are sorted by id inside it,
so the bytes of every shard depend only on the input and the config, never on the workers.

Records meet their dedup decisions here: both are keyed by the data shard of their id, so the one
shuffle that shards must do anyway also joins them. Every shard number is present in the join (an
empty shard is still written), so `part-XXXXX-of-NNNNN` is always a complete set.
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

from pipelines.config import OutputConfig, RecordFormat
from pipelines.records import content_columns
from transforms.batches import ROW_ORDER, bucket_of, concat, conform, content_measure, shard_count, split_by_bucket
from transforms.dedup import DECISION_SCHEMA
from transforms.packing import Packed, unpacked


def shard_name(kind: str, index: int, count: int) -> str:
    return f"{kind}/part-{index:05d}-of-{count:05d}.parquet"


def add_length(table: pa.Table, fmt: RecordFormat) -> pa.Table:
    """`length`: characters of the record's content (all SFT fields and turns together)."""
    lengths = content_measure(table, content_columns(fmt), pc.utf8_length)
    index = table.schema.get_field_index("length")
    if index >= 0:
        table = table.remove_column(index)
    return table.append_column("length", pa.array(lengths, pa.int64()))


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


def write_parquet(table: pa.Table, path: str, cfg: OutputConfig) -> dict:
    """Stream one shard to its file; returns its manifest entry (rows, bytes, sha256)."""
    compression = None if cfg.compression == "none" else cfg.compression
    level = cfg.compression_level if compression in ("zstd", "gzip") else None
    with FileSystems.create(path) as f:
        sink = _HashingWriter(f)
        pq.write_table(table, sink, compression=compression, compression_level=level, row_group_size=cfg.row_group_rows)
    return {"rows": table.num_rows, "bytes": sink.size, "sha256": sink.sha256.hexdigest()}


def match_decisions(records: pa.Table, decisions: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """(record row, decision row) pairs of records that a decision names, by (source, source_row)."""
    left = pa.table({"source": records.column("source"), "source_row": records.column("source_row"),
                     "record_row": pa.array(np.arange(records.num_rows))})
    right = pa.table({"source": decisions.column("source"), "source_row": decisions.column("source_row"),
                      "decision_row": pa.array(np.arange(decisions.num_rows))})
    pairs = left.join(right, keys=["source", "source_row"], join_type="inner")
    return pairs.column("record_row").to_numpy(), pairs.column("decision_row").to_numpy()


def value_counts(column) -> dict:
    counts = pc.value_counts(column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column)
    return {item["values"]: item["counts"] for item in counts.to_pylist() if item["values"] is not None}


class KeyByShard(beam.DoFn):
    """(shard of id, rows) for the rows of a batch; the shard count comes as a side input.

    With pack=True the rows travel compressed (see transforms.packing): they carry whole texts.
    """

    def __init__(self, pack: bool = False):
        self.pack = pack

    def process(self, batch, count: int):
        batch = unpacked(batch)
        if batch.num_rows:
            for shard, rows in split_by_bucket(batch, bucket_of(batch.column("id"), count)):
                yield shard, Packed(rows) if self.pack else rows


def every_shard(pbegin, count, label: str):
    """(index, None) for every shard index, so that empty shards are written too."""
    return (
        pbegin
        | f"{label}Seed" >> beam.Create([None])
        | f"{label}Indices" >> beam.FlatMap(lambda _, n: [(i, None) for i in range(n)], beam.pvalue.AsSingleton(count))
    )


class _WriteDataShardFn(beam.DoFn):
    def __init__(self, staging: str, fmt: RecordFormat, record_schema: pa.Schema, reject_schema: pa.Schema, cfg: OutputConfig):
        self.staging, self.fmt, self.record_schema, self.reject_schema, self.cfg = staging, fmt, record_schema, reject_schema, cfg

    def process(self, element, count: int):
        index, groups = element
        records = concat(map(unpacked, groups["records"]), self.record_schema.remove(self.record_schema.get_field_index("length")))
        decisions = concat(groups["decisions"], DECISION_SCHEMA)
        keep = np.ones(records.num_rows, dtype=bool)
        if decisions.num_rows:
            record_rows, decision_rows = match_decisions(records, decisions)
            keep[record_rows] = False
            rejects = records.take(pa.array(record_rows))
            for name in ("stage", "reason", "detail"):
                rejects = rejects.append_column(name, decisions.column(name).take(pa.array(decision_rows)))
            yield beam.pvalue.TaggedOutput("rejects", conform(add_length(rejects, self.fmt), self.reject_schema))
        # one copy of the shard: the kept rows, taken straight in id order
        order = pc.sort_indices(records.select(["id", "source", "source_row"]), sort_keys=ROW_ORDER).to_numpy()
        kept = records.take(pa.array(order[keep[order]]))
        del records
        kept = conform(add_length(kept, self.fmt), self.record_schema)
        name = shard_name("data", index, count)
        entry = write_parquet(kept, FileSystems.join(self.staging, name), self.cfg)
        Metrics.counter("output", "kept").inc(kept.num_rows)
        langs = value_counts(kept.column("lang")) if "lang" in kept.column_names else {}
        yield {"data_shards": [{"path": name, **entry}], "kept": kept.num_rows, "languages": {"kept": langs}}


class _WriteRejectShardFn(beam.DoFn):
    def __init__(self, staging: str, reject_schema: pa.Schema, cfg: OutputConfig):
        self.staging, self.reject_schema, self.cfg = staging, reject_schema, cfg

    def process(self, element, count: int):
        index, groups = element
        rejects = concat(map(unpacked, groups["rejects"]), self.reject_schema).sort_by(ROW_ORDER)
        name = shard_name("rejects", index, count)
        entry = write_parquet(rejects, FileSystems.join(self.staging, name), self.cfg)
        reasons: dict[str, dict[str, int]] = {}
        for row in rejects.group_by(["stage", "reason"]).aggregate([("id", "count")]).to_pylist():
            reasons.setdefault(row["stage"], {})[row["reason"]] = row["id_count"]
        stats = {"reject_shards": [{"path": name, **entry}], "rejected": rejects.num_rows, "rejects": reasons}
        if "lang" in rejects.column_names:
            stats["languages"] = {"rejected": value_counts(rejects.filter(pc.equal(rejects.column("stage"), "lang")).column("lang"))}
        yield stats


def _count_from_bytes(byte_counts, target: int, label: str):
    return (
        byte_counts
        | f"{label}Bytes" >> beam.CombineGlobally(sum)
        | f"{label}ShardCount" >> beam.Map(shard_count, target)
    )


class WriteDataShards(beam.PTransform):
    """(records, decisions, kept_bytes) → (shard stats, rejects decided by dedup)."""

    def __init__(self, staging: str, fmt: RecordFormat, record_schema, reject_schema, cfg: OutputConfig):
        super().__init__()
        self.staging, self.fmt, self.record_schema, self.reject_schema, self.cfg = staging, fmt, record_schema, reject_schema, cfg

    def expand(self, inputs):
        records, decisions, kept_bytes = inputs
        count = _count_from_bytes(kept_bytes, self.cfg.target_shard_bytes, "Data")
        side = beam.pvalue.AsSingleton(count)
        joined = (
            {
                "records": (records | "PackRecords" >> beam.Map(Packed)
                            | "KeyRecords" >> beam.ParDo(KeyByShard(pack=True), side)),
                "decisions": decisions | "KeyDecisions" >> beam.ParDo(KeyByShard(), side),
                "shards": every_shard(records.pipeline, count, "Data"),
            }
            | "JoinDecisions" >> beam.CoGroupByKey()
        )
        written = joined | "WriteData" >> beam.ParDo(
            _WriteDataShardFn(self.staging, self.fmt, self.record_schema, self.reject_schema, self.cfg), side
        ).with_outputs("rejects", main="stats")
        return written.stats, written.rejects


class WriteRejectShards(beam.PTransform):
    """Reject batches from every stage → reject shards; returns their stats."""

    def __init__(self, staging: str, reject_schema: pa.Schema, cfg: OutputConfig):
        super().__init__()
        self.staging, self.reject_schema, self.cfg = staging, reject_schema, cfg

    def expand(self, rejects):
        rejects = rejects | "PackRejects" >> beam.Map(Packed)
        sizes = rejects | "RejectBytes" >> beam.Map(lambda packed: int(packed.table.nbytes))
        count = _count_from_bytes(sizes, self.cfg.target_shard_bytes, "Rejects")
        side = beam.pvalue.AsSingleton(count)
        joined = (
            {
                "rejects": rejects | "KeyRejects" >> beam.ParDo(KeyByShard(pack=True), side),
                "shards": every_shard(rejects.pipeline, count, "Rejects"),
            }
            | "GroupRejects" >> beam.CoGroupByKey()
        )
        return joined | "WriteRejects" >> beam.ParDo(_WriteRejectShardFn(self.staging, self.reject_schema, self.cfg), side)
