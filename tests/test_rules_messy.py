"""Messy-text rules on single documents (web), one reason per test."""

import json
import random

import pyarrow as pa

from filters.phrases import scan
from filters.ruleset import check_text, clean_text, evaluate
from pipelines.config import FieldNames, RecordFormat, SpamRules
from pipelines.sample import en_document


def variants(text: str, pairs: list[tuple[str, str]]) -> str:
    """Paragraphs of the text with one substitution each: a longer document without repeated lines."""
    return "\n\n".join(text.replace(a, b) for a, b in pairs)


ZH_PAIRS = [("数据", "语料"), ("清洗", "过滤"), ("模型", "系统"), ("网络", "互联网"), ("中文", "汉语"), ("广告", "推广")]

ZH = ("数据清洗是训练大语言模型之前最重要的步骤之一。网络上的中文文本质量参差不齐，其中夹杂着广告、乱码和重复内容。"
      "通过规则过滤、精确去重和近似去重，我们可以得到更干净的语料。")
EN = ("The river carried leaves toward the sea while the village slept. Nobody expected the storm that arrived "
      "after midnight, yet everyone remembered it for years. The old bridge survived, and the teacher wrote "
      "about it in a small book that the library still keeps on its shelves. Years later, her grandson "
      "read the book aloud at the harbour festival.")


def test_clean_chinese_and_english_pass(rules):
    assert check_text(ZH, rules) is None
    assert check_text(EN, rules) is None


def test_whitespace_only_is_too_short(rules):
    assert check_text("  \n ", rules) == "too_short"


def test_text_over_the_character_limit_is_too_long(rules):
    rules.text.max_chars = 50
    assert check_text(EN, rules) == "too_long"


def test_replacement_character_is_rejected(rules):
    assert check_text(ZH.replace("。", "\ufffd。", 1), rules) == "replacement_chars"


def test_control_character_is_rejected(rules):
    assert check_text(EN.replace(" ", "\x1b", 1), rules) == "control_chars"


def test_tab_form_feed_and_vertical_tab_are_not_control_chars(rules):
    assert check_text(EN.replace(" ", "\t", 3).replace(". ", ".\f", 1).replace(", ", ",\v", 1), rules) is None


def test_one_stray_control_character_in_a_long_text_is_kept(rules):
    assert check_text(en_document(random.Random(1), paragraphs=4) + "\n\nEnd\x07 of file.", rules) is None


def test_terminal_escape_codes_are_removed_and_noted(rules):
    reason, text, note = clean_text(EN.replace("river", "\x1b[1mriver\x1b[0m").replace("sea", "s\bsea"), rules)
    assert (reason, text, note) == (None, EN, {"terminal_codes": {"chars": 10}})


def test_light_utf8_read_as_cp1252_is_repaired_and_kept(rules):
    clean = EN + " The café’s naïve plan worked."
    garbled = clean.encode("utf-8").decode("cp1252")
    reason, text, note = clean_text(garbled, rules)
    assert (reason, text, note["mojibake"]["kind"]) == (None, clean, "utf8_as_cp1252")


def test_mostly_garbled_cp1252_text_is_mojibake(rules):
    assert check_text(ZH.encode("utf-8").decode("cp1252", errors="ignore"), rules) == "mojibake"


def test_utf8_read_as_gbk_is_mojibake(rules):
    assert check_text(ZH.encode("utf-8").decode("gbk", errors="ignore"), rules) == "mojibake"


def test_mojibake_detail_names_its_kind(rules):
    garbled = ZH.encode("utf-8").decode("gbk", errors="ignore")
    verdicts = evaluate(RecordFormat.web, {"text": pa.array([garbled])}, rules, FieldNames())
    assert json.loads(verdicts.details[0]) == {"kind": "utf8_as_gbk", "threshold": 0.3, "value": 1.0}


def test_traditional_chinese_is_not_mojibake(rules):
    traditional = ("資料清洗是訓練大語言模型之前最重要的步驟之一。網路上的中文文本品質參差不齊，其中夾雜著廣告、亂碼和重複內容。"
                   "透過規則過濾、精確去重和近似去重，我們可以得到更乾淨的語料。")
    assert check_text(traditional, rules) is None


def test_long_run_of_one_character_is_char_repetition(rules):
    rules.keywords.max_top_ngram_char_share = {}  # "哈哈" would also be the most frequent 2-gram
    assert check_text(ZH + "哈" * 61, rules) == "char_repetition"
    assert check_text(ZH + "哈" * 60, rules) is None


def test_a_rule_of_sixty_dashes_is_layout_not_repetition(rules):
    assert check_text(ZH + "\n" + "─" * 80 + "\n" + ZH.replace("。", "！"), rules) is None


def test_repeated_lines_are_line_repetition(rules):
    lines = ["第一行是一句普通的话。", "同一句广告语反复出现。", "同一句广告语反复出现。", "同一句广告语反复出现。",
             "同一句广告语反复出现。", "同一句广告语反复出现。"]
    assert check_text(ZH + "\n" + "\n".join(lines), rules) == "line_repetition"


def test_repeated_separator_signature_and_heading_lines_are_not_line_repetition(rules):
    sections = [f"{sentence}\n--\n-- 编辑部\n示例" for sentence in ZH.split("。") if sentence]
    assert check_text("\n".join(sections), rules) is None


def test_mostly_repeated_ngrams_are_char_repetition(rules):
    assert check_text("这是一段重复的句子，" * 12, rules) == "char_repetition"


def test_two_advertising_phrases_are_ad_spam(rules):
    assert check_text(ZH + "加微信领取优惠券", rules) == "ad_spam"
    assert check_text(ZH + "欢迎扫码关注", rules) is None


def test_a_help_page_repeating_one_call_to_action_is_not_ad_spam(rules):
    page = ZH + "\n\nApply\n\nClick here to apply the properties.\n\nUpdate\n\nClick here to view the properties."
    assert check_text(page, rules) is None


def test_contact_word_with_phone_number_is_contact_spam(rules):
    assert check_text(ZH + "联系电话 13912345678", rules) == "contact_spam"
    assert check_text(ZH + "电话普及于二十世纪", rules) is None


def test_one_phone_number_in_a_signature_of_a_long_text_is_kept(rules):
    assert check_text(variants(ZH, ZH_PAIRS) + "\n\n作者：王明，电话 13912345678，邮箱 wang@example.org", rules) is None


def test_several_phone_numbers_with_a_contact_word_are_contact_spam(rules):
    text = variants(ZH, ZH_PAIRS) + "\n\n微信 13912345678 电话 13812345678"
    assert check_text(text, rules) == "contact_spam"


def test_dense_urls_are_url_spam(rules):
    assert check_text(EN + " " + " ".join(f"https://a.example/{i}" for i in range(8)), rules) == "url_spam"
    assert check_text(EN + " https://a.example/1 https://www.b.example/2", rules) is None


def test_a_sources_list_repeating_one_mirror_is_not_url_spam(rules):
    suites = ("stable", "testing", "sid", "experimental", "bookworm-backports")
    lines = [f"deb{src} http://deb.debian.org/debian {suite} main" for suite in suites for src in ("", "-src")]
    assert check_text(EN + "\n\n" + "\n".join(lines), rules) is None  # ten URLs, one of them different


def test_a_table_drawn_with_box_characters_is_not_char_repetition(rules):
    rule = "─" * 150  # a man page's table, rendered by groff at its width
    rows = [f"│/usr/lib/{name:<20}│ {use:<20}│" for name, use in (("arch-id", "全局通用的共享库"), ("package", "软件包专属的静态资源"),
                                                                  ("arch-id/package", "体系结构相关的资源"))]
    table = [f"┌{rule}┬{rule}┐"] + [line for row in rows for line in (row, f"├{rule}┼{rule}┤")][:-1] + [f"└{rule}┴{rule}┘"]
    assert check_text(ZH + "\n\n" + "\n".join(table), rules) is None


def test_html_tags_and_entities_are_html_residue(rules):
    assert check_text(EN + " <div>&nbsp;</div><br>", rules) == "html_residue"
    assert check_text(EN + " <div>&nbsp;</div>", rules) is None


def test_first_failing_rule_gives_the_reason(rules):
    assert check_text("\ufffd\x07", rules) == "replacement_chars"


def test_dense_forum_jargon_is_rejected(rules):
    post = "沙发！楼主威武，卧槽这也太牛逼了吧，坐等更新，有木有人一起？"
    assert check_text(post + ZH, rules) == "jargon"


def test_a_slang_word_in_ordinary_text_is_not_jargon(rules):
    assert check_text(ZH + "这个方法真是绝绝子。", rules) is None


def test_a_number_far_from_the_contact_word_is_no_contact(rules):
    script = "要是数据机发现电话忙线，他将会送出 BUSY 这个字串，然后脚本结束。ABORT BUSY '' ATZ OK ATDT5551212 CONNECT 再拨 ATDT5551213"
    assert check_text(variants(ZH, ZH_PAIRS[:2]) + "\n" + script, rules) is None


def test_a_phrase_scan_places_numbers_after_contact_words_and_finds_the_gbk_residue():
    spam = SpamRules()
    found = scan(pa.array(["电话 13912345678，另一个 13812345678", "手机号码是多少？" + "很长的句子" * 5 + "13912345678", "锟斤拷"]),
                 spam.ad_phrases, spam.contact_phrases, [], contact_window=20)
    assert (found.hits.contact_numbers.tolist(), found.hits.residue.tolist()) == ([2, 0, 0], [False, False, True])


def test_documentation_that_quotes_a_few_tags_is_not_html_residue(rules):
    quoted = EN + "\n\nEach XML file starts with <?xml version=\"1.0\"?> and an element is written <name>content</name>; " \
                  "the predefined entities are &lt; &gt; and &amp;.\n\n" + en_document(random.Random(3), paragraphs=3)
    assert check_text(quoted, rules) is None


def test_a_text_that_quotes_the_replacement_character_once_is_kept(rules):
    quoted = en_document(random.Random(4), paragraphs=3) + " Decoding errors become \ufffd (U+FFFD)."
    assert check_text(quoted, rules) is None


def test_a_few_c1_controls_left_by_lost_bytes_are_removed_and_noted(rules):
    doc = ZH + "\n\n" + EN
    reason, text, note = clean_text(doc.replace("语料", "语\x8b料", 1), rules)
    assert (reason, text, note) == (None, doc, {"c1_controls": {"chars": 1}})


def test_many_c1_controls_are_control_chars(rules):
    assert check_text(ZH.replace("，", "\x85\x9b\x9c，"), rules) == "control_chars"
