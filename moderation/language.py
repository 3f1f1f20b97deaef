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


HAN, LATIN = 1, 2


def _script_table() -> np.ndarray:
    """The script class of every code point (HAN, LATIN for ASCII letters, else 0): one lookup per character."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for low, high in HAN_RANGES:
        table[low:high + 1] = HAN
    for first, last in (("a", "z"), ("A", "Z")):
        table[ord(first):ord(last) + 1] = LATIN
    return table


SCRIPT_TABLE = _script_table()


def is_han(points: np.ndarray) -> np.ndarray:
    return SCRIPT_TABLE[points] == HAN


def script_languages(texts: pa.Array | list[str], min_han_share: float) -> np.ndarray:
    """'zh', 'en' or 'und' per text (an object array)."""
    if len(texts) == 0:
        return np.full(0, "und", dtype=object)
    points, starts = codepoints(texts)
    classes = SCRIPT_TABLE[points]
    # summed as uint8 into int32: numpy's reduceat over bools is many times slower
    han = np.add.reduceat((classes == HAN).view(np.uint8), starts, dtype=np.int32).astype(np.int64)
    latin = np.add.reduceat((classes == LATIN).view(np.uint8), starts, dtype=np.int32).astype(np.int64)
    letters = han + latin
    share = np.divide(han, letters, out=np.zeros(len(han), dtype=np.float64), where=letters > 0)
    out = np.full(len(han), "und", dtype=object)
    out[latin > 0] = "en"
    out[(han > 0) & (share >= min_han_share)] = "zh"
    return out


def text_languages(texts: pa.Array | list[str], record_langs: np.ndarray | None, min_han_share: float) -> np.ndarray:
    """Language of each judged text: the record's `lang`, except that between zh and en (and for
    records without one) the text's own script decides, so a translation pair's English answer is
    judged as English and its Chinese instruction as Chinese."""
    by_script = script_languages(texts, min_han_share)
    if record_langs is None:
        return by_script
    out = np.asarray(record_langs, dtype=object).copy()
    missing = np.equal(out, None) | (out == "")
    scripted = missing
    for lang in SCRIPT_LANGUAGES:
        scripted = scripted | (out == lang)
    decided = scripted & (by_script != "und")
    out[decided] = by_script[decided]
    out[missing & ~decided] = "und"
    return out
