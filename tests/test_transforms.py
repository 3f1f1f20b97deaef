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
    IngestConfig,
    LangConfig,
    NormalizeConfig,
    OutputConfig,
    RecordFormat,
    RulesConfig,
)
from pipelines.inputs import discover
from pipelines.records import ingest_schema, record_schema, reject_schema
from pipelines.sample import en_document, zh_document
from tests.beam_helpers import rows, test_pipeline
from transforms.batches import content_measure
from transforms.dedup import Deduplicate
from transforms.ingest import ReadInputs
from transforms.lang import LanguageId
from transforms.normalize import Normalize
from transforms.rules import ApplyRules
from transforms.shards import WriteDataShards


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


def test_read_inputs_splits_records_rejects_and_file_stats(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(b'{"id": "x", "text": "hi"}\n{oops\n')
    (tmp_path / "b.jsonl").write_bytes(b'{"text": "yo"}\n')
    files = discover([str(tmp_path)])
    with test_pipeline() as p:
        records, rejects, stats = p | ReadInputs(files, IngestConfig())
        assert_that(collected(records, "id", "text", label="r"), equal_to([[("b.jsonl:1", "yo"), ("x", "hi")]]), label="records")
        assert_that(collected(rejects, "id", "reason", label="j"), equal_to([[("a.jsonl:2", "malformed_json")]]), label="rejects")
        assert_that(stats | beam.Map(lambda s: sorted((k, v["records_read"]) for k, v in s["files"].items())),
                    equal_to([[("a.jsonl", 2)], [("b.jsonl", 1)]]), label="stats")


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


def test_deduplicate_decides_duplicate_ids_and_exact_copies():
    batch1 = web_batch(["Same text.", "Other", "same   TEXT."], ids=["b", "c", "a"])
    batch2 = web_batch(["unique", "reused id"], ids=["d", "c"])
    with test_pipeline() as p:
        decisions, kept_bytes = p | beam.Create([batch1, batch2]) | Deduplicate(RecordFormat.web, ExactConfig(), True, 3)
        decided = decisions | beam.combiners.ToList() | beam.Map(
            lambda ts: rows(ts, "id", "source_row", "reason", "detail"))
        assert_that(decided, equal_to([[("b", 1, "exact_duplicate", json.dumps({"duplicate_of": "a"})),
                                         ("c", 2, "duplicate_id", json.dumps({"first_seen": "s.jsonl:2"}))]]), label="decisions")
        assert_that(kept_bytes | beam.CombineGlobally(sum), equal_to([len("same   TEXT.") + len("Other") + len("unique")]), label="bytes")


def test_write_data_shards_applies_decisions_and_sorts_by_id(tmp_path):
    fmt = RecordFormat.web
    records = web_batch(["t1", "t2", "t3"], ids=["z", "a", "m"])
    decision = pa.table({"id": ["m"], "source": ["s.jsonl"], "source_row": pa.array([3], pa.int64()), "stage": ["exact"],
                         "reason": ["exact_duplicate"], "detail": ['{"duplicate_of": "a"}']})
    with test_pipeline() as p:
        stats, rejects = (p | "R" >> beam.Create([records]), p | "D" >> beam.Create([decision]), p | "B" >> beam.Create([4])) | WriteDataShards(
            str(tmp_path), fmt, record_schema(fmt, False), reject_schema(fmt, False), OutputConfig())
        assert_that(collected(rejects, "id", "reason", "length"), equal_to([[("m", "exact_duplicate", 2)]]), label="rejects")
        assert_that(stats | beam.Map(lambda s: (s["kept"], s["data_shards"][0]["path"])),
                    equal_to([(2, "data/part-00000-of-00001.parquet")]), label="stats")
    table = pq.read_table(tmp_path / "data" / "part-00000-of-00001.parquet")
    assert table.column("id").to_pylist() == ["a", "z"]
    assert table.schema == record_schema(fmt, False)


def test_content_is_measured_over_fields_and_turns():
    turns = pa.array([[{"from": "human", "value": "你好"}, {"from": "gpt", "value": "hi"}], [], [{"from": "human", "value": "é"}]],
                     pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())])))
    table = pa.table({"conversations": turns}).slice(0)
    assert content_measure(table, ["conversations"], pc.utf8_length).tolist() == [4, 0, 1]
    assert content_measure(table, ["conversations"]).tolist() == [8, 0, 2]
    alpaca = pa.table({"instruction": ["写诗"], "input": pa.array([None], pa.string()), "output": ["ok"]})
    assert content_measure(alpaca, ["instruction", "input", "output"], pc.utf8_length).tolist() == [4]
