"""Decode one input file into Arrow record batches of records and of ingest rejects.

Bytes are read through Beam's FileSystems (local, gs://, s3://, hdfs://...) and decompressed here,
not by Beam, because Beam's compressed reader ends a truncated gzip or zstd stream silently. Each
record is decoded on its own, so a malformed line, invalid UTF-8, a missing or mistyped field or an
over-size record becomes a reject with its own reason while the rest of the file is still read; a
stream that breaks off becomes one `truncated_input` reject naming the line where reading stopped.
"""

from __future__ import annotations

import bz2
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import zstandard
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from pipelines.config import IngestConfig, RecordFormat
from pipelines.records import REJECT_FIELDS, RecordError, content_values, derived_id, ingest_schema, usable_own_id
from transforms.json_blocks import LineBlock, columnar_records, complete_rows, exact_extras, parse_block

READ_CHUNK = 1 << 20
# Compressed files are read this much compressed input at a time; one read hands out at most
# DECODED_READ_LIMIT decoded bytes (gzip, bzip2), so a highly compressed stream is never inflated whole.
COMPRESSED_READ_CHUNK = 16 << 10
DECODED_READ_LIMIT = 4 << 20
INGEST = "ingest"


@dataclass
class FileStats:
    source: str
    records: int = 0
    rejected: int = 0
    blank_lines: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    # WARC records that hold no page (warcinfo, request, metadata, ...), by type: not records, so never rejects
    skipped: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Emitted:
    """One batch read from a file: records (kind 'records') or ingest rejects (kind 'rejects')."""

    kind: str
    batch: pa.RecordBatch


class StreamTruncated(EOFError):
    """A compressed stream ended inside a gzip member, zstd frame or bzip2 stream."""


class _Members(io.RawIOBase):
    """Decompress a stream of concatenated members (gzip members, zstd frames, bzip2 streams).

    Every byte that can be decoded before a break is handed out: a read returns what it decoded,
    and only the next read, finding no more input inside a member, raises StreamTruncated. (The
    standard library's GzipFile and BZ2File raise instead of returning what they had decoded, so a
    small file cut before its end lost every record.) Corrupt data raises OSError.
    """

    def __init__(self, raw, kind: str):
        self._raw = raw
        self._kind = kind
        self._obj = None  # the member being decoded; None between members
        self._pending = b""  # compressed bytes not yet given to a decompressor
        self._buffered = False  # bz2: decoded output held back by the output limit
        self._started = False

    def readable(self) -> bool:
        return True

    def _new(self):
        if self._kind == "gzip":
            return zlib.decompressobj(wbits=31)
        if self._kind == "bz2":
            return bz2.BZ2Decompressor()
        return zstandard.ZstdDecompressor().decompressobj()

    def read(self, size: int = -1) -> bytes:
        limit = DECODED_READ_LIMIT if size is None or size < 0 else max(size, 1)
        while True:
            if not self._pending and not self._buffered:
                self._pending = self._raw.read(COMPRESSED_READ_CHUNK)
                if not self._pending:
                    if self._obj is not None:
                        raise StreamTruncated(f"{self._kind} stream ended inside a member")
                    return b""
            if self._obj is None:
                if self._kind == "gzip" and self._started:
                    self._pending = self._pending.lstrip(b"\0")  # gzip allows zero padding after a member
                    if not self._pending:
                        continue
                self._obj = self._new()
                self._started = True
            data = self._decompress(limit)
            if data:
                return data

    def _decompress(self, limit: int) -> bytes:
        """Decode what is pending, at most about `limit` bytes (zstd: all of it)."""
        obj = self._obj
        try:
            if self._kind == "gzip":
                data = obj.decompress(self._pending, limit)
                self._pending = obj.unused_data if obj.eof else obj.unconsumed_tail
            elif self._kind == "bz2":
                data = obj.decompress(self._pending, limit)
                self._pending = obj.unused_data if obj.eof else b""
                self._buffered = not obj.eof and not obj.needs_input
            else:
                data = obj.decompress(self._pending)
                self._pending = obj.unused_data if obj.eof else b""
        except (zlib.error, zstandard.ZstdError, OSError, ValueError) as err:
            raise OSError(f"corrupt {self._kind} data: {err}") from err
        if obj.eof:
            self._obj = None
            self._buffered = False
        return data


def open_decompressed(path: str):
    """(stream, read size) of a file, decompressed by its name's ending."""
    raw = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
    name = path.lower()
    if name.endswith(".gz"):
        return _Members(raw, "gzip"), READ_CHUNK
    if name.endswith((".zst", ".zstd")):
        return _Members(raw, "zstd"), READ_CHUNK
    if name.endswith(".bz2"):
        return _Members(raw, "bz2"), READ_CHUNK
    return raw, READ_CHUNK


def _text_bytes(obj: object) -> int:
    """A cheap size of a parsed row for batch sizing: its top-level string values (and turn texts)."""
    if not isinstance(obj, dict):
        return 0
    size = 0
    for value in obj.values():
        if isinstance(value, str):
            size += len(value)
        elif isinstance(value, list):
            size += sum(len(t.get("value") or "") for t in value if isinstance(t, dict) and isinstance(t.get("value"), str))
    return size


class _BatchAssembler:
    """Collects decoded rows column by column and hands out full batches."""

    def __init__(self, cfg: IngestConfig, source: str, stats: FileStats):
        self.cfg = cfg
        self.source = source
        self.stats = stats
        self.schema = ingest_schema(cfg.record_kind)
        self.reject_schema = pa.schema(list(self.schema) + REJECT_FIELDS)
        self._reset()

    def _reset(self) -> None:
        self.rows: list[list] = [[] for _ in self.schema]
        self.rejects: list[list] = [[] for _ in self.reject_schema]
        self.input_bytes = 0

    def add(self, source_row: int, obj: object, raw: bytes | None = None) -> None:
        """Add a parsed object; raw is its input bytes, or None to serialise it only if it is rejected."""
        size = len(raw) if raw is not None else _text_bytes(obj)
        try:
            rid, values, meta = content_values(obj, self.cfg.record_kind, self.cfg.fields)
        except RecordError as err:
            self.input_bytes += size
            if raw is None:
                raw = orjson.dumps(obj, default=str)
            self.reject(source_row, err.reason, str(err), raw, usable_own_id(obj, self.cfg.fields))
            return
        self.add_record(source_row, rid, values, meta, size)

    def add_record(self, source_row: int, rid: str | None, values: list, meta: str | None, input_bytes: int) -> None:
        """Add a record whose content columns are already known (pages read from WARC or HTML files)."""
        self.input_bytes += input_bytes
        self.stats.records += 1
        for column, value in zip(self.rows, [rid or derived_id(self.source, source_row), self.source, source_row, *values, meta]):
            column.append(value)

    def reject(self, source_row: int, reason: str, message: str, raw: bytes | None, rid: str | None = None,
               meta: str | None = None) -> None:
        """Reject a record at ingest; `meta` names what is known of it (a page's URL) when its content is not."""
        self.stats.rejected += 1
        self.stats.reasons[reason] = self.stats.reasons.get(reason, 0) + 1
        detail = orjson.dumps({"error": message}).decode()
        head = None if raw is None else raw[: self.cfg.reject_raw_max_bytes]
        values = [rid or derived_id(self.source, source_row), self.source, source_row]
        values += [None] * (len(self.schema) - 4) + [meta]
        values += [INGEST, reason, detail, head]
        for column, value in zip(self.rejects, values):
            column.append(value)

    def full(self) -> bool:
        return len(self.rows[0]) + len(self.rejects[0]) >= self.cfg.batch_rows or self.input_bytes >= self.cfg.batch_bytes

    def drain(self) -> Iterator[Emitted]:
        if self.rows[0]:
            yield Emitted("records", pa.RecordBatch.from_arrays(
                [pa.array(c, type=f.type) for c, f in zip(self.rows, self.schema)], schema=self.schema))
        if self.rejects[0]:
            yield Emitted("rejects", pa.RecordBatch.from_arrays(
                [pa.array(c, type=f.type) for c, f in zip(self.rejects, self.reject_schema)], schema=self.reject_schema))
        self._reset()


class _StreamBroken(Exception):
    def __init__(self, message: str, truncated: bool):
        super().__init__(message)
        self.truncated = truncated  # the stream ended early (not corrupt data)


def _line_lists(stream, chunk_size: int, max_bytes: int) -> Iterator[tuple[int, list[bytes], list[int]]]:
    """(1-based number of the first line, lines, their full lengths) for every read of the stream.

    A line longer than max_bytes is never held whole: only its head is kept and the rest skipped.
    A read that fails (a truncated or corrupt stream) raises _StreamBroken after the lines before it.
    """
    line_no = 0
    pending = b""
    skipped_head: bytes | None = None  # head of an over-size line being skipped
    skipped_len = 0
    while True:
        try:
            chunk = stream.read(chunk_size)
        except (OSError, EOFError, zstandard.ZstdError) as err:
            raise _StreamBroken(f"reading stopped after line {line_no}: {err}", isinstance(err, EOFError)) from err
        if not chunk:
            break
        parts = (chunk if skipped_head is not None else pending + chunk).split(b"\n")
        pending = parts.pop()
        if skipped_head is not None and parts:
            line_no += 1
            yield line_no, [skipped_head], [skipped_len + len(parts[0])]
            skipped_head = None
            del parts[0]
        if parts:
            yield line_no + 1, parts, list(map(len, parts))
            line_no += len(parts)
        if skipped_head is not None:
            skipped_len += len(pending)
            pending = b""
        elif len(pending) > max_bytes:
            skipped_head, skipped_len, pending = pending[:max_bytes], len(pending), b""
    if skipped_head is not None:
        yield line_no + 1, [skipped_head], [skipped_len]
    elif pending:
        yield line_no + 1, [pending], [len(pending)]


def _broken_reason(records_read: int) -> str:
    return "truncated_input" if records_read else "unreadable_file"


class _Prepended(io.RawIOBase):
    """A stream whose first bytes were already read (to look at them) and are handed out again."""

    def __init__(self, head: bytes, rest):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        return self._rest.read(size)


UTF8_BOM = b"\xef\xbb\xbf"


SPLITTABLE_SUFFIXES = (".jsonl", ".ndjson")


def _may_hold_an_array(path: str) -> bool:
    """Only `.json` files (compressed or not) are looked at for one JSON array; .jsonl is always lines."""
    name = path.lower()
    for suffix in (".gz", ".zst", ".zstd", ".bz2"):
        name = name.removesuffix(suffix)
    return name.endswith(".json")


def splittable(path: str) -> bool:
    """Uncompressed JSON Lines can be read in byte ranges by several workers."""
    return path.lower().endswith(SPLITTABLE_SUFFIXES)


def byte_ranges(size: int, split_bytes: int) -> list[tuple[int, int]]:
    return [(start, min(start + split_bytes, size)) for start in range(0, size, split_bytes)] or [(0, 0)]


def count_newlines(path: str, start: int, end: int) -> int:
    """Newlines in the file's bytes [start-1, end-1): summed over the ranges before one, plus one,
    they give the number of lines that start before it, whether or not a newline ends at its edge."""
    low, remaining = max(start - 1, 0), max(end - 1 - max(start - 1, 0), 0)
    count = 0
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        f.seek(low)
        while remaining > 0:
            chunk = f.read(min(READ_CHUNK, remaining))
            if not chunk:
                break
            count += chunk.count(b"\n")
            remaining -= len(chunk)
    return count


def read_json_lines_range(path: str, source: str, cfg: IngestConfig, stats: FileStats,
                          start: int, end: int, first_line: int) -> Iterator[Emitted]:
    """The JSON lines that start in bytes [start, end) of an uncompressed file, numbered from first_line.

    A line belongs to the range its first byte is in; the reader of that range reads it to its end.
    """
    out = _BatchAssembler(cfg, source, stats)
    try:
        raw = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
        if start == 0:
            head, begin = b"", 0  # a byte-order mark stays in line 1's bytes: positions count it
        else:
            raw.seek(start - 1)  # the byte before the range: a newline there means a line starts at `start`
            head, begin = b"", start - 1
            while True:
                chunk = raw.read(READ_CHUNK)
                if not chunk:
                    return
                cut = chunk.find(b"\n")
                if cut >= 0:
                    head, begin = chunk[cut + 1:], begin + cut + 1
                    break
                begin += len(chunk)
    except OSError as err:
        out.reject(first_line, "unreadable_file", f"cannot read: {err}", None)
        yield from out.drain()
        return
    if begin < end:
        yield from _json_lines(_Prepended(head, raw), READ_CHUNK, out, cfg, stats, first_line, begin, end)


def read_json_text(path: str, source: str, cfg: IngestConfig, stats: FileStats) -> Iterator[Emitted]:
    """JSON Lines, or one JSON array of records (as alpaca_data.json and ShareGPT dumps come)."""
    out = _BatchAssembler(cfg, source, stats)
    try:
        stream, chunk_size = open_decompressed(path)
        head = stream.read(chunk_size)
    except (OSError, EOFError, zstandard.ZstdError) as err:
        reason = "truncated_input" if isinstance(err, EOFError) else "unreadable_file"
        out.reject(1, reason, f"cannot read: {err}", None)
        yield from out.drain()
        return
    head = head.removeprefix(UTF8_BOM)
    if _may_hold_an_array(path) and head.lstrip()[:1] == b"[":
        document, reason, message = _whole(_Prepended(head, stream), chunk_size, cfg.max_json_array_bytes)
        if reason == "truncated_input":
            items = complete_array_items(document)
            yield from _json_array(items, out, cfg)
            out.reject(len(items), reason, f"{message}; {len(items)} complete record(s) before the break were read", None)
            yield from out.drain()
            return
        if document is None:
            out.reject(0, reason, message, None)
            yield from out.drain()
            return
        try:
            items = orjson.loads(document)
        except orjson.JSONDecodeError:
            items = None  # not one array after all: read it line by line
        if isinstance(items, list):
            yield from _json_array(items, out, cfg)
            return
        stream, chunk_size = io.BytesIO(document), READ_CHUNK
    else:
        stream = _Prepended(head, stream)
    yield from _json_lines(stream, chunk_size, out, cfg, stats)


def _whole(stream, chunk_size: int, limit: int) -> tuple[bytes | None, str, str]:
    """(the rest of the stream, "", ""), or (None, reject reason, message) when it is too large or
    corrupt, or (the bytes before the break, "truncated_input", message) when it broke off."""
    parts, size = [], 0
    try:
        while chunk := stream.read(chunk_size):
            size += len(chunk)
            if size > limit:
                return None, "unreadable_file", (
                    f"a JSON array file over {limit} bytes (ingest.max_json_array_bytes); convert it to JSON Lines")
            parts.append(chunk)
    except EOFError as err:
        return b"".join(parts), "truncated_input", f"a JSON array file broke off after {size} bytes: {err}"
    except (OSError, zstandard.ZstdError) as err:
        return None, "truncated_input", f"a JSON array file broke off after {size} bytes, no record read: {err}"
    return b"".join(parts), "", ""


_JSON_STRUCTURE = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]')


def complete_array_items(prefix: bytes) -> list:
    """The elements of a JSON array that are complete in `prefix`, the head of a broken-off file.

    An element ends at a top-level comma, or where a top-level object or array closes; the prefix up
    to the last such end, closed with "]", is parsed. An unterminated string at the very end can fake
    an end, so earlier ends are tried when a parse fails.
    """
    depth, ends = 0, []
    for match in _JSON_STRUCTURE.finditer(prefix):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
        elif token in (b"]", b"}"):
            depth -= 1
            if depth == 1:
                ends.append(match.end())
        elif token == b"," and depth == 1:
            ends.append(match.start())
    for cut in reversed(ends[-8:]):
        try:
            items = orjson.loads(prefix[:cut] + b"]")
        except orjson.JSONDecodeError:
            continue
        if isinstance(items, list):
            return items
    return []


def _json_array(items: list, out: _BatchAssembler, cfg: IngestConfig) -> Iterator[Emitted]:
    for index, item in enumerate(items):
        raw = orjson.dumps(item)
        if len(raw) > cfg.max_record_bytes:
            out.reject(index, "record_too_large", f"record is {len(raw)} bytes; the limit is {cfg.max_record_bytes}", raw)
        else:
            out.add(index, item, raw)
        if out.full():
            yield from out.drain()
    yield from out.drain()


def _json_line(out: _BatchAssembler, line_no: int, line: bytes) -> None:
    """One line on its own: a record, or a reject naming why not (the reference for json_blocks)."""
    if not line.strip():
        out.stats.blank_lines += 1
        return
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as err:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as bad:
            out.reject(line_no, "invalid_utf8", str(bad), line)
        else:
            out.reject(line_no, "malformed_json", str(err), line)
    else:
        out.add(line_no, obj, line)


def _json_block(block: LineBlock, out: _BatchAssembler, cfg: IngestConfig) -> Iterator[Emitted]:
    """A block of ordinary lines: the rows Arrow reads exactly as one batch, the others line by line."""
    lines, numbers, longest = block.take()
    if not lines:
        return
    table = parse_block(lines, longest) if cfg.arrow_json and cfg.record_kind is not RecordFormat.sharegpt else None
    names = None if table is None else columnar_fields(table.schema, cfg)
    extras = None if names is None else exact_extras(table, names, cfg)
    if extras is None:
        ok = np.zeros(len(lines), dtype=bool)
    else:
        ok = complete_rows(table, names, extras, cfg)
    for index in np.flatnonzero(~ok).tolist():
        _json_line(out, numbers[index], lines[index])
        if out.full():
            yield from out.drain()
    if ok.any():
        good = table.filter(pa.array(ok)) if not ok.all() else table
        out.stats.records += good.num_rows
        rows = np.asarray(numbers, dtype=np.int64)[ok]
        yield Emitted("records", columnar_records(good, rows, names, extras, cfg, out.schema, out.source))


def _json_lines(stream, chunk_size: int, out: _BatchAssembler, cfg: IngestConfig, stats: FileStats,
                first_line: int = 1, begin: int = 0, stop: int | None = None) -> Iterator[Emitted]:
    """Records of the lines in stream, the first numbered first_line and starting at byte `begin`;
    with `stop`, only the lines that start before that byte. Lines go to a block parsed at once
    (transforms.json_blocks); an over-size line is rejected where it is met, holding only its head."""
    line_no = first_line - 1
    position = begin
    block = LineBlock(cfg)
    try:
        for local_first, lines, lengths in _line_lists(stream, chunk_size, cfg.max_record_bytes):
            if begin == 0 and local_first == 1 and lines[0].startswith(UTF8_BOM):
                lines[0], lengths[0] = lines[0][len(UTF8_BOM):], lengths[0] - len(UTF8_BOM)
            ends = None
            if stop is not None:
                starts = position + np.concatenate(([0], np.cumsum(np.asarray(lengths, dtype=np.int64) + 1)))
                within = int(np.searchsorted(starts[:-1], stop, side="left"))
                lines, lengths, ends = lines[:within], lengths[:within], within < len(starts) - 1
                position = int(starts[within])
            first = first_line + local_first - 1
            if lines and max(lengths) <= cfg.max_record_bytes:
                at = 0
                while at < len(lines):
                    at += block.extend(first + at, lines[at:], lengths[at:])
                    if block.full():
                        yield from _json_block(block, out, cfg)
            else:
                for offset, (line, length) in enumerate(zip(lines, lengths)):
                    if length > cfg.max_record_bytes:
                        out.reject(first + offset, "record_too_large",
                                   f"record is {length} bytes; the limit is {cfg.max_record_bytes}", line)
                    else:
                        block.add(first + offset, line)
                        if block.full():
                            yield from _json_block(block, out, cfg)
                    if out.full():
                        yield from out.drain()
            line_no = first + len(lines) - 1
            if out.full():
                yield from out.drain()
            if ends:
                break
    except _StreamBroken as err:
        yield from _json_block(block, out, cfg)
        reason = "truncated_input" if err.truncated else _broken_reason(line_no)
        out.reject(line_no + 1, reason, str(err), None)
    yield from _json_block(block, out, cfg)
    yield from out.drain()


def _read_columnar(batches: Iterator[pa.RecordBatch], source: str, cfg: IngestConfig, stats: FileStats) -> Iterator[Emitted]:
    out = _BatchAssembler(cfg, source, stats)
    row = 0
    try:
        for batch in batches:
            names = columnar_fields(batch.schema, cfg)
            if names is not None:
                yield from _columnar_batch(batch, names, row, out, cfg)
            else:
                for offset, obj in enumerate(batch.to_pylist()):
                    out.add(row + offset, obj)
                    if out.full():
                        yield from out.drain()
            row += batch.num_rows
    except (OSError, EOFError, ValueError, pa.ArrowException) as err:
        out.reject(row, _broken_reason(row), f"reading stopped after row {row}: {err}", None)
    yield from out.drain()


def columnar_fields(schema: pa.Schema, cfg: IngestConfig) -> list[str] | None:
    """The content columns, when a columnar batch can become records without a row-by-row pass:
    web or alpaca fields typed as strings and an id typed as string or integer. Otherwise None."""
    fields = cfg.fields
    if cfg.record_kind is RecordFormat.web:
        names, required = [fields.text], {fields.text}
    elif cfg.record_kind is RecordFormat.alpaca:
        names, required = [fields.instruction, fields.input, fields.output], {fields.instruction, fields.output}
    else:
        return None
    for name in names:
        index = schema.get_field_index(name)
        if index < 0 and name in required:
            return None
        if index >= 0 and not (pa.types.is_string(schema.field(index).type) or pa.types.is_large_string(schema.field(index).type)):
            return None
    index = schema.get_field_index(fields.id)
    if index >= 0:
        kind = schema.field(index).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind)):
            return None
    return names


def _columnar_batch(batch: pa.RecordBatch, names: list[str], first_row: int, out: _BatchAssembler,
                    cfg: IngestConfig) -> Iterator[Emitted]:
    """Records straight from typed columns; rows with a null required field take the row path,
    so their rejects are exactly the ones that path gives."""
    fields = cfg.fields
    required = [n for n in names if n != fields.input]
    ok = np.ones(batch.num_rows, dtype=bool)
    for name in required:
        ok &= batch.column(name).is_valid().to_numpy(zero_copy_only=False)
    for offset in np.flatnonzero(~ok):
        out.add(first_row + int(offset), batch.slice(int(offset), 1).to_pylist()[0])
    yield from out.drain()
    good = batch.filter(pa.array(ok)) if not ok.all() else batch
    if not good.num_rows:
        return
    extras = [n for n in good.schema.names if n not in {fields.id, *names}]
    out.stats.records += good.num_rows
    records = columnar_records(good, first_row + np.flatnonzero(ok), names, extras, cfg, out.schema, out.source)
    content = [records.column(name) for name in names]
    start, held = 0, 0
    sizes = sum(pc.fill_null(pc.binary_length(c), 0).to_numpy(zero_copy_only=False) for c in content).tolist()
    for end, size in enumerate(sizes, start=1):
        held += size
        if held >= cfg.batch_bytes or end == len(sizes):
            yield Emitted("records", records.slice(start, end - start))
            start, held = end, 0


def read_parquet(path: str, source: str, cfg: IngestConfig, stats: FileStats) -> Iterator[Emitted]:
    def batches():
        f = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
        yield from pq.ParquetFile(f).iter_batches(batch_size=cfg.batch_rows)

    yield from _read_columnar(batches(), source, cfg, stats)


def read_arrow_stream(path: str, source: str, cfg: IngestConfig, stats: FileStats) -> Iterator[Emitted]:
    """Arrow IPC stream files, as `datasets.Dataset.save_to_disk` writes them."""

    def batches():
        f = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
        yield from pa.ipc.open_stream(f)

    yield from _read_columnar(batches(), source, cfg, stats)


def read_file(path: str, source: str, cfg: IngestConfig, stats: FileStats) -> Iterator[Emitted]:
    # page readers are imported only when asked for: they load resiliparse (and perhaps trafilatura)
    if cfg.format is RecordFormat.warc:
        from transforms.warc_reader import read_warc

        yield from read_warc(path, source, cfg, stats)
        return
    if cfg.format is RecordFormat.html:
        from transforms.html_reader import read_html

        yield from read_html(path, source, cfg, stats)
        return
    name = path.lower()
    if name.endswith(".parquet"):
        yield from read_parquet(path, source, cfg, stats)
    elif name.endswith(".arrow"):
        yield from read_arrow_stream(path, source, cfg, stats)
    else:
        yield from read_json_text(path, source, cfg, stats)
