"""Boilerplate lines: navigation, legal and share lines removed from web text before it is judged.

C4 (Raffel et al. 2020) and RefinedWeb (Penedo et al. 2023) clean pages line by line before judging
them; TigerBot calls this step 去噪. A pattern judges a whole line (`^pattern$`, case-insensitive,
surrounding spaces ignored) and only lines up to `max_line_chars`, so a sentence that mentions
"cookie" or 版权所有 in running prose is never removed: the line has to *be* a copyright notice, a
breadcrumb, a share bar.

  pattern (config name)   removes lines such as
  copyright               © 2024 Example Inc. / Copyright 2019-2024 ...
  all_rights_reserved     ... All rights reserved.
  版权所有                 Copyright © 2023 某某网 版权所有 (no sentence end in the line)
  icp                     京ICP备12345678号 / 京公网安备 ...
  back_to_top             返回顶部 / Back to top
  breadcrumb              当前位置：首页 > 新闻 > 正文 / Home > Blog > ... / You are here: Home > Products
  prev_next               上一篇：... / 下一篇：... / « Previous post / Next article: ...
  login_register          登录 | 注册 / Sign in | Register
  nav_bar                 关于我们 | 联系我们 | 网站地图 (three items or more)
  cookie_banner           We use cookies to improve your experience ... / Accept all cookies
  disclaimer              免责声明：本文仅代表作者观点 ... / Disclaimer: ...
  reprint_notice          转载请注明出处 / 未经许可不得转载
  skip_link               Skip to content / 跳到主要内容
  share_bar               分享到：微信 微博 QQ空间 / Share on Facebook Twitter
  related_links           相关文章 / 热门推荐 / Read more
  tags, editor, comments  标签：... / 责任编辑：... / 发表评论 (3)

The literal keywords (`keywords` in the config: every pattern's lines hold one) are found by the
batch's one Aho-Corasick pass (filters.phrases), which also notes each line's length; only the
short lines with a keyword are tried, with one RE2 alternation of every anchored pattern, and the
few lines it matches are named by the first pattern that matches them, in order (Python's `re`,
compiled once: an RE2 call per pattern costs more in compiling than in matching).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from filters import phrases
from filters.buffers import string_buffers

_SPACE = "[ \\t\u3000\u00a0]*"


@dataclass(frozen=True)
class LineRemoval:
    """What boilerplate removal did to a batch of texts."""

    texts: pa.Array  # the texts with boilerplate lines removed (unchanged rows are the input's)
    lines: np.ndarray  # lines removed per row
    chars: np.ndarray  # characters removed per row (with their newlines)
    patterns: list[dict[str, int] | None]  # per row: lines removed by each pattern name, or None

    @property
    def changed(self) -> np.ndarray:
        return self.lines > 0


@lru_cache(maxsize=8)
def _anchored(patterns: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """One anchored, case-insensitive RE2 regex per pattern."""
    return tuple(f"(?i)^{_SPACE}(?:{regex}){_SPACE}$" for _, regex in patterns)


@lru_cache(maxsize=8)
def _matchers(patterns: tuple[tuple[str, str], ...]) -> tuple[str, tuple[re.Pattern | None, ...]]:
    """(the RE2 alternation of every anchored pattern, each one compiled by Python's re, None where re cannot)."""
    combined = f"(?i)^{_SPACE}(?:" + "|".join(f"(?:{regex})" for _, regex in patterns) + f"){_SPACE}$"
    each = []
    for regex in _anchored(patterns):
        try:
            each.append(re.compile(regex))
        except re.error:
            each.append(None)
    return combined, tuple(each)


@numba.njit(cache=True, nogil=True)
def _gather(data, starts, ends, offsets, out):
    for k in range(starts.shape[0]):
        out[offsets[k]:offsets[k + 1]] = data[starts[k]:ends[k]]


def remove_lines(texts: pa.Array, patterns: dict[str, str], max_line_chars: int, keywords: list[str],
                 found: phrases.Scan | None = None) -> LineRemoval:
    """Texts without their boilerplate lines; `found`: the batch's phrase scan, when it looked for `keywords`
    with this max_line_chars (else the keywords are looked for here)."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    n = len(texts)
    lines_removed = np.zeros(n, dtype=np.int64)
    chars_removed = np.zeros(n, dtype=np.int64)
    notes: list[dict[str, int] | None] = [None] * n
    unchanged = LineRemoval(texts, lines_removed, chars_removed, notes)
    if not n or not patterns or not keywords:
        return unchanged
    if found is None:
        found = phrases.scan(texts, (), (), (), (), keywords, max_line_chars)
    if not len(found.line_rows):
        return unchanged
    named = tuple(patterns.items())
    offsets, data, _ = string_buffers(texts)
    lengths = found.line_ends - found.line_starts
    line_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    line_bytes = np.empty(int(line_offsets[-1]), dtype=np.uint8)
    _gather(data, found.line_starts, found.line_ends, line_offsets, line_bytes)
    candidates = pa.StringArray.from_buffers(len(lengths), pa.py_buffer(line_offsets), pa.py_buffer(line_bytes))
    combined, each = _matchers(named)
    names = np.full(len(candidates), -1, dtype=np.int64)
    matched = np.flatnonzero(pc.match_substring_regex(candidates, combined).to_numpy(zero_copy_only=False))
    for line, text in zip(matched.tolist(), candidates.take(pa.array(matched, pa.int64())).to_pylist()):
        names[line] = _first_pattern(text, each, _anchored(named))
    hit = names >= 0
    if not hit.any():
        return unchanged
    removed_rows = found.line_rows[hit]
    removed_numbers = found.line_numbers[hit]
    removed_len = pc.utf8_length(candidates.filter(pa.array(hit))).to_numpy(zero_copy_only=False) + 1
    for row, name in zip(removed_rows.tolist(), names[hit].tolist()):
        note = notes[row]
        if note is None:
            note = notes[row] = {}
        key = named[name][0]
        note[key] = note.get(key, 0) + 1
    rows = np.unique(removed_rows)
    lines_removed[:] = np.bincount(removed_rows, minlength=n)
    chars_removed[:] = np.bincount(removed_rows, weights=removed_len, minlength=n).astype(np.int64)
    lists = pc.split_pattern(pc.fill_null(texts.take(pa.array(rows)), ""), "\n")
    counts = np.diff(lists.offsets.to_numpy())
    lines = lists.flatten()
    position = np.searchsorted(rows, removed_rows)  # each removed line's row among the changed rows
    keep = np.ones(len(lines), dtype=bool)
    keep[np.concatenate([[0], np.cumsum(counts)[:-1]])[position] + removed_numbers] = False
    owner = np.repeat(np.arange(len(rows)), counts)
    kept_counts = np.bincount(owner[keep], minlength=len(rows))
    kept_offsets = np.concatenate([[0], np.cumsum(kept_counts)]).astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(kept_offsets), lines.filter(pa.array(keep))), "\n")
    cleaned = pc.utf8_trim_whitespace(pc.replace_substring_regex(joined, r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n"))
    return LineRemoval(replace_rows(texts, rows, cleaned), lines_removed, chars_removed, notes)


def _first_pattern(line: str, each: tuple[re.Pattern | None, ...], anchored: tuple[str, ...]) -> int:
    """The index of the first pattern that matches a line the alternation matched."""
    for index, (pattern, regex) in enumerate(zip(each, anchored)):
        found = pattern.search(line) is not None if pattern is not None else \
            pc.match_substring_regex(pa.array([line]), regex)[0].as_py()
        if found:
            return index
    for index, regex in enumerate(anchored):  # re and RE2 disagree on this line: RE2 decides, as the alternation did
        if pc.match_substring_regex(pa.array([line]), regex)[0].as_py():
            return index
    return -1


def replace_rows(values: pa.Array, rows: np.ndarray, replacements: pa.Array) -> pa.Array:
    """values with values[rows[k]] = replacements[k]."""
    if not len(rows):
        return values
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    index = np.arange(len(values), dtype=np.int64)
    index[rows] = len(values) + np.arange(len(rows))
    return pa.concat_arrays([values, replacements.cast(values.type)]).take(pa.array(index))
