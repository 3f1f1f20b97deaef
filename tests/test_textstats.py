import pyarrow as pa

from filters import textstats


def stats_of(text, **kw):
    return textstats.compute(pa.array([text], pa.string()), **kw)


def test_chinese_characters_count_as_words_and_han():
    s = stats_of("你好，世界！")
    assert (s.chars[0], s.han[0], s.words[0], s.punct[0], s.content_chars[0]) == (6, 4, 4, 2, 6)


def test_latin_words_and_their_lengths():
    s = stats_of("Data cleaning matters.")
    assert (s.latin_words[0], s.latin_word_chars[0], s.words[0]) == (3, 19, 3)


def test_duplicate_lines_and_their_characters():
    s = stats_of("same line\nother\nsame line\n\nsame line")
    assert (s.lines[0], s.dup_lines[0], s.dup_line_chars[0]) == (4, 2, 16)


def test_paragraphs_are_split_by_blank_lines():
    s = stats_of("a b\nc\n\nd\n\n\na b\nc")
    assert (s.paragraphs[0], s.dup_paragraphs[0], s.dup_paragraph_chars[0]) == (3, 1, 3)


def test_terminal_bullet_and_ellipsis_lines():
    s = stats_of("First line.\n- item one\n• item two\nto be continued...\n未完待续…")
    assert (s.lines[0], s.terminal_lines[0], s.bullet_lines[0], s.ellipsis_lines[0]) == (5, 3, 2, 2)


def test_longest_run_of_one_character():
    assert stats_of("ok 哈哈哈哈哈好 !!!").max_char_run[0] == 5


def test_repeated_character_ngrams():
    s = stats_of("abcabcabc", ngram_size=3)
    assert (s.ngrams[0], s.dup_ngrams[0]) == (7, 4)


def test_control_replacement_and_format_characters():
    s = stats_of("a\x07b\ufffdc\u200bd\te\nf")
    assert (s.control[0], s.replacement[0], s.format[0], s.spaces[0]) == (1, 1, 1, 2)


def test_latin1_mojibake_pairs_and_digit_runs():
    s = stats_of("cafÃ© â€œquotedâ€ call 13812345678 or 12345", digit_run_min=7)
    assert (s.latin1_mojibake_pairs[0], s.long_digit_runs[0]) == (3, 1)


def test_rare_han_is_han_outside_the_common_sets():
    s = stats_of("中国浣犲ソ")
    assert (s.han[0], s.common_han[0], s.kana_hangul[0]) == (4, 3, 1)


def test_nulls_and_empty_strings_have_zero_counts():
    s = textstats.compute(pa.array([None, ""], pa.string()))
    assert s.values.sum() == 0


def test_sliced_arrays_read_the_right_rows():
    arr = pa.array(["skip me", "你好", "abc"], pa.string()).slice(1)
    assert list(textstats.compute(arr).chars) == [2, 3]
