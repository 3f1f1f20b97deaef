"""Stage `sharegpt`: ShareGPT conversations cleaned (filters.conversations) and long ones split.

Runs right after `normalize`. Kept conversations carry their turns with HTML converted to markdown;
rejects keep the turns as they came. With conversations.max_tokens set, a conversation over it
(counted as the `tokens` stage counts: turns tokenized on their own, plus turn_overhead_tokens per
turn, plus the tokenizer's special tokens once when tokens.add_special_tokens) becomes pieces, each
a new record: id `{id}#{k}` (k from 1), `parent_id` the conversation's id, the other columns its
own; a piece holds whole exchanges (human turn + answer) and repeats any leading system prompt.
Every kept row has `parent_id` (null for a conversation kept whole).

Since one record may become several, apply() also leaves in `step.last_split` what it did to the
batch it was given: {"split_records": conversations split, "pieces": rows they became}, so that
records read = kept + rejected - pieces + split_records (the same numbers go to Beam counters
sharegpt/split_records and sharegpt/pieces).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from apache_beam.metrics import Metrics

from filters.conversations import Judged, Turns, judge, plan_pieces
from pipelines.config import FieldNames, RecordFormat
from pipelines.config_conversations import ConversationConfig, TokensConfig
from transforms.batches import mask_rows
from transforms.judge import split_by_verdicts
from transforms.tokens import count_tokens, load_tokenizer, special_tokens_per_sequence

PARENT_ID_FIELD = pa.field("parent_id", pa.string())


def with_parent_ids(batch: pa.RecordBatch, parent_ids: pa.Array) -> pa.RecordBatch:
    names = [n for n in batch.schema.names if n != PARENT_ID_FIELD.name]
    return pa.RecordBatch.from_arrays([*(batch.column(n) for n in names), parent_ids], names=[*names, PARENT_ID_FIELD.name])


def with_column(batch: pa.RecordBatch, name: str, values: pa.Array) -> pa.RecordBatch:
    index = batch.schema.get_field_index(name)
    return pa.RecordBatch.from_arrays([values if i == index else c for i, c in enumerate(batch.columns)],
                                      names=batch.schema.names)


def expand_pieces(batch: pa.RecordBatch, kept_rows: np.ndarray, plans: dict[int, list[tuple[int, int]]],
                  heads: np.ndarray) -> pa.RecordBatch:
    """The kept rows in order, each split one replaced by its pieces (ids `{id}#{k}`, parent_id set)."""
    conversations = batch.column("conversations")
    turns = Turns.of(conversations)
    flat = conversations.flatten()
    out_rows, seg_starts, seg_lengths, seg_owner, ids, parents = [], [], [], [], [], []
    batch_ids = batch.column("id")
    for row in kept_rows:
        start = int(turns.offsets[row])
        pieces = plans.get(int(row))
        if pieces is None:
            seg_owner.append(len(out_rows))
            seg_starts.append(start)
            seg_lengths.append(int(turns.offsets[row + 1]) - start)
            out_rows.append(row)
            ids.append(None)
            parents.append(None)
            continue
        parent = batch_ids[int(row)].as_py()
        head = int(heads[row])
        for k, (piece_start, piece_end) in enumerate(pieces, start=1):
            owner = len(out_rows)
            if head:
                seg_owner.append(owner)
                seg_starts.append(start)
                seg_lengths.append(head)
            seg_owner.append(owner)
            seg_starts.append(start + piece_start)
            seg_lengths.append(piece_end - piece_start)
            out_rows.append(row)
            ids.append(f"{parent}#{k}")
            parents.append(parent)
    seg_starts, seg_lengths = np.array(seg_starts, np.int64), np.array(seg_lengths, np.int64)
    ends = np.cumsum(seg_lengths)
    take = np.repeat(seg_starts - (ends - seg_lengths), seg_lengths) + np.arange(int(ends[-1]) if len(ends) else 0)
    per_row = np.bincount(np.array(seg_owner, np.int64), weights=seg_lengths, minlength=len(out_rows)).astype(np.int64)
    offsets = pa.array(np.r_[0, np.cumsum(per_row)], pa.int32())
    rows = batch.take(pa.array(out_rows, pa.int64()))
    rows = with_column(rows, "conversations", pa.ListArray.from_arrays(offsets, flat.take(pa.array(take)),
                                                                       type=conversations.type))
    old_ids = rows.column("id").to_pylist()
    rows = with_column(rows, "id", pa.array([new or old for new, old in zip(ids, old_ids)], pa.string()))
    return with_parent_ids(rows, pa.array(parents, pa.string()))


class ShareGPTStep:
    """The sharegpt stage as a step of a worker's per-record chain (transforms.process).

    apply(batch) -> (kept rows or None, reject rows or None), like every step; kept rows may outnumber
    the batch when conversations are split, and `last_split` tells by how much (module docstring).
    lang_allowed: lang.allowed, the languages a turn may be in when conversations.languages is null."""

    stage = "sharegpt"

    def __init__(self, fmt: RecordFormat, cfg: ConversationConfig, fields: FieldNames, tokens_cfg: TokensConfig,
                 lang_allowed: list[str] = ()):
        if fmt is not RecordFormat.sharegpt:
            raise ValueError(f"the sharegpt stage cleans ShareGPT records, not {fmt.value}")
        if cfg.max_tokens is not None and tokens_cfg.tokenizer is None:
            raise ValueError("conversations.max_tokens needs a tokenizer: set tokens.tokenizer")
        self.fmt, self.cfg, self.fields, self.tokens_cfg = fmt, cfg, fields, tokens_cfg
        self.languages = list(cfg.languages if cfg.languages is not None else lang_allowed)
        self.tokenizer = None
        self.last_split = {"split_records": 0, "pieces": 0}

    def setup(self) -> None:
        if self.cfg.max_tokens is not None and self.tokenizer is None:
            self.tokenizer = load_tokenizer(self.tokens_cfg.tokenizer)

    def plan_splits(self, judged: Judged) -> dict[int, list[tuple[int, int]]]:
        """Pieces of every kept conversation over max_tokens; those that cannot be split are rejected in judged.verdicts."""
        verdicts = judged.verdicts
        turns = Turns.of(judged.conversations)
        row_of = turns.row_of
        counted = np.flatnonzero(verdicts.kept[row_of])
        costs = np.zeros(len(turns.values), dtype=np.int64)
        if len(counted):
            texts = turns.values.take(pa.array(counted)).to_pylist()
            costs[counted] = count_tokens(self.tokenizer, texts, self.tokens_cfg.batch_size) + self.cfg.turn_overhead_tokens
        reserved = special_tokens_per_sequence(self.tokenizer) if self.tokens_cfg.add_special_tokens else 0
        totals = np.bincount(row_of, weights=costs, minlength=len(verdicts)).astype(np.int64) + reserved
        budget = self.cfg.max_tokens
        plans = {}
        for row in np.flatnonzero(verdicts.kept & (totals > budget)):
            start, end = turns.offsets[row], turns.offsets[row + 1]
            pieces, failure = plan_pieces(costs[start:end], judged.roles[start:end], int(judged.heads[row]), budget, reserved)
            if failure is None:
                plans[int(row)] = pieces
            else:
                reason, detail = failure
                verdicts.fail(np.arange(len(verdicts)) == row, reason, np.full(len(verdicts), detail["value"]),
                              detail["threshold"], turn=detail["turn"])
        return plans

    def apply(self, batch: pa.RecordBatch):
        judged = judge(batch.column("conversations"), self.cfg, self.fields, self.languages)
        plans = self.plan_splits(judged) if self.cfg.max_tokens is not None else {}
        _, rejects = split_by_verdicts(batch, judged.verdicts, self.stage)
        cleaned = with_column(batch, "conversations", judged.conversations)
        kept_rows = np.flatnonzero(judged.verdicts.kept)
        pieces = sum(len(p) for p in plans.values())
        self.last_split = {"split_records": len(plans), "pieces": pieces}
        Metrics.counter(self.stage, "html_turns").inc(judged.html_turns)
        Metrics.counter(self.stage, "split_records").inc(len(plans))
        Metrics.counter(self.stage, "pieces").inc(pieces)
        if not len(kept_rows):
            return None, rejects
        if plans:
            return expand_pieces(cleaned, kept_rows, plans, judged.heads), rejects
        kept = cleaned if len(kept_rows) == batch.num_rows else mask_rows(cleaned, judged.verdicts.kept)
        return with_parent_ids(kept, pa.nulls(kept.num_rows, pa.string())), rejects


def sharegpt_steps(cfg) -> list:
    """[ShareGPTStep] for ShareGPT input, else []: cfg is the WinnowConfig (with `conversations` and `tokens` sections)."""
    if cfg.ingest.format is not RecordFormat.sharegpt:
        return []
    return [ShareGPTStep(cfg.ingest.format, cfg.conversations, cfg.ingest.fields, cfg.tokens, cfg.lang.allowed)]
