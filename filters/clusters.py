"""Clusters of verified near-duplicate pairs, and the one record each cluster keeps.

`connected_components` is an in-memory union-find (numba; path halving, the smaller index becomes
the root, so a component's label is its smallest node). It is the oracle for the distributed
connected components of the Beam stage and the local finish for what those rounds leave unresolved.

`choose_survivors` picks one member per component, deterministically, by the `near.keep` policy:

- ``smallest_id``: the smallest record id (as `exact` does);
- ``source_priority``: the smallest source rank (the index of the first `source_priority` pattern
  the record's source matches; unmatched sources rank last), then the smallest id;
- ``longest``: the most characters, then the smallest id.

Every other member is a duplicate of the survivor, so a cluster is never lost whole.
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

KEEP_POLICIES = ("smallest_id", "source_priority", "longest")


@numba.njit(cache=True, nogil=True)
def _find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@numba.njit(cache=True, nogil=True)
def _union_all(parent, left, right):
    for k in range(left.shape[0]):
        a = _find(parent, left[k])
        b = _find(parent, right[k])
        if a < b:
            parent[b] = a
        elif b < a:
            parent[a] = b
    for x in range(parent.shape[0]):
        parent[x] = _find(parent, x)


def connected_components(num_nodes: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Component label of every node 0..num_nodes-1 given edges (left[k], right[k]): its smallest node."""
    parent = np.arange(num_nodes, dtype=np.int64)
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    if len(left) != len(right):
        raise ValueError("left and right must have the same length")
    if len(left) and (min(left.min(), right.min()) < 0 or max(left.max(), right.max()) >= num_nodes):
        raise ValueError("edge endpoints must be node indices in [0, num_nodes)")
    _union_all(parent, left, right)
    return parent


def _ranks(ids: pa.Array | np.ndarray | list) -> np.ndarray:
    """Rank of every id in ascending order (equal ids share no rank: ties go to the earlier row)."""
    array = ids if isinstance(ids, (pa.Array, pa.ChunkedArray)) else pa.array(ids)
    order = np.asarray(pc.sort_indices(array))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order))
    return ranks


def choose_survivors(
    labels: np.ndarray,
    ids: pa.Array | np.ndarray | list,
    policy: str = "smallest_id",
    source_ranks: np.ndarray | None = None,
    lengths: np.ndarray | None = None,
) -> np.ndarray:
    """For every node, the node its component keeps (itself for survivors and for singletons)."""
    labels = np.asarray(labels, dtype=np.int64)
    id_rank = _ranks(ids)
    if policy == "smallest_id":
        keys = (id_rank,)
    elif policy == "source_priority":
        if source_ranks is None:
            raise ValueError("policy source_priority needs source_ranks")
        keys = (id_rank, np.asarray(source_ranks, dtype=np.int64))
    elif policy == "longest":
        if lengths is None:
            raise ValueError("policy longest needs lengths")
        keys = (id_rank, -np.asarray(lengths, dtype=np.int64))
    else:
        raise ValueError(f"keep policy must be one of {KEEP_POLICIES}")
    order = np.lexsort(keys + (labels,))  # by component, then by preference
    sorted_labels = labels[order]
    first = np.r_[True, sorted_labels[1:] != sorted_labels[:-1]]
    best_of_label = np.empty(len(labels), dtype=np.int64)
    best_of_label[sorted_labels[first]] = order[first]
    return best_of_label[labels]


def connected_components_py(num_nodes: int, edges: list[tuple[int, int]]) -> list[int]:
    """Smallest member of every node's component, by breadth-first search (a reference for tests)."""
    neighbours: list[list[int]] = [[] for _ in range(num_nodes)]
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    label = [-1] * num_nodes
    for start in range(num_nodes):
        if label[start] >= 0:
            continue
        members, frontier = [start], [start]
        label[start] = start
        while frontier:
            nxt = []
            for x in frontier:
                for y in neighbours[x]:
                    if label[y] < 0:
                        label[y] = start
                        members.append(y)
                        nxt.append(y)
            frontier = nxt
        smallest = min(members)
        for x in members:
            label[x] = smallest
    return label
