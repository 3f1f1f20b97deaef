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


def test_keywords_joined_by_plain_spaces_repeat_within_their_lines(rules):
    lines = [" ".join(f"{modifier} {product}" for modifier in ["cheap", "best", "buy", "discount", "top", "new"])
             for product in ["web hosting", "running shoes", "office chairs"]]
    assert measure_of("\n".join(lines) + "\n\n" + EN, rules) == ("keyword_stuffing", "repeating_lines")


SEO_ZH = ["{k}哪个好？", "{k}价格是多少？", "想了解{k}的朋友可以看看这篇文章。", "{k}排行榜前十名都有哪些？", "选购{k}的时候要注意什么？",
          "今天小编为大家整理了{k}的相关资料。", "{k}怎么样，好不好？", "最新{k}报价一览。", "很多网友都在问{k}去哪里买。",
          "本站提供{k}大全，信息实时更新。"]


def test_a_page_that_puts_one_search_phrase_in_every_sentence_is_seo_prose(rules):
    verdicts = evaluate(RecordFormat.web, {"text": pa.array(["".join(s.format(k="空气净化器价格") for s in SEO_ZH)])}, rules,
                        FieldNames())
    assert (verdicts.reasons[0], json.loads(verdicts.details[0])) == (
        "keyword_stuffing", {"measure": "seo_prose", "threshold": 0.2, "value": 0.2469})  # 10 x 4 of 162 word chars


def test_documentation_whose_sentences_share_a_term_is_not_seo_prose(rules):
    sentences = ["在调色板中选择一种颜色。", "颜色会立即应用到所选对象。", "如果要定义新的颜色，请点击添加按钮。", "输入颜色的名称和数值。",
                 "也可以从图片中拾取一种颜色。", "保存以后，新颜色会出现在列表末尾。", "删除颜色不会影响已经使用它的对象。",
                 "导入的颜色表可以与同事共享。", "颜色表以文件的形式保存在用户目录里。", "恢复默认设置会还原全部颜色。"]
    assert check_text("".join(sentences), rules) is None


def test_a_list_literal_of_quoted_names_is_not_a_keyword_line(rules):
    names = ", ".join(f"'{name}Error'" for name in ["Arithmetic", "Assertion", "Attribute", "Buffer", "ChildProcess",
                                                    "Connection", "EOF", "Environment", "FileExists", "FloatingPoint"])
    assert check_text(EN + "\n>>> dir(builtins)\n[" + names + "]", rules) is None
