"""A Beam FileSystem for tests: `fakestore://bucket/key` objects kept under a local folder.

Beam finds filesystems by their scheme among FileSystem subclasses, so importing this module
registers it (for in-process runners). winnow treats it as it would gs:// or s3://.
"""

import os
import posixpath

from apache_beam.io.filesystem import BeamIOError, FileMetadata
from apache_beam.io.localfilesystem import LocalFileSystem

PREFIX = "fakestore://"


class FakeObjectStore(LocalFileSystem):
    root = ""

    @classmethod
    def scheme(cls):
        return "fakestore"

    def _local(self, path: str) -> str:
        return os.path.join(self.root, path[len(PREFIX):])

    def _remote(self, local: str) -> str:
        return PREFIX + os.path.relpath(local, self.root)

    def join(self, basepath, *paths):
        return posixpath.join(basepath, *paths)

    def split(self, path):
        return posixpath.split(path)

    def mkdirs(self, path):
        os.makedirs(self._local(path), exist_ok=True)

    def has_dirs(self):
        return False

    def _list(self, dir_or_prefix):
        """Every object whose key starts with the prefix, as an object store lists them."""
        prefix = self._local(dir_or_prefix)
        top = prefix if os.path.isdir(prefix) else os.path.dirname(prefix)
        for folder, _, names in os.walk(top):
            for name in names:
                local = os.path.join(folder, name)
                if local.startswith(prefix):
                    yield FileMetadata(self._remote(local), os.path.getsize(local), os.path.getmtime(local))

    def metadata(self, path):
        local = self._local(path)
        return FileMetadata(path, os.path.getsize(local), os.path.getmtime(local))

    def create(self, path, *args, **kwargs):
        os.makedirs(os.path.dirname(self._local(path)), exist_ok=True)
        return super().create(self._local(path), *args, **kwargs)

    def open(self, path, *args, **kwargs):
        return super().open(self._local(path), *args, **kwargs)

    def exists(self, path):
        return os.path.isfile(self._local(path))

    def size(self, path):
        return super().size(self._local(path))

    def delete(self, paths):
        """Objects only: like an object store, there is no folder to delete."""
        for path in paths:
            local = self._local(path)
            if not os.path.isfile(local):
                raise BeamIOError("Delete operation failed", {path: FileNotFoundError(path)})
            os.remove(local)

    def rename(self, source_file_names, destination_file_names):
        for source, destination in zip(source_file_names, destination_file_names):
            os.makedirs(os.path.dirname(self._local(destination)), exist_ok=True)
            os.rename(self._local(source), self._local(destination))
