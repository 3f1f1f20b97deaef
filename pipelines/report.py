"""`winnow report OUT [OUT2 ...] --output report.html`: one self-contained HTML page (figures embedded as
PNG) about one winnow output or a comparison of several, and the same figures as PNG files beside it.

Outputs can be many GB, so the report never reads texts: it streams the few small columns each figure
needs (lang, source, category, tokens, length, lang_score; stage, reason, detail of near-duplicate rejects),
one row group at a time, into exact counts and fixed-bin histograms, whose memory does not grow with the
output. Moderation scores are JSON per row; when an output has more than `max_rows` rows with scores, a
deterministic sample is parsed (rows whose id hash falls under max_rows/rows) and the caption says so.
Funnel and reject counts come from manifest.json.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

LENGTH_EDGES = np.concatenate([[0.5], 10 ** np.arange(0.1, 8.05, 0.1)])  # 0 and 1 share the first bin; up to 1e8
SCORE_EDGES = np.linspace(0, 1, 51)
DUPLICATE_OF = r'"duplicate_of"\s*:\s*"(?P<survivor>(?:[^"\\]|\\.)*)"'
SUMMARY_COLUMNS = ("lang", "source", "mix_source", "category", "tokens", "length", "lang_score")


@dataclass
class Histogram:
    edges: np.ndarray
    counts: np.ndarray = None

    def __post_init__(self):
        if self.counts is None:
            self.counts = np.zeros(len(self.edges) - 1, dtype=np.int64)

    def add(self, values: np.ndarray) -> None:
        values = values[~np.isnan(values)] if values.dtype.kind == "f" else values
        if len(values):
            clipped = np.clip(values, self.edges[0], self.edges[-1])
            self.counts += np.histogram(clipped, bins=self.edges)[0]


def _counts() -> dict:
    return {"records": {}, "tokens": {}}


@dataclass
class OutputSummary:
    """What the figures show about one output."""

    name: str
    path: str
    manifest: dict
    kept: int = 0
    rejected: int = 0
    has_tokens: bool = False
    by_lang: dict = field(default_factory=_counts)
    by_source: dict = field(default_factory=_counts)
    by_category: dict = field(default_factory=_counts)
    lengths: dict = field(default_factory=dict)           # unit → {"kept"|"rejected": Histogram}
    lang_score: dict = field(default_factory=dict)        # "kept" | "lang" | "other" → Histogram
    min_lang_score: float | None = None
    funnel: list = field(default_factory=list)            # (stage, in, out); stage "ingest" first
    reasons: dict = field(default_factory=dict)           # (stage, reason) → rejects
    near_clusters: dict = field(default_factory=dict)     # cluster size → clusters
    moderation: dict = field(default_factory=dict)        # scorer → category → {"kept"|"rejected": Histogram}
    moderation_sample: dict = field(default_factory=dict)  # "kept"|"rejected" → (rows parsed, rows with scores)


# ---- reading ----------------------------------------------------------------------------------------

def shard_paths(output: str, kind: str) -> list[str]:
    pattern = FileSystems.join(output.rstrip("/"), kind, "part-*.parquet")
    return sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)


def _open(path: str):
    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


def shard_columns(paths: list[str]) -> list[str]:
    if not paths:
        return []
    with _open(paths[0]) as f:
        return pq.ParquetFile(f).schema_arrow.names


def row_groups(paths: list[str], columns: list[str]) -> Iterator[pa.Table]:
    """Every row group of the shards, with just those of `columns` the shards have."""
    for path in paths:
        with _open(path) as f:
            parquet = pq.ParquetFile(f)
            present = [c for c in columns if c in parquet.schema_arrow.names]
            if not present:
                continue
            for index in range(parquet.num_row_groups):
                yield parquet.read_row_group(index, columns=present)


def row_count(paths: list[str]) -> int:
    total = 0
    for path in paths:
        with _open(path) as f:
            total += pq.ParquetFile(f).metadata.num_rows
    return total


def read_manifest(output: str) -> dict:
    path = FileSystems.join(output.rstrip("/"), "manifest.json")
    if not FileSystems.exists(path):
        return {}
    with _open(path) as f:
        return json.loads(f.read())


# ---- gathering ----------------------------------------------------------------------------------------

def _add_counts(total: dict, keys: pa.ChunkedArray, weights: np.ndarray | None) -> None:
    table = pa.table({"key": pc.fill_null(keys.cast(pa.string()), ""),
                      "weight": pa.array(weights if weights is not None else np.ones(len(keys), dtype=np.int64))})
    for row in table.group_by("key").aggregate([("weight", "sum")]).to_pylist():
        total[row["key"]] = total.get(row["key"], 0) + int(row["weight_sum"])


def _numbers(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).to_numpy().astype(np.float64) if name in table.column_names else np.array([])


def _gather_kept(summary: OutputSummary, paths: list[str]) -> None:
    columns = shard_columns(paths)
    summary.has_tokens = "tokens" in columns
    source_column = "mix_source" if "mix_source" in columns else "source"
    lengths = summary.lengths
    for unit in ("chars", "tokens"):
        lengths.setdefault(unit, {})["kept"] = Histogram(LENGTH_EDGES)
    if "lang_score" in columns:
        summary.lang_score["kept"] = Histogram(SCORE_EDGES)
    for table in row_groups(paths, ["lang", source_column, "category", "tokens", "length", "lang_score"]):
        summary.kept += table.num_rows
        tokens = pc.fill_null(table.column("tokens"), 0).to_numpy() if "tokens" in table.column_names else None
        for key, target in (("lang", summary.by_lang), (source_column, summary.by_source), ("category", summary.by_category)):
            if key in table.column_names:
                _add_counts(target["records"], table.column(key), None)
                if tokens is not None:
                    _add_counts(target["tokens"], table.column(key), tokens)
        lengths["chars"]["kept"].add(_numbers(table, "length"))
        lengths["tokens"]["kept"].add(_numbers(table, "tokens"))
        if "lang_score" in table.column_names:
            summary.lang_score["kept"].add(_numbers(table, "lang_score"))


def _gather_rejected(summary: OutputSummary, paths: list[str]) -> None:
    columns = shard_columns(paths)
    for unit in ("chars", "tokens"):
        summary.lengths.setdefault(unit, {})["rejected"] = Histogram(LENGTH_EDGES)
    if "lang_score" in columns:
        summary.lang_score["lang"] = Histogram(SCORE_EDGES)
        summary.lang_score["other"] = Histogram(SCORE_EDGES)
    reasons: dict = {}
    survivors: dict = {}
    for table in row_groups(paths, ["stage", "reason", "detail", "tokens", "length", "lang_score"]):
        summary.rejected += table.num_rows
        summary.lengths["chars"]["rejected"].add(_numbers(table, "length"))
        summary.lengths["tokens"]["rejected"].add(_numbers(table, "tokens"))
        stage = table.column("stage")
        if "lang_score" in table.column_names:
            at_lang = pc.fill_null(pc.equal(stage, "lang"), False)
            summary.lang_score["lang"].add(_numbers(table.filter(at_lang), "lang_score"))
            summary.lang_score["other"].add(_numbers(table.filter(pc.invert(at_lang)), "lang_score"))
        for row in table.group_by(["stage", "reason"]).aggregate([("stage", "count")]).to_pylist():
            key = (row["stage"], row["reason"])
            reasons[key] = reasons.get(key, 0) + row["stage_count"]
        near = table.filter(pc.fill_null(pc.equal(table.column("reason"), "near_duplicate"), False))
        if near.num_rows and "detail" in near.column_names:
            named = pc.struct_field(pc.extract_regex(pc.fill_null(near.column("detail"), ""), DUPLICATE_OF), "survivor")
            _add_counts(survivors, pc.drop_null(named), None)
    if not summary.reasons:
        summary.reasons = reasons
    sizes: dict[int, int] = {}
    for survivor, named in survivors.items():
        if survivor:
            sizes[named + 1] = sizes.get(named + 1, 0) + 1
    summary.near_clusters = dict(sorted(sizes.items()))


def sampled(ids: pa.ChunkedArray, fraction: float) -> np.ndarray:
    """Rows whose id hash (xxh3-64) falls under `fraction` of the hash range: the same rows every time."""
    if fraction >= 1:
        return np.ones(len(ids), dtype=bool)
    limit = np.uint64(min(int(fraction * 2**64), 2**64 - 1))
    keys = np.fromiter((xxhash.xxh3_64_intdigest(v.encode()) for v in ids.cast(pa.string()).to_pylist()),
                       dtype=np.uint64, count=len(ids))
    return keys < limit


def _gather_moderation(summary: OutputSummary, paths: list[str], kind: str, max_rows: int) -> None:
    if "moderation" not in shard_columns(paths):
        return
    total = row_count(paths)
    fraction = max_rows / total if total > max_rows else 1.0
    parsed = 0
    for table in row_groups(paths, ["id", "moderation"]):
        keep = sampled(table.column("id"), fraction) & pc.is_valid(table.column("moderation")).to_numpy(zero_copy_only=False)
        values: dict[tuple[str, str], list[float]] = {}
        for text in table.column("moderation").filter(pa.array(keep)).to_pylist():
            scores = orjson.loads(text)
            if not isinstance(scores, dict):
                continue
            scores = scores.get("scores", scores)  # the stage writes {"lang": [...], "scores": {scorer: {category: score}}}
            parsed += 1
            for scorer, categories in scores.items():
                for category, score in categories.items() if isinstance(categories, dict) else []:
                    if isinstance(score, (int, float)) and not isinstance(score, bool):
                        values.setdefault((scorer, category), []).append(float(score))
        for (scorer, category), scores in values.items():
            summary.moderation.setdefault(scorer, {}).setdefault(category, {}).setdefault(
                kind, Histogram(SCORE_EDGES)).add(np.array(scores))
    summary.moderation_sample[kind] = (parsed, total, fraction < 1)


def summarize(output: str, name: str, max_rows: int = 200_000) -> OutputSummary:
    data, rejects = shard_paths(output, "data"), shard_paths(output, "rejects")
    if not data and not rejects:
        raise FileNotFoundError(f"{output}: no data/ or rejects/ shards (is it a winnow output?)")
    manifest = read_manifest(output)
    summary = OutputSummary(name=name, path=output, manifest=manifest)
    for stage in manifest.get("stages", []):
        summary.funnel.append((stage["stage"], stage["in"], stage["out"]))
        for reason, n in stage.get("rejected", {}).items():
            summary.reasons[(stage["stage"], reason)] = n
    if "lang" in manifest.get("stages_run", []):
        summary.min_lang_score = manifest.get("config", {}).get("lang", {}).get("min_score")
    _gather_kept(summary, data)
    if rejects:
        _gather_rejected(summary, rejects)
    _gather_moderation(summary, data, "kept", max_rows)
    if rejects:
        _gather_moderation(summary, rejects, "rejected", max_rows)
    return summary


def output_names(outputs: list[str]) -> list[str]:
    """Short names for the outputs: folder names, or the whole paths when folder names repeat."""
    names = [os.path.basename(o.rstrip("/")) or o for o in outputs]
    return names if len(set(names)) == len(names) else list(outputs)


# ---- writing ------------------------------------------------------------------------------------------

CAPTIONS = {
    "composition": "Kept records{tokens} per language, per source{mix} and per category where present; the largest "
                   "12 of each, the rest summed as “other”. Counted over every row.",
    "lengths": "Histograms of record length (characters of content; tokens where counted) for kept and rejected "
               "records, on log-spaced bins; every row counted.",
    "funnel": "Records read, then records left after each stage that ran, from manifest.json; the bar label gives "
              "what remained and what that stage rejected.",
    "reject_reasons": "Rejected records per stage and reason (from manifest.json), largest first, coloured by stage.",
    "near_clusters": "Near-duplicate clusters by size: a survivor plus every reject whose detail names it as "
                     "duplicate_of; log-log axes.",
    "moderation": "Moderation score histograms, one panel per scorer, one line per category (kept solid, rejected "
                  "dashed); log counts.",
    "lang_score": "Top language-id score of kept records, of records the lang stage rejected and of records later "
                  "stages rejected; the dotted line is lang.min_score.",
}


@dataclass
class WrittenReport:
    html: str
    folder: str
    figures: dict[str, str]          # name → PNG path
    skipped: dict[str, str]          # name → why


def _caption(name: str, summaries: list[OutputSummary]) -> str:
    text = CAPTIONS[name].format(tokens=" (and tokens)" if any(s.has_tokens for s in summaries) else "",
                                 mix=" (mix source for a mix)" if any("mix_source" in s.by_source for s in summaries) else "")
    if name == "moderation":
        notes = []
        for s in summaries:
            for kind, (parsed, total, is_sample) in s.moderation_sample.items():
                if is_sample:
                    notes.append(f"{s.name} {kind}: a deterministic sample of {parsed:,} of {total:,} rows (by id hash)")
        text += " " + ("; ".join(notes) + "." if notes else "Every row with scores counted.")
    return text


def _skip_reason(name: str) -> str:
    return {
        "funnel": "no manifest with stages (e.g. a mix output)",
        "reject_reasons": "nothing was rejected",
        "near_clusters": "no near_duplicate rejects (the near stage did not run or found none)",
        "moderation": "no moderation column (the moderation stage did not run)",
        "lang_score": "no lang_score column (the lang stage did not run)",
    }.get(name, "nothing to show")


def _overview(summaries: list[OutputSummary]) -> str:
    rows = []
    for s in summaries:
        manifest = s.manifest
        counts = manifest.get("counts", {})
        kind = manifest.get("kind", "clean")
        stages = ", ".join(manifest.get("stages_run", [])) or ("mix of " + ", ".join(
            src["name"] for src in manifest.get("sources", [])) if kind == "mix" else "–")
        tokens = sum(s.by_lang["tokens"].values()) if s.has_tokens else None
        read = counts.get("records_read", s.kept + s.rejected)
        rows.append(
            f"<tr><td>{html.escape(s.name)}</td><td>{html.escape(s.path)}</td><td>{html.escape(manifest.get('format', kind))}</td>"
            f"<td>{html.escape(stages)}</td><td class=n>{read:,}</td><td class=n>{s.kept:,}</td><td class=n>{s.rejected:,}</td>"
            f"<td class=n>{'–' if tokens is None else f'{tokens:,}'}</td></tr>")
    return ("<table><thead><tr><th>output</th><th>path</th><th>format</th><th>stages</th><th>read</th><th>kept</th>"
            "<th>rejected</th><th>kept tokens</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: "DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 2em auto; max-width: 1400px;
       padding: 0 1em; color: #222; }}
h1 {{ font-size: 1.6em; }} h2 {{ font-size: 1.25em; margin-top: 2em; }}
table {{ border-collapse: collapse; margin: 1em 0; }} td, th {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
figure {{ margin: 1.5em 0; }} figure img {{ max-width: 100%; height: auto; border: 1px solid #eee; }}
figcaption {{ color: #555; max-width: 60em; margin-top: 0.4em; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>Written by <code>winnow report</code> from {sources}.</p>
{overview}
{figures}
{skipped}
</body>
</html>
"""


def render_figures(summaries: list[OutputSummary]) -> tuple[dict[str, bytes], dict[str, str]]:
    """PNG bytes per figure name, and the figures left out with the reason."""
    import matplotlib

    from pipelines import report_figures

    font = report_figures.cjk_font()
    if font is None:
        import sys

        print("winnow: warning: no CJK font found (install fonts-wqy-microhei, or set WINNOW_CJK_FONT to a font file); "
              "Chinese labels will show as boxes", file=sys.stderr)
    pngs, skipped = {}, {}
    with matplotlib.rc_context(report_figures.style(font)):
        for name, draw in report_figures.FIGURES:
            figure = draw(summaries)
            if figure is None:
                skipped[name] = _skip_reason(name)
                continue
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=report_figures.DPI, metadata={"Software": None})
            pngs[name] = buffer.getvalue()
    return pngs, skipped


TITLES = {
    "composition": "Records per language and source · 数据构成", "lengths": "Lengths · 长度分布",
    "funnel": "The funnel · 各阶段漏斗", "reject_reasons": "Rejects per stage and reason · 剔除原因",
    "near_clusters": "Near-duplicate clusters · 近似重复簇", "moderation": "Moderation scores · 内容审核分数",
    "lang_score": "Language-id confidence · 语言识别置信度",
}


def write_report(outputs: list[str], html_path: str, max_rows: int = 200_000) -> WrittenReport:
    if max_rows <= 0:
        raise ValueError("--max-rows must be positive")
    summaries = [summarize(out, name, max_rows) for out, name in zip(outputs, output_names(outputs))]
    pngs, skipped = render_figures(summaries)
    html_path = os.path.abspath(html_path)
    stem = os.path.splitext(os.path.basename(html_path))[0]
    folder = os.path.join(os.path.dirname(html_path), f"{stem}-figures")
    os.makedirs(folder, exist_ok=True)
    paths, blocks = {}, []
    for name, png in pngs.items():
        paths[name] = os.path.join(folder, f"{name}.png")
        with open(paths[name], "wb") as f:
            f.write(png)
        encoded = base64.b64encode(png).decode()
        blocks.append(f'<section><h2>{html.escape(TITLES[name])}</h2><figure>'
                      f'<img id="fig-{name}" class="figure" alt="{html.escape(TITLES[name])}" src="data:image/png;base64,{encoded}">'
                      f"<figcaption>{html.escape(_caption(name, summaries))}</figcaption></figure></section>")
    notes = "".join(f"<li>{html.escape(TITLES[n])}: {html.escape(why)}</li>" for n, why in skipped.items())
    title = "winnow report: " + ", ".join(s.name for s in summaries)
    page = PAGE.format(
        title=html.escape(title), sources=", ".join(f"<code>{html.escape(s.path)}</code>" for s in summaries),
        overview=_overview(summaries), figures="\n".join(blocks),
        skipped=f"<h2>Not shown</h2><ul>{notes}</ul>" if notes else "",
    )
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(page)
    return WrittenReport(html_path, folder, paths, skipped)
