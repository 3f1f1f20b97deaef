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
    s = stats_of("the same line\nother\nthe same line\n\nthe same line")
    assert (s.lines[0], s.dup_lines[0], s.dup_line_chars[0]) == (4, 2, 22)


def test_short_headings_separators_and_signatures_are_not_duplicate_lines():
    s = stats_of("Example\n--\n-- the editors\nExample\n--\n-- the editors\n示例\n示例")
    assert (s.lines[0], s.content_lines[0], s.dup_lines[0]) == (8, 6, 0)


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


def test_most_frequent_word_ngrams_count_cjk_characters_as_words():
    s = stats_of("网络游戏网络游戏好玩 cheap shoes cheap shoes")
    assert (s.word_chars[0], s.top2_chars[0], s.top4_chars[0]) == (30, 20, 8)


def test_duplicated_word_ngram_windows():
    s = stats_of("one two three four five one two three four five six", word_ngram_sizes=(5,))
    assert (s.word_chars[0], s.dup5_chars[0], s.top2_chars[0]) == (41, 19, 0)  # 2-grams not asked for


def test_keyword_lines_and_seo_title():
    s = stats_of("电影在线观看高清_最新电视剧免费看_热门综艺全集播放_手机看大片网站_今日更新合集下载\n"
                 "减肥药价格,减肥药推荐,减肥药副作用,减肥药哪个好\n这是一句普通的话。")
    assert (s.title_items[0], s.keyword_lines[0]) == (5, 2)


def test_identifiers_and_table_headers_are_not_titles_or_keyword_lines():
    s = stats_of("local_address\n软件包 | 流行度 | 大小 | 说明")
    assert (s.title_items[0], s.keyword_lines[0]) == (0, 1)  # the header is a keyword line, not a title (items too short)


def test_sentence_ends_inside_lines():
    assert stats_of("第一句。第二句！Third one. And a fourth? no end").sentence_ends[0] == 4


def test_hashtags_not_comments_or_directives():
    assert stats_of("#include <x.h>\n# a comment\nnice day #sunny #beach").hashes[0] == 2


def test_prose_words_and_their_letters():
    s = stats_of("The cat's high-quality toys sit here quietly.\nls -l\nOK", prose_min_run=4)
    assert (s.prose_words.to_pylist(), s.prose_letters[0]) == (["cat's", "high", "quality", "toys", "sit", "here", "quietly"], 33)
