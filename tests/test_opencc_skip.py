"""Texts that skip OpenCC are exactly texts OpenCC would leave unchanged."""

import random

import numpy as np
import opencc
import pyarrow as pa
import pytest

from filters import normalize
from filters.code_point_maps import tables
from filters.opencc_skip import PHRASE_TRIGGERS, dictionary_entries, needed_triggers, trigger_table, uncovered


@pytest.fixture(scope="module")
def converter():
    return opencc.OpenCC("t2s")


@pytest.fixture(scope="module")
def entries():
    return dictionary_entries()


def test_every_changing_dictionary_key_holds_a_trigger(converter, entries):
    assert len(entries) > 5000
    assert uncovered(entries, trigger_table(tables().han, converter)) == []


def test_the_shipped_phrase_triggers_are_what_the_installed_dictionaries_need(converter, entries):
    assert needed_triggers(entries, tables().han, converter) == PHRASE_TRIGGERS


def test_text_without_triggers_is_what_opencc_returns(converter):
    table = trigger_table(tables().han, converter)
    quiet = [chr(cp) for cp in np.flatnonzero(tables().han & ~table)[:30000].tolist()]
    rng = random.Random(3)
    texts = ["".join(rng.choice(quiet) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    assert all(converter.convert(t) == t for t in texts)


def test_to_simplified_converts_phrases_made_of_unchanged_characters():
    normalize._LAST_SIMPLIFIED.pair = None
    out = normalize.to_simplified(pa.array(["深沈的夜", "回覆郵件", "资料清洗", "plain", ""]))
    assert out.to_pylist() == ["深沉的夜", "回复邮件", "资料清洗", "plain", ""]
