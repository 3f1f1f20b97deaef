"""The lexicon scorer: allow-listed words, word boundaries, longest match, scores from hit counts."""

import math

import pyarrow as pa
import pytest

from moderation.lexicon import LEXICON_DIR, Lexicon, LexiconData, LexiconScorer, Term, load_lexicon, read_disguises


def small_lexicon(**kwargs) -> Lexicon:
    data = LexiconData(
        terms=[
            Term("被操", "abuse", 1.0), Term("台独", "politics", 1.0), Term("操你", "abuse", 1.0),
            Term("操你妈", "abuse", 1.0), Term("干你娘", "abuse", 1.0), Term("ass", "abuse", 1.0),
            Term("sex", "porn", 1.0), Term("cock", "porn", 1.0), Term("cunt", "abuse", 1.0), Term("cum", "porn", 1.0),
            Term("fuck", "abuse", 1.0, prefix=True), Term("idiot", "abuse", 0.5), Term("you", "target", 1.0),
            Term("porn", "porn", 1.0), Term("videos", "media", 0.5), Term("加微信", "contact", 1.0),
        ],
        allow=["操作", "单台独立", "cum laude"],
    )
    return Lexicon(data, **kwargs)


def found(lexicon: Lexicon, text: str) -> dict:
    return lexicon.hits([text])[0].terms()


@pytest.mark.parametrize("text", ["他被操作员叫去了", "本机支持单台独立运行"])
def test_a_term_inside_an_allowed_word_does_not_count(text):
    assert found(small_lexicon(), text) == {}


def test_the_term_itself_counts():
    assert found(small_lexicon(), "支持台独") == {"politics": {"台独": 1}}


@pytest.mark.parametrize("text", ["An assassin", "a classic cocktail", "Sussex", "Scunthorpe", "cum_weights", "magna cum laude"])
def test_latin_terms_need_word_boundaries(text):
    assert found(small_lexicon(), text) == {}


def test_latin_terms_count_on_word_boundaries_and_prefix_terms_match_longer_words():
    assert found(small_lexicon(), "Fucking ass, 你好cock!") == {"abuse": {"fuck": 1, "ass": 1}, "porn": {"cock": 1}}


def test_a_longer_term_hides_the_shorter_term_inside_it():
    assert found(small_lexicon(), "操你妈") == {"abuse": {"操你妈": 1}}


def test_traditional_spellings_and_separators_between_han_characters_match():
    assert found(small_lexicon(), "幹你娘，操 * 你 * 媽") == {"abuse": {"干你娘": 1, "操你妈": 1}}


def test_full_width_letters_fold_to_ascii():
    assert found(small_lexicon(), "ＦＵＣＫ") == {"abuse": {"fuck": 1}}


def test_one_strong_term_in_a_short_text_scores_one_half():
    assert small_lexicon().scores(["支持台独"])["politics"][0] == pytest.approx(0.5)


def test_repeats_add_log_evidence_and_distinct_terms_add_their_weights():
    scores = small_lexicon().scores(["台独 台独 台独", "sex cock"])
    assert scores["politics"][0] == pytest.approx(1 - 0.5 ** (1 + math.log(3)), abs=1e-6)
    assert scores["porn"][1] == pytest.approx(0.75)


def test_abuse_addressed_to_someone_weighs_more():
    scores = small_lexicon().scores(["what an idiot", "you idiot"])["abuse"]
    assert scores[0] == pytest.approx(1 - 0.5 ** 0.5, abs=1e-6)
    assert scores[1] == pytest.approx(1 - 0.5 ** 0.75, abs=1e-6)


def test_one_hit_in_a_long_text_is_diluted_by_its_density():
    text = "支持台独" + "。" * 1196  # 1,200 characters, reference 300: evidence 1 * sqrt(300/1200)
    assert small_lexicon(reference_chars=300).scores([text])["politics"][0] == pytest.approx(1 - 0.5 ** 0.5, abs=1e-6)


def test_distribution_words_count_only_next_to_sexual_terms():
    scores = small_lexicon().scores(["free videos", "porn videos"])["porn"]
    assert scores[0] == 0.0
    assert scores[1] == pytest.approx(1 - 0.5 ** 1.5, abs=1e-6)


def test_spam_needs_contact_details_together_with_sexual_terms():
    scores = small_lexicon().scores(["加微信", "porn", "porn 加微信"])["spam"]
    assert scores.tolist()[:2] == [0.0, 0.0]
    assert scores[2] == pytest.approx(0.75)


@pytest.fixture(scope="module")
def shipped_zh() -> LexiconScorer:
    scorer = LexiconScorer("lexicon-zh", "zh", ("zh",))
    scorer.load()
    return scorer


@pytest.fixture(scope="module")
def shipped_en() -> LexiconScorer:
    scorer = LexiconScorer("lexicon-en", "en", ("en",))
    scorer.load()
    return scorer


@pytest.mark.parametrize("text", [
    "请按照操作手册完成单台独立设备的安装。", "日本汽车的性能稳定。", "党支部召开组织生活会，全体党员参加。",
    "政府信息公开管理办法已经发布。", "外交部发言人表示，中方坚决反对“台独”分裂活动。", "电视台独家报道了这次展会。",
    "今日你们辛苦了。", "阴道炎是常见的妇科疾病，应及时就医。",
])
def test_shipped_chinese_lexicon_keeps_ordinary_and_administrative_text(shipped_zh, text):
    assert max(float(v[0]) for v in shipped_zh.score([text]).values()) < 0.45


@pytest.mark.parametrize("text,category", [("你个傻逼", "abuse"), ("法轮大法好", "politics"), ("高清无码av女优合集", "porn")])
def test_shipped_chinese_lexicon_flags_each_category(shipped_zh, text, category):
    assert shipped_zh.score([text])[category][0] >= 0.5


@pytest.mark.parametrize("text", [
    "The assassin sipped a classic cocktail in Sussex.", "Scunthorpe United won on Saturday.", "She graduated magna cum laude.",
    "Condoms reduce the risk of sexually transmitted infections.",
])
def test_shipped_english_lexicon_keeps_scunthorpe_words_and_medical_text(shipped_en, text):
    assert max(float(v[0]) for v in shipped_en.score([text]).values()) == 0.0


def test_a_weak_political_term_alone_stays_under_every_threshold(shipped_en):
    assert shipped_en.score(["Tourists visited Tiananmen."])["politics"][0] == pytest.approx(1 - 0.5 ** 0.25)


def test_official_opposition_to_independence_is_allowed(shipped_en):
    assert shipped_en.score(["The foreign ministry opposes Taiwan independence."])["politics"][0] == 0.0


def test_shipped_lexicon_explains_its_hits(shipped_en):
    scores, evidence = shipped_en.score_with_evidence(["Overthrow the CCP now", "hello"])
    assert evidence == [{"politics": {"overthrow the ccp": 1}}, {}]
    assert scores["politics"][0] == pytest.approx(0.5)


def homophone_lexicon() -> Lexicon:
    return Lexicon(LexiconData(
        terms=[Term("操你妈", "abuse", 1.0, homophones=True), Term("傻逼", "abuse", 1.0, homophones=True)],
        allow=["沙比"], homophones={"操": "草艹", "你": "泥", "妈": "马", "傻": "沙", "逼": "比b"},
    ))


@pytest.mark.parametrize("text", ["草泥马", "艹你马", "傻b"])
def test_homophone_spellings_of_a_marked_term_count_as_the_term(text):
    assert set(homophone_lexicon().hits([text])[0].terms()["abuse"]) <= {"操你妈", "傻逼"}
    assert sum(homophone_lexicon().hits([text])[0].terms()["abuse"].values()) == 1


def test_a_homophone_spelling_that_is_an_allowed_word_stays_clean():
    assert homophone_lexicon().hits(["沙比"])[0].terms() == {}


def test_a_homophone_spelling_ending_in_a_letter_needs_a_word_boundary():
    assert homophone_lexicon().hits(["傻big"])[0].terms() == {}


@pytest.mark.parametrize("text", ["操🔥你", "操丶你", "操#你"])
def test_emoji_and_symbols_between_han_characters_are_dropped(text):
    assert found(small_lexicon(), text) == {"abuse": {"操你": 1}}


def pair_lexicon() -> Lexicon:
    return Lexicon(LexiconData(terms=[
        Term("中共", "actor", 1.0), Term("共产党", "actor", 1.0), Term("下台", "hostile", 1.0), Term("推翻", "overthrow", 1.0),
        Term("西藏", "region", 1.0), Term("建国", "secession", 0.75),
    ]))


def test_a_party_and_a_hostile_word_near_each_other_are_politics():
    assert pair_lexicon().hits(["中共政权必须下台"])[0].terms()["politics"] == {"中共…下台": 1}
    assert pair_lexicon().scores(["中共政权必须下台"])["politics"][0] == pytest.approx(0.5)


def test_a_call_to_overthrow_needs_the_party_after_the_verb():
    assert "politics" not in pair_lexicon().hits(["共产党领导人民推翻了三座大山"])[0].terms()
    assert pair_lexicon().hits(["推翻中共"])[0].terms()["politics"] == {"推翻…中共": 1}


def test_pair_words_far_apart_are_not_a_pair():
    text = "西藏的牧民今年收成很好，村里的孩子们都上了学，去年还新建国道"
    assert "politics" not in pair_lexicon().hits([text])[0].terms()


def test_a_pair_weighs_as_its_weaker_word():
    assert pair_lexicon().scores(["藏人在西藏建国"])["politics"][0] == pytest.approx(1 - 0.5 ** 0.75)


DISGUISES = {"i": "1!", "s": "$5", "a": "@4", "o": "0", "u": "v", "any": "*#"}


def disguise_lexicon() -> Lexicon:
    return Lexicon(LexiconData(
        terms=[Term("shit", "abuse", 1.0, homophones=True), Term("fuck", "abuse", 1.0, prefix=True, homophones=True),
               Term("cum", "porn", 1.0, homophones=True), Term("ass", "abuse", 0.35, homophones=True)],
        disguises=DISGUISES,
    ))


@pytest.mark.parametrize("text", ["sh1t", "$hit", "sh!t", "shiiiit", "sh*t", "s#*t", "s h i t", "s.h.i.t", "S-H-I-T"])
def test_disguised_spellings_of_a_marked_term_count_as_the_term(text):
    assert disguise_lexicon().hits([f"oh {text} again"])[0].terms() == {"abuse": {"shit": 1}}


def test_a_disguised_prefix_term_keeps_the_rest_of_its_word():
    assert disguise_lexicon().undisguise("you f*cking f.u.c.k") == "you fucking fuck"


@pytest.mark.parametrize("text", ["it's hit the shelves", "a shiitake risotto", "c*m", "c u m", "a s s", "a55 and 455", "$$$"])
def test_partly_spaced_words_digit_codes_and_masked_short_words_are_not_disguises(text):
    assert disguise_lexicon().hits([text])[0].terms() == {}


def test_short_words_take_letters_and_repeats_but_no_masks():
    assert disguise_lexicon().undisguise("cuuum a$$ c*m") == "cum ass c*m"


def test_without_a_disguise_table_texts_are_left_as_they_are():
    assert small_lexicon().undisguise("sh1t f*ck") == "sh1t f*ck"


def test_read_disguises_takes_letters_and_the_masks(tmp_path):
    path = tmp_path / "xx_disguises.tsv"
    path.write_text("# comment\na\t@ 4\nany\t* #\n", encoding="utf-8")
    assert read_disguises(str(path)) == {"a": "@4", "any": "*#"}
    path.write_text("ab\t@\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected letter"):
        read_disguises(str(path))


def compound_lexicon() -> Lexicon:
    return Lexicon(LexiconData(terms=[
        Term("shit", "stem", 1.0), Term("butt", "stem", 0.5), Term("stain", "tail", 1.0), Term("head", "tail", 1.0),
        Term("shithead", "abuse", 0.75),
    ]))


@pytest.mark.parametrize("text,term", [("shitstain", "shitstain"), ("shit-stain", "shit-stain"), ("shitstains", "shitstains"),
                                       ("butthead", "butthead")])
def test_a_stem_glued_to_a_tail_is_an_abuse_compound(text, term):
    assert compound_lexicon().hits([f"what a {text}"])[0].terms() == {"abuse": {term: 1}}


def test_a_compound_weighs_as_its_weaker_word_unless_it_is_listed():
    scores = compound_lexicon().scores(["butthead", "shitstain", "shithead"])["abuse"]
    assert scores.tolist() == pytest.approx([1 - 0.5 ** 0.5, 0.5, 1 - 0.5 ** 0.75])


@pytest.mark.parametrize("text", ["a coffee stain", "head of state", "shit happens"])
def test_stems_and_tails_alone_are_not_terms(text):
    assert "abuse" not in compound_lexicon().hits([text])[0].terms()


def english_pair_lexicon() -> Lexicon:
    return Lexicon(LexiconData(terms=[Term("ccp", "actor", 1.0), Term("overthrow", "overthrow", 1.0)], pair_window=24))


def test_an_english_pair_may_be_24_characters_apart():
    near = "overthrow " + "x" * 22 + " ccp"  # 24 characters between the words
    far = "overthrow " + "x" * 23 + " ccp"
    assert english_pair_lexicon().hits([near])[0].terms()["politics"] == {"overthrow…ccp": 1}
    assert "politics" not in english_pair_lexicon().hits([far])[0].terms()


def test_load_lexicon_gives_english_its_wider_pair_window():
    assert load_lexicon(LEXICON_DIR, "en").pair_window == 24
    assert load_lexicon(LEXICON_DIR, "zh").pair_window == 12


@pytest.mark.parametrize("text,terms", [
    ("Tibet must become an independent country.", {"tibet…independent country": 1}),
    ("Xi is a brutal dictator.", {"xi…brutal": 1, "xi…dictator": 1, "dictator": 1}),
    ("Rise up against the Beijing regime!", {"rise up against…beijing regime": 1}),
])
def test_shipped_english_politics_pairs(shipped_en, text, terms):
    assert shipped_en.score_with_evidence([text])[1][0]["politics"] == terms


@pytest.mark.parametrize("text", [
    "The People's Liberation Army held an exercise near Taiwan.", "Hong Kong has many independent bookstores.",
    "Beijing warned against moves toward Taiwan independence.", "Chinese President Xi Jinping met the French president.",
])
def test_shipped_english_news_with_pair_words_stays_clean(shipped_en, text):
    assert shipped_en.score([text])["politics"][0] == 0.0


@pytest.mark.parametrize("text,category", [
    ("You f*cking idiot", "abuse"), ("what a sh1thead", "abuse"), ("Shut up, you b!tch", "abuse"), ("u r a douche-nozzle", "abuse"),
    ("p0rn videos here", "porn"),
])
def test_shipped_english_lexicon_sees_through_disguises_and_compounds(shipped_en, text, category):
    assert shipped_en.score([text])[category][0] >= 0.5


def test_fold_leaves_ascii_texts_to_the_short_path_with_the_same_result():
    from moderation.lexicon import fold

    folded = fold(pa.array(["Plain  TEXT\there", "ＦＵＣＫ  操 * 你", None, "x\u200by"]))
    assert folded.to_pylist() == ["plain text here", "fuck 操你", "", "xy"]


def test_english_terms_match_their_plural_and_chinese_pinyin_terms_do_not():
    terms = [Term("milf", "porn", 1.0), Term("fetish", "porn", 0.25), Term("sb", "abuse", 1.0)]
    english = Lexicon(LexiconData(terms=terms, plurals=True))
    assert english.hits(["hot milfs and fetishes"])[0].terms() == {"porn": {"milf": 1, "fetish": 1}}
    assert Lexicon(LexiconData(terms=terms)).hits(["milfs sbs"])[0].terms() == {}
    assert load_lexicon(LEXICON_DIR, "en").plurals and not load_lexicon(LEXICON_DIR, "zh").plurals


# --- fifth round (issue 11): innocent senses, mentions, addressed insults, strong terms, solicitation, folding ---

def sense_lexicon() -> Lexicon:
    return Lexicon(LexiconData(terms=[Term("bitch", "abuse", 1.0)], senses={"bitch": ["breeding", "puppies"]},
                               sense_window=30))


@pytest.mark.parametrize("text", ["In dog breeding a female is a bitch.", "The bitch had six puppies."])
def test_a_context_word_of_an_innocent_sense_drops_the_term(text):
    assert found(sense_lexicon(), text) == {}


@pytest.mark.parametrize("text", ["Shut up, bitch.", "The bitch next door screams all night long and nobody sleeps; puppies"])
def test_without_a_context_word_within_the_sense_window_the_term_counts(text):
    assert found(sense_lexicon(), text) == {"abuse": {"bitch": 1}}


def test_read_senses_takes_comma_separated_context_words(tmp_path):
    from moderation.lexicon import read_senses

    path = tmp_path / "xx_senses.tsv"
    path.write_text("# comment\nbitch\tdog, puppies ,kennel\n法轮功\t取缔\n", encoding="utf-8")
    assert read_senses(str(path)) == {"bitch": ["dog", "puppies", "kennel"], "法轮功": ["取缔"]}
    path.write_text("bitch\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected term"):
        read_senses(str(path))


def mention_lexicon() -> Lexicon:
    return Lexicon(LexiconData(terms=[Term("傻逼", "abuse", 1.0), Term("粗口", "mention", 1.0), Term("retard", "abuse", 1.0)]))


@pytest.mark.parametrize("text", ["傻逼是一句粗口", "“傻逼”这两个字", "The 'retard' entry"])
def test_a_term_near_a_mention_word_or_in_quotes_weighs_the_mention_factor(text):
    assert mention_lexicon().scores([text])["abuse"][0] == pytest.approx(1 - 0.5 ** 0.15, abs=1e-6)


def test_a_term_used_and_not_mentioned_keeps_its_weight():
    assert mention_lexicon().scores(["你个傻逼"])["abuse"][0] == pytest.approx(0.5)


def address_lexicon() -> Lexicon:
    return Lexicon(LexiconData(terms=[
        Term("you", "address", 1.0), Term("what a", "address", 0.5), Term("little", "filler", 1.0), Term("dirty", "filler", 1.0),
        Term("rat", "insult", 0.75), Term("fuck", "abuse", 1.0, prefix=True), Term("fucking", "filler", 1.0),
        Term("你", "address", 1.0), Term("这头", "filler", 1.0), Term("猪", "insult", 0.75),
    ], allow=["猪肉"], pair_window=24))


@pytest.mark.parametrize("text,label", [("you rat", "you…rat"), ("you dirty little rat", "you…rat"), ("what a rat", "what a…rat"),
                                        ("你这头猪", "你…猪")])
def test_an_insult_noun_after_an_address_with_only_fillers_between_is_abuse(text, label):
    assert found(address_lexicon(), text) == {"abuse": {label: 1}}


@pytest.mark.parametrize("text", ["did you see the rat", "the rat saw you", "你买的猪肉", "rat"])
def test_an_insult_noun_without_an_address_right_before_it_is_nothing(text):
    assert "abuse" not in found(address_lexicon(), text)


def test_an_insult_counts_once_with_its_best_address():
    lexicon = Lexicon(LexiconData(terms=[Term("你", "address", 1.0), Term("这头", "address", 0.5), Term("这头", "filler", 1.0),
                                         Term("猪", "insult", 0.75)]))
    assert found(lexicon, "你这头猪") == {"abuse": {"你…猪": 1}}  # not also 这头…猪
    assert lexicon.scores(["你这头猪"])["abuse"][0] == pytest.approx(1 - 0.5 ** 0.75, abs=1e-6)
    # two insults count twice, each with its own address
    assert address_lexicon().scores(["what a rat you dirty rat"])["abuse"][0] == pytest.approx(1 - 0.5 ** 1.25, abs=1e-6)


def test_a_filler_word_does_not_hide_a_scoring_term_inside_it():
    assert found(address_lexicon(), "fucking hell") == {"abuse": {"fuck": 1}}


def test_strong_terms_count_twice_where_the_language_says_so():
    terms = [Term("fatso", "abuse", 1.0), Term("stupid", "abuse", 0.5)]
    plain, strong = Lexicon(LexiconData(terms=terms)), Lexicon(LexiconData(terms=terms, strong={"abuse": (0.75, 2.0)}))
    assert plain.scores(["hey fatso"])["abuse"][0] == pytest.approx(0.5)
    assert strong.scores(["hey fatso", "how stupid"])["abuse"].tolist() == pytest.approx([0.75, 1 - 0.5 ** 0.5])
    assert load_lexicon(LEXICON_DIR, "en").strong == {"abuse": (0.75, 2.0)} and load_lexicon(LEXICON_DIR, "zh").strong == {}


def test_solicitation_adds_half_its_weight_to_porn():
    lexicon = Lexicon(LexiconData(terms=[Term("escort service", "solicit", 1.0)]))
    assert lexicon.scores(["escort service downtown"])["porn"][0] == pytest.approx(1 - 0.5 ** 0.5, abs=1e-6)


def test_emoji_between_a_han_character_and_a_letter_are_dropped():
    from moderation.lexicon import fold

    assert fold(pa.array(["约❤️p吗", "加🔥v信", "a 约", "约 p"])).to_pylist() == ["约p吗", "加v信", "a 约", "约 p"]


@pytest.mark.parametrize("text", ["山东突然降温，市民添衣。", "西藏独特的高原风光吸引了游客", "二百五十克面粉配三个鸡蛋", "SB-2000型传感器已经停产",
                                  "最低能耗模式", "你是属猪的吗", "《道德经》里老子说上善若水", "法轮功已被依法取缔"])
def test_shipped_chinese_lexicon_allows_and_senses_of_the_fifth_round(shipped_zh, text):
    assert max(float(v[0]) for v in shipped_zh.score([text]).values()) == 0.0


@pytest.mark.parametrize("text,category,terms", [
    ("悼念六四死难者", "politics", {"六四": 1, "悼念…六四": 1, "六四…死难者": 1}),
    ("包子又去视察了", "politics", {"包子…视察": 1}),
    ("你们都是一群猪", "abuse", {"你们…猪": 1}),
    ("约❤️p吗", "porn", {"约p": 1}),
])
def test_shipped_chinese_pairs_and_disguises_of_the_fifth_round(shipped_zh, text, category, terms):
    assert shipped_zh.score_with_evidence([text])[1][0][category] == terms


@pytest.mark.parametrize("text", ["The breeder's bitch whelped six puppies.", "Blue tits visit the feeder.",
                                  "I'm such an idiot, I forgot my keys.", "Falun Gong was banned in 1999.", "Did you see the rat?"])
def test_shipped_english_lexicon_keeps_senses_self_deprecation_and_bans_clean(shipped_en, text):
    assert max(float(v[0]) for v in shipped_en.score([text]).values()) == 0.0


@pytest.mark.parametrize("text,category,score", [
    ("Crap, I missed the bus.", "abuse", 1 - 0.5 ** 0.1),  # a mild expletive aimed at no one stays under the models' reach
    ("The word 'retard' is a slur.", "abuse", 1 - 0.5 ** (0.75 * 0.15)),  # a mention, not doubled
    ("Hey fatso", "abuse", 0.75),  # a strong English insult counts twice: it rejects alone
    ("ni shi sha bi", "abuse", 0.75),  # pinyin: an all-Latin text is judged as English
    ("Light a candle for June 4th.", "politics", 0.5),  # remembrance near 1989
])
def test_shipped_english_scores_of_the_fifth_round(shipped_en, text, category, score):
    assert shipped_en.score([text])[category][0] == pytest.approx(score, abs=1e-6)


def test_animal_emoji_read_as_the_character_they_picture():
    from moderation.lexicon import fold

    assert fold(pa.array(["你就是个🐶东西", "草泥🐴", "我家🐷", "no emoji"])).to_pylist() == ["你就是个狗东西", "草泥马", "我家猪", "no emoji"]


def test_sexual_terms_aimed_at_the_reader_weigh_more():
    scores = small_lexicon().scores(["a cock", "you cock"])["porn"]
    assert scores.tolist() == pytest.approx([0.5, 1 - 0.5 ** 1.5])


def test_a_request_to_write_near_a_porn_term_adds_the_request_weight():
    terms = [Term("sex scene", "porn", 0.5), Term("write me", "request", 0.2)]
    lexicon = Lexicon(LexiconData(terms=terms, pair_window=24))
    assert lexicon.scores(["write me a sex scene", "a sex scene", "write me a poem"])["porn"].tolist() == pytest.approx(
        [1 - 0.5 ** 0.7, 1 - 0.5 ** 0.5, 0.0])
    assert found(lexicon, "write me a sex scene") == {"porn": {"sex scene": 1, "write me…sex scene": 1}}


def test_a_listed_plural_shares_the_innocent_senses_of_its_singular():
    data = LexiconData(terms=[Term("faggot", "hate", 1.0), Term("faggots", "hate", 1.0)], plurals=True,
                       senses={"faggot": ["meatballs"]}, sense_window=60)
    assert found(Lexicon(data), "faggots are meatballs in gravy") == {}
    assert found(Lexicon(data), "you faggots") == {"hate": {"faggots": 1}}


def test_a_hyphen_may_mask_an_inner_letter():
    data = LexiconData(terms=[Term("fuck", "abuse", 1.0, homophones=True)], disguises={"u": "v", "any": "*-"})
    assert found(Lexicon(data), "a dumb f-ck") == {"abuse": {"fuck": 1}}
    assert found(Lexicon(data), "well-known co-author") == {}


@pytest.mark.parametrize("text", ["他妈的终于下班了", "太牛逼了这个进球", "钵钵鸡巴适得很", "排队的时候被人插队了", "c比c++快",
                                  "我国政府坚决打击东突厥斯坦分裂势力", "腊肉要挂在通风处", "我爷爷是伞兵"])
def test_shipped_chinese_lexicon_keeps_expletives_praise_dialect_and_official_stances_of_the_sixth_round(shipped_zh, text):
    assert max(float(v[0]) for v in shipped_zh.score([text]).values()) < 0.45


@pytest.mark.parametrize("text,category,terms", [
    ("你就是个🐶东西", "abuse", {"狗东西": 1}),
    ("楼主是伞兵吧", "abuse", {"楼主是…伞兵": 1}),
    ("请写一段性爱场景", "porn", {"性爱场景": 1, "写一段…性爱场景": 1}),
    ("六 四 三 十 五 周 年，今晚烛光悼念", "politics", {"六四三十五周年…烛光": 1, "六四三十五周年…悼念": 1}),
    ("毛腊肉这个杀人魔头", "politics", {"毛腊肉": 1, "毛腊肉…杀人魔头": 1}),
])
def test_shipped_chinese_classes_of_the_sixth_round(shipped_zh, text, category, terms):
    assert shipped_zh.score_with_evidence([text])[1][0][category] == terms


@pytest.mark.parametrize("text,category,score", [
    ("Fuck, I left my keys at home.", "abuse", 1 - 0.5 ** 0.1),  # an interjection aimed at no one weighs as crap
    ("My ass hurts after the long ride.", "abuse", 1 - 0.5 ** 0.05),  # the speaker's own body
    ("Content moderation tools detect porn and spam.", "porn", 0.0),  # porn as a topic of moderation
    ("You absolute melt", "abuse", 1 - 0.5 ** (0.75 * 1.5)),  # a British insult noun after an address, aimed at someone
    ("Ur cock looks good", "porn", 1 - 0.5 ** (0.75 * 1.5)),  # a sexual term aimed at the reader
    ("gongchandang xiatai", "politics", 0.5),  # pinyin of the party and of a call to step down
])
def test_shipped_english_scores_of_the_sixth_round(shipped_en, text, category, score):
    assert shipped_en.score([text])[category][0] == pytest.approx(score, abs=1e-6)
