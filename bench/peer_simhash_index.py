"""The `simhash` package's SimhashIndex (k=3, 64 bits, character 3-grams), as people use it for dedup:
each document is kept unless the index already holds one within 3 bits. Run by the peers' venv:
`python peer_simhash_index.py IN OUT WORKERS` (one process; WORKERS is ignored)."""

import glob
import json
import os
import sys

from simhash import Simhash, SimhashIndex


def main(input_dir: str, work: str) -> None:
    index = SimhashIndex([], k=3)
    kept = removed = 0
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "kept.jsonl"), "w", encoding="utf-8") as out:
        for path in sorted(glob.glob(os.path.join(input_dir, "*.jsonl"))):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    doc = json.loads(line)
                    text = doc["text"]
                    fingerprint = Simhash([text[i:i + 3] for i in range(max(1, len(text) - 2))])
                    if index.get_near_dups(fingerprint):
                        removed += 1
                        continue
                    index.add(doc["id"], fingerprint)
                    kept += 1
                    out.write(line)
    print(f"simhash index: kept {kept}, removed {removed}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
