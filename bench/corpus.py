"""Deterministic benchmark corpora, written as a stream (a 10M-record corpus never sits in memory).

Chinese and English documents as JSON Lines {"id", "text"} over several files, as dumps usually come:
- about 20% exact duplicates of a recent document: verbatim, upper-cased or re-spaced;
- with `near_share`, that share of near copies: two paragraphs swapped, truncated to 85% plus a
  sentence, or 2% of characters changed.
Sentences come from templates (pipelines.sample), or with `sentences` from a pool of real sentences
(bench/devtext.py), which gives documents whose n-grams overlap as real ones do.
"""

from __future__ import annotations

import gzip
import json
import os
import random
from collections.abc import Callable

from pipelines.sample import en_sentence, zh_sentence

RECENT = 5000  # duplicates copy one of this many recent documents
EDIT_CHARS = "的是了在有人这中大为上个国我以要他时来用们abcdefghijklmnopqrstuvwxyz"


def template_document(rng: random.Random, zh: bool) -> str:
    sentence, glue = (zh_sentence, "") if zh else (en_sentence, " ")
    return "\n\n".join(glue.join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(rng.choice((1, 2))))


def pooled_document(pools: dict[bool, list[str]]) -> Callable[[random.Random, bool], str]:
    def make(rng: random.Random, zh: bool) -> str:
        glue = "" if zh else " "
        return "\n\n".join(glue.join(rng.choice(pools[zh]) for _ in range(rng.randint(3, 6))) for _ in range(rng.randint(2, 4)))
    return make


def near_copy(rng: random.Random, text: str) -> str:
    kind = rng.randrange(3)
    paragraphs = text.split("\n\n")
    if kind == 0 and len(paragraphs) > 2:
        i = rng.randrange(len(paragraphs) - 1)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
        return "\n\n".join(paragraphs)
    if kind == 1:
        return text[: len(text) * 85 // 100] + ("补充说明一句。" if rng.random() < 0.5 else " One more sentence at the end.")
    chars = list(text)
    for _ in range(max(1, len(chars) // 50)):
        chars[rng.randrange(len(chars))] = rng.choice(EDIT_CHARS)
    return "".join(chars)


def sentence_pools() -> dict[bool, list[str]]:
    """Real sentences of the dev corpus (bench/devtext, `make devtext`), by whether they are Chinese."""
    import re

    from bench.devtext import load

    pools: dict[bool, list[str]] = {}
    for zh, lang in ((True, "zh"), (False, "en")):
        pattern = r"(?<=[。！？])" if zh else r"(?<=[.!?])\s+"
        sentences = {s.strip() for doc in load(lang, "dev") for s in re.split(pattern, doc["text"]) if len(s.strip()) >= 12}
        pools[zh] = sorted(sentences)
    return pools


def generate(folder: str, records: int = 100_000, shards: int = 4, duplicate_share: float = 0.2, seed: int = 1,
             near_share: float = 0.0, sentences: dict[bool, list[str]] | None = None, gzipped: bool = False) -> str:
    """Write the corpus into folder (once; reused when it exists) and return the folder."""
    if os.path.exists(os.path.join(folder, "done")):
        return folder
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(seed)
    document = pooled_document(sentences) if sentences else template_document
    recent: list[str] = []
    per_shard = -(-records // shards)
    suffix = ".jsonl.gz" if gzipped else ".jsonl"
    for shard in range(shards):
        path = os.path.join(folder, f"part-{shard:03d}{suffix}")
        with (gzip.open(path, "wt", encoding="utf-8", compresslevel=1) if gzipped else open(path, "w", encoding="utf-8")) as f:
            for i in range(shard * per_shard, min(records, (shard + 1) * per_shard)):
                roll = rng.random()
                if recent and roll < duplicate_share:
                    text = rng.choice(recent)
                    text = [text, text.upper(), "  " + text.replace("\n", "\n ")][i % 3]
                elif recent and roll < duplicate_share + near_share:
                    text = near_copy(rng, rng.choice(recent))
                else:
                    text = document(rng, bool(i % 2))
                    recent.append(text)
                    if len(recent) > RECENT:
                        recent.pop(rng.randrange(RECENT))
                f.write(json.dumps({"id": f"doc-{i:08d}", "text": text}, ensure_ascii=False) + "\n")
    open(os.path.join(folder, "done"), "w").close()
    return folder
