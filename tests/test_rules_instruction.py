"""TigerBot's instruction rules, on alpaca-style and ShareGPT records."""

import pyarrow as pa
import pytest

from filters.instruction import check, sharegpt_fields
from filters.ruleset import evaluate
from pipelines.config import FieldNames, InstructionRules, RecordFormat, RulesConfig


@pytest.fixture
def cfg():
    return InstructionRules()


def test_instruction_of_only_punctuation_is_rejected(cfg):
    assert check("？！。。...", "一个回答。", cfg) == "instruction_only_punctuation"


def test_instruction_of_only_digits_is_rejected(cfg):
    assert check("1. 2. 3", "一个回答。", cfg) == "instruction_only_digits"


def test_blank_instruction_is_rejected(cfg):
    assert check(" \n", "一个回答。", cfg) == "empty_instruction"


def test_blank_output_is_rejected(cfg):
    assert check("写一句诗。", "   ", cfg) == "empty_output"


@pytest.mark.parametrize("output", ["<noinput>", "[image]", "<a text>", " N/A ", "[图片]", "<无输入>", "<some placeholder>"])
def test_placeholder_outputs_are_rejected(cfg, output):
    assert check("描述这张图片。", output, cfg) == "placeholder_output"


def test_input_repeating_the_instruction_is_rejected(cfg):
    assert check("Translate to French", "Bonjour", cfg, input="translate  to french") == "input_repeats_instruction"


def test_output_echoing_the_instruction_is_rejected(cfg):
    assert check("写一首关于春天的诗", " 写一首关于春天的诗\n", cfg) == "output_repeats_instruction"


def test_ordinary_record_passes(cfg):
    assert check("写一首关于春天的诗", "春风吹绿了江南的岸。", cfg, input="") is None


def test_bracketed_words_inside_a_real_answer_are_not_placeholders(cfg):
    assert check("How do I write a list in HTML?", "Use <ul> with one <li> per item.", cfg) is None


def test_sharegpt_fields_take_first_question_and_its_answer():
    turns = [[{"from": "system", "value": "be nice"}, {"from": "human", "value": "Q1"}, {"from": "gpt", "value": "A1"},
              {"from": "human", "value": "Q2"}, {"from": "gpt", "value": ""}]]
    asked, answered, blank = sharegpt_fields(turns, ["human"])
    assert (asked, answered, blank.tolist()) == (["Q1"], ["A1"], [True])


def test_sharegpt_blank_turn_is_rejected():
    turns = pa.array([[{"from": "human", "value": "请介绍一下长城。"}, {"from": "gpt", "value": "长城是古代的防御工程。"},
                       {"from": "human", "value": " "}]],
                     pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())])))
    verdicts = evaluate(RecordFormat.sharegpt, {"conversations": turns}, RulesConfig(), FieldNames())
    assert verdicts.reasons == ["empty_turn"]


def test_alpaca_batch_applies_messy_rules_to_all_fields():
    columns = {"instruction": pa.array(["介绍一下这款产品。"]), "input": pa.array([""]),
               "output": pa.array(["这是一款好产品，加微信领取优惠券。"])}
    verdicts = evaluate(RecordFormat.alpaca, columns, RulesConfig(), FieldNames())
    assert verdicts.reasons == ["ad_spam"]
