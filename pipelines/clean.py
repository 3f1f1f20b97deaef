"""The clean pipeline, stage by stage in the recipe's order:
read tasks → (per task, in one worker: ingest → normalize → rules → lang → staged) → unique ids →
exact → near → moderation → data/ shards assembled from staging → rejects/ shards.

Texts are written once to staging by the worker that read them and read once more by the shard
writer of their partition; the steps between exchange small columns through staged files
(transforms.exchange), so what passes through the runner is file entries and counts.
"""

from __future__ import annotations

import math

import apache_beam as beam

from pipelines.config import WinnowConfig
from pipelines.inputs import InputFile
from pipelines.records import record_schema, reject_schema
from transforms.dedup import Deduplicate
from transforms.ingest import ReadTasks
from transforms.process import ProcessInputs
from transforms.shards import WriteDataShards, WriteRejectShards
from transforms.stats import WriteStats

# Compressed inputs hold about this many times their size in text (JSON Lines of prose under gzip or
# zstd); only used to size partitions, never to decide anything about records.
COMPRESSED_TEXT_RATIO = 4
COMPRESSED_SUFFIXES = (".gz", ".zst", ".zstd", ".bz2", ".parquet", ".arrow")


def estimated_text_bytes(files: list[InputFile]) -> int:
    return sum(f.size * (COMPRESSED_TEXT_RATIO if f.path.lower().endswith(COMPRESSED_SUFFIXES) else 1) for f in files)


def partition_count(files: list[InputFile], cfg: WinnowConfig) -> int:
    """Partitions of staging and of the key shuffles: one per `output.partition_bytes` of (estimated) text,
    and at least one per output shard the input could fill; 4 to 4096. The output never depends on it."""
    if cfg.output.partitions:
        return cfg.output.partitions
    text = estimated_text_bytes(files)
    wanted = max(math.ceil(text / cfg.output.partition_bytes), math.ceil(text / cfg.output.target_shard_bytes))
    return min(4096, max(4, wanted))


def build(pipeline: beam.Pipeline, cfg: WinnowConfig, files: list[InputFile], staging: str) -> None:
    fmt = cfg.ingest.record_kind
    with_lang = cfg.runs("lang")
    shape = {"with_lang": with_lang, "with_cleaned": cfg.runs("rules"), "with_moderation": cfg.runs("moderation"),
             "with_tokens": cfg.tokens.tokenizer is not None}
    records_schema = record_schema(fmt, **shape)
    rejects_schema = reject_schema(fmt, **shape)
    partitions = partition_count(files, cfg)

    tasks = pipeline | "Ingest" >> ReadTasks(files, cfg.ingest)
    staged = tasks | "Process" >> ProcessInputs(cfg, staging, partitions, records_schema, rejects_schema)
    decisions, kept_bytes = staged | "Dedup" >> Deduplicate(staging, cfg.runs("exact"), partitions)
    stats = []
    if cfg.runs("near"):
        from transforms.near import NearDuplicates

        near_decisions, freed_bytes, near_stats = (staged, decisions) | "Near" >> NearDuplicates(
            staging, fmt, cfg.near, cfg.ingest.fields, cfg.exact.source_priority, records_schema, partitions)
        decisions = (decisions, near_decisions) | "AllDecisions" >> beam.Flatten()
        kept_bytes = (kept_bytes, freed_bytes) | "KeptAfterNear" >> beam.Flatten()
        stats.append(near_stats)
    read_scores = None
    if cfg.runs("moderation"):
        from transforms.moderation import Moderate, read_scores

        moderated, moderation_stats = (staged, decisions) | "Moderation" >> Moderate(
            staging, fmt, cfg.moderation, records_schema, partitions)
        decisions = (decisions, moderated) | "WithModeration" >> beam.Flatten()
        stats.append(moderation_stats)
    data_stats, dedup_rejects = (decisions, kept_bytes, staged) | "Data" >> WriteDataShards(
        staging, partitions, records_schema, rejects_schema, cfg.output, read_scores)
    reject_stats = (staged, dedup_rejects) | "Rejects" >> WriteRejectShards(staging, partitions, rejects_schema, cfg.output)
    task_stats = staged | "TaskStats" >> beam.Map(lambda entry: entry["stats"])
    (task_stats, data_stats, reject_stats, *stats) | "AllStats" >> beam.Flatten() | "Stats" >> WriteStats(staging)
