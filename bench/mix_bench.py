"""`winnow mix` on a generated 100k-record corpus: the ratios reached and the time it takes.

    python -m bench.mix_bench [--records 100000] [--repeat 3] [--seed 0]

Three cleaned outputs are written as `winnow clean` lays them out (data/part-*.parquet sorted by id,
with lang, length and tokens columns): pretraining web text (80%), alpaca SFT records with a category
in `meta` (12%), ShareGPT conversations (8%). Each is mixed by tokens (pretrain takes the rest, sft
0.07, chat 0.03) and by records, in_memory and multi_processing with 2 workers; every run must reach
each asked ratio within ±0.5% of it (relative), and the two runner modes must write the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import sys
import tempfile

import pyarrow as pa
import pyarrow.parquet as pq

from bench import measure
from bench.corpus import template_document
from pipelines.config import RecordFormat
from pipelines.records import record_schema

HERE = os.path.dirname(os.path.abspath(__file__))
WINNOW = os.path.join(os.path.dirname(sys.executable), "winnow")
TOLERANCE = 0.005
RATIOS = {"sft": 0.07, "chat": 0.03}
CATEGORIES = ("写作", "数学", "翻译", "代码", "问答")


def _write(folder: str, fmt: RecordFormat, rows: list[dict], shards: int) -> None:
    schema = record_schema(fmt, with_lang=True).append(pa.field("tokens", pa.int64()))
    os.makedirs(os.path.join(folder, "data"))
    rows.sort(key=lambda r: r["id"])
    for shard in range(shards):
        part = rows[shard::shards]
        pq.write_table(pa.Table.from_pylist(part, schema=schema),
                       os.path.join(folder, "data", f"part-{shard:05d}-of-{shards:05d}.parquet"), row_group_size=10_000)
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump({"format": fmt.value, "counts": {"kept": len(rows)}}, f)


def _tokens(text: str, zh: bool) -> int:
    return len(text) if zh else max(1, len(text) // 4)


def generate(root: str, records: int, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    counts = {"pretrain": records * 80 // 100, "sft": records * 12 // 100}
    counts["chat"] = records - counts["pretrain"] - counts["sft"]
    web, sft, chat = [], [], []
    for i in range(counts["pretrain"]):
        zh = rng.random() < 0.6
        text = template_document(rng, zh)
        web.append({"id": f"web-{i:07d}", "source": "web.jsonl", "source_row": i, "text": text, "meta": None,
                    "lang": "zh" if zh else "en", "lang_score": 0.99, "length": len(text), "tokens": _tokens(text, zh)})
    for i in range(counts["sft"]):
        zh = rng.random() < 0.7
        question, answer = template_document(rng, zh), template_document(rng, zh)
        meta = json.dumps({"category": rng.choice(CATEGORIES)}, ensure_ascii=False)
        sft.append({"id": f"sft-{i:07d}", "source": "sft.jsonl", "source_row": i, "instruction": "请概括下面的内容。" if zh else
                    "Summarize the text below.", "input": question, "output": answer[:200], "meta": meta,
                    "lang": "zh" if zh else "en", "lang_score": 0.99, "length": len(question) + 200,
                    "tokens": _tokens(question + answer[:200], zh)})
    for i in range(counts["chat"]):
        zh = rng.random() < 0.5
        turns = [{"from": "human" if t % 2 == 0 else "gpt", "value": template_document(rng, zh)} for t in range(rng.choice((2, 4)))]
        length = sum(len(t["value"]) for t in turns)
        chat.append({"id": f"chat-{i:07d}", "source": "chat.jsonl", "source_row": i, "conversations": turns, "meta": None,
                     "lang": "zh" if zh else "en", "lang_score": 0.99, "length": length,
                     "tokens": sum(_tokens(t["value"], zh) for t in turns)})
    folders = {name: os.path.join(root, name) for name in ("pretrain", "sft", "chat")}
    _write(folders["pretrain"], RecordFormat.web, web, 4)
    _write(folders["sft"], RecordFormat.alpaca, sft, 1)
    _write(folders["chat"], RecordFormat.sharegpt, chat, 1)
    return folders


def check_ratios(manifest: dict) -> dict[str, float]:
    reached = {}
    for source in manifest["sources"]:
        reached[source["name"]] = source["ratio_reached"]
        asked = source["ratio_asked"]
        if asked is not None and abs(source["ratio_reached"] - asked) > TOLERANCE * asked:
            raise AssertionError(f"{source['name']}: asked {asked}, reached {source['ratio_reached']}")
    return reached


def shard_digest(out: str) -> str:
    digest = hashlib.sha256()
    for name in sorted(os.listdir(os.path.join(out, "data"))):
        with open(os.path.join(out, "data", name), "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    os.makedirs(os.path.join(HERE, ".data"), exist_ok=True)
    root = tempfile.mkdtemp(prefix="winnow-mix-bench-", dir=os.path.join(HERE, ".data"))
    try:
        folders = generate(root, args.records, seed=1)
        sources = [f"--source=pretrain={folders['pretrain']}"] + [f"--source={n}={folders[n]}:{r}" for n, r in RATIOS.items()]
        runs = [("by tokens, in_memory", ["--by", "tokens", "--direct_running_mode=in_memory"]),
                ("by tokens, multi_processing 2 workers", ["--by", "tokens", "--direct_running_mode=multi_processing",
                                                           "--direct_num_workers=2"]),
                ("by records, in_memory", ["--by", "records", "--direct_running_mode=in_memory"])]
        print(f"winnow mix on {args.records:,} records (pretrain 80%, sft 12%, chat 8%); asked sft {RATIOS['sft']}, "
              f"chat {RATIOS['chat']}, pretrain the rest")
        print(f"{'run':<40} {'median s':>9} {'all':>16} {'records out':>12} {'peak RSS MB':>12}  ratios reached")
        digests = {}
        for name, extra in runs:
            results, manifest = [], None
            for attempt in range(args.repeat):
                out = os.path.join(root, f"out-{len(digests)}-{attempt}")
                result = measure.run([WINNOW, "mix", *sources, "--output", out, "--seed", str(args.seed), *extra])
                if result.returncode != 0:
                    raise RuntimeError(f"{name} failed:\n{result.output[-3000:]}")
                with open(os.path.join(out, "manifest.json")) as f:
                    manifest = json.load(f)
                digests.setdefault(name.split(",")[0], set()).add(shard_digest(out))
                results.append(result)
                shutil.rmtree(out)
            reached = check_ratios(manifest)
            seconds = [r.seconds for r in results]
            print(f"{name:<40} {statistics.median(seconds):>9.2f} {'/'.join(f'{s:.1f}' for s in seconds):>16} "
                  f"{manifest['counts']['records']:>12,} {max(r.peak_rss for r in results) / 1e6:>12,.0f}  "
                  + ", ".join(f"{k} {v:.5f}" for k, v in reached.items()))
        same = all(len(d) == 1 for d in digests.values())
        print(f"byte-identical shards across repeats and runner modes: {'yes' if same else 'NO'}")
        return 0 if same else 1
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
