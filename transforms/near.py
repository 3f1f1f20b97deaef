"""Stage `near`: near-duplicate dedup over the records that exact dedup keeps.

    per task (transforms.process)   matching form → 64-bit simhash + MinHash LSH band keys; band rows
                                    (key, handle, simhash) staged per band partition, the matching form
                                    staged beside the records
    Candidates (per band partition) rows of every task, minus records dedup already removed; groups of
                                    equal keys paired (hot keys capped, skips counted), with the simhash
                                    distance of each pair: only pairs within near.max_distance go on
    Requests, ShipTexts, Verify     only the texts of candidate records move: each verifying partition
                                    asks for the handles its pairs need, each record partition reads its
                                    staged rows once and sends their matching texts, and the pairs are
                                    checked by greedy string tiling (order-free) or, for short texts, LCS
    Clusters                        min-label propagation over verified edges for `near.rounds` rounds,
                                    partition by partition (no worker sees every edge), then a union-find
                                    over only the label pairs still unresolved, counted
    Members, KeepOne                a cluster's members meet at the partition of its label; one stays by
                                    `near.keep`, the others become `near_duplicate` decisions

Every step runs per partition and exchanges Arrow tables through staged files (transforms.exchange):
what passes through the runner is file entries and counts, never pairs, texts or edges one by one.

A record is named by its handle: partition << 48 | task ordinal << 32 | its row among the task's
staged rows of that partition, so a partition finds its records' texts without an index.
"""

from __future__ import annotations

import json

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from apache_beam.metrics import Metrics

from filters.candidates import band_keys, candidate_pairs, minhash_signatures, simhash_band_keys
from filters.clusters import choose_survivors, connected_components
from filters.near_text import matching_form
from filters.simhash import fingerprints, hamming_distance
from filters.tiling import verify_indexed_pairs
from pipelines.config import FieldNames, NearConfig, RecordFormat
from pipelines.records import content_columns
from transforms.batches import ROW_ORDER, concat, content_bytes
from transforms.dedup import DECISION_SCHEMA, decision_entry, source_priority
from transforms.exchange import exchange_path, partition_step, read_destination, read_everything, write_partitioned
from transforms.packing import Packed, unpacked
from transforms.staging import read_partition, read_task_partition

BAND_SCHEMA = pa.schema([("key", pa.uint64()), ("handle", pa.uint64()), ("simhash", pa.uint64())])
MATCHING_SCHEMA = pa.schema([("text", pa.string())])  # staged per record, in the records' order
NODE_SCHEMA = pa.schema([
    ("handle", pa.uint64()), ("id", pa.string()), ("source", pa.string()), ("source_row", pa.int64()),
    ("priority", pa.int32()), ("length", pa.int64()), ("nbytes", pa.int64()),
    ("text", pa.string()),
])
NODE_INFO_SCHEMA = pa.schema([f for f in NODE_SCHEMA if f.name != "text"])
PAIR_SCHEMA = pa.schema([("a", pa.uint64()), ("b", pa.uint64())])
CANDIDATE_SCHEMA = pa.schema([*PAIR_SCHEMA, ("distance", pa.int32())])  # distance: of the two 64-bit simhashes
REQUEST_SCHEMA = pa.schema([("handle", pa.uint64()), ("to", pa.int32())])
EDGE_SCHEMA = pa.schema([("node", pa.uint64()), ("neighbour", pa.uint64()), ("similarity", pa.float64()), ("distance", pa.int32())])
LABEL_SCHEMA = pa.schema([("node", pa.uint64()), ("label", pa.uint64())])
MEMBER_SCHEMA = pa.schema([*NODE_INFO_SCHEMA, ("cluster", pa.uint64()), ("similarity", pa.float64()), ("distance", pa.int32())])


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


def fingerprint_rows(batch, fmt: RecordFormat, cfg: NearConfig, fields: FieldNames, matching: pa.Array | None = None):
    """(64-bit simhash per row, band rows: row index and key) of a batch of records (whose matching form
    the caller may have computed)."""
    if matching is None:
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

    def band_rows(self, batch, handles: np.ndarray) -> tuple[pa.Table, pa.Table]:
        """(band rows, the matching form of every row): the matching texts are staged beside the records,
        so that shipping them to verification reads them instead of computing them again."""
        matching = matching_form(comparison_text(batch, self.fmt, self.cfg, self.fields))
        simhash, rows, keys = fingerprint_rows(batch, self.fmt, self.cfg, self.fields, matching)
        bands = pa.table({"key": pa.array(keys), "handle": pa.array(handles[rows]), "simhash": pa.array(simhash[rows])},
                         schema=BAND_SCHEMA)
        return bands, pa.table({"text": matching}, schema=MATCHING_SCHEMA)


# ---------------------------------------------------------------- candidates


class _CandidatesFn(beam.DoFn):
    """Band partition → candidate pairs (handle a < handle b), laid out by the partition that verifies them
    (the partition of a). Records that dedup already removed are left out."""

    def __init__(self, staging: str, cfg: NearConfig):
        self.staging, self.cfg = staging, cfg
        self._removed: tuple[tuple, np.ndarray] | None = None

    def removed(self, decisions: list[dict]) -> np.ndarray:
        """Sorted handles of every record dedup removed; read once per worker, not once per partition."""
        paths = tuple(sorted(e["path"] for e in decisions if e))
        if self._removed is None or self._removed[0] != paths:
            handles = read_everything(decisions, DECISION_SCHEMA, ["handle"]).column("handle").to_numpy()
            self._removed = (paths, np.unique(handles))
        return self._removed[1]

    def process(self, band_partition: int, tasks: list[dict], decisions: list[dict]):
        rows = read_partition(tasks, "bands", band_partition, BAND_SCHEMA)
        handles = rows.column("handle").to_numpy()
        losers = self.removed(decisions)
        if len(losers) and len(handles):
            at = np.minimum(np.searchsorted(losers, handles), len(losers) - 1)
            alive = losers[at] != handles
            rows = rows.filter(pa.array(alive))
            handles = handles[alive]
        simhash = rows.column("simhash").to_numpy()
        left, right, skipped = candidate_pairs(np.arange(rows.num_rows), np.zeros(rows.num_rows, np.int32),
                                               rows.column("key").to_numpy(), simhash, self.cfg.max_group, self.cfg.window)
        a, b = handles[left], handles[right]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keep = lo != hi
        lo, hi = lo[keep], hi[keep]
        distance = hamming_distance(simhash[left[keep]][:, None], simhash[right[keep]][:, None]).astype(np.int32)
        Metrics.counter("near", "hot_key_pairs_skipped").inc(skipped)
        if skipped:
            yield beam.pvalue.TaggedOutput("stats", {"near": {"hot_key_pairs_skipped": skipped}})
        pairs = pa.table({"a": pa.array(lo, pa.uint64()), "b": pa.array(hi, pa.uint64()), "distance": distance},
                         schema=CANDIDATE_SCHEMA)
        yield write_partitioned(exchange_path(self.staging, "near-pairs", band_partition), pairs, handle_partition(lo))


def _distinct_pairs(pairs: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """The same pair may come from several bands: each once, in (a, b) order."""
    if not pairs.num_rows:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    packed = np.unique(np.stack([pairs.column("a").to_numpy(), pairs.column("b").to_numpy()], axis=1), axis=0)
    return packed[:, 0], packed[:, 1]


def _distinct_candidates(pairs: pa.Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs, each once in (a, b) order, with their simhash distance."""
    if not pairs.num_rows:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64), np.zeros(0, np.int32)
    stacked = np.stack([pairs.column("a").to_numpy(), pairs.column("b").to_numpy()], axis=1)
    packed, first = np.unique(stacked, axis=0, return_index=True)
    return packed[:, 0], packed[:, 1], pairs.column("distance").to_numpy()[first]


# ---------------------------------------------------------------- verification


def _requests(staging: str, partition: int, pairs: list[dict], max_distance: int):
    """Verifying partition → the handles whose texts it needs (those of pairs within max_distance), laid out
    by the partition that stages them."""
    pairs = read_destination(pairs, partition, CANDIDATE_SCHEMA)
    pairs = pairs.filter(pc.less_equal(pairs.column("distance"), max_distance))
    handles = np.unique(np.concatenate([pairs.column("a").to_numpy(), pairs.column("b").to_numpy()]))
    table = pa.table({"handle": pa.array(handles, pa.uint64()), "to": pa.array(np.full(len(handles), partition, np.int32))},
                     schema=REQUEST_SCHEMA)
    yield write_partitioned(exchange_path(staging, "near-requests", partition), table, handle_partition(handles))


class _ShipTextsFn(beam.DoFn):
    """Record partition → the matching texts (and what survivor choice needs) of its requested records,
    laid out by the partitions that verify their pairs. Each partition's staged rows are read once."""

    def __init__(self, staging: str, fmt: RecordFormat, near: NearConfig, fields: FieldNames, priority_patterns: list[str],
                 record_schema: pa.Schema):
        self.staging, self.fmt, self.near, self.fields, self.patterns = staging, fmt, near, fields, priority_patterns
        self.record_schema = record_schema

    def process(self, partition: int, tasks: list[dict], requests: list[dict]):
        asked = read_destination(requests, partition, REQUEST_SCHEMA)
        if not asked.num_rows:
            return
        by_ordinal = {e["ordinal"]: e for e in tasks}
        wanted = np.unique(asked.column("handle").to_numpy())
        parts = []
        for ordinal in np.unique(handle_task(wanted)):
            mine = wanted[handle_task(wanted) == ordinal]
            entry, at = by_ordinal[int(ordinal)], pa.array(handle_row(mine))
            rows = read_task_partition(entry, "records", partition, self.record_schema).take(at)
            matching = read_task_partition(entry, "matching", partition, MATCHING_SCHEMA).column("text").take(at)
            parts.append(self._nodes(rows, mine, matching))
        nodes = concat(parts, NODE_SCHEMA)  # in handle order: tasks ascend, rows within a task ascend
        where = np.searchsorted(nodes.column("handle").to_numpy(), asked.column("handle").to_numpy())
        yield write_partitioned(exchange_path(self.staging, "near-texts", partition), nodes.take(pa.array(where)),
                                asked.column("to").to_numpy().astype(np.int64))

    def _nodes(self, rows: pa.Table, handles: np.ndarray, text: pa.ChunkedArray) -> pa.Table:
        return pa.table({
            "handle": pa.array(handles), "id": rows.column("id"), "source": rows.column("source"),
            "source_row": rows.column("source_row"),
            "priority": pa.array(source_priority(rows.column("source").combine_chunks(), self.patterns)),
            "length": rows.column("length"), "nbytes": pa.array(content_bytes(rows, content_columns(self.fmt))),
            "text": text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text,
        }, schema=NODE_SCHEMA)


class _VerifyFn(beam.DoFn):
    """Verifying partition: its pairs and the texts of their records → verified edges, both ways, laid out by
    the partition of the edge's first end, and the details of every record on an edge, laid out by its own."""

    def __init__(self, staging: str, cfg: NearConfig):
        self.staging, self.cfg = staging, cfg

    def process(self, partition: int, pairs: list[dict], shipped: list[dict]):
        a, b, distance = _distinct_candidates(read_destination(pairs, partition, CANDIDATE_SCHEMA))
        if not len(a):
            return
        candidates = len(a)
        close = distance <= self.cfg.max_distance  # only these pairs' texts were shipped
        a, b, distance = a[close], b[close], distance[close]
        nodes = read_destination(shipped, partition, NODE_SCHEMA)
        nodes = nodes.take(pc.sort_indices(nodes, [("handle", "ascending")]))
        handles = nodes.column("handle").to_numpy()
        first = np.r_[True, handles[1:] != handles[:-1]] if len(handles) else np.zeros(0, bool)
        nodes, handles = nodes.filter(pa.array(first)), handles[first]
        ia, ib = np.searchsorted(handles, a), np.searchsorted(handles, b)
        texts = nodes.column("text").combine_chunks()
        similarity = verify_indexed_pairs(texts, ia, ib, self.cfg.min_tile, self.cfg.short_text_chars,
                                          min_similarity=self.cfg.min_similarity)
        lengths = pc.utf8_length(texts).to_numpy(zero_copy_only=False)
        short = np.minimum(lengths[ia], lengths[ib]) < self.cfg.short_text_chars
        needed = np.where(short, self.cfg.min_short_similarity, self.cfg.min_similarity)
        passed = similarity >= needed
        Metrics.counter("near", "candidate_pairs").inc(candidates)
        Metrics.counter("near", "verified_pairs").inc(int(passed.sum()))
        yield beam.pvalue.TaggedOutput("stats", {"near": {"candidate_pairs": candidates, "verified_pairs": int(passed.sum()),
                                                          "pairs_within_distance": len(a)}})
        if not passed.any():
            return
        ends_a, ends_b = a[passed], b[passed]
        sim = np.round(similarity[passed], 4)
        dist = distance[passed].astype(np.int32)
        edges = pa.table({"node": np.r_[ends_a, ends_b], "neighbour": np.r_[ends_b, ends_a],
                          "similarity": np.r_[sim, sim], "distance": np.r_[dist, dist]}, schema=EDGE_SCHEMA)
        yield write_partitioned(exchange_path(self.staging, "near-edges", partition), edges,
                                handle_partition(edges.column("node").to_numpy()))
        on_edges = np.unique(np.r_[ia[passed], ib[passed]])
        info = nodes.take(pa.array(on_edges)).select(NODE_INFO_SCHEMA.names)
        yield beam.pvalue.TaggedOutput("nodes", write_partitioned(
            exchange_path(self.staging, "near-nodes", partition), info, handle_partition(handles[on_edges])))


# ---------------------------------------------------------------- clusters


def _min_per_node(nodes: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct nodes ascending, the smallest label each received)."""
    if not len(nodes):
        return nodes, labels
    order = np.lexsort((labels, nodes))
    nodes, labels = nodes[order], labels[order]
    first = np.r_[True, nodes[1:] != nodes[:-1]]
    return nodes[first], labels[first]


def _labels_of(partition: int, nodes: np.ndarray, received: list[dict] | None) -> np.ndarray:
    """The label each node of the partition carries: itself before the first round, else the least it received."""
    if received is None:
        return nodes
    messages = read_destination(received, partition, LABEL_SCHEMA)
    got, labels = _min_per_node(messages.column("node").to_numpy(), messages.column("label").to_numpy())
    return labels[np.searchsorted(got, nodes)]  # every node with an edge sends itself its own label


class _SendLabelsFn(beam.DoFn):
    """One round of min-label propagation for one partition: each node's label goes to itself and to every
    neighbour, laid out by the receiver's partition. Only the least label per receiver is sent, except
    in the last send, whose every distinct label shows which labels still meet across an edge."""

    def __init__(self, staging: str, round_: int, least_only: bool):
        self.staging, self.round, self.least_only = staging, round_, least_only

    def process(self, partition: int, edges: list[dict], received: list[dict] | None = None):
        adjacency = read_destination(edges, partition, EDGE_SCHEMA, ["node", "neighbour"])
        if not adjacency.num_rows:
            return
        node, neighbour = adjacency.column("node").to_numpy(), adjacency.column("neighbour").to_numpy()
        nodes = np.unique(node)
        labels = _labels_of(partition, nodes, received)
        receivers, sent = np.r_[neighbour, nodes], np.r_[labels[np.searchsorted(nodes, node)], labels]
        if self.least_only:
            receivers, sent = _min_per_node(receivers, sent)
        else:
            distinct = np.unique(np.stack([receivers, sent], axis=1), axis=0)
            receivers, sent = distinct[:, 0], distinct[:, 1]
        yield write_partitioned(exchange_path(self.staging, f"near-round-{self.round}", partition),
                                pa.table({"node": receivers, "label": sent}, schema=LABEL_SCHEMA),
                                handle_partition(receivers))


class _CrossLabelsFn(beam.DoFn):
    """After the rounds: each node's label, staged, and the label pairs that still meet across an edge."""

    def __init__(self, staging: str):
        self.staging = staging

    def process(self, partition: int, edges: list[dict], last: list[dict], before_last: list[dict] | None = None):
        incoming = read_destination(last, partition, LABEL_SCHEMA)
        if not incoming.num_rows:
            return
        # `last` holds every neighbour's label (and each node's own) after the rounds; `before_last` what
        # made those labels, so each node's own label is known without its neighbours'
        nodes = np.unique(incoming.column("node").to_numpy())
        own = _labels_of(partition, nodes, before_last)
        received, their = incoming.column("node").to_numpy(), incoming.column("label").to_numpy()
        mine = own[np.searchsorted(nodes, received)]
        differ = their != mine
        low, high = np.minimum(mine[differ], their[differ]), np.maximum(mine[differ], their[differ])
        if len(low):
            cross = np.unique(np.stack([low, high], axis=1), axis=0)
            yield beam.pvalue.TaggedOutput("cross", Packed(pa.table({"a": cross[:, 0], "b": cross[:, 1]}, schema=PAIR_SCHEMA)))
        labels = pa.table({"node": nodes, "label": own}, schema=LABEL_SCHEMA)
        yield write_partitioned(exchange_path(self.staging, "near-labels", partition), labels,
                                np.full(len(nodes), partition, np.int64))


def _resolve_labels(staging: str, cross: list) -> dict:
    """The one step that sees the whole graph, and only what the rounds left unresolved: a union-find over
    the label pairs that still meet; staged as (label, the smallest label of its component)."""
    pairs = concat(map(unpacked, cross), PAIR_SCHEMA)
    left, right = _distinct_pairs(pairs)
    labels = np.unique(np.r_[left, right])
    roots = connected_components(len(labels), np.searchsorted(labels, left), np.searchsorted(labels, right))
    moved = roots != np.arange(len(labels))
    table = pa.table({"node": labels[moved], "label": labels[roots[moved]]}, schema=LABEL_SCHEMA)
    entry = write_partitioned(exchange_path(staging, "near-roots", 0), table, np.zeros(table.num_rows, np.int64))
    return {"roots": entry, "unresolved_edges": len(left)}


def final_labels(partition: int, labels: list[dict], roots: dict) -> pa.Table:
    """(node, the smallest node of its component) for the nodes of one partition that are on an edge."""
    own = read_destination(labels, partition, LABEL_SCHEMA)
    if not own.num_rows or not roots["roots"]:
        return own
    moved = read_destination([roots["roots"]], 0, LABEL_SCHEMA)
    from_, to = moved.column("node").to_numpy(), moved.column("label").to_numpy()
    label = own.column("label").to_numpy()
    at = np.minimum(np.searchsorted(from_, label), len(from_) - 1)
    hit = from_[at] == label
    label = np.where(hit, to[at], label)
    return own.set_column(1, "label", pa.array(label, pa.uint64()))


class ConnectedComponents(beam.PTransform):
    """Edge files (both directions, laid out by the partition of `node`) → (label file entries, roots entry).

    `rounds` rounds of min-label propagation run partition by partition in parallel, through staged
    files; a node's label is then the smallest node within `rounds` hops. Only the label pairs that
    still meet across an edge go to one worker, which joins them with a union-find (their number is
    the roots entry's `unresolved_edges`); `final_labels` maps every node through it.
    """

    def __init__(self, staging: str, partitions: int, rounds: int):
        super().__init__()
        self.staging, self.partitions, self.rounds = staging, partitions, rounds

    def expand(self, edges):
        p = edges.pipeline
        sent = []
        for round_ in range(self.rounds + 1):  # the last send shows which labels still meet
            sent.append(partition_step(p, f"LabelRound{round_}", self.partitions,
                                       _SendLabelsFn(self.staging, round_, round_ < self.rounds),
                                       edges, *sent[-1:]))
        labels = partition_step(p, "CrossLabels", self.partitions, _CrossLabelsFn(self.staging),
                                edges, *sent[-1:], *sent[-2:-1], tags=("cross",), main="labels")
        roots = (
            labels.cross
            | "AllCross" >> beam.combiners.ToList()
            | "ResolveLabels" >> beam.Map(lambda cross: _resolve_labels(self.staging, cross))
        )
        return labels.labels, roots


# ---------------------------------------------------------------- keep one per cluster


class _MembersFn(beam.DoFn):
    """Partition q: its nodes on verified edges, with their cluster, details and strongest edge, laid out by
    the partition of the cluster's label (so a cluster's members meet)."""

    def __init__(self, staging: str):
        self.staging = staging

    def process(self, partition: int, edges: list[dict], nodes: list[dict], labels: list[dict], roots: list[dict]):
        clusters = final_labels(partition, labels, roots[0])
        if not clusters.num_rows:
            return
        handles = clusters.column("node").to_numpy()
        info = read_destination(nodes, partition, NODE_INFO_SCHEMA)
        info = info.take(pc.sort_indices(info, [("handle", "ascending")]))
        info_handles = info.column("handle").to_numpy()
        first = np.r_[True, info_handles[1:] != info_handles[:-1]]
        info = info.filter(pa.array(first)).take(pa.array(np.searchsorted(info_handles[first], handles)))
        adjacency = read_destination(edges, partition, EDGE_SCHEMA)
        # a member's strongest edge: highest similarity, then distance, then neighbour (as a tuple max)
        order = np.lexsort((adjacency.column("neighbour").to_numpy(), adjacency.column("distance").to_numpy(),
                            adjacency.column("similarity").to_numpy(), adjacency.column("node").to_numpy()))
        node = adjacency.column("node").to_numpy()[order]
        last = np.r_[node[1:] != node[:-1], True]
        best = order[last]
        at = np.searchsorted(node[last], handles)
        members = info.append_column("cluster", clusters.column("label")).append_column(
            "similarity", adjacency.column("similarity").take(pa.array(best[at]))).append_column(
            "distance", adjacency.column("distance").take(pa.array(best[at])))
        yield write_partitioned(exchange_path(self.staging, "near-members", partition), members.select(MEMBER_SCHEMA.names),
                                handle_partition(clusters.column("label").to_numpy()))


class _KeepOneFn(beam.DoFn):
    """Partition of cluster labels: every cluster's members → near_duplicate decisions for all but the one
    `near.keep` chooses, laid out by the partition of the record removed."""

    def __init__(self, staging: str, cfg: NearConfig, partitions: int):
        self.staging, self.cfg, self.partitions = staging, cfg, partitions

    def process(self, partition: int, members: list[dict]):
        rows = read_destination(members, partition, MEMBER_SCHEMA)
        if not rows.num_rows:
            return
        rows = rows.take(pc.sort_indices(rows, [("handle", "ascending")]))
        _, cluster = np.unique(rows.column("cluster").to_numpy(), return_inverse=True)
        ranks = np.empty(rows.num_rows, dtype=np.int64)  # equal ids order by (source, row)
        ranks[pc.sort_indices(rows, ROW_ORDER).to_numpy()] = np.arange(rows.num_rows)
        survivor = choose_survivors(cluster, ranks, self.cfg.keep,
                                    source_ranks=rows.column("priority").to_numpy(),
                                    lengths=rows.column("length").to_numpy())
        losers = np.flatnonzero(survivor != np.arange(rows.num_rows))
        if not len(losers):
            return
        ids = rows.column("id").to_pylist()
        similarity, distance = rows.column("similarity").to_pylist(), rows.column("distance").to_pylist()
        details = [json.dumps({"duplicate_of": ids[survivor[k]], "similarity": similarity[k], "hamming_distance": distance[k]},
                              ensure_ascii=False) for k in losers]
        gone = rows.take(pa.array(losers))
        handles = gone.column("handle").to_numpy()
        n = len(losers)
        decisions = pa.Table.from_arrays([
            gone.column("id"), gone.column("source"), gone.column("source_row"),
            pa.array(handle_partition(handles).astype(np.int32)), pa.array(["near"] * n), pa.array(["near_duplicate"] * n),
            pa.array(details, pa.string()), gone.column("handle"),
        ], schema=DECISION_SCHEMA)
        Metrics.counter("near", "near_duplicate").inc(n)
        yield decision_entry(self.staging, "near", partition, decisions)
        freed = np.bincount(handle_partition(handles), weights=gone.column("nbytes").to_numpy(), minlength=self.partitions)
        for where in np.flatnonzero(freed):
            yield beam.pvalue.TaggedOutput("freed_bytes", (int(where), -int(freed[where])))


class NearDuplicates(beam.PTransform):
    """(task entries, decision entries so far) → (near_duplicate decision entries, (partition, bytes freed), stats)."""

    def __init__(self, staging: str, fmt: RecordFormat, cfg: NearConfig, fields: FieldNames, priority_patterns: list[str],
                 record_schema: pa.Schema, partitions: int):
        super().__init__()
        self.staging, self.fmt, self.cfg, self.fields, self.patterns = staging, fmt, cfg, fields, priority_patterns
        self.record_schema, self.partitions = record_schema, partitions

    def expand(self, inputs):
        tasks, decisions = inputs
        p, staging, partitions, max_distance = tasks.pipeline, self.staging, self.partitions, self.cfg.max_distance
        candidates = partition_step(p, "Candidates", partitions, _CandidatesFn(staging, self.cfg),
                                    tasks, decisions, tags=("stats",), main="pairs")
        requests = partition_step(p, "Requests", partitions, lambda q, pairs: _requests(staging, q, pairs, max_distance),
                                  candidates.pairs)
        texts = partition_step(p, "ShipTexts", partitions, _ShipTextsFn(
            staging, self.fmt, self.cfg, self.fields, self.patterns, self.record_schema), tasks, requests)
        verified = partition_step(p, "Verify", partitions, _VerifyFn(staging, self.cfg),
                                  candidates.pairs, texts, tags=("stats", "nodes"), main="edges")
        labels, roots = verified.edges | "Clusters" >> ConnectedComponents(staging, partitions, self.cfg.rounds)
        members = partition_step(p, "Members", partitions, _MembersFn(staging),
                                 verified.edges, verified.nodes, labels, roots)
        kept = partition_step(p, "KeepOne", partitions, _KeepOneFn(staging, self.cfg, partitions), members,
                              tags=("freed_bytes",), main="decisions")
        rounds = self.cfg.rounds
        stats = (
            (candidates.stats, verified.stats,
             roots | "UnresolvedStats" >> beam.Map(lambda r: {"near": {"rounds": rounds, "unresolved_edges": r["unresolved_edges"]}}))
            | "NearStats" >> beam.Flatten()
        )
        return kept.decisions, kept.freed_bytes, stats
