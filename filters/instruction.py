"""TigerBot's rules for instruction (SFT) records.

  empty_instruction             nothing but whitespace
  instruction_only_punctuation  no letter, CJK character or digit: "？！。。..."
  instruction_only_digits       digits (and punctuation) but no letter or CJK character: "1. 2. 3"
  empty_turn                    ShareGPT: some turn has no text
  empty_output                  nothing but whitespace
  placeholder_output            "<noinput>", "[image]", "N/A", "TODO", "略", "同上", "见上文", "待补充"... instead of an answer
  refusal                       the answer is mostly a canned refusal or AI disclaimer ("抱歉，我无法回答这个问题。",
                                "As an AI language model, I ..."): its refusal sentences hold half of its characters
  input_repeats_instruction     the input is the instruction again
  output_repeats_instruction    the answer only echoes the instruction

Comparisons ignore case, surrounding whitespace and runs of whitespace; placeholders also a final 。.!?
A refusal is judged on the whole answer's shape, not on a mention: "作为一个AI语言模型，我没有个人观点，
但是……" followed by a real answer is kept.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from filters import textstats
from filters.verdicts import Verdicts
from pipelines.config import InstructionRules


def normalized(values: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(pc.fill_null(values, ""))
    return pc.utf8_lower(pc.replace_substring_regex(trimmed, r"\s+", " "))


def refusal_share(answers: pa.Array, patterns: list[str]) -> np.ndarray:
    """Share of each (normalized) answer's non-space characters inside refusal sentences: one RE2 pass."""
    if not patterns:
        return np.zeros(len(answers))
    regex = "(?i)" + "|".join(f"(?:{p})" for p in patterns)
    content = pc.replace_substring_regex(answers, r"\s+", "")
    rest = pc.replace_substring_regex(pc.replace_substring_regex(answers, regex, ""), r"\s+", "")
    total = pc.utf8_length(content).to_numpy(zero_copy_only=False).astype(np.float64)
    left = pc.utf8_length(rest).to_numpy(zero_copy_only=False).astype(np.float64)
    return np.divide(total - left, total, out=np.zeros_like(total), where=total > 0)


# what str.strip() removes (str.isspace), as an RE2 class: a turn of only these is blank
PYTHON_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
                    "\u200a\u2028\u2029\u202f\u205f\u3000"
_BLANK = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in PYTHON_WHITESPACE) + "]*$"
TURNS = pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())]))


def sharegpt_columns(conversations: pa.Array, human_speakers: list[str]) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """(first human turn, first answer after it, whether any turn is blank) per conversation (a list<struct<from,
    value>> array), with "" where there is no such turn: Arrow compute over the batch's turns."""
    if isinstance(conversations, pa.ChunkedArray):
        conversations = conversations.combine_chunks()
    n = len(conversations)
    turns = pc.list_flatten(conversations)
    rows = pc.list_parent_indices(conversations).to_numpy(zero_copy_only=False)
    speakers = pa.array(sorted(set(human_speakers)), pa.string())
    human = pc.fill_null(pc.is_in(turns.field("from"), value_set=speakers), False).to_numpy(zero_copy_only=False)
    position = np.arange(len(turns))
    first = _first_per_row(position[human], rows[human], n)
    after = ~human & (first[rows] >= 0) & (position > first[rows])
    answer = _first_per_row(position[after], rows[after], n)
    values = pa.concat_arrays([turns.field("value"), pa.array([""], pa.string())])  # the last: no such turn
    asked = values.take(pa.array(np.where(first >= 0, first, len(values) - 1)))
    answered = values.take(pa.array(np.where(answer >= 0, answer, len(values) - 1)))
    blank_turns = pc.match_substring_regex(pc.fill_null(turns.field("value"), ""), _BLANK).to_numpy(zero_copy_only=False)
    return asked, answered, np.bincount(rows[blank_turns], minlength=n) > 0


def _first_per_row(positions: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """The first of the positions of each row (rows ascending, as a flattened list array's are), -1 for none."""
    first = np.full(n, -1, dtype=np.int64)
    held, at = np.unique(rows, return_index=True)
    first[held] = positions[at]
    return first


def sharegpt_fields(conversations: list[list[dict]], human_speakers: list[str]) -> tuple[list[str], list[str], np.ndarray]:
    """sharegpt_columns() of conversations given as Python lists of turns."""
    asked, answered, blank = sharegpt_columns(pa.array(conversations, TURNS), human_speakers)
    return asked.to_pylist(), answered.to_pylist(), blank


def apply(
    verdicts: Verdicts,
    instruction: pa.Array,
    input_: pa.Array,
    output: pa.Array,
    cfg: InstructionRules,
    blank_turns: np.ndarray | None = None,
) -> None:
    inst = normalized(instruction)
    inp = normalized(input_)
    out = normalized(output)
    empty_inst = pc.equal(pc.utf8_length(inst), 0).to_numpy(zero_copy_only=False)
    verdicts.fail(empty_inst, "empty_instruction")
    stats = textstats.compute(instruction, ngram_size=0)
    no_content = (stats.letters + stats.han + stats.kana_hangul) == 0
    verdicts.fail(no_content & (stats.digits == 0), "instruction_only_punctuation")
    verdicts.fail(no_content, "instruction_only_digits")
    if blank_turns is not None:
        verdicts.fail(blank_turns, "empty_turn")
    verdicts.fail(pc.equal(pc.utf8_length(out), 0).to_numpy(zero_copy_only=False), "empty_output")
    placeholders = pa.array(sorted({p.strip().lower() for p in cfg.placeholders}), type=pa.string())
    bare = pc.replace_substring_regex(out, r"[。．.！!？?]+$", "")
    is_placeholder = pc.or_(
        pc.or_(pc.is_in(out, value_set=placeholders), pc.is_in(bare, value_set=placeholders)),
        pc.match_substring_regex(pc.fill_null(output, ""), cfg.placeholder_pattern),
    ).to_numpy(zero_copy_only=False)
    verdicts.fail(is_placeholder, "placeholder_output")
    share = refusal_share(out, cfg.refusal_patterns)
    verdicts.fail(share >= cfg.min_refusal_share, "refusal", share, cfg.min_refusal_share)
    same_input = pc.and_(pc.equal(inp, inst), pc.greater(pc.utf8_length(inp), 0)).to_numpy(zero_copy_only=False)
    verdicts.fail(same_input, "input_repeats_instruction")
    verdicts.fail(pc.equal(out, inst).to_numpy(zero_copy_only=False), "output_repeats_instruction")


def check(instruction: str, output: str, cfg: InstructionRules, input: str = "") -> str | None:
    """The reason one alpaca-style record fails these rules, or None."""
    verdicts = Verdicts(1)
    apply(verdicts, pa.array([instruction]), pa.array([input]), pa.array([output]), cfg)
    return verdicts.reasons[0]
