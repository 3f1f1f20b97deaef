"""Stage `near` under Beam: clusters against a union-find oracle, and whole runs with known copies."""

import json
import random

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pytest
from apache_beam.testing.util import assert_that, equal_to

from filters.clusters import connected_components_py
from pipelines.sample import en_document, zh_document
from tests.beam_helpers import test_pipeline
from tests.e2e_helpers import clean, read_output
from transforms.exchange import exchange_path, write_partitioned
from transforms.near import EDGE_SCHEMA, ConnectedComponents, final_labels, handle_partition

PARTITIONS = 4


def handle(node: int) -> int:
    """Test nodes spread over the partitions as record handles are (the partition in the top 16 bits),
    keeping their order, so the smallest handle of a component is its smallest node."""
    return (min(PARTITIONS - 1, node // 16) << 48) | node


def stage_edges(staging, edges):
    ends = np.array([[handle(a), handle(b)] for a, b in edges], dtype=np.uint64)
    node, neighbour = np.r_[ends[:, 0], ends[:, 1]], np.r_[ends[:, 1], ends[:, 0]]
    table = pa.table({"node": node, "neighbour": neighbour, "similarity": np.ones(len(node)),
                      "distance": np.zeros(len(node), np.int32)}, schema=EDGE_SCHEMA)
    return write_partitioned(exchange_path(staging, "near-edges", 0), table, handle_partition(node))


def check_components(edges, rounds, unresolved_edges, staging):
    """Labels equal the union-find oracle's; `unresolved_edges` went to the final union-find."""
    nodes = sorted({n for e in edges for n in e[:2]})
    index = {n: i for i, n in enumerate(nodes)}
    oracle = connected_components_py(len(nodes), [(index[a], index[b]) for a, b in edges])
    low = (1 << 48) - 1
    with test_pipeline() as p:
        staged = p | "Edges" >> beam.Create([None]) | "Stage" >> beam.Map(lambda _: stage_edges(str(staging), edges))
        labels, roots = staged | ConnectedComponents(str(staging), PARTITIONS, rounds)
        found = (
            p | "Partitions" >> beam.Create(range(PARTITIONS))
            | "Final" >> beam.FlatMap(lambda q, labels, roots: final_labels(q, labels, roots).to_pylist(),
                                      beam.pvalue.AsList(labels), beam.pvalue.AsSingleton(roots))
            | "Plain" >> beam.Map(lambda row: (row["node"] & low, row["label"] & low))
        )
        assert_that(found, equal_to([(n, nodes[oracle[index[n]]]) for n in nodes]), label="labels")
        assert_that(roots | beam.Map(lambda r: r["unresolved_edges"]), equal_to([unresolved_edges]), label="unresolved")


def cross_label_edges_after(edges, rounds):
    """Distinct label pairs across edges after `rounds` synchronous min-label rounds (a plain-Python oracle)."""
    label = {n: n for e in edges for n in e}
    for _ in range(rounds):
        new = dict(label)
        for a, b in edges:
            new[a], new[b] = min(new[a], label[b]), min(new[b], label[a])
        label = new
    return len({(min(label[a], label[b]), max(label[a], label[b])) for a, b in edges if label[a] != label[b]})


@pytest.mark.parametrize("rounds", [1, 3])
def test_random_graphs_match_union_find(rounds, tmp_path):
    rng = random.Random(3)
    edges = sorted({tuple(sorted(rng.sample(range(200), 2))) for _ in range(150)})
    expected = cross_label_edges_after(edges, rounds)
    assert expected > 0  # the rounds alone do not finish these graphs: the union-find has work to do
    check_components(edges, rounds=rounds, unresolved_edges=expected, staging=tmp_path)


def test_a_chain_longer_than_the_rounds_is_finished_by_the_union_find(tmp_path):
    # after 3 rounds node i carries label max(0, i - 3): labels 0..37 are chained pairwise
    check_components([(i, i + 1) for i in range(40)], rounds=3, unresolved_edges=37, staging=tmp_path)


def test_stars_resolve_in_the_rounds(tmp_path):
    stars = [(hub, hub * 100 + leaf) for hub in (1, 2, 3) for leaf in range(1, 30)]
    check_components(stars, rounds=2, unresolved_edges=0, staging=tmp_path)


def write_copies(folder):
    """Documents, each a third with a paragraph-swapped copy and a fifth with a truncated, amended copy."""
    rng = random.Random(11)
    lines, expected = [], {}
    for i in range(45):
        doc = (zh_document if i % 2 else en_document)(rng, paragraphs=4)
        original = f"doc-{len(lines):03d}"
        lines.append({"id": original, "text": doc})
        if i % 3 == 0:
            paragraphs = doc.split("\n\n")
            paragraphs[1], paragraphs[2] = paragraphs[2], paragraphs[1]
            expected[f"doc-{len(lines):03d}"] = original
            lines.append({"id": f"doc-{len(lines):03d}", "text": "\n\n".join(paragraphs)})
        if i % 5 == 0:
            expected[f"doc-{len(lines):03d}"] = original
            lines.append({"id": f"doc-{len(lines):03d}", "text": doc[: len(doc) * 85 // 100] + " and a line added at the end"})
    folder.mkdir()
    for part in range(3):
        (folder / f"part-{part}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines[part::3]), encoding="utf-8")
    return len(lines), expected


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("near") / "in"
    return folder, *write_copies(folder)


def test_near_copies_are_rejected_naming_a_kept_survivor(copies, tmp_path):
    folder, total, expected = copies
    out = tmp_path / "out"
    assert clean("--input", str(folder), "--output", str(out), "--stages", "normalize,exact,near") == 0
    data, rejects, manifest = read_output(out)
    removed = {r["id"]: json.loads(r["detail"]) for r in rejects}
    assert {rid: d["duplicate_of"] for rid, d in removed.items()} == expected
    assert all(d["similarity"] >= 0.8 for d in removed.values())
    assert {r["id"] for r in data} == {f"doc-{i:03d}" for i in range(total)} - set(expected)
    assert manifest["stages"][-1] == {"stage": "near", "in": total, "out": total - len(expected),
                                      "rejected": {"near_duplicate": len(expected)}}
    assert manifest["near"]["verified_pairs"] >= len(expected)


def test_near_output_is_the_same_whatever_the_workers(copies, tmp_path):
    folder, _, _ = copies
    one, two = tmp_path / "one", tmp_path / "two"
    common = ["--input", str(folder), "--stages", "normalize,exact,near", "--set", "output.target_shard_bytes=20000"]
    assert clean(*common, "--output", str(one)) == 0
    assert clean(*common, "--output", str(two), "--set", "ingest.batch_rows=7",
                 "--direct_running_mode=multi_processing", "--direct_num_workers=2") == 0
    files = sorted(p.relative_to(one) for p in one.rglob("*.parquet"))
    assert len(files) > 2
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_sft_records_are_near_duplicates_by_instruction_and_input(tmp_path):
    base = "请把下面这段关于城市交通规划的说明改写得更加简洁，保留所有的数字和地名，并且用三句话以内完成。"
    records = [
        {"id": "a", "instruction": base, "input": "北京市的地铁线路总长度已经超过八百公里。", "output": "好的。"},
        {"id": "b", "instruction": base.replace("简洁", "简练"), "input": "北京市的地铁线路总长度已经超过八百公里。",
         "output": "完全不同的回答内容在这里。"},
        {"id": "c", "instruction": "Translate the following sentence into French, keeping the tone informal and friendly.",
         "input": "", "output": "Salut !"},
    ]
    (tmp_path / "sft.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    assert clean("--input", str(tmp_path / "sft.jsonl"), "--output", str(out), "--format", "alpaca",
                 "--stages", "exact,near") == 0
    data, rejects, _ = read_output(out)
    assert sorted(r["id"] for r in data) == ["a", "c"]
    assert [(r["id"], json.loads(r["detail"])["duplicate_of"]) for r in rejects] == [("b", "a")]
