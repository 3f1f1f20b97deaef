"""winnow's own fastText classifier: the shipped model, its text form, its place in the default ensemble,
and a deterministic build (bench/moderation_train.py)."""

import hashlib
import json
import os

import numpy as np
import pyarrow as pa
import pytest

from moderation.adapters import build_scorer
from moderation.adapters.fasttext_model import SHIPPED_MODEL, model_texts
from moderation.config import ModerationConfig, ScorerSpec, fasttext_scorers
from moderation.inference import load_scorers, moderate_batch

# texts of bench/moderation_trainset.py (the model was trained on them), one per category and language
POSITIVES = [
    ("滚远点，看到你这张脸就想吐", "abuse"),
    ("同城约炮，无需注册，附近美女等你来撩", "porn"),
    ("法轮大法好，真善忍好", "politics"),
    ("You are a complete waste of oxygen", "abuse"),
    ("Free porn videos, no signup, thousands of hardcore clips", "porn"),
    ("Overthrow the CCP and end one-party rule", "politics"),
]
CLEAN = [
    "今天天气不错，我们去公园散步吧",
    "外交部发言人表示，中方坚决反对任何形式的台独分裂活动",
    "The weather is lovely today, let's go for a walk",
    "A cocktail party will follow the award ceremony",
]


@pytest.fixture(scope="module")
def shipped():
    scorer = build_scorer(ScorerSpec(name="ft", type="fasttext", languages=["zh", "en"]))
    scorer.load()
    return scorer


def test_the_shipped_model_loads_when_no_path_is_given(shipped):
    assert os.path.getsize(SHIPPED_MODEL) < 3 << 20
    assert sorted(shipped.raw_labels) == ["abuse", "clean", "politics", "porn"]
    assert shipped.categories == ("abuse", "porn", "politics")
    with open(SHIPPED_MODEL, "rb") as f:
        assert shipped.version == "sha256:" + hashlib.sha256(
            f"{os.path.basename(SHIPPED_MODEL)}:{os.path.getsize(SHIPPED_MODEL)}\n".encode() + f.read()).hexdigest()[:12]


def test_an_explicit_path_still_needs_a_labels_map():
    with pytest.raises(ValueError, match="labels map"):
        build_scorer(ScorerSpec(name="ft", type="fasttext", path="/tmp/some.bin"))


def test_positives_score_high_in_their_category_and_clean_texts_low(shipped):
    scores = shipped.score([text for text, _ in POSITIVES] + CLEAN)
    for i, (text, category) in enumerate(POSITIVES):
        assert scores[category][i] > 0.9, text
        assert all(scores[c][i] < 0.1 for c in scores if c != category), text
    for i, text in enumerate(CLEAN, start=len(POSITIVES)):
        assert max(scores[c][i] for c in scores) < 0.1, text


def test_traditional_characters_and_separators_read_as_simplified(shipped):
    plain, disguised = shipped.score(["你这个废物点心，除了吃还会干什么", "你這個廢*物點心，除了吃還會幹什麼"])["abuse"]
    assert plain > 0.9 and disguised > 0.9
    assert model_texts(["你這個廢*物"]) == model_texts(["你这个废物"]) == [" 你  这  个  废  物 "]


def test_model_texts_fold_like_the_lexicons():
    assert model_texts(["You  F*CK off, idiot. Really?", "ＡＢＣ　ｆｕｃｋ", "操🔥你媽", "a*b 中*文 * x", "zero\u200bwidth", ""]) == [
        "you  f*ck off  idiot  really ", "abc fuck", " 操  你  妈 ", "a*b  中  文  * x", "zerowidth", ""]


def test_scores_below_the_abstention_point_count_as_not_judged():
    spec = ScorerSpec(name="ft", type="fasttext", languages=["zh", "en"], abstain_below=0.5)
    scorer = build_scorer(spec)
    scorer.load()
    scores = scorer.score(["法轮大法好，真善忍好", "今天天气不错，我们去公园散步吧", ""])
    assert scores["politics"][0] > 0.9
    assert np.isnan(scores["abuse"][0]) and np.isnan(scores["porn"][0])
    assert all(np.isnan(scores[c][1]) and np.isnan(scores[c][2]) for c in scores)


def test_the_default_ensemble_holds_the_classifier():
    cfg = ModerationConfig()
    assert [s.name for s in cfg.scorers] == ["profanity-check", "hatesonar", "lexicon-zh", "lexicon-en", "fasttext-zh", "fasttext-en",
                                             "fasttext-en-abuse"]
    zh, en, en_abuse = cfg.scorers[4:]
    assert (zh.type, zh.path, zh.languages, zh.labels, zh.weight, zh.abstain_below) == ("fasttext", None, ["zh"], None, 0.8, 0.5)
    assert (en.type, en.path, en.languages, en.labels, en.weight, en.abstain_below) == (
        "fasttext", None, ["en"], {"porn": "porn", "politics": "politics"}, 0.8, 0.5)
    assert (en_abuse.type, en_abuse.path, en_abuse.languages, en_abuse.labels, en_abuse.weight, en_abuse.abstain_below) == (
        "fasttext", None, ["en"], {"abuse": "abuse"}, 0.8, 0.9)
    assert (zh.gate, en.gate, en_abuse.gate) == ({}, {}, {"lexicon-en": 0.09})
    assert fasttext_scorers() == [zh, en, en_abuse]
    # below the abuse threshold's odds: the classifier cannot reject a text without lexicon evidence
    assert zh.weight / (1 + zh.weight) < cfg.thresholds["abuse"]


def test_the_english_abuse_classifier_counts_only_behind_the_lexicons_gate():
    from moderation.ensemble import ScorerOutput, decide
    from moderation.records import JudgedTexts

    cfg = ModerationConfig()
    english = cfg.model_copy(update={"scorers": [s for s in cfg.scorers if s.languages == ["en"] and s.name != "fasttext-en"]})
    texts = JudgedTexts(texts=["a", "b", "c"], rows=np.arange(3), fields=["text"] * 3, langs=np.array(["en"] * 3, dtype=object),
                        num_records=3)

    def verdicts(lexicon: list[float]) -> list[str | None]:
        # the classifier sure of abuse, both English models at 0.5: (L + 0.8 + 0.3) / 2.4 >= 0.45 needs L >= 0; the gate
        # asks for a weak term at least (L >= 0.09), so a mild expletive (0.067) or nothing stays
        return decide(english, texts, {
            "lexicon-en": ScorerOutput(scores={"abuse": np.array(lexicon, dtype=np.float32)}),
            "fasttext-en-abuse": ScorerOutput(scores={"abuse": np.full(3, 1.0, dtype=np.float32)}),
            "profanity-check": ScorerOutput(scores={"abuse": np.full(3, 0.5, dtype=np.float32)}),
            "hatesonar": ScorerOutput(scores={"abuse": np.full(3, 0.5, dtype=np.float32)}),
        }).reasons

    assert verdicts([0.0, 1 - 0.5 ** 0.1, 1 - 0.5 ** 0.15]) == [None, None, "moderation_abuse"]


@pytest.fixture(scope="module")
def default_scorers():
    return load_scorers(ModerationConfig())


def test_the_classifier_confirms_weak_lexicon_evidence(default_scorers):
    cfg = ModerationConfig()
    without = cfg.model_copy(update={"scorers": [s for s in cfg.scorers if s.type != "fasttext"]})
    batch = pa.RecordBatch.from_pydict({"id": ["0", "1"], "text": ["垃圾玩意儿，赶紧删号吧", "今天天气不错，我们去公园散步吧"],
                                        "lang": ["zh", "zh"]})
    assert moderate_batch(batch, "web", without, scorers=default_scorers).reasons == [None, None]
    decisions = moderate_batch(batch, "web", cfg, scorers=default_scorers)
    assert decisions.reasons == ["moderation_abuse", None]
    scores = json.loads(decisions.details[0])["scores"]
    assert 0.2 < scores["lexicon-zh"]["abuse"] < 0.45 and scores["fasttext-zh"]["abuse"] > 0.9
    # the clean text has no lexicon evidence: the cascade never sent it to the classifier
    assert set(json.loads(decisions.column[1])["scores"]) == {"lexicon-zh"}


def test_the_build_is_deterministic(tmp_path):
    from bench.moderation_train import build
    from bench.moderation_trainset import base_items

    items = base_items()[::4]
    params = {"epoch": 5, "dim": 8, "bucket": 5000}
    build(str(tmp_path / "a.ftz"), items, params)
    build(str(tmp_path / "b.ftz"), items, params)
    assert (tmp_path / "a.ftz").read_bytes() == (tmp_path / "b.ftz").read_bytes()


def test_the_training_data_holds_no_text_of_the_later_blind_sets():
    # blind2 (since the fifth round), blind3 (since the sixth) and blind4 (after it) are tuning sets: their kinds of text
    # were studied, but none of their texts is trained on; blind5 is the next check
    from bench.moderation_blindset2 import load as load_blind2
    from bench.moderation_blindset3 import load as load_blind3
    from bench.moderation_blindset4 import load as load_blind4
    from bench.moderation_blindset5 import load as load_blind5
    from bench.moderation_train import training_items

    trained = {it["text"] for it in training_items(devtext_counts={})}
    for load in (load_blind2, load_blind3, load_blind4, load_blind5):
        assert not trained & {it["text"] for it in load()}
    assert len(trained) > 4000
