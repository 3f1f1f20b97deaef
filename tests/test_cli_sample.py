"""End to end on the bundled sample: every record's fate matches the answer key it carries."""

import json

import datasets
import pyarrow.dataset as ds
import pytest

from pipelines.cli import main
from pipelines.sample import BROKEN_SHAREGPT_LINES, BROKEN_WEB_LINES, alpaca_records, sharegpt_records, web_records, write_sample
from tests.e2e_helpers import clean, fates, read_output


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    write_sample(str(folder))
    return folder


def expected_web():
    expected = {}
    for n, part in enumerate(web_records()):
        for line, record in enumerate(part, start=1):
            expected[(f"web-{n:02d}.jsonl.gz", line)] = record["expect"]
    for line, (_, reason) in enumerate(BROKEN_WEB_LINES, start=1):
        expected[("web-02-broken.jsonl", line)] = reason
    return expected


def test_web_sample_fates_and_manifest(sample, tmp_path, capsys):
    out = tmp_path / "out"
    assert clean("--input", str(sample / "web"), "--output", str(out)) == 0
    data, rejects, manifest = read_output(out)
    assert fates(data, rejects) == expected_web()
    assert manifest["counts"] == {"records_read": 304, "kept": 241, "rejected": 63, "reconciled": True}
    assert [(s["stage"], s["in"], s["out"]) for s in manifest["stages"]] == [
        ("ingest", 304, 298), ("normalize", 298, 298), ("rules", 298, 283), ("lang", 283, 281), ("exact", 281, 241)]
    assert manifest["languages"] == {"kept": {"en": 121, "zh": 120}, "rejected": {"fr": 1, "ja": 1}}
    assert "241 kept, 63 rejected" in capsys.readouterr().out


def test_exact_duplicates_name_a_survivor_that_is_in_the_output(sample, tmp_path):
    out = tmp_path / "out"
    clean("--input", str(sample / "web"), "--output", str(out))
    data, rejects, _ = read_output(out)
    kept_ids = {r["id"] for r in data}
    duplicates = [r for r in rejects if r["reason"] == "exact_duplicate"]
    assert len(duplicates) == 40
    for row in duplicates:
        survivor = json.loads(row["detail"])["duplicate_of"]
        assert survivor in kept_ids
        assert survivor == json.loads(row["meta"])["duplicate_of"]  # the generator's own record of the original


def test_alpaca_sample_fates(sample, tmp_path):
    out = tmp_path / "out"
    assert clean("--input", str(sample / "alpaca"), "--output", str(out), "--format", "alpaca") == 0
    data, rejects, manifest = read_output(out)
    expected = {("alpaca-00.jsonl", line): r["expect"] for line, r in enumerate(alpaca_records(), start=1)}
    assert fates(data, rejects) == expected
    assert set(data[0]) == {"id", "source", "source_row", "instruction", "input", "output", "meta", "cleaned", "lang", "lang_score",
                            "length"}


def test_sharegpt_sample_fates(sample, tmp_path):
    out = tmp_path / "out"
    assert clean("--input", str(sample / "sharegpt"), "--output", str(out), "--format", "sharegpt") == 0
    data, rejects, _ = read_output(out)
    records = sharegpt_records()
    expected = {("sharegpt-00.jsonl", line): r["expect"] for line, r in enumerate(records, start=1)}
    for offset, (_, reason) in enumerate(BROKEN_SHAREGPT_LINES, start=len(records) + 1):
        expected[("sharegpt-00.jsonl", offset)] = reason
    assert fates(data, rejects) == expected


def test_every_input_record_is_written_exactly_once(sample, tmp_path):
    out = tmp_path / "out"
    clean("--input", str(sample / "web"), "--output", str(out), "--set", "output.target_shard_bytes=20000")
    data, rejects, manifest = read_output(out)
    keys = [(r["source"], r["source_row"]) for r in data + rejects]
    assert len(keys) == len(set(keys)) == manifest["counts"]["records_read"] == 304
    assert len(manifest["shards"]["data"]) == len(list((out / "data").iterdir())) > 1
    assert sum(s["rows"] for s in manifest["shards"]["data"]) == len(data)
    assert sum(s["rows"] for s in manifest["shards"]["rejects"]) == len(rejects)


def test_output_is_byte_identical_whatever_the_worker_count_and_batch_size(sample, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    common = ["--input", str(sample / "web"), "--set", "output.target_shard_bytes=20000"]
    clean(*common, "--output", str(one), "--direct_running_mode=in_memory", "--direct_num_workers=1")
    clean(*common, "--output", str(two), "--set", "ingest.batch_rows=64",
          "--direct_running_mode=multi_processing", "--direct_num_workers=2")
    files = sorted(p.relative_to(one) for p in one.rglob("*.parquet"))
    assert len(files) > 4
    assert files == sorted(p.relative_to(two) for p in two.rglob("*.parquet"))
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_output_reads_with_datasets_and_pyarrow(sample, tmp_path):
    out = tmp_path / "out"
    clean("--input", str(sample / "web"), "--output", str(out))
    loaded = datasets.load_dataset("parquet", data_files=str(out / "data" / "*.parquet"), split="train")
    assert loaded.num_rows == 241
    assert loaded.column_names == ["id", "source", "source_row", "text", "meta", "cleaned", "lang", "lang_score", "length"]
    table = ds.dataset(str(out / "data"), format="parquet").to_table()
    assert table.num_rows == 241
    assert ds.dataset(str(out / "rejects"), format="parquet").schema.names[-4:] == ["stage", "reason", "detail", "raw"]


def test_rejects_command_lists_reasons_with_examples(sample, tmp_path, capsys):
    out = tmp_path / "out"
    clean("--input", str(sample / "web"), "--output", str(out))
    capsys.readouterr()
    assert main(["rejects", str(out), "--reason", "duplicate_id", "--reason", "malformed_json", "--limit", "5"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"2 rejected record(s) in {out}"
    assert "ingest / duplicate_id: 1" in printed
    assert "ingest / malformed_json: 1" in printed
    assert '  web-02-broken.jsonl:1  (web-02-broken.jsonl:1)  {"error": "unexpected end of data: line 1 column 41 (char 40)"}' in printed
    assert '    {"id": "broken-1", "text": "unterminated' in printed
