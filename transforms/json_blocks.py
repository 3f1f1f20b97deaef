"""JSON Lines records a block of lines at a time, through Arrow's JSON parser.

The per-line reader (orjson, one Python call per record) is the reference: it names every bad line's
reason. Arrow parses a whole block in C++ on every core without the GIL, so the reader hands it runs
of ordinary lines and keeps Arrow's rows only where they are certain to equal the per-line result:

- the block parses, with exactly one row per line (two objects on one line parse as two rows);
- the content and id columns have the types the per-line path accepts (columnar_fields), and every
  other field is a string, an integer or a boolean, whose JSON Arrow and orjson write alike;
- a row with a required or extra field missing or null (whose reject or meta only the per-line path
  knows) takes the per-line path, with its own line bytes; a missing id or input is "" or derived, as
  there.

Anything else (a malformed or blank line, invalid UTF-8, mixed types, NaN, nested extra fields) sends
the whole block to the per-line path, so rejects and their reasons never depend on this module.
"""

from __future__ import annotations

import io
from bisect import bisect_left
from itertools import accumulate

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from pipelines.config import IngestConfig

# Types of extra fields whose values Arrow hands back exactly as orjson parses them
_EXACT_EXTRA = (pa.types.is_string, pa.types.is_large_string, pa.types.is_int64, pa.types.is_boolean)
_MIN_BLOCK = 1 << 20


class LineBlock:
    """Lines (none over-size) waiting for one parse, with their line numbers."""

    def __init__(self, cfg: IngestConfig):
        self.cfg = cfg
        self.lines: list[bytes] = []
        self.numbers: list[int] = []
        self.size = 0
        self.longest = 0

    def add(self, line_no: int, line: bytes) -> None:
        self.lines.append(line)
        self.numbers.append(line_no)
        self.size += len(line)
        self.longest = max(self.longest, len(line))

    def extend(self, first: int, lines: list[bytes], lengths: list[int]) -> int:
        """Add the leading lines (numbered from `first`) that fit before the block is full; how many."""
        room = self.cfg.batch_rows - len(self.lines)
        sums = list(accumulate(lengths[:room]))
        take = min(len(sums), bisect_left(sums, self.cfg.batch_bytes - self.size) + 1)
        self.lines.extend(lines[:take])
        self.numbers.extend(range(first, first + take))
        self.size += sums[take - 1]
        self.longest = max(self.longest, max(lengths[:take]))
        return take

    def full(self) -> bool:
        return len(self.lines) >= self.cfg.batch_rows or self.size >= self.cfg.batch_bytes

    def take(self) -> tuple[list[bytes], list[int], int]:
        taken = self.lines, self.numbers, self.longest
        self.lines, self.numbers, self.size, self.longest = [], [], 0, 0
        return taken


def parse_block(lines: list[bytes], longest: int) -> pa.Table | None:
    """Arrow's rows of the lines, one per line, or None when Arrow does not read them so."""
    options = pj.ReadOptions(use_threads=True, block_size=max(_MIN_BLOCK, longest + 1))
    try:
        table = pj.read_json(io.BytesIO(b"\n".join(lines)), read_options=options)
        table.validate(full=True)  # the parser copies string bytes without checking that they are UTF-8
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, UnicodeDecodeError, ValueError):
        return None
    return table if table.num_rows == len(lines) else None


def exact_extras(table: pa.Table, names: list[str], cfg: IngestConfig) -> list[str] | None:
    """The fields beyond id and content (they become `meta`), or None when one has a type whose JSON
    Arrow may not hand back as orjson would (floats, nested values, all-null fields)."""
    extras = [n for n in table.schema.names if n not in {cfg.fields.id, *names}]
    if any(not any(exact(table.schema.field(n).type) for exact in _EXACT_EXTRA) for n in extras):
        return None
    return extras


def complete_rows(table: pa.Table, names: list[str], extras: list[str], cfg: IngestConfig) -> np.ndarray:
    """Rows with every required content field and every extra field set: the only ones Arrow reads
    exactly (the per-line path decides what a missing or null field means)."""
    ok = np.ones(table.num_rows, dtype=bool)
    for name in [n for n in names if n != cfg.fields.input] + extras:
        ok &= table.column(name).is_valid().to_numpy(zero_copy_only=False)
    return ok


def columnar_records(table: pa.Table | pa.RecordBatch, rows: np.ndarray, names: list[str], extras: list[str],
                     cfg: IngestConfig, schema: pa.Schema, source: str) -> pa.RecordBatch:
    """Records from typed columns whose required content fields are all set (a JSON block's complete
    rows, or a Parquet or Arrow batch's); `rows` are their line or row numbers."""
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    fields = cfg.fields
    n = table.num_rows
    # an own id (integers as their decimal digits), or where it is missing or "", pipelines.records.derived_id's
    derived = pc.binary_join_element_wise(source, pa.array(rows, pa.int64()).cast(pa.string()), ":")
    if table.schema.get_field_index(fields.id) >= 0:
        own = table.column(fields.id).combine_chunks().cast(pa.string())
        ids = pc.if_else(pc.fill_null(pc.not_equal(own, ""), False), own, derived)
    else:
        ids = derived
    content = []
    for name in names:
        if table.schema.get_field_index(name) < 0:  # an optional field no row holds
            content.append(pa.array([""] * n, pa.string()))
            continue
        column = table.column(name).combine_chunks().cast(pa.string())
        content.append(pc.fill_null(column, "") if name == fields.input else column)
    if extras:
        rows_out = table.select(extras).to_pylist()
        meta = [orjson.dumps(r, option=orjson.OPT_SORT_KEYS, default=str).decode() for r in rows_out]
    else:
        meta = [None] * n
    sources = pa.array([source] * n, pa.string())
    return pa.RecordBatch.from_arrays([ids, sources, pa.array(rows, pa.int64()), *content, pa.array(meta, pa.string())],
                                      schema=schema)
