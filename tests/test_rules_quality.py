"""Web-quality (Gopher/C4) rules, Chinese-aware."""

import json
import random
import string

import pyarrow as pa

from filters.ruleset import check_text, evaluate
from pipelines.config import FieldNames, RecordFormat
from pipelines.sample import en_sentence
from tests.test_rules_messy import EN, ZH


def first_han(text: str, count: int) -> str:
    """The prefix of text holding exactly `count` Han characters."""
    seen = 0
    for end, ch in enumerate(text):
        seen += "\u4e00" <= ch <= "\u9fff"
        if seen == count:
            return text[: end + 1]
    raise ValueError("text too short")


def test_fifty_chinese_characters_are_enough_words(rules):
    assert check_text(first_han(ZH, 50) + "。", rules) is None
    assert check_text(first_han(ZH, 49) + "。", rules) == "too_few_words"


def test_too_many_words(rules):
    rules.web.max_words = 40
    assert check_text(EN, rules) == "too_many_words"


def test_mean_word_length_out_of_range(rules):
    rng = random.Random(3)
    long_words = " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(12)) for _ in range(60)) + "."
    assert check_text(long_words, rules) == "mean_word_length"


def test_hashes_and_ellipses_per_word(rules):
    assert check_text(EN + " " + " ".join(f"#topic{i}" for i in range(8)), rules) == "symbol_ratio"


def test_most_lines_bulleted(rules):
    rng = random.Random(5)
    text = "\n".join(f"- {en_sentence(rng)}" for _ in range(12))
    assert check_text(text, rules) == "bullet_lines"


def test_many_lines_ending_in_ellipsis(rules):
    text = "\n".join([f"Chapter {i} tells what the fishermen did next and then..." for i in range(4)] + [EN])
    assert check_text(text, rules) == "ellipsis_lines"


def test_lines_without_sentence_punctuation(rules):
    entries = ["Home", "About us", "Products", "Contact", "News", "Careers", "Support", "Blog", "Press room", "Partners",
               "Events", "Shop", "Help centre", "Terms of use", "Privacy", "Sitemap", "Login", "Register", "Jobs", "Team"]
    text = "\n".join(f"{entry} page link {i}" for i, entry in enumerate(entries))
    assert check_text(text, rules) == "no_terminal_punctuation"


def test_symbols_instead_of_words_is_low_content(rules):
    text = "\n".join(f"{i} | {i * 7}.{i} | {i * 13}-{i} = {i}%." for i in range(60))
    assert check_text(text, rules) == "low_content_ratio"


def test_duplicate_paragraphs(rules):
    rules.text.max_dup_line_ratio = 1.0
    rules.text.max_dup_line_char_ratio = 1.0
    rules.text.max_dup_char_ngram_ratio = 1.0
    text = "\n\n".join([ZH, EN, ZH, ZH])
    assert check_text(text, rules) == "paragraph_repetition"


def test_detail_names_value_and_threshold(rules):
    verdicts = evaluate(RecordFormat.web, {"text": pa.array(["太短了。"])}, rules, FieldNames())
    assert verdicts.reasons == ["too_few_words"]
    assert json.loads(verdicts.details[0]) == {"threshold": 50, "value": 3}
