"""Stage `near`: near-duplicate dedup over the records that exact dedup keeps.

    per task (transforms.process)   matching form → 64-bit simhash + MinHash LSH band keys; band rows
                                    (key, handle, simhash) staged per band partition
    Candidates (per band partition) rows of every task, minus records dedup already removed; groups of
                                    equal keys paired (hot keys capped, skips counted)
    Verify (per record partition)   only the texts of candidate records move: each partition reads its
                                    staged records once and ships the texts to where their pairs are
                                    checked by greedy string tiling (order-free) or, for short texts, LCS
    Cluster                         min-label propagation over verified edges for `near.rounds` rounds
                                    (no worker sees every edge), then a union-find over what is left
                                    unresolved (only edges between different labels), counted
    Keep one                        per cluster by `near.keep`; the others are `near_duplicate` decisions

A record is named by its handle: partition << 48 | task ordinal << 32 | its row among the task's
staged rows of that partition, so a shard's reader finds its text without an index.
"""

from __future__ import annotations

import json
from typing import Any

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from apache_beam.metrics import Metrics

from filters.candidates import band_keys, candidate_pairs, minhash_signatures, simhash_band_keys
from filters.clusters import choose_survivors, connected_components
from filters.near_text import matching_form
from filters.simhash import fingerprints, hamming_distance
from filters.tiling import verify_pairs
from pipelines.config import FieldNames, NearConfig, RecordFormat
from pipelines.records import content_columns
from transforms.batches import concat, content_bytes
from transforms.dedup import DECISION_SCHEMA, source_priority
from transforms.packing import Packed, unpacked
from transforms.staging import read_task_partition

BAND_SCHEMA = pa.schema([("key", pa.uint64()), ("handle", pa.uint64()), ("simhash", pa.uint64())])
NODE_SCHEMA = pa.schema([
    ("handle", pa.uint64()), ("id", pa.string()), ("source", pa.string()), ("source_row", pa.int64()),
    ("priority", pa.int32()), ("length", pa.int64()), ("nbytes", pa.int64()), ("simhash", pa.uint64()),
    ("text", pa.string()),
])
PAIR_SCHEMA = pa.schema([("a", pa.uint64()), ("b", pa.uint64())])


def make_handles(partitions: np.ndarray, ordinal: int, rows: np.ndarray) -> np.ndarray:
    return (partitions.astype(np.uint64) << np.uint64(48)) | (np.uint64(ordinal) << np.uint64(32)) | rows.astype(np.uint64)


def handle_partition(handles: np.ndarray) -> np.ndarray:
    return (handles >> np.uint64(48)).astype(np.int64)


def handle_task(handles: np.ndarray) -> np.ndarray:
    return ((handles >> np.uint64(32)) & np.uint64(0xFFFF)).astype(np.int64)


def handle_row(handles: np.ndarray) -> np.ndarray:
    return (handles & np.uint64(0xFFFFFFFF)).astype(np.int64)


def comparison_text(batch, fmt: RecordFormat, cfg: NearConfig, fields: FieldNames) -> pa.Array:
    """What defines "the same record": the document; chosen SFT fields; or ShareGPT's asking turns."""
    if fmt is RecordFormat.web:
        return pc.fill_null(batch.column("text"), "")
    if fmt is RecordFormat.alpaca:
        columns = [pc.fill_null(batch.column(name), "") for name in cfg.sft_fields]
        return columns[0] if len(columns) == 1 else pc.binary_join_element_wise(*columns, "\n")
    humans = set(fields.human_speakers)
    texts = ["\n".join(t["value"] or "" for t in turns or [] if cfg.sharegpt_turns == "all" or t["from"] in humans)
             for turns in batch.column("conversations").to_pylist()]
    return pa.array(texts, pa.string())


def fingerprint_rows(batch, fmt: RecordFormat, cfg: NearConfig, fields: FieldNames):
    """(64-bit simhash per row, band rows: row index and key) of a batch of records."""
    matching = matching_form(comparison_text(batch, fmt, cfg, fields))
    simhash = fingerprints(matching, ngram=cfg.simhash_ngram, width=64, weighting=cfg.weighting)[:, 0]
    if cfg.method == "minhash":
        signatures, features = minhash_signatures(matching, num_perm=cfg.num_perm, ngram=cfg.ngram)
        rows, _, keys = band_keys(signatures, cfg.bands, cfg.rows, mask=features > 0)
    else:
        wide = fingerprints(matching, ngram=cfg.simhash_ngram, width=cfg.width, weighting=cfg.weighting)
        filled = pc.utf8_length(matching).to_numpy(zero_copy_only=False) > 0
        rows, _, keys = simhash_band_keys(wide, cfg.bands, cfg.rows, mask=filled)
    return simhash, rows, keys


class NearFingerprints:
    """The per-task part: handles, simhashes and band rows for the kept rows of one task."""

    def __init__(self, fmt: RecordFormat, cfg: NearConfig, fields: FieldNames, partitions: int, ordinal: int):
        self.fmt, self.cfg, self.fields, self.ordinal = fmt, cfg, fields, ordinal
        self.staged_rows = np.zeros(partitions, dtype=np.int64)  # rows staged so far, per partition

    def handles(self, partitions: np.ndarray) -> np.ndarray:
        """Each row's index among this task's staged rows of its partition, as the writer will stage them."""
        order = np.argsort(partitions, kind="stable")
        ranked = partitions[order]
        starts = np.r_[0, np.flatnonzero(ranked[1:] != ranked[:-1]) + 1] if len(ranked) else np.zeros(0, np.int64)
        within = np.arange(len(ranked)) - np.repeat(starts, np.diff(np.r_[starts, len(ranked)]))
        rows = np.empty(len(partitions), dtype=np.int64)
        rows[order] = self.staged_rows[ranked] + within
        np.add.at(self.staged_rows, partitions, 1)
        return make_handles(partitions, self.ordinal, rows)

    def band_rows(self, batch, handles: np.ndarray) -> pa.Table:
        simhash, rows, keys = fingerprint_rows(batch, self.fmt, self.cfg, self.fields)
        return pa.table({"key": pa.array(keys), "handle": pa.array(handles[rows]),
                                  "simhash": pa.array(simhash[rows])}, schema=BAND_SCHEMA)


# ---------------------------------------------------------------- candidates


def _sorted_losers(tables) -> np.ndarray:
    handles = [t.column("handle").to_numpy() for t in tables if t.num_rows]
    return np.unique(np.concatenate(handles)) if handles else np.zeros(0, np.uint64)


class _CandidatesFn(beam.DoFn):
    """Band partition → candidate pairs (handle a < handle b) keyed by the partition where they are verified."""

    def __init__(self, cfg: NearConfig):
        self.cfg = cfg

    def process(self, band_partition: int, tasks: list[dict], removed: list[pa.Table]):
        rows = concat([read_task_partition(e, "bands", band_partition, BAND_SCHEMA) for e in sorted(tasks, key=lambda e: e["folder"])],
                      BAND_SCHEMA)
        handles = rows.column("handle").to_numpy()
        losers = _sorted_losers(removed)
        if len(losers) and len(handles):
            at = np.minimum(np.searchsorted(losers, handles), len(losers) - 1)
            alive = losers[at] != handles
            rows = rows.filter(pa.array(alive))
            handles = handles[alive]
        left, right, skipped = candidate_pairs(np.arange(rows.num_rows), np.zeros(rows.num_rows, np.int32),
                                               rows.column("key").to_numpy(), rows.column("simhash").to_numpy(),
                                               self.cfg.max_group, self.cfg.window)
        a, b = handles[left], handles[right]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keep = lo != hi
        lo, hi = lo[keep], hi[keep]
        Metrics.counter("near", "hot_key_pairs_skipped").inc(skipped)
        if skipped:
            yield beam.pvalue.TaggedOutput("stats", {"near": {"hot_key_pairs_skipped": skipped}})
        where = handle_partition(lo)
        for partition in np.unique(where):
            mine = where == partition
            yield int(partition), Packed(pa.table({"a": pa.array(lo[mine]), "b": pa.array(hi[mine])}, schema=PAIR_SCHEMA))


# ---------------------------------------------------------------- verification


def _requests(element):
    """Pairs verified at one partition → (partition of a record, (its handle, where its text goes))."""
    partition, pairs = element
    table = unpacked(pairs)
    handles = np.unique(np.concatenate([table.column("a").to_numpy(), table.column("b").to_numpy()]))
    owners = handle_partition(handles)
    for owner in np.unique(owners):
        yield int(owner), (partition, handles[owners == owner])


class _ShipTextsFn(beam.DoFn):
    """Record partition → the matching texts (and what survivor choice needs) of its requested records,
    sent to the partitions that verify their pairs. Each partition's staged rows are read once."""

    def __init__(self, fmt: RecordFormat, near: NearConfig, fields: FieldNames, priority_patterns: list[str],
                 record_schema: pa.Schema):
        self.fmt, self.near, self.fields, self.patterns, self.record_schema = fmt, near, fields, priority_patterns, record_schema

    def process(self, element, tasks: list[dict]):
        partition, requests = element
        by_ordinal = {e["ordinal"]: e for e in tasks}
        wanted = np.unique(np.concatenate([handles for _, handles in requests]))
        parts = []
        for ordinal in np.unique(handle_task(wanted)):
            mine = wanted[handle_task(wanted) == ordinal]
            rows = read_task_partition(by_ordinal[int(ordinal)], "records", partition, self.record_schema)
            parts.append(self._nodes(rows.take(pa.array(handle_row(mine))), mine))
        nodes = concat(parts, NODE_SCHEMA)
        for destination, handles in requests:
            chosen = np.isin(nodes.column("handle").to_numpy(), handles)
            yield destination, Packed(nodes.filter(pa.array(chosen)))

    def _nodes(self, rows: pa.Table, handles: np.ndarray) -> pa.Table:
        text = matching_form(comparison_text(rows, self.fmt, self.near, self.fields))
        simhash = fingerprints(text, ngram=self.near.simhash_ngram, width=64, weighting=self.near.weighting)[:, 0]
        return pa.table({
            "handle": pa.array(handles), "id": rows.column("id"), "source": rows.column("source"),
            "source_row": rows.column("source_row"),
            "priority": pa.array(source_priority(rows.column("source").combine_chunks(), self.patterns)),
            "length": rows.column("length"), "nbytes": pa.array(content_bytes(rows, content_columns(self.fmt))),
            "simhash": pa.array(simhash), "text": text,
        }, schema=NODE_SCHEMA)


class _VerifyFn(beam.DoFn):
    """Pairs and the texts of their records → verified edges (with both records' details), counted."""

    def __init__(self, cfg: NearConfig):
        self.cfg = cfg

    def process(self, element):
        _, groups = element
        pairs = concat(map(unpacked, groups["pairs"]), PAIR_SCHEMA)
        if not pairs.num_rows:
            return
        a_all, b_all = pairs.column("a").to_numpy(), pairs.column("b").to_numpy()
        packed = np.unique(np.stack([a_all, b_all], axis=1), axis=0)  # the same pair may come from several bands
        a, b = packed[:, 0], packed[:, 1]
        nodes = concat(map(unpacked, groups["texts"]), NODE_SCHEMA)
        nodes = nodes.take(pc.sort_indices(nodes, [("handle", "ascending")]))
        handles = nodes.column("handle").to_numpy()
        first = np.r_[True, handles[1:] != handles[:-1]] if len(handles) else np.zeros(0, bool)
        nodes, handles = nodes.filter(pa.array(first)), handles[first]
        ia, ib = np.searchsorted(handles, a), np.searchsorted(handles, b)
        simhash = nodes.column("simhash").to_numpy()
        distance = hamming_distance(simhash[ia][:, None], simhash[ib][:, None])
        texts = nodes.column("text")
        close = distance <= self.cfg.max_distance
        similarity = np.zeros(len(a))
        if close.any():
            similarity[close] = verify_pairs(texts.take(pa.array(ia[close])), texts.take(pa.array(ib[close])),
                                             self.cfg.min_tile, self.cfg.short_text_chars)
        lengths = pc.utf8_length(texts).to_numpy(zero_copy_only=False)
        short = np.minimum(lengths[ia], lengths[ib]) < self.cfg.short_text_chars
        needed = np.where(short, self.cfg.min_short_similarity, self.cfg.min_similarity)
        passed = close & (similarity >= needed)
        Metrics.counter("near", "candidate_pairs").inc(len(a))
        Metrics.counter("near", "verified_pairs").inc(int(passed.sum()))
        yield beam.pvalue.TaggedOutput("stats", {"near": {"candidate_pairs": int(len(a)), "verified_pairs": int(passed.sum()),
                                                          "pairs_within_distance": int(close.sum())}})
        info = nodes.drop_columns(["text", "simhash"])
        for i in np.flatnonzero(passed):
            edge = (int(a[i]), int(b[i]), round(float(similarity[i]), 4), int(distance[i]))
            yield edge
            for end in (ia[i], ib[i]):
                yield beam.pvalue.TaggedOutput("nodes", (int(handles[end]), info.slice(int(end), 1).to_pylist()[0]))


# ---------------------------------------------------------------- clusters


def _min_labels(adjacency_and_labels):
    """One round of min-label propagation: a node's label goes to every neighbour."""
    node, groups = adjacency_and_labels
    label = min(groups["labels"]) if groups["labels"] else node
    yield node, label
    for neighbours in groups["adjacency"]:
        for neighbour in neighbours:
            yield neighbour, label


def _cross_label_edges(element):
    """After the last round: edges between different labels (the part of the graph still unresolved)."""
    node, groups = element
    own = min(groups["labels"])
    seen = {label for label in groups["incoming"] if label != own}
    for other in seen:
        yield min(own, other), max(own, other)


def _resolve_labels(edges: list[tuple[int, int]]) -> dict[int, int]:
    """Union-find over the labels left unresolved: label → the smallest label of its component."""
    if not edges:
        return {}
    labels = np.unique(np.array(edges, dtype=np.uint64).ravel())
    left = np.searchsorted(labels, np.array([e[0] for e in edges], dtype=np.uint64))
    right = np.searchsorted(labels, np.array([e[1] for e in edges], dtype=np.uint64))
    roots = connected_components(len(labels), left, right)
    return {int(labels[i]): int(labels[roots[i]]) for i in range(len(labels)) if roots[i] != i}


class _KeepOneFn(beam.DoFn):
    """A cluster's members → near_duplicate decisions for all but the one `near.keep` chooses."""

    def __init__(self, cfg: NearConfig):
        self.cfg = cfg

    def process(self, element):
        _, members = element
        members = sorted(members, key=lambda m: m[0])
        info = [m[1] for m in members]
        ids = pa.array([i["id"] for i in info], pa.string())
        order = np.lexsort((np.array([i["source_row"] for i in info]), np.array([i["source"] for i in info], dtype=object)))
        labels = np.zeros(len(info), dtype=np.int64)
        ranks = np.empty(len(info), dtype=np.int64)
        ranks[order] = np.arange(len(info))  # ties between equal ids go to the earlier (source, row)
        survivor = choose_survivors(labels, _tie_broken(ids, ranks), self.cfg.keep,
                                    source_ranks=np.array([i["priority"] for i in info]),
                                    lengths=np.array([i["length"] for i in info]))[0]
        losers = [k for k in range(len(info)) if k != survivor]
        if not losers:
            return
        kept = info[survivor]
        details = [json.dumps({"duplicate_of": kept["id"], "similarity": members[k][2][0], "hamming_distance": members[k][2][1]},
                              ensure_ascii=False) for k in losers]
        Metrics.counter("near", "near_duplicate").inc(len(losers))
        n = len(losers)
        yield pa.Table.from_arrays([
            pa.array([info[k]["id"] for k in losers], pa.string()), pa.array([info[k]["source"] for k in losers], pa.string()),
            pa.array([info[k]["source_row"] for k in losers], pa.int64()),
            pa.array(handle_partition(np.array([members[k][0] for k in losers], dtype=np.uint64)).astype(np.int32)),
            pa.array(["near"] * n), pa.array(["near_duplicate"] * n), pa.array(details, pa.string()),
            pa.array(np.array([members[k][0] for k in losers], dtype=np.uint64)),
        ], schema=DECISION_SCHEMA)
        for k in losers:
            yield beam.pvalue.TaggedOutput("freed_bytes", (int(handle_partition(np.array([members[k][0]], np.uint64))[0]),
                                                           -int(info[k]["nbytes"])))


def _tie_broken(ids: pa.Array, ranks: np.ndarray) -> list[str]:
    """Ids made distinct for sorting: equal ids order by the record's (source, row) rank."""
    return [f"{value}\u0000{rank:012d}" for value, rank in zip(ids.to_pylist(), ranks)]


class ConnectedComponents(beam.PTransform):
    """Edges (a, b, ...) → ((node, smallest node of its component), number of edges the rounds left unresolved).

    `rounds` of min-label propagation run as joins over all nodes in parallel; a node's label is then
    the smallest node within `rounds` hops. Only the edges whose ends still carry different labels go
    to one worker, which joins the labels with a union-find; every node's label is mapped through it.
    """

    def __init__(self, rounds: int):
        super().__init__()
        self.rounds = rounds

    def expand(self, edges):
        adjacency = (
            edges
            | "BothWays" >> beam.FlatMap(lambda e: [(e[0], e[1]), (e[1], e[0])])
            | "Neighbours" >> beam.GroupByKey()
        )
        labels = adjacency | "OwnLabels" >> beam.Map(lambda kv: (kv[0], kv[0]))
        for round_ in range(self.rounds):
            labels = (
                {"labels": labels, "adjacency": adjacency}
                | f"Round{round_}Join" >> beam.CoGroupByKey()
                | f"Round{round_}Send" >> beam.FlatMap(_min_labels)
                | f"Round{round_}Min" >> beam.CombinePerKey(min)
            )
        incoming = (
            {"labels": labels, "adjacency": adjacency}
            | "LastJoin" >> beam.CoGroupByKey()
            | "LastSend" >> beam.FlatMap(_min_labels)
        )
        unresolved = (
            {"labels": labels, "incoming": incoming}
            | "LastCheck" >> beam.CoGroupByKey()
            | "CrossLabelEdges" >> beam.FlatMap(_cross_label_edges)
            | "DistinctCrossEdges" >> beam.Distinct()
        )
        resolved = unresolved | "AllUnresolved" >> beam.combiners.ToList() | "ResolveLabels" >> beam.Map(_resolve_labels)
        final = labels | "FinalLabels" >> beam.Map(lambda kv, roots: (kv[0], roots.get(kv[1], kv[1])),
                                                   beam.pvalue.AsSingleton(resolved))
        count = unresolved | "CountUnresolved" >> beam.combiners.Count.Globally()
        return final, count


class NearDuplicates(beam.PTransform):
    """(task entries, decisions so far) → (near_duplicate decisions, (partition, bytes freed), stats)."""

    def __init__(self, fmt: RecordFormat, cfg: NearConfig, fields: FieldNames, priority_patterns: list[str],
                 record_schema: pa.Schema, partitions: int):
        super().__init__()
        self.fmt, self.cfg, self.fields, self.patterns = fmt, cfg, fields, priority_patterns
        self.record_schema, self.partitions = record_schema, partitions

    def expand(self, inputs):
        tasks, decisions = inputs
        p = tasks.pipeline
        tasks_side = beam.pvalue.AsList(tasks)
        candidates = (
            p | "BandPartitions" >> beam.Create(range(self.partitions))
            | "Candidates" >> beam.ParDo(_CandidatesFn(self.cfg), tasks_side, beam.pvalue.AsList(decisions))
            .with_output_types(tuple[int, Any]).with_outputs("stats", main="pairs")
        )
        texts = (
            candidates.pairs
            | "PairsByPartition" >> beam.GroupByKey()
            | "MergePairs" >> beam.MapTuple(lambda k, tables: (k, Packed(concat(map(unpacked, tables), PAIR_SCHEMA))))
        )
        shipped = (
            texts
            | "Requests" >> beam.FlatMap(_requests)
            | "RequestsByPartition" >> beam.GroupByKey()
            | "ShipTexts" >> beam.ParDo(_ShipTextsFn(self.fmt, self.cfg, self.fields, self.patterns, self.record_schema),
                                        tasks_side).with_output_types(tuple[int, Any])
        )
        verified = (
            {"pairs": texts | "PairsAgain" >> beam.MapTuple(lambda k, t: (k, t)), "texts": shipped}
            | "PairsWithTexts" >> beam.CoGroupByKey()
            | "Verify" >> beam.ParDo(_VerifyFn(self.cfg)).with_outputs("stats", "nodes", main="edges")
        )
        edges = verified.edges
        final, unresolved = edges | "Clusters" >> ConnectedComponents(self.cfg.rounds)
        best_edge = (
            edges
            | "EdgeEnds" >> beam.FlatMap(lambda e: [(e[0], (e[2], e[3], e[1])), (e[1], (e[2], e[3], e[0]))])
            | "BestEdge" >> beam.CombinePerKey(max)
        )
        node_info = verified.nodes | "OneInfoPerNode" >> beam.CombinePerKey(lambda infos: next(iter(infos)))
        members = (
            {"label": final, "info": node_info, "edge": best_edge}
            | "NodeDetails" >> beam.CoGroupByKey()
            | "ByCluster" >> beam.Map(_member)
            | "Members" >> beam.GroupByKey()
        )
        kept = members | "KeepOne" >> beam.ParDo(_KeepOneFn(self.cfg)).with_outputs("freed_bytes", main="decisions")
        stats = (
            (candidates.stats, verified.stats,
             unresolved | "UnresolvedStats" >> beam.Map(lambda n, r: {"near": {"rounds": r, "unresolved_edges": n}}, self.cfg.rounds))
            | "NearStats" >> beam.Flatten()
        )
        return kept.decisions, kept.freed_bytes, stats


def _member(element):
    """(cluster label, (handle, details, (similarity, distance) of the member's strongest edge))."""
    handle, groups = element
    similarity, distance, _ = groups["edge"][0]
    return groups["label"][0], (handle, groups["info"][0], (similarity, distance))
