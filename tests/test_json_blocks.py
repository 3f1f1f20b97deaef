"""JSON Lines parsed a block at a time by Arrow give exactly what the line-by-line parser gives."""

import json
import random

import pytest

import transforms.readers as readers
from pipelines.config import IngestConfig, RecordFormat
from transforms.readers import FileStats, read_file

# Lines Arrow reads as the row path does, and lines where it must not be trusted
TRICKY = [
    b'{"id": 7, "text": "hello", "url": "u", "n": 3, "ok": true}',
    b'{"text": "no id", "url": "v", "n": -4, "ok": false}',
    b'{"id": "", "text": "empty id", "url": "w", "n": 0, "ok": true}',
    b'{"id": null, "text": "null id", "url": "x", "n": 1, "ok": true}',
    b'{"text": "missing extras"}',
    b'{"text": null, "url": "y"}',
    b'{"url": "no text"}',
    b'{"text": 42}',
    b'{"text": "float id", "id": 1.5}',
    b'{"text": "a", "text": "duplicate key"}',
    b'{"text": "two"}{"text": "objects"}',
    b'{"text": "nan", "score": NaN}',
    b'{"text": "nested", "tags": ["a", "b"], "m": {"k": 1}}',
    b'{"text": "bad \xff\xfe utf8"}',
    b'{"text": "lone \\ud800 surrogate"}',
    b'{"text": "pair \\ud83d\\ude00 and \\u4e2d\\u6587 escapes \\/"}',
    b'{"text": "crlf"}\r',
    b'   ',
    b'',
    b'{"text": "unterminated',
    b'[1, 2]',
    b'"just a string"',
    b'{"text": "big id", "id": 99999999999999999999}',
    b'{"text": "\\u0000 nul and \\t tab escaped"}',
    b'{"text": "raw \t tab"}',
    b'{"id": 12, "text": "\xe4\xb8\xad\xe6\x96\x87 text", "url": "z", "n": 5, "ok": false}',
]


def read(path, **cfg):
    stats = FileStats("src")
    records, rejects = [], []
    for emitted in read_file(str(path), "src", IngestConfig(**cfg), stats):
        (records if emitted.kind == "records" else rejects).extend(emitted.batch.to_pylist())
    key = lambda r: r["source_row"]  # noqa: E731
    return sorted(records, key=key), sorted(rejects, key=key), (stats.records, stats.rejected, stats.blank_lines, stats.reasons)


def both(path, **cfg):
    fast = read(path, arrow_json=True, **cfg)
    assert fast == read(path, arrow_json=False, **cfg)
    return fast


@pytest.mark.parametrize("batch_rows", [1, 2, 5, 4096])
def test_tricky_lines_read_alike_in_blocks_of_any_size(tmp_path, batch_rows):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(TRICKY) + b"\n")
    records, rejects, stats = both(path, batch_rows=batch_rows)
    assert [r["text"] for r in records][:5] == ["hello", "no id", "empty id", "null id", "missing extras"]
    assert [r["id"] for r in records][:4] == ["7", "src:2", "src:3", "src:4"]
    assert json.loads(records[0]["meta"]) == {"n": 3, "ok": True, "url": "u"} and records[4]["meta"] is None
    assert [r["source_row"] for r in records] == [1, 2, 3, 4, 5, 10, 13, 16, 17, 24, 26]
    assert [(r["source_row"], r["reason"]) for r in rejects] == [
        (6, "missing_field"), (7, "missing_field"), (8, "wrong_type"), (9, "wrong_type"), (11, "malformed_json"),
        (12, "malformed_json"), (14, "invalid_utf8"), (15, "malformed_json"), (20, "malformed_json"),
        (21, "not_an_object"), (22, "not_an_object"), (23, "wrong_type"), (25, "malformed_json"),
    ]
    assert stats[:3] == (11, 13, 2)


def test_random_blocks_read_alike(tmp_path):
    rng = random.Random(5)
    words = ["中文", "text", "ümlaut", "😀", "\\n", '\\"', "tab\\t", "a b", ""]
    out = []
    for i in range(3000):
        obj = {"text": " ".join(rng.choice(words) for _ in range(rng.randint(0, 6)))}
        if rng.random() < 0.7:
            obj["id"] = rng.choice([i, str(i), "", None])
        if rng.random() < 0.5:
            obj["url"] = rng.choice(["u", "", None, 3])
        if rng.random() < 0.02:
            obj["text"] = rng.choice([None, 1, ["x"]])
        line = json.dumps(obj, ensure_ascii=rng.random() < 0.5).replace("\\\\", "\\")
        out.append(line.encode() if rng.random() < 0.99 else line.encode()[:-3])
    path = tmp_path / "r.jsonl"
    path.write_bytes(b"\n".join(out) + b"\n")
    for rows in (7, 300, 4096):
        records, rejects, _ = both(path, batch_rows=rows)
        assert len(records) + len(rejects) == 3000


def test_alpaca_blocks_read_alike(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\n".join([
        b'{"instruction": "\xe5\x86\x99\xe8\xaf\x97", "output": "ok", "set": "belle"}',
        b'{"instruction": "translate", "input": "x", "output": "y", "set": "alpaca"}',
        b'{"instruction": "no output", "set": "a"}',
        b'{"instruction": "null input", "input": null, "output": "z", "set": "b"}',
    ]) + b"\n")
    records, rejects, _ = both(path, format=RecordFormat.alpaca)
    assert [(r["instruction"], r["input"]) for r in records] == [("写诗", ""), ("translate", "x"), ("null input", "")]
    assert [r["reason"] for r in rejects] == ["missing_field"]


def test_only_rows_arrow_cannot_vouch_for_take_the_row_path(tmp_path, monkeypatch):
    calls = []
    row_path = readers._json_line
    monkeypatch.setattr(readers, "_json_line", lambda out, no, line: (calls.append(no), row_path(out, no, line)))
    good = [json.dumps({"id": i, "text": f"t{i}", "url": "u", "n": i}).encode() for i in range(100)]
    path = tmp_path / "a.jsonl"

    path.write_bytes(b"\n".join(good) + b"\n")
    assert len(read(path)[0]) == 100 and calls == []

    path.write_bytes(b"\n".join(good[:50] + [b'{"id": 50, "text": null, "url": "u", "n": 1}'] + good[51:]) + b"\n")
    records, rejects, _ = read(path)
    assert (len(records), [r["reason"] for r in rejects], calls) == (99, ["missing_field"], [51])

    calls.clear()
    path.write_bytes(b"\n".join(good[:99] + [b'{"id": 99, "text": "t", "tags": [1]}']) + b"\n")
    assert len(read(path)[0]) == 100 and len(calls) == 100  # a nested field: the whole block takes the row path
