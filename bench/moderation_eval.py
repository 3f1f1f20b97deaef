"""Moderation scorers and the ensemble on the labelled dev set (bench/moderation_devset.py) and on
real clean documents (bench/devtext.py, when built): recall per category and language, false
positives per language, and records/s per scorer on CPU with the batch size swept.

    python -m bench.moderation_eval [--split dev|tune|heldout|blind|blind2|blind3|blind4|blind5|blind6|all] [--bilstm] [--speed] [--devtext]
                                    [--no-fasttext]

`blind` is bench/moderation_blindset.py, the old blind set: never used to tune the lexicons, but part
of the fastText classifier's training data since the fourth round (as is the devset's `dev` split),
so rows with the classifier on those two are no check of it. `blind2` is bench/moderation_blindset2.py,
written by a second writer who never saw the lists or the classifier's data; it was measured blind
twice, then (fifth round) used to find the kinds of content the lists and the classifier missed, so
it is a tuning set now. `blind3` is bench/moderation_blindset3.py, a third writer's set written while
blind2 was being tuned on: the unbiased check of the fifth round, and a tuning set from the sixth round on
(its misses were read to find the kinds of content still missed; none of its texts is trained on).
`blind4` is bench/moderation_blindset4.py, a fourth writer's set: the unbiased check of the sixth round (run once,
moderation/README.md), a tuning set after it. `blind5` is bench/moderation_blindset5.py, a fifth writer's set: the
check of the seventh round (run once, moderation/README.md), a tuning set after it. `blind6` is
bench/moderation_blindset6.py, a sixth writer's set: the check of the next round.
Since the seventh round blind2-blind4 are in the classifier's training data (bench/moderation_train.py WRITERS), so
their rows are no check of it either; bench/moderation_lowo.py measures it on writers it was not trained on.
Sets in BLIND only ever print aggregate rows (--examples is refused on them), or they stop being checks.

Each scorer is judged alone with its own thresholds (as under the `any` policy, and without its `gate`), then the default
ensemble (weighted policy) and the default ensemble without the fastText classifier, and with --bilstm
the default ensemble plus the BiLSTM (weight 1). --no-fasttext leaves the classifier out everywhere
(speed and cost as before the fourth round).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import pyarrow as pa

from bench.moderation_blindset import load as load_blindset
from bench.moderation_blindset2 import load as load_blindset2
from bench.moderation_blindset3 import load as load_blindset3
from bench.moderation_blindset4 import load as load_blindset4
from bench.moderation_blindset5 import load as load_blindset5
from bench.moderation_blindset6 import load as load_blindset6
from bench.moderation_devset import load as load_devset
from moderation.config import ModerationConfig, ScorerSpec
from moderation.ensemble import decide
from moderation.inference import load_scorers, prepare, run_scorer

LANGS = ("zh", "en")
CATEGORIES = ("abuse", "porn", "politics")
SPEED_BATCHES = (16, 64, 256, 1024)


FASTTEXT = "fasttext"
BLIND = {"blind6"}  # sets whose items nobody may read while working on the stage: never --examples


def default_config(with_fasttext: bool = True) -> ModerationConfig:
    cfg = ModerationConfig()
    if not with_fasttext:
        cfg.scorers = [s for s in cfg.scorers if s.type != FASTTEXT]
    return cfg


def config(with_bilstm: bool, with_fasttext: bool = True) -> ModerationConfig:
    cfg = default_config(with_fasttext)
    if with_bilstm:
        cfg.scorers = [*cfg.scorers, ScorerSpec(name="bilstm", type="torch", languages=["en"],
                                                thresholds={"abuse": 0.9, "hate": 0.9, "violence": 0.9})]
    return cfg


def web_batch(items: list[dict]) -> pa.RecordBatch:
    """Items as a web batch whose `lang` column holds the labelled language (as the lang stage would)."""
    return pa.RecordBatch.from_pydict({
        "id": [str(i) for i in range(len(items))],
        "text": [it["text"] for it in items],
        "lang": [it["lang"] for it in items],
    })


def outcomes(cfg: ModerationConfig, scorers, items: list[dict]) -> dict[str, list[str | None]]:
    """Reject reason per item, for each scorer alone, for the default ensemble ("ensemble") and, when the
    fastText classifier is in it, for the default ensemble without it."""
    work = prepare(web_batch(items), "web", cfg)
    outputs = {spec.name: run_scorer(scorers[spec.name], spec, work.texts) for spec in cfg.scorers}
    out = {}
    for name in outputs:
        alone = cfg.model_copy(update={"scorers": [s.model_copy(update={"gate": {}}) for s in cfg.scorers if s.name == name],
                                       "policy": "any"})  # its own judgement: a gate needs the other scorers
        out[name] = decide(alone, work.texts, {name: outputs[name]}).reasons
    default = default_config(any(s.type == FASTTEXT for s in cfg.scorers))
    defaults = {spec.name for spec in default.scorers}
    out["ensemble"] = decide(default, work.texts, {n: o for n, o in outputs.items() if n in defaults}).reasons
    without = default.model_copy(update={"scorers": [s for s in default.scorers if s.type != FASTTEXT]})
    if len(without.scorers) < len(default.scorers):
        names = {spec.name for spec in without.scorers}
        out["ensemble without fasttext"] = decide(without, work.texts, {n: o for n, o in outputs.items() if n in names}).reasons
    if set(outputs) != defaults:
        out["ensemble + " + ", ".join(sorted(set(outputs) - defaults))] = decide(cfg, work.texts, outputs).reasons
    return out


def report(items: list[dict], reasons: dict[str, list], title: str, examples: bool) -> None:
    print(f"\n## {title}")
    header = ["scorer"] + [f"{lang} {c}" for lang in LANGS for c in CATEGORIES] + [f"FP {lang}" for lang in LANGS]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, rs in reasons.items():
        cells = [name]
        for lang in LANGS:
            for category in CATEGORIES:
                rows = [i for i, it in enumerate(items) if it["lang"] == lang and it["label"] == category]
                cells.append(f"{sum(rs[i] is not None for i in rows) / len(rows):.2f}" if rows else "-")
        for lang in LANGS:
            rows = [i for i, it in enumerate(items) if it["lang"] == lang and it["label"] is None]
            fp = sum(rs[i] is not None for i in rows)
            cells.append(f"{fp}/{len(rows)} ({100 * fp / len(rows):.1f}%)" if rows else "-")
        print("| " + " | ".join(cells) + " |")
    if examples:
        rs = reasons["ensemble"]
        for i, it in enumerate(items):
            wrong = (it["label"] is None) != (rs[i] is None)
            if wrong:
                print(f"  {'FP' if it['label'] is None else 'FN'} {it['lang']} {it['label'] or it['kind']}: {it['text'][:80]!r} -> {rs[i]}")


def devtext_items(split: str) -> list[dict] | None:
    """The real clean documents of a devtext split, or None when `make devtext` has not built them."""
    from bench import devtext

    if not all(os.path.exists(os.path.join(devtext.DATA_DIR, f"{lang}-{split}.jsonl")) for lang in LANGS):
        return None
    items = []
    for lang in LANGS:
        for doc in devtext.load(lang, split):
            items.append({"text": doc["text"], "lang": lang, "label": None, "kind": "devtext", "id": doc.get("id")})
    return items


def report_devtext(cfg, scorers, split: str, examples: bool) -> None:
    items = devtext_items(split)
    if items is None:
        print("\n(devtext not built: run `make devtext`)")
        return
    reasons = outcomes(cfg, scorers, items)
    print(f"\n## Real clean documents (bench/devtext, {split}): false positives")
    print("| scorer | " + " | ".join(f"FP {lang}" for lang in LANGS) + " |")
    print("|---|" + "---|" * len(LANGS))
    for name, rs in reasons.items():
        cells = []
        for lang in LANGS:
            rows = [i for i, it in enumerate(items) if it["lang"] == lang]
            fp = sum(rs[i] is not None for i in rows)
            cells.append(f"{fp}/{len(rows)} ({100 * fp / max(len(rows), 1):.2f}%)")
        print(f"| {name} | " + " | ".join(cells) + " |")
    if examples:
        for i, it in enumerate(items):
            if reasons["ensemble"][i] is not None:
                work = prepare(web_batch([it]), "web", cfg)
                detail = decide(cfg, work.texts, {s.name: run_scorer(scorers[s.name], s, work.texts) for s in cfg.scorers}).details[0]
                print(f"  FP {it['lang']} {it.get('id')}: {json.loads(detail).get('terms') or json.loads(detail)['scores']}")


def speed(cfg: ModerationConfig, scorers, items: list[dict], title: str, seconds: float = 1.5) -> None:
    """records/s per scorer and batch size over the texts of the scorer's languages."""
    print(f"\n## Speed on {title} (records/s on CPU, texts of the scorer's languages, mean length in brackets)")
    print("| scorer | " + " | ".join(f"batch {b}" for b in SPEED_BATCHES) + " |")
    print("|---|" + "---|" * len(SPEED_BATCHES))
    for spec in cfg.scorers:
        scorer = scorers[spec.name]
        texts = [it["text"] for it in items if scorer.covers(it["lang"])]
        texts = (texts * (1 + 2048 // max(len(texts), 1)))[:2048]
        if not texts:
            continue
        cells = []
        for size in SPEED_BATCHES:
            done, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                for i in range(0, len(texts), size):
                    scorer.score(texts[i:i + size])
                done += len(texts)
            cells.append(f"{done / (time.perf_counter() - start):,.0f}")
        print(f"| {spec.name} ({np.mean([len(t) for t in texts]):.0f} chars) | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "tune", "heldout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "all"], default="all")
    parser.add_argument("--bilstm", action="store_true", help="add the torch BiLSTM (needs torch and h5py)")
    parser.add_argument("--speed", action="store_true", help="records/s per scorer, batch size swept")
    parser.add_argument("--devtext", action="store_true", help="false positives on bench/devtext documents")
    parser.add_argument("--examples", action="store_true", help="print the ensemble's misses and false positives")
    parser.add_argument("--no-fasttext", action="store_true", help="leave the fastText classifier out of every row")
    args = parser.parse_args(argv)
    if args.examples and args.split in BLIND:
        parser.error(f"--examples on {args.split}: its texts must stay unread while the stage is tuned")
    cfg = config(args.bilstm, not args.no_fasttext)
    scorers = load_scorers(cfg)
    # `all` is the tuning view: the blind check runs only when asked for by name
    for split in (["dev", "tune", "heldout", "blind", "blind2", "blind3", "blind4", "blind5"] if args.split == "all" else [args.split]):
        items = {"blind": load_blindset, "blind2": load_blindset2, "blind3": load_blindset3,
                 "blind4": load_blindset4, "blind5": load_blindset5, "blind6": load_blindset6}.get(split, lambda: load_devset(split))()
        report(items, outcomes(cfg, scorers, items), f"Labelled set, {split} split: recall per language and category; "
               "false positives on clean and hard-clean texts", args.examples and split not in BLIND)
        if args.devtext and split in ("dev", "heldout"):
            report_devtext(cfg, scorers, split, args.examples)
    if args.speed:
        speed(cfg, scorers, load_devset("dev"), "short texts (the labelled dev set)")
        documents = devtext_items("dev")
        if documents:
            speed(cfg, scorers, documents, "documents (bench/devtext dev)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
