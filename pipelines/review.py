"""`winnow rejects OUT`: what a run dropped, reason by reason, with examples to eyeball."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

SNIPPET_COLUMNS = ("text", "instruction", "output", "conversations", "raw")


def read_rejects(output: str, columns: list[str] | None = None) -> pa.Table:
    pattern = FileSystems.join(output.rstrip("/"), "rejects", "part-*.parquet")
    paths = sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)
    if not paths:
        raise FileNotFoundError(f"no reject shards under {output}")
    tables = []
    for path in paths:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            tables.append(pq.read_table(f, columns=columns))
    return pa.concat_tables(tables)


def snippet(row: dict, width: int) -> str:
    """The first `width` characters of what the record says, on one line."""
    for name in SNIPPET_COLUMNS:
        value = row.get(name)
        if not value:
            continue
        if name == "conversations":
            value = " | ".join(f"{t['from']}: {t['value']}" for t in value)
        elif name == "raw":
            value = value.decode("utf-8", errors="replace")
        elif name == "instruction":
            value = f"{value} → {row.get('output') or ''}"
        text = " ⏎ ".join(value.splitlines())
        return text if len(text) <= width else text[: width - 1] + "…"
    return ""


def report(output: str, stages: list[str] | None, reasons: list[str] | None, limit: int, width: int) -> str:
    table = read_rejects(output)
    if stages:
        table = table.filter(pc.is_in(table.column("stage"), pa.array(stages)))
    if reasons:
        table = table.filter(pc.is_in(table.column("reason"), pa.array(reasons)))
    counts = table.group_by(["stage", "reason"]).aggregate([("id", "count")]).to_pylist()
    counts.sort(key=lambda c: (-c["id_count"], c["stage"], c["reason"]))
    lines = [f"{table.num_rows} rejected record(s) in {output}"]
    for group in counts:
        lines.append(f"\n{group['stage']} / {group['reason']}: {group['id_count']}")
        mask = pc.and_(pc.equal(table.column("stage"), group["stage"]), pc.equal(table.column("reason"), group["reason"]))
        for row in table.filter(mask).slice(0, limit).to_pylist():
            detail = json.loads(row["detail"]) if row["detail"] else {}
            lines.append(f"  {row['id']}  ({row['source']}:{row['source_row']})  {json.dumps(detail, ensure_ascii=False)}")
            lines.append(f"    {snippet(row, width)}")
    return "\n".join(lines)
