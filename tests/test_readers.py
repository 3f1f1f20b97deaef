"""Decoding input files into record and reject batches, without Beam."""

import bz2
import gzip
import json
import zlib

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from pipelines.config import IngestConfig, RecordFormat
from transforms.readers import FileStats, read_file


def read(path, **cfg):
    stats = FileStats("src")
    records, rejects = [], []
    for emitted in read_file(str(path), "src", IngestConfig(**cfg), stats):
        (records if emitted.kind == "records" else rejects).extend(emitted.batch.to_pylist())
    return records, rejects, stats


def lines(*items: bytes) -> bytes:
    return b"\n".join(items) + b"\n"


def test_good_records_keep_own_ids_and_carry_extra_fields(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(lines(b'{"id": 7, "text": "hello", "url": "u", "tags": ["x"]}', b'{"text": "world"}'))
    records, rejects, _ = read(path)
    assert [(r["id"], r["source_row"], r["text"]) for r in records] == [("7", 1, "hello"), ("src:2", 2, "world")]
    assert json.loads(records[0]["meta"]) == {"tags": ["x"], "url": "u"}
    assert records[1]["meta"] is None and rejects == []


@pytest.mark.parametrize(
    "line, reason",
    [
        (b'{"text": "unterminated', "malformed_json"),
        (b'{"text": "\xff\xfe"}', "invalid_utf8"),
        (b'{"url": "no text"}', "missing_field"),
        (b'{"text": null}', "missing_field"),
        (b'{"text": 42}', "wrong_type"),
        (b'{"text": "ok", "id": 1.5}', "wrong_type"),
        (b'[1, 2]', "not_an_object"),
    ],
)
def test_each_bad_line_is_one_reject_and_the_file_goes_on(tmp_path, line, reason):
    path = tmp_path / "a.jsonl"
    path.write_bytes(lines(b'{"text": "before"}', line, b'{"text": "after"}'))
    records, rejects, stats = read(path)
    assert [r["text"] for r in records] == ["before", "after"]
    assert [(r["reason"], r["stage"], r["source_row"], r["raw"]) for r in rejects] == [(reason, "ingest", 2, line)]
    assert stats.reasons == {reason: 1}


def test_over_size_record_is_rejected_with_its_head_only(tmp_path):
    path = tmp_path / "a.jsonl"
    big = b'{"text": "' + b"x" * 5000 + b'"}'
    path.write_bytes(lines(b'{"text": "a"}', big, b'{"text": "b"}'))
    records, rejects, _ = read(path, max_record_bytes=1000, reject_raw_max_bytes=100)
    assert [r["text"] for r in records] == ["a", "b"]
    assert [(r["reason"], r["source_row"], len(r["raw"])) for r in rejects] == [("record_too_large", 2, 100)]
    assert json.loads(rejects[0]["detail"])["error"] == "record is 5012 bytes; the limit is 1000"


def test_over_size_record_spanning_many_reads_is_never_held_whole(tmp_path, monkeypatch):
    monkeypatch.setattr("transforms.readers.READ_CHUNK", 64)
    path = tmp_path / "a.jsonl"
    path.write_bytes(lines(b'{"text": "' + b"y" * 1000 + b'"}', b'{"text": "z"}'))
    records, rejects, _ = read(path, max_record_bytes=100)
    assert [r["text"] for r in records] == ["z"]
    assert [(r["reason"], r["source_row"]) for r in rejects] == [("record_too_large", 1)]


def test_blank_lines_are_counted_not_records(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "a"}\n\n  \r\n{"text": "b"}')
    records, rejects, stats = read(path)
    assert [r["source_row"] for r in records] == [1, 4]
    assert (stats.blank_lines, rejects) == (2, [])


def corpus(n: int) -> bytes:
    return b"".join(b'{"text": "record %d"}\n' % i for i in range(n))


@pytest.mark.parametrize("suffix, compress", [(".jsonl.gz", gzip.compress), (".jsonl.zst", zstandard.ZstdCompressor().compress)])
def test_truncated_stream_keeps_what_was_read_and_says_where_it_stopped(tmp_path, suffix, compress):
    blob = compress(corpus(50000))
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(blob[: len(blob) // 2])
    records, rejects, _ = read(path)
    assert len(rejects) == 1 and rejects[0]["reason"] == "truncated_input"
    assert rejects[0]["source_row"] == len(records) + 1
    assert len(records) > 10000
    assert [r["text"] for r in records] == [f"record {i}" for i in range(len(records))]


@pytest.mark.parametrize("suffix, compress", [(".jsonl.gz", gzip.compress), (".jsonl.zst", zstandard.ZstdCompressor().compress)])
def test_whole_compressed_files_read_completely(tmp_path, suffix, compress):
    path = tmp_path / f"ok{suffix}"
    path.write_bytes(compress(corpus(3000)) + compress(corpus(2)))  # two gzip members / zstd frames
    records, rejects, _ = read(path)
    assert (len(records), rejects) == (3002, [])


def test_file_that_is_not_gzip_is_unreadable(tmp_path):
    path = tmp_path / "fake.jsonl.gz"
    path.write_bytes(b'{"text": "plain"}\n')
    records, rejects, _ = read(path)
    assert records == [] and [r["reason"] for r in rejects] == ["unreadable_file"]


def test_alpaca_input_defaults_to_empty_and_output_is_required(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(lines(b'{"instruction": "i", "output": "o"}', b'{"instruction": "i", "input": "x"}'))
    records, rejects, _ = read(path, format=RecordFormat.alpaca)
    assert [(r["instruction"], r["input"], r["output"]) for r in records] == [("i", "", "o")]
    assert [r["reason"] for r in rejects] == ["missing_field"]


def test_sharegpt_turns_must_have_speaker_and_text(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(lines(
        b'{"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]}',
        b'{"conversations": [{"from": "human"}]}',
        b'{"conversations": "hi"}',
    ))
    records, rejects, _ = read(path, format=RecordFormat.sharegpt)
    assert records[0]["conversations"] == [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]
    assert [r["reason"] for r in rejects] == ["malformed_conversation", "wrong_type"]


def test_field_names_are_configurable(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(lines(b'{"doc_id": "d1", "content": "hello"}'))
    records, _, _ = read(path, fields={"id": "doc_id", "text": "content"})
    assert [(r["id"], r["text"]) for r in records] == [("d1", "hello")]


def test_parquet_rows_are_records_with_row_numbers(tmp_path):
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"text": ["a", None, "c"], "score": [1, 2, 3]}), path)
    records, rejects, _ = read(path)
    assert [(r["id"], r["text"], json.loads(r["meta"])) for r in records] == [("src:0", "a", {"score": 1}), ("src:2", "c", {"score": 3})]
    assert [(r["reason"], r["source_row"]) for r in rejects] == [("missing_field", 1)]


def test_corrupt_parquet_is_unreadable(tmp_path):
    path = tmp_path / "p.parquet"
    path.write_bytes(b"not parquet at all")
    records, rejects, _ = read(path)
    assert records == [] and [r["reason"] for r in rejects] == ["unreadable_file"]


def test_batches_hold_at_most_batch_rows(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(corpus(25))
    stats = FileStats("src")
    sizes = [e.batch.num_rows for e in read_file(str(path), "src", IngestConfig(batch_rows=10), stats)]
    assert sizes == [10, 10, 5]


def test_a_json_array_file_is_read_element_by_element(tmp_path):
    path = tmp_path / "alpaca_data.json"
    path.write_text(json.dumps([
        {"instruction": "Give three tips.", "input": "", "output": "Eat, sleep, move."},
        "not a record",
        {"instruction": "Add 2 and 3.", "output": 5},
    ], indent=2))
    records, rejects, _ = read(path, format=RecordFormat.alpaca)
    assert [(r["id"], r["source_row"], r["output"]) for r in records] == [("src:0", 0, "Eat, sleep, move.")]
    assert [(r["source_row"], r["reason"], r["raw"]) for r in rejects] == [
        (1, "not_an_object", b'"not a record"'), (2, "wrong_type", b'{"instruction":"Add 2 and 3.","output":5}')]


def test_a_json_array_over_the_limit_is_rejected_whole(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"text": "x" * 100}] * 50))
    records, rejects, _ = read(path, max_json_array_bytes=1000)
    assert records == [] and [r["reason"] for r in rejects] == ["unreadable_file"]


def test_jsonl_whose_first_line_is_an_array_is_still_read_by_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(lines(b"[1, 2]", b'{"text": "fine"}'))
    records, rejects, _ = read(path)
    assert [r["text"] for r in records] == ["fine"]
    assert [(r["source_row"], r["reason"]) for r in rejects] == [(1, "not_an_object")]


def test_utf8_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + lines(b'{"text": "first"}', b'{"text": "second"}'))
    records, rejects, _ = read(path)
    assert ([r["text"] for r in records], rejects) == (["first", "second"], [])


def test_batches_also_end_at_batch_bytes(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"".join(b'{"text": "' + b"x" * 90 + b'"}\n' for _ in range(10)))  # 102 bytes a line
    stats = FileStats("src")
    sizes = [e.batch.num_rows for e in read_file(str(path), "src", IngestConfig(batch_bytes=300), stats)]
    assert sizes == [3, 3, 3, 1]


def test_parquet_batches_are_sized_by_their_text(tmp_path):
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"text": ["y" * 100] * 5}), path)
    stats = FileStats("src")
    sizes = [e.batch.num_rows for e in read_file(str(path), "src", IngestConfig(batch_bytes=250), stats)]
    assert sizes == [3, 2]


def by_path(batch, cfg, columnar: bool):
    """(records, rejects) of one batch through the columnar path or the row-by-row path."""
    from transforms.readers import _BatchAssembler, _columnar_batch, columnar_fields

    out = _BatchAssembler(cfg, "src", FileStats("src"))
    emitted = list(_columnar_batch(batch, columnar_fields(batch.schema, cfg), 10, out, cfg)) if columnar else []
    if not columnar:
        for offset, obj in enumerate(batch.to_pylist()):
            out.add(10 + offset, obj)
    emitted += list(out.drain())
    records = sorted(r for e in emitted if e.kind == "records" for r in map(tuple, (x.values() for x in e.batch.to_pylist())))
    rejects = sorted(tuple(r.values()) for e in emitted if e.kind == "rejects" for r in e.batch.to_pylist())
    return records, rejects


def test_columnar_parquet_rows_equal_the_row_path():
    batch = pa.RecordBatch.from_pydict({
        "id": pa.array([7, None, 9, 10, 11], pa.int64()),
        "text": pa.array(["a", "b", None, "", "e"], pa.string()),
        "url": pa.array(["u1", None, "u3", "u4", "u5"]),
        "tags": pa.array([["x"], [], None, ["y", "z"], ["w"]]),
        "score": pa.array([1.5, 2.0, None, float("nan"), 3.0]),
    })
    cfg = IngestConfig()
    assert by_path(batch, cfg, columnar=True) == by_path(batch, cfg, columnar=False)
    records, rejects = by_path(batch, cfg, columnar=True)
    assert [r[0] for r in records] == ["10", "11", "7", "src:11"] and [r[-3] for r in rejects] == ["missing_field"]


def test_columnar_alpaca_rows_equal_the_row_path():
    batch = pa.RecordBatch.from_pydict({
        "id": pa.array(["a", "", "c"]),
        "instruction": pa.array(["写诗", "translate", None]),
        "output": pa.array(["春风", "ok", "x"]),
        "source_set": pa.array(["belle", "alpaca", "belle"]),
    })
    cfg = IngestConfig(format=RecordFormat.alpaca)
    records, rejects = by_path(batch, cfg, columnar=True)
    assert (records, rejects) == by_path(batch, cfg, columnar=False)
    assert [(r[0], r[4]) for r in records] == [("a", ""), ("src:11", "")]  # no input column: ""


# --- streams cut before their end: every complete record before the break is kept -------------------

CODECS = {
    ".gz": (gzip.compress, lambda: zlib.decompressobj(wbits=31)),
    ".zst": (zstandard.ZstdCompressor().compress, lambda: zstandard.ZstdDecompressor().decompressobj()),
    ".bz2": (bz2.compress, bz2.BZ2Decompressor),
}


def decodable(suffix: str, blob: bytes) -> bytes:
    """What the codec itself can decode from a cut stream (bzip2 only decodes whole 900 kB blocks)."""
    try:
        return CODECS[suffix][1]().decompress(blob)
    except (zlib.error, zstandard.ZstdError, OSError, EOFError):
        return b""


def check_cut(tmp_path, suffix: str, plain: bytes, cut: int, name: str = "cut.jsonl"):
    blob = CODECS[suffix][0](plain)
    path = tmp_path / f"{name}{suffix}"
    path.write_bytes(blob[:cut])
    records, rejects, _ = read(path)
    complete = decodable(suffix, blob[:cut]).count(b"\n")
    assert [r["text"] for r in records] == [f"record {i}" for i in range(complete)], cut
    assert [(r["reason"], r["source_row"]) for r in rejects] == [("truncated_input", complete + 1)], cut


@pytest.mark.parametrize("suffix", sorted(CODECS))
def test_small_stream_cut_at_every_offset_keeps_each_complete_line(tmp_path, suffix):
    plain = corpus(17)
    blob = CODECS[suffix][0](plain)
    for cut in range(1, len(blob)):
        check_cut(tmp_path, suffix, plain, cut)
    if suffix != ".zst":  # zstd decodes whole blocks; gzip and bzip2 lose only their end marker here
        assert decodable(suffix, blob[:-1]).count(b"\n") == 17


@pytest.mark.parametrize("suffix", sorted(CODECS))
def test_large_stream_cut_at_many_offsets_keeps_each_complete_line(tmp_path, suffix):
    plain = corpus(60000)  # 1.3 MB: more than one read, and two bzip2 blocks
    blob = CODECS[suffix][0](plain)
    for cut in sorted({1, 7, 200, len(blob) // 3, len(blob) // 2 + 11, len(blob) - 5, len(blob) - 1}):
        check_cut(tmp_path, suffix, plain, cut)


@pytest.mark.parametrize("suffix", sorted(CODECS))
def test_whole_streams_of_every_codec_read_completely(tmp_path, suffix):
    path = tmp_path / f"ok.jsonl{suffix}"
    compress = CODECS[suffix][0]
    path.write_bytes(compress(corpus(17)) + compress(corpus(3)))  # two members / frames / streams
    records, rejects, _ = read(path)
    assert (len(records), rejects) == (20, [])


def test_small_gzip_of_17_lines_cut_before_its_end_marker_keeps_all_17(tmp_path):
    blob = gzip.compress(corpus(17))
    path = tmp_path / "small.jsonl.gz"
    path.write_bytes(blob[:-8])  # the CRC and size trailer are gone
    records, rejects, _ = read(path)
    assert len(records) == 17
    assert [(r["reason"], r["source_row"]) for r in rejects] == [("truncated_input", 18)]


def test_empty_compressed_file_has_no_records_and_no_rejects(tmp_path):
    path = tmp_path / "empty.jsonl.gz"
    path.write_bytes(b"")
    assert read(path)[:2] == ([], [])


@pytest.mark.parametrize("suffix", sorted(CODECS))
def test_json_array_file_cut_keeps_its_complete_records(tmp_path, suffix):
    items = [{"instruction": f"task {i}, with [brackets] and {{braces}}", "output": f"answer {i}"} for i in range(40)]
    plain = json.dumps(items, indent=1).encode()
    blob = CODECS[suffix][0](plain)
    for cut in sorted({1, 30, len(blob) // 4, len(blob) // 2, len(blob) - 3, len(blob) - 1}):
        path = tmp_path / f"alpaca.json{suffix}"
        path.write_bytes(blob[:cut])
        records, rejects, _ = read(path, format=RecordFormat.alpaca)
        prefix = decodable(suffix, blob[:cut])
        complete = sum(1 for i in range(len(items)) if prefix.find(f'"output": "answer {i}"\n }}'.encode()) >= 0)
        assert [r["output"] for r in records] == [f"answer {i}" for i in range(complete)], cut
        where = complete if prefix else 1  # nothing decoded: the file cannot even be recognised as an array
        assert [(r["reason"], r["source_row"]) for r in rejects] == [("truncated_input", where)], cut


def test_corrupt_gzip_data_after_good_lines_is_truncated_input(tmp_path):
    blob = bytearray(gzip.compress(corpus(20000)))
    blob[len(blob) // 2: len(blob) // 2 + 64] = bytes(64)
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(bytes(blob))
    records, rejects, _ = read(path)
    assert len(records) > 1000 and rejects[-1]["reason"] == "truncated_input"
    assert [r["text"] for r in records[:1000]] == [f"record {i}" for i in range(1000)]
