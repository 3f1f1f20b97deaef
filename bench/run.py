"""`make bench`: winnow's stages and whole runs on a generated corpus, side by side with peers.

    python -m bench.run [--suite exact|near|scale] [--records 100000] [--repeat 3] [--skip-peers] [--profile]

  exact  the per-stage profile (in-process, no Beam), then whole CLI runs: the default run (the
         runner mode winnow picks), --stages exact, --stages rules,exact, both DirectRunner modes,
         start-up cost; datatrove's and text-dedup's exact dedup on the same files
  near   a corpus of real sentences (bench/devtext) with exact and near copies: exact+near runs,
         then text-dedup MinHash, datatrove MinHash and the simhash package's SimhashIndex (k=3)
  scale  the default run alone (e.g. --records 10000000 --repeat 1)

Times are medians of --repeat runs; memory is the peak over the whole process tree (Beam forks SDK
workers), as RSS and as PSS (shared pages split between processes), sampled every 50 ms.
Peers run from their own venv (bench/.peers/venv, made by `make bench-peers`), never winnow's.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile

from bench import measure
from bench.corpus import generate
from bench.stages import profile
from pipelines.config import WinnowConfig

HERE = os.path.dirname(os.path.abspath(__file__))
WINNOW = os.path.join(os.path.dirname(sys.executable), "winnow")
PEERS_PYTHON = os.path.join(HERE, ".peers", "venv", "bin", "python")


def folder_mb(folder: str) -> float:
    return sum(e.stat().st_size for e in os.scandir(folder) if ".jsonl" in e.name) / 1e6


def repeated(name: str, cmd_for, repeat: int, records: int, mb: float) -> dict:
    runs = []
    profile = {}
    for _ in range(repeat):
        work = tempfile.mkdtemp(prefix="winnow-bench-", dir=os.path.join(HERE, ".data"))
        try:
            result = measure.run(cmd_for(work))
            if result.returncode != 0:
                raise RuntimeError(f"{name} failed:\n{result.output[-3000:]}")
            runs.append(result)
            manifest = os.path.join(work, "out", "manifest.json")
            if os.path.exists(manifest):  # a winnow run: its worker seconds per step
                with open(manifest) as f:
                    profile = json.load(f)["run"].get("worker_seconds_by_step", {})
        finally:
            shutil.rmtree(work, ignore_errors=True)
    seconds = statistics.median(r.seconds for r in runs)
    return {"name": name, "seconds": seconds, "all": "/".join(f"{r.seconds:.1f}" for r in runs),
            "records_per_s": records / seconds, "mb_per_s": mb / seconds,
            "peak_rss_mb": max(r.peak_rss for r in runs) / 1e6, "peak_pss_mb": max(r.peak_pss for r in runs) / 1e6,
            "summary": next((line for line in runs[-1].output.splitlines() if " records read, " in line), ""),
            "profile": profile}


def winnow_cmd(corpus: str, stages: str | None, *beam_args: str):
    def cmd(work):
        args = [WINNOW, "clean", "--input", corpus, "--output", os.path.join(work, "out"), *beam_args]
        return args + (["--stages", stages] if stages else [])
    return cmd


def peer_cmd(script: str, corpus: str, workers: int):
    return lambda work: [PEERS_PYTHON, os.path.join(HERE, script), corpus, work, str(workers)]


def textdedup_cmd(module: str, corpus: str, workers: int, *extra: str):
    return lambda work: [PEERS_PYTHON, "-m", module, "--path", "json", "--data_files", os.path.join(corpus, "*.jsonl"),
                         "--split", "train", "--cache_dir", os.path.join(work, "cache"), "--output", os.path.join(work, "out"),
                         "--column", "text", "--num_proc", str(workers), *extra]


def print_table(title: str, rows: list[dict], columns: list[tuple[str, str, str]]) -> None:
    print(f"\n{title}")
    print("  " + "  ".join(f"{label:>{len(label) if i else 50}}" for i, (label, _, _) in enumerate(columns)))
    for row in rows:
        cells = []
        for i, (label, key, fmt) in enumerate(columns):
            value = row.get(key, "")
            text = format(value, fmt) if value != "" else "-"
            cells.append(f"{text:>{len(label)}}" if i else f"{text:<50}")
        print("  " + "  ".join(cells))


def in_process_profile(corpus: str) -> str:
    """cProfile of one in-memory pipeline run in this process: where Beam and winnow spend time."""
    from pipelines.cli import main

    out = tempfile.mkdtemp(prefix="winnow-profile-")
    profiler = cProfile.Profile()
    profiler.enable()
    main(["clean", "--input", corpus, "--output", os.path.join(out, "o"), "--stages", "exact",
          "--direct_running_mode=in_memory", "--direct_num_workers=1"])
    profiler.disable()
    shutil.rmtree(out, ignore_errors=True)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
    return text.getvalue()


def peers(names_and_cmds, args, mb: float) -> list[dict]:
    if args.skip_peers:
        return []
    if not os.path.exists(PEERS_PYTHON):
        print(f"\n(peers skipped: {PEERS_PYTHON} missing; run `make bench-peers` first)")
        return []
    rows = []
    for name, cmd in names_and_cmds:
        if args.skip_peer and any(word in name for word in args.skip_peer):
            print(f"\n(peer skipped on request: {name})")
            continue
        try:
            rows.append(repeated(name, cmd, args.repeat, args.records, mb))
        except RuntimeError as err:
            print(f"\n(peer failed, left out) {err}")
    return rows


def report(rows: list[dict], repeat: int, baseline_names: list[str]) -> None:
    columns = [("run", "name", ""), ("median s", "seconds", ".2f"), ("runs", "all", ""), ("records/s", "records_per_s", ",.0f"),
               ("MB/s", "mb_per_s", ".1f"), ("peak RSS MB", "peak_rss_mb", ",.0f"), ("peak PSS MB", "peak_pss_mb", ",.0f")]
    print_table(f"whole runs (median of {repeat}; peak memory of the process tree):", rows, columns)
    for row in rows:
        if row["summary"]:
            print(f"  {row['name']}: {row['summary']}")
    for row in rows:
        if row.get("profile"):
            steps = ", ".join(f"{step} {seconds:.1f}" for step, seconds in row["profile"].items())
            print(f"  worker seconds by step, {row['name']} (last run): {steps}")
    others = [r for r in rows if not r["name"].startswith("winnow")]
    if others:
        print("\nratios (peer median / winnow median; above 1 means winnow is faster):")
        for row in rows:
            if row["name"] in baseline_names:
                ratios = ", ".join(f"{peer['name'].split(',')[0]} {peer['seconds'] / row['seconds']:.2f}x" for peer in others)
                print(f"  {row['name']:<50} {ratios}")


def exact_suite(args) -> None:
    shards = max(4, args.records // 125_000)
    corpus = generate(os.path.join(HERE, ".data", f"corpus-{args.records}"), records=args.records, shards=shards)
    mb = folder_mb(corpus)
    print(f"corpus: {args.records} records, {mb:.1f} MB JSONL in {shards} files, ~20% exact duplicates, zh+en ({corpus})")
    stages = profile(corpus, WinnowConfig())
    print_table("winnow stages, in-process, one core (no Beam):", stages,
                [("stage", "stage", ""), ("seconds", "seconds", ".2f"), ("records", "records", "d"),
                 ("records/s", "records_per_s", ",.0f"), ("input MB/s", "input_mb_per_s", ".1f")])
    w = args.workers
    multi = ("--direct_running_mode=multi_processing", f"--direct_num_workers={w}")
    single = ("--direct_running_mode=in_memory", "--direct_num_workers=1")
    names = ["winnow default run (mode winnow picks)", "winnow --stages exact", "winnow --stages rules,exact"]
    rows = [
        repeated(names[0], winnow_cmd(corpus, None), args.repeat, args.records, mb),
        repeated(names[1], winnow_cmd(corpus, "exact"), args.repeat, args.records, mb),
        repeated(names[2], winnow_cmd(corpus, "rules,exact"), args.repeat, args.records, mb),
        repeated("winnow --stages exact, in_memory", winnow_cmd(corpus, "exact", *single), args.repeat, args.records, mb),
        repeated(f"winnow --stages exact, multi_processing {w}", winnow_cmd(corpus, "exact", *multi), args.repeat, args.records, mb),
        repeated("winnow default stages, in_memory", winnow_cmd(corpus, None, *single), args.repeat, args.records, mb),
        repeated(f"winnow default stages, multi_processing {w}", winnow_cmd(corpus, None, *multi), args.repeat, args.records, mb),
    ]
    tiny = generate(os.path.join(HERE, ".data", "tiny"), records=100, shards=1)
    rows.append(repeated("winnow on 100 records (start-up cost)", winnow_cmd(tiny, "normalize,rules,exact"), args.repeat, 100,
                         folder_mb(tiny)))
    rows += peers([(f"datatrove exact dedup, {w} workers", peer_cmd("peer_datatrove_exact.py", corpus, w)),
                   (f"text-dedup exact_hash, {w} procs", textdedup_cmd("text_dedup.exact_hash", corpus, w, "--hash_func", "xxh3"))],
                  args, mb)
    report(rows, args.repeat, names)
    if args.profile:
        print("\ncProfile of an in-memory --stages exact run (top 30 by cumulative time):")
        print(in_process_profile(corpus))


def near_suite(args) -> None:
    from bench.corpus import sentence_pools

    shards = max(4, args.records // 125_000)
    corpus = generate(os.path.join(HERE, ".data", f"near-corpus-{args.records}"), records=args.records, shards=shards,
                      near_share=0.05, sentences=sentence_pools())
    mb = folder_mb(corpus)
    print(f"corpus: {args.records} records of real sentences, {mb:.1f} MB JSONL in {shards} files, "
          f"~20% exact and ~5% near copies ({corpus})")
    w = args.workers
    names = ["winnow --stages exact,near", "winnow --stages exact"]
    rows = [
        repeated(names[0], winnow_cmd(corpus, "exact,near"), args.repeat, args.records, mb),
        repeated(names[1], winnow_cmd(corpus, "exact"), args.repeat, args.records, mb),
    ]
    rows += peers([(f"text-dedup minhash, {w} procs", textdedup_cmd("text_dedup.minhash", corpus, w)),
                   (f"datatrove minhash, {w} workers", peer_cmd("peer_datatrove_minhash.py", corpus, w)),
                   ("simhash SimhashIndex k=3, 1 process", peer_cmd("peer_simhash_index.py", corpus, 1))], args, mb)
    report(rows, args.repeat, names[:1])


def scale_suite(args) -> None:
    shards = max(4, args.records // 125_000)
    corpus = generate(os.path.join(HERE, ".data", f"corpus-{args.records}"), records=args.records, shards=shards)
    mb = folder_mb(corpus)
    print(f"corpus: {args.records} records, {mb:.1f} MB JSONL in {shards} files ({corpus})")
    report([repeated("winnow default run (mode winnow picks)", winnow_cmd(corpus, None), args.repeat, args.records, mb)],
           args.repeat, [])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", choices=["exact", "near", "scale"], default="exact")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-peer", action="append", default=[], metavar="WORD",
                        help="leave out the peers whose name holds WORD (e.g. SimhashIndex, which takes ~8 min at 100k)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of an in-memory run")
    args = parser.parse_args()
    {"exact": exact_suite, "near": near_suite, "scale": scale_suite}[args.suite](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
