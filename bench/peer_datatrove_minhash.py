"""datatrove's MinHash dedup (signatures → buckets → clusters → filter) with its defaults (word 5-grams,
14 buckets x 8 hashes), run by the peers' venv: `python peer_datatrove_minhash.py IN OUT WORKERS`."""

import sys

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter


def main(input_dir: str, work: str, workers: int) -> None:
    config = MinhashConfig()
    buckets = config.num_buckets
    signatures = LocalPipelineExecutor(
        pipeline=[JsonlReader(input_dir, glob_pattern="*.jsonl"), MinhashDedupSignature(f"{work}/sigs", config=config)],
        tasks=workers, workers=workers, logging_dir=f"{work}/logs/sigs",
    )
    grouped = LocalPipelineExecutor(
        pipeline=[MinhashDedupBuckets(f"{work}/sigs", f"{work}/buckets", config=config)],
        tasks=buckets, workers=workers, logging_dir=f"{work}/logs/buckets", depends=signatures,
    )
    clusters = LocalPipelineExecutor(
        pipeline=[MinhashDedupCluster(f"{work}/buckets", f"{work}/remove_ids", config=config)],
        tasks=1, logging_dir=f"{work}/logs/clusters", depends=grouped,
    )
    kept = LocalPipelineExecutor(
        pipeline=[JsonlReader(input_dir, glob_pattern="*.jsonl"), MinhashDedupFilter(f"{work}/remove_ids"),
                  JsonlWriter(f"{work}/out")],
        tasks=workers, workers=workers, logging_dir=f"{work}/logs/filter", depends=clusters,
    )
    kept.run()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
