"""Leave one writer out: how the fastText classifier, and the ensemble around it, do on a writer whose texts they
were not trained on.

    python -m bench.moderation_lowo [--folds blind4,w1,...] [--hard-copies N] [--dim N] [--epoch N] ...

Every writer's set (bench/moderation_train.py WRITERS) is a fold: the classifier is trained on everything else
(the trainset, the old blind set, the devset's dev split, devtext pieces, the other writers) and judged on the fold.
Per fold and pooled over the folds it prints
- the classifier alone at several thresholds: recall per language and category, false positives on the fold's
  clean and hard-clean texts, and on the devtext `heldout` documents (real clean text nobody trains on);
- the default ensemble with that classifier only confirming lexicon evidence, rejecting alone from several scores
  (ScorerSpec.decisive) and also vetoing from several (ScorerSpec.veto_below), all from the same scores.

A writer's set measures generalisation to a new writer only for what was not tuned on it: the lexicons were tuned
on blind2 and blind3 (and the lists' kinds of text on blind4 since the sixth round), so the ensemble rows of those
folds are optimistic; the classifier rows are fair for every fold, and the ensemble rows for w1-w5 (no list was
tuned on them). bench/moderation_blindset5.py is never a fold: it is the check of the round.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

import numpy as np

from bench.moderation_eval import CATEGORIES, LANGS, devtext_items, web_batch
from bench.moderation_train import HARD_COPIES, PARAMS, WRITER_MODULES, WRITERS, build, training_items, writer_set
from moderation.config import FASTTEXT_DECISIVE, FASTTEXT_VETO_BELOW, ModerationConfig, default_scorers
from moderation.ensemble import decide
from moderation.inference import load_scorers, prepare, run_scorer

ALONE_THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.98)
DECISIVE_THRESHOLDS = (0.9, 0.95, 0.98, 0.99)
VETO_BELOW = (0.01, 0.02, 0.05, 0.1)
SOLO_MIN_CHARS = (6, 10, 16, 24)
VETO_UP_TO = (0.55, 0.6, 0.7, 0.8)
VETO_MAX_CHARS = (200, 400, 800, None)
EN_VARIANTS = ((0.99, 1.0), (0.995, 0.7), (0.995, 1.0), (0.999, 0.7), (0.999, 1.0))  # the English member's own  # every category under it: the classifier is sure of clean and overrules the mean


def probabilities(model, texts: list[str]) -> dict[str, np.ndarray]:
    """The classifier's probability of each category per text (its scorer's text form)."""
    from moderation.adapters.fasttext_model import PREFIX, model_texts

    lines = model_texts(texts)
    out = {c: np.zeros(len(texts)) for c in (*CATEGORIES, "clean")}
    labels, values = model.predict(lines, k=-1)
    for row, (names, probs) in enumerate(zip(labels, values)):
        if lines[row].strip():
            for name, p in zip(names, probs):
                name = name.removeprefix(PREFIX)
                if name in out:
                    out[name][row] = p
    return out


def variants(decisive: float) -> dict[str, ModerationConfig]:
    """The default ensemble with the classifier only confirming, rejecting alone from several scores, and vetoing from
    several scores (at `decisive`)."""
    out = {"ensemble, classifier confirming only": ModerationConfig(scorers=default_scorers(decisive=None, veto_below=None))}
    for t in DECISIVE_THRESHOLDS:
        out[f"ensemble + decisive >= {t}"] = ModerationConfig(scorers=default_scorers(decisive=t, veto_below=None,
                                                                                      solo_min_chars=0))
    for v in VETO_BELOW:
        out[f"ensemble + decisive >= {decisive} + veto below {v}"] = ModerationConfig(
            scorers=default_scorers(decisive=decisive, veto_below=v, solo_min_chars=0))
    for up_to in VETO_UP_TO:
        out[f"ensemble + decisive >= {decisive} + veto below {FASTTEXT_VETO_BELOW} of means under {up_to}"] = ModerationConfig(
            scorers=default_scorers(decisive=decisive, veto_below=FASTTEXT_VETO_BELOW, veto_up_to=up_to))
    for en_decisive, en_up_to in EN_VARIANTS:
        cfg = ModerationConfig()
        cfg.scorers = [spec.model_copy(update={"decisive": {c: en_decisive for c in spec.decisive}, "veto_up_to": en_up_to})
                       if spec.name == "fasttext-en" else spec for spec in cfg.scorers]
        out[f"default, English decisive >= {en_decisive}, veto of means under {en_up_to}"] = cfg
    for chars in VETO_MAX_CHARS:
        out[f"default, veto only up to {chars} chars"] = ModerationConfig(scorers=default_scorers(veto_max_chars=chars))
    for k in SOLO_MIN_CHARS:
        out[f"ensemble + decisive >= {decisive} + veto below {FASTTEXT_VETO_BELOW}, from {k} chars"] = ModerationConfig(
            scorers=default_scorers(decisive=decisive, veto_below=FASTTEXT_VETO_BELOW, solo_min_chars=k))
    return out


def ensemble_reasons(model_path: str, items: list[dict], configs: dict[str, ModerationConfig],
                     examples: bool = False) -> dict[str, list]:
    """Each config's reject reasons with the classifier at `model_path` (every scorer judges every text once; the
    configs differ only in policy fields, so the same outputs serve them all). `examples`: print the default ensemble's
    misses and false positives."""
    from moderation.adapters import fasttext_model

    shipped, fasttext_model.SHIPPED_MODEL = fasttext_model.SHIPPED_MODEL, model_path
    try:
        first = next(iter(configs.values()))
        scorers = load_scorers(first)
        work = prepare(web_batch(items), "web", first)
        outputs = {spec.name: run_scorer(scorers[spec.name], spec, work.texts) for spec in first.scorers}
        out = {name: decide(cfg, work.texts, outputs).reasons for name, cfg in configs.items()}
        if examples:
            default = ModerationConfig()
            decisions = decide(default, work.texts, outputs)
            for i, it in enumerate(items):
                if (it["label"] is None) != (decisions.reasons[i] is None):
                    ft = {c: round(float(v[i]), 3) for name in ("fasttext-zh", "fasttext-en") for c, v in outputs[name].scores.items()
                          if not np.isnan(v[i])}
                    lexicon = {c: round(float(v[i]), 2) for name in ("lexicon-zh", "lexicon-en") for c, v in outputs[name].scores.items()
                               if not np.isnan(v[i]) and v[i] > 0}
                    tripped = json.loads(decisions.details[i])["tripped_by"] if decisions.details[i] else None
                    print(f"  {'FP' if it['label'] is None else 'FN'} {it['lang']} {it['label'] or it['kind']}: "
                          f"{it['text'][:90]!r} lexicon {lexicon} classifier {ft} tripped {tripped}")
        return out
    finally:
        fasttext_model.SHIPPED_MODEL = shipped


def flagged_alone(probs: dict[str, np.ndarray], threshold: float) -> np.ndarray:
    return np.max(np.stack([probs[c] for c in CATEGORIES]), axis=0) >= threshold


class Tally:
    """Hits and totals per cell (lang, category) and false positives per language, summed over folds."""

    def __init__(self):
        self.hits: dict[tuple, int] = {}
        self.totals: dict[tuple, int] = {}

    def add(self, items: list[dict], rejected) -> None:
        for it, r in zip(items, rejected):
            key = (it["lang"], it["label"] or "FP")
            self.totals[key] = self.totals.get(key, 0) + 1
            self.hits[key] = self.hits.get(key, 0) + bool(r)

    def cells(self) -> list[str]:
        out = []
        for lang in LANGS:
            for category in CATEGORIES:
                total = self.totals.get((lang, category), 0)
                out.append(f"{self.hits.get((lang, category), 0) / total:.2f}" if total else "-")
        for lang in LANGS:
            total = self.totals.get((lang, "FP"), 0)
            fp = self.hits.get((lang, "FP"), 0)
            out.append(f"{fp}/{total} ({100 * fp / total:.1f}%)" if total else "-")
        return out


def print_table(title: str, rows: dict[str, Tally]) -> None:
    print(f"\n## {title}")
    header = ["row"] + [f"{lang} {c}" for lang in LANGS for c in CATEGORIES] + [f"FP {lang}" for lang in LANGS]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, tally in rows.items():
        print("| " + " | ".join([name, *tally.cells()]) + " |")


def main(argv: list[str] | None = None) -> int:
    import fasttext

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", default=",".join(WRITERS))
    parser.add_argument("--hard-copies", type=int, default=HARD_COPIES)
    parser.add_argument("--quantize", action="store_true", help="judge the quantized model, as shipped (slower)")
    parser.add_argument("--decisive", type=float, default=FASTTEXT_DECISIVE, help="the decisive score of the veto rows")
    parser.add_argument("--examples", action="store_true", help="print the default ensemble's errors on each fold")
    parser.add_argument("--no-ensemble", action="store_true", help="the classifier alone only")
    for name, value in PARAMS.items():
        parser.add_argument(f"--{name}", type=type(value), default=value)
    args = parser.parse_args(argv)
    folds = [f for f in args.folds.split(",") if f]
    present = [w for w in WRITERS if os.path.exists(os.path.join("bench", WRITER_MODULES[w].split(".")[-1] + ".py"))]
    params = {name: getattr(args, name) for name in PARAMS}
    documents = devtext_items("heldout") or []
    pooled: dict[str, Tally] = {}
    pooled_docs: dict[str, Tally] = {}
    for fold in folds:
        held = writer_set(fold)
        items = training_items(writers=tuple(w for w in present if w != fold))
        with tempfile.TemporaryDirectory(prefix="winnow-lowo-") as folder:
            path = os.path.join(folder, "model.ftz" if args.quantize else "model.bin")
            build(path, items, params, quantize=args.quantize, hard_copies=args.hard_copies)
            model = fasttext.load_model(path)
            probs = probabilities(model, [it["text"] for it in held])
            rows: dict[str, Tally] = {}
            for t in ALONE_THRESHOLDS:
                rows[f"classifier alone >= {t}"] = Tally()
                rows[f"classifier alone >= {t}"].add(held, flagged_alone(probs, t))
            if not args.no_ensemble:
                for name, reasons in ensemble_reasons(path, held, variants(args.decisive), args.examples).items():
                    rows[name] = Tally()
                    rows[name].add(held, [r is not None for r in reasons])
            print_table(f"fold {fold} ({len(held)} texts; trained on {len(items)} items)", rows)
            for name, tally in rows.items():
                total = pooled.setdefault(name, Tally())
                for key, value in tally.totals.items():
                    total.totals[key] = total.totals.get(key, 0) + value
                    total.hits[key] = total.hits.get(key, 0) + tally.hits.get(key, 0)
            if documents:
                doc_probs = probabilities(model, [d["text"] for d in documents])
                for t in ALONE_THRESHOLDS:
                    tally = pooled_docs.setdefault(f"classifier alone >= {t}", Tally())
                    tally.add(documents, flagged_alone(doc_probs, t))
    print_table(f"pooled over folds {','.join(folds)} (hard copies {args.hard_copies}, {params})", pooled)
    if pooled_docs:
        print_table("devtext heldout documents, summed over the folds' models", pooled_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
