import pyarrow as pa

from filters.phrases import count, scan
from pipelines.config import MarkupRules, SpamRules


def test_hits_per_kind_and_text():
    spam = SpamRules()
    markup = MarkupRules().phrases
    texts = pa.array(["加微信，点击链接", "Call me", "<DIV>&nbsp;</div>", "see https://a.example and www.b.example", "平常的一句话", None])
    hits = count(texts, spam.ad_phrases, spam.contact_phrases, markup)
    assert hits.ad.tolist() == [2, 0, 0, 0, 0, 0]
    assert hits.contact.tolist() == [1, 1, 0, 0, 0, 0]  # 加微信 holds 微信
    assert hits.markup.tolist() == [0, 0, 3, 0, 0, 0]
    assert hits.url.tolist() == [0, 0, 0, 2, 0, 0]


def test_configured_phrases_replace_the_defaults():
    hits = count(pa.array(["buy now", "特价秒杀 特价秒杀", "<div>"]), ["特价秒杀"], [], ["<blink"])
    assert (hits.ad.tolist(), hits.markup.tolist()) == ([0, 2, 0], [0, 0, 0])


def test_a_url_with_www_counts_once():
    hits = count(pa.array(["see https://www.gnu.org/x and www.b.example and http://c.example"]), [], [], [])
    assert hits.url.tolist() == [3]


def test_distinct_advertising_phrases_count_a_repeated_phrase_once():
    spam = SpamRules()
    texts = pa.array(["Click here to apply. Click here to update.", "加微信，点击链接，加微信", "加我微信号"])
    hits = count(texts, spam.ad_phrases, spam.contact_phrases, [])
    assert (hits.ad.tolist(), hits.distinct_ad.tolist()) == ([2, 3, 2], [1, 2, 2])  # 加我微信号 holds 加我微信 and 微信号


def test_distinct_urls_are_told_apart_by_their_text_after_the_prefix():
    texts = pa.array(["deb http://deb.example/debian a\ndeb-src http://deb.example/debian a\nhttps://deb.example/debian",
                      "see https://www.gnu.org/x and www.b.example and http://c.example/（中文）", "no link"])
    hits = count(texts, [], [], [])
    assert (hits.url.tolist(), hits.distinct_urls.tolist()) == ([3, 3, 0], [1, 3, 0])


def test_every_short_line_with_a_boilerplate_keyword_is_a_candidate():
    text = "\n".join(["Share on Twitter", "A plain line of prose.", "x" * 40 + " share"] * 20)
    found = scan(pa.array([text, "share"]), [], [], [], [], ["share"], max_line_chars=30)
    assert (found.line_rows.tolist(), found.line_numbers.tolist()) == ([0] * 20 + [1], list(range(0, 60, 3)) + [0])


def test_a_batch_of_many_short_candidate_lines_has_them_all():
    found = scan(pa.array(["\n".join(["share"] * 100), "share"]), [], [], [], [], ["share"], max_line_chars=30)
    assert (found.line_rows.tolist(), found.line_numbers.tolist()) == ([0] * 100 + [1], list(range(100)) + [0])
