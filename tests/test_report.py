"""`winnow report`: exact counts from small outputs, and the page opened in a real headless Chromium."""

import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image

from pipelines.cli import main
from pipelines.report import summarize, write_report
from pipelines.report_figures import cjk_font
from pipelines.sample import write_sample
from tests.e2e_helpers import clean

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ALL_FIGURES = {"composition", "lengths", "funnel", "reject_reasons", "near_clusters", "moderation", "lang_score"}


def write_output(folder: Path, data: list[dict], rejects: list[dict], stages: list[dict]) -> Path:
    """A winnow output laid out as `clean` writes it (web format, with tokens and moderation scores)."""
    data_schema = pa.schema([("id", pa.string()), ("source", pa.string()), ("source_row", pa.int64()), ("text", pa.string()),
                             ("lang", pa.string()), ("lang_score", pa.float32()), ("length", pa.int64()),
                             ("tokens", pa.int64()), ("moderation", pa.string())])
    reject_schema = pa.schema(list(data_schema) + [("stage", pa.string()), ("reason", pa.string()), ("detail", pa.string())])
    (folder / "data").mkdir(parents=True)
    (folder / "rejects").mkdir()
    pq.write_table(pa.Table.from_pylist(data, schema=data_schema), folder / "data" / "part-00000-of-00001.parquet")
    pq.write_table(pa.Table.from_pylist(rejects, schema=reject_schema), folder / "rejects" / "part-00000-of-00001.parquet")
    manifest = {"format": "web", "stages_run": ["lang", "exact", "near"], "stages": stages,
                "counts": {"records_read": len(data) + len(rejects), "kept": len(data), "rejected": len(rejects)},
                "config": {"lang": {"min_score": 0.3}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def row(rid: str, lang: str, length: int, tokens: int, scores: dict | None = None, source: str = "网页/a.jsonl") -> dict:
    return {"id": rid, "source": source, "source_row": 0, "text": "x" * length, "lang": lang, "lang_score": 0.95,
            "length": length, "tokens": tokens, "moderation": json.dumps(scores) if scores else None}


def reject(rid: str, stage: str, reason: str, survivor: str | None = None, **kw) -> dict:
    detail = json.dumps({"duplicate_of": survivor, "hamming_distance": 2}) if survivor else None
    return {**row(rid, "zh", 100, 50, **kw), "stage": stage, "reason": reason, "detail": detail}


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> Path:
    """Kept a, b, c; near-duplicate clusters {a, d} and {b, e, f}; one lang reject; moderation scores."""
    data = [row("a", "zh", 120, 60, {"lexicon": {"porn": 0.1, "violence": 0.7}, "bert": {"toxic": 0.2}}),
            row("b", "zh", 300, 150, {"lexicon": {"porn": 0.05}}),
            row("c", "en", 2000, 500, source="web/b.jsonl")]
    rejects = [reject("d", "near", "near_duplicate", "a"), reject("e", "near", "near_duplicate", "b"),
               reject("f", "near", "near_duplicate", "b"), reject("g", "lang", "language")]
    stages = [{"stage": "ingest", "in": 7, "out": 7, "rejected": {}},
              {"stage": "lang", "in": 7, "out": 6, "rejected": {"language": 1}},
              {"stage": "exact", "in": 6, "out": 6, "rejected": {}},
              {"stage": "near", "in": 6, "out": 3, "rejected": {"near_duplicate": 3}}]
    return write_output(tmp_path_factory.mktemp("scored") / "scored", data, rejects, stages)


@pytest.fixture(scope="module")
def sample_outputs(tmp_path_factory) -> list[Path]:
    """The bundled sample's web and alpaca files cleaned by the real CLI (lang and exact: independent of rule changes)."""
    root = tmp_path_factory.mktemp("sample")
    write_sample(root / "in")
    outs = []
    for fmt in ("web", "alpaca"):
        out = root / fmt
        assert clean("--input", str(root / "in" / fmt), "--output", str(out), "--format", fmt, "--stages", "lang,exact") == 0
        outs.append(out)
    return outs


def test_counts_per_language_and_source_with_tokens(scored):
    summary = summarize(str(scored), "scored")
    assert (summary.kept, summary.rejected, summary.has_tokens) == (3, 4, True)
    assert summary.by_lang == {"records": {"zh": 2, "en": 1}, "tokens": {"zh": 210, "en": 500}}
    assert summary.by_source["records"] == {"网页/a.jsonl": 2, "web/b.jsonl": 1}


def test_near_duplicate_cluster_size_counts_the_survivor(scored):
    assert summarize(str(scored), "scored").near_clusters == {2: 1, 3: 1}


def test_funnel_and_reasons_come_from_the_manifest(scored):
    summary = summarize(str(scored), "scored")
    assert summary.funnel[-1] == ("near", 6, 3)
    assert summary.reasons == {("lang", "language"): 1, ("near", "near_duplicate"): 3}
    assert summary.min_lang_score == 0.3


def test_length_histograms_split_kept_and_rejected(scored):
    lengths = summarize(str(scored), "scored").lengths
    assert int(lengths["chars"]["kept"].counts.sum()) == 3
    assert int(lengths["chars"]["rejected"].counts.sum()) == 4
    assert int(lengths["tokens"]["kept"].counts.sum()) == 3


def test_moderation_scores_per_scorer_and_category(scored):
    moderation = summarize(str(scored), "scored").moderation
    assert sorted(moderation) == ["bert", "lexicon"]
    assert int(moderation["lexicon"]["porn"]["kept"].counts.sum()) == 2
    violence = moderation["lexicon"]["violence"]["kept"]
    assert violence.counts[np.searchsorted(violence.edges, 0.7, side="right") - 1] == 1


def test_moderation_above_max_rows_is_a_deterministic_sample(tmp_path):
    data = [row(f"r{i:04d}", "zh", 100, 50, {"lexicon": {"porn": (i % 10) / 10}}) for i in range(400)]
    out = write_output(tmp_path / "big", data, [reject("x", "lang", "language")], [])
    first, second = summarize(str(out), "big", max_rows=100), summarize(str(out), "big", max_rows=100)
    parsed, total, is_sample = first.moderation_sample["kept"]
    assert total == 400 and is_sample and 60 <= parsed <= 140
    assert first.moderation["lexicon"]["porn"]["kept"].counts.tolist() == second.moderation["lexicon"]["porn"]["kept"].counts.tolist()
    written = write_report([str(out)], str(tmp_path / "r.html"), max_rows=100)
    assert f"a deterministic sample of {parsed:,} of 400 rows" in Path(written.html).read_text()


def test_chinese_labels_render_with_a_cjk_font(scored, tmp_path):
    assert cjk_font() is not None, "no CJK font: apt-get install fonts-wqy-microhei"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_report([str(scored)], str(tmp_path / "r.html"))
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_cli_writes_html_and_pngs_and_skips_figures_without_data(sample_outputs, tmp_path, capsys):
    html = tmp_path / "rep" / "sample.html"
    assert main(["report", *map(str, sample_outputs), "--output", str(html)]) == 0
    pngs = sorted(p.stem for p in (tmp_path / "rep" / "sample-figures").glob("*.png"))
    assert pngs == ["composition", "funnel", "lang_score", "lengths", "reject_reasons"]
    page = html.read_text()
    assert page.count('<img id="fig-') == 5 and "src=\"data:image/png;base64," in page
    assert "no moderation column" in page and "no near_duplicate rejects" in page
    assert "report:" in capsys.readouterr().out


def test_cli_refuses_a_folder_that_is_not_an_output(tmp_path, capsys):
    assert main(["report", str(tmp_path), "--output", str(tmp_path / "r.html")]) == 2
    assert "no data/ or rejects/ shards" in capsys.readouterr().err


PROBE = """<script>
window.addEventListener("load", () => {
  for (const img of document.querySelectorAll("img")) {
    const r = img.getBoundingClientRect();
    img.setAttribute("data-probe", [img.complete && img.naturalWidth > 0 ? "rendered" : "broken",
      Math.round(r.left), Math.round(r.top + window.scrollY), Math.round(r.width), Math.round(r.height)].join(" "));
  }
  document.body.setAttribute("data-probe-height", String(document.documentElement.scrollHeight));
});
</script>
"""
WIDTH = 1400


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
               f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def console_problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (make test installs Debian's chromium package)")
def test_every_figure_renders_in_headless_chromium(sample_outputs, scored, tmp_path):
    written = write_report([*map(str, sample_outputs), str(scored)], str(tmp_path / "report.html"))
    assert set(written.figures) == ALL_FIGURES and not written.skipped
    probe = tmp_path / "probe.html"
    probe.write_text(Path(written.html).read_text().replace("</body>", PROBE + "</body>"))

    dom = chromium(tmp_path / "profile", f"--window-size={WIDTH},1000", "--dump-dom", probe.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not console_problems(dom.stderr)
    probes = dict(re.findall(r'<img id="fig-(\w+)"[^>]*data-probe="([^"]+)"', dom.stdout))
    assert set(probes) == ALL_FIGURES
    boxes = {}
    for name, found in probes.items():
        state, *box = found.split()
        assert state == "rendered", f"figure {name} did not render"
        boxes[name] = [int(v) for v in box]
    height = int(re.search(r'data-probe-height="(\d+)"', dom.stdout).group(1))

    shot = tmp_path / "report.png"
    taken = chromium(tmp_path / "profile", f"--window-size={WIDTH},{height}", f"--screenshot={shot}", Path(written.html).as_uri())
    assert taken.returncode == 0 and shot.exists(), taken.stderr[-2000:]
    assert not console_problems(taken.stderr)
    screen = np.asarray(Image.open(shot).convert("L"), dtype=np.int16)
    for name, (left, top, width, height) in boxes.items():
        assert width > 300 and height > 150, f"figure {name} is laid out {width}x{height}"
        area = screen[top:top + height, left:left + width]
        assert area.shape[0] > 100, f"figure {name} is outside the screenshot"
        ink = float((area < 200).mean())
        assert ink > 0.01 and area.std() > 10, f"figure {name} looks blank in the screenshot ({ink:.3%} ink)"
