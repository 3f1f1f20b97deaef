"""`--format warc`: the pages of WARC files (Common Crawl style, each record its own gzip member) as web records.

Every WARC record counts: `source_row` is its place in the file (0-based, counting every record, so a row
names the same record whatever happens to the others), and it ends as exactly one of

  response, HTTP 200, HTML  a web record: the page's main text (transforms.html_text); id the record's
                            WARC-Record-ID (unique across a crawl and unchanged when files are renamed or
                            regrouped), else SOURCE:ROW; meta {url, date, warc_record_id, content_type,
                            title, warc_truncated when the crawler cut the payload}
  response, other status    reject `http_status` (redirects, 404, server errors)
  response, not HTML        reject `not_html` (PDF, images, JSON, robots.txt, dns: records)
  HTML without main text    reject `no_main_text`
  payload over the limit    reject `record_too_large` (ingest.max_record_bytes, never held whole)
  unparseable               reject `malformed_warc`: WARC headers without a type or a numeric length, HTTP
                            headers without a status line, a payload encoding that does not decode, or a
                            gzip member that does not inflate
  warcinfo, request, metadata, revisit, resource, ...  not pages and not records: counted per type in the
                            file's stats (`skipped_records` in the manifest), never rejects

A malformed record's length cannot be trusted, so reading resumes where the next record surely starts: at
the next gzip member (a member whose bytes do not inflate is skipped to the next gzip header whose bytes
inflate to `WARC/`). An uncompressed .warc has no such marks and is read up to its first malformed
record. A file that ends inside a gzip member or inside a record's block is `truncated_input`, naming the
row where reading stopped; every record before it is kept.

The WARC and HTTP headers are parsed by fastwarc. Payloads are read as sent (`auto_decode="none"`) so that
a block shorter than its Content-Length shows, then chunked transfer and gzip, deflate or brotli content
encodings are undone here.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

import orjson
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from fastwarc.stream_io import BrotliReader, ChunkedReader
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
from resiliparse.parse.encoding import detect_mime

from pipelines.config import IngestConfig
from transforms.html_text import page_text
from transforms.readers import COMPRESSED_READ_CHUNK, DECODED_READ_LIMIT, Emitted, FileStats, StreamTruncated, _BatchAssembler

GZIP_MAGIC = b"\x1f\x8b\x08"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# compressed bytes a resync looks at to check that a gzip header found by its magic starts a WARC record
RESYNC_PROBE_BYTES = 4096


class InputFailed(Exception):
    """Reading the file's bytes failed (not a parse error: nothing after it can be read)."""


class CorruptMember(OSError):
    """A gzip member whose bytes do not inflate."""


class Unframed(Exception):
    """A record whose WARC headers cannot be trusted to say where it ends: the stream it is in ends here."""


class BadRecord(Exception):
    """A response whose framing is sound but whose HTTP headers or payload cannot be read."""


class ShortBlock(Exception):
    """A record's block holds fewer bytes than its Content-Length says."""

    def __init__(self, message: str, meta: str | None = None):
        super().__init__(message)
        self.meta = meta


class _Source:
    """The file's compressed (or plain) bytes, read in chunks; a failing read is InputFailed."""

    def __init__(self, raw, head: bytes):
        self._raw, self._head = raw, head

    def read(self, size: int = COMPRESSED_READ_CHUNK) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        try:
            return self._raw.read(size)
        except OSError as err:
            raise InputFailed(f"reading the file failed: {err}") from err


class _Plain(io.RawIOBase):
    """An uncompressed WARC file as fastwarc reads it (it asks where the stream starts)."""

    gzip_member = False

    def __init__(self, source: _Source):
        self._source, self._position = source, 0
        self.head = None  # a malformed record's bytes are somewhere in fastwarc's buffer: no `raw` for its reject

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size if size and size > 0 else COMPRESSED_READ_CHUNK)
        self._position += len(data)
        return data


class _GzipMember(io.RawIOBase):
    """The inflated bytes of one gzip member; `rest` is the compressed input after it (or after a corrupt spot)."""

    gzip_member = True

    def __init__(self, source: _Source, compressed: bytes, head_bytes: int):
        self._source, self.rest = source, compressed
        self._inflater = zlib.decompressobj(wbits=31)
        self._position, self._head_bytes = 0, head_bytes
        self.head = b""  # its first inflated bytes, the `raw` of a reject
        self.ended = self.corrupt = False

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        limit = DECODED_READ_LIMIT if size is None or size < 0 else max(size, 1)
        while not self.ended:
            if self.corrupt:
                raise CorruptMember("the gzip member does not inflate")
            if not self.rest:
                self.rest = self._source.read()
                if not self.rest:
                    raise StreamTruncated("the file ends inside a gzip member")
            try:
                data = self._inflater.decompress(self.rest, limit)
            except zlib.error as err:
                self.corrupt = True
                raise CorruptMember(f"the gzip member does not inflate: {err}") from err
            if self._inflater.eof:
                self.rest, self.ended = self._inflater.unused_data, True
            else:
                self.rest = self._inflater.unconsumed_tail
            if data:
                if len(self.head) < self._head_bytes:
                    self.head += data[: self._head_bytes - len(self.head)]
                self._position += len(data)
                return data
        return b""

    def finish(self) -> None:
        """Read to the member's end, so that `rest` starts the next one; a corrupt member stops early."""
        try:
            while self.read(DECODED_READ_LIMIT):
                pass
        except CorruptMember:
            pass


def _starts_a_warc_member(compressed: bytes) -> bool:
    try:
        return zlib.decompressobj(wbits=31).decompress(compressed, 8).startswith(b"WARC/")
    except zlib.error:
        return False


def _gzip_members(source: _Source, head_bytes: int) -> Iterator[_GzipMember]:
    pending = b""
    while True:
        pending = pending.lstrip(b"\0")  # gzip allows zero padding between members
        if not pending:
            pending = source.read()
            if not pending:
                return
            continue
        member = _GzipMember(source, pending, head_bytes)
        yield member
        member.finish()
        # the corrupt member's own header may still lead `rest`: the next member starts after its first byte
        pending = _resync(source, member.rest[1:]) if member.corrupt else member.rest


def _resync(source: _Source, data: bytes) -> bytes:
    """The compressed bytes from the next member after a corrupt one: a gzip header whose bytes inflate to a
    WARC record (the header's three magic bytes also turn up inside deflate data)."""
    while True:
        at = data.find(GZIP_MAGIC)
        if at < 0:
            chunk = source.read()
            if not chunk:
                return b""
            data = data[-(len(GZIP_MAGIC) - 1):] + chunk  # a magic may be split across reads
            continue
        candidate = data[at:]
        while len(candidate) < RESYNC_PROBE_BYTES and (chunk := source.read()):
            candidate += chunk
        if _starts_a_warc_member(candidate):
            return candidate
        data = candidate[1:]


def _read_upto(reader, limit: int) -> bytes:
    parts, size = [], 0
    while size < limit and (chunk := reader.read(min(limit - size, DECODED_READ_LIMIT))):
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def _bare(value: str | None) -> str | None:
    """A WARC URI without the angle brackets WARC 1.0 writers put around it."""
    if value is None:
        return None
    value = value.strip()
    return value[1:-1] if value.startswith("<") and value.endswith(">") else value or None


def _decoded(payload: bytes, record: WarcRecord, limit: int) -> bytes:
    """The payload with its transfer and content encodings undone, at most limit + 1 bytes."""
    headers = record.http_headers
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        try:
            payload = _read_upto(ChunkedReader(io.BytesIO(payload)), limit + 1)
        except OSError as err:
            raise BadRecord(f"the payload's chunked transfer encoding does not decode: {err}") from err
    encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
    try:
        if encoding in ("identity", ""):
            return payload
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(wbits=31).decompress(payload, limit + 1)
        if encoding == "deflate":
            # the standard wraps deflate in zlib's header; some servers send it raw
            zlib_header = len(payload) > 1 and (payload[0] << 8 | payload[1]) % 31 == 0
            return zlib.decompressobj(wbits=15 if zlib_header else -15).decompress(payload, limit + 1)
        if encoding == "br":
            return _read_upto(BrotliReader(io.BytesIO(payload)), limit + 1)
    except (OSError, zlib.error) as err:
        raise BadRecord(f"the payload's {encoding} content encoding does not decode: {err}") from err
    raise BadRecord(f"content encoding {encoding!r} is not supported")


class _WarcRows:
    """Turns the records of one WARC file into records and rejects, numbering every record it meets."""

    def __init__(self, out: _BatchAssembler, cfg: IngestConfig, stats: FileStats):
        self.out, self.cfg, self.stats = out, cfg, stats
        self.row = 0

    def read_stream(self, stream) -> Iterator[Emitted]:
        """The records of a gzip member or of a whole uncompressed file, up to a record that is not framed."""
        first = self.row
        try:
            for record in ArchiveIterator(stream, parse_http=False, stream_detect=False):
                try:
                    self._record(record)
                except BadRecord as err:
                    meta = _warc_meta(record)
                    self.out.reject(self.row, "malformed_warc", str(err), None, meta["warc_record_id"], _meta_json(meta))
                self.row += 1
                if self.out.full():
                    yield from self.out.drain()
        except ShortBlock as err:
            if not stream.gzip_member:
                raise StreamTruncated(str(err)) from err
            self.out.reject(self.row, "malformed_warc", str(err), stream.head if self.row == first else None, meta=err.meta)
            self.row += 1
        except (Unframed, OSError) as err:  # fastwarc raises OSError for headers it cannot parse; CorruptMember is one
            where = "" if stream.gzip_member else "; an uncompressed WARC file is not read past a malformed record"
            self.out.reject(self.row, "malformed_warc", f"{err}{where}", stream.head if self.row == first else None)
            self.row += 1

    def _record(self, record: WarcRecord) -> None:
        kind = record.headers.get("WARC-Type")
        length = (record.headers.get("Content-Length") or "").strip()
        if kind is None or not length.isdigit():
            raise Unframed(f"WARC headers without a WARC-Type or a numeric Content-Length ({length!r})")
        if record.record_type != WarcRecordType.response:
            skipped = record.consume()
            if skipped < record.content_length:
                raise ShortBlock(f"record {self.row} ({kind}) has {skipped} of its {record.content_length} bytes")
            name = kind.strip().lower()
            self.stats.skipped[name] = self.stats.skipped.get(name, 0) + 1
            return
        self._response(record)

    def _response(self, record: WarcRecord) -> None:
        out, cfg = self.out, self.cfg
        meta = _warc_meta(record)
        rid = meta["warc_record_id"]
        try:
            record.parse_http(auto_decode="none")
        except OSError as err:
            raise BadRecord(f"HTTP headers do not parse: {err}") from err
        status = record.http_headers.status_code
        if status is None:
            raise BadRecord(f"no HTTP status line ({record.http_headers.status_line!r})")
        expected = record.content_length
        payload = _read_upto(record.reader, min(expected, cfg.max_record_bytes + 1))
        if len(payload) < min(expected, cfg.max_record_bytes + 1):
            raise ShortBlock(f"record {self.row} has {len(payload)} of its {expected} payload bytes", _meta_json(meta))
        meta["content_type"] = (record.http_content_type or detect_mime(payload[:4096])).strip().lower()
        meta_json = _meta_json(meta)
        if status != 200:
            out.reject(self.row, "http_status", f"HTTP status {status}", payload, rid, meta_json)
            return
        if meta["content_type"] not in HTML_TYPES:
            out.reject(self.row, "not_html", f"content type {meta['content_type']} is not HTML", payload, rid, meta_json)
            return
        if len(payload) > cfg.max_record_bytes:
            out.reject(self.row, "record_too_large", f"payload is {expected} bytes; the limit is {cfg.max_record_bytes}",
                       payload, rid, meta_json)
            return
        body = _decoded(payload, record, cfg.max_record_bytes)
        if len(body) > cfg.max_record_bytes:
            out.reject(self.row, "record_too_large", f"payload decodes to over {cfg.max_record_bytes} bytes", payload,
                       rid, meta_json)
            return
        page = page_text(body, record.http_charset, cfg.html_extractor)
        if page.title:
            meta["title"] = page.title
        meta_json = _meta_json(meta)
        if not page.text:
            out.reject(self.row, "no_main_text", f"{cfg.html_extractor} found no main text in {len(body)} bytes of HTML",
                       body, rid, meta_json)
            return
        out.add_record(self.row, rid, [page.text], meta_json, len(body))


def _warc_meta(record: WarcRecord) -> dict:
    headers = record.headers
    meta = {"url": _bare(headers.get("WARC-Target-URI")), "date": headers.get("WARC-Date"),
            "warc_record_id": _bare(headers.get("WARC-Record-ID"))}
    truncated = headers.get("WARC-Truncated")
    if truncated:
        meta["warc_truncated"] = truncated
    return meta


def _meta_json(meta: dict) -> str:
    return orjson.dumps({k: v for k, v in meta.items() if v is not None}, option=orjson.OPT_SORT_KEYS).decode()


def read_warc(path: str, source: str, cfg: IngestConfig, stats: FileStats) -> Iterator[Emitted]:
    out = _BatchAssembler(cfg, source, stats)
    rows = _WarcRows(out, cfg, stats)
    try:
        raw = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
        head = raw.read(COMPRESSED_READ_CHUNK)
    except OSError as err:
        out.reject(0, "unreadable_file", f"cannot read: {err}", None)
        yield from out.drain()
        return
    source_bytes = _Source(raw, head)
    # gzip or not is decided by the bytes, not the name: a .warc.gz that is plain text is still read
    streams = _gzip_members(source_bytes, cfg.reject_raw_max_bytes) if head.startswith(GZIP_MAGIC[:2]) else [_Plain(source_bytes)]
    try:
        for stream in streams:
            yield from rows.read_stream(stream)
    except StreamTruncated as err:
        out.reject(rows.row, "truncated_input", f"reading stopped at record {rows.row}: {err}", None)
    except InputFailed as err:
        out.reject(rows.row, "truncated_input" if rows.row else "unreadable_file", f"reading stopped at record {rows.row}: {err}",
                   None)
    yield from out.drain()
