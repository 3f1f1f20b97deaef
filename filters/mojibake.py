"""Mojibake: UTF-8 text that was decoded with the wrong codec somewhere upstream, repaired where possible.

UTF-8 read as Latin-1/CP1252 leaves pairs like "Ã©", "â€™" or "Â " (a no-break space); ftfy's
encoding fixer undoes that exactly. UTF-8 read as GBK turns 你好世界 into 浣犲ソ涓栫晫: lines of
mostly Han characters outside the common GB2312/Big5 sets (over 40% of them, where ordinary
Simplified, Traditional or classical text has a few percent); such a line is repaired by encoding
it back to GBK and decoding the bytes as UTF-8, which succeeds only when no byte was lost. The
residue 锟斤拷 (U+FFFD read as GBK) means bytes were lost: it is never repairable.

A text is repaired and kept (its `cleaned` note says how) when every garbled part comes back as
clean text and at most `max_garbled_share` of its characters were garbled; otherwise it is rejected
as `mojibake`. Only texts the statistics kernel flags (Latin-1 lead/continuation pairs, GBK-garbled
lines) reach Python, so clean text is never touched: repair(clean) == clean.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import ftfy
import ftfy.badness
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from filters import charclass as cc

GBK_REPLACEMENT_RESIDUE = "锟斤拷"
# a UTF-8 lead byte read as CP1252/Latin-1 (Â..ô) followed by a continuation byte read the same way
_CP1252_PAIR = re.compile("[\u00c2-\u00f4][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
CP1252 = "utf8_as_cp1252"
GBK = "utf8_as_gbk"


@dataclass(frozen=True)
class Repair:
    """The outcome for one text: `text` is the repaired text (None: not repairable); `kind` names the
    mis-decoding; `garbled` is the share of the original's characters that were garbled."""

    text: str | None
    kind: str
    garbled: float


def is_latin1_mojibake(text: str) -> bool:
    return bool(text) and ftfy.badness.is_bad(text)


def rare_han_share(han: np.ndarray, common_han: np.ndarray) -> np.ndarray:
    han = np.asarray(han, dtype=np.float64)
    return np.divide(han - common_han, han, out=np.zeros_like(han), where=han > 0)


def gbk_mojibake_mask(texts: pa.Array, han, common_han, max_rare_share: float, min_han: int, rare_lines=None,
                      residue=None) -> np.ndarray:
    """Texts mostly of rare Han, with a line of mostly rare Han (when rare_lines is given), or with 锟斤拷
    (`residue`: where the batch's phrase scan found it; None: looked for here)."""
    mask = (np.asarray(han) >= min_han) & (rare_han_share(han, common_han) > max_rare_share)
    if rare_lines is not None:
        mask |= np.asarray(rare_lines) > 0
    if residue is None:
        residue = pc.match_substring(pc.fill_null(texts, ""), GBK_REPLACEMENT_RESIDUE).to_numpy(zero_copy_only=False)
    return mask | residue


def latin1_mojibake_mask(texts: pa.Array, latin1_pairs) -> np.ndarray:
    """ftfy's verdict for the texts that have Latin-1 lead/continuation pairs at all."""
    mask = np.zeros(len(texts), dtype=bool)
    candidates = np.flatnonzero(np.asarray(latin1_pairs) > 0)
    if len(candidates):
        for row, text in zip(candidates, texts.take(pa.array(candidates)).to_pylist()):
            mask[row] = is_latin1_mojibake(text or "")
    return mask


def garbled_chars(before: str, after: str) -> int:
    """Characters of `before` that a repair replaced or dropped."""
    if before == after:
        return 0
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return sum(i2 - i1 for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal")


def repair_cp1252(text: str) -> Repair | None:
    """UTF-8 read as CP1252/Latin-1, fixed by ftfy line by line (as its fix_text does: one garbled line
    in a clean document is fixed on its own); None when the text has no such mojibake."""
    lines = text.split("\n")
    changed = 0
    unrepaired = False
    for index, line in enumerate(lines):
        pairs = len(_CP1252_PAIR.findall(line))
        if not pairs:  # only lines with a lead/continuation pair: "”ß" alone is clean
            continue
        fixed = ftfy.fix_encoding(line)
        if fixed != line and _plausible(line, fixed):
            changed += garbled_chars(line, fixed)
            lines[index] = fixed
        elif pairs >= 2 and is_latin1_mojibake(line):  # one ambiguous pair ("ß€") is no evidence
            unrepaired = True
    if unrepaired:
        return Repair(None, CP1252, 1.0)
    if not changed:
        return None
    fixed = "\n".join(lines)
    if is_latin1_mojibake(fixed) or fixed.count("\ufffd") > text.count("\ufffd"):
        return Repair(None, CP1252, 1.0)
    return Repair(fixed, CP1252, changed / max(len(text), 1))


_PLAUSIBLE = ((0x00A0, 0x058F), (0x0600, 0x06FF), (0x0E00, 0x0E7F), (0x1E00, 0x1FFF), (0x2000, 0x2BFF), (0x3000, 0x9FFF),
              (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x1F000, 0x1FAFF), (0x20000, 0x3FFFF))


def _plausible(before: str, after: str) -> bool:
    """Whether every character a repair brings in is of a script or symbol block text is commonly written in
    ("ß€" decodes to the N'Ko digit "߀": a coincidence, not mojibake)."""
    return all(any(low <= ord(ch) <= high for low, high in _PLAUSIBLE) for ch in set(after) - set(before) if ord(ch) > 0x7F)


def _rare_share(line: str) -> tuple[int, float]:
    table = cc.bmp_class_table()
    han = common = 0
    for ch in line:
        cp = ord(ch)
        bits = table[cp] if cp < 0x10000 else (cc.HAN if 0x20000 <= cp <= 0x3FFFF else 0)
        if bits & cc.HAN:
            han += 1
            common += bool(bits & cc.COMMON_HAN)
    return han, (han - common) / han if han else 0.0


def repair_gbk(text: str, max_rare_share: float, min_han: int, line_rare_share: float | None = None) -> Repair | None:
    """UTF-8 read as GBK, line by line: every garbled line must decode back to clean UTF-8 text.

    A line is garbled when it is mostly rare Han (as the text statistics judge) and its GBK bytes
    are mostly valid UTF-8: rare characters of another origin (a bad font map, random noise) fail
    that test and are left to the unknown_words rule. None when no line is garbled.
    """
    if GBK_REPLACEMENT_RESIDUE in text:
        return Repair(None, GBK, 1.0)
    lines = text.split("\n")
    garbled = 0
    whole_han, whole_share = _rare_share(text)
    whole_garbled = whole_han >= min_han and whole_share > max_rare_share
    line_share = max_rare_share if line_rare_share is None else line_rare_share
    found = False
    for index, line in enumerate(lines):
        han, share = _rare_share(line)
        if not (han and share > line_share and (han >= min_han or whole_garbled)):
            continue
        fixed = _gbk_round_trip(line)
        if fixed is None:
            if _looks_gbk_garbled(line):
                return Repair(None, GBK, 1.0)
            continue
        fixed_han, fixed_share = _rare_share(fixed)
        if fixed_han and fixed_share >= share:
            continue
        found = True
        garbled += garbled_chars(line, fixed)
        lines[index] = fixed
    if not found:
        return None
    return Repair("\n".join(lines), GBK, garbled / max(len(text), 1))


def _looks_gbk_garbled(line: str, max_lost: float = 0.3) -> bool:
    """Whether a line's GBK bytes are mostly UTF-8 (bytes were lost, so it cannot be repaired exactly)."""
    try:
        raw = line.encode("gbk")
    except UnicodeEncodeError:
        return False
    decoded = raw.decode("utf-8", errors="replace")
    return decoded.count("\ufffd") <= max_lost * max(len(decoded), 1)


def _gbk_round_trip(line: str) -> str | None:
    for codec in ("gbk", "gb18030"):
        try:
            fixed = line.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if "\ufffd" not in fixed:
            return fixed
    return None
