import random

import pyarrow as pa
import pyarrow.compute as pc

from filters.code_point_maps import collapse_whitespace, holds_han, lower_and_remove, nfkd
from filters.near_text import NON_CONTENT_PATTERN

# characters where a per-code-point map could go wrong: compatibility forms, ligatures, Hangul,
# combining marks (alone and in runs that NFKD reorders), case pairs whose lower case changes byte
# length, CJK compatibility ideographs and radicals, controls, format characters, and code points
# outside the tables (plane 14 tags and variation selectors, plane 15 private use)
TRICKY = list(
    "ＡＢｃ１２，。！？「」…ﬁﬂ①⑴㈠㍻ｶﾞ가각힣ᄀ\u0301\u0327\u0308\u0323\u0345\u093f\u0e34\u0e48"
    "ΣσςİIıKÅȺⱥẞß\u0130\u212a\u2126"
    "豈更車⼀⼁⺟丽丸資料清洗與語料庫资料"
    "\t\n\r\x00\x07\x85\u00a0\u2028\u200b\u200d\ufeff\u3000"
    "\U00020000\U0002a6d6\U0001f600\U0001d400\U0001d7ce\U000e0001\U000e0100\U000f0000\U0010fffd"
) + [chr(c) for c in range(0x20, 0x7F)]


def _random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        length = rng.randrange(0, 40)
        texts.append("".join(rng.choice(TRICKY) if rng.random() < 0.7 else _any_code_point(rng) for _ in range(length)))
    return texts


def _any_code_point(rng: random.Random) -> str:
    cp = rng.randrange(0x20, 0x3134A)
    return "?" if 0xD800 <= cp < 0xE000 else chr(cp)


def test_nfkd_is_arrows_nfkd_on_random_text_of_every_script():
    values = pa.array(_random_texts(1, 3000))
    got, han = nfkd(values)
    expected = pc.utf8_normalize(values, form="NFKD")
    assert got.to_pylist() == expected.to_pylist()
    assert han.tolist() == pc.match_substring_regex(expected, r"\p{Han}").to_pylist()


def test_lower_and_remove_is_arrows_lower_and_regex_on_random_text():
    values = pa.array(_random_texts(2, 3000))
    got = lower_and_remove(values, NON_CONTENT_PATTERN)
    expected = pc.replace_substring_regex(pc.utf8_lower(values), NON_CONTENT_PATTERN, "")
    assert got.to_pylist() == expected.to_pylist()


def test_texts_the_tables_cannot_map_are_handed_to_arrow():
    # two combining marks that NFKD reorders (dot below, class 220, goes before acute, class 230),
    # and a plane 14 tag outside the tables
    values = pa.array(["a\u0301\u0323b", "x\U000e0041y", "ok"])
    got, han = nfkd(values)
    assert got.to_pylist() == ["a\u0323\u0301b", "x\U000e0041y", "ok"]
    assert han.tolist() == [False, False, False]
    assert lower_and_remove(pa.array(["Ab\U000e0041C", "Ｄ-e"]), NON_CONTENT_PATTERN).to_pylist() == ["abc", "ｄe"]


def test_slices_and_growth_past_the_first_guess():
    # U+FDFA decomposes into 18 code points: output far larger than the input must still fit
    values = pa.array(["skip", "\ufdfa" * 50, "ﬁ"]).slice(1)
    got, _ = nfkd(values)
    assert got.to_pylist() == [pc.utf8_normalize(pa.array(["\ufdfa" * 50]), form="NFKD")[0].as_py(), "fi"]
    assert len(got[0].as_py()) == 18 * 50


def test_holds_han_is_re2s_han_class():
    values = pa.array(_random_texts(3, 3000) + [None, "", "〇", "⺟", "豈"])
    expected = pc.fill_null(pc.match_substring_regex(values, r"\p{Han}"), False).to_pylist()
    assert holds_han(values).tolist() == expected
    assert holds_han(pa.array(["〇", "a", None])).tolist() == [True, False, False]


def test_collapse_whitespace_is_str_split_and_join():
    texts = _random_texts(4, 3000) + ["", "   ", " a  b ", "a\u3000\u2028\x1c\x85b", "\tx\n"]
    assert collapse_whitespace(pa.array(texts)).to_pylist() == [" ".join(t.split()) for t in texts]
    # the whitespace table stops at U+3000 because Python knows no space above it
    assert max(cp for cp in range(0x110000) if chr(cp).isspace()) == 0x3000
