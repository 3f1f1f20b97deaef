"""Run statistics gathered as pipeline output (not as metrics, which runners may report
approximately): merged into one JSON document in the staging folder for the manifest."""

from __future__ import annotations

import json
import time
from contextlib import contextmanager

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.metrics.metric import MetricsFilter

STATS_FILE = "_stats.json"
STEP_METRICS = "step_ms"


@contextmanager
def step_timer(step: str):
    """Count the worker time spent inside, in milliseconds, under the step's name. A profile of where a
    run's time goes (a monitoring figure: the output never depends on it)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        Metrics.counter(STEP_METRICS, step).inc(int((time.perf_counter() - start) * 1000))


def step_seconds(result) -> dict[str, float]:
    """Worker seconds per step of a finished job (summed over partitions and workers), largest first."""
    try:
        counters = result.metrics().query(MetricsFilter().with_namespace(STEP_METRICS))["counters"]
    except (NotImplementedError, KeyError, AttributeError):  # a runner without metrics: no profile
        return {}
    seconds: dict[str, float] = {}
    for counter in counters:
        value = counter.committed if counter.committed is not None else counter.attempted
        seconds[counter.key.metric.name] = seconds.get(counter.key.metric.name, 0) + (value or 0) / 1000
    return {name: round(value, 1) for name, value in sorted(seconds.items(), key=lambda kv: -kv[1])}


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
