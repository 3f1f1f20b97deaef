"""datatrove's exact dedup (signature → find → filter), run by the peers' venv: `python peer_datatrove_exact.py IN OUT WORKERS`."""

import sys

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.exact_dedup import ExactDedupConfig, ExactDedupFilter, ExactDedupSignature, ExactFindDedups
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter


def text_of(doc) -> bytes:
    return doc.text.encode()


def main(input_dir: str, work: str, workers: int) -> None:
    config = ExactDedupConfig(content_getter=text_of)
    signatures = LocalPipelineExecutor(
        pipeline=[JsonlReader(input_dir, glob_pattern="*.jsonl"), ExactDedupSignature(f"{work}/sigs", config)],
        tasks=workers, workers=workers, logging_dir=f"{work}/logs/sigs",
    )
    find = LocalPipelineExecutor(
        pipeline=[ExactFindDedups(f"{work}/sigs", f"{work}/dups", config)],
        tasks=1, logging_dir=f"{work}/logs/find", depends=signatures,
    )
    apply = LocalPipelineExecutor(
        pipeline=[JsonlReader(input_dir, glob_pattern="*.jsonl"), ExactDedupFilter(f"{work}/dups", config),
                  JsonlWriter(f"{work}/out")],
        tasks=workers, workers=workers, logging_dir=f"{work}/logs/filter", depends=find,
    )
    apply.run()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
