"""Each Beam stage on its own, through a real (FnApi) runner."""

import json
import random

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.testing.util import assert_that, equal_to

from pipelines.config import (
    ExactConfig,
    FieldNames,
    LangConfig,
    NormalizeConfig,
    OutputConfig,
    RecordFormat,
    RulesConfig,
    WinnowConfig,
)
from pipelines.inputs import discover
from pipelines.records import ingest_schema, record_schema, reject_schema
from pipelines.sample import en_document, zh_document
from tests.beam_helpers import rows, test_pipeline
from transforms.batches import conform, content_measure, with_length
from transforms.dedup import (
    DECISION_SCHEMA,
    KEY_SCHEMA,
    Deduplicate,
    decision_entry,
    key_group_count,
    key_rows,
    partitions_of_group,
)
from transforms.exchange import read_destination, read_everything
from transforms.ingest import ReadTasks
from transforms.lang import LanguageId
from transforms.normalize import Normalize
from transforms.process import ProcessInputs
from transforms.rules import ApplyRules
from transforms.shards import WriteDataShards
from transforms.staging import TaskWriter, read_json, read_partition


def web_batch(texts, ids=None):
    ids = ids or [f"r{i}" for i in range(len(texts))]
    return pa.RecordBatch.from_arrays(
        [pa.array(ids), pa.array(["s.jsonl"] * len(texts)), pa.array(range(1, len(texts) + 1), pa.int64()),
         pa.array(texts, pa.string()), pa.nulls(len(texts), pa.string())],
        schema=ingest_schema(RecordFormat.web),
    )


def collected(pcoll, *columns, label=""):
    return (pcoll | f"Collect{label}" >> beam.combiners.ToList()
            | f"Rows{label}" >> beam.Map(lambda batches: rows(batches, *columns)))


def test_process_inputs_stages_each_task_with_its_keys_by_partition(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_bytes(b'{"id": "x", "text": "hi"}\n{oops\n')
    (tmp_path / "in" / "b.jsonl").write_bytes(b'{"text": "yo"}\n')
    files = discover([str(tmp_path / "in")])
    cfg = WinnowConfig(stages=["exact"])
    staging = str(tmp_path / "staging")
    fmt = RecordFormat.web
    with test_pipeline() as p:
        tasks = p | ReadTasks(files, cfg.ingest) | ProcessInputs(cfg, staging, 4, record_schema(fmt, False), reject_schema(fmt, False))
        assert_that(tasks | beam.Map(lambda e: (sorted(e["stats"]["files"].items()), e["records"]["rows"], e["rejects"]["rows"])),
                    equal_to([([("a.jsonl", {"records_read": 2, "blank_lines": 0, "unreadable": 1})], 1, 1),
                              ([("b.jsonl", {"records_read": 1, "blank_lines": 0, "unreadable": 0})], 1, 0)]), label="tasks")
    entries = [read_json(str(path)) for path in sorted((tmp_path / "staging" / "tasks").glob("*/task.json"))]
    kept = pa.concat_tables([read_partition(entries, "records", p, record_schema(fmt, False)) for p in range(4)])
    rejected = pa.concat_tables([read_partition(entries, "rejects", p, reject_schema(fmt, False)) for p in range(4)])
    assert sorted(zip(kept.column("id").to_pylist(), kept.column("text").to_pylist())) == [("b.jsonl:1", "yo"), ("x", "hi")]
    assert rejected.select(["id", "reason"]).to_pylist() == [{"id": "a.jsonl:2", "reason": "malformed_json"}]
    # x and b.jsonl:1 hash to partitions 1 and 2 of 4: each partition's keys sit in their own record batch
    keys = {p: read_destination([e["keys"] for e in entries], p, KEY_SCHEMA).column("id").to_pylist() for p in range(4)}
    assert keys == {0: [], 1: ["x"], 2: ["b.jsonl:1"], 3: []}


def test_normalize_rewrites_text():
    with test_pipeline() as p:
        out = p | beam.Create([web_batch([" cafe\u0301\r\n"])]) | Normalize(RecordFormat.web, NormalizeConfig())
        assert_that(collected(out, "text"), equal_to([[("café",)]]))


def test_apply_rules_keeps_good_and_rejects_bad_with_reason():
    rng = random.Random(1)
    good = zh_document(rng)
    with test_pipeline() as p:
        kept, rejects = (p | beam.Create([web_batch([good, "太短", good + "加微信领取优惠券"])])
                         | ApplyRules(RecordFormat.web, RulesConfig(), FieldNames()))
        assert_that(collected(kept, "id", label="k"), equal_to([[("r0",)]]), label="kept")
        assert_that(collected(rejects, "id", "stage", "reason", label="j"),
                    equal_to([[("r1", "rules", "too_few_words"), ("r2", "rules", "ad_spam")]]), label="rejects")


def test_rules_count_kept_and_dropped_per_reason_in_beam_metrics():
    rng = random.Random(3)
    good = [zh_document(rng), en_document(rng)]
    p = test_pipeline()
    p | beam.Create([web_batch([*good, "太短", "短短", good[0] + "加微信领取优惠券"])]) | ApplyRules(
        RecordFormat.web, RulesConfig(), FieldNames())
    result = p.run()
    result.wait_until_finish()
    counters = result.metrics().query(MetricsFilter().with_namespace("rules"))["counters"]
    assert {c.key.metric.name: c.committed for c in counters} == {"in": 5, "kept": 2, "too_few_words": 2, "ad_spam": 1}


def test_language_id_adds_columns_and_filters():
    rng = random.Random(2)
    texts = [zh_document(rng), en_document(rng), "Les enfants du village marchent jusqu'à l'école en chantant chaque matin."]
    with test_pipeline() as p:
        kept, rejects = p | beam.Create([web_batch(texts)]) | LanguageId(RecordFormat.web, LangConfig())
        assert_that(collected(kept, "id", "lang", label="k"), equal_to([[("r0", "zh"), ("r1", "en")]]), label="kept")
        assert_that(collected(rejects, "id", "lang", "reason", label="j"), equal_to([[("r2", "fr", "language")]]), label="rejects")


def staged_task(staging, name, batch, partitions):
    """A task entry as ProcessInputs leaves it: the batch's rows and keys staged by partition."""
    fmt = RecordFormat.web
    writer = TaskWriter(staging, name, partitions, record_schema(fmt, False), reject_schema(fmt, False), KEY_SCHEMA, 1 << 20)
    writer.keep(conform(with_length(batch, ["text"]), record_schema(fmt, False)),
                key_rows(batch, fmt, ExactConfig(), True, partitions))
    return writer.finish({"stats": {}})


def test_deduplicate_decides_duplicate_ids_and_exact_copies(tmp_path):
    batch1 = web_batch(["Same text.", "Other", "same   TEXT."], ids=["b", "c", "a"])
    batch2 = web_batch(["unique", "reused id"], ids=["d", "c"])
    tasks = [staged_task(str(tmp_path), "one", batch1, 3), staged_task(str(tmp_path), "two", batch2, 3)]
    with test_pipeline() as p:
        decisions, kept_bytes = p | beam.Create(tasks) | Deduplicate(str(tmp_path), True, 3)
        decided = decisions | beam.Map(lambda entry: read_everything([entry], DECISION_SCHEMA)) | beam.combiners.ToList() | beam.Map(
            lambda ts: sorted(rows(ts, "id", "source_row", "reason", "detail")))
        assert_that(decided, equal_to([[("b", 1, "exact_duplicate", json.dumps({"duplicate_of": "a"})),
                                         ("c", 2, "duplicate_id", json.dumps({"first_seen": "s.jsonl:2"}))]]), label="decisions")
        assert_that(kept_bytes | beam.Values() | beam.CombineGlobally(sum),
                    equal_to([len("same   TEXT.") + len("Other") + len("unique")]), label="bytes")


def test_key_groups_cover_every_partition_once_in_consecutive_runs():
    assert [key_group_count(p) for p in (1, 4, 8, 19, 64, 65, 181, 4096)] == [1, 4, 8, 8, 8, 9, 23, 512]
    for partitions in (1, 4, 19, 181):
        groups = key_group_count(partitions)
        covered = [p for g in range(groups) for p in partitions_of_group(g, groups, partitions)]
        assert covered == list(range(partitions))
    assert [len(partitions_of_group(g, 8, 19)) for g in range(8)] == [2, 2, 3, 2, 2, 3, 2, 3]


def test_deduplicate_decides_the_same_whatever_the_partition_count(tmp_path):
    """Keys of several partitions share a key step (key groups); no decision may depend on how many."""
    rng = random.Random(5)
    texts = [f"text {rng.randrange(40)}" for _ in range(300)]
    ids = [f"id{rng.randrange(260):03d}" for _ in range(300)]
    where = [(f"s{i % 3}.jsonl", i // 3 + 1) for i in range(300)]  # task i % 3 reads every third record

    # the oracle: an id stays with its lowest (source, row); then the lowest id of each distinct text stays
    first: dict[str, int] = {}
    for i in sorted(range(300), key=lambda i: where[i]):
        first.setdefault(ids[i], i)
    survivor_of_text: dict[str, str] = {}
    for record_id in sorted(first):
        survivor_of_text.setdefault(texts[first[record_id]], record_id)
    expected = sorted(
        [(ids[i], where[i][0], "duplicate_id", json.dumps({"first_seen": "%s:%d" % where[first[ids[i]]]}))
         for i in range(300) if first[ids[i]] != i]
        + [(record_id, where[i][0], "exact_duplicate", json.dumps({"duplicate_of": survivor_of_text[texts[i]]}))
           for record_id, i in first.items() if survivor_of_text[texts[i]] != record_id])
    expected_bytes = sum(len(text) for text in survivor_of_text)
    assert 0 < sum(reason == "duplicate_id" for _, _, reason, _ in expected) < len(expected)

    for partitions in (1, 20, 181):
        staging = str(tmp_path / f"p{partitions}")
        tasks = []
        for t in range(3):
            batch = web_batch(texts[t::3], ids[t::3])
            tasks.append(staged_task(staging, f"t{t}", batch.set_column(1, "source", pa.array([f"s{t}.jsonl"] * batch.num_rows)),
                                     partitions))
        with test_pipeline() as p:
            decisions, kept_bytes = p | beam.Create(tasks) | Deduplicate(staging, True, partitions)
            decided = (decisions | beam.Map(lambda entry: read_everything([entry], DECISION_SCHEMA))
                       | beam.combiners.ToList() | beam.Map(lambda ts: sorted(rows(ts, "id", "source", "reason", "detail"))))
            assert_that(decided, equal_to([expected]), label="decisions")
            assert_that(kept_bytes | beam.Values() | beam.CombineGlobally(sum), equal_to([expected_bytes]), label="bytes")


def test_write_data_shards_applies_decisions_and_sorts_by_id_inside_partitions(tmp_path):
    fmt = RecordFormat.web
    schema, rejects_schema = record_schema(fmt, False), reject_schema(fmt, False)
    batch = web_batch(["t1", "t2", "t3", "t4"], ids=["z", "a", "m", "b"])
    entry = staged_task(str(tmp_path), "task", batch, 1)
    decision = pa.table({"id": ["m"], "source": ["s.jsonl"], "source_row": pa.array([3], pa.int64()),
                         "partition": pa.array([0], pa.int32()), "stage": ["exact"],
                         "reason": ["exact_duplicate"], "detail": ['{"duplicate_of": "a"}'],
                         "handle": pa.array([0], pa.uint64())}, schema=DECISION_SCHEMA)
    staged = decision_entry(str(tmp_path), "exact", 0, decision)
    with test_pipeline() as p:
        stats, dedup_rejects = (p | "D" >> beam.Create([staged]), p | "B" >> beam.Create([(0, 6)]),
                                p | "T" >> beam.Create([entry])) | WriteDataShards(str(tmp_path), 1, schema, rejects_schema, OutputConfig())
        assert_that(dedup_rejects | beam.Keys(), equal_to([0]), label="dedup")
        assert_that(stats | beam.Map(lambda s: (s["kept"], s["data_shards"][0]["path"])),
                    equal_to([(3, "data/part-00000-of-00001.parquet")]), label="stats")
    table = pq.read_table(tmp_path / "data" / "part-00000-of-00001.parquet")
    assert table.column("id").to_pylist() == ["a", "b", "z"]
    assert table.schema == schema
    removed = pq.read_table(tmp_path / "dedup" / "partition-00000.parquet")
    assert removed.select(["id", "reason", "length"]).to_pylist() == [{"id": "m", "reason": "exact_duplicate", "length": 2}]


def test_content_is_measured_over_fields_and_turns():
    turns = pa.array([[{"from": "human", "value": "你好"}, {"from": "gpt", "value": "hi"}], [], [{"from": "human", "value": "é"}]],
                     pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())])))
    table = pa.table({"conversations": turns}).slice(0)
    assert content_measure(table, ["conversations"], pc.utf8_length).tolist() == [4, 0, 1]
    assert content_measure(table, ["conversations"]).tolist() == [8, 0, 2]
    alpaca = pa.table({"instruction": ["写诗"], "input": pa.array([None], pa.string()), "output": ["ok"]})
    assert content_measure(alpaca, ["instruction", "input", "output"], pc.utf8_length).tolist() == [4]
