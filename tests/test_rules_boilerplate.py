"""Boilerplate lines (navigation, legal, share bars) are removed from web text and noted; a page left
too short is rejected as boilerplate; a line that only mentions cookies or copyright stays."""

import json

import pyarrow as pa
import pytest

from filters.boilerplate import remove_lines
from filters.phrases import scan
from filters.ruleset import clean_text, judge
from pipelines.config import BoilerplateRules, FieldNames, RecordFormat
from pipelines.records import CLEANED_FIELD, record_schema, reject_schema
from tests.test_rules_messy import EN, ZH, ZH_PAIRS, variants
from transforms.rules import ApplyRulesFn

ZH_DOC = variants(ZH, ZH_PAIRS[:3])


def test_navigation_and_legal_lines_are_removed_and_noted(rules):
    page = "当前位置：首页 > 新闻 > 正文\n" + ZH_DOC + "\n上一篇：春天的故事\n版权所有 © 2023 星河资讯网\n返回顶部"
    reason, text, note = clean_text(page, rules)
    assert (reason, text) == (None, ZH_DOC)
    assert note == {"boilerplate": {"chars": 51, "lines": 4,
                                    "patterns": {"back_to_top": 1, "breadcrumb": 1, "prev_next": 1, "版权所有": 1}}}


def test_english_footer_lines_are_removed(rules):
    page = "Skip to content\nHome | About | Blog | Contact\n" + EN + "\nShare on Facebook Twitter Email\n" \
           "© 2024 Example Inc. All rights reserved.\nBack to top ↑"
    reason, text, note = clean_text(page, rules)
    assert (reason, text, note["boilerplate"]["lines"]) == (None, EN, 5)


def test_a_line_that_mentions_cookies_in_prose_is_kept(rules):
    prose = "We use cookies in this example only to show how the server can remember a choice between two requests."
    assert clean_text(EN + "\n" + prose + "\n" + EN.replace("river", "stream"), rules)[1:] == \
           (EN + "\n" + prose + "\n" + EN.replace("river", "stream"), None)


def test_a_copyright_sentence_in_chinese_prose_is_kept(rules):
    prose = "本书版权所有者是作者本人，未经许可不得转载。"
    assert clean_text(ZH_DOC + "\n" + prose, rules)[1:] == (ZH_DOC + "\n" + prose, None)


def test_a_page_left_too_short_is_boilerplate(rules):
    page = "登录 | 注册\n当前位置：首页 > 科技\n一句很短的正文。\n分享到：微信 微博 QQ空间\n版权所有 © 2020 城市生活网\n返回顶部"
    outcome = judge(RecordFormat.web, {"text": pa.array([page])}, rules, FieldNames())
    assert outcome.verdicts.reasons == ["boilerplate"]
    assert json.loads(outcome.verdicts.details[0]) == {"threshold": 50, "value": 7}
    assert outcome.columns["text"].to_pylist() == [page]  # a reject keeps the text as it came
    assert json.loads(outcome.cleaned[0].as_py())["boilerplate"]["lines"] == 5


def test_nothing_changed_gives_a_null_note(rules):
    outcome = judge(RecordFormat.web, {"text": pa.array([EN])}, rules, FieldNames())
    assert outcome.cleaned.to_pylist() == [None] and outcome.columns["text"].to_pylist() == [EN]


@pytest.mark.parametrize("line, pattern", [
    ("Copyright © 2010-2023 Example Corp", "copyright"),
    ("Example Inc. All rights reserved.", "all_rights_reserved"),
    ("京ICP备12345678号", "icp"),
    ("回到顶部", "back_to_top"),
    ("您现在的位置: 首页 >> 教育", "breadcrumb"),
    ("Home » Science » Space", "breadcrumb"),
    ("You are here: Home > Products > Widgets", "breadcrumb"),
    ("You are here: Products » Widgets", "breadcrumb"),
    ("下一篇：城市绿道网络年内基本成形", "prev_next"),
    ("« Previous post", "prev_next"),
    ("Sign in | Create an account", "login_register"),
    ("关于我们 | 联系我们 | 网站地图 | 广告服务", "nav_bar"),
    ("This website uses cookies to personalise content and analyse traffic.", "cookie_banner"),
    ("Accept all cookies", "cookie_banner"),
    ("免责声明：本文仅代表作者个人观点，与本站无关。", "disclaimer"),
    ("转载请注明出处", "reprint_notice"),
    ("Skip to main content", "skip_link"),
    ("分享到：微信 微博 QQ空间", "share_bar"),
    ("相关文章", "related_links"),
    ("Tags: science, space", "tags"),
    ("责任编辑：李华", "editor"),
    ("发表评论", "comments"),
])
def test_each_default_pattern_removes_its_lines(line, pattern):
    cfg = BoilerplateRules()
    removal = remove_lines(pa.array([line + "\n" + ZH]), cfg.patterns, cfg.max_line_chars, cfg.keywords)
    assert (removal.texts.to_pylist(), removal.patterns) == ([ZH], [{pattern: 1}])


def test_a_sentence_that_starts_with_you_are_here_is_kept():
    cfg = BoilerplateRules()
    text = "You are here because the value > 5.\nYou are here: the start.\n" + ZH
    assert remove_lines(pa.array([text]), cfg.patterns, cfg.max_line_chars, cfg.keywords).lines.tolist() == [0]


def test_a_line_longer_than_max_line_chars_is_never_boilerplate():
    cfg = BoilerplateRules(max_line_chars=20)
    removal = remove_lines(pa.array(["Copyright © 2010-2023 Example Corp\nbody"]), cfg.patterns, cfg.max_line_chars, cfg.keywords)
    assert removal.lines.tolist() == [0]


def test_rules_stage_puts_cleaned_after_meta_and_keeps_the_cleaned_text(rules):
    page = "返回顶部\n" + ZH_DOC
    batch = pa.RecordBatch.from_pydict({"id": ["a", "b"], "source": ["s", "s"], "source_row": [1, 2],
                                        "text": [page, "太短"], "meta": [None, None]})
    judged, verdicts = ApplyRulesFn(RecordFormat.web, rules, FieldNames()).judge(batch)
    assert judged.schema.names == ["id", "source", "source_row", "text", "meta", "cleaned"]
    assert judged.column("text").to_pylist() == [ZH_DOC, "太短"] and verdicts.reasons == [None, "too_few_words"]


def test_record_schema_has_cleaned_right_after_meta_when_rules_run():
    names = record_schema(RecordFormat.web, True, with_cleaned=True).names
    assert names[names.index("meta") + 1] == CLEANED_FIELD.name
    assert CLEANED_FIELD.name not in record_schema(RecordFormat.web, True).names
    assert reject_schema(RecordFormat.alpaca, False, with_cleaned=True).names[6:8] == ["meta", "cleaned"]


def test_the_phrase_scan_hands_boilerplate_its_short_lines_with_a_keyword():
    cfg = BoilerplateRules()
    texts = pa.array([ZH + "\n返回顶部", "正文\n" + "很长的一行" * 80 + "版权所有"])
    found = scan(texts, [], [], [], [], cfg.keywords, cfg.max_line_chars)
    removal = remove_lines(texts, cfg.patterns, cfg.max_line_chars, cfg.keywords, found)
    assert (found.line_rows.tolist(), found.line_numbers.tolist(), removal.lines.tolist()) == ([0], [1], [1, 0])
