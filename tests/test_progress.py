"""Progress lines read from the staging folder of a running job."""

import json

from pipelines import progress as progress_module
from pipelines.inputs import InputFile
from pipelines.progress import Progress
from transforms.ingest import ReadTask


def finish(staging, task: ReadTask, read: int, kept: int, rejected: int) -> None:
    folder = staging / "tasks" / task.key
    folder.mkdir(parents=True)
    (folder / "task.json").write_text(json.dumps({
        "stats": {"files": {task.file.source: {"records_read": read}}},
        "records": {"rows": kept}, "rejects": {"rows": rejected}}))


def test_progress_counts_finished_tasks_bytes_records_and_time_left(tmp_path, monkeypatch):
    clock = iter([100.0, 110.0, 120.0])
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(clock))
    tasks = [ReadTask(InputFile("/in/a.jsonl", "a.jsonl", 1_000_000)), ReadTask(InputFile("/in/b.jsonl", "b.jsonl", 3_000_000))]
    progress = Progress(str(tmp_path), tasks)
    assert progress.line() == "winnow: 0/2 file(s), 0/4 MB read (0%), 0 records (0/s), 0 staged kept, 0 rejected"
    finish(tmp_path, tasks[0], read=5000, kept=4000, rejected=1000)
    # 1 MB of 4 in 20 s: 60 s left
    assert progress.line() == ("winnow: 1/2 file(s), 1/4 MB read (25%), 5,000 records (250/s), 4,000 staged kept, "
                               "1,000 rejected, about 1m00s left")
    finish(tmp_path, tasks[1], read=10000, kept=9000, rejected=1000)
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: 190.0)
    assert progress.line() == ("winnow: all 2 read task(s) done (15,000 records, 13,000 staged kept, 2,000 rejected); "
                               "deduplicating and writing shards, 1m30s so far")
