"""The figures of `winnow report`, drawn with matplotlib's object API on the Agg canvas (no pyplot, no
global backend), from the summaries pipelines.report gathers. Each function returns a Figure, or None
when no output has what it shows.

Labels are bilingual and Chinese values (sources, categories) appear on the axes, so a CJK font from a
Debian package is registered with matplotlib's font manager by file path (cjk_font): nothing depends
on a font cache or on fontconfig finding it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from matplotlib import font_manager, ticker
from matplotlib.figure import Figure

# Debian packages that provide a CJK font, and where they put it (the first found is used).
CJK_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",          # fonts-wqy-microhei
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # fonts-noto-cjk
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",            # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # fonts-droid-fallback
)
FONT_ENV = "WINNOW_CJK_FONT"
STAGE_ORDER = ("ingest", "normalize", "rules", "lang", "exact", "near", "moderation")
STAGE_COLOURS = dict(zip(STAGE_ORDER, ("#7f7f7f", "#17becf", "#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd")))
OUTPUT_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
KEPT, REJECTED = "#1f77b4", "#d62728"
TOP_BARS = 12
TOP_REASONS = 20
DPI = 100


def cjk_font() -> str | None:
    """Register the first CJK font file found ($WINNOW_CJK_FONT first); its family name, or None."""
    candidates = [os.environ[FONT_ENV]] if os.environ.get(FONT_ENV) else []
    for path in [*candidates, *CJK_FONT_FILES]:
        if os.path.isfile(path):
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    return None


def style(font: str | None) -> dict:
    """rcParams for every figure: DejaVu Sans for Latin text, the CJK font as fallback for Han characters."""
    families = ["DejaVu Sans", font] if font else ["DejaVu Sans"]
    return {
        "font.family": families, "font.size": 11, "axes.titlesize": 12,
        "axes.labelsize": 11, "xtick.labelsize": 10, "ytick.labelsize": 10, "legend.fontsize": 10,
        "figure.titlesize": 14, "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
        "grid.alpha": 0.3, "axes.unicode_minus": False,
    }


def _short(label: str, width: int = 36) -> str:
    label = str(label)
    if len(label) <= width:
        return label
    half = (width - 1) // 2
    return label[:half] + "…" + label[-(width - 1 - half):]


def _top(counts: dict, n: int = TOP_BARS) -> list[tuple[str, int]]:
    """The n largest entries, the rest summed as "other"."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    head, tail = items[:n], items[n:]
    if tail:
        head.append((f"other ({len(tail)})", sum(v for _, v in tail)))
    return head


def _hbar(ax, items: list[tuple[str, int]], colour: str, unit: str) -> None:
    labels = [_short(k if k not in (None, "") else "(none)") for k, _ in items]
    values = [v for _, v in items]
    y = np.arange(len(items))
    ax.barh(y, values, color=colour)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    ax.grid(axis="y", visible=False)
    top = max(values) if values else 1
    for yi, v in zip(y, values):
        ax.text(v + top * 0.01, yi, f"{v:,}", va="center", fontsize=9)
    ax.set_xlim(0, top * 1.18 if top else 1)


def composition(summaries: Sequence) -> Figure:
    """Kept records (and tokens) per language, source and category, one column per output."""
    panels = [("records", "by_lang", "Records per language · 各语言记录数"),
              ("records", "by_source", "Records per source · 各来源记录数")]
    if any(s.by_category["records"] for s in summaries):
        panels.append(("records", "by_category", "Records per category · 各类别记录数"))
    if any(s.has_tokens for s in summaries):
        panels += [("tokens", key, title.replace("Records", "Tokens").replace("记录数", "词元数"))
                   for _, key, title in list(panels)]
    heights = [max(2.0, 0.32 * max(len(_top(getattr(s, key)[unit])) for s in summaries) + 1.0) for unit, key, _ in panels]
    fig = Figure(figsize=(4.8 * len(summaries) + 1.5, sum(heights) + 0.8), dpi=DPI, layout="constrained")
    axes = fig.subplots(len(panels), len(summaries), squeeze=False, gridspec_kw={"height_ratios": heights})
    for col, summary in enumerate(summaries):
        for row, (unit, key, title) in enumerate(panels):
            ax = axes[row][col]
            counts = getattr(summary, key)[unit]
            if not counts:
                ax.set_axis_off()
                ax.text(0.5, 0.5, f"no {unit} · 无数据", ha="center", va="center", transform=ax.transAxes)
                continue
            _hbar(ax, _top(counts), OUTPUT_COLOURS[col % len(OUTPUT_COLOURS)], f"kept {unit}")
            ax.set_title(f"{summary.name}: {title}" if len(summaries) > 1 else title)
    fig.suptitle("What the output holds · 数据构成")
    return fig


def _log_counts(ax) -> None:
    """A log y axis of counts labelled 1, 10, 100, 1,000 rather than in powers of ten."""
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 1 else ""))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def _step(ax, hist, colour: str, label: str, linestyle: str = "-") -> None:
    if hist is None or not hist.counts.sum():
        return
    ax.stairs(hist.counts, hist.edges, color=colour, label=f"{label} ({int(hist.counts.sum()):,})", linewidth=1.6,
              linestyle=linestyle)


def _fit_x(ax, hists: list) -> None:
    """Limit the x axis to the bins that hold something, with one empty bin each side."""
    filled = np.flatnonzero(sum(h.counts for h in hists)) if hists else []
    if len(filled):
        edges = hists[0].edges
        ax.set_xlim(edges[max(0, filled[0] - 1)], edges[min(len(edges) - 1, filled[-1] + 2)])


def lengths(summaries: Sequence) -> Figure:
    """Length histograms, kept vs rejected: characters, and tokens where counted."""
    units = ["chars"] + (["tokens"] if any(s.has_tokens for s in summaries) else [])
    names = {"chars": "characters · 字符数", "tokens": "tokens · 词元数"}
    fig = Figure(figsize=(4.8 * len(summaries) + 1.5, 3.6 * len(units) + 0.8), dpi=DPI, layout="constrained")
    axes = fig.subplots(len(units), len(summaries), squeeze=False)
    for col, summary in enumerate(summaries):
        for row, unit in enumerate(units):
            ax = axes[row][col]
            pair = summary.lengths.get(unit, {})
            _step(ax, pair.get("kept"), KEPT, "kept · 保留")
            _step(ax, pair.get("rejected"), REJECTED, "rejected · 剔除")
            ax.set_xscale("log")
            _fit_x(ax, [h for h in pair.values() if h is not None])
            ax.set_xlabel(f"length in {names[unit]} (log scale)")
            ax.set_ylabel("records · 记录数")
            ax.set_title(f"{summary.name}: {unit}" if len(summaries) > 1 else f"Length in {unit}")
            if ax.get_legend_handles_labels()[0]:
                ax.legend(loc="best")
            else:
                ax.text(0.5, 0.5, "no lengths · 无数据", ha="center", va="center", transform=ax.transAxes)
    fig.suptitle("Record lengths, kept vs rejected · 长度分布（保留与剔除）")
    return fig


def funnel(summaries: Sequence) -> Figure | None:
    """Records left after each stage (the funnel), one bar group per stage, one colour per output."""
    with_stages = [s for s in summaries if s.funnel]
    if not with_stages:
        return None
    stages = [st for st in STAGE_ORDER if any(st in dict((r[0], r) for r in s.funnel) for s in with_stages)]
    steps = ["read", *stages]
    fig = Figure(figsize=(max(7.0, 1.3 * len(steps) * max(1, len(with_stages) / 2) + 2), 4.6), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    width = 0.8 / len(with_stages)
    x = np.arange(len(steps))
    for i, summary in enumerate(with_stages):
        rows = {stage: (n_in, n_out) for stage, n_in, n_out in summary.funnel}
        values = [summary.funnel[0][1]] + [rows[st][1] if st in rows else np.nan for st in stages]
        bars = ax.bar(x + (i - (len(with_stages) - 1) / 2) * width, values, width,
                      color=OUTPUT_COLOURS[i % len(OUTPUT_COLOURS)], label=summary.name)
        labels = [f"{int(values[0]):,}"] + [f"{rows[st][1]:,}\n−{rows[st][0] - rows[st][1]:,}" if st in rows else ""
                                            for st in stages]
        ax.bar_label(bars, labels, fontsize=8, padding=2)
    ax.set_xticks(x, ["read · 读入", *stages])
    ax.set_xlabel("stage (in pipeline order) · 阶段")
    ax.set_ylabel("records left after the stage · 剩余记录")
    ax.margins(y=0.2)
    ax.grid(axis="x", visible=False)
    if len(with_stages) > 1:
        ax.legend()
    fig.suptitle("Records through the stages (bar label: left, −rejected) · 各阶段漏斗")
    return fig


def reject_reasons(summaries: Sequence) -> Figure | None:
    """Rejects per stage and reason, largest first, coloured by stage; one panel per output."""
    with_rejects = [s for s in summaries if s.reasons]
    if not with_rejects:
        return None
    heights = [0.3 * min(TOP_REASONS + 1, len(s.reasons)) + 1.2 for s in with_rejects]
    fig = Figure(figsize=(9.5, sum(heights) + 0.8), dpi=DPI, layout="constrained")
    axes = fig.subplots(len(with_rejects), 1, squeeze=False, gridspec_kw={"height_ratios": heights})
    for ax, summary in zip(axes[:, 0], with_rejects):
        items = sorted(summary.reasons.items(), key=lambda kv: (-kv[1], kv[0]))
        shown, rest = items[:TOP_REASONS], items[TOP_REASONS:]
        labels = [f"{stage} / {reason}" for (stage, reason), _ in shown]
        values = [n for _, n in shown]
        colours = [STAGE_COLOURS.get(stage, "#bcbd22") for (stage, _), _ in shown]
        if rest:
            labels.append(f"other reasons ({len(rest)})")
            values.append(sum(n for _, n in rest))
            colours.append("#c7c7c7")
        y = np.arange(len(values))
        ax.barh(y, values, color=colours)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        top = max(values)
        for yi, v in zip(y, values):
            ax.text(v + top * 0.01, yi, f"{v:,}", va="center", fontsize=9)
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel("rejected records · 剔除记录数")
        ax.set_title(f"{summary.name}: {sum(summary.reasons.values()):,} rejected")
        present = list(dict.fromkeys(stage for (stage, _), _ in shown))
        handles = [ax.bar([0], [0], color=STAGE_COLOURS.get(st, "#bcbd22"), label=st, width=0) for st in present]
        ax.legend(handles=handles, title="stage", loc="lower right")
    fig.suptitle("Rejects per stage and reason · 各阶段剔除原因")
    return fig


def near_clusters(summaries: Sequence) -> Figure | None:
    """How many near-duplicate clusters have each size (survivor + the records naming it)."""
    with_near = [s for s in summaries if s.near_clusters]
    if not with_near:
        return None
    fig = Figure(figsize=(8.5, 4.4), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    largest = max(max(s.near_clusters) for s in with_near)
    edges = np.unique(np.round(np.logspace(np.log10(2), np.log10(largest + 1), 30)).astype(int))
    edges = np.unique(np.concatenate([[2], edges, [largest + 1]]))
    for i, summary in enumerate(with_near):
        sizes = np.array(list(summary.near_clusters.keys()))
        weights = np.array(list(summary.near_clusters.values()))
        counts, _ = np.histogram(sizes, bins=edges, weights=weights)
        clusters = int(weights.sum())
        removed = int(((sizes - 1) * weights).sum())
        ax.stairs(counts, edges, color=OUTPUT_COLOURS[i % len(OUTPUT_COLOURS)], linewidth=1.8,
                  label=f"{summary.name}: {clusters:,} clusters, {removed:,} removed")
    ax.set_xscale("log")
    _log_counts(ax)
    ax.set_xlabel("cluster size (records, survivor included; log scale) · 簇大小")
    ax.set_ylabel("clusters · 簇数")
    ax.legend()
    fig.suptitle("Near-duplicate cluster sizes · 近似重复簇大小")
    return fig


def moderation(summaries: Sequence) -> Figure | None:
    """Score histograms per scorer: one line per category, kept solid, rejected dashed."""
    with_scores = [s for s in summaries if s.moderation]
    if not with_scores:
        return None
    scorers = sorted({scorer for s in with_scores for scorer in s.moderation})
    fig = Figure(figsize=(5.6 * len(scorers) + 1, 3.8 * len(with_scores) + 0.8), dpi=DPI, layout="constrained")
    axes = fig.subplots(len(with_scores), len(scorers), squeeze=False)
    for row, summary in enumerate(with_scores):
        for col, scorer in enumerate(scorers):
            ax = axes[row][col]
            categories = summary.moderation.get(scorer, {})
            for i, (category, kinds) in enumerate(sorted(categories.items())):
                colour = OUTPUT_COLOURS[i % len(OUTPUT_COLOURS)]
                _step(ax, kinds.get("kept"), colour, f"{_short(category, 20)} kept")
                _step(ax, kinds.get("rejected"), colour, f"{_short(category, 20)} rejected", linestyle="--")
            _log_counts(ax)
            ax.set_xlim(0, 1)
            ax.set_xlabel("score · 分数")
            ax.set_ylabel("records · 记录数")
            ax.set_title(f"{summary.name}: {scorer}" if len(with_scores) > 1 else scorer)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=8, loc="upper right")
    fig.suptitle("Moderation scores per scorer · 内容审核分数")
    return fig


def lang_scores(summaries: Sequence) -> Figure | None:
    """Language-id confidence: kept, rejected by the lang stage, rejected by other stages."""
    with_scores = [s for s in summaries if s.lang_score]
    if not with_scores:
        return None
    fig = Figure(figsize=(4.8 * len(with_scores) + 1.5, 4.0), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, len(with_scores), squeeze=False)[0]
    styles = {"kept": (KEPT, "kept · 保留"), "lang": (REJECTED, "rejected by lang · 语言剔除"),
              "other": ("#7f7f7f", "rejected by other stages · 其他剔除")}
    for ax, summary in zip(axes, with_scores):
        for kind, (colour, label) in styles.items():
            _step(ax, summary.lang_score.get(kind), colour, label)
        if summary.min_lang_score is not None:
            ax.axvline(summary.min_lang_score, color="black", linestyle=":", label=f"lang.min_score {summary.min_lang_score:g}")
        _log_counts(ax)
        ax.set_xlim(0, 1)
        ax.set_xlabel("top language score · 语言识别置信度")
        ax.set_ylabel("records · 记录数")
        ax.set_title(summary.name)
        ax.legend(loc="upper left", fontsize=9)
    fig.suptitle("Language-id confidence · 语言识别置信度")
    return fig


FIGURES = (
    ("composition", composition), ("lengths", lengths), ("funnel", funnel), ("reject_reasons", reject_reasons),
    ("near_clusters", near_clusters), ("moderation", moderation), ("lang_score", lang_scores),
)
