"""Quality and speed of near-duplicate detection on the dev set (`bench.near_devset`).

    .venv/bin/python -m bench.near_quality                 # dev and heldout, both languages
    .venv/bin/python -m bench.near_quality --split dev --no-speed

Runs the stage's algorithms in memory, as the Beam stage composes them: matching form → MinHash
signatures and 64-bit simhash → LSH band keys → candidate pairs (hot groups capped) → simhash
distance filter → verification (greedy string tiling; LCS ratio for short texts) → connected
components → one survivor per component (smallest id). Reports:

- precision, recall and F1 of removals, overall and per language and kind (a removal is right when
  the survivor it is a duplicate of is in its gold cluster), and the hard negatives removed per kind;
- LSH pair recall (gold base-copy pairs that became candidates) and candidate pairs per document
  as the corpus grows;
- a precision/recall table over the distance and similarity thresholds;
- throughput of each kernel (short runs: the build machine has 2 shared cores).
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bench.near_devset import COPY_KINDS, NEGATIVE_KINDS, base_documents, build, char_edits, swap_paragraphs
from filters.candidates import band_keys, candidate_pairs, minhash_signatures
from filters.clusters import choose_survivors, connected_components
from filters.near_text import matching_form
from filters.simhash import fingerprints, hamming_distance
from filters.tiling import verify_pairs
from pipelines.config import NearConfig


@dataclass
class Detection:
    """Every LSH candidate pair with its simhash distance and text similarity (scored without any cut)."""

    left: np.ndarray
    right: np.ndarray
    distance: np.ndarray
    similarity: np.ndarray
    short: np.ndarray  # scored by the LCS ratio
    skipped: int
    seconds: dict[str, float] = field(default_factory=dict)


def detect(texts: list[str], cfg: NearConfig) -> Detection:
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = now - clock
        clock = now

    matching = matching_form(pa.array(texts, pa.string()))
    lap("matching_form")
    simhash = fingerprints(matching, ngram=cfg.simhash_ngram, width=64, weighting=cfg.weighting)
    lap("simhash")
    signatures, features = minhash_signatures(matching, num_perm=cfg.num_perm, ngram=cfg.ngram)
    lap("minhash")
    rows, bands, keys = band_keys(signatures, cfg.bands, cfg.rows, mask=features > 0)
    left, right, skipped = candidate_pairs(rows, bands, keys, sort_keys=simhash[:, 0], max_group=cfg.max_group,
                                           window=cfg.window)
    lap("candidates")
    distance = hamming_distance(simhash[left], simhash[right])
    similarity = verify_pairs(matching.take(pa.array(left)), matching.take(pa.array(right)), min_tile=cfg.min_tile,
                              short_text_chars=cfg.short_text_chars)
    lap("verify")
    lengths = np.asarray(pc.utf8_length(matching))
    short = np.minimum(lengths[left], lengths[right]) < cfg.short_text_chars
    return Detection(left, right, distance, similarity, short, skipped, seconds)


def survivors_of(n: int, ids: list[str], det: Detection, max_distance: int, min_similarity: float,
                 min_short_similarity: float) -> np.ndarray:
    threshold = np.where(det.short, min_short_similarity, min_similarity)
    duplicate = (det.distance <= max_distance) & (det.similarity >= threshold)
    labels = connected_components(n, det.left[duplicate], det.right[duplicate])
    return choose_survivors(labels, ids)


@dataclass
class Score:
    removed: int = 0
    correct: int = 0
    expected: int = 0  # removals the gold asks for

    @property
    def precision(self) -> float:
        return self.correct / self.removed if self.removed else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(records: list[dict], survivors: np.ndarray) -> dict[tuple[str, str], Score]:
    """Scores keyed by (lang, kind), plus (lang, "all") and ("all", "all")."""
    scores: dict[tuple[str, str], Score] = {}
    for i, record in enumerate(records):
        removed = survivors[i] != i
        correct = removed and records[survivors[i]]["cluster"] == record["cluster"]
        expected = record["kind"] in COPY_KINDS
        for key in ((record["lang"], record["kind"]), (record["lang"], "all"), ("all", "all"), ("all", record["kind"])):
            s = scores.setdefault(key, Score())
            s.removed += removed
            s.correct += correct
            s.expected += expected
    return scores


def lsh_pair_recall(records: list[dict], det: Detection) -> tuple[int, int]:
    """(gold base-copy pairs that are candidates, gold base-copy pairs)."""
    index = {r["id"]: i for i, r in enumerate(records)}
    gold = {(index[r["cluster"]], i) for i, r in enumerate(records) if r["kind"] in COPY_KINDS}
    found = set(zip(det.left.tolist(), det.right.tolist()))
    return sum((min(p), max(p)) in found for p in gold), len(gold)


def margins(records: list[dict], det: Detection) -> list[str]:
    """Per kind: the least similar copy (to its base) and the most similar hard negative (to anything)."""
    index = {r["id"]: i for i, r in enumerate(records)}
    pair = {(a, b): (d, s, short) for a, b, d, s, short in
            zip(det.left.tolist(), det.right.tolist(), det.distance.tolist(), det.similarity.tolist(), det.short.tolist())}
    out = ["Margins: copies by their similarity to their base (missing: never a candidate), hard negatives by their",
           "highest similarity to any other record (short: LCS ratio, else tiling):", "",
           "| kind | pairs | similarity min / p5 | distance p95 / max | short pairs |", "|---|---:|---:|---:|---:|"]
    for kind in COPY_KINDS:
        found = [pair.get((index[r["cluster"]], i)) for i, r in enumerate(records) if r["kind"] == kind]
        scored = [f for f in found if f is not None]
        sims = np.array([f[1] for f in scored])
        dists = np.array([f[0] for f in scored])
        out.append(f"| {kind} | {len(scored)} of {len(found)} | {sims.min():.3f} / {np.quantile(sims, 0.05):.3f} | "
                   f"{np.quantile(dists, 0.95):.0f} / {dists.max()} | {sum(f[2] for f in scored)} |")
    out += ["", "| hard negative kind | records | in candidate pairs | highest similarity | short pairs |",
            "|---|---:|---:|---:|---:|"]
    kind_of = np.array([r["kind"] for r in records])
    for kind in NEGATIVE_KINDS:
        involved = (kind_of[det.left] == kind) | (kind_of[det.right] == kind)
        count = int(np.sum(kind_of == kind))
        top = det.similarity[involved].max() if involved.any() else float("nan")
        out.append(f"| {kind} | {count} | {int(involved.sum())} | {top:.3f} | {int(det.short[involved].sum())} |")
    return out


def load_set(split: str, langs: tuple[str, ...]) -> list[dict]:
    records = []
    for lang in langs:
        records.extend(build(lang, split))
    return records


def report_split(split: str, langs: tuple[str, ...], cfg: NearConfig, min_short_similarity: float,
                 sweep: bool) -> list[str]:
    records = load_set(split, langs)
    real = all(base_documents(lang, split)[1] for lang in langs)
    ids = [r["id"] for r in records]
    det = detect([r["text"] for r in records], cfg)
    out = [f"## {split} ({'devtext' if real else 'GENERATED stand-in text'}): {len(records)} records, "
           f"{len(det.left)} candidate pairs, {det.skipped} skipped in hot groups"]
    hit, total = lsh_pair_recall(records, det)
    out.append(f"LSH pair recall (base-copy pairs that became candidates): {hit}/{total} = {hit / max(total, 1):.4f}")
    survivors = survivors_of(len(records), ids, det, cfg.max_distance, cfg.min_similarity, min_short_similarity)
    scores = score(records, survivors)
    out.append("")
    out.append(f"Removals at max_distance={cfg.max_distance}, min_similarity={cfg.min_similarity}, "
               f"short texts {min_short_similarity} (LCS ratio below {cfg.short_text_chars} chars):")
    out.append("")
    out.append("| lang | kind | records | removed | right | precision | recall | F1 |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for lang in langs + ("all",):
        for kind in ("all", "base") + COPY_KINDS + NEGATIVE_KINDS:
            s = scores.get((lang, kind))
            if s is None:
                continue
            count = sum(1 for r in records if (lang == "all" or r["lang"] == lang) and (kind == "all" or r["kind"] == kind))
            if kind in COPY_KINDS or kind == "all":
                out.append(f"| {lang} | {kind} | {count} | {s.removed} | {s.correct} | {s.precision:.4f} | "
                           f"{s.recall:.4f} | {s.f1:.4f} |")
            else:
                out.append(f"| {lang} | {kind} (must keep) | {count} | {s.removed} | – | – | – | – |")
    out.append("")
    out += margins(records, det)
    if sweep:
        out.append("")
        out.append("Precision / recall / F1 over the thresholds (documents; short texts fixed at "
                   f"{min_short_similarity}):")
        out.append("")
        sims = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
        out.append("| max_distance | " + " | ".join(f"sim ≥ {s}" for s in sims) + " |")
        out.append("|---:|" + "---|" * len(sims))
        for distance in (8, 12, 16, 18, 20, 24, 28, 64):
            cells = []
            for sim in sims:
                s = score(records, survivors_of(len(records), ids, det, distance, sim, min_short_similarity))[("all", "all")]
                cells.append(f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}")
            out.append(f"| {distance} | " + " | ".join(cells) + " |")
        out.append("")
        out.append("Short texts (LCS ratio) over their threshold: removals of short records / wrong ones:")
        line = []
        for sim in (0.7, 0.8, 0.85, 0.9, 0.95):
            surv = survivors_of(len(records), ids, det, cfg.max_distance, cfg.min_similarity, sim)
            sc = score(records, surv)
            line.append(f"{sim}: P {sc[('all', 'all')].precision:.4f} R {sc[('all', 'all')].recall:.4f} "
                        f"poem_lines removed {sc.get(('all', 'poem_lines'), Score()).removed}")
        out.append("; ".join(line))
    out.append("")
    out.append("Time (s): " + ", ".join(f"{k} {v:.2f}" for k, v in det.seconds.items()))
    return out


def growth(cfg: NearConfig, langs: tuple[str, ...]) -> list[str]:
    """Candidate pairs per document as the corpus grows: devtext's documents of both splits, as they are
    (with the near-copies real documentation holds) and with those removed (`distinct_documents`)."""
    from bench.near_devset import distinct_documents

    raw = [d["text"] for lang in langs for split in ("dev", "heldout") for d in base_documents(lang, split)[0]]
    distinct = [raw[i] for i in distinct_documents(raw)]
    out = ["| corpus | documents | candidate pairs | per document | after the distance filter |", "|---|---:|---:|---:|---:|"]
    for name, texts in (("devtext as is", raw), ("devtext, near-copies removed", distinct)):
        order = np.random.default_rng(0).permutation(len(texts))
        for share in (0.25, 0.5, 1.0):
            chosen = [texts[i] for i in order[: int(share * len(texts))]]
            det = detect(chosen, cfg)
            kept = int(np.sum(det.distance <= cfg.max_distance))
            out.append(f"| {name} | {len(chosen)} | {len(det.left)} | {len(det.left) / len(chosen):.4f} | {kept} |")
    return out


def throughput(cfg: NearConfig) -> list[str]:
    """docs/s of each fingerprint kernel, pairs/s of verification, on devtext documents (short runs)."""
    docs = [d["text"] for lang in ("zh", "en") for d in base_documents(lang, "dev")[0]][:2000]
    texts = pa.array(docs, pa.string())
    chars = sum(map(len, docs)) / len(docs)
    out = [f"On {len(docs)} devtext documents ({chars:.0f} characters on average), one core:", "",
           "| kernel | rate |", "|---|---:|"]

    def timed(fn, repeat=3):
        fn()
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
        return best

    matching = matching_form(texts)
    t = timed(lambda: matching_form(texts), 1)
    out.append(f"| matching form (NFKD, t2s, lower, strip) | {len(docs) / t:,.0f} docs/s |")
    for width in (64, 256):
        t = timed(lambda: fingerprints(matching, ngram=cfg.simhash_ngram, width=width))
        out.append(f"| simhash {width}-bit, char-{cfg.simhash_ngram}-grams | {len(docs) / t:,.0f} docs/s |")
    t = timed(lambda: fingerprints(matching[:200], ngram=cfg.simhash_ngram, mode="compat"), 1)
    out.append(f"| simhash compat (MD5, = simhash package) | {200 / t:,.0f} docs/s |")
    t = timed(lambda: minhash_signatures(matching, num_perm=cfg.num_perm, ngram=cfg.ngram))
    out.append(f"| MinHash {cfg.num_perm} perms, char-{cfg.ngram}-grams | {len(docs) / t:,.0f} docs/s |")
    signatures, features = minhash_signatures(matching, num_perm=cfg.num_perm, ngram=cfg.ngram)
    t = timed(lambda: band_keys(signatures, cfg.bands, cfg.rows, mask=features > 0))
    out.append(f"| band keys ({cfg.bands} bands x {cfg.rows}) | {len(docs) / t:,.0f} docs/s |")
    # verification on near-duplicate pairs: each document against an edited copy of itself
    rng = random.Random(0)
    copies = []
    for d, lang in zip(docs[:400], ["zh"] * 400):
        swapped = swap_paragraphs(d, rng) or d
        copies.append(char_edits(swapped, 0.03, rng, lang))
    a = matching_form(pa.array(docs[:400]))
    b = matching_form(pa.array(copies))
    t = timed(lambda: verify_pairs(a, b, min_tile=cfg.min_tile, short_text_chars=cfg.short_text_chars), 1)
    out.append(f"| verification, tiling (3% edits + swap, {chars:.0f}-char docs) | {400 / t:,.0f} pairs/s |")
    long_a = matching_form(pa.array(["\n\n".join(docs[i:i + 6]) for i in range(0, 240, 6)]))
    long_b = matching_form(pa.array([char_edits("\n\n".join(docs[i:i + 6]), 0.03, rng, "en") for i in range(0, 240, 6)]))
    n_chars = np.asarray(pc.utf8_length(long_a)).mean()
    t = timed(lambda: verify_pairs(long_a, long_b, min_tile=cfg.min_tile), 1)
    out.append(f"| verification, tiling ({n_chars:,.0f}-char docs, 3% edits) | {len(long_a) / t:,.0f} pairs/s |")
    unrelated = matching_form(pa.array(docs[400:800]))
    t = timed(lambda: verify_pairs(a, unrelated, min_tile=cfg.min_tile), 1)
    out.append(f"| verification, tiling (unrelated pairs) | {400 / t:,.0f} pairs/s |")
    short_a = matching_form(pa.array([d[:150] for d in docs[:400]]))
    short_b = matching_form(pa.array([char_edits(d[:150], 0.03, rng, "en") for d in docs[:400]]))
    t = timed(lambda: verify_pairs(short_a, short_b, short_text_chars=cfg.short_text_chars), 1)
    out.append(f"| verification, LCS ratio (150-char texts) | {400 / t:,.0f} pairs/s |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "heldout", "both"), default="both")
    parser.add_argument("--langs", default="zh,en")
    parser.add_argument("--no-sweep", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--growth", action="store_true")
    parser.add_argument("--min-short-similarity", type=float, default=None)
    parser.add_argument("--set", action="append", default=[], help="NearConfig field=value, e.g. --set bands=20")
    args = parser.parse_args(argv)
    overrides = dict(item.split("=", 1) for item in args.set)
    cfg = NearConfig.model_validate(overrides)
    min_short = args.min_short_similarity if args.min_short_similarity is not None else cfg.min_short_similarity
    langs = tuple(args.langs.split(","))
    lines = [f"NearConfig: {cfg.model_dump()}", ""]
    for split in (("dev", "heldout") if args.split == "both" else (args.split,)):
        lines += report_split(split, langs, cfg, min_short, sweep=not args.no_sweep and split == "dev")
        lines.append("")
    if args.growth:
        lines += growth(cfg, langs) + [""]
    if not args.no_speed:
        lines += throughput(cfg)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
