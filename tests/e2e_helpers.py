"""Running the real CLI on files in a temp folder and reading what it wrote."""

import json
from pathlib import Path

import pyarrow.dataset as ds

from pipelines.cli import main


def clean(*args: str) -> int:
    return main(["clean", *args])


def read_output(out: Path) -> tuple[list[dict], list[dict], dict]:
    data = ds.dataset(str(out / "data"), format="parquet").to_table().to_pylist()
    rejects = ds.dataset(str(out / "rejects"), format="parquet").to_table().to_pylist()
    manifest = json.loads((out / "manifest.json").read_text())
    return data, rejects, manifest


def fates(data: list[dict], rejects: list[dict]) -> dict[tuple[str, int], str]:
    """(source, source_row) → "kept" or the reject reason, for every record written."""
    out: dict[tuple[str, int], str] = {}
    for row in data:
        out[(row["source"], row["source_row"])] = "kept"
    for row in rejects:
        key = (row["source"], row["source_row"])
        assert key not in out, f"{key} written twice"
        out[key] = row["reason"]
    return out
