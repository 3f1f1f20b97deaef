"""The texts a record is judged on: web `text`; SFT `instruction`, `input`, `output`; every ShareGPT turn.

Each text keeps the row of its record and the name of its field (`conversations[2]` for the third
turn), so a reject says which field tripped. Empty texts are not judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from moderation.language import text_languages
from pipelines.config import RecordFormat

SFT_FIELDS = ("instruction", "input", "output")


@dataclass
class JudgedTexts:
    texts: list[str]
    rows: np.ndarray  # record row of each text
    fields: list[str]
    langs: np.ndarray  # language of each text (object array)
    num_records: int
    _coverage: dict = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.texts)

    def lengths(self) -> np.ndarray:
        """Each text's length in characters (computed once per set)."""
        if "lengths" not in self._coverage:
            self._coverage["lengths"] = np.fromiter(map(len, self.texts), dtype=np.int64, count=len(self.texts))
        return self._coverage["lengths"]

    def in_languages(self, languages: tuple[str, ...] | list[str]) -> np.ndarray:
        """Texts whose language is one of `languages` ("*": any), as a bool per text (computed once per set)."""
        key = tuple(languages)
        if key not in self._coverage:
            if "*" in key:
                self._coverage[key] = np.ones(len(self.texts), dtype=bool)
            else:
                inside = np.zeros(len(self.texts), dtype=bool)
                for lang in key:
                    inside |= self.langs == lang
                self._coverage[key] = inside
        return self._coverage[key].copy()


def _pieces(batch: pa.RecordBatch, fmt: RecordFormat) -> tuple[pa.Array, np.ndarray, list[str]]:
    fmt = RecordFormat(fmt)
    columns = dict(zip(batch.schema.names, batch.columns))
    if fmt is RecordFormat.web:
        return columns["text"], np.arange(batch.num_rows), ["text"] * batch.num_rows
    if fmt is RecordFormat.alpaca:
        arrays = [pc.fill_null(columns[f], "") for f in SFT_FIELDS]
        texts = pa.concat_arrays(arrays)
        rows = np.concatenate([np.arange(batch.num_rows)] * len(SFT_FIELDS))
        fields = [f for f in SFT_FIELDS for _ in range(batch.num_rows)]
        return texts, rows, fields
    turns = columns["conversations"]
    flat = pc.list_flatten(turns)
    rows = pc.list_parent_indices(turns).to_numpy(zero_copy_only=False)
    offsets = turns.offsets.to_numpy(zero_copy_only=False)
    positions = np.arange(len(rows)) - (offsets[rows] - offsets[0]) if len(rows) else np.zeros(0, dtype=np.int64)
    return flat.field("value"), rows, [f"conversations[{p}]" for p in positions]


def judged_texts(batch: pa.RecordBatch, fmt: RecordFormat | str, use_lang_column: bool, min_han_share: float) -> JudgedTexts:
    texts, rows, fields = _pieces(batch, fmt)
    texts = pc.fill_null(texts, "")
    keep = np.flatnonzero(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(texts)), 0).to_numpy(zero_copy_only=False))
    texts = texts.take(pa.array(keep, pa.int64()))
    rows = np.asarray(rows)[keep]
    fields = [fields[i] for i in keep]
    record_langs = None
    if use_lang_column and "lang" in batch.schema.names:
        record_langs = np.asarray(batch.column("lang").to_pylist(), dtype=object)[rows]
    strings = texts.to_pylist()
    langs = text_languages(strings, record_langs, min_han_share)
    return JudgedTexts(strings, rows.astype(np.int64), fields, langs, batch.num_rows)
