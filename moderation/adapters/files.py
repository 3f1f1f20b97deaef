"""Locating model files: shipped package data, local paths, or any Beam filesystem (copied locally once)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import tempfile

MAX_HASHED_BYTES = 256 << 20


def package_dir(package: str, distribution: str) -> str:
    """Folder of an installed package, found without importing it (some import TensorFlow or load models)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"{distribution} is not installed (pip install {distribution}); it ships the default model")
    return list(spec.submodule_search_locations)[0]


def distribution_version(distribution: str) -> str:
    try:
        return f"{distribution}=={importlib.metadata.version(distribution)}"
    except importlib.metadata.PackageNotFoundError:
        return distribution


def local_file(path: str) -> str:
    """path itself when local; otherwise a local copy of it (gs://, s3://, hdfs:// through Beam's FileSystems)."""
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    if FileSystems.get_scheme(path) in (None, "file"):
        if not os.path.exists(path):
            raise FileNotFoundError(f"model file {path} does not exist")
        return path
    folder = tempfile.mkdtemp(prefix="winnow-moderation-")
    local = os.path.join(folder, os.path.basename(path.rstrip("/")))
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as remote, open(local, "wb") as copy:
        shutil.copyfileobj(remote, copy)
    return local


def content_version(paths: list[str]) -> str:
    """sha256 (12 hex digits) of the files' bytes, or of their names and sizes past MAX_HASHED_BYTES."""
    h = hashlib.sha256()
    for path in paths:
        size = os.path.getsize(path)
        h.update(f"{os.path.basename(path)}:{size}\n".encode())
        if size <= MAX_HASHED_BYTES:
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
    return "sha256:" + h.hexdigest()[:12]
