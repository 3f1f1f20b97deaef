"""Find the input files a run reads: globs over any Beam filesystem and saved `datasets` directories.

Each file gets a `source` name relative to the inputs' common folder; record ids derived from it
(`source:line`) stay the same when the whole input folder moves.
"""

from __future__ import annotations

import json
import os
import posixpath
from dataclasses import dataclass

from apache_beam.io.filesystems import FileSystems

DATA_SUFFIXES = (".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz", ".jsonl.zst", ".jsonl.zstd", ".jsonl.bz2",
                 ".parquet", ".arrow")
# A folder of crawled pages holds their files only: a crawl's CDX indexes and logs beside them are not input.
PAGE_SUFFIXES = {
    "warc": (".warc", ".warc.gz"),
    "html": (".html", ".htm", ".html.gz", ".htm.gz", ".html.zst", ".htm.zst", ".html.bz2", ".htm.bz2"),
}


@dataclass(frozen=True)
class InputFile:
    path: str
    source: str
    size: int
    modified: float = 0.0  # seconds since the epoch, where the filesystem says (part of a run's fingerprint)


def _read_json(path: str) -> dict:
    with FileSystems.open(path) as f:
        return json.loads(f.read())


def _saved_dataset_files(folder: str) -> list[str] | None:
    """Arrow files of a `datasets` save_to_disk folder (a Dataset or a DatasetDict), else None."""
    state = FileSystems.join(folder, "state.json")
    if FileSystems.exists(state):
        return [FileSystems.join(folder, f["filename"]) for f in _read_json(state)["_data_files"]]
    splits = FileSystems.join(folder, "dataset_dict.json")
    if FileSystems.exists(splits):
        files: list[str] = []
        for split in _read_json(splits)["splits"]:
            files += _saved_dataset_files(FileSystems.join(folder, split)) or []
        return files
    return None


def _expand(pattern: str, suffixes: tuple[str, ...]) -> list[str]:
    folder = pattern.rstrip("/")
    saved = _saved_dataset_files(folder)
    if saved is not None:
        return saved
    if not any(ch in pattern for ch in "*?["):
        below = FileSystems.match([FileSystems.join(folder, "**")])[0].metadata_list
        if below:  # a folder: every data file below it
            return [m.path for m in below if m.path.lower().endswith(suffixes)]
    return [m.path for m in FileSystems.match([pattern])[0].metadata_list]


def _common_folder(paths: list[str]) -> str:
    folders = [p.rsplit("/", 1)[0].split("/") for p in paths]
    common = folders[0]
    for parts in folders[1:]:
        n = 0
        while n < min(len(common), len(parts)) and common[n] == parts[n]:
            n += 1
        common = common[:n]
    return "/".join(common)


def discover(patterns: list[str], fmt: str = "web") -> list[InputFile]:
    """Input files, sorted by path; a folder gives the data files of the format (`--format`) below it.
    Raises FileNotFoundError when a pattern matches nothing."""
    suffixes = PAGE_SUFFIXES.get(fmt, DATA_SUFFIXES)
    paths: set[str] = set()
    for pattern in patterns:
        if FileSystems.get_scheme(pattern) in (None, "file"):
            pattern = os.path.abspath(pattern)
        found = _expand(pattern, suffixes)
        if not found:
            raise FileNotFoundError(f"no input file matches {pattern!r}")
        paths.update(found)
    ordered = sorted(paths)
    root = _common_folder(ordered)
    found = [result.metadata_list[0] for result in FileSystems.match(ordered)]
    return [
        InputFile(path=path, source=posixpath.relpath(path, root) if root else path, size=meta.size_in_bytes,
                  modified=float(getattr(meta, "last_updated_in_seconds", 0.0) or 0.0))
        for path, meta in zip(ordered, found)
    ]
