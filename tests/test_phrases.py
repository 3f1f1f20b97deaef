import pyarrow as pa

from filters.phrases import count
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
