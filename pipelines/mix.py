"""`winnow mix`: draw a training mix from cleaned winnow outputs by ratio of tokens or records.

    winnow mix --source pretrain=OUT_A --source sft=OUT_B:0.10 --output MIX [--by tokens|records] [--seed N] [--total N]

TigerBot mixed 10% of its SFT data, in unsupervised form, into pretraining and kept each corpus's language
and category proportions when sampling it down. Here a source with a ratio is that share of the mix; the
sources without one share the rest, in proportion to their size. Without --total the mix is the largest the
sources allow: the sources without a ratio are taken whole unless a source with one is too small for its
share, and then every source is drawn down to fit. Inside a source every stratum (language, and category where
present) gets its proportional quota, filled exactly by a keyed hash of (seed, id) (transforms.mix).
"""

from __future__ import annotations

import json
import math
import string
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
import pyarrow as pa
from pydantic import Field, field_validator

from pipelines.config import OutputConfig, Section, load_model

# Rendered text holds about this many UTF-8 bytes per character counted in `length` (Chinese 3,
# English 1): only to size shards, never to decide which rows are taken.
BYTES_PER_CHAR = 2
RATIO_TOLERANCE = 1e-9


class SftTemplate(Section):
    alpaca: str = Field("{instruction}\n\n{input}\n\n{output}",
                        description="Alpaca/BELLE record with an input, as text; fields {instruction}, {input}, {output}.")
    alpaca_no_input: str = Field("{instruction}\n\n{output}", description="Alpaca/BELLE record whose input is empty.")
    turn: str = Field("{role}: {value}", description="One ShareGPT turn; fields {role} and {value}.")
    turn_separator: str = Field("\n\n", description="Between the turns of a conversation.")
    roles: dict[str, str] = Field(
        {"human": "Human", "user": "Human", "gpt": "Assistant", "assistant": "Assistant", "chatgpt": "Assistant",
         "bing": "Assistant", "bard": "Assistant", "system": "System"},
        description="Role prefix for each ShareGPT speaker (others keep their own name).",
    )

    @field_validator("alpaca", "alpaca_no_input", "turn")
    @classmethod
    def _known_fields(cls, value: str, info):
        allowed = {"turn": {"role", "value"}}.get(info.field_name, {"instruction", "input", "output"})
        used = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        if used - allowed:
            raise ValueError(f"unknown field(s) {sorted(used - allowed)}; use {sorted(allowed)}")
        return value


class MixConfig(Section):
    template: SftTemplate = Field(default_factory=SftTemplate)
    category_field: str | None = Field(
        "category", description="Stratify by this column, or this key of `meta`, where present (null: language only).")
    output: OutputConfig = Field(default_factory=OutputConfig)


def load_mix_config(path: str | None, overrides: dict | None = None) -> MixConfig:
    return load_model(MixConfig, path, overrides)


@dataclass(frozen=True)
class SourceSpec:
    name: str
    path: str
    ratio: float | None


def parse_source(text: str) -> SourceSpec:
    """NAME=PATH or NAME=PATH:RATIO (a share of the mix in (0, 1]); PATH may itself hold colons (gs://...)."""
    name, sep, rest = text.partition("=")
    if not sep or not name or not rest:
        raise ValueError(f"--source takes NAME=PATH[:RATIO], got {text!r}")
    path, ratio = rest, None
    head, colon, tail = rest.rpartition(":")
    if colon and head:
        try:
            ratio = float(tail)
            path = head
        except ValueError:
            pass
    if ratio is not None and not 0 < ratio <= 1:
        raise ValueError(f"--source {name}: the ratio must be in (0, 1], got {ratio}")
    return SourceSpec(name.strip(), path, ratio)


class PlanError(ValueError):
    """The sources cannot make the mix asked for."""


def source_targets(available: dict[str, int], ratios: dict[str, float | None], total: float | None,
                   whole_units: bool) -> tuple[dict[str, float], dict[str, float]]:
    """(share of the mix, units to take) per source."""
    for name, amount in available.items():
        if amount <= 0:
            raise PlanError(f"source {name} holds nothing to draw from")
    asked = sum(r for r in ratios.values() if r is not None)
    rest = [name for name, r in ratios.items() if r is None]
    if rest:
        rest_share = 1 - asked
        if rest_share <= RATIO_TOLERANCE:
            raise PlanError(f"the ratios add up to {asked:g}, leaving nothing for {', '.join(rest)}")
    elif abs(asked - 1) > 1e-6:
        raise PlanError(f"the ratios add up to {asked:g}; when every source has one they must add up to 1")
    rest_available = sum(available[name] for name in rest)
    shares = {name: (r if r is not None else rest_share * available[name] / rest_available) for name, r in ratios.items()}
    if total is None:
        total = min(available[name] / share for name, share in shares.items())
    targets = {}
    for name, share in shares.items():
        want = share * total
        if want > available[name] * (1 + RATIO_TOLERANCE):
            raise PlanError(f"source {name} holds {available[name]:,} but a mix of {total:,.0f} needs {want:,.0f} of it: "
                            "lower --total or its ratio")
        want = min(want, available[name])
        targets[name] = float(min(math.floor(want + 0.5), available[name])) if whole_units else want
    return shares, targets


def apportion(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Whole quotas in proportion to the weights that add up to `total` (largest remainder; ties by key)."""
    whole_weight = sum(weights.values())
    exact = {key: total * w / whole_weight for key, w in weights.items()}
    quotas = {key: math.floor(value) for key, value in exact.items()}
    left = total - sum(quotas.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - quotas[k]), k))[:left]:
        quotas[key] += 1
    return quotas


def cut(units_per_bucket: np.ndarray, quota: float):
    """Where a prefix of the buckets fills `quota` units (see transforms.mix.Cut)."""
    from transforms.mix import BUCKETS, Cut

    reached = np.cumsum(units_per_bucket, dtype=np.int64)
    if quota >= reached[-1] - RATIO_TOLERANCE:
        return Cut(BUCKETS, 0.0)
    boundary = int(np.searchsorted(reached, quota, side="right"))
    return Cut(boundary, float(quota - (reached[boundary - 1] if boundary else 0)))


@dataclass
class Plan:
    by_tokens: bool
    shares: dict[str, float]
    targets: dict[str, float]
    available: dict[str, dict[str, dict[str, int]]]   # source → stratum → {records, tokens}
    quotas: dict[str, dict[str, float]]               # source → stratum → units
    cuts: dict                                        # source → stratum → Cut
    estimated_chars: int
    with_category: bool


def plan_mix(counts: pa.Table, ratios: dict[str, float | None], by_tokens: bool, total: float | None) -> Plan:
    """Quotas per source and stratum from the counts of the first pass (transforms.mix.CountStrata)."""
    from transforms.mix import BUCKETS, split_stratum

    unit = "tokens" if by_tokens else "records"
    hist: dict[str, dict[str, dict[str, np.ndarray]]] = {}
    for row in counts.to_pylist():
        per = hist.setdefault(row["mix_source"], {}).setdefault(
            row["stratum"], {k: np.zeros(BUCKETS, dtype=np.int64) for k in ("records", "tokens", "chars")})
        for key in ("records", "tokens", "chars"):
            per[key][row["bucket"]] += row[key]
    available = {name: {s: {k: int(v[k].sum()) for k in ("records", "tokens")} for s, v in hist.get(name, {}).items()}
                 for name in ratios}
    totals = {name: sum(s[unit] for s in strata.values()) for name, strata in available.items()}
    shares, targets = source_targets(totals, ratios, total, whole_units=not by_tokens)
    quotas, cuts, chars = {}, {}, 0.0
    for name in ratios:
        weights = {s: v[unit] for s, v in available[name].items()}
        if by_tokens:
            quotas[name] = {s: targets[name] * w / totals[name] for s, w in weights.items()}
        else:
            quotas[name] = {s: float(q) for s, q in apportion(int(targets[name]), weights).items()}
        cuts[name] = {}
        for stratum, quota in quotas[name].items():
            bucket_units = hist[name][stratum][unit]
            cuts[name][stratum] = where = cut(bucket_units, quota)
            bucket_chars = hist[name][stratum]["chars"]
            chars += bucket_chars[:where.boundary].sum()
            if where.boundary < BUCKETS and bucket_units[where.boundary]:
                chars += bucket_chars[where.boundary] * where.remainder / bucket_units[where.boundary]
    with_category = any(split_stratum(s)[1] for strata in available.values() for s in strata)
    return Plan(by_tokens, shares, targets, available, quotas, cuts, int(chars), with_category)


def shard_count(plan: Plan, output: OutputConfig) -> int:
    return max(1, math.ceil(plan.estimated_chars * BYTES_PER_CHAR / output.target_shard_bytes))


# ---- the run --------------------------------------------------------------------------------------

def source_files(spec: SourceSpec) -> list:
    """The source's data shards (Beam FileMetadata: path, size_in_bytes), by path."""
    from apache_beam.io.filesystems import FileSystems

    pattern = FileSystems.join(spec.path.rstrip("/"), "data", "part-*.parquet")
    found = sorted(FileSystems.match([pattern])[0].metadata_list, key=lambda m: m.path)
    if not found:
        raise FileNotFoundError(f"source {spec.name}: no data shards under {spec.path} (a winnow output has data/part-*.parquet)")
    return found


def source_columns(path: str) -> list[str]:
    import pyarrow.parquet as pq
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
        return pq.ParquetFile(f).schema_arrow.names


def source_format(columns: list[str]) -> str:
    if "text" in columns:
        return "web"
    if "instruction" in columns:
        return "alpaca"
    if "conversations" in columns:
        return "sharegpt"
    raise ValueError("no text, instruction or conversations column")


def manifest(args, plan: Plan, specs: list[SourceSpec], files: dict[str, list[str]], formats: dict[str, str],
             stats: dict, with_tokens: bool, cfg: MixConfig, runner: dict, run: dict) -> dict:
    from pipelines.manifest import package_versions
    from transforms.mix import split_stratum

    unit = "tokens" if plan.by_tokens else "records"
    measures = ("records", "tokens") if with_tokens else ("records",)
    selected = stats.get("selected", {})
    reached = {spec.name: sum(v[unit] for v in selected.get(spec.name, {}).values()) for spec in specs}
    mix_total = sum(reached.values())
    sources = []
    for spec in specs:
        strata = []
        for stratum, have in sorted(plan.available[spec.name].items()):
            lang, category = split_stratum(stratum)
            took = selected.get(spec.name, {}).get(stratum, {})
            strata.append({"lang": lang, "category": category, "available": {k: have[k] for k in measures},
                           "selected": {k: took.get(k, 0) for k in measures},
                           "quota": round(plan.quotas[spec.name][stratum], 3)})
        sources.append({
            "name": spec.name, "path": spec.path, "format": formats[spec.name], "files": len(files[spec.name]),
            "ratio_asked": spec.ratio, "share_planned": round(plan.shares[spec.name], 9),
            "ratio_reached": round(reached[spec.name] / mix_total, 9) if mix_total else None,
            "available": {k: sum(s[k] for s in plan.available[spec.name].values()) for k in measures},
            "selected": {k: sum(v[k] for v in selected.get(spec.name, {}).values()) for k in measures},
            "target": round(plan.targets[spec.name], 3), "strata": strata,
        })
    return {
        "kind": "mix", "by": unit, "seed": args.seed, "total_asked": args.total,
        "counts": {"records": stats.get("records", 0),
                   "tokens": sum(s["selected"]["tokens"] for s in sources) if with_tokens else None},
        "sources": sources,
        "shards": {"data": stats.get("data_shards", [])},
        "config": cfg.model_dump(mode="json"), "packages": package_versions(), "runner": runner, "run": run,
    }


def _summary(document: dict, output: str, seconds: float) -> str:
    unit = document["by"]
    lines = [f"winnow mix: {document['counts']['records']:,} records by {unit}, seed {document['seed']}, in {seconds:.1f} s"]
    for source in document["sources"]:
        asked = "rest" if source["ratio_asked"] is None else f"{source['ratio_asked']:.4f}"
        lines.append(f"  {source['name']:<12} {source['selected'][unit]:>14,} of {source['available'][unit]:>14,} {unit}"
                     f"  ratio asked {asked}, planned {source['share_planned']:.4f}, reached {source['ratio_reached'] or 0:.4f}")
    lines.append(f"output: {output} ({len(document['shards']['data'])} data shard(s))")
    return "\n".join(lines)


def _run(pipeline) -> None:
    from apache_beam.runners.runner import PipelineState

    state = pipeline.run().wait_until_finish()
    if state != PipelineState.DONE:
        raise RuntimeError(f"the Beam job ended in state {state}")


def run_mix(args, beam_args: list[str]) -> int:
    """The CLI command; 2 for a usage problem found before anything was written, 1 for a failed run."""
    from apache_beam.io.filesystems import FileSystems
    from pydantic import ValidationError

    from pipelines import publish, runner
    from pipelines.manifest import MANIFEST_FILE
    from transforms import mix as stages
    from transforms.stats import STATS_FILE, WriteStats, read_stats

    try:
        specs = [parse_source(text) for text in args.source]
        names = [s.name for s in specs]
        if len(set(names)) != len(names):
            raise ValueError(f"source names must differ: {names}")
        cfg = load_mix_config(args.config, dict(args.set))
        publish.check_output(args.output, args.overwrite)
        shards_of = {s.name: source_files(s) for s in specs}
        files = {name: [m.path for m in found] for name, found in shards_of.items()}
        columns = {s.name: source_columns(files[s.name][0]) for s in specs}
        formats = {s.name: source_format(columns[s.name]) for s in specs}
        with_tokens = all("tokens" in c for c in columns.values())
        if args.by == "tokens" and not with_tokens:
            raise ValueError("--by tokens needs a tokens column in every source; missing in "
                             + ", ".join(n for n, c in columns.items() if "tokens" not in c))
        by_tokens = args.by == "tokens" or (args.by is None and with_tokens)
        if not 0 <= args.seed < 2**64:
            raise ValueError("--seed must be in [0, 2**64)")
        if args.total is not None and args.total <= 0:
            raise ValueError("--total must be positive")
        size = sum(m.size_in_bytes for found in shards_of.values() for m in found)
        options = runner.pipeline_options(beam_args, input_bytes=size, verbose=args.verbose)
    except (ValidationError, ValueError, FileNotFoundError, publish.OutputExists) as err:
        print(f"winnow: error: {err}", file=sys.stderr)
        return 2
    mix_files = [stages.MixFile(s.name, path) for s in specs for path in files[s.name]]
    category_field = cfg.category_field
    staging = publish.staging_path(args.output, uuid.uuid4().hex)
    counts_path = FileSystems.join(staging, "_mix_counts.parquet")
    started, clock = datetime.now(timezone.utc), time.monotonic()
    try:
        first = runner.make_pipeline(options)
        first | "Files" >> stages.MixFiles(mix_files) | "Count" >> stages.CountStrata(args.seed, category_field, counts_path)
        _run(first)
        try:
            plan = plan_mix(stages.read_counts(counts_path), {s.name: s.ratio for s in specs}, by_tokens, args.total)
        except PlanError as err:
            publish.discard(staging)
            print(f"winnow: error: {err}", file=sys.stderr)
            return 2
        shards = shard_count(plan, cfg.output)
        schema = stages.mix_schema(plan.with_category, with_tokens)
        second = runner.make_pipeline(options)
        sources = second | "Files" >> stages.MixFiles(mix_files)
        boundary = sources | "Boundary" >> stages.ChooseBoundaryRows(plan.cuts, args.seed, category_field, by_tokens)
        written = (sources, boundary) | "Mix" >> stages.SelectAndWrite(
            staging, plan.cuts, args.seed, category_field, cfg.template, schema, shards, cfg.output)
        written | "Stats" >> WriteStats(staging)
        _run(second)
        stats = read_stats(staging)
        seconds = time.monotonic() - clock
        run = {"started_at": started.isoformat(timespec="seconds"), "seconds": round(seconds, 3)}
        document = manifest(args, plan, specs, files, formats, stats, with_tokens, cfg, runner.describe(options), run)
        FileSystems.delete([counts_path, FileSystems.join(staging, STATS_FILE)])
        with FileSystems.create(FileSystems.join(staging, MANIFEST_FILE)) as f:
            f.write(json.dumps(document, indent=2, ensure_ascii=False).encode())
        publish.publish(staging, args.output, args.overwrite)
    except BaseException as err:
        publish.discard(staging)
        if isinstance(err, Exception) and not args.verbose:
            lines = [line for line in str(err).strip().splitlines() if line.strip()]
            print(f"winnow: the mix failed, nothing was published: {(lines[-1] if lines else type(err).__name__)[:300]}",
                  file=sys.stderr)
            return 1
        raise
    print(_summary(document, args.output, seconds))
    return 0

