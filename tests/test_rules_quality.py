"""Web-quality (Gopher/C4) rules, Chinese-aware."""

import json
import random
import string

import pyarrow as pa

from filters.ruleset import check_text, evaluate
from pipelines.config import FieldNames, RecordFormat
from pipelines.sample import en_sentence
from tests.test_rules_messy import EN, ZH, ZH_PAIRS


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


LONG_WORDS = ["internationalization", "responsibilities", "characteristically", "representatives", "telecommunications",
              "infrastructure", "understandably", "administratively", "disproportionately", "interchangeability",
              "reconsideration", "misunderstandings", "accomplishments", "circumstantially", "experimentation"]


def test_mean_word_length_out_of_range(rules):
    rng = random.Random(3)
    text = " ".join(rng.choice(LONG_WORDS) for _ in range(60)) + "."
    assert check_text(text, rules) == "mean_word_length"


def test_short_latin_tokens_in_chinese_prose_are_not_judged_for_word_length(rules):
    options = " ".join(f"-{c}" for c in string.ascii_lowercase[:24])
    assert check_text(ZH + "常用选项有 " + options + "，版本 1.2.3 起可用。" + ZH.replace("数据", "语料"), rules) is None


def test_hashes_and_ellipses_per_word(rules):
    assert check_text(EN + " " + " ".join(f"#topic{i}" for i in range(8)), rules) == "symbol_ratio"


def test_most_lines_bulleted(rules):
    rng = random.Random(5)
    text = "\n".join(f"- {en_sentence(rng)}" for _ in range(12))
    assert check_text(text, rules) == "bullet_lines"


def test_a_list_of_command_line_options_is_not_bulleted(rules):
    rng = random.Random(5)
    text = "\n\n".join(f"-X {name} {en_sentence(rng)}" for name in ("dev", "utf8", "importtime", "tracemalloc", "frozen_modules",
                                                                   "no_debug_ranges", "warn_default_encoding", "int_max_str_digits"))
    assert check_text(text, rules) is None


def test_many_lines_ending_in_ellipsis(rules):
    text = "\n".join([f"Chapter {i} tells what the fishermen did next and then..." for i in range(4)] + [EN])
    assert check_text(text, rules) == "ellipsis_lines"


def test_synopsis_lines_ending_in_bracket_ellipsis_are_not_ellipsis_lines(rules):
    text = "\n".join([f"cmd{i} [OPTION]... [FILE]..." for i in range(4)] + [EN])
    assert check_text(text, rules) is None


MENU = ["Home", "About us", "Products", "Contact", "News", "Careers", "Support", "Blog", "Press room", "Partners",
        "Events", "Shop", "Help centre", "Terms of use", "Privacy", "Sitemap", "Login", "Register", "Jobs", "Team"]


def test_lines_without_sentence_punctuation(rules):
    text = "\n".join(f"{a} {b}" for a, b in zip(MENU, reversed(MENU)))
    assert check_text(text, rules) == "no_terminal_punctuation"


def test_chinese_lines_with_sentence_ends_inside_pass(rules):
    lines = [sentence + "。" + sentence[:6] for sentence in ZH.split("。") if sentence] * 2
    assert check_text("\n".join(f"{i}. {line}" for i, line in enumerate(lines)), rules) is None


def test_a_reference_list_of_longer_entries_is_not_a_menu(rules):
    entries = ["opens a file and returns its descriptor", "closes a descriptor so it can be reused",
               "reads bytes from a descriptor into a buffer", "writes a buffer out through a descriptor",
               "reports the size, owner and times of a path", "copies a descriptor onto the lowest free number",
               "creates a one-way channel between two processes", "waits until one of several descriptors is ready"]
    text = "\n".join(f"{name}(2)    {entry}" for name, entry in zip(["open", "close", "read", "write", "stat", "dup", "pipe",
                                                                       "poll"], entries))
    assert check_text(text, rules) is None


def test_a_chinese_page_with_a_table_of_numbers_one_cell_a_line_is_not_low_content(rules):
    cells = [str(cell) for row in range(1, 13) for cell in (row, 40 + row, 60 + 2 * row, 30 + 3 * row)]
    page = "「输入范围」：要分析的数据范围的引用。\n\n「结果输出到」：显示结果的区域左上角的单元格的引用。\n\n以下面的数据为例\n\n"
    assert check_text(page + "\n\n".join(["数学", "物理", "生物", *cells]), rules) is None


def test_symbols_instead_of_words_is_low_content(rules):
    text = "\n".join(f"{i} | {i * 7}.{i} | {i * 13}-{i} = {i}%." for i in range(60))
    assert check_text(text, rules) == "low_content_ratio"


def test_duplicate_paragraphs(rules):
    rules.text.max_dup_line_ratio = 1.0
    rules.text.max_dup_line_char_ratio = 1.0
    rules.text.max_dup_char_ngram_ratio = 1.0
    text = "\n\n".join([ZH, EN, ZH, ZH, ZH])
    assert check_text(text, rules) == "paragraph_repetition"


def test_table_cells_repeated_one_to_a_paragraph_are_not_paragraph_repetition(rules):
    cells = [cell for k in range(8) for cell in ("中文", "日期格式", "DBNumX", f"[NatNum{k}]")]  # 日期格式 is a repeat
    assert check_text(ZH + "\n\n" + "\n\n".join(cells), rules) is None


def test_detail_names_value_and_threshold(rules):
    verdicts = evaluate(RecordFormat.web, {"text": pa.array(["太短了。"])}, rules, FieldNames())
    assert verdicts.reasons == ["too_few_words"]
    assert json.loads(verdicts.details[0]) == {"threshold": 50, "value": 3}


SHORT_EN = ("PureOS is a Debian-based distribution focused on privacy, convenience and security. It follows the GNU Free "
            "System Distribution Guidelines, used by the Free Software Foundation to qualify a distribution as free. "
            "It is developed by Purism.")


def test_thirty_four_english_words_carry_what_fifty_chinese_characters_do(rules):
    words = SHORT_EN.split()  # "Debian-based" is two words
    assert check_text(" ".join(words[:33]) + ".", rules) is None  # 34 Latin words weigh 51
    assert check_text(" ".join(words[:32]) + ".", rules) == "too_few_words"  # 33 weigh 49.5


def test_a_table_of_names_and_version_numbers_is_not_judged_for_word_length(rules):
    rows = [f"       {name}(2)                  {major}.{minor}.{patch}" for name, major, minor, patch in zip(
        ["accept4", "access", "acct", "add_key", "adjtimex", "alarm", "bind", "bpf", "brk", "capget", "capset", "chdir",
         "chmod", "chown", "chroot", "clone", "close", "connect", "creat", "dup"], range(1, 21), range(3, 23), range(7, 27))]
    assert check_text("System call                 Kernel\n" + "\n".join(rows), rules) is None


def test_formula_examples_are_words_with_letters(rules):
    lines = [f"「=DATEDIF(\"1974-04-{day:02d}\";\"2012-06-13\";\"{unit}\")」得到 {day * 3}。" for day, unit in
             zip(range(10, 20), ["y", "ym", "md", "m", "d", "yd", "y", "ym", "md", "m"])]
    assert check_text("示例\n\n生日计算。某人生于 1974-04-17。今天日期为 2012-06-13。\n\n" + "\n\n".join(lines), rules) is None


def test_menu_items_that_open_a_dialog_are_not_lines_cut_short(rules):
    items = ["定義...", "插入...", "套用...", "標籤...", "信函...", "傳真..."]
    text = "\n\n".join(f"{item}\n\n{ZH.replace(*pair)}" if k % 2 == 0 else item for k, (item, pair) in enumerate(zip(items, ZH_PAIRS)))
    assert check_text(text, rules) is None


def test_a_table_of_names_and_meanings_is_not_a_menu(rules):
    pairs = [("errno.ELNRNG", "Link number out of range"), ("errno.EUNATCH", "Protocol driver not attached"),
             ("errno.ENOCSI", "No CSI structure available"), ("errno.EL2HLT", "Level 2 halted"),
             ("errno.EBADE", "Invalid exchange"), ("errno.EBADR", "Invalid request descriptor"),
             ("errno.EXFULL", "Exchange full"), ("errno.ENOANO", "No anode"), ("errno.EBADRQC", "Invalid request code")]
    assert check_text("\n\n".join(f"{name}\n\n{meaning}" for name, meaning in pairs), rules) is None
