import datasets
import pytest

from pipelines.inputs import discover


def test_folders_globs_and_sources(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.jsonl").write_text("{}\n")
    (tmp_path / "a" / "y.jsonl.gz").write_bytes(b"")
    (tmp_path / "a" / "notes.txt").write_text("not data")
    (tmp_path / "b.jsonl").write_text("{}\n")
    files = discover([str(tmp_path / "a"), str(tmp_path / "*.jsonl")])
    assert [(f.source, f.size) for f in files] == [("a/x.jsonl", 3), ("a/y.jsonl.gz", 0), ("b.jsonl", 3)]


def test_a_pattern_matching_nothing_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        discover([str(tmp_path / "*.jsonl")])


def test_saved_datasets_folder_expands_to_its_arrow_files(tmp_path):
    ds = datasets.DatasetDict({
        "train": datasets.Dataset.from_dict({"text": ["a", "b"]}),
        "test": datasets.Dataset.from_dict({"text": ["c"]}),
    })
    ds.save_to_disk(str(tmp_path / "saved"))
    files = discover([str(tmp_path / "saved")])
    assert [f.source for f in files] == ["test/data-00000-of-00001.arrow", "train/data-00000-of-00001.arrow"]


def test_a_single_relative_file_is_named_by_its_file_name(tmp_path, monkeypatch):
    (tmp_path / "one.jsonl").write_text("{}\n")
    monkeypatch.chdir(tmp_path)
    files = discover(["one.jsonl"])
    assert [(f.source, f.path) for f in files] == [("one.jsonl", str(tmp_path / "one.jsonl"))]
