"""`--format html`: each HTML file (.html, .htm, optionally compressed) is one web record.

Its id is its SOURCE (the path relative to the inputs' common folder), its text the page's main text
(transforms.html_text; the charset from `<meta charset>` or the bytes, as no server declared one), and
`meta` holds the page's title and its own URL (canonical link, else og:url) when it states them. A page
without main text is `no_main_text`, one over `ingest.max_record_bytes` `record_too_large`; a compressed
page that breaks off is `truncated_input` (a cut page is not a page), one that cannot be read `unreadable_file`.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import zstandard

from pipelines.config import IngestConfig
from transforms.html_text import page_text
from transforms.readers import READ_CHUNK, Emitted, FileStats, _BatchAssembler, open_decompressed


def read_html(path: str, source: str, cfg: IngestConfig, stats: FileStats) -> Iterator[Emitted]:
    out = _BatchAssembler(cfg, source, stats)
    limit = cfg.max_record_bytes
    parts, size = [], 0
    try:
        stream, _ = open_decompressed(path)
        while size <= limit and (chunk := stream.read(READ_CHUNK)):
            parts.append(chunk)
            size += len(chunk)
    except EOFError as err:
        out.reject(0, "truncated_input", f"the page broke off after {size} bytes: {err}", b"".join(parts), source)
    except (OSError, zstandard.ZstdError) as err:
        out.reject(0, "unreadable_file", f"cannot read: {err}", b"".join(parts) or None, source)
    else:
        body = b"".join(parts)
        if size > limit:
            out.reject(0, "record_too_large", f"the page is over {limit} bytes (ingest.max_record_bytes)", body, source)
        else:
            page = page_text(body, None, cfg.html_extractor)
            meta = {k: v for k, v in (("title", page.title), ("url", page.url)) if v is not None}
            meta_json = orjson.dumps(meta, option=orjson.OPT_SORT_KEYS).decode() if meta else None
            if page.text:
                out.add_record(0, source, [page.text], meta_json, size)
            else:
                out.reject(0, "no_main_text", f"{cfg.html_extractor} found no main text in {size} bytes of HTML", body,
                           source, meta_json)
    yield from out.drain()
