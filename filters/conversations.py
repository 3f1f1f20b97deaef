"""ShareGPT conversations: HTML back to markdown, role and turn checks, and where to split long ones.

Vicuna cleaned ShareGPT this way (FastChat's clean_sharegpt and split_long_conversation): answers
rendered as HTML become markdown again, conversations whose roles do not alternate are dropped, and
conversations longer than the model's context are split at turn boundaries. Reasons, first failing:

  starts_with_assistant   the first turn after any system prompt is the assistant's
  roles_not_alternating   the turns do not go human, assistant, human, ...: a speaker of neither side, a system
                          prompt after the first turn, or two turns of one side in a row (detail: the turn)
  malformed_html          a turn that holds HTML the parser refuses
  empty_turn              some turn is blank (filters.instruction.sharegpt_columns), judged after HTML conversion
  unwanted_language       a turn whose letters (outside code and URLs) are mostly of scripts no allowed language uses
  truncated_last_turn     the conversation ends with an answer that was cut off (below)
  turn_too_long           splitting: one turn alone holds more than max_tokens
  exchange_too_long       splitting: a question and its answer (with the system prompt) hold more than max_tokens

HTML. A turn holds HTML when, outside markdown code (fenced blocks, `inline` spans), some element is
both opened and closed (<p>…</p>, <div class="markdown">…</div>); a lone tag ("use the <br> tag") or
HTML inside code is text. Only such turns are converted (markdownify), and by default only the
assistant's (ShareGPT rendered those; people paste HTML into questions). Code blocks (<pre>, with or
without <code class="language-x">) become fenced blocks holding the code's text verbatim, under a
fence longer than any backtick run in it; the copy-button header ChatGPT put inside <pre> is dropped.
Escaping of * and _ is off: prose reads as written. Every other turn is left byte for byte.

Truncation (final assistant turn only: an answer cut off and followed by "continue" is ordinary):
  - unclosed code: an odd number of fence lines (``` or ~~~ opening a line, no backtick after them),
    or, for a converted turn, a <pre> never closed in its HTML;
  - or, in an answer of at least truncation_min_chars characters, a last line that ends in ， , 、 ； ; ： :
    (the sentence goes on);
  - or, in such an answer, a last line of at least truncation_min_line_chars characters ending in a
    lower-case letter or a Han or kana character, written by someone who punctuates: the line holds an
    earlier sentence end ("… was done. Then the"), or, for a prose line, the line before it ends a
    sentence. Headings, table rows and indented lines never count; a list item counts only with a
    sentence end inside it (lists of bare items are common); a poem, whose lines go unpunctuated, does
    not count. A last line ending in a digit, symbol, closing bracket or quote, or a URL never does.
  Measured on bench/.data/devtext, real and complete zh/en documentation pages standing in for answers
  (1,720 zh and 2,970 en of 300+ characters): 2.2% (zh) and 5.2% (en) are judged truncated, most of them
  pages that end announcing what follows in the source ("… looks like this:", a code block the text
  rendering left out; in an answer, what it announces is missing); the letter rule alone judges 1.1% of
  each (figure captions and shell commands after a punctuated paragraph). The same pages cut at a random
  point are judged truncated 20% (zh) and 31% (en) of the time: cuts inside tables, lists, code and short
  lines go unseen. The bundled sample's 100 conversations: none judged truncated (its answers are short, so
  only the code rule applies to them).

Language. Each allowed language stands for its scripts (zh: Han; en and the other Latin-script
languages: Latin; ja: Han, Hiragana, Katakana; ko: Hangul, Han; ru: Cyrillic; ...). A turn of at least
language_min_letters letters is unwanted when letters of no allowed script hold more than
max_foreign_script_share of them. French passes where English is allowed (same script): the lang
stage judges whole records; this only catches turns plainly in another script. An allowed language
missing from SCRIPTS turns the check off (its script is unknown, so no turn can be called foreign).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from bs4.exceptions import ParserRejectedMarkup
from markdownify import MarkdownConverter

from filters.instruction import sharegpt_columns
from filters.verdicts import Verdicts
from pipelines.config import FieldNames
from pipelines.config_conversations import ConversationConfig
from pipelines.records import TURN_TYPE

HUMAN, ASSISTANT, SYSTEM, OTHER = 0, 1, 2, 3
TAIL_CHARS = 40  # characters of a truncated answer's end shown in its reject detail

_LATIN = ("en fr de es it pt nl sv da no nb nn fi pl cs sk sl hr bs ro hu tr vi id ms tl ca eu gl et lv lt sq is ga cy af "
          "sw az uz la eo lb mt oc br fy so yo ha ig zu xh")
SCRIPTS: dict[str, tuple[str, ...]] = {
    "zh": ("Han",), "yue": ("Han",), "wuu": ("Han",), "ja": ("Han", "Hiragana", "Katakana"), "ko": ("Hangul", "Han"),
    **{code: ("Latin",) for code in _LATIN.split()},
    **{code: ("Cyrillic",) for code in "ru uk be bg sr mk kk ky tg mn".split()},
    **{code: ("Arabic",) for code in "ar fa ur ps ug ckb sd".split()},
    **{code: ("Devanagari",) for code in "hi mr ne sa".split()},
    "el": ("Greek",), "he": ("Hebrew",), "yi": ("Hebrew",), "th": ("Thai",), "bn": ("Bengali",), "as": ("Bengali",),
    "ta": ("Tamil",), "te": ("Telugu",), "kn": ("Kannada",), "ml": ("Malayalam",), "gu": ("Gujarati",), "pa": ("Gurmukhi",),
    "si": ("Sinhala",), "ka": ("Georgian",), "hy": ("Armenian",), "km": ("Khmer",), "lo": ("Lao",), "my": ("Myanmar",),
    "am": ("Ethiopic",), "bo": ("Tibetan",),
}

HTML_ELEMENTS = ("p", "div", "span", "pre", "code", "a", "b", "i", "u", "s", "em", "strong", "del", "ul", "ol", "li",
                 "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "td", "th", "blockquote", "sup",
                 "sub", "dl", "dt", "dd", "details", "summary")
_ELEMENT = "|".join(HTML_ELEMENTS)
# RE2 prefilter over whole batches: a closing tag of a known element somewhere in the turn
_CLOSING_TAG = rf"(?i)</(?:{_ELEMENT})\s*>"
_OPEN_TAG = re.compile(rf"<({_ELEMENT})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_CLOSE_TAG = re.compile(rf"</({_ELEMENT})\s*>", re.IGNORECASE)
_MARKDOWN_CODE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)|`[^`\n]+`", re.MULTILINE | re.DOTALL)
_PRE_OPEN = re.compile(r"<pre\b", re.IGNORECASE)
_PRE_CLOSE = re.compile(r"</pre\s*>", re.IGNORECASE)
_BACKTICK_RUN = re.compile(r"`+")

# RE2, over whole batches
_CODE_AND_URLS = r"(?s)```.*?(?:```|$)|~~~.*?(?:~~~|$)|`[^`\n]*`|https?://\S+"
_FENCE_LINE = r"(?m)^[ \t]{0,3}(?:```|~~~)[^`\n]*$"
_LAST_LINE = r"(?P<line>[^\n]*)$"
_LINE_BEFORE_LAST = r"(?:^|\n)(?P<line>[^\n]*\S[^\n]*)\n(?:[ \t]*\n)*[^\n]*\S[^\n]*$"
_CONTINUES = r"[，,、；;：:]$"
_ENDS_IN_LETTER = r"[\p{Ll}\p{Lo}]$"
_ENDS_IN_URL = r"https?://\S+$"
_HEADING_TABLE_OR_INDENTED = r"^(?:[ \t]{0,3}#|\s*\||.*\|\s*$| {4}|\t)"
_LIST_ITEM = r"^\s*(?:[-*+•·]\s|\d{1,3}[.)、]\s?|[（(]\d{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．])"
_SENTENCE_END_INSIDE = r"\p{Ll}{2}[.!?][\"'”’)]*\s+[\"'“‘(]?\p{Lu}|[。！？][」』”’）)]*[^\s」』”’）)]"
_ENDS_SENTENCE = r"[.!?。！？…][\"'”’」』)）*_]*\s*$"


def language_scripts(languages: list[str]) -> list[str] | None:
    """The scripts of the allowed languages; None (no check) when the list is empty or names a language
    whose script is unknown."""
    if not languages or any(lang not in SCRIPTS for lang in languages):
        return None
    return sorted({script for lang in languages for script in SCRIPTS[lang]})


# --- HTML ---------------------------------------------------------------------------------------------

def holds_html(text: str) -> bool:
    """Whether the text, outside markdown code, has an HTML element both opened and closed."""
    prose = _MARKDOWN_CODE.sub(" ", text)
    opened = {name.lower() for name in _OPEN_TAG.findall(prose)}
    return bool(opened) and bool(opened & {name.lower() for name in _CLOSE_TAG.findall(prose)})


def _code_language(code) -> str:
    for name in code.get("class") or []:
        for prefix in ("language-", "lang-"):
            if name.startswith(prefix):
                return name[len(prefix):]
    return ""


class _Converter(MarkdownConverter):
    def convert_pre(self, el, text, parent_tags):
        code = el.find("code")
        source = (code if code is not None else el).get_text().strip("\n")
        if not source.strip():
            return ""
        language = _code_language(code) if code is not None else ""
        longest = max((len(run) for run in _BACKTICK_RUN.findall(source)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}{language}\n{source}\n{fence}\n\n"


_CONVERTER = _Converter(heading_style="atx", escape_asterisks=False, escape_underscores=False, escape_misc=False)


def html_to_markdown(html: str) -> tuple[str, bool]:
    """(markdown, whether a <pre> was left open: the code was cut off)."""
    unclosed_pre = len(_PRE_OPEN.findall(html)) > len(_PRE_CLOSE.findall(html))
    return _CONVERTER.convert(html), unclosed_pre


@dataclass
class Turns:
    """A batch's conversations as flat turn columns and per-conversation offsets (from 0)."""

    offsets: np.ndarray
    speakers: pa.Array
    values: pa.Array

    @classmethod
    def of(cls, conversations: pa.ListArray) -> "Turns":
        flat = pc.list_flatten(conversations)
        offsets = conversations.offsets.to_numpy().astype(np.int64)
        return cls(offsets - offsets[0], flat.field("from"), flat.field("value"))

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    @property
    def row_of(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.offsets) - 1), self.lengths)

    @property
    def position(self) -> np.ndarray:
        return np.arange(len(self.values)) - self.offsets[self.row_of]

    def conversations(self, values: pa.Array | None = None) -> pa.ListArray:
        turns = pa.StructArray.from_arrays([self.speakers, self.values if values is None else values],
                                           fields=list(TURN_TYPE.value_type))
        return pa.ListArray.from_arrays(pa.array(self.offsets, pa.int32()), turns, type=TURN_TYPE)


def convert_html_turns(values: pa.Array, candidates: np.ndarray) -> tuple[pa.Array, np.ndarray, np.ndarray, dict[int, str]]:
    """(values with HTML turns converted, which turns were converted, which had a <pre> left open,
    {turn: parser error} of turns the parser refused) among the candidate turns."""
    converted = np.zeros(len(values), dtype=bool)
    open_code = np.zeros(len(values), dtype=bool)
    errors: dict[int, str] = {}
    found = pc.fill_null(pc.match_substring_regex(values, _CLOSING_TAG), False).to_numpy(zero_copy_only=False)
    indices = np.flatnonzero(found & candidates)
    if not len(indices):
        return values, converted, open_code, errors
    replacements = []
    for index, text in zip(indices, values.take(pa.array(indices)).to_pylist()):
        if not holds_html(text):
            continue
        try:
            markdown, unclosed = html_to_markdown(text)
        except ParserRejectedMarkup as error:
            errors[int(index)] = str(error)
            continue
        converted[index], open_code[index] = True, unclosed
        replacements.append(markdown)
    if not replacements:
        return values, converted, open_code, errors
    return pc.replace_with_mask(values, pa.array(converted), pa.array(replacements, pa.string())), converted, open_code, errors


# --- roles --------------------------------------------------------------------------------------------

def role_codes(speakers: pa.Array, cfg: ConversationConfig, fields: FieldNames) -> np.ndarray:
    """HUMAN, ASSISTANT, SYSTEM or OTHER per turn (a name on both sides counts as human)."""
    codes = np.full(len(speakers), OTHER, dtype=np.int8)
    for code, names in ((SYSTEM, cfg.system_speakers), (ASSISTANT, cfg.assistant_speakers), (HUMAN, fields.human_speakers)):
        hit = pc.fill_null(pc.is_in(speakers, value_set=pa.array(names, pa.string())), False)
        codes[hit.to_numpy(zero_copy_only=False)] = code
    return codes


def first_per_row(mask: np.ndarray, row_of: np.ndarray, rows: int, default: int = -1) -> np.ndarray:
    """Per row, the flat index of its first turn where mask holds (turns are in row order), else default."""
    out = np.full(rows, default, dtype=np.int64)
    hits = np.flatnonzero(mask)
    owners, first = np.unique(row_of[hits], return_index=True)
    out[owners] = hits[first]
    return out


def system_heads(turns: Turns, roles: np.ndarray) -> np.ndarray:
    """Per conversation, how many system turns lead it."""
    rows = len(turns.offsets) - 1
    first_other = first_per_row(roles != SYSTEM, turns.row_of, rows)
    return np.where(first_other >= 0, first_other - turns.offsets[:-1], turns.lengths)


def role_faults(turns: Turns, roles: np.ndarray, heads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts with the assistant, flat index of the first turn out of order or -1) per conversation."""
    rows = len(turns.offsets) - 1
    row_of = turns.row_of
    body = turns.position - heads[row_of]
    expected = np.where(body % 2 == 0, HUMAN, ASSISTANT)
    misplaced = first_per_row((body >= 0) & (roles != expected), row_of, rows)
    starts_with_assistant = np.zeros(rows, dtype=bool)
    has_body = np.flatnonzero(heads < turns.lengths)
    starts_with_assistant[has_body] = roles[turns.offsets[has_body] + heads[has_body]] == ASSISTANT
    return starts_with_assistant, misplaced


# --- language -----------------------------------------------------------------------------------------

def foreign_script_share(values: pa.Array, scripts: list[str], min_letters: int) -> np.ndarray:
    """Per turn, the share of its letters (outside code and URLs) in none of the scripts; 0 under min_letters letters."""
    prose = pc.replace_substring_regex(pc.fill_null(values, ""), _CODE_AND_URLS, " ")
    allowed = "".join(f"\\p{{{script}}}" for script in scripts)
    foreign = pc.utf8_length(pc.replace_substring_regex(prose, f"[{allowed}\\PL]+", "")).to_numpy(zero_copy_only=False)
    share = np.zeros(len(values))
    suspects = np.flatnonzero(foreign > 0)
    if len(suspects):
        letters = pc.utf8_length(pc.replace_substring_regex(prose.take(pa.array(suspects)), r"\PL+", ""))
        letters = letters.to_numpy(zero_copy_only=False).astype(np.float64)
        judged = letters >= min_letters
        share[suspects[judged]] = foreign[suspects[judged]] / letters[judged]
    return share


# --- truncation ---------------------------------------------------------------------------------------

def _matches(texts: pa.Array, pattern: str) -> np.ndarray:
    return pc.fill_null(pc.match_substring_regex(texts, pattern), False).to_numpy(zero_copy_only=False)


def truncation(answers: pa.Array, open_code: np.ndarray, cfg: ConversationConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks (unclosed code, sentence goes on, no sentence end) over final answers; see the module docstring."""
    text = pc.utf8_rtrim_whitespace(pc.fill_null(answers, ""))
    fences = pc.count_substring_regex(text, _FENCE_LINE).to_numpy(zero_copy_only=False)
    unclosed = (fences % 2 == 1) | open_code
    long = pc.utf8_length(text).to_numpy(zero_copy_only=False) >= cfg.truncation_min_chars
    last = pc.struct_field(pc.extract_regex(text, _LAST_LINE), [0])
    before = pc.fill_null(pc.struct_field(pc.extract_regex(text, _LINE_BEFORE_LAST), [0]), "")
    bare = pc.replace_substring_regex(last, r"[*_~]+\s*$", "")
    judged = long & ~unclosed & ~_matches(last, _HEADING_TABLE_OR_INDENTED)
    goes_on = judged & _matches(bare, _CONTINUES)
    line_long = pc.utf8_length(last).to_numpy(zero_copy_only=False) >= cfg.truncation_min_line_chars
    open_end = judged & line_long & _matches(bare, _ENDS_IN_LETTER) & ~_matches(bare, _ENDS_IN_URL)
    punctuated_before = _matches(before, _ENDS_SENTENCE) & ~_matches(before, _LIST_ITEM)
    writer_punctuates = _matches(last, _SENTENCE_END_INSIDE) | (~_matches(last, _LIST_ITEM) & punctuated_before)
    return unclosed, goes_on & ~unclosed, open_end & writer_punctuates & ~goes_on


# --- the whole judgement ------------------------------------------------------------------------------

@dataclass
class Judged:
    """What judge() found: the conversations with HTML converted, the verdicts, each turn's role code
    and each conversation's count of leading system turns, and how many turns were converted."""

    conversations: pa.ListArray
    verdicts: Verdicts
    roles: np.ndarray
    heads: np.ndarray
    html_turns: int


def fail_by_turn(verdicts: Verdicts, mask: np.ndarray, reason: str, turn: np.ndarray, value=None, threshold=None,
                 **per_row: np.ndarray) -> None:
    """verdicts.fail with the turn's position (and per-row facts) in each detail, one call per distinct combination
    (only rejected rows are visited)."""
    names = list(per_row)
    groups: dict[tuple, list[int]] = {}
    for row in np.flatnonzero(mask):
        groups.setdefault((int(turn[row]), *(per_row[name][row] for name in names)), []).append(row)
    for key, members in groups.items():
        rows = np.zeros(len(mask), dtype=bool)
        rows[members] = True
        verdicts.fail(rows, reason, value, threshold, turn=key[0], **dict(zip(names, key[1:])))


def judge(conversations: pa.ListArray, cfg: ConversationConfig, fields: FieldNames, languages: list[str]) -> Judged:
    """Convert HTML turns and judge every conversation of a batch (reasons in the module docstring, in order).

    languages: the allowed languages (cfg.languages when set, else lang.allowed, resolved by the caller)."""
    turns = Turns.of(conversations)
    rows = len(turns.offsets) - 1
    roles = role_codes(turns.speakers, cfg, fields)
    heads = system_heads(turns, roles)
    verdicts = Verdicts(rows)
    row_of, starts = turns.row_of, turns.offsets[:-1]

    starts_with_assistant, misplaced = role_faults(turns, roles, heads)
    verdicts.fail(starts_with_assistant, "starts_with_assistant")
    out_of_order = misplaced >= 0
    if out_of_order.any():
        speakers = np.array(turns.speakers.take(pa.array(np.maximum(misplaced, 0))).to_pylist(), dtype=object)
        fail_by_turn(verdicts, out_of_order, "roles_not_alternating", misplaced - starts, speaker=speakers)

    values, converted = turns.values, np.zeros(len(turns.values), bool)
    open_code = np.zeros(len(turns.values), bool)
    if cfg.html_to_markdown:
        candidates = np.ones(len(values), bool) if cfg.html_turns == "all" else roles == ASSISTANT
        values, converted, open_code, errors = convert_html_turns(values, candidates)
        for turn, error in errors.items():
            row = row_of[turn]
            verdicts.fail(np.arange(rows) == row, "malformed_html", turn=int(turn - starts[row]), error=error)
    rebuilt = turns.conversations(values)

    _, _, blank = sharegpt_columns(rebuilt, fields.human_speakers)
    verdicts.fail(blank, "empty_turn")

    scripts = language_scripts(languages)
    if scripts is not None and len(values):
        share = foreign_script_share(values, scripts, cfg.language_min_letters)
        first = first_per_row(share > cfg.max_foreign_script_share, row_of, rows)
        fail_by_turn(verdicts, first >= 0, "unwanted_language", first - starts, share[np.maximum(first, 0)],
                     cfg.max_foreign_script_share)

    if cfg.check_truncation and len(values):
        last = turns.offsets[1:] - 1
        final = np.flatnonzero((turns.lengths > 0) & (roles[np.maximum(last, 0)] == ASSISTANT))
        masks = [np.zeros(rows, bool) for _ in range(3)]
        tails = np.empty(rows, dtype=object)
        if len(final):
            answers = values.take(pa.array(last[final]))
            for out, found in zip(masks, truncation(answers, open_code[last[final]], cfg)):
                out[final] = found
            tail = pc.utf8_slice_codeunits(pc.utf8_rtrim_whitespace(answers), -TAIL_CHARS)
            tails[final] = tail.to_pylist()
        for found, kind in zip(masks, ("unclosed_code", "sentence_goes_on", "no_sentence_end")):
            verdicts.fail(found, "truncated_last_turn", tails, kind=kind)

    return Judged(rebuilt, verdicts, roles, heads, int(converted.sum()))


# --- splitting ----------------------------------------------------------------------------------------

def plan_pieces(costs: np.ndarray, roles: np.ndarray, head: int, budget: int, reserved: int = 0
                ) -> tuple[list[tuple[int, int]], None] | tuple[None, tuple[str, dict]]:
    """Split one conversation that exceeds the budget: (pieces, None) or (None, (reason, detail)).

    costs: tokens of each turn; roles: role codes; head: leading system turns, which every piece repeats;
    reserved: tokens every piece carries besides its turns (special tokens). A piece is a [start, end) range
    of turns after the head; its cost is reserved + the head's + its turns'. Exchanges (a human turn and the
    answer after it; a final unanswered question alone) are packed in order, greedily, never split."""
    over = np.flatnonzero(costs + reserved > budget)
    if len(over):
        turn = int(over[0])
        return None, ("turn_too_long", {"turn": turn, "value": int(costs[turn]) + reserved, "threshold": budget})
    head_cost = reserved + int(costs[:head].sum())
    if head_cost > budget:
        return None, ("exchange_too_long", {"turn": 0, "value": head_cost, "threshold": budget})
    exchanges = []
    start = head
    while start < len(costs):
        end = start + 2 if start + 1 < len(costs) and roles[start + 1] == ASSISTANT else start + 1
        exchanges.append((start, end, int(costs[start:end].sum())))
        start = end
    pieces: list[tuple[int, int]] = []
    piece_start, used = head, head_cost
    for start, end, cost in exchanges:
        if head_cost + cost > budget:
            return None, ("exchange_too_long", {"turn": start, "value": head_cost + cost, "threshold": budget})
        if used + cost > budget:
            pieces.append((piece_start, start))
            piece_start, used = start, head_cost
        used += cost
    pieces.append((piece_start, len(costs)))
    return pieces, None
