"""End to end: bad input of every kind, other input formats, and how OUT is published."""

import gzip
import json
import os
import random
import subprocess
import sys

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from pipelines.cli import main
from pipelines.config import WinnowConfig
from pipelines.sample import en_document, zh_document
from tests.e2e_helpers import clean, fates, read_output

RNG = random.Random(42)
DOCS = [zh_document(RNG) if i % 2 else en_document(RNG) for i in range(6)]


def jsonl(*records) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode()) + b"\n" for r in records)


def test_every_bad_input_reason_end_to_end(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.jsonl").write_bytes(jsonl(
        {"id": "ok-1", "text": DOCS[0]},
        b'{"id": "bad-json", "text": ',
        b'{"id": "bad-utf8", "text": "\xc3\x28"}',
        {"id": "no-text"},
        {"id": "int-text", "text": 5},
        b'"just a string"',
        {"id": "too-big", "text": "x" * 3000},
        {"id": "ok-1", "text": DOCS[1]},
    ))
    whole = gzip.compress(jsonl(*({"id": f"g-{i}", "text": DOCS[2] + f" {i}"} for i in range(3000))))
    (inp / "b.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    (inp / "c.jsonl.gz").write_bytes(b"this is not gzip")
    out = tmp_path / "out"
    assert clean("--input", str(inp), "--output", str(out), "--set", "ingest.max_record_bytes=2048", "--stages", "exact") == 0
    data, rejects, manifest = read_output(out)
    got = fates(data, rejects)
    assert {k: v for k, v in got.items() if k[0] == "a.jsonl"} == {
        ("a.jsonl", 1): "kept", ("a.jsonl", 2): "malformed_json", ("a.jsonl", 3): "invalid_utf8",
        ("a.jsonl", 4): "missing_field", ("a.jsonl", 5): "wrong_type", ("a.jsonl", 6): "not_an_object",
        ("a.jsonl", 7): "record_too_large", ("a.jsonl", 8): "duplicate_id",
    }
    read_from_b = [k for k in got if k[0] == "b.jsonl.gz"]
    truncated = [k for k, v in got.items() if v == "truncated_input"]
    assert truncated == [("b.jsonl.gz", len(read_from_b))]
    assert got[("c.jsonl.gz", 1)] == "unreadable_file"
    assert manifest["counts"]["records_read"] == len(got)
    bad_utf8 = next(r for r in rejects if r["reason"] == "invalid_utf8")
    assert bad_utf8["raw"] == b'{"id": "bad-utf8", "text": "\xc3\x28"}' and bad_utf8["id"] == "a.jsonl:3"
    dup = next(r for r in rejects if r["reason"] == "duplicate_id")
    assert (dup["stage"], json.loads(dup["detail"])) == ("ingest", {"first_seen": "a.jsonl:1"})


def test_parquet_and_saved_datasets_inputs(tmp_path):
    pq.write_table(pa.table({"id": ["p1", "p2"], "text": [DOCS[0], DOCS[1]], "url": ["u1", "u2"]}), tmp_path / "x.parquet")
    datasets.Dataset.from_dict({"id": ["q1", "q2"], "text": [DOCS[2], DOCS[0]]}).save_to_disk(str(tmp_path / "saved"))
    out = tmp_path / "out"
    assert clean("--input", str(tmp_path / "x.parquet"), "--input", str(tmp_path / "saved"), "--output", str(out)) == 0
    data, rejects, _ = read_output(out)
    assert sorted(r["id"] for r in data) == ["p1", "p2", "q1"]
    assert [(r["id"], r["reason"], json.loads(r["detail"])) for r in rejects] == [("q2", "exact_duplicate", {"duplicate_of": "p1"})]
    assert json.loads(next(r for r in data if r["id"] == "p1")["meta"]) == {"url": "u1"}


def write_small_input(tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(jsonl({"id": "a", "text": DOCS[0]}))
    return inp


def test_existing_output_is_refused_without_overwrite(tmp_path, capsys):
    inp, out = write_small_input(tmp_path), tmp_path / "out"
    assert clean("--input", str(inp), "--output", str(out)) == 0
    before = (out / "manifest.json").read_bytes()
    assert clean("--input", str(inp), "--output", str(out)) == 2
    assert "pass --overwrite" in capsys.readouterr().err
    assert (out / "manifest.json").read_bytes() == before
    assert clean("--input", str(inp), "--output", str(out), "--overwrite") == 0


def test_overwrite_never_replaces_a_folder_that_is_not_a_winnow_output(tmp_path, capsys):
    inp, out = write_small_input(tmp_path), tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("keep me")
    assert clean("--input", str(inp), "--output", str(out), "--overwrite") == 2
    assert (out / "thesis.tex").read_text() == "keep me"
    assert "not a winnow output" in capsys.readouterr().err


def test_failed_run_leaves_no_output_and_no_staging(tmp_path, capsys):
    inp, out = write_small_input(tmp_path), tmp_path / "out"
    assert clean("--input", str(inp), "--output", str(out), "--set", "lang.model_path=/nonexistent/model.ftz") == 1
    assert "nothing was published" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["in.jsonl"]


def test_unknown_stage_is_a_usage_error(tmp_path, capsys):
    inp = write_small_input(tmp_path)
    assert clean("--input", str(inp), "--output", str(tmp_path / "o"), "--stages", "rules,dedupe") == 2
    assert "unknown stage" in capsys.readouterr().err


def test_print_defaults_is_the_default_config(capsys):
    assert main(["config", "--print-defaults"]) == 0
    assert WinnowConfig.model_validate(yaml.safe_load(capsys.readouterr().out)) == WinnowConfig()


def test_console_script_runs(tmp_path):
    winnow = os.path.join(os.path.dirname(sys.executable), "winnow")
    result = subprocess.run([winnow, "sample", str(tmp_path)], capture_output=True, text=True, check=True)
    assert "web-00.jsonl.gz: 149 records" in result.stdout


def test_input_without_records_still_writes_one_empty_shard_each(tmp_path):
    (tmp_path / "blank.jsonl").write_bytes(b"\n  \n")
    out = tmp_path / "out"
    assert clean("--input", str(tmp_path / "blank.jsonl"), "--output", str(out)) == 0
    data, rejects, manifest = read_output(out)
    assert (data, rejects) == ([], [])
    assert manifest["counts"] == {"records_read": 0, "kept": 0, "rejected": 0, "reconciled": True}
    assert manifest["inputs"][0]["blank_lines"] == 2
    assert [s["path"] for s in manifest["shards"]["data"]] == ["data/part-00000-of-00001.parquet"]


def test_the_plan_is_announced_before_the_run(tmp_path, capsys):
    inp = write_small_input(tmp_path)
    assert clean("--input", str(inp), "--output", str(tmp_path / "out"), "--stages", "exact") == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        f"winnow: 1 file(s), 0.0 MB, format web, stages exact, runner DirectRunner (in_memory, 1 worker(s)) -> {tmp_path / 'out'}")
