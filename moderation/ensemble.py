"""The ensemble policy: scores of several scorers -> keep or reject, per record. Pure functions.

Inputs are the judged texts of a batch (a record has one text, or one per SFT field or ShareGPT
turn) and, per scorer, either its scores (one array per category, NaN where the scorer did not judge
a text: another language, or an empty field) or the error it raised on the batch.

Per text and category, over the scorers that judged that text for that category:
- any: flagged when one scorer's score reaches its threshold (the scorer's own, else the policy's);
- majority: flagged when more than half of them reach their thresholds;
- weighted: flagged when the weight-averaged score reaches the policy's threshold.

A score under its scorer's `abstain_below` (one value or one per category) counts as not judged. A scorer with a
`gate` counts for a category (of `gate_categories`) only on texts where the scorers it names scored that category at
least the gate's value (fastText's English abuse, behind lexicon-en); elsewhere it counts as not judged.

Under `weighted` a scorer may also judge alone (texts of `solo_min_chars` or more): a score at or over its
`decisive` score of a category flags the text whatever the mean, its weight and its gate say; where it judged a
text and each of its category scores is under `veto_below` (it is sure the text is clean), a mean under its
`veto_up_to` flags nothing in its categories (stronger evidence stands; texts of `veto_max_chars` or fewer), while
decisive scores of any scorer still do.

Under `weighted` with `cascade`, `undecided` tells which texts a scorer still has to judge given the
scores so far (the others are kept whatever it says), so dear models skip most texts.

A record is rejected when one of its texts is flagged for a category in `reject_categories`; the
reason names the first such category in that order, and the field is the first field flagged for
it. A record a failing scorer should have judged, and that nothing else rejected, gets
`moderation_error`.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

import numpy as np

from moderation.config import ModerationConfig, ScorerSpec
from moderation.records import JudgedTexts

ERROR_REASON = "moderation_error"
SCORE_DIGITS = 4
CASCADE_MARGIN = 1e-6  # float rounding between the cascade's bound and the policy's mean must not skip a scorer


@dataclass
class ScorerOutput:
    """What one scorer produced for a batch's judged texts: scores, or the error it raised."""

    scores: dict[str, np.ndarray] = field(default_factory=dict)
    evidence: dict[int, dict] = field(default_factory=dict)  # text index -> matched terms (lexicons)
    error: str | None = None
    judged: np.ndarray | None = None  # texts it was asked to judge (bool per text)


@dataclass
class Decisions:
    """Per record: the moderation column (JSON), the reject reason (None: kept) and its detail (JSON)."""

    column: list[str]
    reasons: list[str | None]
    details: list[str | None]

    def __iter__(self):
        return iter((self.column, self.reasons, self.details))

    def counts(self) -> dict[str, int]:
        """Records per outcome: 'kept' and each reject reason."""
        out: dict[str, int] = {}
        for reason in self.reasons:
            key = reason or "kept"
            out[key] = out.get(key, 0) + 1
        return out


def gate_open(spec: ScorerSpec, outputs: dict[str, ScorerOutput], category: str, num_texts: int,
              pending: bool = False) -> np.ndarray:
    """Texts on which a scorer's score of the category counts: where every scorer of its `gate` scored the category at
    least the gate's value. A gating scorer that failed or has no score of the category closes the gate; one that has
    not run yet (`pending`: the cascade's bound) leaves it open."""
    out = np.ones(num_texts, dtype=bool)
    for name, least in spec.gate.items():
        output = outputs.get(name)
        if output is None and pending:
            continue
        if output is None or output.error is not None or category not in output.scores:
            return np.zeros(num_texts, dtype=bool)
        out &= np.nan_to_num(output.scores[category], nan=-1.0) >= least
    return out


def counted(spec: ScorerSpec, output: ScorerOutput, outputs: dict[str, ScorerOutput], category: str,
            num_texts: int) -> np.ndarray:
    """Texts on which a scorer's score of the category counts: scored, not under its abstention point, gate open."""
    scores = output.scores[category]
    present = ~np.isnan(scores)
    least = spec.abstention(category)
    if least is not None:
        present &= np.nan_to_num(scores, nan=-1.0) >= least
    if spec.gated(category):
        present &= gate_open(spec, outputs, category, num_texts)
    return present


def long_enough(spec: ScorerSpec, lengths: np.ndarray | None, num_texts: int) -> np.ndarray:
    """Texts long enough for the scorer to judge alone (decisive, veto): `solo_min_chars` characters or more."""
    if not spec.solo_min_chars or lengths is None:
        return np.ones(num_texts, dtype=bool)
    return lengths >= spec.solo_min_chars


def sure_clean(spec: ScorerSpec, output: ScorerOutput, num_texts: int, lengths: np.ndarray | None = None) -> np.ndarray:
    """Texts a scorer with `veto_below` judged and scored under it in every category it has (of `solo_min_chars` to
    `veto_max_chars` characters)."""
    if spec.veto_below is None or not output.scores:
        return np.zeros(num_texts, dtype=bool)
    stacked = np.stack(list(output.scores.values()))
    sure = ~np.isnan(stacked).any(axis=0) & (np.nan_to_num(stacked, nan=1.0) < spec.veto_below).all(axis=0)
    if spec.veto_max_chars is not None and lengths is not None:
        sure &= lengths <= spec.veto_max_chars
    return sure & long_enough(spec, lengths, num_texts)


def decisive_hits(spec: ScorerSpec, output: ScorerOutput, category: str, num_texts: int,
                  lengths: np.ndarray | None = None) -> np.ndarray:
    """Texts on which the scorer's score of the category reaches its decisive score (none without one)."""
    if category not in spec.decisive or category not in output.scores:
        return np.zeros(num_texts, dtype=bool)
    hits = np.nan_to_num(output.scores[category], nan=-1.0) >= spec.decisive[category]
    return hits & long_enough(spec, lengths, num_texts)


def flags(cfg: ModerationConfig, specs: dict[str, ScorerSpec], outputs: dict[str, ScorerOutput],
          category: str, num_texts: int, lengths: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(texts flagged for the category, per scorer the texts where it alone reached its threshold); `lengths`: the
    texts' lengths in characters (for `solo_min_chars`)."""
    judged, over, weighted_sum, weights = np.zeros(num_texts), np.zeros(num_texts), np.zeros(num_texts), np.zeros(num_texts)
    decisive = np.zeros(num_texts, dtype=bool)
    vetoes: dict[float, np.ndarray] = {}  # veto_up_to -> texts vetoed
    tripped: dict[str, np.ndarray] = {}
    decided_by: dict[str, np.ndarray] = {}
    for name, output in outputs.items():
        if output.error is not None or category not in output.scores:
            continue
        spec = specs[name]
        scores = output.scores[category]
        present = counted(spec, output, outputs, category, num_texts)
        reached = present & (np.nan_to_num(scores, nan=-1.0) >= cfg.threshold(spec, category))
        tripped[name] = reached
        judged += present
        over += reached
        weighted_sum += np.where(present, np.nan_to_num(scores) * spec.weight, 0.0)
        weights += np.where(present, spec.weight, 0.0)
        if category in spec.decisive:
            decided_by[name] = decisive_hits(spec, output, category, num_texts, lengths)
            decisive |= decided_by[name]
        if spec.veto_below is not None:
            vetoes[spec.veto_up_to] = vetoes.get(spec.veto_up_to, False) | sure_clean(spec, output, num_texts, lengths)
    if cfg.policy == "any":
        flagged = over > 0
    elif cfg.policy == "majority":
        flagged = (judged > 0) & (over > judged / 2)
    else:
        mean = np.divide(weighted_sum, weights, out=np.zeros(num_texts), where=weights > 0)
        by_mean = (weights > 0) & (mean >= cfg.thresholds.get(category, 0.5))
        for up_to, vetoed in vetoes.items():
            by_mean &= ~(vetoed & (mean < up_to))
        flagged = by_mean | decisive
        tripped = {name: (t & by_mean) | decided_by.get(name, False) for name, t in tripped.items()}
    return flagged, tripped


def undecided(cfg: ModerationConfig, specs: dict[str, ScorerSpec], outputs: dict[str, ScorerOutput],
              pending: dict[str, tuple[np.ndarray, tuple[str, ...]]], num_texts: int,
              lengths: np.ndarray | None = None) -> np.ndarray:
    """Texts that still need the pending scorers ({name: (texts it covers, its categories)}) under `weighted`.

    A text whose weighted mean could not reach a threshold even if every pending scorer gave it 1
    is kept whatever they say, so they need not judge it. The rest need them: texts still in the
    balance, and texts already over a threshold (a reject's detail carries every scorer's scores).
    Adding a scorer's weight at score 1 only raises a mean below 1, so later scorers in a cascade
    skip a text that earlier ones skipped, and verdicts are exactly those of scoring everything.
    A pending scorer that may reject alone (`decisive`) needs every text it covers; a veto only ever
    keeps a text, so it asks for nothing. Policies other than `weighted` need every scorer everywhere.
    """
    if cfg.policy != "weighted":
        return np.ones(num_texts, dtype=bool)
    needed = np.zeros(num_texts, dtype=bool)
    for category in cfg.reject_categories:
        weighted_sum, weights = np.zeros(num_texts), np.zeros(num_texts)
        for name, output in outputs.items():
            if output.error is not None or category not in output.scores:
                continue
            spec = specs[name]
            scores = output.scores[category]
            present = counted(spec, output, outputs, category, num_texts)
            weighted_sum += np.where(present, np.nan_to_num(scores) * spec.weight, 0.0)
            weights += np.where(present, spec.weight, 0.0)
            needed |= decisive_hits(spec, output, category, num_texts, lengths)  # rejected: the detail has every score
        pending_weight = np.zeros(num_texts)
        for name, (covered, categories) in pending.items():
            if category in categories:
                if category in specs[name].decisive:
                    needed |= covered & long_enough(specs[name], lengths, num_texts)
                if specs[name].gated(category):
                    covered = covered & gate_open(specs[name], outputs, category, num_texts, pending=True)
                pending_weight += np.where(covered, specs[name].weight, 0.0)
        total = weights + pending_weight
        best = np.divide(weighted_sum + pending_weight, total, out=np.zeros(num_texts), where=total > 0)
        needed |= (total > 0) & (best >= cfg.thresholds.get(category, 0.5) - CASCADE_MARGIN)
    return needed


def decide(cfg: ModerationConfig, texts: JudgedTexts, outputs: dict[str, ScorerOutput]) -> Decisions:
    """Keep or reject every record of the batch the judged texts came from."""
    specs = {s.name: s for s in cfg.scorers}
    n_texts, n_records = len(texts), texts.num_records
    rows = np.asarray(texts.rows, dtype=np.int64)
    first_flagged, tripped_by = {}, {}
    lengths = texts.lengths()
    for category in cfg.reject_categories:
        flagged, tripped_by[category] = flags(cfg, specs, outputs, category, n_texts, lengths)
        first = np.full(n_records, n_texts, dtype=np.int64)  # the record's first flagged text, n_texts: none
        hits = np.flatnonzero(flagged)
        np.minimum.at(first, rows[hits], hits)
        first_flagged[category] = first

    counting = _counting_scores(specs, outputs)
    column = _columns(counting, rows, texts.langs, n_records)

    reasons: list[str | None] = [None] * n_records
    details: list[str | None] = [None] * n_records
    for category in reversed(cfg.reject_categories):  # the first category in the list names the reason
        for row in np.flatnonzero(first_flagged[category] < n_texts).tolist():
            first = int(first_flagged[category][row])
            names = sorted(n for n, t in tripped_by[category].items() if t[first])
            detail = {
                "category": category,
                "field": texts.fields[first],
                "lang": str(texts.langs[first]),
                "policy": cfg.policy,
                "tripped_by": names,
                "thresholds": {n: cfg.threshold(specs[n], category) for n in names},
                "scores": _text_scores(counting, first),
            }
            evidence = {n: outputs[n].evidence[first] for n in names if first in outputs[n].evidence}
            if evidence:
                detail["terms"] = evidence
            reasons[row] = f"moderation_{category}"
            details[row] = json.dumps(detail, ensure_ascii=False, sort_keys=True)

    failed = {name: o for name, o in outputs.items() if o.error is not None and o.judged is not None}
    if failed:
        fields_of: list[list[str]] = [[] for _ in range(n_records)]
        for row, name in zip(rows.tolist(), texts.fields):
            fields_of[row].append(name)
        judged_by = {}
        for name, output in failed.items():
            judged_by[name] = np.zeros(n_records, dtype=bool)
            judged_by[name][rows[output.judged]] = True
        for row in range(n_records):
            if reasons[row] is None:
                errors = {n: failed[n].error for n, judged in judged_by.items() if judged[row]}
                if errors:
                    reasons[row] = ERROR_REASON
                    details[row] = json.dumps({"errors": errors, "fields": fields_of[row]}, ensure_ascii=False, sort_keys=True)
    return Decisions(column, reasons, details)


def _counting_scores(specs: dict[str, ScorerSpec], outputs: dict[str, ScorerOutput]) -> dict[str, ScorerOutput]:
    """The outputs with every score under its scorer's abstention point as NaN: what the column and details record."""
    out = {}
    for name, output in outputs.items():
        spec = specs[name]
        if output.error is None and spec.abstain_below is not None:
            scores = {}
            for category, values in output.scores.items():
                least = spec.abstention(category)
                scores[category] = values if least is None else np.where(values >= least, values, np.nan).astype(values.dtype)
            output = dataclasses.replace(output, scores=scores)
        out[name] = output
    return out


def _rounded(value: float) -> float:
    return round(float(value), SCORE_DIGITS)


def _text_scores(outputs: dict[str, ScorerOutput], index: int) -> dict[str, dict[str, float]]:
    out = {}
    for name, output in outputs.items():
        if output.error is None:
            values = {c: _rounded(v[index]) for c, v in output.scores.items() if not np.isnan(v[index])}
            if values:
                out[name] = values
    return out


def _columns(outputs: dict[str, ScorerOutput], rows: np.ndarray, langs: np.ndarray, num_records: int) -> list[str]:
    """Per record, the moderation column: its texts' languages and, per scorer and category, the maximum
    over the record's texts that scorer judged. Records alike (the same languages and maxima, as most
    clean records are) share one JSON string, so JSON is written once per distinct record, not per record."""
    keys, maxima = [], []
    for name, output in sorted(outputs.items()):
        if output.error is not None:
            continue
        for category, scores in sorted(output.scores.items()):
            record_max = np.full(num_records, np.nan, dtype=np.float32)
            np.fmax.at(record_max, rows, np.asarray(scores, dtype=np.float32))
            keys.append((name, category))
            maxima.append(record_max)
    lang_keys, lang_lists = _record_languages(rows, langs, num_records)
    # NaN (not judged) as -1, below every score, so that np.unique can group records
    table = np.column_stack([lang_keys.astype(np.float64), *(np.nan_to_num(m, nan=-1.0).astype(np.float64) for m in maxima)])
    distinct, inverse = _distinct_rows(table)
    strings = []
    for row in distinct:
        scores: dict[str, dict[str, float]] = {}
        for (name, category), value in zip(keys, row[1:].tolist()):
            if value >= 0:
                scores.setdefault(name, {})[category] = round(float(np.float32(value)), SCORE_DIGITS)
        record_langs = lang_lists[int(row[0])] if row[0] >= 0 else []
        strings.append(json.dumps({"lang": record_langs, "scores": scores}, ensure_ascii=False, sort_keys=True))
    return [strings[i] for i in inverse.tolist()]


def _distinct_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct rows of a 2-d array in order of first appearance, each row's index among them), by the
    rows' bytes in a dict: several times faster than np.unique(axis=0), which sorts column by column."""
    table = np.ascontiguousarray(table)
    width = table.shape[1] * table.itemsize
    data = table.tobytes()
    seen: dict[bytes, int] = {}
    firsts: list[int] = []
    inverse: list[int] = []
    for row in range(len(table)):
        key = data[row * width:(row + 1) * width]
        index = seen.get(key)
        if index is None:
            index = seen[key] = len(firsts)
            firsts.append(row)
        inverse.append(index)
    return table[firsts], np.asarray(inverse, dtype=np.int64)


def _record_languages(rows: np.ndarray, langs: np.ndarray, num_records: int) -> tuple[np.ndarray, list[list[str]]]:
    """(per record the index of its sorted list of languages, -1 for a record without texts; the lists)."""
    keys = np.full(num_records, -1, dtype=np.int64)
    names = [str(lang) for lang in langs]
    if len(np.unique(rows)) == len(rows):  # one text per record at most (web records)
        distinct, codes = np.unique(np.asarray(names, dtype=object), return_inverse=True) if names else ([], np.zeros(0, np.int64))
        keys[rows] = np.asarray(codes).reshape(-1)
        return keys, [[str(name)] for name in distinct]
    sets: list[set[str]] = [set() for _ in range(num_records)]
    for row, name in zip(rows.tolist(), names):
        sets[row].add(name)
    index: dict[tuple[str, ...], int] = {}
    for row, found in enumerate(sets):
        if found:
            keys[row] = index.setdefault(tuple(sorted(found)), len(index))
    return keys, [list(key) for key in index]
