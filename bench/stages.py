"""Each stage's own cost, measured in-process on the batches it would see (no Beam in between)."""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np
import pyarrow as pa

from filters.ruleset import evaluate
from pipelines.config import WinnowConfig
from pipelines.inputs import discover
from pipelines.records import content_columns, record_schema
from transforms import lang
from transforms.batches import concat, mask_rows, sort_rows, with_length
from transforms.dedup import KEY_SCHEMA, exact_duplicates, key_rows, unique_ids
from transforms.near import fingerprint_rows
from transforms.normalize import normalize_batch
from transforms.readers import FileStats, read_file
from transforms.shards import write_parquet


def profile(folder: str, cfg: WinnowConfig) -> list[dict]:
    fmt = cfg.ingest.format
    files = discover([folder])
    input_bytes = sum(f.size for f in files)
    timings: list[tuple[str, float, int]] = []

    def timed(stage, n, fn):
        start = time.perf_counter()
        result = fn()
        timings.append((stage, time.perf_counter() - start, n))
        return result

    def read_all():
        out = []
        for f in files:
            out += [e.batch for e in read_file(f.path, f.source, cfg.ingest, FileStats(f.source)) if e.kind == "records"]
        return out

    batches = timed("ingest (read + parse JSON)", 0, read_all)
    n = sum(b.num_rows for b in batches)
    timings[-1] = (timings[-1][0], timings[-1][1], n)
    batches = timed("normalize", n, lambda: [normalize_batch(b, fmt, cfg.normalize) for b in batches])

    def rules():
        kept = []
        for b in batches:
            verdicts = evaluate(fmt, dict(zip(b.schema.names, b.columns)), cfg.rules, cfg.ingest.fields)
            kept.append(mask_rows(b, verdicts.kept))
        return kept

    batches = timed("rules", n, rules)
    n = sum(b.num_rows for b in batches)
    model = lang.load_model(cfg.lang.model_path)

    def language():
        out = []
        for b in batches:
            langs, scores = lang.predict(model, b.column("text"), cfg.lang.max_chars)
            out.append(pa.Table.from_batches([b]).append_column("lang", pa.array(langs))
                       .append_column("lang_score", pa.array(scores)).to_batches()[0])
        return out

    batches = timed("lang", n, language)

    def exact():
        keys = concat([key_rows(b, fmt, cfg.exact, True, 16) for b in batches], KEY_SCHEMA)
        survivors, _ = unique_ids(keys)
        survivors, _ = exact_duplicates(survivors)
        return survivors

    survivors = timed("exact (normalise, hash, sort)", n, exact)
    timed("near fingerprints (matching form, simhash, MinHash bands)", n,
          lambda: [fingerprint_rows(b, fmt, cfg.near, cfg.ingest.fields) for b in batches])
    keep = set(zip(survivors.column("source").to_pylist(), survivors.column("source_row").to_pylist()))

    def write():
        table = concat(batches, record_schema(fmt, True).remove(record_schema(fmt, True).get_field_index("length")))
        mask = np.array([k in keep for k in zip(table.column("source").to_pylist(), table.column("source_row").to_pylist())])
        table = with_length(sort_rows(table.filter(pa.array(mask))), content_columns(fmt))
        with tempfile.TemporaryDirectory() as tmp:
            write_parquet(table, os.path.join(tmp, "part.parquet"), cfg.output)

    timed("write Parquet (join, sort, zstd)", n, write)
    return [
        {"stage": stage, "seconds": seconds, "records": records,
         "records_per_s": records / seconds if seconds else 0.0, "input_mb_per_s": input_bytes / 1e6 / seconds if seconds else 0.0}
        for stage, seconds, records in timings
    ]
