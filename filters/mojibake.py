"""Mojibake: UTF-8 text that was decoded with the wrong codec somewhere upstream.

UTF-8 read as Latin-1/CP1252 leaves pairs like "Ã©" or "â€™"; ftfy judges those. UTF-8 read as GBK
turns 你好世界 into 浣犲ソ涓栫晫: mostly Han characters outside the common GB2312/Big5 sets (over half
of them, where ordinary Simplified, Traditional or even classical text has a few percent), often
with the residue 锟斤拷 of replaced bytes. The rare-Han share comes from the text statistics; only
texts with Latin-1 pairs reach ftfy, so the Python check runs on few records.
"""

from __future__ import annotations

import ftfy.badness
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

GBK_REPLACEMENT_RESIDUE = "锟斤拷"


def is_latin1_mojibake(text: str) -> bool:
    return bool(text) and ftfy.badness.is_bad(text)


def rare_han_share(han: np.ndarray, common_han: np.ndarray) -> np.ndarray:
    han = np.asarray(han, dtype=np.float64)
    return np.divide(han - common_han, han, out=np.zeros_like(han), where=han > 0)


def gbk_mojibake_mask(texts: pa.Array, han, common_han, max_rare_share: float, min_han: int) -> np.ndarray:
    mask = (np.asarray(han) >= min_han) & (rare_han_share(han, common_han) > max_rare_share)
    residue = pc.match_substring(pc.fill_null(texts, ""), GBK_REPLACEMENT_RESIDUE).to_numpy(zero_copy_only=False)
    return mask | residue


def latin1_mojibake_mask(texts: pa.Array, latin1_pairs) -> np.ndarray:
    """ftfy's verdict for the texts that have Latin-1 lead/continuation pairs at all."""
    mask = np.zeros(len(texts), dtype=bool)
    candidates = np.flatnonzero(np.asarray(latin1_pairs) > 0)
    if len(candidates):
        for row, text in zip(candidates, texts.take(pa.array(candidates)).to_pylist()):
            mask[row] = is_latin1_mojibake(text or "")
    return mask
