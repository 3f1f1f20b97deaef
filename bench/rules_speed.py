"""How fast the rules are: the rules stage of this work tree against a git revision's, on the bench corpus.

    python -m bench.rules_speed --baseline 6510e07 --repeat 7        # this tree against the pre-v2 rules
    python -m bench.rules_speed --rev HEAD --baseline 6510e07        # a revision's rules in place of this tree's
    python -m bench.rules_speed --also HEAD --baseline 6510e07       # ... or beside them, in the same alternation
    python -m bench.rules_speed --check --baseline HEAD              # the same output as HEAD, record by record

Both sides judge the same Arrow batches: the corpus of bench.corpus (web format, generated once into
bench/.data), read and normalized as the pipeline does (bench.stages), in batches of the pipeline's size,
and saved to an Arrow file that every child process reads. Each run is a child process with its side's
rules first on sys.path (a revision's filters/ and pipelines/ as bench.quality exports them): it judges
every batch once to warm up (numba compiles or loads its cache, the word list and the automata are
built), then once more, timing only the rules calls in process CPU seconds. Runs alternate A/B/A/B..., so
both sides meet the same load from other processes; min and median are printed per side.

--check compares instead of timing: reasons, details, the `cleaned` notes and the content columns as
kept, of the corpus and of bench.quality's dev and heldout records (clean documents, web junk, SFT junk
as alpaca records and as ShareGPT conversations), between this tree and the baseline revision. Any
difference is listed and the exit code is 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench.quality import exported_rules, repo_root

CORPUS_SHARDS = 4
CHECK_PER_KIND = 200  # junk records per kind and language, as bench.quality makes by default


def corpus_batches(records: int) -> list:
    """The bench corpus as the rules stage sees it: read, normalized, in the pipeline's batches."""
    from bench import corpus
    from pipelines.config import WinnowConfig
    from pipelines.inputs import discover
    from transforms.normalize import normalize_batch
    from transforms.readers import FileStats, read_file

    folder = os.path.join("bench", ".data", f"corpus-{records}")
    corpus.generate(folder, records=records, shards=CORPUS_SHARDS)
    cfg = WinnowConfig()
    batches = []
    for f in discover([folder]):
        batches += [normalize_batch(e.batch, cfg.ingest.format, cfg.normalize)
                    for e in read_file(f.path, f.source, cfg.ingest, FileStats(f.source)) if e.kind == "records"]
    return batches


def quality_batches() -> list[tuple[str, str, list]]:
    """(label, format, batches) of bench.quality's records: the clean documents and the junk of each split."""
    import pyarrow as pa

    from bench import devtext, quality_junk
    from bench.quality import BATCH

    def batched(columns: dict[str, list[str]]) -> list:
        n = len(next(iter(columns.values())))
        return [pa.record_batch({k: pa.array(v[s:s + BATCH], pa.string()) for k, v in columns.items()})
                for s in range(0, n, BATCH)]

    out = []
    for split in devtext.SPLITS:
        docs = {lang: devtext.load(lang, split) for lang in devtext.LANGS}
        for lang, records in docs.items():
            out.append((f"{split} clean {lang}", "web", batched({"text": [r["text"] for r in records]})))
        junk = quality_junk.generate(split, {lang: [r["text"] for r in records] for lang, records in docs.items()},
                                     CHECK_PER_KIND)
        for fmt, name, fields in (("web", "web", ["text"]), ("sft", "alpaca", ["instruction", "input", "output"])):
            records = [r for r in junk if r["format"] == fmt]
            out.append((f"{split} junk {fmt}", name, batched({f: [r[f] for r in records] for f in fields})))
        records = [r for r in junk if r["format"] == "sft"]  # the SFT junk again as ShareGPT conversations
        conversations = [[{"from": "system", "value": r["input"]}, {"from": "human", "value": r["instruction"]},
                          {"from": "gpt", "value": r["output"]}] for r in records]
        turns = pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())]))
        out.append((f"{split} junk sharegpt", "sharegpt",
                    [pa.record_batch({"conversations": pa.array(conversations[s:s + BATCH], turns)})
                     for s in range(0, len(conversations), BATCH)]))
    return out


def _write(path: str, batches: list) -> None:
    import pyarrow as pa

    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, batches[0].schema) as writer:
        for batch in batches:
            writer.write_batch(batch)


def _read(path: str) -> list:
    import pyarrow as pa

    with pa.memory_map(path) as source:
        reader = pa.ipc.open_file(source)
        return [reader.get_batch(k) for k in range(reader.num_record_batches)]


# --- the child: one side's rules ---------------------------------------------------------------------------------


def _rules_call(rules_path: str | None):
    """judge(fmt_name, columns) -> (verdicts, columns as kept, cleaned or None), with the rules on sys.path."""
    from filters import ruleset
    from pipelines.config import FieldNames, RecordFormat, RulesConfig

    if rules_path and not os.path.abspath(ruleset.__file__).startswith(os.path.abspath(rules_path)):
        raise SystemExit(f"the rules came from {ruleset.__file__}, not from {rules_path}")
    cfg, fields = RulesConfig(), FieldNames()

    def call(fmt_name: str, columns: dict):
        fmt = RecordFormat(fmt_name)
        if hasattr(ruleset, "judge"):
            outcome = ruleset.judge(fmt, columns, cfg, fields)
            return outcome.verdicts, outcome.columns, outcome.cleaned
        return ruleset.evaluate(fmt, columns, cfg, fields), columns, None  # a revision before cleaning existed

    return call


def _child_time(path: str, rules_path: str | None) -> dict:
    batches = _read(path)
    call = _rules_call(rules_path)
    columns = [dict(zip(b.schema.names, b.columns)) for b in batches]
    for c in columns:  # warm-up: compile or load the kernels, build the word list and the automata
        call("web", c)
    rejected = 0
    per_batch = []
    for c in columns:
        start = time.process_time()
        verdicts = call("web", c)[0]
        per_batch.append(time.process_time() - start)
        rejected += int((~verdicts.kept).sum())
    return {"seconds": sum(per_batch), "per_batch": per_batch, "records": sum(b.num_rows for b in batches),
            "rejected": rejected}


def _child_dump(manifest: str, out_folder: str, rules_path: str | None) -> dict:
    import pyarrow as pa

    call = _rules_call(rules_path)
    with open(manifest, encoding="utf-8") as f:
        entries = json.load(f)
    for k, (fmt_name, path) in enumerate(entries):
        out = []
        for batch in _read(path):
            verdicts, kept, cleaned = call(fmt_name, dict(zip(batch.schema.names, batch.columns)))
            n = batch.num_rows
            arrays = {"reason": pa.array(verdicts.reasons, pa.string()), "detail": pa.array(verdicts.details, pa.string()),
                      "cleaned": cleaned if cleaned is not None else pa.nulls(n, pa.string())}
            for name in batch.schema.names:
                arrays[f"kept {name}"] = kept[name]
            out.append(pa.record_batch(arrays))
        _write(os.path.join(out_folder, f"{k}.arrow"), out)
    return {"files": len(entries)}


# --- the parent -----------------------------------------------------------------------------------------------------


def _child(args: list[str], rules_path: str | None) -> dict:
    cmd = [sys.executable, "-m", "bench.rules_speed", *args] + (["--rules-path", rules_path] if rules_path else [])
    out = subprocess.run(cmd, cwd=repo_root(), capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _summary(seconds: list[float]) -> str:
    return f"min {min(seconds):7.2f} s   median {statistics.median(seconds):7.2f} s   ({', '.join(f'{s:.2f}' for s in seconds)})"


def time_sides(path: str, sides: dict[str, str | None], repeat: int) -> dict:
    """Alternating runs of each side: {label: a revision's exported rules, or None for the work tree's}."""
    seconds: dict[str, list[float]] = {side: [] for side in sides}
    per_batch: dict[str, list[list[float]]] = {side: [] for side in sides}
    facts = {}
    for k in range(repeat):
        for side, folder in sides.items():
            result = _child(["--child-time", path], folder)
            seconds[side].append(result["seconds"])
            per_batch[side].append(result["per_batch"])
            facts[side] = result
            print(f"  run {k + 1}/{repeat} {side:<12} {result['seconds']:7.2f} s  ({result['rejected']} of "
                  f"{result['records']} rejected)", file=sys.stderr, flush=True)
    best = {side: float(sum(min(times) for times in zip(*runs))) for side, runs in per_batch.items()}
    return {"seconds": seconds, "best": best, "facts": facts}


def compare_outputs(this_folder: str, base_folder: str, labels: list[str]) -> list[str]:
    """Differences between the dumps of the two sides, as lines (none when every value is equal)."""
    import pyarrow as pa

    lines = []
    for k, label in enumerate(labels):
        mine = pa.Table.from_batches(_read(os.path.join(this_folder, f"{k}.arrow")))
        theirs = pa.Table.from_batches(_read(os.path.join(base_folder, f"{k}.arrow")))
        if mine.num_rows != theirs.num_rows or mine.schema.names != theirs.schema.names:
            lines.append(f"{label}: shapes differ ({mine.num_rows} rows {mine.schema.names} vs {theirs.num_rows} rows "
                         f"{theirs.schema.names})")
            continue
        for name in mine.schema.names:
            a, b = mine.column(name).to_pylist(), theirs.column(name).to_pylist()
            differ = [row for row, (x, y) in enumerate(zip(a, b)) if x != y]
            if differ:
                row = differ[0]
                lines.append(f"{label}: {name} differs in {len(differ)} of {len(a)} rows, first row {row}: "
                             f"{str(a[row])[:200]!r} vs {str(b[row])[:200]!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rules_speed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", metavar="REV", default="6510e07", help="the git revision to compare with (6510e07)")
    parser.add_argument("--rev", metavar="REV", help="a git revision's rules in place of this work tree's")
    parser.add_argument("--also", metavar="REV", action="append", default=[],
                        help="also time this revision's rules, in the same alternation (repeatable)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per side (default 7)")
    parser.add_argument("--records", type=int, default=100_000, help="records of the bench corpus (default 100,000)")
    parser.add_argument("--check", action="store_true", help="compare outputs instead of timing")
    parser.add_argument("--child-time", help=argparse.SUPPRESS)
    parser.add_argument("--child-dump", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--rules-path", help=argparse.SUPPRESS)  # a revision's rules, first on sys.path
    args = parser.parse_args(argv)
    if args.rules_path:
        sys.path.insert(0, os.path.abspath(args.rules_path))
    if args.child_time:
        print(json.dumps(_child_time(args.child_time, args.rules_path)))
        return 0
    if args.child_dump:
        print(json.dumps(_child_dump(*args.child_dump, args.rules_path)))
        return 0
    with tempfile.TemporaryDirectory(prefix="winnow-rules-speed-") as work, contextlib.ExitStack() as stack:
        this = stack.enter_context(exported_rules(args.rev)) if args.rev else None
        baseline = stack.enter_context(exported_rules(args.baseline))
        this_label = args.rev or "this tree"
        corpus = os.path.join(work, "corpus.arrow")
        _write(corpus, corpus_batches(args.records))
        if args.check:
            return _check(work, corpus, this, baseline, this_label, args.baseline)
        sides = {this_label: this, **{rev: stack.enter_context(exported_rules(rev)) for rev in args.also},
                 args.baseline: baseline}
        result = time_sides(corpus, sides, args.repeat)
    seconds = result["seconds"]
    theirs = seconds[args.baseline]
    print(f"rules on corpus-{args.records} ({result['facts'][this_label]['records']} records), process CPU seconds of the "
          f"rules calls, {args.repeat} alternating runs per side")
    for label, mine in seconds.items():
        print(f"  {label:<12} {_summary(mine)}")
    best = result["best"]
    print("  the sum over batches of each batch's fastest run (spares the runs that other processes slowed): "
          + ", ".join(f"{label} {value:.2f} s" for label, value in best.items()))
    for label, mine in seconds.items():
        if label != args.baseline:
            print(f"  ratio {label}/{args.baseline}: min {min(mine) / min(theirs):.3f}x   "
                  f"median {statistics.median(mine) / statistics.median(theirs):.3f}x   "
                  f"fastest per batch {best[label] / best[args.baseline]:.3f}x")
    return 0


def _check(work: str, corpus: str, this: str | None, baseline: str, this_label: str, base_label: str) -> int:
    entries, labels = [("web", corpus)], ["corpus"]
    for k, (label, fmt_name, batches) in enumerate(quality_batches()):
        path = os.path.join(work, f"quality-{k}.arrow")
        _write(path, batches)
        entries.append((fmt_name, path))
        labels.append(label)
    manifest = os.path.join(work, "manifest.json")
    with open(manifest, "w", encoding="utf-8") as f:
        json.dump(entries, f)
    folders = {}
    for side, rules in (("this", this), ("baseline", baseline)):
        folders[side] = os.path.join(work, side)
        os.mkdir(folders[side])
        _child(["--child-dump", manifest, folders[side]], rules)
    differences = compare_outputs(folders["this"], folders["baseline"], labels)
    rows = sum(b.num_rows for k in range(len(labels)) for b in _read(os.path.join(folders["this"], f"{k}.arrow")))
    if differences:
        print(f"{this_label} and {base_label} differ:")
        print("\n".join(f"  {line}" for line in differences))
        return 1
    print(f"{this_label} and {base_label}: identical reasons, details, cleaned notes and kept columns "
          f"({rows} records in {len(labels)} sets: {', '.join(labels)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
