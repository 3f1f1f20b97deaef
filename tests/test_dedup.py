"""Dedup decisions on key tables, without Beam."""

import json

import pyarrow as pa

from transforms.dedup import KEY_SCHEMA, exact_duplicates, source_priority, unique_ids


def keys(rows):
    """rows: (id, source, source_row, priority, hash)"""
    cols = list(zip(*rows))
    return pa.Table.from_arrays(
        [pa.array(cols[0]), pa.array(cols[1]), pa.array(cols[2], pa.int64()), pa.array([0] * len(rows), pa.int32()),
         pa.array(cols[3], pa.int32()),
         pa.array([10] * len(rows), pa.int64()), pa.array([0] * len(rows), pa.uint64()), pa.array(cols[4], pa.uint64()),
         pa.array([0] * len(rows), pa.uint64())],
        schema=KEY_SCHEMA,
    )


def test_first_record_of_an_id_keeps_it():
    table = keys([("b", "f2", 1, 0, 1), ("a", "f1", 9, 0, 2), ("b", "f1", 5, 0, 3), ("b", "f1", 2, 0, 4)])
    survivors, decisions = unique_ids(table)
    assert survivors.select(["id", "source", "source_row"]).to_pylist() == [
        {"id": "a", "source": "f1", "source_row": 9}, {"id": "b", "source": "f1", "source_row": 2}]
    assert [(d["source"], d["source_row"], d["reason"], json.loads(d["detail"])) for d in decisions.to_pylist()] == [
        ("f1", 5, "duplicate_id", {"first_seen": "f1:2"}), ("f2", 1, "duplicate_id", {"first_seen": "f1:2"})]


def test_smallest_id_survives_an_exact_group():
    table = keys([("c", "f", 1, 0, 7), ("a", "f", 2, 0, 7), ("b", "f", 3, 0, 7), ("z", "f", 4, 0, 8)])
    survivors, decisions = exact_duplicates(table)
    assert sorted(survivors.column("id").to_pylist()) == ["a", "z"]
    assert [(d["id"], d["stage"], d["reason"], json.loads(d["detail"])) for d in decisions.to_pylist()] == [
        ("b", "exact", "exact_duplicate", {"duplicate_of": "a"}), ("c", "exact", "exact_duplicate", {"duplicate_of": "a"})]


def test_source_priority_beats_smaller_id():
    table = keys([("a", "crawl/x", 1, 1, 7), ("b", "curated/y", 1, 0, 7)])
    survivors, decisions = exact_duplicates(table)
    assert survivors.column("id").to_pylist() == ["b"]
    assert json.loads(decisions.column("detail")[0].as_py()) == {"duplicate_of": "b"}


def test_source_priority_ranks_by_first_matching_pattern():
    ranks = source_priority(pa.array(["curated/a.jsonl", "crawl/b.jsonl", "other.jsonl"]), ["curated/*", "crawl/*"])
    assert ranks.tolist() == [0, 1, 2]
