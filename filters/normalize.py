"""Text normalisation on whole Arrow string arrays: the `normalize` stage and the key that exact
dedup hashes.

The stage keeps text readable (NFC by default; NFKC would also turn Chinese full-width punctuation
into ASCII). It uses Python's unicodedata, because Arrow 25's utf8_normalize does not recompose:
its "NFC" returns decomposed text (é becomes e + U+0301, Hangul syllables become jamo).

The dedup key is aggressive on purpose: Traditional folded to Simplified Chinese, compatibility-
folded, case-folded, whitespace runs collapsed, so copies that differ only in script, width, case or
spacing hash alike. NFKD identifies exactly the texts NFKC does, so the key uses Arrow's NFKD, applied
through per-code-point tables (filters.code_point_maps: same bytes, a third of the time); OpenCC only
sees texts that hold a Han character, and whitespace runs collapse as str.split() splits them.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from filters.buffers import string_buffers
from filters.code_point_maps import collapse_whitespace, holds_any, nfkd, tables
from filters.opencc_skip import trigger_table
from pipelines.config import ExactConfig, NormalizeConfig


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_triggers():
    return trigger_table(tables().han, _t2s())


_LAST_SIMPLIFIED = threading.local()


def to_simplified(values: pa.Array) -> pa.Array:
    """OpenCC t2s of every text of a null-free string array; only texts holding a character that can
    make OpenCC change them go through it (filters.opencc_skip). The last result is remembered per
    thread, because exact dedup's key and near dedup's matching form convert the same web texts of a
    batch one after the other."""
    last = getattr(_LAST_SIMPLIFIED, "pair", None)
    if last is not None and last[0].equals(values):
        return last[1]
    converted = values
    convert = holds_any(values, _t2s_triggers())
    if convert.any():
        mask = pa.array(convert)
        converter = _t2s()
        texts = [converter.convert(v) for v in pc.filter(values, mask).to_pylist()]
        converted = pc.replace_with_mask(values, mask, pa.array(texts, pa.string()))
    _LAST_SIMPLIFIED.pair = (values, converted)
    return converted


def unicode_normalize(values: pa.Array, form: str) -> pa.Array:
    texts = values.to_pylist()
    if all(t is None or unicodedata.is_normalized(form, t) for t in texts):
        return values
    return pa.array([None if t is None else unicodedata.normalize(form, t) for t in texts], pa.string())


def normalize_text(values: pa.Array, cfg: NormalizeConfig) -> pa.Array:
    if cfg.unicode_form != "none":
        values = unicode_normalize(values, cfg.unicode_form)
    if cfg.newlines:
        values = pc.replace_substring(pc.replace_substring(values, "\r\n", "\n"), "\r", "\n")
    if cfg.strip:
        values = pc.utf8_trim_whitespace(values)
    if cfg.traditional_to_simplified:
        converter = _t2s()
        values = pa.array([None if v is None else converter.convert(v) for v in values.to_pylist()], pa.string())
    return values


_FOLD_FORMS = {"compatibility": "NFKD", "canonical": "NFD"}


def dedup_hashes(values: pa.Array, cfg: ExactConfig) -> tuple[np.ndarray, np.ndarray]:
    """xxh3-128 of every text's dedup key, as (high, low) uint64 halves."""
    values = pc.fill_null(values, "")
    if cfg.traditional_to_simplified:
        values = to_simplified(values)
    if cfg.unicode_fold == "compatibility":
        values = nfkd(values)[0]  # Arrow's NFKD, through per-code-point tables
    elif cfg.unicode_fold != "none":
        values = pc.utf8_normalize(values, form=_FOLD_FORMS[cfg.unicode_fold])
    if cfg.case_fold:
        values = pc.utf8_lower(values)
    if cfg.collapse_whitespace:
        values = collapse_whitespace(values)  # as " ".join(text.split()): every Unicode space
    return hash128(values)


def _halves(digests: list[int]) -> tuple[np.ndarray, np.ndarray]:
    high = np.fromiter((d >> 64 for d in digests), dtype=np.uint64, count=len(digests))
    low = np.fromiter((d & 0xFFFFFFFFFFFFFFFF for d in digests), dtype=np.uint64, count=len(digests))
    return high, low


def hash128(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """xxh3-128 of every string's UTF-8 bytes (null as empty), as (high, low) uint64 halves."""
    offsets, data, _ = string_buffers(values)
    view = memoryview(data)
    return _halves([xxhash.xxh3_128_intdigest(view[a:b]) for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())])
