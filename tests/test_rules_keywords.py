"""Keyword stuffing: keyword lists, SEO titles, a page written around one search phrase."""

import json

import pyarrow as pa

from filters.ruleset import check_text, evaluate
from pipelines.config import FieldNames, RecordFormat
from tests.test_rules_messy import EN, ZH, ZH_PAIRS, variants


def measure_of(text, rules):
    verdicts = evaluate(RecordFormat.web, {"text": pa.array([text])}, rules, FieldNames())
    return verdicts.reasons[0], json.loads(verdicts.details[0] or "{}").get("measure")


def test_space_separated_chinese_keyword_list(rules):
    lines = [" ".join(f"{product}{suffix}" for suffix in ["便宜", "图片", "官网", "排行", "下载", "推荐", "价格"])
             for product in ["网络游戏", "手机壳", "英语培训", "二手车", "婚纱摄影", "空气净化器"]]
    assert measure_of("\n".join(lines), rules) == ("keyword_stuffing", "keyword_lines")


def test_comma_separated_keyword_list(rules):
    lines = [",".join(f"{product}{suffix}" for suffix in ["价格", "推荐", "副作用", "哪个好", "排行榜", "官网"])
             for product in ["减肥药", "保健品", "茶叶", "净水器", "鲜花快递", "月子中心"]]
    assert measure_of("\n".join(lines), rules) == ("keyword_stuffing", "keyword_lines")


def test_a_stuffed_seo_title_above_an_article(rules):
    title = "免费电影会员账号怎么领取_高清电影在线观看完整版_最新热门电视剧全集播放_手机免费看大片网站_今日更新电影合集下载"
    assert measure_of(title + "\n\n" + variants(ZH, ZH_PAIRS), rules) == ("keyword_stuffing", "seo_title")


def test_a_table_header_or_identifiers_are_not_a_seo_title(rules):
    assert check_text("软件包 | 流行度 | 大小 | 协议 | 说明\n" + variants(ZH, ZH_PAIRS), rules) is None
    assert check_text("sl local_address rem_address st tx_queue rx_queue\n" + EN, rules) is None


def test_a_page_written_around_one_search_phrase(rules):
    sentences = [f"{opening} best running shoes {closing}" for opening, closing in zip(
        ["Looking for the", "Our guide lists the", "Compare the prices of", "Read reviews of", "Where to order",
         "Get fast delivery of", "Why people choose", "Discover new", "Save money on", "Learn more about", "Try on",
         "Find the"], ["today?", "for every budget.", "this week.", "first.", "online?", "now.", "again.", "here.",
                       "with us.", "below.", "in store.", "near you."])]
    reason, measure = measure_of(" ".join(sentences), rules)
    assert (reason, measure.startswith("top_")) == ("keyword_stuffing", True)


def test_prose_and_a_list_sentence_are_not_keyword_stuffing(rules):
    text = variants(ZH, ZH_PAIRS) + "\n常见格式：JPEG、PNG、GIF、BMP 都可以直接打开。"
    assert check_text(text, rules) is None
