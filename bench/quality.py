"""How well the rules do: keep rate on clean real documents, catch rate on every kind of junk.

    python -m bench.quality                      # dev and heldout splits, the rules of this work tree
    python -m bench.quality --baseline HEAD      # the same, side by side with the rules of a git revision
    python -m bench.quality --split dev --save before.json   # ... or save one run and --compare it later

Clean documents come from bench.devtext (real Chinese and English documentation); junk from
bench.quality_junk (generated, web and SFT, zh and en, around documents of the same split). A clean
document counts as kept when no rule rejects it; a junk record counts as caught when it meets its
`expect`: rejected with that reason, or kept and repaired as intended, or (hard clean cases) kept intact.
Targets: clean keep >= 99.5% per language, every junk kind >= 95%.

A baseline revision's rules (filters/ and pipelines/ as `git archive` gives them) run in a child
process with that folder first on sys.path; the corpus and junk are this tree's, so both sides judge
the same records.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

from bench import devtext, quality_junk

BATCH = 4096
KEEP_TARGET, CATCH_TARGET = 0.995, 0.95


def _rules():
    """The rule set in use (imported late, so that --rules-path can put a revision's first on sys.path)."""
    import pyarrow as pa

    from filters import ruleset
    from pipelines.config import FieldNames, RecordFormat, RulesConfig

    cfg, fields = RulesConfig(), FieldNames()

    def run(fmt_name: str, columns: dict[str, list[str]]) -> list[tuple[str | None, dict[str, str]]]:
        fmt = RecordFormat(fmt_name)
        n = len(next(iter(columns.values())))
        out = []
        for start in range(0, n, BATCH):
            batch = {k: pa.array(v[start:start + BATCH], pa.string()) for k, v in columns.items()}
            if hasattr(ruleset, "judge"):
                outcome = ruleset.judge(fmt, batch, cfg, fields)
                reasons, kept_columns = outcome.verdicts.reasons, outcome.columns
            else:  # a revision before cleaning existed: texts are kept as they came
                reasons, kept_columns = ruleset.evaluate(fmt, batch, cfg, fields).reasons, batch
            values = {k: kept_columns[k].to_pylist() for k in columns}
            out += [(reason, {k: values[k][i] for k in columns}) for i, reason in enumerate(reasons)]
        return out

    return run


def _met(record: dict, reason: str | None, kept: dict[str, str]) -> bool:
    expect = record["expect"]
    text = kept.get("text", kept.get("output", ""))
    if expect == "kept":
        return reason is None and all(s in text for s in record.get("must_stay", []))
    if expect == "repaired":
        if reason is not None:
            return False
        if "repaired_text" in record:
            return text == record["repaired_text"]
        return all(s not in text for s in record["must_be_gone"]) and all(s in text for s in record.get("must_stay", []))
    return reason == expect


def measure(split: str, per_kind: int) -> dict:
    run = _rules()
    docs = {lang: devtext.load(lang, split) for lang in devtext.LANGS}
    result: dict = {"split": split, "clean": {}, "junk": {}}
    start = time.perf_counter()
    for lang, records in docs.items():
        outcomes = run("web", {"text": [r["text"] for r in records]})
        rejected = collections.Counter(reason for reason, _ in outcomes if reason is not None)
        changed = sum(1 for (reason, kept), r in zip(outcomes, records) if reason is None and kept["text"] != r["text"])
        examples = collections.defaultdict(list)
        for (reason, _), record in zip(outcomes, records):
            if reason is not None and len(examples[reason]) < 3:
                examples[reason].append(record.get("id") or record.get("source"))
        result["clean"][lang] = {"n": len(records), "kept": len(records) - sum(rejected.values()), "changed": changed,
                                 "reasons": dict(rejected.most_common()), "examples": dict(examples)}
    junk = quality_junk.generate(split, {lang: [r["text"] for r in records] for lang, records in docs.items()}, per_kind)
    for fmt, fields in (("web", ["text"]), ("sft", ["instruction", "input", "output"])):
        records = [r for r in junk if r["format"] == fmt]
        outcomes = run("web" if fmt == "web" else "alpaca", {f: [r[f] for r in records] for f in fields})
        for record, (reason, kept) in zip(records, outcomes):
            key = f"{record['kind']} {record['lang']} {fmt} -> {record['expect']}"
            entry = result["junk"].setdefault(key, {"n": 0, "met": 0, "got": collections.Counter()})
            entry["n"] += 1
            ok = _met(record, reason, kept)
            entry["met"] += ok
            if not ok:
                entry["got"][reason or ("kept, not as intended" if record["expect"] != "kept" else "kept, changed")] += 1
    for entry in result["junk"].values():
        entry["got"] = dict(entry["got"].most_common(3))
    result["seconds"] = round(time.perf_counter() - start, 1)
    return result


def repo_root() -> str:
    return subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True).stdout.strip()


@contextlib.contextmanager
def exported_rules(rev: str) -> Iterator[str]:
    """A temporary folder holding a git revision's filters/ and pipelines/ (as `git archive` gives them), to put
    first on a child process's sys.path; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="winnow-rules-") as folder:
        archive = subprocess.run(["git", "archive", rev, "filters", "pipelines"], cwd=repo_root(), capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        yield folder


def _baseline(rev: str, splits: list[str], per_kind: int) -> dict[str, dict]:
    root = repo_root()
    with exported_rules(rev) as folder:
        out = subprocess.run([sys.executable, "-m", "bench.quality", "--rules-path", folder, "--json", "--per-kind", str(per_kind),
                              *sum((["--split", s] for s in splits), [])], cwd=root, capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(f"baseline {rev} failed:\n{out.stderr[-3000:]}")
        return {r["split"]: r for r in json.loads(out.stdout)}


def _rate(met: int, n: int) -> str:
    return f"{met / n:6.1%}" if n else "     -"


def report(results: list[dict], before: dict[str, dict] | None, label: str) -> str:
    lines = []
    for result in results:
        base = (before or {}).get(result["split"])
        head = f"{'split ' + result['split']:<58}" + (f"{label:>8}" if base else "") + f"{'now':>8}   target"
        lines += ["", head]
        for lang, clean in result["clean"].items():
            old = base["clean"].get(lang) if base else None
            row = f"  clean {lang} web kept (n={clean['n']})"
            row = f"{row:<58}" + (_rate(old["kept"], old["n"]).rjust(8) if old else "") + _rate(clean["kept"], clean["n"]).rjust(8)
            lines.append(row + f"   >= {KEEP_TARGET:.1%}" + ("" if clean["kept"] >= KEEP_TARGET * clean["n"] else "  MISSED"))
            if clean["reasons"]:
                lines.append("      rejected: " + ", ".join(f"{r} {c}" for r, c in clean["reasons"].items()))
            if clean["changed"]:
                lines.append(f"      kept with lines removed or repaired: {clean['changed']}")
        for key, entry in sorted(result["junk"].items()):
            old = base["junk"].get(key) if base else None
            row = f"  {key}"
            row = f"{row:<58}" + (_rate(old["met"], old["n"]).rjust(8) if old else ("       -" if base else ""))
            row += _rate(entry["met"], entry["n"]).rjust(8) + f"   >= {CATCH_TARGET:.0%}"
            lines.append(row + ("" if entry["met"] >= CATCH_TARGET * entry["n"] else "  MISSED  got " + json.dumps(entry["got"],
                                                                                                            ensure_ascii=False)))
        lines.append(f"  ({result['seconds']} s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", action="append", choices=devtext.ALL_SPLITS, help="dev, heldout, fresh (default: dev and heldout; fresh is the one unseen check)")
    parser.add_argument("--per-kind", type=int, default=200, help="junk records per kind and language")
    parser.add_argument("--baseline", metavar="REV", help="also run the rules of this git revision, side by side")
    parser.add_argument("--save", metavar="FILE", help="write this run's results as JSON")
    parser.add_argument("--compare", metavar="FILE", help="show a run saved with --save beside this one")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--rules-path", help=argparse.SUPPRESS)  # a baseline's rules, first on sys.path
    args = parser.parse_args(argv)
    if args.rules_path:
        sys.path.insert(0, os.path.abspath(args.rules_path))
    splits = args.split or list(devtext.SPLITS)
    results = [measure(split, args.per_kind) for split in splits]
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return 0
    before, label = None, ""
    if args.baseline:
        before, label = _baseline(args.baseline, splits, args.per_kind), args.baseline[:8]
    elif args.compare:
        with open(args.compare, encoding="utf-8") as f:
            before, label = {r["split"]: r for r in json.load(f)}, "saved"
    if args.save:
        with open(args.save, "w", encoding="utf-8") as f:
            json.dump(results, f, ensure_ascii=False)
    print(report(results, before, label))
    return 0


if __name__ == "__main__":
    sys.exit(main())
