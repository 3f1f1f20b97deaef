"""Garbled words: a letter dropped throughout, OCR confusions and broken words, random keys, uncommon Chinese characters."""

import json
import random
import string

import pyarrow as pa

from filters.ruleset import check_text, evaluate
from pipelines.config import FieldNames, RecordFormat
from pipelines.sample import en_document
from tests.test_rules_messy import EN, ZH, ZH_PAIRS, variants

ENGLISH = en_document(random.Random(2), paragraphs=3)


def detail_of(text, rules):
    verdicts = evaluate(RecordFormat.web, {"text": pa.array([text])}, rules, FieldNames())
    return verdicts.reasons[0], json.loads(verdicts.details[0] or "{}")


def test_english_with_every_n_dropped_is_unknown_words(rules):
    reason, detail = detail_of(ENGLISH.replace("n", "").replace("N", ""), rules)
    assert (reason, detail) == ("unknown_words", {"measure": "missing_letter", "threshold": 0.02, "value": 0.0})


def test_words_typed_at_random_are_unknown_words(rules):
    rng = random.Random(4)
    text = " ".join(" ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 8)))
                             for _ in range(10)).capitalize() + "." for _ in range(8))
    reason, detail = detail_of(text, rules)
    assert (reason, detail["measure"], detail["value"] > 0.9) == ("unknown_words", "unknown_latin_words", True)


def test_clean_english_and_technical_names_are_known(rules):
    listing = "\n".join(f"{name}()" for name in ["cmp", "cmpfiles", "dircmp", "clear_cache", "fnmatch", "glob"])
    assert check_text(ENGLISH + "\n\n" + listing + "\n\n" + EN, rules) is None


def test_chinese_of_uncommon_characters_is_unknown_words(rules):
    rng = random.Random(5)
    rare = [chr(cp) for cp in range(0x3400, 0x3500)]
    text = "".join(rng.choice(rare) if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.3 else ch
                   for ch in variants(ZH, ZH_PAIRS[:2]))
    reason, detail = detail_of(text, rules)
    assert (reason, detail["measure"]) == ("unknown_words", "uncommon_han")


def test_traditional_and_classical_chinese_are_known(rules):
    poem = "關關雎鳩，在河之洲。窈窕淑女，君子好逑。參差荇菜，左右流之。窈窕淑女，寤寐求之。求之不得，寤寐思服。悠哉悠哉，輾轉反側。"
    assert check_text(poem + "\n" + ZH, rules) is None


def test_too_few_english_words_are_not_judged(rules):
    assert check_text(ZH + " Brief Itroductio of the fie-tued model.", rules) is None


def ocr_read(text: str) -> str:
    """Every third word of five letters or more with its first e read as c (OCR's commonest confusion)."""
    words = text.split(" ")
    for k in range(0, len(words), 3):
        if len(words[k]) >= 5 and "e" in words[k]:
            words[k] = words[k].replace("e", "c", 1)
    return " ".join(words)


def test_ocr_confusions_of_known_words_are_garbled_words(rules):
    reason, detail = detail_of(ocr_read(ENGLISH), rules)
    assert (reason, detail) == ("unknown_words", {"measure": "garbled_words", "threshold": 0.1, "value": 0.1488})


def test_a_document_that_repeats_its_own_terms_is_known(rules):
    terms = " ".join(f"The futex call waits on the uaddr word while the futex owner sleeps {i} times." for i in range(6))
    assert check_text(ENGLISH + "\n\n" + terms, rules) is None


def test_an_index_of_identifiers_without_some_letter_is_not_judged(rules):
    index = "\n".join(f"Packer.pack_{kind}()\nUnpacker.unpack_{kind}()" for kind in ["float", "double", "bytes", "list", "array",
                                                                                 "fopaque", "fstring", "opaque", "uint", "int"])
    assert check_text("Packer Objects\n\n" + index, rules) is None


def test_an_interface_name_a_configuration_repeats_is_not_a_garbled_word(rules):
    config = ["allow-hotplug eth0", "auto eth0", "iface eth0 inet dhcp", "auto br0", "iface br0 inet dhcp", "    bridge-ports eth0",
              "allow-hotplug eth0", "auto eth0", "iface eth0 inet manual", "    up ip link set eth0 up"]
    assert check_text(EN + "\n\n" + "\n".join(config), rules) is None  # eth0 (etho with an OCR digit) eight times: a name
