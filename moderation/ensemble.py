"""The ensemble policy: scores of several scorers -> keep or reject, per record. Pure functions.

Inputs are the judged texts of a batch (a record has one text, or one per SFT field or ShareGPT
turn) and, per scorer, either its scores (one array per category, NaN where the scorer did not judge
a text: another language, or an empty field) or the error it raised on the batch.

Per text and category, over the scorers that judged that text for that category:
- any: flagged when one scorer's score reaches its threshold (the scorer's own, else the policy's);
- majority: flagged when more than half of them reach their thresholds;
- weighted: flagged when the weight-averaged score reaches the policy's threshold.

A record is rejected when one of its texts is flagged for a category in `reject_categories`; the
reason names the first such category in that order, and the field is the first field flagged for
it. A record a failing scorer should have judged, and that nothing else rejected, gets
`moderation_error`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from moderation.config import ModerationConfig, ScorerSpec
from moderation.records import JudgedTexts

ERROR_REASON = "moderation_error"
SCORE_DIGITS = 4


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


def flags(cfg: ModerationConfig, specs: dict[str, ScorerSpec], outputs: dict[str, ScorerOutput],
          category: str, num_texts: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(texts flagged for the category, per scorer the texts where it alone reached its threshold)."""
    judged, over, weighted_sum, weights = np.zeros(num_texts), np.zeros(num_texts), np.zeros(num_texts), np.zeros(num_texts)
    tripped: dict[str, np.ndarray] = {}
    for name, output in outputs.items():
        if output.error is not None or category not in output.scores:
            continue
        scores = output.scores[category]
        present = ~np.isnan(scores)
        reached = present & (np.nan_to_num(scores, nan=-1.0) >= cfg.threshold(specs[name], category))
        tripped[name] = reached
        judged += present
        over += reached
        weighted_sum += np.where(present, np.nan_to_num(scores) * specs[name].weight, 0.0)
        weights += np.where(present, specs[name].weight, 0.0)
    if cfg.policy == "any":
        flagged = over > 0
    elif cfg.policy == "majority":
        flagged = (judged > 0) & (over > judged / 2)
    else:
        mean = np.divide(weighted_sum, weights, out=np.zeros(num_texts), where=weights > 0)
        flagged = (weights > 0) & (mean >= cfg.thresholds.get(category, 0.5))
        tripped = {name: t & flagged for name, t in tripped.items()}
    return flagged, tripped


def _rounded(value: float) -> float:
    return round(float(value), SCORE_DIGITS)


def decide(cfg: ModerationConfig, texts: JudgedTexts, outputs: dict[str, ScorerOutput]) -> Decisions:
    """Keep or reject every record of the batch the judged texts came from."""
    specs = {s.name: s for s in cfg.scorers}
    n_texts, n_records = len(texts), texts.num_records
    record_flags = {}
    tripped_by = {}
    for category in cfg.reject_categories:
        record_flags[category], tripped_by[category] = flags(cfg, specs, outputs, category, n_texts)

    reasons: list[str | None] = [None] * n_records
    details: list[str | None] = [None] * n_records
    texts_of: list[list[int]] = [[] for _ in range(n_records)]
    for index, row in enumerate(texts.rows):
        texts_of[row].append(index)

    failed = {name: o for name, o in outputs.items() if o.error is not None}
    column = []
    for row in range(n_records):
        indices = texts_of[row]
        record_scores = _record_scores(outputs, indices)
        langs = sorted({str(texts.langs[i]) for i in indices})
        column.append(json.dumps({"lang": langs, "scores": record_scores}, ensure_ascii=False, sort_keys=True))
        for category in cfg.reject_categories:
            hit = [i for i in indices if record_flags[category][i]]
            if hit:
                first = hit[0]
                names = sorted(n for n, t in tripped_by[category].items() if t[first])
                detail = {
                    "category": category,
                    "field": texts.fields[first],
                    "lang": str(texts.langs[first]),
                    "policy": cfg.policy,
                    "tripped_by": names,
                    "thresholds": {n: cfg.threshold(specs[n], category) for n in names},
                    "scores": _text_scores(outputs, first),
                }
                evidence = {n: outputs[n].evidence[first] for n in names if first in outputs[n].evidence}
                if evidence:
                    detail["terms"] = evidence
                reasons[row] = f"moderation_{category}"
                details[row] = json.dumps(detail, ensure_ascii=False, sort_keys=True)
                break
        if reasons[row] is None:
            errors = {n: o.error for n, o in failed.items() if o.judged is not None and o.judged[indices].any()}
            if errors:
                reasons[row] = ERROR_REASON
                details[row] = json.dumps({"errors": errors, "fields": [texts.fields[i] for i in indices]},
                                          ensure_ascii=False, sort_keys=True)
    return Decisions(column, reasons, details)


def _text_scores(outputs: dict[str, ScorerOutput], index: int) -> dict[str, dict[str, float]]:
    out = {}
    for name, output in outputs.items():
        if output.error is None:
            values = {c: _rounded(v[index]) for c, v in output.scores.items() if not np.isnan(v[index])}
            if values:
                out[name] = values
    return out


def _record_scores(outputs: dict[str, ScorerOutput], indices: list[int]) -> dict[str, dict[str, float]]:
    """Per scorer and category, the maximum over the record's texts it judged."""
    out = {}
    if not indices:
        return out
    for name, output in outputs.items():
        if output.error is not None:
            continue
        values = {}
        for category, scores in output.scores.items():
            mine = scores[indices]
            if not np.isnan(mine).all():
                values[category] = _rounded(np.nanmax(mine))
        if values:
            out[name] = values
    return out
