"""All rule families for one batch, in TigerBot's order: instruction rules for SFT records first,
then messy-text rules for every record, then, for web text, keyword stuffing, garbled words and the
Gopher/C4 heuristics (the specific diagnoses before the generic ones).

Before anything is judged, web text loses its boilerplate lines (filters.boilerplate) and mojibake
is repaired where it can be (filters.mojibake); both are noted per record in the `cleaned` column
(JSON, null when nothing changed). Kept records carry the cleaned text; rejected ones keep the text
as it came, so a reject shows what was judged bad.

A batch costs one Aho-Corasick pass (filters.phrases: phrase hits, boilerplate candidate lines, the
GBK residue) and one compiled statistics pass (filters.textstats), both over the Arrow buffers; only
the rows that cleaning changed are passed over again, and only flagged rows reach Python (ftfy,
GBK round trips, stray control characters).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from filters import boilerplate, instruction, keywords, messy, mojibake, phrases, quality, textstats, unknown_words
from filters.boilerplate import replace_rows
from filters.verdicts import Verdicts
from pipelines.config import FieldNames, RecordFormat, RulesConfig

CLEANED = "cleaned"


@dataclass(frozen=True)
class RulesOutcome:
    verdicts: Verdicts
    columns: dict[str, pa.Array]  # the content columns: cleaned where kept, as they came where rejected
    cleaned: pa.Array  # string: JSON note of what cleaning changed, or null


@dataclass(frozen=True)
class MojibakeOutcome:
    """Per row: repair failed (reject), its kind and garbled share (for the detail)."""

    failed: np.ndarray
    kinds: np.ndarray  # object: the mojibake kind found, "" where none
    garbled: np.ndarray


def joined_text(fmt: RecordFormat, columns: dict[str, pa.Array]) -> pa.Array:
    """The text the messy-text rules read: the document, or every SFT field joined by newlines."""
    if fmt is RecordFormat.web:
        return columns["text"]
    if fmt is RecordFormat.alpaca:
        return pc.binary_join_element_wise(columns["instruction"], columns["input"], columns["output"], "\n")
    conversations = columns["conversations"]
    values = pc.list_flatten(conversations).field("value")
    return pc.binary_join(pa.ListArray.from_arrays(conversations.offsets, values), "\n")


def text_stats(text: pa.Array, cfg: RulesConfig, web: bool) -> textstats.TextStats:
    kw, words = cfg.keywords, cfg.unknown_words
    return textstats.compute(
        text, cfg.text.char_ngram_size, cfg.spam.contact_digit_run,
        word_ngram_sizes=keywords.ngram_sizes(kw) if web else (),
        keyword_min_items=kw.keyword_min_items, keyword_max_item_words=kw.keyword_max_item_words,
        title_max_item_words=kw.title_max_item_words,
        rare_han_ratio=cfg.text.max_rare_han_line_ratio, rare_min_han=cfg.text.min_han_for_rare_check,
        prose_min_run=words.min_run_words, judge_min_run=words.min_judged_run_words, min_word_chars=words.min_word_chars,
        min_ellipsis_words=cfg.web.min_ellipsis_line_words, deep_share=keywords.deep_share(kw),
        deep_coverage=kw.min_phrase_coverage, phrase_min_sentences=kw.min_phrase_sentences,
        words=unknown_words.word_tables(words.wordlist) if web and words.enabled else None,
        ngram_floor=cfg.text.max_dup_char_ngram_ratio,  # the rules ask only whether shares exceed their thresholds
        top_floor=keywords.top_floor(kw) if web else None, phrase_floor=keywords.phrase_floor(kw),
    )


def phrase_scan(text: pa.Array, cfg: RulesConfig, boilerplate_lines: bool) -> phrases.Scan:
    """The batch's Aho-Corasick pass: phrase hits, and boilerplate candidate lines when asked for."""
    spam, lines = cfg.spam, cfg.boilerplate
    return phrases.scan(text, spam.ad_phrases, spam.contact_phrases, cfg.markup.phrases, spam.jargon_phrases,
                        lines.keywords if boilerplate_lines else (), lines.max_line_chars, spam.contact_window,
                        spam.contact_digit_run)


def judge(fmt: RecordFormat, columns: dict[str, pa.Array], cfg: RulesConfig, fields: FieldNames) -> RulesOutcome:
    """Clean and judge one batch of records (content columns by name)."""
    columns = {name: (c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c) for name, c in columns.items()}
    n = len(next(iter(columns.values())))
    verdicts = Verdicts(n)
    notes: dict[int, dict] = {}  # what cleaning changed, by row
    work = dict(columns)
    if fmt is RecordFormat.alpaca:
        instruction.apply(verdicts, columns["instruction"], columns["input"], columns["output"], cfg.instruction)
    elif fmt is RecordFormat.sharegpt:
        asked, answered, blank = instruction.sharegpt_columns(columns["conversations"], fields.human_speakers)
        instruction.apply(verdicts, asked, pa.repeat("", n), answered, cfg.instruction, blank)
    web = fmt is RecordFormat.web
    found = phrase_scan(joined_text(fmt, work), cfg, web and cfg.boilerplate.enabled)
    removal = None
    if web and cfg.boilerplate.enabled:
        removal = boilerplate.remove_lines(columns["text"], cfg.boilerplate.patterns, cfg.boilerplate.max_line_chars,
                                           cfg.boilerplate.keywords, found)
        if removal.changed.any():
            work["text"] = removal.texts
            for row in np.flatnonzero(removal.changed):
                notes[int(row)] = {"boilerplate": {"lines": int(removal.lines[row]), "chars": int(removal.chars[row]),
                                              "patterns": removal.patterns[row]}}
    touched = removal.changed.copy() if removal is not None else np.zeros(n, dtype=bool)
    text = joined_text(fmt, work)
    stats = text_stats(text, cfg, web)
    moji = None
    repaired = np.zeros(0, dtype=np.int64)
    if cfg.text.strip_terminal_codes:
        repaired = _strip_terminal_codes(fmt, work, stats, notes)
    if cfg.text.mojibake and cfg.text.repair_mojibake:
        moji, fixed = _repair_mojibake(fmt, work, text, stats, found.hits.residue, cfg, notes)
        repaired = np.union1d(repaired, fixed)
        repaired = np.union1d(repaired, _drop_c1_residue(fmt, work, stats, moji, cfg, notes))
    if len(repaired):
        touched[repaired] = True
        text = joined_text(fmt, work)
        stats = stats.patched(repaired, text_stats(text.take(pa.array(repaired)), cfg, web))
    hits = found.hits
    changed = np.flatnonzero(touched)
    if len(changed):  # lines removed or characters repaired: those rows are scanned again
        hits = hits.patched(changed, phrase_scan(text.take(pa.array(changed)), cfg, False).hits)
    if removal is not None:
        short = removal.changed & (stats.words < cfg.boilerplate.min_words_left)
        verdicts.fail(short, "boilerplate", stats.words, cfg.boilerplate.min_words_left)
    max_markup = cfg.markup.web_max_markup_hits if web else cfg.markup.sft_max_markup_hits
    messy.apply(verdicts, text, stats, hits, cfg.text, cfg.spam, max_markup, moji, cfg.markup.max_markup_per_1k_chars)
    if web:  # the specific diagnoses before the generic Gopher/C4 heuristics
        keywords.apply(verdicts, stats, cfg.keywords)
        unknown_words.apply(verdicts, stats, cfg.unknown_words)
        quality.apply(verdicts, stats, cfg.web)
    revert = np.flatnonzero(touched & ~verdicts.kept)
    for name in columns:
        if work[name] is not columns[name] and len(revert):
            work[name] = replace_rows(work[name], revert, columns[name].take(pa.array(revert)))
    noted = np.array(sorted(notes), dtype=np.int64)
    cleaned = replace_rows(pa.nulls(n, pa.string()), noted,
                           pa.array([json.dumps(notes[row], ensure_ascii=False, sort_keys=True) for row in noted.tolist()],
                                    pa.string()))
    return RulesOutcome(verdicts, work, cleaned)


def _repair_mojibake(fmt: RecordFormat, work: dict[str, pa.Array], text: pa.Array, stats: textstats.TextStats,
                     residue: np.ndarray, cfg: RulesConfig, notes: dict[int, dict]) -> tuple[MojibakeOutcome, np.ndarray]:
    """Repair the rows the statistics flag, field by field, in `work`; (outcome, rows whose fields changed)."""
    rules = cfg.text
    n = len(text)
    failed = np.zeros(n, dtype=bool)
    kinds = np.full(n, "", dtype=object)
    garbled = np.zeros(n, dtype=np.float64)
    gbk = mojibake.gbk_mojibake_mask(text, stats.han, stats.common_han, rules.max_rare_han_ratio, rules.min_han_for_rare_check,
                                     stats.rare_han_lines, residue)
    candidates = np.flatnonzero((stats.latin1_mojibake_pairs > 0) | gbk)
    if not len(candidates):
        return MojibakeOutcome(failed, kinds, garbled), candidates
    def repair(value: str, row: int) -> str:
        fixes = []
        if gbk[row]:
            fixes.append(mojibake.repair_gbk(value, rules.max_rare_han_ratio, rules.min_han_for_rare_check,
                                             rules.max_rare_han_line_ratio))
        result = value if not fixes or fixes[-1] is None or fixes[-1].text is None else fixes[-1].text
        if stats.latin1_mojibake_pairs[row] > 0:
            fixes.append(mojibake.repair_cp1252(result))
        for fix in fixes:
            if fix is None:
                continue
            kinds[row] = kinds[row] or fix.kind
            if fix.text is None:
                failed[row], kinds[row], garbled[row] = True, fix.kind, 1.0
                return value
            garbled[row] = max(garbled[row], fix.garbled)
            result = fix.text
        return result

    repaired = _repair_fields(fmt, work, candidates, repair)
    failed |= garbled > rules.max_garbled_share
    for row in repaired:
        if not failed[row]:
            notes.setdefault(int(row), {})["mojibake"] = {"kind": kinds[row], "garbled_share": round(float(garbled[row]), 4)}
    return MojibakeOutcome(failed, kinds, garbled), repaired


def _repair_fields(fmt: RecordFormat, work: dict[str, pa.Array], candidates: np.ndarray, repair) -> np.ndarray:
    """Apply repair(value, row) to every content field of the candidate rows, in `work`; the rows that changed."""
    repaired_rows: list[int] = []
    for name in _content_names(fmt):
        column = work[name]
        if pa.types.is_list(column.type):
            work[name] = _repair_turns(column, candidates, repair, repaired_rows)
            continue
        values = column.take(pa.array(candidates)).to_pylist()
        new_values = [None if v is None else repair(v, int(row)) for v, row in zip(values, candidates)]
        changed = [k for k, (a, b) in enumerate(zip(values, new_values)) if a != b]
        if changed:
            rows = candidates[changed]
            work[name] = replace_rows(column, rows, pa.array([new_values[k] for k in changed], pa.string()))
            repaired_rows.extend(rows.tolist())
    return np.array(sorted(set(repaired_rows)), dtype=np.int64)


def _drop_c1_residue(fmt: RecordFormat, work: dict[str, pa.Array], stats: textstats.TextStats, moji: MojibakeOutcome,
                     cfg: RulesConfig, notes: dict[int, dict]) -> np.ndarray:
    """Remove the few C1 controls that the mojibake repair left (bytes of a character whose lead byte was lost:
    nothing to repair them from); rows with more keep them, for control_chars to judge."""
    per_1k = np.divide(stats.c1_controls * 1000.0, stats.chars, out=np.zeros(len(stats)), where=stats.chars > 0)
    candidates = np.flatnonzero((stats.c1_controls > 0) & (per_1k <= cfg.text.max_c1_residue_per_1k) & ~moji.failed)
    if not len(candidates):
        return candidates
    removed = np.zeros(len(stats), dtype=np.int64)

    def drop(value: str, row: int) -> str:
        kept = messy.C1_CONTROLS.sub("", value)
        removed[row] += len(value) - len(kept)
        return kept

    changed = _repair_fields(fmt, work, candidates, drop)
    for row in changed:
        notes.setdefault(int(row), {})["c1_controls"] = {"chars": int(removed[row])}
    return changed


def _strip_terminal_codes(fmt: RecordFormat, work: dict[str, pa.Array], stats: textstats.TextStats,
                          notes: dict[int, dict]) -> np.ndarray:
    """Remove terminal escape sequences and backspace overstrikes where the text has control characters."""
    candidates = np.flatnonzero(stats.control > 0)
    if not len(candidates):
        return candidates
    removed = np.zeros(len(stats), dtype=np.int64)

    def strip(value: str, row: int) -> str:
        stripped = messy.strip_terminal_codes(value)
        removed[row] += len(value) - len(stripped)
        return stripped

    changed = _repair_fields(fmt, work, candidates, strip)
    for row in changed:
        notes.setdefault(int(row), {})["terminal_codes"] = {"chars": int(removed[row])}
    return changed


def _content_names(fmt: RecordFormat) -> list[str]:
    if fmt is RecordFormat.web:
        return ["text"]
    if fmt is RecordFormat.alpaca:
        return ["instruction", "input", "output"]
    return ["conversations"]


def _repair_turns(column: pa.Array, candidates: np.ndarray, repair, repaired_rows: list[int]) -> pa.Array:
    conversations = column.take(pa.array(candidates)).to_pylist()
    changed_rows, changed_values = [], []
    for row, turns in zip(candidates.tolist(), conversations):
        new_turns = [{**turn, "value": repair(turn["value"], row)} for turn in turns or []]
        if new_turns != (turns or []):
            changed_rows.append(row)
            changed_values.append(new_turns)
    if not changed_rows:
        return column
    repaired_rows.extend(changed_rows)
    return replace_rows(column, np.array(changed_rows), pa.array(changed_values, column.type))


def evaluate(fmt: RecordFormat, columns: dict[str, pa.Array], cfg: RulesConfig, fields: FieldNames) -> Verdicts:
    """The verdicts of judge() alone."""
    return judge(fmt, columns, cfg, fields).verdicts


def check_text(text: str, cfg: RulesConfig) -> str | None:
    """The reason one web document fails the rules, or None."""
    verdicts = evaluate(RecordFormat.web, {"text": pa.array([text], pa.string())}, cfg, FieldNames())
    return verdicts.reasons[0]


def clean_text(text: str, cfg: RulesConfig) -> tuple[str | None, str, dict | None]:
    """(reason or None, the text as kept, the cleaned note) of one web document."""
    outcome = judge(RecordFormat.web, {"text": pa.array([text], pa.string())}, cfg, FieldNames())
    note = outcome.cleaned[0].as_py()
    return outcome.verdicts.reasons[0], outcome.columns["text"][0].as_py(), None if note is None else json.loads(note)
