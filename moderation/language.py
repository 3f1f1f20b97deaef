"""Cheap language of a text by script, for records the `lang` stage did not label.

Han characters against Latin letters: a text is `zh` when Han make up at least `min_han_share` of
them, `en` when it has Latin letters otherwise, `und` when it has neither. It tells Chinese from
Latin-script text only; that is what the default scorers need (English models never judge Chinese).

Characters are counted over code points in numpy (`codepoints`): RE2's per-match overhead made
counting every Latin letter with a regex the costliest step of a batch of English documents.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

SCRIPT_LANGUAGES = ("zh", "en")
# Unicode's Han script (as RE2's \p{Han}): radicals, ideographic marks, the unified blocks and extensions
HAN_RANGES = (
    (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5), (0x3005, 0x3005), (0x3007, 0x3007), (0x3021, 0x3029),
    (0x3038, 0x303B), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFA6D), (0xFA70, 0xFAD9), (0x20000, 0x323AF),
)


def codepoints(texts: pa.Array | list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(code points of all texts, each text followed by one NUL, as uint32; start of each text in them)."""
    strings = texts.to_pylist() if isinstance(texts, (pa.Array, pa.ChunkedArray)) else texts
    strings = ["" if s is None else s for s in strings]
    flat = np.frombuffer(("\0".join(strings) + "\0").encode("utf-32-le"), dtype=np.uint32)
    starts = np.zeros(len(strings), dtype=np.int64)
    if len(strings) > 1:
        np.cumsum([len(s) + 1 for s in strings[:-1]], out=starts[1:])
    return flat, starts


def is_han(points: np.ndarray) -> np.ndarray:
    out = np.zeros(len(points), dtype=bool)
    for low, high in HAN_RANGES:
        out |= (points >= low) & (points <= high)
    return out


def script_languages(texts: pa.Array, min_han_share: float) -> np.ndarray:
    """'zh', 'en' or 'und' per text (an object array)."""
    if len(texts) == 0:
        return np.full(0, "und", dtype=object)
    points, starts = codepoints(texts)
    han = np.add.reduceat(is_han(points).astype(np.int64), starts)
    folded = points | 0x20  # ASCII upper case -> lower case; nothing else lands on a-z
    latin = np.add.reduceat(((folded >= 0x61) & (folded <= 0x7A) & (points < 0x80)).astype(np.int64), starts)
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
