"""TigerBot's instruction rules, on alpaca-style and ShareGPT records."""

import json

import pyarrow as pa
import pytest

from filters.instruction import PYTHON_WHITESPACE, TURNS, apply, check, sharegpt_columns, sharegpt_fields
from filters.ruleset import evaluate
from filters.verdicts import Verdicts
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


@pytest.mark.parametrize("output", ["抱歉，我无法回答这个问题。", "作为一个AI语言模型，我无法提供个人意见。",
                                    "Sorry, I am unable to fulfill this request.",
                                    "As an AI language model, I cannot browse the internet.",
                                    "I'm sorry, but I can't help with that. If you have any other questions, feel free to ask."])
def test_canned_refusals_are_refusal(cfg, output):
    assert check("请帮我写一份周末野餐的购物清单。", output, cfg) == "refusal"


def test_a_disclaimer_before_a_real_answer_is_kept(cfg):
    answer = ("作为一个AI语言模型，我没有个人观点，但可以从几个方面来分析：第一，保持规律作息，每天早睡早起；"
              "第二，均衡饮食，多吃蔬菜水果；第三，坚持锻炼，每周至少运动三次，每次三十分钟以上。")
    assert check("怎样才能在一周内提高睡眠质量？", answer, cfg) is None


def test_an_apology_that_then_answers_is_kept(cfg):
    answer = "I'm sorry to hear that. First remove the wheel, then patch the tube, pump it up and check it holds air overnight."
    assert check("My bike tyre keeps going flat. What should I do?", answer, cfg) is None


def test_refusal_detail_is_the_share_of_refusal_sentences(cfg):
    verdicts = Verdicts(1)
    apply(verdicts, pa.array(["问一个问题"]), pa.array([""]), pa.array(["抱歉，我无法回答这个问题。"]), cfg)
    assert (verdicts.reasons, json.loads(verdicts.details[0])) == (["refusal"], {"threshold": 0.5, "value": 1.0})


@pytest.mark.parametrize("output", ["略", "略。", "同上", "无", "见上文", "……", "待补充", "N/A", "TODO", "todo.", "..."])
def test_chinese_and_english_placeholders_are_placeholder_output(cfg, output):
    assert check("解释一下这段代码。", output, cfg) == "placeholder_output"


def test_a_short_real_answer_is_not_a_placeholder(cfg):
    assert check("这句话里有错别字吗？", "没有错别字。", cfg) is None


def test_sharegpt_first_answer_refusal_is_rejected():
    turns = pa.array([[{"from": "human", "value": "Tell me a joke about cats."},
                       {"from": "gpt", "value": "As an AI language model, I do not have a sense of humor."}]],
                     pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())])))
    verdicts = evaluate(RecordFormat.sharegpt, {"conversations": turns}, RulesConfig(), FieldNames())
    assert verdicts.reasons == ["refusal"]


def test_sharegpt_columns_of_a_sliced_batch():
    turns = pa.array([[{"from": "human", "value": "skipped"}],
                      [{"from": "gpt", "value": "hi"}, {"from": "user", "value": "Q"}, {"from": "human", "value": "Q2"},
                       {"from": "gpt", "value": "A"}],
                      None, [], [{"from": "gpt", "value": "only an answer"}], [{"from": "human", "value": "unanswered"}]],
                     TURNS)
    asked, answered, blank = sharegpt_columns(turns.slice(1), ["human", "user"])
    assert (asked.to_pylist(), answered.to_pylist(), blank.tolist()) == (
        ["Q", "", "", "", "unanswered"], ["A", "", "", "", ""], [False] * 5)


def test_a_turn_of_any_python_whitespace_is_blank_and_other_spaces_are_not():
    values = ["\x1c\u3000\x85 ", "\u200b", "\ufeff", "x", ""]
    turns = [[{"from": "human", "value": "Q"}, {"from": "gpt", "value": value}] for value in values]
    assert sharegpt_fields(turns, ["human"])[2].tolist() == [not value.strip() for value in values] == [True, False, False,
                                                                                                         False, True]


def test_python_whitespace_is_what_str_strip_removes():
    assert PYTHON_WHITESPACE == "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
