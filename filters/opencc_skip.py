"""Which texts OpenCC's Traditional→Simplified conversion (t2s) would leave as they are, found
without calling it.

OpenCC converts a text by longest match against its t2s dictionaries (phrases, then characters),
after mapping CJK compatibility ideographs. A text is unchanged unless it holds a key whose value
differs from it. Such a key holds a character that t2s changes on its own (found at start-up by
converting every Han code point once), except for about a hundred phrases made of characters that
do not change alone (深沈→深沉, 回覆→回复, 打坏→打坯); eight characters listed here cover them all.
Texts with none of these characters skip OpenCC: Simplified Chinese mostly does, which halves the
exact key's cost on it.

The list belongs to the installed OpenCC's dictionaries; tests/test_opencc_skip.py dumps them with
the wheel's own `opencc_dict` and fails if a phrase is not covered. `python -m filters.opencc_skip`
prints the list for the installed OpenCC.
"""

from __future__ import annotations

import os
import subprocess
import tempfile

import numpy as np

# covers every t2s phrase whose characters t2s leaves alone one by one (opencc 1.4.2's dictionaries)
PHRASE_TRIGGERS = "哩坏沈甦瞭藉衹覆"

T2S_DICTIONARIES = ("TSPhrases", "TSCharactersExt", "TSCharacters", "CJK_Compatibility_Ideographs")


def changed_alone(han: np.ndarray, converter) -> np.ndarray:
    """Code points (below len(han)) that t2s changes when converted on their own; every one is Han."""
    points = np.flatnonzero(han)
    converted = converter.convert("\n".join(map(chr, points.tolist()))).split("\n")
    changed = np.zeros(len(han), dtype=np.bool_)
    changed[[p for p, c in zip(points.tolist(), converted) if c != chr(p)]] = True
    return changed


def trigger_table(han: np.ndarray, converter) -> np.ndarray:
    """Code points whose presence sends a text to OpenCC (`converter`, an opencc.OpenCC("t2s"))."""
    table = changed_alone(han, converter)
    for ch in PHRASE_TRIGGERS:
        if ord(ch) < len(table):
            table[ord(ch)] = True
    return table


def dictionary_entries() -> list[tuple[str, str]]:
    """(key, first value) of every entry of the installed OpenCC's t2s dictionaries."""
    import opencc

    clib = os.path.join(os.path.dirname(opencc.__file__), "clib")
    tool = os.path.join(clib, "bin", "opencc_dict")
    env = {**os.environ, "LD_LIBRARY_PATH": os.path.join(clib, "lib64")}
    entries = []
    with tempfile.TemporaryDirectory() as work:
        for name in T2S_DICTIONARIES:
            out = os.path.join(work, f"{name}.txt")
            source = os.path.join(clib, "share", "opencc", f"{name}.ocd2")
            subprocess.run([tool, "-i", source, "-o", out, "-f", "ocd2", "-t", "text"], check=True, env=env)
            with open(out, encoding="utf-8") as f:
                for line in f:
                    key, values = line.rstrip("\n").split("\t", 1)
                    entries.append((key, values.split(" ")[0]))
    return entries


def uncovered(entries: list[tuple[str, str]], table: np.ndarray) -> list[str]:
    """Keys that change a text but hold no character of the table."""
    return [k for k, v in entries if v != k and not any(ord(c) < len(table) and table[ord(c)] for c in k)]


def _common(ch: str) -> bool:
    """Whether a character is among GB2312's 3,755 level-1 (most common) characters."""
    try:
        first = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return False
    return 0xB0 <= first <= 0xD7


def needed_triggers(entries: list[tuple[str, str]], han: np.ndarray, converter) -> str:
    """Characters that cover every phrase nothing else sends to OpenCC: greedily, the one in most
    uncovered phrases first (沈, 藉, 覆...), less common characters before common ones on a tie."""
    left = [set(key) for key in uncovered(entries, changed_alone(han, converter))]
    chosen = []
    while left:
        counts: dict[str, int] = {}
        for key in left:
            for ch in key:
                counts[ch] = counts.get(ch, 0) + 1
        best = min(counts, key=lambda c: (-counts[c], _common(c), c))
        chosen.append(best)
        left = [key for key in left if best not in key]
    return "".join(sorted(chosen))


if __name__ == "__main__":
    import opencc

    from filters.code_point_maps import tables

    print(needed_triggers(dictionary_entries(), tables().han, opencc.OpenCC("t2s")))
