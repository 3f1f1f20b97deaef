"""Build the moderation classifier shipped in the wheel: moderation/models/moderation-zh-en.bin.

    python -m bench.moderation_train [--out PATH] [--quantize] [--loss ova|softmax] [--dim N] ...

A fastText supervised model (labels abuse, porn, politics and clean) over English words with their
character n-grams (minn..maxn) and single Chinese characters with word bigrams (no segmenter), trained on
- bench/moderation_trainset.py (written for this model, with its deterministic variants);
- bench/moderation_blindset.py (the old blind set: in training, so no longer a check of this model);
- the `dev` split of bench/moderation_devset.py;
- every other writer's set (WRITERS, seventh round): the second to fourth writers' blind sets, tuning sets since
  the rounds after their checks, and twelve sets written for this model by twelve more writers;
- clean pieces of the bench/devtext `dev` documents (real Debian documentation, zh and en): runs of
  one to five sentences and whole documents, a deterministic sample of them.
The devset's `tune` and `heldout` splits and the devtext `heldout` documents are not used: they are checks
(bench.moderation_eval). Neither is the fifth writer's set (bench/moderation_blindset5.py), the blind check of the
seventh round; a text that is also in it (writers coincide on a few generic sentences) is left out of training.
bench/moderation_lowo.py trains without one writer at a time to measure the classifier on that writer's text.

Texts go through the scorer's own form (moderation.adapters.fasttext_model.model_texts) before
training. The build is deterministic: a fixed order and seed, one thread, and (with --quantize) fastText's
quantizer with its own fixed seed, in a fresh interpreter (see _TRAIN_SCRIPT); building twice gives byte-identical
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
    "loss": "softmax", "dim": 16, "epoch": 30, "lr": 0.3, "minn": 3, "maxn": 5, "wordNgrams": 2, "bucket": 25_000,
    "minCount": 1, "seed": 7,
}
QUANTIZE = {"cutoff": 0, "retrain": False, "qnorm": False, "dsub": 2}
DEVTEXT_PIECES = {"zh": 2500, "en": 2500}  # clean pieces of devtext dev documents per language
MAX_PIECE_CHARS = 1500
SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\.)\s+|\n+")
SHUFFLE_SEED = 11
HARD_COPIES = 1  # times each hard clean text is trained on
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


# Sets of other writers, by name -> module: the second to fourth writers' blind sets (tuning sets since the rounds
# after their checks) and the training sets twelve more writers wrote for this model (seventh round: w1-w5 every
# category in several registers, w6-w7 and w10-w11 ordinary and hard clean text only, w8 contrast pairs, w9 SFT and
# documents, w12 positives and clean text in the same registers). Each is one fold
# of bench/moderation_lowo.py, which trains without a writer to measure the classifier on that writer's text.
WRITER_MODULES = {
    "blind2": "bench.moderation_blindset2", "blind3": "bench.moderation_blindset3", "blind4": "bench.moderation_blindset4",
    "w1": "bench.moderation_trainset_w1", "w2": "bench.moderation_trainset_w2", "w3": "bench.moderation_trainset_w3",
    "w4": "bench.moderation_trainset_w4", "w5": "bench.moderation_trainset_w5", "w6": "bench.moderation_trainset_w6",
    "w7": "bench.moderation_trainset_w7", "w8": "bench.moderation_trainset_w8", "w9": "bench.moderation_trainset_w9",
    "w10": "bench.moderation_trainset_w10", "w11": "bench.moderation_trainset_w11", "w12": "bench.moderation_trainset_w12",
}
WRITERS = tuple(WRITER_MODULES)


def writer_set(name: str) -> list[dict]:
    import importlib

    return importlib.import_module(WRITER_MODULES[name]).load()


# The sets that check a round: never trained on. Writers of the same model coincide on a few generic sentences (eight
# texts of blind2-blind4 are also in blind5: dates of history, a neutral notice), so the training data is decontaminated
# against them: a text that is also in a check set is left out.
CHECK_MODULES = ("bench.moderation_blindset5",)
# bench/moderation_blindset6.py, the next round's check, was written after the seventh round's model was built and
# checked on blind5; it shares one text with the training data. The next round adds it here and rebuilds.


def check_texts() -> set[str]:
    import importlib

    return {" ".join(it["text"].split()) for module in CHECK_MODULES for it in importlib.import_module(module).load()}


# The writers mask contact details with x's (138xxxx5678, vx: abc_xxxx, t.me/xxxx, xxx.example): in the porn ads of the
# training data, 200 texts, against a few dozen clean ones. Trained as they are, the classifier learned x-runs as porn
# and rejected a UTF-8 man page's bit patterns (110xxxxx 10xxxxxx) alone. Real ads carry real digits and names, so the
# masks are filled in before training: a run of three or more x's, unless it is the word XXX itself, becomes digits
# (next to a digit) or letters, drawn from a seed of the text so that the build stays deterministic.
X_MASK = re.compile(r"[xX]{3,}")
LETTERS = "abcdefghijklmnopqrstuvwyz"  # no x: a filled mask must not spell another


def _joined(char: str) -> bool:
    """Whether a neighbouring character makes an x-run part of a longer token (a Han character does not)."""
    return bool(char) and ((char.isascii() and char.isalnum()) or char in "_/@.-")


def unmasked(text: str) -> str:
    """The text with its x-masks filled in (see X_MASK); the word XXX alone (a porn marker) stays."""
    if not X_MASK.search(text):
        return text
    rng = random.Random(_stable(text))

    def fill(match: re.Match) -> str:
        before, after = text[match.start() - 1:match.start()], text[match.end():match.end() + 1]
        word = not _joined(before) and not _joined(after)
        if word and len(match.group()) == 3:
            return match.group()
        digits = before.isdigit() or after.isdigit()
        return "".join(rng.choice("0123456789" if digits else LETTERS) for _ in match.group())

    return X_MASK.sub(fill, text)


def training_items(devtext_counts: dict[str, int] | None = None, blind: bool = True,
                   devset_splits: tuple[str, ...] = DEVSET_SPLITS, writers: tuple[str, ...] = WRITERS) -> list[dict]:
    """Every training text as {"text", "lang", "label", "kind"} (label None: clean), in a fixed order; blind=False
    leaves the old blind set out (to measure the classifier on it), `writers` names the other writers' sets in it."""
    from bench.moderation_blindset import load as load_blind
    from bench.moderation_devset import load as load_devset
    from bench.moderation_trainset import load as load_train

    loaded = load_train() + (load_blind() if blind else [])
    for split in devset_splits:
        loaded += load_devset(split)
    for name in writers:
        loaded += writer_set(name)
    checks = check_texts()
    items = [{"text": unmasked(it["text"]), "lang": it["lang"], "label": it["label"], "kind": it.get("kind")} for it in loaded
             if " ".join(it["text"].split()) not in checks]
    for lang, count in (DEVTEXT_PIECES if devtext_counts is None else devtext_counts).items():
        items += [{"text": text, "lang": lang, "label": None, "kind": "devtext"} for text in devtext_pieces(lang, count)]
    return items


def training_lines(items: list[dict], hard_copies: int = 1) -> list[str]:
    """fastText lines (`__label__X text`) in the scorer's text form, shuffled by a fixed seed. A hard clean text
    (kind "hard": one that shares words with a category) appears `hard_copies` times, fastText's way of weighing it."""
    texts = model_texts([it["text"] for it in items])
    lines = sorted({f"__label__{it['label'] or 'clean'} {text}" for it, text in zip(items, texts) if text})
    hard = sorted({f"__label__clean {text}" for it, text in zip(items, texts) if text and it.get("kind") == "hard"})
    lines += hard * (hard_copies - 1)
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


def build(out: str, items: list[dict] | None = None, params: dict | None = None, quantize: bool = False,
          verbose: int = 0, hard_copies: int | None = None) -> None:
    """Train on the items (default: training_items()) and save to `out` (.ftz quantized, else .bin)."""
    params = {**PARAMS, **(params or {})}
    lines = training_lines(training_items() if items is None else items, HARD_COPIES if hard_copies is None else hard_copies)
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
    parser.add_argument("--quantize", action="store_true", help="save a quantized model (.ftz): a quarter of the size, half "
                        "the speed (the shipped model is the full one since the seventh round, which runs it on every text)")
    for name, value in PARAMS.items():
        parser.add_argument(f"--{name}", type=type(value), default=value)
    args = parser.parse_args(argv)
    params = {name: getattr(args, name) for name in PARAMS}
    start = time.perf_counter()
    build(args.out, params=params, quantize=args.quantize)
    digest = hashlib.sha256(open(args.out, "rb").read()).hexdigest()[:16]
    print(f"{args.out}: {os.path.getsize(args.out):,} bytes, sha256 {digest}, {time.perf_counter() - start:.1f} s, {params}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
