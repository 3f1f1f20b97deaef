"""`make bench`: winnow's stages and whole runs on a generated corpus, side by side with peers.

    python -m bench.run [--records 100000] [--repeat 3] [--skip-peers] [--profile]

Prints per-stage throughput measured in-process (where the time goes), then whole CLI runs under
both DirectRunner modes (median wall time of --repeat runs, peak RSS of the whole process tree),
then datatrove's and text-dedup's exact dedup on the same files and worker count, with ratios.
Peers run from their own venv (bench/.peers/venv, made by `make bench-peers`), never winnow's.
"""

from __future__ import annotations

import argparse
import cProfile
import io
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
    return sum(e.stat().st_size for e in os.scandir(folder) if e.name.endswith(".jsonl")) / 1e6


def repeated(name: str, cmd_for, repeat: int, records: int, mb: float) -> dict:
    runs = []
    for _ in range(repeat):
        work = tempfile.mkdtemp(prefix="winnow-bench-")
        try:
            result = measure.run(cmd_for(work))
            if result.returncode != 0:
                raise RuntimeError(f"{name} failed:\n{result.output[-3000:]}")
            runs.append(result)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    seconds = statistics.median(r.seconds for r in runs)
    return {"name": name, "seconds": seconds, "all": [round(r.seconds, 2) for r in runs],
            "records_per_s": records / seconds, "mb_per_s": mb / seconds,
            "peak_rss_mb": max(r.peak_rss for r in runs) / 1e6}


def winnow_cmd(corpus: str, stages: str, mode: str, workers: int):
    return lambda work: [WINNOW, "clean", "--input", corpus, "--output", os.path.join(work, "out"), "--stages", stages,
                         f"--direct_running_mode={mode}", f"--direct_num_workers={workers}"]


def datatrove_cmd(corpus: str, workers: int):
    return lambda work: [PEERS_PYTHON, os.path.join(HERE, "peer_datatrove_exact.py"), corpus, work, str(workers)]


def textdedup_cmd(corpus: str, workers: int):
    return lambda work: [PEERS_PYTHON, "-m", "text_dedup.exact_hash", "--path", "json", "--data_files", os.path.join(corpus, "*.jsonl"),
                         "--split", "train", "--cache_dir", os.path.join(work, "cache"), "--output", os.path.join(work, "out"),
                         "--column", "text", "--num_proc", str(workers), "--hash_func", "xxh3"]


def print_table(title: str, rows: list[dict], columns: list[tuple[str, str, str]]) -> None:
    print(f"\n{title}")
    print("  " + "  ".join(f"{label:>{len(label) if i else 44}}" for i, (label, _, _) in enumerate(columns)))
    for row in rows:
        cells = []
        for i, (label, key, fmt) in enumerate(columns):
            value = row.get(key, "")
            text = format(value, fmt) if value != "" else "-"
            cells.append(f"{text:>{len(label)}}" if i else f"{text:<44}")
        print("  " + "  ".join(cells))


def in_process_profile(corpus: str) -> str:
    """cProfile of one in-memory pipeline run in this process: where Beam and winnow spend time."""
    from pipelines.cli import main

    out = tempfile.mkdtemp(prefix="winnow-profile-")
    profiler = cProfile.Profile()
    profiler.enable()
    main(["clean", "--input", corpus, "--output", os.path.join(out, "o"), "--stages", "normalize,rules,exact",
          "--direct_running_mode=in_memory", "--direct_num_workers=1"])
    profiler.disable()
    shutil.rmtree(out, ignore_errors=True)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
    return text.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of an in-memory run")
    args = parser.parse_args()

    shards = max(4, args.records // 125_000)
    corpus = generate(os.path.join(HERE, ".data", f"corpus-{args.records}"), records=args.records, shards=shards)
    mb = folder_mb(corpus)
    print(f"corpus: {args.records} records, {mb:.1f} MB JSONL in {shards} files, ~20% exact duplicates, zh+en ({corpus})")

    stages = profile(corpus, WinnowConfig())
    print_table("winnow stages, in-process, one core (no Beam):", stages,
                [("stage", "stage", ""), ("seconds", "seconds", ".2f"), ("records", "records", "d"),
                 ("records/s", "records_per_s", ",.0f"), ("input MB/s", "input_mb_per_s", ".1f")])

    w = args.workers
    rows = [
        repeated("winnow rules+exact, in_memory, 1 worker", winnow_cmd(corpus, "normalize,rules,exact", "in_memory", 1), args.repeat, args.records, mb),
        repeated(f"winnow rules+exact, multi_processing, {w} workers", winnow_cmd(corpus, "normalize,rules,exact", "multi_processing", w), args.repeat, args.records, mb),
        repeated("winnow exact only, in_memory, 1 worker", winnow_cmd(corpus, "exact", "in_memory", 1), args.repeat, args.records, mb),
        repeated(f"winnow exact only, multi_processing, {w} workers", winnow_cmd(corpus, "exact", "multi_processing", w), args.repeat, args.records, mb),
        repeated("winnow all stages (+lang), in_memory, 1 worker", winnow_cmd(corpus, "normalize,rules,lang,exact", "in_memory", 1), args.repeat, args.records, mb),
        repeated(f"winnow all stages (+lang), multi_processing, {w} workers", winnow_cmd(corpus, "normalize,rules,lang,exact", "multi_processing", w), args.repeat, args.records, mb),
    ]
    tiny = os.path.join(HERE, ".data", "tiny")
    generate(tiny, records=100, shards=1)
    startup = repeated("winnow on 100 records (start-up cost)", winnow_cmd(tiny, "normalize,rules,exact", "in_memory", 1), args.repeat, 100, folder_mb(tiny))
    rows.append(startup)

    if not args.skip_peers:
        if os.path.exists(PEERS_PYTHON):
            for name, cmd in ((f"datatrove exact dedup, {w} workers", datatrove_cmd(corpus, w)),
                              (f"text-dedup exact_hash, {w} procs", textdedup_cmd(corpus, w))):
                try:
                    rows.append(repeated(name, cmd, args.repeat, args.records, mb))
                except RuntimeError as err:
                    print(f"\n(peer failed, left out) {err}")
        else:
            print(f"\n(peers skipped: {PEERS_PYTHON} missing; run `make bench-peers` first)")

    columns = [("run", "name", ""), ("median s", "seconds", ".2f"), ("runs", "all", ""), ("records/s", "records_per_s", ",.0f"),
               ("MB/s", "mb_per_s", ".1f"), ("peak RSS MB", "peak_rss_mb", ",.0f")]
    for row in rows:
        row["all"] = "/".join(str(s) for s in row["all"])
    print_table(f"whole runs (median of {args.repeat}; peak RSS of the process tree):", rows, columns)

    peers = {r["name"].split(" ")[0]: r for r in rows if not r["name"].startswith("winnow")}
    if peers:
        print("\nratios (peer median / winnow median; above 1 means winnow is faster):")
        for row in rows[:6]:
            ratios = ", ".join(f"{name} {peer['seconds'] / row['seconds']:.2f}x" for name, peer in peers.items())
            print(f"  {row['name']:<52} {ratios}")
    if args.profile:
        print("\ncProfile of an in-memory rules+exact run (top 25 by own time):")
        print(in_process_profile(corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
