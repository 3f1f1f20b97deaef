"""Write a run into a staging folder beside OUT and publish it whole at the end, so a failed run
never leaves a half output that looks complete; an existing OUT is replaced only with --overwrite,
and only when it is a winnow output (it has a manifest) or empty."""

from __future__ import annotations

import os
import uuid

from apache_beam.io.filesystems import FileSystems

from pipelines.manifest import MANIFEST_FILE


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


def new_staging(output: str) -> str:
    return f"{output.rstrip('/')}.winnow-staging-{uuid.uuid4().hex[:12]}"


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


def publish(staging: str, output: str, overwrite: bool) -> None:
    check_output(output, overwrite)
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
