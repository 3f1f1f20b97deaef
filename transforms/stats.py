"""Run statistics gathered as pipeline output (not as metrics, which runners may report
approximately): merged into one JSON document in the staging folder for the manifest."""

from __future__ import annotations

import json

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

STATS_FILE = "_stats.json"


def merge_into(total: dict, part: dict) -> dict:
    """Add `part` into `total`: numbers add up, lists concatenate, mappings merge key by key."""
    for key, value in part.items():
        if isinstance(value, dict):
            merge_into(total.setdefault(key, {}), value)
        elif isinstance(value, list):
            total.setdefault(key, []).extend(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            total[key] = total.get(key, 0) + value
        else:
            total[key] = value
    return total


class MergeStats(beam.CombineFn):
    def create_accumulator(self):
        return {}

    def add_input(self, accumulator, element):
        return merge_into(accumulator, element)

    def merge_accumulators(self, accumulators):
        total: dict = {}
        for accumulator in accumulators:
            merge_into(total, accumulator)
        return total

    def extract_output(self, accumulator):
        for key in ("data_shards", "reject_shards"):
            accumulator.setdefault(key, []).sort(key=lambda entry: entry["path"])
        return accumulator


def _write(stats: dict, staging: str) -> None:
    with FileSystems.create(FileSystems.join(staging, STATS_FILE)) as f:
        f.write(json.dumps(stats, sort_keys=True, ensure_ascii=False).encode())


class WriteStats(beam.PTransform):
    def __init__(self, staging: str):
        super().__init__()
        self.staging = staging

    def expand(self, parts):
        return (
            parts
            | "MergeStats" >> beam.CombineGlobally(MergeStats())
            | "WriteStatsFile" >> beam.Map(_write, self.staging)
        )


def read_stats(staging: str) -> dict:
    with FileSystems.open(FileSystems.join(staging, STATS_FILE)) as f:
        return json.loads(f.read())
