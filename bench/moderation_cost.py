"""What the `moderation` stage costs per record on the bench corpus, in-process (no Beam): the
preparation of judged texts, each scorer of the default ensemble, the policy, and the whole.

    python -m bench.moderation_cost [--records 20000] [--corpus bench/.data/corpus-100000]

Records are read from the corpus's JSON Lines files in order (a small corpus is generated with
bench/corpus.py when the folder is missing), given the `lang` column the lang stage would give
(zh or en by script), and cut into batches of the stage's size (transforms.moderation.SCORING_ROWS).
Scorers run as the stage runs them (cheapest first, the cascade deciding which texts each judges;
--no-cascade: every scorer on every text of its languages). Prints, per step, the texts a scorer
judged and records/s over all records (its time divided by every record, including the ones it did
not judge), the fastest of --repeat passes (the 2-core build machine runs other jobs: the minimum is the
figure least disturbed by them).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import orjson
import pyarrow as pa

from moderation.config import ModerationConfig
from moderation.ensemble import decide
from moderation.inference import load_scorers, prepare, run_scorer, scoring_order, still_needed
from moderation.language import script_languages

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, ".data", "corpus-100000")


def read_records(corpus: str, limit: int) -> list[str]:
    if not os.path.isdir(corpus):
        from bench.corpus import generate

        generate(corpus, limit)
    texts = []
    for name in sorted(os.listdir(corpus)):
        if ".jsonl" not in name:
            continue
        with open(os.path.join(corpus, name), "rb") as f:
            for line in f:
                texts.append(orjson.loads(line)["text"])
                if len(texts) >= limit:
                    return texts
    return texts


def batches(texts: list[str], size: int) -> list[pa.RecordBatch]:
    out = []
    for start in range(0, len(texts), size):
        chunk = pa.array(texts[start:start + size], pa.string())
        langs = pa.array(script_languages(chunk, 0.3).tolist(), pa.string())
        out.append(pa.RecordBatch.from_arrays([pa.array([str(i) for i in range(len(chunk))]), chunk, langs],
                                              ["id", "text", "lang"]))
    return out


def one_pass(cfg: ModerationConfig, scorers, work_batches, judged: dict[str, int]) -> dict[str, float]:
    """Seconds per step; `judged` gets the texts each scorer judged."""
    seconds = {"prepare": 0.0, **{s.name: 0.0 for s in scoring_order(cfg)}, "policy": 0.0}
    for batch in work_batches:
        start = time.perf_counter()
        work = prepare(batch, "web", cfg)
        seconds["prepare"] += time.perf_counter() - start
        outputs = {}
        order = scoring_order(cfg)
        for position, spec in enumerate(order):  # as moderate_batch does, timed per scorer
            start = time.perf_counter()
            needed = still_needed(cfg, work.texts, outputs, [scorers[s.name] for s in order[position:]])
            outputs[spec.name] = run_scorer(scorers[spec.name], spec, work.texts, needed)
            seconds[spec.name] += time.perf_counter() - start
            judged[spec.name] += int(outputs[spec.name].judged.sum())
        start = time.perf_counter()
        decide(cfg, work.texts, outputs)
        seconds["policy"] += time.perf_counter() - start
    seconds["ensemble (all steps)"] = sum(seconds.values())
    return seconds


def main(argv: list[str] | None = None) -> int:
    from transforms.moderation import SCORING_ROWS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-cascade", action="store_true", help="every scorer judges every text of its languages")
    args = parser.parse_args(argv)
    cfg = ModerationConfig(cascade=not args.no_cascade)
    start = time.perf_counter()
    scorers = load_scorers(cfg)
    load_seconds = time.perf_counter() - start
    texts = read_records(args.corpus, args.records)
    work_batches = batches(texts, SCORING_ROWS)
    chars = sum(len(t) for t in texts)
    judged = {s.name: 0 for s in cfg.scorers}
    passes = [one_pass(cfg, scorers, work_batches, judged) for _ in range(args.repeat)]
    print(f"{len(texts):,} records, {chars / len(texts):,.0f} characters on average, batches of {SCORING_ROWS}, "
          f"cascade {'on' if cfg.cascade else 'off'}")
    loaded = sorted(name for name, scorer in scorers.items() if getattr(scorer, "loaded", True))
    print(f"setup (once per worker process): {load_seconds:.2f} s; models loaded by the end: {', '.join(loaded)}")
    print("| step | texts judged | seconds | records/s |")
    print("|---|---|---|---|")
    for step in passes[0]:
        seconds = min(p[step] for p in passes)
        count = f"{judged[step] // args.repeat:,}" if step in judged else ""
        print(f"| {step} | {count} | {seconds:.2f} | {len(texts) / seconds:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
