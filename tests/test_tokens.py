"""Token counts: the tokens stage against the tokenizer's own counts, with tiny tokenizers trained here."""

import os

import numpy as np
import pyarrow as pa
import pytest
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from tokenizers.processors import TemplateProcessing

from pipelines.config import RecordFormat, WinnowConfig
from pipelines.config_conversations import ConversationConfig, TokensConfig
from pipelines.records import TURN_TYPE
from transforms.tokens import TokenCountStep, count_tokens, load_tokenizer, token_steps

CORPUS = [
    "the village teacher carefully repaired the old stone bridge .",
    "a group of students measured the daily rainfall records , and everyone agreed .",
    "今天，村里的老师认真地整理了旧照片，大家都觉得很有意义。",
    "def area(r): return 3.14 * r ** 2",
    "w x y z",
]
SPECIALS = ["[UNK]", "[CLS]", "[SEP]"]


def build_tokenizer(folder: str, kind: str = "bpe", truncate_at: int | None = None) -> str:
    """Train a tiny tokenizer (BPE, or WordLevel: one token per whitespace/punctuation group), with a
    [CLS] … [SEP] template, and save it as a transformers tokenizer folder; returns the folder."""
    from transformers import PreTrainedTokenizerFast

    if kind == "bpe":
        tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
        trainer = trainers.BpeTrainer(vocab_size=120, special_tokens=SPECIALS)
    else:
        tokenizer = Tokenizer(models.WordLevel(unk_token="[UNK]"))
        trainer = trainers.WordLevelTrainer(special_tokens=SPECIALS)
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.train_from_iterator(CORPUS, trainer=trainer)
    tokenizer.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", tokenizer.token_to_id("[CLS]")), ("[SEP]", tokenizer.token_to_id("[SEP]"))])
    if truncate_at is not None:
        tokenizer.enable_truncation(max_length=truncate_at)
    wrapped = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]")
    os.makedirs(folder, exist_ok=True)
    wrapped.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return build_tokenizer(str(tmp_path_factory.mktemp("bpe")))


@pytest.fixture(scope="module")
def tokenizer(folder):
    return load_tokenizer(folder)


TEXTS = ["the old stone bridge, repaired.", "今天大家都觉得很有意义。", "", "def f(x): return x ** 2  # unseen words zq"]


def own_count(tokenizer, text: str, special: bool = False) -> int:
    return len(tokenizer(text, add_special_tokens=special)["input_ids"])


@pytest.mark.parametrize("batch_size", [1, 3, 100])
def test_counts_equal_the_tokenizers_own_counts(tokenizer, batch_size):
    expected = [own_count(tokenizer, t) for t in TEXTS]
    assert count_tokens(tokenizer, TEXTS, batch_size).tolist() == expected
    assert expected[1] > 1 and expected[2] == 0


def test_counts_with_special_tokens_add_the_template(tokenizer):
    assert count_tokens(tokenizer, TEXTS, 2, add_special_tokens=True).tolist() == [own_count(tokenizer, t, True) for t in TEXTS]


def test_a_raw_tokenizers_tokenizer_counts_the_same(folder, tokenizer):
    raw = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    assert count_tokens(raw, TEXTS, 2).tolist() == count_tokens(tokenizer, TEXTS, 2).tolist()


def test_web_records_get_the_tokenizers_count(folder, tokenizer):
    step = TokenCountStep(RecordFormat.web, TokensConfig(tokenizer=folder, batch_size=2))
    step.setup()
    batch = pa.RecordBatch.from_pydict({"id": ["a", "b", "c", "d"], "text": TEXTS})
    kept, rejects = step.apply(batch)
    assert rejects is None
    assert kept.schema.names == ["id", "text", "tokens"] and kept.schema.field("tokens").type == pa.int64()
    assert kept.column("tokens").to_pylist() == [own_count(tokenizer, t) for t in TEXTS]


def test_special_tokens_are_counted_once_per_record(folder, tokenizer):
    step = TokenCountStep(RecordFormat.web, TokensConfig(tokenizer=folder, add_special_tokens=True))
    step.setup()
    kept, _ = step.apply(pa.RecordBatch.from_pydict({"id": ["a", "b"], "text": TEXTS[:2]}))
    assert kept.column("tokens").to_pylist() == [own_count(tokenizer, t, True) for t in TEXTS[:2]]
    assert own_count(tokenizer, TEXTS[0], True) == own_count(tokenizer, TEXTS[0]) + 2


def test_alpaca_records_count_instruction_input_and_output(folder, tokenizer):
    step = TokenCountStep(RecordFormat.alpaca, TokensConfig(tokenizer=folder))
    step.setup()
    batch = pa.RecordBatch.from_pydict({"id": ["a"], "instruction": [TEXTS[0]], "input": [TEXTS[1]], "output": [TEXTS[3]]})
    kept, _ = step.apply(batch)
    assert kept.column("tokens").to_pylist() == [sum(own_count(tokenizer, t) for t in (TEXTS[0], TEXTS[1], TEXTS[3]))]


def test_sharegpt_records_count_every_turn(folder, tokenizer):
    step = TokenCountStep(RecordFormat.sharegpt, TokensConfig(tokenizer=folder, batch_size=1))
    step.setup()
    conversations = [[{"from": "human", "value": TEXTS[0]}, {"from": "gpt", "value": TEXTS[1]}, {"from": "human", "value": TEXTS[3]}],
                     [], [{"from": "human", "value": TEXTS[1]}]]
    batch = pa.RecordBatch.from_arrays([pa.array(["a", "b", "c"]), pa.array(conversations, TURN_TYPE)], names=["id", "conversations"])
    kept, _ = step.apply(batch.slice(0, 3))
    assert kept.column("tokens").to_pylist() == [
        own_count(tokenizer, TEXTS[0]) + own_count(tokenizer, TEXTS[1]) + own_count(tokenizer, TEXTS[3]), 0,
        own_count(tokenizer, TEXTS[1])]


def test_a_tokenizer_json_file_loads_alone(folder, tokenizer):
    alone = load_tokenizer(os.path.join(folder, "tokenizer.json"))
    assert count_tokens(alone, TEXTS, 10).tolist() == count_tokens(tokenizer, TEXTS, 10).tolist()


def test_truncation_in_the_tokenizer_file_does_not_cap_counts(tmp_path, tokenizer):
    capped = load_tokenizer(build_tokenizer(str(tmp_path / "capped"), truncate_at=3))
    assert count_tokens(capped, TEXTS, 10).tolist() == count_tokens(tokenizer, TEXTS, 10).tolist()


def test_a_tokenizer_on_an_object_store_is_copied_and_loaded(tmp_path, monkeypatch, folder, tokenizer):
    from tests.fake_object_store import FakeObjectStore

    store = tmp_path / "store"
    build_tokenizer(str(store / "bucket" / "tok"))
    monkeypatch.setattr(FakeObjectStore, "root", str(store))
    remote = load_tokenizer("fakestore://bucket/tok")
    assert count_tokens(remote, TEXTS, 10).tolist() == count_tokens(tokenizer, TEXTS, 10).tolist()
    single = load_tokenizer("fakestore://bucket/tok/tokenizer.json")
    assert count_tokens(single, TEXTS, 10).tolist() == count_tokens(tokenizer, TEXTS, 10).tolist()


def test_a_missing_tokenizer_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_tokenizer(str(tmp_path / "nothing"))


class _Config(WinnowConfig):
    """WinnowConfig with the sections the tokens and sharegpt stages read."""

    tokens: TokensConfig = TokensConfig()
    conversations: ConversationConfig = ConversationConfig()


def test_no_tokenizer_no_step(folder):
    assert token_steps(_Config()) == []
    steps = token_steps(_Config(tokens=TokensConfig(tokenizer=folder), ingest={"format": "alpaca"}))
    assert [(type(s), s.stage, s.fmt) for s in steps] == [(TokenCountStep, "tokens", RecordFormat.alpaca)]


def test_counts_are_int64_numpy(tokenizer):
    counts = count_tokens(tokenizer, [], 4)
    assert isinstance(counts, np.ndarray) and counts.dtype == np.int64 and len(counts) == 0
