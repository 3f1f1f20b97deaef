"""Beam stages of `winnow mix`: count what each source holds per stratum, pick the rows that fill each
stratum's quota exactly, render SFT records as plain text, and write shards sorted by id.

A row's sampling key is xxh3-64 of its id keyed by the seed; its bucket is the key's top BUCKET_BITS
bits. Inside a stratum (a source's language, and category where present) the rows taken are a prefix
in (key, id) order: every row of the buckets below the stratum's `boundary` bucket, then the first
rows of the boundary bucket, as many as fill the rest of the quota. Counting is one pass over the
selection columns (pipelines.mix plans the cuts from it), choosing inside the boundary buckets is a
second (a few rows per stratum travel), and the third reads whole rows and writes them. Every step is a
function of the inputs and the seed, never of the runner, the workers or the bundles.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import apache_beam as beam
import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from pipelines.config import OutputConfig
from transforms.packing import Packed, unpacked
from transforms.shards import ShardWriter, shard_name

BUCKET_BITS = 12
BUCKETS = 1 << BUCKET_BITS
STRATUM_SEPARATOR = "\x1f"
MIX_ORDER = [("id", "ascending"), ("mix_source", "ascending"), ("source", "ascending"), ("source_row", "ascending")]
COUNT_SCHEMA = pa.schema([
    ("mix_source", pa.string()), ("stratum", pa.string()), ("bucket", pa.int64()),
    ("records", pa.int64()), ("tokens", pa.int64()), ("chars", pa.int64()),
])


@dataclass(frozen=True)
class MixFile:
    """One data shard of a mix source."""

    mix_source: str
    path: str


@dataclass(frozen=True)
class Cut:
    """Where a stratum's quota ends: whole buckets below `boundary`, then `remainder` units (records or
    tokens) from bucket `boundary`, in (key, id) order. boundary == BUCKETS takes the stratum whole."""

    boundary: int
    remainder: float


def mix_schema(with_category: bool, with_tokens: bool) -> pa.Schema:
    fields = [
        pa.field("id", pa.string()), pa.field("mix_source", pa.string()), pa.field("source", pa.string()),
        pa.field("source_row", pa.int64()), pa.field("text", pa.string()), pa.field("meta", pa.string()),
        pa.field("lang", pa.string()),
    ]
    if with_category:
        fields.append(pa.field("category", pa.string()))
    fields.append(pa.field("length", pa.int64()))
    if with_tokens:
        fields.append(pa.field("tokens", pa.int64()))
    return pa.schema(fields)


# ---- per-row keys -------------------------------------------------------------------------------

def sampling_keys(ids: pa.Array | pa.ChunkedArray, seed: int) -> np.ndarray:
    """xxh3-64 of every id's UTF-8 bytes, keyed by the seed."""
    values = ids.cast(pa.string()).to_pylist()
    return np.fromiter((xxhash.xxh3_64_intdigest(v.encode(), seed) for v in values), dtype=np.uint64, count=len(values))


def buckets_of(keys: np.ndarray) -> np.ndarray:
    return (keys >> np.uint64(64 - BUCKET_BITS)).astype(np.int64)


def shard_of(ids: pa.Array | pa.ChunkedArray, shards: int) -> np.ndarray:
    return (sampling_keys(ids, 0) % np.uint64(shards)).astype(np.int64)


def _scalar_text(value) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def categories(table: pa.Table, field: str) -> list[str | None]:
    """The category of every row: the column `field`, else the top-level key `field` of the `meta` JSON."""
    if field in table.column_names:
        return [_scalar_text(v) for v in table.column(field).to_pylist()]
    if "meta" not in table.column_names:
        return [None] * table.num_rows
    meta = table.column("meta")
    mentioned = pc.fill_null(pc.match_substring(meta, f'"{field}"'), False).to_numpy(zero_copy_only=False)
    out: list[str | None] = [None] * table.num_rows
    for row in np.flatnonzero(mentioned).tolist():
        parsed = orjson.loads(meta[row].as_py())
        out[row] = _scalar_text(parsed.get(field)) if isinstance(parsed, dict) else None
    return out


def strata(table: pa.Table, category_field: str | None) -> list[str]:
    """Stratum of every row: "lang<US>category", each part empty when unknown."""
    langs = table.column("lang").to_pylist() if "lang" in table.column_names else [None] * table.num_rows
    cats = categories(table, category_field) if category_field else [None] * table.num_rows
    return [f"{lang or ''}{STRATUM_SEPARATOR}{cat or ''}" for lang, cat in zip(langs, cats)]


def split_stratum(stratum: str) -> tuple[str | None, str | None]:
    lang, _, category = stratum.partition(STRATUM_SEPARATOR)
    return lang or None, category or None


def _int_column(table: pa.Table, name: str) -> np.ndarray:
    if name not in table.column_names:
        return np.zeros(table.num_rows, dtype=np.int64)
    return pc.fill_null(table.column(name), 0).to_numpy().astype(np.int64)


def units(table: pa.Table, by_tokens: bool) -> np.ndarray:
    return _int_column(table, "tokens") if by_tokens else np.ones(table.num_rows, dtype=np.int64)


def prefix_length(row_units: np.ndarray, remainder: float) -> int:
    """How many rows, in order, come closest to `remainder` units (the shorter prefix on a tie)."""
    reached = np.concatenate([[0], np.cumsum(row_units, dtype=np.int64)])
    return int(np.argmin(np.abs(reached - remainder)))


def taken_whole(buckets: np.ndarray, stratum_list: list[str], cuts: dict[str, Cut]) -> tuple[np.ndarray, np.ndarray]:
    """(rows below their stratum's boundary, rows inside their stratum's boundary bucket with units to fill)."""
    boundary = np.array([cuts[s].boundary if s in cuts else 0 for s in stratum_list], dtype=np.int64)
    partial = np.array([s in cuts and cuts[s].remainder > 0 for s in stratum_list], dtype=bool)
    return buckets < boundary, (buckets == boundary) & partial


# ---- reading --------------------------------------------------------------------------------------

def read_row_groups(path: str, columns: list[str]) -> Iterator[tuple[int, pa.Table]]:
    """(first row, table) of every row group of a Parquet file, with those of `columns` it has."""
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        parquet = pq.ParquetFile(f)
        present = [c for c in columns if c in parquet.schema_arrow.names]
        offset = 0
        for index in range(parquet.num_row_groups):
            table = parquet.read_row_group(index, columns=present)
            yield offset, table
            offset += table.num_rows


def selection_columns(category_field: str | None) -> list[str]:
    columns = ["id", "lang", "tokens", "length"]
    if category_field:
        columns += [category_field, "meta"]
    return columns


# ---- rendering ------------------------------------------------------------------------------------

def render_alpaca(instruction: str | None, input_text: str | None, output: str | None, template) -> str:
    form = template.alpaca if (input_text or "").strip() else template.alpaca_no_input
    return form.format(instruction=instruction or "", input=input_text or "", output=output or "")


def render_conversation(turns: list[dict] | None, template) -> str:
    return template.turn_separator.join(
        template.turn.format(role=template.roles.get(t["from"], t["from"]), value=t["value"] or "") for t in turns or [])


def render_texts(table: pa.Table, template) -> list[str]:
    """Unsupervised text of every row: web text as it is, alpaca fields and ShareGPT turns through the template."""
    names = table.column_names
    if "text" in names:
        return [t or "" for t in table.column("text").to_pylist()]
    if "instruction" in names:
        inputs = table.column("input").to_pylist() if "input" in names else [None] * table.num_rows
        return [render_alpaca(i, x, o, template) for i, x, o in
                zip(table.column("instruction").to_pylist(), inputs, table.column("output").to_pylist())]
    if "conversations" in names:
        return [render_conversation(turns, template) for turns in table.column("conversations").to_pylist()]
    raise ValueError("a mix source needs a text column, alpaca columns (instruction, output) or conversations")


# ---- pass 1: counts -------------------------------------------------------------------------------

class _CountFn(beam.DoFn):
    """Per file: records, tokens and characters per (stratum, bucket)."""

    def __init__(self, seed: int, category_field: str | None):
        self.seed, self.category_field = seed, category_field

    def process(self, file: MixFile):
        parts = []
        for _, table in read_row_groups(file.path, selection_columns(self.category_field)):
            if not table.num_rows:
                continue
            buckets = buckets_of(sampling_keys(table.column("id"), self.seed))
            parts.append(pa.table({
                "mix_source": pa.array([file.mix_source] * table.num_rows, pa.string()),
                "stratum": pa.array(strata(table, self.category_field), pa.string()),
                "bucket": pa.array(buckets), "records": pa.array(np.ones(table.num_rows, dtype=np.int64)),
                "tokens": pa.array(_int_column(table, "tokens")), "chars": pa.array(_int_column(table, "length")),
            }, schema=COUNT_SCHEMA))
        if parts:
            yield aggregate_counts(parts)


def aggregate_counts(parts: list[pa.Table]) -> pa.Table:
    table = pa.concat_tables([p for p in parts if p.num_rows]) if parts else COUNT_SCHEMA.empty_table()
    if not table.num_rows:
        return COUNT_SCHEMA.empty_table()
    summed = table.group_by(["mix_source", "stratum", "bucket"]).aggregate(
        [("records", "sum"), ("tokens", "sum"), ("chars", "sum")])
    summed = summed.rename_columns({f"{name}_sum": name for name in ("records", "tokens", "chars")})
    return summed.select(COUNT_SCHEMA.names).cast(COUNT_SCHEMA).sort_by(
        [("mix_source", "ascending"), ("stratum", "ascending"), ("bucket", "ascending")])


def _write_counts(parts: list[pa.Table], path: str) -> None:
    with FileSystems.create(path) as f:
        pq.write_table(aggregate_counts(parts), f)


class MixFiles(beam.PTransform):
    """The sources' data shards as a PCollection, spread over the workers."""

    def __init__(self, files: list[MixFile]):
        super().__init__()
        self.files = files

    def expand(self, pbegin):
        return pbegin | "Create" >> beam.Create(self.files, reshuffle=False) | "Spread" >> beam.Reshuffle()


class CountStrata(beam.PTransform):
    """Files → one Parquet file at `path`: records, tokens and characters per (source, stratum, bucket)."""

    def __init__(self, seed: int, category_field: str | None, path: str):
        super().__init__()
        self.seed, self.category_field, self.path = seed, category_field, path

    def expand(self, files):
        return (
            files
            | "Count" >> beam.ParDo(_CountFn(self.seed, self.category_field))
            | "Gather" >> beam.combiners.ToList()
            | "WriteCounts" >> beam.Map(_write_counts, self.path)
        )


def read_counts(path: str) -> pa.Table:
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        return pq.read_table(f)


# ---- pass 2: the rows of the boundary buckets ---------------------------------------------------------

class _BoundaryRowsFn(beam.DoFn):
    def __init__(self, cuts: dict[str, dict[str, Cut]], seed: int, category_field: str | None, by_tokens: bool):
        self.cuts, self.seed, self.category_field, self.by_tokens = cuts, seed, category_field, by_tokens

    def process(self, file: MixFile):
        cuts = self.cuts.get(file.mix_source, {})
        for offset, table in read_row_groups(file.path, selection_columns(self.category_field)):
            keys = sampling_keys(table.column("id"), self.seed)
            stratum_list = strata(table, self.category_field)
            _, partial = taken_whole(buckets_of(keys), stratum_list, cuts)
            ids, row_units = table.column("id").cast(pa.string()), units(table, self.by_tokens)
            for row in np.flatnonzero(partial).tolist():
                yield ((file.mix_source, stratum_list[row]),
                       (int(keys[row]), ids[row].as_py(), file.path, offset + row, int(row_units[row])))


class _ChooseFn(beam.DoFn):
    def __init__(self, cuts: dict[str, dict[str, Cut]]):
        self.cuts = cuts

    def process(self, element):
        (mix_source, stratum), rows = element
        rows = sorted(rows)
        taken = prefix_length(np.array([r[4] for r in rows], dtype=np.int64), self.cuts[mix_source][stratum].remainder)
        for _, _, path, row, _ in rows[:taken]:
            yield mix_source, path, row


class ChooseBoundaryRows(beam.PTransform):
    """Files → (source, path, row) of the rows taken from the boundary buckets."""

    def __init__(self, cuts: dict[str, dict[str, Cut]], seed: int, category_field: str | None, by_tokens: bool):
        super().__init__()
        self.cuts, self.seed, self.category_field, self.by_tokens = cuts, seed, category_field, by_tokens

    def expand(self, files):
        return (
            files
            | "BoundaryRows" >> beam.ParDo(_BoundaryRowsFn(self.cuts, self.seed, self.category_field, self.by_tokens))
            | "ByStratum" >> beam.GroupByKey()
            | "Choose" >> beam.ParDo(_ChooseFn(self.cuts))
        )


# ---- pass 3: select, render, write ---------------------------------------------------------------

class _SelectFn(beam.DoFn):
    def __init__(self, cuts, seed: int, category_field: str | None, template, schema: pa.Schema, shards: int):
        self.cuts, self.seed, self.category_field, self.template = cuts, seed, category_field, template
        self.schema, self.shards = schema, shards
        self._chosen_from, self._chosen = None, set()

    def _chosen_rows(self, boundary_rows: list) -> set:
        if self._chosen_from is not boundary_rows:  # a side input is the same list object within a bundle
            self._chosen_from, self._chosen = boundary_rows, {tuple(r) for r in boundary_rows}
        return self._chosen

    def process(self, file: MixFile, boundary_rows: list):
        chosen = self._chosen_rows(boundary_rows)
        cuts = self.cuts.get(file.mix_source, {})
        columns = ["id", "source", "source_row", "text", "instruction", "input", "output", "conversations", "meta",
                   *selection_columns(self.category_field)]
        for offset, table in read_row_groups(file.path, list(dict.fromkeys(columns))):
            stratum_list = strata(table, self.category_field)
            whole, partial = taken_whole(buckets_of(sampling_keys(table.column("id"), self.seed)), stratum_list, cuts)
            for row in np.flatnonzero(partial).tolist():
                whole[row] = (file.mix_source, file.path, offset + row) in chosen
            rows = np.flatnonzero(whole)
            if not len(rows):
                continue
            picked = table.take(pa.array(rows))
            text = pa.array(render_texts(picked, self.template), pa.string())
            langs_cats = [split_stratum(stratum_list[r]) for r in rows.tolist()]
            columns_out = {
                "id": picked.column("id").cast(pa.string()),
                "mix_source": pa.array([file.mix_source] * len(rows), pa.string()),
                "source": picked.column("source") if "source" in picked.column_names else pa.nulls(len(rows), pa.string()),
                "source_row": (picked.column("source_row") if "source_row" in picked.column_names
                               else pa.array(rows + offset, pa.int64())),
                "text": text,
                "meta": picked.column("meta") if "meta" in picked.column_names else pa.nulls(len(rows), pa.string()),
                "lang": pa.array([lang for lang, _ in langs_cats], pa.string()),
                "category": pa.array([cat for _, cat in langs_cats], pa.string()),
                "length": pc.utf8_length(text).cast(pa.int64()),
                "tokens": picked.column("tokens") if "tokens" in picked.column_names else pa.nulls(len(rows), pa.int64()),
            }
            out = pa.Table.from_arrays([columns_out[f.name].cast(f.type) for f in self.schema], schema=self.schema)
            shard = shard_of(out.column("id"), self.shards)
            for index in np.unique(shard).tolist():
                yield index, Packed(out.filter(pa.array(shard == index)))


class _WriteShardFn(beam.DoFn):
    def __init__(self, staging: str, schema: pa.Schema, shards: int, output: OutputConfig):
        self.staging, self.schema, self.shards, self.output = staging, schema, shards, output

    def process(self, element):
        index, parts = element
        tables = [unpacked(p) for p in parts if p is not None]
        table = pa.concat_tables(tables) if tables else self.schema.empty_table()
        table = table.sort_by(MIX_ORDER)
        name = shard_name("data", index, self.shards)
        writer = ShardWriter(FileSystems.join(self.staging, name), self.schema, self.output)
        writer.write(table)
        entry = writer.close()
        selected: dict = {}
        if table.num_rows:
            has_tokens = "tokens" in table.column_names
            keyed = pa.table({
                "mix_source": table.column("mix_source"),
                "stratum": pa.array([f"{lang or ''}{STRATUM_SEPARATOR}{cat or ''}" for lang, cat in zip(
                    table.column("lang").to_pylist(),
                    table.column("category").to_pylist() if "category" in table.column_names else [None] * table.num_rows)]),
                "tokens": pc.fill_null(table.column("tokens"), 0) if has_tokens else pa.array(np.zeros(table.num_rows, np.int64)),
            })
            for row in keyed.group_by(["mix_source", "stratum"]).aggregate([("tokens", "sum"), ("tokens", "count")]).to_pylist():
                selected.setdefault(row["mix_source"], {})[row["stratum"]] = {
                    "records": row["tokens_count"], "tokens": row["tokens_sum"]}
        yield {"data_shards": [{"path": name, **entry}], "records": entry["rows"], "selected": selected}


class SelectAndWrite(beam.PTransform):
    """(files, boundary rows) → stats of the data shards written under staging."""

    def __init__(self, staging: str, cuts, seed: int, category_field: str | None, template, schema: pa.Schema,
                 shards: int, output: OutputConfig):
        super().__init__()
        self.staging, self.cuts, self.seed, self.category_field = staging, cuts, seed, category_field
        self.template, self.schema, self.shards, self.output = template, schema, shards, output

    def expand(self, inputs):
        files, boundary_rows = inputs
        pieces = files | "Select" >> beam.ParDo(
            _SelectFn(self.cuts, self.seed, self.category_field, self.template, self.schema, self.shards),
            beam.pvalue.AsList(boundary_rows))
        every = files.pipeline | "EveryShard" >> beam.Create([(i, None) for i in range(self.shards)])
        return (
            (pieces, every)
            | "AllPieces" >> beam.Flatten()
            | "ByShard" >> beam.GroupByKey()
            | "Write" >> beam.ParDo(_WriteShardFn(self.staging, self.schema, self.shards, self.output))
        )
