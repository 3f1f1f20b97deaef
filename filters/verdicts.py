"""First-failing-rule bookkeeping for a batch of texts.

Rules are evaluated as vectorised masks in a fixed order; a record is rejected by the first rule it
fails, and its detail records the measured value next to the threshold it broke.
"""

from __future__ import annotations

import json

import numpy as np


class Verdicts:
    def __init__(self, n: int):
        self.reasons: list[str | None] = [None] * n
        self.details: list[str | None] = [None] * n
        self._open = np.ones(n, dtype=bool)

    def __len__(self) -> int:
        return len(self.reasons)

    def fail(self, mask, reason: str, value=None, threshold=None, **facts) -> None:
        """Reject rows where mask holds and no earlier rule rejected them.

        value: per-row measurements (array) or None; threshold: the bound the rule compares with;
        facts: further fixed entries for the detail (e.g. which kind of mojibake).
        """
        hit = np.asarray(mask, dtype=bool) & self._open
        for row in np.flatnonzero(hit):
            detail = dict(facts)
            if value is not None:
                v = value[row]
                detail["value"] = round(float(v), 4) if isinstance(v, (float, np.floating)) else (int(v) if isinstance(v, (int, np.integer)) else v)
            if threshold is not None:
                detail["threshold"] = threshold
            self.reasons[row] = reason
            self.details[row] = json.dumps(detail, ensure_ascii=False, sort_keys=True)
        self._open &= ~hit

    @property
    def kept(self) -> np.ndarray:
        return self._open.copy()


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Element-wise numerator/denominator, 0 where the denominator is 0."""
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)
