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
  breadcrumb              当前位置：首页 > 新闻 > 正文 / Home > Blog > ...
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

Matching is one RE2 pass of literal keywords (`keywords` in the config: every pattern's lines hold
one) over all lines of the batch; only the few short lines with a keyword are tried against the
anchored patterns, one RE2 pass each (one alternation of them all is several times slower in RE2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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
def _compiled(patterns: tuple[tuple[str, str], ...], keywords: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """(the keyword alternation, one anchored regex per pattern) as RE2 strings."""
    keyword_regex = "(?i)(?:" + "|".join(re.escape(k) for k in sorted(set(keywords), key=len, reverse=True)) + ")"
    return keyword_regex, tuple(f"(?i)^{_SPACE}(?:{regex}){_SPACE}$" for _, regex in patterns)


def remove_lines(texts: pa.Array, patterns: dict[str, str], max_line_chars: int, keywords: list[str]) -> LineRemoval:
    n = len(texts)
    lines_removed = np.zeros(n, dtype=np.int64)
    chars_removed = np.zeros(n, dtype=np.int64)
    notes: list[dict[str, int] | None] = [None] * n
    unchanged = LineRemoval(texts, lines_removed, chars_removed, notes)
    if not n or not patterns or not keywords:
        return unchanged
    named = tuple(patterns.items())
    keyword_regex, each = _compiled(named, tuple(keywords))
    lists = pc.split_pattern(pc.fill_null(texts, ""), "\n")
    lines = lists.flatten()
    counts = np.diff(lists.offsets.to_numpy())
    tried = np.flatnonzero(pc.match_substring_regex(lines, keyword_regex).to_numpy(zero_copy_only=False))
    if len(tried):
        short = pc.less_equal(pc.utf8_length(lines.take(pa.array(tried))), max_line_chars).to_numpy(zero_copy_only=False)
        tried = tried[short]
    names = np.full(len(tried), -1, dtype=np.int64)
    candidates = lines.take(pa.array(tried))
    for index, regex in enumerate(each):
        open_rows = np.flatnonzero(names < 0)
        if not len(open_rows):
            break
        matched = pc.match_substring_regex(candidates.take(pa.array(open_rows)), regex).to_numpy(zero_copy_only=False)
        names[open_rows[matched]] = index
    removed_lines = tried[names >= 0]
    if not len(removed_lines):
        return unchanged
    names = names[names >= 0]
    owner = np.repeat(np.arange(n), counts)
    removed_rows = owner[removed_lines]
    removed_len = pc.utf8_length(lines.take(pa.array(removed_lines))).to_numpy(zero_copy_only=False) + 1
    for row, name in zip(removed_rows.tolist(), names.tolist()):
        note = notes[row]
        if note is None:
            note = notes[row] = {}
        key = named[name][0]
        note[key] = note.get(key, 0) + 1
    rows = np.unique(removed_rows)
    lines_removed[:] = np.bincount(removed_rows, minlength=n)
    chars_removed[:] = np.bincount(removed_rows, weights=removed_len, minlength=n).astype(np.int64)
    keep = np.ones(len(lines), dtype=bool)
    keep[removed_lines] = False
    line_rows = np.flatnonzero(np.isin(owner, rows))
    kept = line_rows[keep[line_rows]]
    kept_counts = np.bincount(owner[kept], minlength=n)[rows]
    offsets = np.concatenate([[0], np.cumsum(kept_counts)]).astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), lines.take(pa.array(kept))), "\n")
    cleaned = pc.utf8_trim_whitespace(pc.replace_substring_regex(joined, r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n"))
    return LineRemoval(replace_rows(texts, rows, cleaned), lines_removed, chars_removed, notes)


def replace_rows(values: pa.Array, rows: np.ndarray, replacements: pa.Array) -> pa.Array:
    """values with values[rows[k]] = replacements[k]."""
    if not len(rows):
        return values
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    index = np.arange(len(values), dtype=np.int64)
    index[rows] = len(values) + np.arange(len(rows))
    return pa.concat_arrays([values, replacements.cast(values.type)]).take(pa.array(index))
