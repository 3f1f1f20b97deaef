"""Progress of a running `winnow clean`, read from its staging folder.

Every finished read task leaves a task.json there (transforms.staging), on whatever filesystem and
runner the job uses, so the driver can tell how far the job is without asking the runner (the
DirectRunner reports Beam metrics only once the job is done): input files and bytes read out of the
total, records per second, records staged as kept or rejected so far, and the time left, estimated
from bytes. On a terminal one line is rewritten in place; otherwise (CI logs) a plain line is
printed every `interval` seconds.
"""

from __future__ import annotations

import json
import sys
import threading
import time

from apache_beam.io.filesystems import FileSystems

from transforms.ingest import ReadTask
from transforms.staging import TASK_FILE, TASKS


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m" if seconds >= 3600 else f"{seconds // 60}m{seconds % 60:02d}s"


class Progress(threading.Thread):
    def __init__(self, staging: str, tasks: list[ReadTask], interval: float = 10.0, stream=None):
        super().__init__(daemon=True)
        self.staging, self.interval = staging, interval
        self.stream = stream or sys.stderr
        self.sizes = {t.key: (t.end - t.start) if t.end else t.file.size for t in tasks}
        self.total_bytes = sum(self.sizes.values()) or 1
        self.files = {t.file.source for t in tasks}
        self.seen: dict[str, dict] = {}
        self.started = time.monotonic()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._stop = threading.Event()
        self.first_seen = len(self._finished_keys())  # tasks a resumed run found finished

    def _finished_keys(self) -> list[str]:
        pattern = FileSystems.join(self.staging, TASKS, "*", TASK_FILE)
        try:
            paths = [m.path for m in FileSystems.match([pattern])[0].metadata_list]
        except Exception:  # noqa: BLE001 - the folder may not exist yet; progress never fails a run
            return []
        return [p.rstrip("/").split("/")[-2] for p in paths]

    def line(self) -> str:
        for key in self._finished_keys():
            if key not in self.seen and key in self.sizes:
                try:
                    with FileSystems.open(FileSystems.join(self.staging, TASKS, key, TASK_FILE)) as f:
                        self.seen[key] = json.loads(f.read())
                except (OSError, ValueError):
                    continue
        done_bytes = sum(self.sizes[k] for k in self.seen)
        read = sum(sum(v["records_read"] for v in e["stats"]["files"].values()) for e in self.seen.values())
        kept = sum(e["records"]["rows"] for e in self.seen.values())
        rejected = sum(e["rejects"]["rows"] for e in self.seen.values())
        files_done = len({s for e in self.seen.values() for s in e["stats"]["files"]})
        elapsed = max(time.monotonic() - self.started, 1e-6)
        if len(self.seen) == len(self.sizes):
            return (f"winnow: all {len(self.sizes)} read task(s) done ({read:,} records, {kept:,} staged kept, "
                    f"{rejected:,} rejected); deduplicating and writing shards, {_duration(elapsed)} so far")
        fresh = len(self.seen) - self.first_seen
        rate = read / elapsed
        share = done_bytes / self.total_bytes
        left = f", about {_duration(elapsed / share * (1 - share))} left" if fresh > 0 and share > 0 else ""
        return (f"winnow: {files_done}/{len(self.files)} file(s), {done_bytes / 1e6:,.0f}/{self.total_bytes / 1e6:,.0f} MB "
                f"read ({share:.0%}), {read:,} records ({rate:,.0f}/s), {kept:,} staged kept, {rejected:,} rejected{left}")

    def run(self) -> None:
        while not self._stop.wait(self.interval):
            text = self.line()
            if self.tty:
                self.stream.write("\r\033[K" + text)
            else:
                self.stream.write(text + "\n")
            self.stream.flush()

    def stop(self) -> None:
        self._stop.set()
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()
