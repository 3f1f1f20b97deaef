"""All rule families for one batch, in TigerBot's order: instruction rules for SFT records first,
then messy-text rules for every record, then web-quality heuristics for web text."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from filters import instruction, messy, phrases, quality, textstats
from filters.verdicts import Verdicts
from pipelines.config import FieldNames, RecordFormat, RulesConfig


def joined_text(fmt: RecordFormat, columns: dict[str, pa.Array]) -> pa.Array:
    """The text the messy-text rules read: the document, or every SFT field joined by newlines."""
    if fmt is RecordFormat.web:
        return columns["text"]
    if fmt is RecordFormat.alpaca:
        return pc.binary_join_element_wise(columns["instruction"], columns["input"], columns["output"], "\n")
    conversations = columns["conversations"]
    values = pc.list_flatten(conversations).field("value")
    return pc.binary_join(pa.ListArray.from_arrays(conversations.offsets, values), "\n")


def evaluate(fmt: RecordFormat, columns: dict[str, pa.Array], cfg: RulesConfig, fields: FieldNames) -> Verdicts:
    n = len(next(iter(columns.values())))
    verdicts = Verdicts(n)
    if fmt is RecordFormat.alpaca:
        instruction.apply(verdicts, columns["instruction"], columns["input"], columns["output"], cfg.instruction)
    elif fmt is RecordFormat.sharegpt:
        asked, answered, blank = instruction.sharegpt_fields(columns["conversations"].to_pylist(), fields.human_speakers)
        instruction.apply(verdicts, pa.array(asked, pa.string()), pa.array([""] * n, pa.string()),
                          pa.array(answered, pa.string()), cfg.instruction, blank)
    text = joined_text(fmt, columns)
    stats = textstats.compute(text, cfg.text.char_ngram_size, cfg.spam.contact_digit_run)
    hits = phrases.count(text, cfg.spam.ad_phrases, cfg.spam.contact_phrases, cfg.markup.phrases, cfg.spam.jargon_phrases)
    web = fmt is RecordFormat.web
    max_markup = cfg.markup.web_max_markup_hits if web else cfg.markup.sft_max_markup_hits
    messy.apply(verdicts, text, stats, hits, cfg.text, cfg.spam, max_markup)
    if web:
        quality.apply(verdicts, stats, cfg.web)
    return verdicts


def check_text(text: str, cfg: RulesConfig) -> str | None:
    """The reason one web document fails the rules, or None."""
    verdicts = evaluate(RecordFormat.web, {"text": pa.array([text], pa.string())}, cfg, FieldNames())
    return verdicts.reasons[0]
