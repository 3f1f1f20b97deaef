"""bench.devtext without Debian packages: the Mallard renderer, the fresh split's sources and loading."""

import json

import pytest

from bench import devtext

_PAGE = """<?xml version="1.0" encoding="utf-8"?>
<page xmlns="http://projectmallard.org/1.0/" xmlns:if="http://projectmallard.org/if/1.0/"
      xmlns:its="http://www.w3.org/2005/11/its" type="topic" id="{id}" xml:lang="zh-CN">
  <info>
    <link type="guide" xref="index"/>
    <credit type="author"><name>Jane Doe</name></credit>
    <desc>Metadata that yelp does not show in the page.</desc>
  </info>
  <title>{title}</title>
  {body}
</page>
"""

_BODY = """
  <p>按 <keyseq><key>Ctrl</key><key>Alt</key><key>T</key></keyseq> 打开终端，
  然后选择 <guiseq><gui>文件</gui><gui>打开</gui></guiseq>。</p>
  <media type="image" src="figures/x.png"><p>Image fallback text</p></media>
  <if:choose>
    <if:when test="platform:gnome-classic"><p>Classic only.</p></if:when>
    <if:else><p>Default desktop.</p></if:else>
  </if:choose>
  <p if:test="!target:mobile">Not on a phone.</p>
  <p if:test="target:mobile">Phone only.</p>
  <section id="more">
    <title>More</title>
    <steps>
      <item><p>First step.</p></item>
      <item><p>See <link xref="other"/> and <link xref="other#part"/>.</p></item>
    </steps>
    <terms>
      <item><title>Term</title><p>Its meaning.</p></item>
    </terms>
    <code>line one
  indented line</code>
    <links type="topic"/>
  </section>
"""


def _write_pages(folder):
    (folder / "main.page").write_text(_PAGE.format(id="main", title="主页", body=_BODY), encoding="utf-8")
    other = '<section id="part"><title>Part title</title><p>x</p></section>'
    (folder / "other.page").write_text(_PAGE.format(id="other", title="Other page", body=other), encoding="utf-8")


def test_mallard_text_renders_as_yelp_shows_it(tmp_path):
    _write_pages(tmp_path)
    text = devtext.mallard_text(str(tmp_path / "main.page"))
    assert text.startswith("主页\n\n")
    assert "按 Ctrl+Alt+T 打开终端，然后选择 文件 ▸ 打开。" in text  # CJK line wrap joined, sequences joined
    assert "Default desktop." in text and "Classic only." not in text
    assert "Not on a phone." in text and "Phone only." not in text
    assert "See Other page and Part title." in text  # links without text show their target's title
    assert "More\n\nFirst step.\n\nSee" in text  # paragraphs in list items stay paragraphs, as in HTML
    assert "Term\n\nIts meaning." in text
    assert "line one\n  indented line" in text  # a code block keeps its layout
    for hidden in ("Jane Doe", "Metadata", "Image fallback"):
        assert hidden not in text


def test_mallard_text_skips_a_broken_page(tmp_path, capsys):
    (tmp_path / "broken.page").write_text("<page><p>unclosed</page>", encoding="utf-8")
    assert devtext.mallard_text(str(tmp_path / "broken.page")) == ""


def test_fresh_sources_are_works_of_their_own():
    fresh = [source for source in devtext.SOURCES if source.split == devtext.FRESH]
    others = [source for source in devtext.SOURCES if source.split != devtext.FRESH]
    assert fresh and others and all(source.split == "" for source in others)
    assert not {source.family for source in fresh} & {source.family for source in others}
    assert devtext.SPLITS == ("dev", "heldout") and devtext.ALL_SPLITS == ("dev", "heldout", "fresh")
    assert {devtext.split_of(f"key{i}") for i in range(50)} == set(devtext.SPLITS)  # hashing never picks fresh


def test_a_family_in_fresh_and_in_dev_is_refused():
    kwargs = dict(package="p", lang="en", family="shared", licence="l", kind="html", root="/nonexistent", pattern="x")
    sources = (devtext.Source(**kwargs), devtext.Source(**kwargs, split=devtext.FRESH))
    with pytest.raises(ValueError, match="shared"):
        devtext.build_documents(sources)


def test_load_accepts_fresh(tmp_path, monkeypatch):
    monkeypatch.setattr(devtext, "DATA_DIR", str(tmp_path))
    record = {"id": "a", "text": "t", "lang": "zh", "source": "p:f", "licence": "l"}
    (tmp_path / "zh-fresh.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert devtext.load("zh", "fresh") == [record]
    with pytest.raises(ValueError):
        devtext.load("zh", "test")
