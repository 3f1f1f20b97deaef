import random

import numpy as np
import pyarrow as pa
import pytest

from filters.tiling import (
    greedy_tiling_py,
    lcs_length_py,
    lcs_ratio,
    tiling_similarity,
    verify_indexed_pairs,
    verify_pairs,
)


def tiled(a, b, min_tile):
    similarity = tiling_similarity(pa.array([a]), pa.array([b]), min_tile=min_tile)[0]
    return round(similarity * (len(a) + len(b)) / 2)


def random_pair(rng):
    alphabet = rng.choice(["ab", "abc", "abcd", "数据ab", "abcdefgh"])
    a = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
    if rng.random() < 0.5:  # a copy with edits, sometimes rotated (order-free matches)
        b = list(a)
        for _ in range(rng.randrange(0, 5)):
            if b:
                b[rng.randrange(len(b))] = rng.choice(alphabet)
        b = "".join(b)
        if rng.random() < 0.5 and len(b) > 4:
            k = rng.randrange(len(b))
            b = b[k:] + b[:k]
    else:
        b = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
    return a, b


def test_tiling_equals_the_brute_force_definition_on_random_strings():
    rng = random.Random(5)
    for _ in range(400):
        a, b = random_pair(rng)
        min_tile = rng.choice([1, 2, 3, 4, 6])
        assert tiled(a, b, min_tile) == greedy_tiling_py(a, b, min_tile)[0], (a, b, min_tile)


def test_tiling_equals_the_brute_force_definition_on_repetitive_strings():
    # repeated units make many equal-length matches and many occurrences: the tie rules and rescans matter
    rng = random.Random(7)
    for _ in range(150):
        unit = "".join(rng.choice("abc") for _ in range(rng.randrange(2, 8)))
        a = "".join(rng.choice([unit, "x", "y", unit + "z"]) for _ in range(rng.randrange(1, 25)))
        b = "".join(rng.choice([unit, "x", "y", unit + "z", "q"]) for _ in range(rng.randrange(1, 25)))
        min_tile = rng.choice([2, 3, 5])
        assert tiled(a, b, min_tile) == greedy_tiling_py(a, b, min_tile)[0], (a, b, min_tile)


def test_brute_force_takes_the_longest_then_leftmost_in_b_then_in_a():
    assert greedy_tiling_py("xabcyabc", "abczab", 2) == (5, [(1, 0, 3), (5, 4, 2)])


def test_swapped_paragraphs_tile_completely():
    first, second = "第一段讲的是如何安装软件包" * 2, "第二段介绍网络配置的基本步骤" * 2
    assert tiling_similarity(pa.array([first + second]), pa.array([second + first]), min_tile=8)[0] == 1.0


def test_matches_shorter_than_the_minimum_tile_do_not_count():
    a, b = pa.array(["abcdefXghijk"]), pa.array(["abcdefYghijk"])  # common runs of 6 and 5 characters
    assert tiling_similarity(a, b, min_tile=5)[0] == pytest.approx(22 / 24)
    assert tiling_similarity(a, b, min_tile=6)[0] == pytest.approx(12 / 24)
    assert tiling_similarity(a, b, min_tile=7)[0] == 0.0


def test_lcs_ratio_equals_the_dynamic_programme_on_random_strings():
    rng = random.Random(9)
    pairs = [random_pair(rng) for _ in range(300)]
    got = lcs_ratio(pa.array([a for a, _ in pairs]), pa.array([b for _, b in pairs]))
    expected = [2 * lcs_length_py(a, b) / (len(a) + len(b)) if a or b else 1.0 for a, b in pairs]
    assert got.tolist() == pytest.approx(expected, abs=1e-12)


def test_verify_pairs_scores_short_pairs_by_lcs_and_long_ones_by_tiling():
    short_a, short_b = "abcdefgh", "abcdxfgh"  # LCS 7 of 8; no tile of 12
    long_a = "一二三四五六七八九十" * 3 + "甲乙丙丁戊己庚辛壬癸" * 3
    long_b = "甲乙丙丁戊己庚辛壬癸" * 3 + "一二三四五六七八九十" * 3  # halves swapped
    got = verify_pairs(pa.array([short_a, long_a]), pa.array([short_b, long_b]), min_tile=12, short_text_chars=20)
    assert got.tolist() == [pytest.approx(14 / 16), 1.0]


def test_empty_texts():
    got = verify_pairs(pa.array(["", "", "abc"]), pa.array(["", "abc", ""]))
    assert got.tolist() == [1.0, 0.0, 0.0]


def test_multibyte_and_astral_characters_count_as_one():
    a = "😀数据清洗😀" * 5
    assert tiling_similarity(pa.array([a]), pa.array([a]), min_tile=3)[0] == 1.0
    assert lcs_ratio(pa.array(["😀a"]), pa.array(["😀b"]))[0] == 0.5


def test_pairs_must_line_up():
    with pytest.raises(ValueError):
        verify_pairs(pa.array(["a"]), pa.array(["a", "b"]))


def test_indexed_pairs_score_as_the_pairs_written_out():
    rng = random.Random(9)
    texts = ["".join(rng.choice("天地玄黄宇宙洪荒abc") for _ in range(rng.randint(0, 400))) for _ in range(30)]
    texts[3] = None  # a missing text scores like an empty one
    rows_a = [rng.randrange(30) for _ in range(200)]
    rows_b = [rng.randrange(30) for _ in range(200)]
    written_out = verify_pairs(pa.array([texts[i] or "" for i in rows_a]), pa.array([texts[i] or "" for i in rows_b]), 4, 100)
    indexed = verify_indexed_pairs(pa.array(texts).slice(0), np.array(rows_a), np.array(rows_b), 4, 100)
    assert indexed.tolist() == written_out.tolist()


def _sentence_documents(rng, count):
    """Documents made of shared sentences, as the near-duplicate candidates of real corpora are: some pairs
    share most sentences (pass), many share a few (fail), some are edited copies."""
    sentences = ["".join(rng.choice("天地玄黄宇宙洪荒日月盈昃辰宿列张abcdefg") for _ in range(rng.randint(8, 40)))
                 for _ in range(40)]
    docs = ["".join(rng.choice(sentences) for _ in range(rng.randint(3, 12))) for _ in range(count)]
    for i in range(0, count, 3):
        edited = list(docs[i])
        for _ in range(rng.randrange(0, 6)):
            edited[rng.randrange(len(edited))] = "x"
        docs.append("".join(edited))
    return docs


def test_the_coverage_bound_never_changes_a_verdict_or_a_passing_score():
    rng = random.Random(11)
    docs = _sentence_documents(rng, 60)
    docs[5] = ""  # an empty text starts where the next one does: the two must never share a window table
    rows_a = np.array([rng.randrange(len(docs)) for _ in range(600)])
    rows_b = np.array([rng.randrange(len(docs)) for _ in range(600)])
    grouped = np.argsort(rows_a[:300], kind="stable")  # verification meets its pairs grouped by a
    rows_a[:300], rows_b[:300] = rows_a[:300][grouped], rows_b[:300][grouped]
    texts = pa.array(docs)
    from filters import tiling

    for min_tile, needed in ((4, 0.5), (8, 0.8), (12, 0.9)):
        exact = verify_indexed_pairs(texts, rows_a, rows_b, min_tile, 0)
        spared_before = int(tiling.TILING_COUNTERS[2])
        bounded = verify_indexed_pairs(texts, rows_a, rows_b, min_tile, 0, min_similarity=needed)
        spared = int(tiling.TILING_COUNTERS[2]) - spared_before
        passed = exact >= needed
        assert (bounded >= needed).tolist() == passed.tolist()
        assert bounded[passed].tolist() == exact[passed].tolist()
        assert (bounded >= exact).all()  # a spared pair scores its bound, never below its tiling
        assert 0 < spared <= int((~passed).sum())


def test_the_coverage_bound_counts_characters_in_shared_windows():
    # "abcdef" shares the 4-window "cdef" with b; "wxyz" shares nothing: 4 of 10 characters of a are covered,
    # so the bound 2 * 4 / 20 = 0.4 stops the pair below 0.5, while tiling gives 2 * 4 / 20 as well
    a, b = "abcdefwxyz", "cdefghijkl"
    assert verify_pairs(pa.array([a]), pa.array([b]), 4, 0, min_similarity=0.5).tolist() == [0.4]
    assert verify_pairs(pa.array([a]), pa.array([b]), 4, 0).tolist() == [0.4]


def test_pairs_grouped_by_a_decode_each_text_of_a_once_and_never_confuse_an_empty_one():
    text = "天地玄黄宇宙洪荒日月盈昃辰宿列张" * 3
    # "" and text start at the same byte: only their ends tell them apart
    texts = pa.array(["", text, text + "寒来暑往"])
    scores = verify_indexed_pairs(texts, np.array([0, 1, 1]), np.array([2, 2, 0]), 4, 0, min_similarity=0.9)
    assert scores.tolist() == [0.0, 2 * 48 / 100, 0.0]
