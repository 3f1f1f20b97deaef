"""Large JSON Lines files read in byte ranges give exactly what one reader of the whole file gives."""

import json
import random

import pytest

from pipelines.config import IngestConfig
from pipelines.inputs import InputFile
from pipelines.sample import en_document, write_sample, zh_document
from tests.e2e_helpers import clean
from transforms.ingest import ReadTask, _numbered_ranges
from transforms.readers import FileStats, byte_ranges, count_newlines, read_file, read_json_lines_range


def awkward_file(path) -> None:
    rng = random.Random(9)
    lines = []
    for i in range(40):
        lines.append(json.dumps({"id": f"r{i}", "text": (zh_document if i % 2 else en_document)(rng, 1)}, ensure_ascii=False).encode())
        if i % 7 == 0:
            lines.append(b"")
        if i % 11 == 0:
            lines.append(b'{"text": broken')
        if i == 20:
            lines.append(b'{"text": "' + b"z" * 3000 + b'"}')  # over max_record_bytes below, spans ranges
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines))  # BOM, CRLF, no final newline


def rows(emitted) -> list[tuple]:
    out = []
    for item in emitted:
        for row in item.batch.to_pylist():
            out.append((row["source_row"], row["id"], row.get("text"), row.get("reason")))
    return sorted(out)


@pytest.mark.parametrize("split", [1, 7, 64, 333, 1000, 5000, 10**9])
def test_ranges_read_what_the_whole_file_reads(tmp_path, split):
    path = tmp_path / "big.jsonl"
    awkward_file(path)
    cfg = IngestConfig(max_record_bytes=2000)
    whole_stats = FileStats("big.jsonl")
    whole = rows(read_file(str(path), "big.jsonl", cfg, whole_stats))
    file = InputFile(str(path), "big.jsonl", path.stat().st_size)
    counted = [(start, ReadTask(file, start, end), count_newlines(str(path), start, end))
               for start, end in byte_ranges(file.size, split)]
    ranged, blank = [], 0
    for task in _numbered_ranges(("big.jsonl", counted)):
        stats = FileStats("big.jsonl")
        ranged += rows(read_json_lines_range(str(path), "big.jsonl", cfg, stats, task.start, task.end, task.first_line))
        blank += stats.blank_lines
    assert sorted(ranged) == whole
    assert blank == whole_stats.blank_lines == 6
    assert len(whole) == 40 + 4 + 1


def test_split_and_unsplit_runs_write_the_same_bytes(tmp_path):
    write_sample(str(tmp_path / "sample"))
    path = tmp_path / "in" / "big.jsonl"
    path.parent.mkdir()
    awkward_file(path)
    one, many = tmp_path / "one", tmp_path / "many"
    assert clean("--input", str(path.parent), "--output", str(one)) == 0
    assert clean("--input", str(path.parent), "--output", str(many), "--set", "ingest.split_bytes=1000") == 0
    files = sorted(p.relative_to(one) for p in one.rglob("*.parquet"))
    assert files == sorted(p.relative_to(many) for p in many.rglob("*.parquet"))
    for name in files:
        assert (one / name).read_bytes() == (many / name).read_bytes(), name
    manifest = json.loads((many / "manifest.json").read_text())
    assert manifest["inputs"][0]["records_read"] == 45 and manifest["inputs"][0]["blank_lines"] == 6
