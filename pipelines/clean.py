"""The clean pipeline, stage by stage in the recipe's order:
ingest → normalize → rules → lang → (unique ids) → exact → sharded data/ and rejects/."""

from __future__ import annotations

import math

import apache_beam as beam

from pipelines.config import WinnowConfig
from pipelines.inputs import InputFile
from pipelines.records import record_schema, reject_schema
from transforms.dedup import Deduplicate
from transforms.ingest import ReadInputs
from transforms.lang import LanguageId
from transforms.normalize import Normalize
from transforms.rules import ApplyRules
from transforms.shards import WriteDataShards, WriteRejectShards
from transforms.stats import WriteStats

KEY_PARTITION_INPUT_BYTES = 128 << 20


def key_partitions(files: list[InputFile], cfg: WinnowConfig) -> int:
    """Partitions of the key shuffles: one per 128 MiB of input, 4 to 4096 (output never depends on it)."""
    if cfg.output.key_partitions:
        return cfg.output.key_partitions
    total = sum(f.size for f in files)
    return min(4096, max(4, math.ceil(total / KEY_PARTITION_INPUT_BYTES)))


def build(pipeline: beam.Pipeline, cfg: WinnowConfig, files: list[InputFile], staging: str) -> None:
    fmt = cfg.ingest.format
    with_lang = cfg.runs("lang")
    records_schema = record_schema(fmt, with_lang)
    rejects_schema = reject_schema(fmt, with_lang)

    records, ingest_rejects, file_stats = pipeline | "Ingest" >> ReadInputs(files, cfg.ingest)
    rejects = [ingest_rejects]
    if cfg.runs("normalize"):
        records = records | "Normalize" >> Normalize(fmt, cfg.normalize)
    if cfg.runs("rules"):
        records, rule_rejects = records | "Rules" >> ApplyRules(fmt, cfg.rules, cfg.ingest.fields)
        rejects.append(rule_rejects)
    if cfg.runs("lang"):
        records, lang_rejects = records | "Lang" >> LanguageId(fmt, cfg.lang)
        rejects.append(lang_rejects)
    decisions, kept_bytes = records | "Dedup" >> Deduplicate(fmt, cfg.exact, cfg.runs("exact"), key_partitions(files, cfg))
    data_stats, dedup_rejects = (records, decisions, kept_bytes) | "Data" >> WriteDataShards(
        staging, fmt, records_schema, rejects_schema, cfg.output
    )
    reject_stats = (*rejects, dedup_rejects) | "AllRejects" >> beam.Flatten() | "Rejects" >> WriteRejectShards(
        staging, rejects_schema, cfg.output
    )
    (file_stats, data_stats, reject_stats) | "AllStats" >> beam.Flatten() | "Stats" >> WriteStats(staging)
