"""Build the moderation classifier shipped in the wheel: moderation/models/moderation-zh-en.ftz.

    python -m bench.moderation_train [--out PATH] [--no-quantize] [--loss ova|softmax] [--dim N] ...

A fastText supervised model (labels abuse, porn, politics and clean) over English words with their
character n-grams (minn..maxn) and single Chinese characters with word bigrams and trigrams (no
segmenter), trained on
- bench/moderation_trainset.py (written for this model, with its deterministic variants);
- bench/moderation_blindset.py (the old blind set: in training, so no longer a check of this model);
- the `dev` split of bench/moderation_devset.py;
- clean pieces of the bench/devtext `dev` documents (real Debian documentation, zh and en): runs of
  one to five sentences and whole documents, a deterministic sample of them.
The devset's `tune` split (weight and abstention chosen on it), its `heldout` split and the devtext
`heldout` documents are not used: they are the checks (bench.moderation_eval). Neither are the second and
third writers' sets (bench/moderation_blindset2.py, a tuning set of the lexicons since the fifth round whose
kinds of text, not its texts, shaped the trainset's third batch; bench/moderation_blindset3.py, a tuning set of the
lexicons since the sixth round), nor the fourth writer's set, the blind check of the sixth round.

Texts go through the scorer's own form (moderation.adapters.fasttext_model.model_texts) before
training. The build is deterministic: a fixed order and seed, one thread, and fastText's quantizer
(its own fixed seed), in a fresh interpreter (see _TRAIN_SCRIPT); building twice gives byte-identical
files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

from moderation.adapters.fasttext_model import SHIPPED_MODEL, model_texts

PARAMS = {
    "loss": "softmax", "dim": 16, "epoch": 30, "lr": 0.3, "minn": 2, "maxn": 5, "wordNgrams": 3, "bucket": 25_000,
    "minCount": 1, "seed": 7,
}
QUANTIZE = {"cutoff": 0, "retrain": False, "qnorm": False, "dsub": 2}
DEVTEXT_PIECES = {"zh": 2500, "en": 2500}  # clean pieces of devtext dev documents per language
MAX_PIECE_CHARS = 1500
SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\.)\s+|\n+")
SHUFFLE_SEED = 11
DEVSET_SPLITS = ("dev",)  # of bench/moderation_devset.py; tune and heldout stay out: they choose and check


def _stable(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def devtext_pieces(lang: str, count: int) -> list[str]:
    """`count` clean pieces of the devtext dev documents of a language: runs of 1-5 sentences and whole
    documents (cut at MAX_PIECE_CHARS), chosen by a hash of their text."""
    from bench import devtext

    pieces = []
    for doc in devtext.load(lang, "dev"):
        text = doc["text"]
        sentences = [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]
        pieces.append(text[:MAX_PIECE_CHARS])
        position, size = 0, 1 + _stable(text) % 5
        while position < len(sentences):
            piece = " ".join(sentences[position:position + size]) if lang == "en" else "".join(sentences[position:position + size])
            if len(piece) >= 8:
                pieces.append(piece[:MAX_PIECE_CHARS])
            position += size
            size = 1 + (size + position) % 5
    pieces = sorted(set(pieces), key=_stable)
    return pieces[:count]


def training_items(devtext_counts: dict[str, int] | None = None, blind: bool = True,
                   devset_splits: tuple[str, ...] = DEVSET_SPLITS) -> list[dict]:
    """Every training text as {"text", "lang", "label"} (label None: clean), in a fixed order; blind=False
    leaves the old blind set out (to measure the classifier on it)."""
    from bench.moderation_blindset import load as load_blind
    from bench.moderation_devset import load as load_devset
    from bench.moderation_trainset import load as load_train

    loaded = load_train() + (load_blind() if blind else [])
    for split in devset_splits:
        loaded += load_devset(split)
    items = [{"text": it["text"], "lang": it["lang"], "label": it["label"]} for it in loaded]
    for lang, count in (DEVTEXT_PIECES if devtext_counts is None else devtext_counts).items():
        items += [{"text": text, "lang": lang, "label": None} for text in devtext_pieces(lang, count)]
    return items


def training_lines(items: list[dict]) -> list[str]:
    """fastText lines (`__label__X text`) in the scorer's text form, shuffled by a fixed seed."""
    texts = model_texts([it["text"] for it in items])
    lines = sorted({f"__label__{it['label'] or 'clean'} {text}" for it, text in zip(items, texts) if text})
    random.Random(SHUFFLE_SEED).shuffle(lines)
    return lines


# Trains and quantizes in a fresh interpreter that imports nothing but fasttext: with one thread the
# fastText wheel reads memory it never initialised (MALLOC_PERTURB_=1 makes every run fail with
# "Encountered NaN"), which in a fresh process is the kernel's zeroed pages but in a process that has
# allocated and freed other buffers is whatever they held: builds then differ, or stop on NaN.
_TRAIN_SCRIPT = """
import json, sys
import fasttext
train, out, params, quantize, verbose = json.loads(sys.argv[1])
model = fasttext.train_supervised(train, thread=1, verbose=verbose, **params)
if quantize is not None:
    model.quantize(input=train, thread=1, verbose=verbose, **quantize)
model.save_model(out)
"""


def build(out: str, items: list[dict] | None = None, params: dict | None = None, quantize: bool = True,
          verbose: int = 0) -> None:
    """Train on the items (default: training_items()) and save to `out` (.ftz quantized, else .bin)."""
    params = {**PARAMS, **(params or {})}
    lines = training_lines(training_items() if items is None else items)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="winnow-ft-") as folder:
        train = os.path.join(folder, "train.txt")
        with open(train, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        job = json.dumps([train, os.path.abspath(out), params, QUANTIZE if quantize else None, verbose])
        subprocess.run([sys.executable, "-c", _TRAIN_SCRIPT, job], check=True, env={**os.environ, "MALLOC_PERTURB_": "0"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=SHIPPED_MODEL)
    parser.add_argument("--no-quantize", action="store_true", help="save the full model (.bin) instead of the .ftz")
    for name, value in PARAMS.items():
        parser.add_argument(f"--{name}", type=type(value), default=value)
    args = parser.parse_args(argv)
    params = {name: getattr(args, name) for name in PARAMS}
    start = time.perf_counter()
    build(args.out, params=params, quantize=not args.no_quantize)
    digest = hashlib.sha256(open(args.out, "rb").read()).hexdigest()[:16]
    print(f"{args.out}: {os.path.getsize(args.out):,} bytes, sha256 {digest}, {time.perf_counter() - start:.1f} s, {params}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
