import random

import numpy as np
import pyarrow as pa
import pytest
from datasketch import MinHash

from filters.candidates import (
    EMPTY_HASH,
    band_keys,
    candidate_pairs,
    feature_hash_py,
    minhash_signatures,
    pairs_in_group,
    permutations,
    simhash_band_keys,
    unique_pairs,
)
from filters.simhash import ngrams_py

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"


def test_permutations_are_datasketchs():
    a, b = permutations(64, seed=1)
    reference = MinHash(num_perm=64, seed=1).permutations
    assert np.array_equal(a, reference[0]) and np.array_equal(b, reference[1])


def test_signatures_equal_datasketch_given_the_same_feature_hash():
    rng = random.Random(2)
    texts = ["".join(rng.choice("ab数据😀") for _ in range(rng.randrange(1, 30))) for _ in range(60)]
    signatures, counts = minhash_signatures(pa.array(texts), num_perm=32, ngram=4)
    for text, signature, count in zip(texts, signatures, counts):
        features = ngrams_py(text, 4)
        reference = MinHash(num_perm=32, seed=1, hashfunc=feature_hash_py)
        reference.update_batch([f.encode() for f in features])
        assert np.array_equal(signature, reference.hashvalues)
        assert count == len(features)


def test_empty_texts_have_no_features_and_get_no_band_keys():
    signatures, counts = minhash_signatures(pa.array(["", "abcdef", None], pa.string()), num_perm=8)
    assert counts.tolist() == [0, 2, 0]
    assert (signatures[0] == EMPTY_HASH).all()
    rows, bands, keys = band_keys(signatures, bands=4, rows=2)
    assert rows.tolist() == [1, 1, 1, 1] and bands.tolist() == [0, 1, 2, 3]


def test_band_keys_agree_exactly_when_the_band_agrees():
    signatures = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [1, 2, 3, 4]], dtype=np.uint32)
    rows, bands, keys = band_keys(signatures, bands=2, rows=2)
    key = {(r, b): k for r, b, k in zip(rows.tolist(), bands.tolist(), keys.tolist())}
    assert key[0, 0] == key[1, 0] == key[2, 0]
    assert key[0, 1] == key[2, 1] != key[1, 1]
    assert key[0, 0] != key[0, 1]  # the band number is part of the key


def test_band_layout_must_fit_the_signature():
    with pytest.raises(ValueError):
        band_keys(np.zeros((2, 8), dtype=np.uint32), bands=3, rows=3)


def test_simhash_bands_take_consecutive_bits_across_words():
    fp = np.array([[0xF0, 0x1], [0xF0, 0x0]], dtype=np.uint64)
    rows, bands, keys = simhash_band_keys(fp, bands=2, bits=64)
    key = {(r, b): k for r, b, k in zip(rows.tolist(), bands.tolist(), keys.tolist())}
    assert key[0, 0] == key[1, 0] and key[0, 1] != key[1, 1]
    rows, bands, keys = simhash_band_keys(fp, bands=3, bits=40)  # band 1 spans both words
    key = {(r, b): k for r, b, k in zip(rows.tolist(), bands.tolist(), keys.tolist())}
    assert key[0, 0] == key[1, 0] and key[0, 1] != key[1, 1] and key[0, 2] == key[1, 2]


def test_a_small_group_gives_every_pair():
    left, right, skipped = pairs_in_group(np.array([7, 3, 5]))
    assert sorted(zip(left.tolist(), right.tolist())) == [(3, 5), (3, 7), (5, 7)]
    assert skipped == 0


def test_a_hot_group_pairs_neighbours_in_sort_order_and_counts_the_rest():
    members = np.array([10, 11, 12, 13, 14])
    order = np.array([4, 3, 2, 1, 0])  # sorted by key: 14, 13, 12, 11, 10
    left, right, skipped = pairs_in_group(members, sort_keys=order, max_group=4, window=2)
    assert sorted(zip(left.tolist(), right.tolist())) == [(10, 11), (10, 12), (11, 12), (11, 13), (12, 13), (12, 14), (13, 14)]
    assert skipped == 10 - 7


def test_candidate_pairs_groups_by_band_and_key_and_deduplicates():
    rows = np.array([0, 1, 2, 0, 1, 3])
    bands = np.array([0, 0, 0, 1, 1, 1])
    keys = np.array([5, 5, 6, 7, 7, 5], dtype=np.uint64)  # key 5 in band 1 is another group than in band 0
    left, right, skipped = candidate_pairs(rows, bands, keys)
    assert list(zip(left.tolist(), right.tolist())) == [(0, 1)]
    assert skipped == 0


def test_unique_pairs_orders_and_drops_self_pairs():
    left, right = unique_pairs(np.array([3, 1, 2, 4]), np.array([1, 3, 2, 0]))
    assert list(zip(left.tolist(), right.tolist())) == [(0, 4), (1, 3)]


def _edited(text, rate, rng):
    chars = list(text)
    for i in rng.sample(range(len(chars)), round(rate * len(chars))):
        chars[i] = rng.choice(HAN)
    return "".join(chars)


def _jaccard(a, b, n=5):
    grams_a = {a[i:i + n] for i in range(len(a) - n + 1)}
    grams_b = {b[i:i + n] for i in range(len(b) - n + 1)}
    return len(grams_a & grams_b) / len(grams_a | grams_b)


def test_pair_recall_on_generated_near_duplicates():
    # 300 documents of 400 characters and a copy of each: 1-5% substituted characters, then cut to 80-100%
    # (Jaccard of 5-gram sets 0.51-0.98). With 32 bands of 5 rows a pair at Jaccard J is a candidate with
    # probability 1 - (1 - J**5)**32; the count found must agree with the expectation over the pairs.
    rng = random.Random(20)
    bases = ["".join(rng.choice(HAN) for _ in range(400)) for _ in range(300)]
    copies = [_edited(b, rng.uniform(0.01, 0.05), rng)[: round(400 * rng.uniform(0.8, 1.0))] for b in bases]
    signatures, counts = minhash_signatures(pa.array(bases + copies), num_perm=160, ngram=5)
    left, right, skipped = candidate_pairs(*band_keys(signatures, bands=32, rows=5))
    found = set(zip(left.tolist(), right.tolist()))
    gold = [(i, 300 + i) for i in range(300)]
    jaccard = np.array([_jaccard(b, c) for b, c in zip(bases, copies)])
    chance = 1 - (1 - jaccard**5) ** 32
    hits = np.array([pair in found for pair in gold])
    assert hits.sum() == 289
    assert abs(hits.sum() - chance.sum()) < 3 * np.sqrt((chance * (1 - chance)).sum())
    assert hits[jaccard >= 0.7].all()  # the operating point: every pair at Jaccard >= 0.7 is found
    assert len(found - set(gold)) == 0  # unrelated random texts never meet
    assert skipped == 0
