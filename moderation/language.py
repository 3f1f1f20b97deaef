"""Cheap language of a text by script, for records the `lang` stage did not label.

Han characters against Latin letters: a text is `zh` when Han make up at least `min_han_share` of
them, `en` when it has Latin letters otherwise, `und` when it has neither. It tells Chinese from
Latin-script text only; that is what the default scorers need (English models never judge Chinese).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SCRIPT_LANGUAGES = ("zh", "en")


def script_languages(texts: pa.Array, min_han_share: float) -> np.ndarray:
    """'zh', 'en' or 'und' per text (an object array)."""
    texts = pc.fill_null(texts, "")
    han = pc.count_substring_regex(texts, r"\p{Han}").to_numpy(zero_copy_only=False)
    latin = pc.count_substring_regex(texts, r"[A-Za-z]").to_numpy(zero_copy_only=False)
    letters = han + latin
    share = np.divide(han, letters, out=np.zeros(len(han), dtype=np.float64), where=letters > 0)
    out = np.full(len(han), "und", dtype=object)
    out[latin > 0] = "en"
    out[(han > 0) & (share >= min_han_share)] = "zh"
    return out


def text_languages(texts: pa.Array, record_langs: np.ndarray | None, min_han_share: float) -> np.ndarray:
    """Language of each judged text: the record's `lang`, except that between zh and en (and for
    records without one) the text's own script decides, so a translation pair's English answer is
    judged as English and its Chinese instruction as Chinese."""
    by_script = script_languages(texts, min_han_share)
    if record_langs is None:
        return by_script
    out = np.asarray(record_langs, dtype=object).copy()
    missing = np.array([lang is None or lang == "" for lang in out], dtype=bool)
    scripted = missing | np.isin(out, SCRIPT_LANGUAGES)
    decided = scripted & (by_script != "und")
    out[decided] = by_script[decided]
    out[missing & ~decided] = "und"
    return out
