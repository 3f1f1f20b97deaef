"""Stage `tokens`: an int64 `tokens` column on every record, counted with a local transformers tokenizer.

A record's count is the sum over its content (web: `text`; alpaca: instruction, input and output;
ShareGPT: every turn's value), each piece tokenized on its own without special tokens, plus, when
tokens.add_special_tokens is on, the special tokens the tokenizer adds to one sequence, once. For a
web text that is exactly len(tokenizer(text, add_special_tokens=...)["input_ids"]). Texts go to the
tokenizer in lists of tokens.batch_size (the fast tokenizers' batch encoder, without offsets). The
stage never rejects. The tokenizer is a folder (or a tokenizer.json file) on the local disk or on any
Beam filesystem (copied locally once per worker); nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from pipelines.config import RecordFormat
from pipelines.config_conversations import TokensConfig
from pipelines.records import content_columns

TOKENS_FIELD = pa.field("tokens", pa.int64())


def _copy(remote: str, local: str) -> None:
    with FileSystems.open(remote, compression_type=CompressionTypes.UNCOMPRESSED) as source, open(local, "wb") as copy:
        shutil.copyfileobj(source, copy)


def _load_local(path: str):
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    if os.path.isdir(path):
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    elif os.path.isfile(path):
        tokenizer = PreTrainedTokenizerFast(tokenizer_file=path)
    else:
        raise FileNotFoundError(f"tokens.tokenizer: no tokenizer folder or file at {path}")
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None:  # a tokenizer.json may ask for truncation or padding: counts must see every token
        backend.no_truncation()
        backend.no_padding()
    return tokenizer


def load_tokenizer(path: str):
    """The transformers tokenizer at path: a folder of tokenizer files or a tokenizer.json, local or on any
    Beam filesystem (gs://, s3://, ...), whose files are copied to a temporary folder first."""
    if FileSystems.get_scheme(path) in (None, "file"):
        return _load_local(path)
    with tempfile.TemporaryDirectory(prefix="winnow-tokenizer-") as folder:
        found = [m.path for m in FileSystems.match([path])[0].metadata_list]
        if path in found:  # a single file
            local = os.path.join(folder, path.rstrip("/").rsplit("/", 1)[-1])
            _copy(path, local)
        else:
            pattern = FileSystems.join(path.rstrip("/"), "*")
            files = [m.path for m in FileSystems.match([pattern])[0].metadata_list]
            if not files:
                raise FileNotFoundError(f"tokens.tokenizer: no tokenizer files under {path}")
            for remote in files:
                _copy(remote, os.path.join(folder, remote.rstrip("/").rsplit("/", 1)[-1]))
            local = folder
        return _load_local(local)  # tokenizers read their files whole, so the copy can go


def count_tokens(tokenizer, texts: list[str], batch_size: int, add_special_tokens: bool = False) -> np.ndarray:
    """Tokens of every text (int64), the tokenizer called on lists of batch_size texts.

    tokenizer: a transformers tokenizer, or a `tokenizers.Tokenizer`."""
    counts = np.zeros(len(texts), dtype=np.int64)
    backend = tokenizer if hasattr(tokenizer, "encode_batch_fast") else getattr(tokenizer, "backend_tokenizer", None)
    # a raw tokenizers.Tokenizer counts as configured; a transformers one's backend only when it neither truncates nor pads
    fast = backend is tokenizer or (backend is not None and backend.truncation is None and backend.padding is None)
    for start in range(0, len(texts), batch_size):
        chunk = texts[start:start + batch_size]
        if fast:
            encodings = backend.encode_batch_fast(chunk, add_special_tokens=add_special_tokens)
            counts[start:start + len(chunk)] = [len(encoding) for encoding in encodings]
        else:
            ids = tokenizer(chunk, add_special_tokens=add_special_tokens, return_attention_mask=False,
                            return_token_type_ids=False, verbose=False)["input_ids"]
            counts[start:start + len(chunk)] = [len(sequence) for sequence in ids]
    return counts


def special_tokens_per_sequence(tokenizer) -> int:
    """How many special tokens the tokenizer adds to one sequence (BOS/EOS, [CLS]/[SEP], ...)."""
    if hasattr(tokenizer, "num_special_tokens_to_add"):
        return int(tokenizer.num_special_tokens_to_add(pair=False))
    processor = getattr(tokenizer, "post_processor", None)
    return int(processor.num_special_tokens_to_add(False)) if processor is not None else 0


def content_pieces(batch: pa.RecordBatch, fmt: RecordFormat) -> tuple[pa.Array, np.ndarray]:
    """(every content text of the batch, the row each belongs to): fields in order, turns in order."""
    pieces, owners = [], []
    rows = np.arange(batch.num_rows)
    for name in content_columns(fmt):
        column = batch.column(name)
        if pa.types.is_list(column.type):
            offsets = column.offsets.to_numpy()
            pieces.append(pc.list_flatten(column).field("value"))
            owners.append(np.repeat(rows, np.diff(offsets)))
        else:
            pieces.append(column)
            owners.append(rows)
    texts = pc.fill_null(pa.concat_arrays([p.cast(pa.string()) for p in pieces]), "") if pieces else pa.array([], pa.string())
    return texts, np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)


def record_tokens(batch: pa.RecordBatch, fmt: RecordFormat, tokenizer, cfg: TokensConfig) -> np.ndarray:
    """Tokens of every record of the batch (see the module docstring)."""
    texts, owners = content_pieces(batch, fmt)
    counts = count_tokens(tokenizer, texts.to_pylist(), cfg.batch_size)
    totals = np.bincount(owners, weights=counts, minlength=batch.num_rows).astype(np.int64)
    if cfg.add_special_tokens:
        totals += special_tokens_per_sequence(tokenizer)
    return totals


def with_tokens(batch: pa.RecordBatch, tokens: np.ndarray) -> pa.RecordBatch:
    """The batch with its `tokens` column set (appended, or replaced where it was)."""
    names = [n for n in batch.schema.names if n != TOKENS_FIELD.name]
    arrays = [batch.column(n) for n in names]
    return pa.RecordBatch.from_arrays([*arrays, pa.array(tokens, pa.int64())], names=[*names, TOKENS_FIELD.name])


class TokenCountStep:
    """The tokens stage as a step of a worker's per-record chain (transforms.process): apply(batch) returns
    (the batch with `tokens`, None); it never rejects."""

    stage = "tokens"

    def __init__(self, fmt: RecordFormat, cfg: TokensConfig):
        if cfg.tokenizer is None:
            raise ValueError("the tokens stage needs tokens.tokenizer")
        self.fmt = fmt
        self.cfg = cfg
        self.tokenizer = None

    def setup(self) -> None:
        if self.tokenizer is None:
            self.tokenizer = load_tokenizer(self.cfg.tokenizer)

    def apply(self, batch: pa.RecordBatch):
        tokens = record_tokens(batch, self.fmt, self.tokenizer, self.cfg)
        Metrics.counter(self.stage, "records").inc(batch.num_rows)
        Metrics.counter(self.stage, "tokens").inc(int(tokens.sum()))
        return with_tokens(batch, tokens), None


def token_steps(cfg) -> list:
    """[TokenCountStep] when cfg.tokens.tokenizer is set, else []: cfg is the WinnowConfig (with a `tokens` section)."""
    tokens: TokensConfig = cfg.tokens
    return [TokenCountStep(cfg.ingest.record_kind, tokens)] if tokens.tokenizer is not None else []
