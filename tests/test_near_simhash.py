import random

import numpy as np
import pyarrow as pa
import pytest
from simhash import Simhash

from filters.simhash import fingerprints, hamming_distance, ngram_key_py, ngram_keys, ngrams_py

ALPHABET = "abcxyz数据清洗的一é😀 "


def random_texts(seed, count=120, longest=40):
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, longest))) for _ in range(count)]


@pytest.mark.parametrize("ngram", [1, 3, 4])
def test_compat_mode_equals_the_simhash_package_on_the_same_features(ngram):
    texts = random_texts(ngram) + ["", "a", "a" * 600]
    got = fingerprints(pa.array(texts), ngram=ngram, mode="compat")
    assert got.shape == (len(texts), 1)
    assert [int(v) for v in got[:, 0]] == [Simhash(ngrams_py(t, ngram)).value for t in texts]


def test_compat_mode_binary_weighting_counts_each_distinct_ngram_once():
    texts = random_texts(7) + ["abababababab"]
    got = fingerprints(pa.array(texts), ngram=2, mode="compat", weighting="binary")
    assert [int(v) for v in got[:, 0]] == [Simhash(sorted(set(ngrams_py(t, 2)))).value for t in texts]


def test_compat_mode_128_bits_equals_the_package_with_f_128():
    texts = random_texts(11, count=40)
    got = fingerprints(pa.array(texts), ngram=3, width=128, mode="compat")
    assert [int(lo) | (int(hi) << 64) for lo, hi in got] == [Simhash(ngrams_py(t, 3), f=128).value for t in texts]


def test_md5_of_features_longer_than_one_block():
    text = "数据清洗" * 40  # 3-byte characters: one 30-gram feature is 90 bytes, two MD5 blocks
    got = fingerprints(pa.array([text]), ngram=30, mode="compat")
    assert int(got[0, 0]) == Simhash(ngrams_py(text, 30)).value


def test_fast_mode_word_zero_does_not_depend_on_width_and_words_differ():
    texts = pa.array(random_texts(3, count=20, longest=200))
    narrow = fingerprints(texts, width=64)
    wide = fingerprints(texts, width=256)
    assert wide.shape == (20, 4)
    assert np.array_equal(wide[:, 0], narrow[:, 0])
    assert len({tuple(row) for row in wide.T.tolist()}) == 4


def test_identical_texts_share_a_fingerprint_and_small_edits_move_few_bits():
    rng = random.Random(5)
    base = "".join(rng.choice("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学") for _ in range(2000))
    edited = base[:1000] + "改" + base[1001:]
    fp = fingerprints(pa.array([base, base, edited, base[::-1]]))
    assert fp[0, 0] == fp[1, 0]
    assert hamming_distance(fp[0], fp[2]) <= 4 < hamming_distance(fp[0], fp[3])


def test_nulls_are_empty_texts_and_slices_are_honoured():
    values = pa.array(["xx", None, "", "abcd"], pa.string())
    fp = fingerprints(values)
    assert fp[1, 0] == fp[2, 0]
    assert np.array_equal(fingerprints(values.slice(3, 1)), fp[3:])


def test_hamming_distance_of_rows_and_of_single_words():
    a = np.array([[0b1011, 0], [0, 2**63]], dtype=np.uint64)
    b = np.array([[0b0001, 1], [0, 0]], dtype=np.uint64)
    assert hamming_distance(a, b).tolist() == [3, 1]
    assert hamming_distance(a[:, 0], b[:, 0]).tolist() == [2, 0]


def test_ngram_keys_match_the_python_reference():
    cps = np.array([ord(c) for c in "数据ab😀"], dtype=np.int64)
    keys = np.empty(8, dtype=np.uint64)
    count = ngram_keys(cps, len(cps), 3, keys)
    assert [int(k) for k in keys[:count]] == [ngram_key_py(g) for g in ngrams_py("数据ab😀", 3)]


def test_invalid_parameters_are_refused():
    with pytest.raises(ValueError):
        fingerprints(pa.array(["x"]), width=96)
    with pytest.raises(ValueError):
        fingerprints(pa.array(["x"]), width=256, mode="compat")
    with pytest.raises(ValueError):
        fingerprints(pa.array(["x"]), weighting="tfidf")
