"""Runs over many files with several worker processes, killed, failing or resumed: every record is
written exactly once, and the output bytes are those of one uninterrupted run."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from apache_beam.runners.portability.fn_api_runner import worker_handlers

from pipelines.sample import en_document, zh_document
from tests.e2e_helpers import clean, read_output

FILES = 8
RECORDS_PER_FILE = 40
SMALL_SHARDS = ["--set", "output.target_shard_bytes=30000", "--stages", "normalize,rules,exact"]


def write_corpus(folder: Path) -> int:
    """FILES JSON Lines files; copies across files, one broken line. Returns the number of lines."""
    rng = random.Random(7)
    folder.mkdir(parents=True)
    texts = [(zh_document if i % 2 else en_document)(rng) for i in range(FILES * RECORDS_PER_FILE)]
    for i in range(0, len(texts), 9):
        texts[i] = texts[(i * 7 + 3) % len(texts)]  # exact copies, often in another file
    for n in range(FILES):
        lines = [json.dumps({"text": t}, ensure_ascii=False) for t in texts[n * RECORDS_PER_FILE:(n + 1) * RECORDS_PER_FILE]]
        if n == 3:
            lines[5] = '{"text": "broken'
        (folder / f"part-{n:02d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return FILES * RECORDS_PER_FILE


def parquet_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.parquet"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus") / "in"
    write_corpus(folder)
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference") / "out"
    assert clean("--input", str(corpus), "--output", str(out), *SMALL_SHARDS) == 0
    return out


def test_multi_process_run_over_many_files_writes_every_record_once(corpus, reference, tmp_path, monkeypatch):
    # The runner flushing its data streams every 1 ms (not 1 s) while it feeds keys to the workers is where
    # Beam's data-plane race erased records (pipelines/runner.py; tests/test_runner.py shows the race itself).
    monkeypatch.setattr(worker_handlers, "DATA_BUFFER_TIME_LIMIT_MS", 1)
    out = tmp_path / "out"
    assert clean("--input", str(corpus), "--output", str(out), *SMALL_SHARDS,
                 "--direct_running_mode=multi_processing", "--direct_num_workers=2") == 0
    data, rejects, manifest = read_output(out)
    written = sorted((r["source"], r["source_row"]) for r in data + rejects)
    assert written == sorted((f"part-{n:02d}.jsonl", line) for n in range(FILES) for line in range(1, RECORDS_PER_FILE + 1))
    assert manifest["counts"]["records_read"] == FILES * RECORDS_PER_FILE
    assert len(manifest["shards"]["data"]) > 1
    assert parquet_bytes(out) == parquet_bytes(reference)


def killed_run(corpus: Path, out: Path, fault: str) -> subprocess.CompletedProcess:
    winnow = os.path.join(os.path.dirname(sys.executable), "winnow")
    env = dict(os.environ, WINNOW_TEST_FAULT=fault)
    return subprocess.run([winnow, "clean", "--input", str(corpus), "--output", str(out), *SMALL_SHARDS],
                          env=env, capture_output=True, text=True, timeout=300)


def staging_of(out: Path) -> Path:
    [staging] = out.parent.glob(f"{out.name}.winnow-staging-*")
    return staging


@pytest.mark.parametrize("fault", [
    "read:kill:part-05",          # some tasks finished, the rest not begun
    "stage-write:kill:",          # in the middle of a task's staged files
    "task-done:kill:part-02",     # a task's files are in place but it is not marked finished
    "assemble:kill:part-00001",   # every task finished, killed while writing shards
])
def test_a_killed_run_resumes_to_the_same_bytes(corpus, reference, tmp_path, capsys, fault):
    out = tmp_path / "out"
    killed = killed_run(corpus, out, fault)
    assert killed.returncode == -9, killed.stderr
    assert not out.exists()
    finished = len(list(staging_of(out).glob("tasks/*/task.json")))
    assert clean("--input", str(corpus), "--output", str(out), *SMALL_SHARDS) == 2  # staged work is never silently dropped
    assert "pass --resume" in capsys.readouterr().err
    assert clean("--input", str(corpus), "--output", str(out), *SMALL_SHARDS, "--resume") == 0
    assert f"resuming: {finished} finished task(s)" in capsys.readouterr().err
    assert (finished == FILES) == fault.startswith("assemble")
    assert parquet_bytes(out) == parquet_bytes(reference)
    assert list(tmp_path.iterdir()) == [out]  # staging published and gone


def test_a_transient_fault_is_retried_and_the_output_is_unchanged(corpus, reference, tmp_path, monkeypatch):
    monkeypatch.setenv("WINNOW_TEST_FAULT", "read:transient:part-04")
    monkeypatch.setenv("WINNOW_TEST_FAULT_DIR", str(tmp_path))
    out = tmp_path / "out"
    assert clean("--input", str(corpus), "--output", str(out), *SMALL_SHARDS) == 0
    assert read_output(out)[2]["run"]["attempts"] == 2
    assert parquet_bytes(out) == parquet_bytes(reference)


def test_a_permanent_fault_fails_clearly_and_publishes_nothing(corpus, reference, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WINNOW_TEST_FAULT", "read:permanent:part-06")
    out = tmp_path / "out"
    assert clean("--input", str(corpus), "--output", str(out), *SMALL_SHARDS, "--attempts", "2") == 1
    err = capsys.readouterr().err
    assert "attempt 1 of 2 failed (injected permanent fault at read (part-06.jsonl)" in err
    assert "the run failed, nothing was published: injected permanent fault at read (part-06.jsonl)" in err
    assert "run the same command with --resume" in err
    assert not out.exists()
    monkeypatch.delenv("WINNOW_TEST_FAULT")
    assert clean("--input", str(corpus), "--output", str(out), *SMALL_SHARDS, "--resume") == 0
    assert parquet_bytes(out) == parquet_bytes(reference)


def test_a_full_disk_stops_at_once_and_keeps_staging_for_resume(corpus, reference, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WINNOW_TEST_FAULT", "stage-write:enospc:part-07")
    out = tmp_path / "out"
    assert clean("--input", str(corpus), "--output", str(out), *SMALL_SHARDS) == 1
    err = capsys.readouterr().err
    assert "the run failed, nothing was published: the disk is full" in err
    assert "attempt" not in err  # a full disk is not retried
    assert not out.exists()
    assert not list(staging_of(out).rglob("*.tmp-*"))  # no half-written staged file is left behind
    monkeypatch.delenv("WINNOW_TEST_FAULT")
    assert clean("--input", str(corpus), "--output", str(out), *SMALL_SHARDS, "--resume") == 0
    assert parquet_bytes(out) == parquet_bytes(reference)
