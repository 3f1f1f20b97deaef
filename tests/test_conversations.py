"""ShareGPT cleaning: HTML to markdown, role and turn checks, truncated answers, splitting long conversations."""

import json

import pyarrow as pa
import pytest

from filters.conversations import holds_html, html_to_markdown, judge, plan_pieces
from pipelines.config import FieldNames, RecordFormat
from pipelines.config_conversations import ConversationConfig, TokensConfig
from pipelines.records import TURN_TYPE
from pipelines.sample import sharegpt_records
from tests.test_tokens import _Config, build_tokenizer
from transforms.sharegpt import ShareGPTStep, sharegpt_steps
from transforms.tokens import count_tokens, load_tokenizer


def human(value):
    return {"from": "human", "value": value}


def gpt(value):
    return {"from": "gpt", "value": value}


def judged(*conversations, languages=("zh", "en"), **settings):
    return judge(pa.array(list(conversations), TURN_TYPE), ConversationConfig(**settings), FieldNames(), list(languages))


def outcome(conversation, **settings):
    """(reason, detail) of one conversation."""
    verdicts = judged(conversation, **settings).verdicts
    return verdicts.reasons[0], json.loads(verdicts.details[0]) if verdicts.details[0] else None


CHATGPT_HTML = (
    '<div class="markdown prose w-full break-words dark:prose-invert light"><p>用 <code>snake_case</code> 命名：</p>'
    '<pre><div class="bg-black mb-4 rounded-md"><div class="flex items-center relative text-gray-200 bg-gray-800 px-4 py-2">'
    '<span class="">python</span><button class="flex ml-auto gap-2">Copy code</button></div><div class="p-4 overflow-y-auto">'
    '<code class="!whitespace-pre hljs language-python">def <span class="hljs-title">area</span>(r):\n'
    '    <span class="hljs-keyword">return</span> 3.14 * r ** 2  # a_b &lt; c\n\n\nprint(area(2))\n</code></div></div></pre>'
    '<ol><li>第一步</li><li>第二步</li></ol><p>完成。</p></div>'
)
CHATGPT_MARKDOWN = ("用 `snake_case` 命名：\n\n```python\ndef area(r):\n    return 3.14 * r ** 2  # a_b < c\n\n\nprint(area(2))\n```\n\n"
                    "1. 第一步\n2. 第二步\n\n完成。")


# --- HTML ---------------------------------------------------------------------------------------------

def test_html_answer_becomes_markdown_with_its_code_block_kept():
    result = judged([human("怎么命名变量？"), gpt(CHATGPT_HTML)])
    assert result.conversations.to_pylist() == [[human("怎么命名变量？"), gpt(CHATGPT_MARKDOWN)]]
    assert result.html_turns == 1 and result.verdicts.reasons == [None]


def test_code_holding_backticks_gets_a_longer_fence():
    assert html_to_markdown("<p>Escape it:</p><pre><code>a ``` b</code></pre>") == ("Escape it:\n\n````\na ``` b\n````", False)


def test_headings_links_and_tables_become_markdown():
    html = '<h2>Setup</h2><p>See <a href="https://x.org">the docs</a>.</p><table><tr><th>k</th><th>v</th></tr><tr><td>1</td><td>2</td></tr></table>'
    assert html_to_markdown(html) == ("## Setup\n\nSee [the docs](https://x.org).\n\n| k | v |\n| --- | --- |\n| 1 | 2 |", False)


PLAIN_AND_MARKDOWN = [
    "今天，村里的老师认真地整理了旧照片，大家都觉得很有意义。",
    "## Steps\n\n1. Run `pip install x`\n2. Use **bold** and _snake_case_ names\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    "An HTML example:\n\n```html\n<div class=\"box\"><p>Hello</p></div>\n```\n\nand inline `<p>x</p>` too.",
    "Use the <br> tag for a line break, and write 3 < 4 > 2 & so on.",
    "  spaced   text\twith\ttabs  ",
]


def test_plain_and_markdown_turns_come_out_byte_identical():
    conversation = [turn for text in PLAIN_AND_MARKDOWN for turn in (human("问题？"), gpt(text))]
    result = judged(conversation, check_truncation=False)
    assert result.conversations.to_pylist() == [conversation]
    assert result.html_turns == 0


def test_html_is_found_only_outside_markdown_code_and_only_as_a_closed_element():
    assert holds_html("<p>Hello</p>")
    assert holds_html('Text <div class="x">block</div> text')
    assert not holds_html("```html\n<p>Hello</p>\n```")
    assert not holds_html("write `<b>bold</b>` like that")
    assert not holds_html("use <br> or <p> tags")


def test_html_pasted_into_a_question_is_left_alone_by_default():
    question = "Why does <div><p>hi</p></div> not render?"
    assert judged([human(question), gpt("Because.")]).conversations.to_pylist()[0][0] == human(question)
    converted = judged([human(question), gpt("Because.")], html_turns="all").conversations.to_pylist()[0][0]
    assert converted == human("Why does\n\nhi\n\nnot render?")


def test_html_conversion_can_be_turned_off():
    assert judged([human("q"), gpt("<p>a.</p>")], html_to_markdown=False).conversations.to_pylist()[0][1] == gpt("<p>a.</p>")


# --- roles --------------------------------------------------------------------------------------------

def test_a_conversation_starting_with_the_assistant_is_rejected():
    assert outcome([gpt("Hello! How can I help?"), human("Tell me a joke."), gpt("Why did ...")]) == ("starts_with_assistant", {})


def test_two_human_turns_in_a_row_are_not_alternating():
    assert outcome([human("a?"), gpt("b."), human("c?"), human("d?")]) == (
        "roles_not_alternating", {"speaker": "human", "turn": 3})


def test_an_unknown_speaker_is_not_alternating():
    assert outcome([human("a?"), {"from": "narrator", "value": "b."}]) == ("roles_not_alternating", {"speaker": "narrator", "turn": 1})


def test_a_system_prompt_is_allowed_first_only():
    system = {"from": "system", "value": "You are helpful."}
    assert outcome([system, human("a?"), gpt("b.")]) == (None, None)
    assert outcome([human("a?"), system, gpt("b.")]) == ("roles_not_alternating", {"speaker": "system", "turn": 1})


def test_role_names_are_configurable():
    conversation = [{"from": "user", "value": "a?"}, {"from": "helper", "value": "b."}]
    assert outcome(conversation)[0] == "roles_not_alternating"
    assert outcome(conversation, assistant_speakers=["helper"]) == (None, None)


def test_a_final_unanswered_question_alternates():
    assert outcome([human("a?"), gpt("b."), human("c?")]) == (None, None)


# --- empty turns --------------------------------------------------------------------------------------

def test_a_blank_turn_is_rejected_as_the_rules_stage_names_it():
    assert outcome([human("请介绍一下这座城市。"), gpt(" ")]) == ("empty_turn", {})


def test_an_answer_that_is_empty_html_is_an_empty_turn():
    assert outcome([human("q?"), gpt("<div><p></p></div>")]) == ("empty_turn", {})


# --- language -----------------------------------------------------------------------------------------

JAPANESE = "こんにちは、今日はとても良い天気ですね。散歩に行きましょうか。"
KOREAN = "안녕하세요, 오늘 날씨가 정말 좋네요. 같이 산책하러 갈까요?"


def test_a_turn_in_another_script_is_unwanted():
    assert outcome([human(JAPANESE), gpt("好的。")]) == ("unwanted_language", {"threshold": 0.5, "turn": 0, "value": 0.7143})
    assert outcome([human("你好。"), gpt(KOREAN)])[0] == "unwanted_language"


def test_a_latin_language_passes_where_english_is_allowed():
    french = "Le matin, les enfants du village marchent jusqu'à l'école en chantant."
    assert outcome([human(french), gpt("D'accord.")]) == (None, None)


def test_english_turns_are_unwanted_where_only_chinese_is_allowed():
    english = "Every Saturday morning the village teacher carefully repaired the old stone bridge."
    assert judged([human(english), gpt("好的。")], languages=["zh"]).verdicts.reasons == ["unwanted_language"]


def test_code_does_not_count_against_a_chinese_answer():
    answer = "可以这样写：\n\n```python\ndef calculate_average_temperature(readings):\n    return sum(readings) / len(readings)\n```\n\n见 https://docs.python.org/3/library/functions.html 。"
    assert judged([human("怎么求平均值？"), gpt(answer)], languages=["zh"]).verdicts.reasons == [None]


def test_short_turns_and_unknown_languages_are_not_judged():
    assert outcome([human("ありがとう"), gpt("不客气。")]) == (None, None)
    assert judged([human(JAPANESE), gpt("好的。")], languages=["zh", "xx"]).verdicts.reasons == [None]
    assert judged([human(JAPANESE), gpt("好的。")], languages=[]).verdicts.reasons == [None]


def test_the_configured_languages_replace_lang_allowed():
    step = ShareGPTStep(RecordFormat.sharegpt, ConversationConfig(languages=["ja", "zh"]), FieldNames(), TokensConfig(),
                        lang_allowed=["zh", "en"])
    assert step.languages == ["ja", "zh"]
    assert ShareGPTStep(RecordFormat.sharegpt, ConversationConfig(), FieldNames(), TokensConfig(), ["zh"]).languages == ["zh"]


# --- truncation ---------------------------------------------------------------------------------------

PROSE = "The village teacher carefully repaired the old stone bridge, and everyone agreed it had been worth the effort. " * 4
ZH_PROSE = "去年冬天，村里的老师认真地整理了旧照片，大家都觉得很有意义。这件事后来被写进了地方志，很多人因此改变了原来的看法。" * 6


def truncated(answer, **settings):
    return outcome([human("Tell me more."), gpt(answer)], **settings)


def test_an_unclosed_code_fence_is_truncated():
    assert truncated("Here it is:\n\n```python\nimport os\nprint(os.getcwd(") == (
        "truncated_last_turn", {"kind": "unclosed_code", "value": "s:\n\n```python\nimport os\nprint(os.getcwd("})  # the last 40


def test_an_html_answer_whose_pre_never_closes_is_truncated():
    answer = "<p>Here is the code:</p><pre><code class='language-js'>let a = 1;\nlet b"
    assert truncated(answer)[1]["kind"] == "unclosed_code"


def test_an_answer_ending_mid_sentence_after_punctuated_prose_is_truncated():
    assert truncated(PROSE + "\n\nAnother important factor is the weather in the")[1]["kind"] == "no_sentence_end"
    assert truncated(PROSE + "It rained. Then the villagers decided to")[1]["kind"] == "no_sentence_end"
    assert truncated(ZH_PROSE + "首先，我们需要准备材料。然后我们可以开始")[1]["kind"] == "no_sentence_end"


def test_an_answer_ending_on_a_comma_or_colon_is_truncated():
    assert truncated(PROSE + "\n\nThe steps are:")[1]["kind"] == "sentence_goes_on"
    assert truncated(ZH_PROSE + "另外，")[1]["kind"] == "sentence_goes_on"


@pytest.mark.parametrize("ending", [
    "\n\n- Python\n- Rust\n- Go",                       # a list of bare items
    "\n\nThe stars above the quiet hill\nThe river running slow and still",  # verse
    "\n\nBest regards,\n[Your Name]",                   # a placeholder signature
    "\n\nSee https://www.debian.org/doc/manuals/debian-reference",  # a URL
    "\n\nThe answer is 42",                             # a number
    "\n\n## Summary and further reading",               # a heading
    "\n\n| a | b |\n|---|---|\n| one | two",            # a table row
    "\n\nHope this helps",                              # a short closing line
    "\n\n```python\nprint('done')\n```",                # a closed code block
])
def test_complete_answers_are_not_truncated(ending):
    assert truncated(PROSE + ending) == (None, None)


def test_a_short_answer_without_a_final_period_is_not_truncated():
    assert truncated("It rained. Then the villagers decided to") == (None, None)


def test_an_answer_followed_by_a_question_is_not_judged():
    assert outcome([human("Tell me more."), gpt(PROSE + "Then the"), human("continue")]) == (None, None)


def test_truncation_check_can_be_turned_off():
    assert truncated("```python\nprint(1)", check_truncation=False) == (None, None)


def test_the_samples_conversations_pass_or_fail_as_the_sample_expects():
    records = sharegpt_records()
    result = judged(*[r["conversations"] for r in records])
    expected = ["empty_turn" if r["expect"] == "empty_turn" else None for r in records]
    assert result.verdicts.reasons == expected
    assert result.conversations.to_pylist() == [r["conversations"] for r in records]


# --- splitting ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def wordlevel(tmp_path_factory):
    """A tokenizer giving one token per word or punctuation run: 'w w w' is 3 tokens."""
    return build_tokenizer(str(tmp_path_factory.mktemp("wordlevel")), kind="wordlevel")


def words(n: int) -> str:
    return " ".join(["w"] * n) + " ."


def sharegpt_batch(conversations: dict[str, list]) -> pa.RecordBatch:
    ids = list(conversations)
    return pa.RecordBatch.from_arrays(
        [pa.array(ids), pa.array(["chats.jsonl"] * len(ids)), pa.array(range(1, len(ids) + 1), pa.int64()),
         pa.array(list(conversations.values()), TURN_TYPE), pa.array(['{"lang": "en"}'] * len(ids))],
        names=["id", "source", "source_row", "conversations", "meta"])


def step_for(folder, max_tokens, **tokens):
    step = ShareGPTStep(RecordFormat.sharegpt, ConversationConfig(max_tokens=max_tokens), FieldNames(),
                        TokensConfig(tokenizer=folder, **tokens), ["zh", "en"])
    step.setup()
    return step


def test_a_long_conversation_is_split_at_exchanges_into_pieces_that_fit(wordlevel):
    x = [human(words(9)), gpt(words(19)), human(words(9)), gpt(words(29)), human(words(4)), gpt(words(4))]
    short = [human(words(2)), gpt(words(2))]
    kept, rejects = step_for(wordlevel, 50).apply(sharegpt_batch({"x": x, "y": short}))
    assert rejects is None
    rows = kept.to_pylist()
    assert [(r["id"], r["parent_id"], r["source_row"]) for r in rows] == [("x#1", "x", 1), ("x#2", "x", 1), ("y", None, 2)]
    assert [r["conversations"] for r in rows] == [x[:2], x[2:], short]
    tokenizer = load_tokenizer(wordlevel)
    sizes = [int(count_tokens(tokenizer, [t["value"] for t in r["conversations"]], 8).sum()) for r in rows]
    assert sizes == [30, 50, 6]
    assert all(r["meta"] == '{"lang": "en"}' for r in rows)


def test_the_step_reports_how_many_records_were_split_into_how_many_pieces(wordlevel):
    step = step_for(wordlevel, 12)
    x = [human(words(3)), gpt(words(3))] * 3
    kept, _ = step.apply(sharegpt_batch({"x": x, "y": x[:2], "z": x}))
    assert step.last_split == {"split_records": 2, "pieces": 6}
    assert kept.num_rows == 3 - 2 + 6
    assert kept.column("id").to_pylist() == ["x#1", "x#2", "x#3", "y", "z#1", "z#2", "z#3"]


def test_a_system_prompt_leads_every_piece(wordlevel):
    system = {"from": "system", "value": words(3)}
    x = [system, human(words(4)), gpt(words(4)), human(words(4)), gpt(words(4))]
    kept, _ = step_for(wordlevel, 20).apply(sharegpt_batch({"x": x}))
    assert kept.column("conversations").to_pylist() == [[system, *x[1:3]], [system, *x[3:]]]


def test_special_tokens_count_once_per_piece(wordlevel):
    x = [human(words(4)), gpt(words(4))] * 2
    assert step_for(wordlevel, 20).apply(sharegpt_batch({"x": x}))[0].num_rows == 1
    assert step_for(wordlevel, 20, add_special_tokens=True).apply(sharegpt_batch({"x": x}))[0].num_rows == 2


def test_a_turn_longer_than_the_limit_is_rejected(wordlevel):
    x = [human(words(3)), gpt(words(3)), human(words(3)), gpt(words(60))]
    kept, rejects = step_for(wordlevel, 50).apply(sharegpt_batch({"x": x, "y": x[:2]}))
    assert kept.column("id").to_pylist() == ["y"]
    reject = rejects.to_pylist()[0]
    assert (reject["id"], reject["stage"], reject["reason"]) == ("x", "sharegpt", "turn_too_long")
    assert json.loads(reject["detail"]) == {"threshold": 50, "turn": 3, "value": 61}
    assert reject["conversations"] == x


def test_an_exchange_longer_than_the_limit_is_rejected(wordlevel):
    x = [human(words(29)), gpt(words(29))]
    _, rejects = step_for(wordlevel, 50).apply(sharegpt_batch({"x": x}))
    assert rejects.column("reason").to_pylist() == ["exchange_too_long"]
    assert json.loads(rejects.column("detail")[0].as_py()) == {"threshold": 50, "turn": 0, "value": 60}


def test_plan_pieces_packs_exchanges_greedily():
    roles = [0, 1, 0, 1, 0, 1, 0]
    assert plan_pieces(pa.array([2, 3, 2, 3, 4, 4, 1]).to_numpy(), roles, 0, 10) == ([(0, 4), (4, 7)], None)
    assert plan_pieces(pa.array([2, 3, 11]).to_numpy(), roles[:3], 0, 10) == (
        None, ("turn_too_long", {"turn": 2, "value": 11, "threshold": 10}))


# --- the step -----------------------------------------------------------------------------------------

def test_rejects_keep_the_turns_as_they_came_and_kept_rows_carry_markdown():
    step = ShareGPTStep(RecordFormat.sharegpt, ConversationConfig(), FieldNames(), TokensConfig(), ["zh", "en"])
    step.setup()
    bad = [gpt("<p>Hi!</p>"), human("<p>q</p>")]
    kept, rejects = step.apply(sharegpt_batch({"a": [human("怎么命名变量？"), gpt(CHATGPT_HTML)], "b": bad}))
    assert kept.column("conversations").to_pylist() == [[human("怎么命名变量？"), gpt(CHATGPT_MARKDOWN)]]
    assert kept.column("parent_id").to_pylist() == [None]
    assert rejects.column("conversations").to_pylist() == [bad]
    assert rejects.column("reason").to_pylist() == ["starts_with_assistant"]
    assert step.last_split == {"split_records": 0, "pieces": 0}


def test_splitting_needs_a_tokenizer():
    with pytest.raises(ValueError, match="tokens.tokenizer"):
        ShareGPTStep(RecordFormat.sharegpt, ConversationConfig(max_tokens=100), FieldNames(), TokensConfig())


def test_the_step_exists_for_sharegpt_input_only():
    assert sharegpt_steps(_Config()) == []
    steps = sharegpt_steps(_Config(ingest={"format": "sharegpt"}, lang={"allowed": ["zh"]}))
    assert [(s.stage, s.languages) for s in steps] == [("sharegpt", ["zh"])]
