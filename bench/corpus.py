"""A deterministic benchmark corpus: Chinese and English documents, about 20% exact duplicates
(verbatim, or differing only in case or spacing), as JSONL {"id", "text"} split over a few files,
as dumps usually are (winnow and the peers read files in parallel, not ranges of one file)."""

from __future__ import annotations

import json
import os
import random

from pipelines.sample import en_document, zh_document


def generate(folder: str, records: int = 100_000, shards: int = 4, duplicate_share: float = 0.2, seed: int = 1) -> str:
    """Write the corpus into folder (once; reused when it exists) and return the folder."""
    if os.path.exists(os.path.join(folder, "done")):
        return folder
    rng = random.Random(seed)
    unique = int(records * (1 - duplicate_share))
    texts = [(zh_document if i % 2 else en_document)(rng, paragraphs=rng.choice((1, 2))) for i in range(unique)]
    for n in range(records - unique):
        text = texts[rng.randrange(unique)]
        texts.append([text, text.upper(), "  " + text.replace("\n", "\n ")][n % 3])
    order = list(range(records))
    rng.shuffle(order)
    os.makedirs(folder, exist_ok=True)
    per_shard = -(-records // shards)
    for shard in range(shards):
        with open(os.path.join(folder, f"part-{shard:03d}.jsonl"), "w", encoding="utf-8") as f:
            for i in order[shard * per_shard:(shard + 1) * per_shard]:
                f.write(json.dumps({"id": f"doc-{i:07d}", "text": texts[i]}, ensure_ascii=False) + "\n")
    open(os.path.join(folder, "done"), "w").close()
    return folder
