import random

import numpy as np
import pytest

from filters.clusters import choose_survivors, connected_components, connected_components_py


def test_components_equal_breadth_first_search_on_random_graphs():
    rng = random.Random(3)
    for _ in range(40):
        n = rng.randrange(1, 200)
        edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randrange(0, 2 * n))]
        left = np.array([a for a, _ in edges], dtype=np.int64)
        right = np.array([b for _, b in edges], dtype=np.int64)
        assert connected_components(n, left, right).tolist() == connected_components_py(n, edges)


def test_a_long_chain_is_one_component_labelled_by_its_smallest_node():
    n = 200_000
    order = np.random.default_rng(0).permutation(n)
    labels = connected_components(n, order[:-1], order[1:])
    assert (labels == 0).all()


def test_a_star_is_one_component_and_other_nodes_stay_alone():
    labels = connected_components(10, np.full(6, 7), np.array([1, 2, 3, 4, 5, 6]))
    assert labels.tolist() == [0, 1, 1, 1, 1, 1, 1, 1, 8, 9]


def test_survivor_is_the_smallest_id_of_its_component():
    labels = connected_components(6, [5, 1, 3], [4, 2, 4])
    ids = ["f", "e", "d", "c", "b", "a"]
    assert choose_survivors(labels, ids).tolist() == [0, 2, 2, 5, 5, 5]


def test_survivor_by_source_priority_then_id():
    labels = connected_components(6, [5, 1, 3], [4, 2, 4])
    ranks = np.array([0, 1, 1, 0, 1, 1])
    assert choose_survivors(labels, list("fedcba"), "source_priority", source_ranks=ranks).tolist() == [0, 2, 2, 3, 3, 3]


def test_survivor_by_length_then_id():
    labels = connected_components(6, [5, 1, 3], [4, 2, 4])
    lengths = np.array([1, 5, 5, 5, 9, 9])
    assert choose_survivors(labels, list("fedcba"), "longest", lengths=lengths).tolist() == [0, 2, 2, 5, 5, 5]


def test_every_component_keeps_exactly_one_member():
    rng = np.random.default_rng(1)
    n = 1000
    labels = connected_components(n, rng.integers(0, n, 700), rng.integers(0, n, 700))
    survivors = choose_survivors(labels, [f"id-{i:04d}" for i in rng.permutation(n)])
    assert len(np.unique(survivors)) == len(np.unique(labels))
    assert (survivors[survivors] == survivors).all()
    assert (labels[survivors] == labels).all()


def test_bad_edges_and_policies_are_refused():
    with pytest.raises(ValueError):
        connected_components(3, [0], [3])
    with pytest.raises(ValueError):
        choose_survivors(np.zeros(2, np.int64), ["a", "b"], "longest")
