"""`winnow mix`: quotas, templates, and the real CLI on small cleaned outputs with exact expected counts."""

import hashlib
import json
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.cli import main
from pipelines.config import RecordFormat
from pipelines.mix import PlanError, SftTemplate, apportion, load_mix_config, parse_source, source_targets
from pipelines.records import record_schema
from transforms.mix import prefix_length, render_alpaca, render_conversation


def write_output(folder: Path, fmt: RecordFormat, rows: list[dict], shards: int = 1, tokens: bool = False) -> Path:
    """A cleaned winnow output as `clean` lays it out: data/part-*.parquet sorted by id, and a manifest."""
    schema = record_schema(fmt, with_lang=True)
    if tokens:
        schema = schema.append(pa.field("tokens", pa.int64()))
    (folder / "data").mkdir(parents=True)
    rows = sorted(rows, key=lambda r: r["id"])
    for shard in range(shards):
        part = [r for i, r in enumerate(rows) if i % shards == shard]
        pq.write_table(pa.Table.from_pylist(part, schema=schema),
                       folder / "data" / f"part-{shard:05d}-of-{shards:05d}.parquet", row_group_size=500)
    (folder / "manifest.json").write_text(json.dumps({"format": fmt.value, "counts": {"kept": len(rows)}}))
    return folder


def web_rows(n: int, zh: int, seed: int = 1, tokens: bool = False) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        lang = "zh" if i < zh else "en"
        text = ("网页文本" if lang == "zh" else "web text ") * rng.randint(5, 50)
        row = {"id": f"web-{i:06d}", "source": "web.jsonl", "source_row": i, "text": text, "meta": None, "lang": lang,
               "lang_score": 0.99, "length": len(text)}
        if tokens:
            row["tokens"] = rng.randint(20, 400)
        rows.append(row)
    return rows


def alpaca_rows(n: int, zh: int, categories: tuple[str, ...] = (), seed: int = 2, tokens: bool = False) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        lang = "zh" if i < zh else "en"
        meta = json.dumps({"category": categories[i % len(categories)]}, ensure_ascii=False) if categories else None
        row = {"id": f"sft-{i:06d}", "source": "sft.jsonl", "source_row": i, "instruction": f"问题{i}" if lang == "zh" else f"Q{i}",
               "input": "" if i % 2 else f"输入{i}", "output": f"回答{i}", "meta": meta, "lang": lang, "lang_score": 0.99,
               "length": 12}
        if tokens:
            row["tokens"] = rng.randint(10, 200)
        rows.append(row)
    return rows


def mix(*args: str) -> int:
    return main(["mix", *args])


def read_mix(out: Path) -> tuple[pa.Table, dict]:
    return pq.read_table(out / "data"), json.loads((out / "manifest.json").read_text())


def shard_hashes(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((out / "data").glob("*.parquet"))}


# ---- planning, without Beam -------------------------------------------------------------------------

def test_source_ratio_parses_after_the_last_colon():
    spec = parse_source("sft=out/b:0.10")
    assert (spec.name, spec.path, spec.ratio) == ("sft", "out/b", 0.10)
    spec = parse_source("pretrain=gs://bucket/clean")
    assert (spec.name, spec.path, spec.ratio) == ("pretrain", "gs://bucket/clean", None)
    with pytest.raises(ValueError, match="ratio must be in"):
        parse_source("sft=out:1.5")


def test_source_without_ratio_is_taken_whole_when_the_others_can_fill_their_share():
    shares, targets = source_targets({"pretrain": 900, "sft": 500}, {"pretrain": None, "sft": 0.1}, None, True)
    assert targets == {"pretrain": 900, "sft": 100} and shares == {"pretrain": 0.9, "sft": 0.1}


def test_a_small_ratioed_source_draws_every_source_down():
    _, targets = source_targets({"pretrain": 900, "sft": 50}, {"pretrain": None, "sft": 0.1}, None, True)
    assert targets == {"pretrain": 450, "sft": 50}


def test_total_sets_the_size_and_must_fit():
    _, targets = source_targets({"a": 900, "b": 500}, {"a": None, "b": 0.25}, 400, True)
    assert targets == {"a": 300, "b": 100}
    with pytest.raises(PlanError, match="lower --total"):
        source_targets({"a": 900, "b": 500}, {"a": None, "b": 0.25}, 4000, True)


def test_ratios_must_leave_room_or_add_up_to_one():
    with pytest.raises(PlanError, match="add up to 0.5"):
        source_targets({"a": 10, "b": 10}, {"a": 0.2, "b": 0.3}, None, True)
    with pytest.raises(PlanError, match="leaving nothing"):
        source_targets({"a": 10, "b": 10}, {"a": None, "b": 1.0}, None, True)


def test_apportion_keeps_proportions_and_the_exact_total():
    assert apportion(33, {"zh": 60, "en": 40}) == {"zh": 20, "en": 13}
    assert sum(apportion(1000, {"a": 1, "b": 1, "c": 1}).values()) == 1000


def test_prefix_length_comes_closest_to_the_remainder():
    assert prefix_length(np.array([100, 100, 100]), 160) == 2
    assert prefix_length(np.array([100, 100, 100]), 140) == 1
    assert prefix_length(np.array([1, 1, 1, 1]), 3) == 3


# ---- rendering ---------------------------------------------------------------------------------------

def test_alpaca_renders_with_and_without_input():
    template = SftTemplate()
    assert render_alpaca("翻译", "你好", "Hello", template) == "翻译\n\n你好\n\nHello"
    assert render_alpaca("讲个笑话", "", "好的", template) == "讲个笑话\n\n好的"


def test_conversation_turns_are_joined_with_role_prefixes():
    turns = [{"from": "human", "value": "你好"}, {"from": "gpt", "value": "你好！"}, {"from": "tool", "value": "{}"}]
    assert render_conversation(turns, SftTemplate()) == "Human: 你好\n\nAssistant: 你好！\n\ntool: {}"


def test_template_is_configurable_and_checked():
    cfg = load_mix_config(None, {"template.turn": "<{role}>{value}", "template.turn_separator": "\n",
                                 "template.roles": {"human": "用户", "gpt": "助手"}})
    assert render_conversation([{"from": "human", "value": "问"}, {"from": "gpt", "value": "答"}], cfg.template) == "<用户>问\n<助手>答"
    with pytest.raises(ValueError, match="unknown field"):
        load_mix_config(None, {"template.alpaca": "{instruction} {answer}"})


# ---- the CLI end to end -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("corpora")
    return {
        "web": write_output(root / "web", RecordFormat.web, web_rows(300, zh=200), shards=2),
        "sft": write_output(root / "sft", RecordFormat.alpaca, alpaca_rows(100, zh=60, categories=("写作", "数学"))),
    }


@pytest.fixture(scope="module")
def mixed(corpora, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mix") / "mix"
    assert mix("--source", f"pretrain={corpora['web']}", "--source", f"sft={corpora['sft']}:0.10",
               "--output", str(out), "--seed", "7") == 0
    return out


def test_mix_takes_the_rest_whole_and_the_sft_share_exactly(mixed):
    table, manifest = read_mix(mixed)
    # 300 pretraining records are 90%: the mix holds 333, of which round(33.3) = 33 SFT records
    assert table.num_rows == 333
    assert table.group_by("mix_source").aggregate([("id", "count")]).sort_by("mix_source").to_pylist() == [
        {"mix_source": "pretrain", "id_count": 300}, {"mix_source": "sft", "id_count": 33}]
    sft = {s["name"]: s for s in manifest["sources"]}["sft"]
    assert (sft["ratio_asked"], sft["selected"], sft["available"]) == (0.1, {"records": 33}, {"records": 100})
    assert sft["ratio_reached"] == pytest.approx(33 / 333)
    assert (manifest["by"], manifest["seed"], manifest["counts"]["records"]) == ("records", 7, 333)


def test_mix_keeps_language_and_category_proportions(mixed):
    table, manifest = read_mix(mixed)
    sft = table.filter(pa.compute.equal(table.column("mix_source"), "sft"))
    counts = sft.group_by(["lang", "category"]).aggregate([("id", "count")]).to_pylist()
    # 60 zh / 40 en, each half 写作 and half 数学: 33 × (30, 30, 20, 20) / 100 = 9.9, 9.9, 6.6, 6.6 → 10, 10, 7, 6
    # (largest remainders; the tie between the two 6.6 goes to the smaller key)
    expected = [("en", "写作", 7), ("en", "数学", 6), ("zh", "写作", 10), ("zh", "数学", 10)]
    assert sorted((c["lang"], c["category"], c["id_count"]) for c in counts) == expected
    strata = manifest["sources"][1]["strata"]
    assert sorted((s["lang"], s["category"], s["selected"]["records"]) for s in strata) == expected


def test_mix_keeps_ids_renders_sft_as_text_and_sorts_by_id(mixed, corpora):
    table, _ = read_mix(mixed)
    rows = {(r["mix_source"], r["id"]): r for r in table.to_pylist()}
    sft_ids = [i for s, i in rows if s == "sft"]
    source = {r["id"]: r for r in pq.read_table(corpora["sft"] / "data").to_pylist()}
    for rid in sft_ids:
        original, text = source[rid], rows[("sft", rid)]["text"]
        parts = [original["instruction"], original["input"], original["output"]] if original["input"] else [
            original["instruction"], original["output"]]
        assert text == "\n\n".join(parts)
    ids = table.column("id").to_pylist()
    assert ids == sorted(ids)
    assert {r["id"] for r in pq.read_table(corpora["web"] / "data").to_pylist()} == {i for s, i in rows if s == "pretrain"}


def test_same_seed_gives_byte_identical_shards_whatever_the_workers(mixed, corpora, tmp_path):
    again = tmp_path / "again"
    assert mix("--source", f"pretrain={corpora['web']}", "--source", f"sft={corpora['sft']}:0.10", "--output", str(again),
               "--seed", "7", "--direct_running_mode=multi_processing", "--direct_num_workers=2") == 0
    assert shard_hashes(again) == shard_hashes(mixed)
    other = tmp_path / "other"
    assert mix("--source", f"pretrain={corpora['web']}", "--source", f"sft={corpora['sft']}:0.10", "--output", str(other),
               "--seed", "8") == 0
    picked = {seed: set(read_mix(out)[0].column("id").to_pylist()) for seed, out in ((7, mixed), (8, other))}
    assert picked[7] != picked[8] and len(picked[7]) == len(picked[8]) == 333


def test_small_shards_split_the_mix_without_losing_a_row(corpora, tmp_path):
    out = tmp_path / "sharded"
    assert mix("--source", f"pretrain={corpora['web']}:0.5", "--source", f"sft={corpora['sft']}:0.5", "--output", str(out),
               "--set", "output.target_shard_bytes=8000") == 0
    shards = sorted((out / "data").glob("*.parquet"))
    assert len(shards) > 1
    tables = [pq.read_table(p) for p in shards]
    for table in tables:
        ids = table.column("id").to_pylist()
        assert ids == sorted(ids)
    # every sft record (100) and as many pretraining ones
    assert sum(t.num_rows for t in tables) == 200
    assert len({(r["mix_source"], r["id"]) for t in tables for r in t.to_pylist()}) == 200


def test_ratio_of_tokens_is_reached_within_half_a_percent(tmp_path):
    web = write_output(tmp_path / "web", RecordFormat.web, web_rows(16_000, zh=9_000, tokens=True), shards=2, tokens=True)
    sft = write_output(tmp_path / "sft", RecordFormat.alpaca, alpaca_rows(4_000, zh=2_500, tokens=True), tokens=True)
    out = tmp_path / "mix"
    assert mix("--source", f"pretrain={web}", "--source", f"sft={sft}:0.10", "--output", str(out)) == 0
    table, manifest = read_mix(out)
    assert manifest["by"] == "tokens"
    tokens = table.group_by("mix_source").aggregate([("tokens", "sum")]).to_pylist()
    share = {t["mix_source"]: t["tokens_sum"] for t in tokens}
    reached = share["sft"] / (share["sft"] + share["pretrain"])
    assert abs(reached - 0.10) <= 0.005 * 0.10
    sources = {s["name"]: s for s in manifest["sources"]}
    assert sources["pretrain"]["selected"] == sources["pretrain"]["available"]
    assert sources["sft"]["ratio_reached"] == pytest.approx(reached)
    zh = sum(s["selected"]["tokens"] for s in sources["sft"]["strata"] if s["lang"] == "zh")
    zh_available = sum(s["available"]["tokens"] for s in sources["sft"]["strata"] if s["lang"] == "zh")
    assert zh / share["sft"] == pytest.approx(zh_available / sources["sft"]["available"]["tokens"], abs=0.005)


def test_a_total_the_sources_cannot_fill_is_a_usage_error(corpora, tmp_path, capsys):
    out = tmp_path / "mix"
    assert mix("--source", f"pretrain={corpora['web']}", "--source", f"sft={corpora['sft']}:0.5", "--output", str(out),
               "--total", "1000") == 2
    assert "lower --total" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob("mix.winnow-staging-*"))


def test_by_tokens_needs_a_tokens_column(corpora, tmp_path, capsys):
    assert mix("--source", f"pretrain={corpora['web']}", "--source", f"sft={corpora['sft']}:0.1", "--output",
               str(tmp_path / "m"), "--by", "tokens") == 2
    assert "needs a tokens column" in capsys.readouterr().err


def test_the_report_reads_a_mix(mixed, tmp_path):
    assert main(["report", str(mixed), "--output", str(tmp_path / "mix.html")]) == 0
    assert (tmp_path / "mix-figures" / "composition.png").exists()
