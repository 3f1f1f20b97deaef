import pyarrow as pa

from filters import keywords, textstats
from filters.verdicts import ratio
from pipelines.config import KeywordRules


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


def test_prose_letters_count_lower_case_and_capitalised_words_in_runs():
    s = stats_of("The cat's high-quality toys sit here quietly.\nls -l\nOK", prose_min_run=4)
    assert s.prose_letters[0] == 36  # "ls -l" and "OK" are no run of prose


WORDS = textstats.word_table(pa.array(["information", "module", "the", "data", "quickly", "river"], pa.string()))


def word_counts(text, **kw):
    s = stats_of(text, words=WORDS, prose_min_run=2, **kw)
    return s.prose_words[0], s.unknown_words[0], s.garbled_words[0]


def test_known_prose_words_are_neither_unknown_nor_garbled():
    assert word_counts("The river data moved quickly") == (4, 1, 0)  # "moved" is not in this list


def test_an_ocr_confusion_of_a_known_word_is_garbled():
    assert word_counts("the rnodule flows, the rivcr flows") == (4, 2, 2)  # rn/m and e/c; "flows", used twice, is a term


def test_ocr_digits_in_a_known_word_are_garbled_and_other_digits_are_not_prose():
    assert word_counts("the modu1e and the x2go client") == (1, 1, 1)


def test_ocr_digits_in_a_word_the_text_uses_again_are_an_identifier_not_garbled():
    assert word_counts("the modu1e and the modu1e driver") == (3, 1, 0)  # modu1e twice: a name; "driver" is unknown


def test_a_word_broken_by_a_space_is_garbled():
    assert word_counts("the infor mation river") == (3, 2, 2)


def test_an_unknown_word_the_text_uses_again_is_not_unknown():
    assert word_counts("the futex word and the futex call") == (4, 2, 0)  # "word" and "call", used once, are unknown


def test_judged_runs_and_letter_runs_are_separate():
    s = stats_of("river data\nquickly", words=WORDS, prose_min_run=4, judge_min_run=2)
    assert (s.prose_letters[0], s.prose_words[0]) == (0, 2)


def test_latin_letter_census_and_rarest_common_letter():
    s = stats_of("Eeee Tttt")
    assert (s.latin_letters[0], s.rarest_letter_permille[0]) == (8, 0)


def test_ellipses_count_after_a_word_not_as_placeholders():
    assert stats_of("wait for it... then (...) or ... [FILE]... i=2…").ellipses[0] == 2


def test_ellipsis_lines_need_enough_words():
    s = stats_of("Insert...\nthe fishermen went out and then they...", min_ellipsis_words=5)
    assert (s.lines[0], s.ellipsis_lines[0]) == (2, 1)


def test_tokens_with_a_letter_among_tokens_with_a_letter_or_digit():
    s = stats_of("│ 056 46 2E . │ n\n生日 1974-04-17。")  # 生日 is two words, as every CJK character is one
    assert (s.tokens[0], s.alpha_tokens[0]) == (7, 4)


def test_a_chinese_sentence_between_spaces_is_as_many_tokens_as_characters():
    s = stats_of("3D效果 47 你好。")  # 3D效果: 3D and two characters
    assert (s.tokens[0], s.alpha_tokens[0]) == (6, 5)


def test_a_bullet_is_set_off_by_a_space_and_an_option_or_a_rule_is_not_one():
    s = stats_of("- item one\n-X dev mode\n•\u3000如何清屏？\n--verbose\n-\n------")
    assert (s.lines[0], s.bullet_lines[0]) == (6, 3)


def test_box_drawing_is_left_out_of_the_character_ngrams():
    s = stats_of("┌────┐\n│ab│\n└────┘", ngram_size=2)
    assert (s.ngrams[0], s.dup_ngrams[0]) == (1, 0)


def test_short_paragraphs_are_not_duplicates_but_count_as_paragraphs():
    s = stats_of("47\n\n47\n\n全角数字\n\n全角数字")  # table cells, one to a paragraph: 47 is one word, 全角数字 four
    assert (s.paragraphs[0], s.dup_paragraphs[0], s.dup_paragraph_chars[0]) == (4, 1, 4)


def test_words_with_a_letter_and_their_length():
    s = stats_of("accept4(2) 2.6.28 read")
    assert (s.latin_words[0], s.alpha_words[0], s.alpha_word_chars[0]) == (6, 2, 11)


def test_plain_lines_hold_only_letters_cjk_spaces_and_joiners():
    s = stats_of("Home & Garden\nKEY_SAVE\n关于我们\nerrno.EBADE\nit's well-known")
    assert (s.content_lines[0], s.plain_lines[0]) == (5, 3)


def test_two_grams_repeated_within_a_line_without_a_sentence_end():
    s = stats_of("web hosting cheap web hosting best web hosting\nweb hosting is cheap. web hosting is good.")
    assert (s.word_chars[0], s.line_repeat_chars[0]) == (72, 20)


def test_the_phrase_held_by_the_most_sentences():
    s = stats_of("Buy cheap shoes. Cheap shoes here. We sell cheap shoes. A dog barks", word_ngram_sizes=(2, 3, 4))
    assert (s.sentences[0], s.phrase2_sentences[0], s.phrase2_chars[0], s.phrase3_sentences[0]) == (3, 3, 30, 1)


def test_deeper_ngrams_are_skipped_when_two_grams_show_they_cannot_matter():
    text = "one two three four one two three four five"
    deep = stats_of(text, word_ngram_sizes=(2, 3, 4), deep_share=1.0)  # (three, four) twice: 18 of 34 word chars, 2x18 > 34
    shallow = stats_of(text, word_ngram_sizes=(2, 3, 4), deep_share=1.1)
    assert (deep.top4_chars[0], shallow.top2_chars[0], shallow.top3_chars[0], shallow.top4_chars[0]) == (30, 18, 0, 0)


def test_c1_controls_are_counted_as_controls_too():
    s = stats_of("数据库\xad\x97段\x07")
    assert (s.control[0], s.c1_controls[0]) == (2, 1)


def test_quoted_literals_are_not_keyword_items():
    s = stats_of("['ArithmeticError', 'AssertionError', 'AttributeError', 'BaseException', 'BlockingIOError']\n"
                 "cheap shoes, best shoes, shoes online, shoes sale")
    assert s.keyword_lines[0] == 1


def test_a_batch_gives_each_text_the_stats_it_has_alone():
    texts = ["The river data moved quickly. " * 3, "数据清洗是重要的步骤。" * 4, "", "- a\n- b\n\n┌──┐\n│x│", "w0rd w0rd eth0 ＃标签", None,
             "Ab12cd efGH ijk\tlmn 你好abc 世界 3D效果。"]
    together = textstats.compute(pa.array(texts, pa.string()), words=WORDS)
    alone = [textstats.compute(pa.array([text], pa.string()), words=WORDS).values[0] for text in texts]
    assert together.values.tolist() == [row.tolist() for row in alone]


def test_repeated_ngrams_are_counted_where_their_share_may_exceed_the_floor():
    s = stats_of("abcabcabc", ngram_size=3, ngram_floor=0.5)  # 4 of 7 repeated: over the floor, so counted
    assert (s.ngrams[0], s.dup_ngrams[0]) == (7, 4)


def test_below_the_floor_repeated_ngrams_are_a_bound_within_it():
    text = "Every Saturday morning a volunteer from the clinic presented the rare plants on the northern hills."
    exact, bounded = stats_of(text), stats_of(text, ngram_floor=0.7)
    assert exact.dup_ngrams[0] <= bounded.dup_ngrams[0] <= 0.7 * bounded.ngrams[0]


def test_word_ngrams_are_counted_where_the_top_two_gram_may_exceed_the_floor():
    text = "cheap shoes cheap shoes cheap shoes best price here"  # (cheap, shoes) 3 times: 30 of 43 word chars
    s = stats_of(text, word_ngram_sizes=(2, 3, 4), top_floor=0.2)
    assert (s.word_chars[0], s.top2_chars[0], s.top3_chars[0], s.top4_chars[0]) == (43, 30, 30, 40)


def test_below_the_floor_word_ngrams_are_bounds_within_it():
    text = "The river data moved quickly through the old valley while the engineers repaired a small stone bridge."
    exact = stats_of(text, word_ngram_sizes=(2, 3, 4))
    bounded = stats_of(text, word_ngram_sizes=(2, 3, 4), top_floor=0.2)
    assert exact.top2_chars[0] <= bounded.top2_chars[0] <= 0.2 * bounded.word_chars[0]
    assert exact.top3_chars[0] <= bounded.top3_chars[0] and exact.top4_chars[0] <= bounded.top4_chars[0]


def _repetitive_texts():
    """Texts from clean to one phrase throughout, in English and Chinese, with few and with many sentences."""
    en = ["The river data moved quickly through the old valley.", "Engineers repaired a small stone bridge near the town.",
          "A volunteer presented rare plants from the northern hills.", "Nobody else had time to do it that year."]
    zh = ["去年冬天，图书馆的管理员认真地整理了旧照片。", "第二天早上，村里的老师一直在整理调查报告。",
          "会议结束以后，年轻的研究人员终于整理了旧照片。", "春节前夕，村里的老师坚持讨论新的课程安排。"]
    texts = []
    for sentences, phrase in ((en, "Cheap running shoes online"), (zh, "二手车价格")):
        for repeats in range(0, 13):
            body = [f"{phrase} {s}" if k < repeats else s for k, s in enumerate(sentences * 3)]
            texts.append(" ".join(body[:max(repeats, 4)]))
            texts.append(" ".join([phrase] * repeats + sentences[:1]))
            texts.append((sentences[0] + " ") * repeats + sentences[1])
    return texts


def test_floors_never_hide_a_share_over_them():
    keyword_rules = KeywordRules()
    texts = pa.array(_repetitive_texts(), pa.string())
    common = dict(word_ngram_sizes=(2, 3, 4), deep_share=keywords.deep_share(keyword_rules),
                  deep_coverage=keyword_rules.min_phrase_coverage, phrase_min_sentences=keyword_rules.min_phrase_sentences)
    exact = textstats.compute(texts, **common)
    bounded = textstats.compute(texts, **common, ngram_floor=0.7, top_floor=keywords.top_floor(keyword_rules),
                                phrase_floor=keywords.phrase_floor(keyword_rules))

    def over(stats):
        shares = {"ngrams": ratio(stats.dup_ngrams, stats.ngrams) > 0.7,
                  "phrase": keywords.phrase_share(stats, keyword_rules)[0] > keyword_rules.max_phrase_share}
        for n, threshold in keyword_rules.max_top_ngram_char_share.items():
            shares[n] = ratio(getattr(stats, f"top{n}_chars"), stats.word_chars) > threshold
        return {name: mask.tolist() for name, mask in shares.items()}

    assert over(bounded) == over(exact)
    assert all(any(mask) for mask in over(exact).values())  # every measure is over its threshold somewhere
    assert not all(over(exact)["ngrams"])
