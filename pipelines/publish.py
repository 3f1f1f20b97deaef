"""Write a run into a staging folder beside OUT and publish it whole at the end, so a failed run
never leaves a half output that looks complete; an existing OUT is replaced only with --overwrite,
and only when it is a winnow output (it has a manifest) or empty."""

from __future__ import annotations

import os

from apache_beam.io.filesystems import FileSystems

from pipelines.manifest import MANIFEST_FILE
from transforms.exchange import EXCHANGE
from transforms.staging import TASK_FILE, TASKS
from transforms.stats import STATS_FILE


class OutputExists(Exception):
    pass


def _is_local(path: str) -> bool:
    return FileSystems.get_scheme(path) in (None, "file")


def _has_content(path: str) -> bool:
    if _is_local(path):
        return os.path.exists(path) and (not os.path.isdir(path) or bool(os.listdir(path)))
    return bool(_objects_below(path))


def check_output(output: str, overwrite: bool) -> None:
    if not _has_content(output):
        return
    if not overwrite:
        raise OutputExists(f"{output} exists; pass --overwrite to replace it")
    if not FileSystems.exists(FileSystems.join(output, MANIFEST_FILE)):
        raise OutputExists(f"{output} is not empty and is not a winnow output (no {MANIFEST_FILE}); refusing to replace it")


def staging_path(output: str, fingerprint: str) -> str:
    """Where a run stages its work: beside OUT, named by the run's fingerprint, so that the same run
    started again finds it (--resume)."""
    return f"{output.rstrip('/')}.winnow-staging-{fingerprint[:16]}"


def finished_tasks(staging: str) -> int:
    """Read tasks whose staged work is complete (see transforms.staging)."""
    pattern = FileSystems.join(staging, TASKS, "*", TASK_FILE)
    return len(FileSystems.match([pattern])[0].metadata_list)


def exists(path: str) -> bool:
    return _has_content(path)


def _objects_below(folder: str) -> list[str]:
    return sorted(m.path for m in FileSystems.match([FileSystems.join(folder, "**")])[0].metadata_list)


def remove_tree(folder: str) -> None:
    """Delete a folder, or every object under the prefix on an object store (which has no folders)."""
    if _is_local(folder):
        if os.path.exists(folder):
            FileSystems.delete([folder])
    else:
        objects = _objects_below(folder)
        if objects:
            FileSystems.delete(objects)


def discard(staging: str) -> None:
    remove_tree(staging)


INTERNAL = (TASKS, EXCHANGE, "dedup", "moderation", STATS_FILE)  # staged work, not output


def publish(staging: str, output: str, overwrite: bool) -> None:
    check_output(output, overwrite)
    for name in INTERNAL:
        remove_tree(FileSystems.join(staging, name))
    output = output.rstrip("/")
    remove_tree(output)
    if _is_local(output):
        parent = os.path.dirname(os.path.abspath(output))
        os.makedirs(parent, exist_ok=True)
        os.rename(staging, output)  # one atomic step on a local filesystem
        return
    # object stores have no folders to rename: move every object, the manifest last
    files = sorted(_objects_below(staging), key=lambda p: p.endswith(MANIFEST_FILE))
    FileSystems.rename(files, [output + p[len(staging):] for p in files])
