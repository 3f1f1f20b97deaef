"""winnow's own fastText classifier: the shipped model, its text form, its place in the default ensemble,
and a deterministic build (bench/moderation_train.py)."""

import hashlib
import json
import os
import re

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
    assert os.path.getsize(SHIPPED_MODEL) < 5 << 20
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


def test_the_adapter_returns_every_score_and_leaves_abstention_to_the_ensemble():
    # a veto needs the low scores: abstain_below is applied by the policy (tests/test_moderation_ensemble.py)
    spec = ScorerSpec(name="ft", type="fasttext", languages=["zh", "en"], abstain_below=0.5)
    scorer = build_scorer(spec)
    scorer.load()
    scores = scorer.score(["法轮大法好，真善忍好", "今天天气不错，我们去公园散步吧", ""])
    assert scores["politics"][0] > 0.9
    assert 0 <= scores["abuse"][0] < 0.1 and 0 <= scores["porn"][0] < 0.1
    assert all(0 <= scores[c][1] < 0.1 for c in scores)
    assert all(scores[c][2] == 0 for c in scores)  # nothing to read: no evidence of anything


def test_the_default_ensemble_holds_the_classifier():
    cfg = ModerationConfig()
    assert [s.name for s in cfg.scorers] == ["profanity-check", "hatesonar", "lexicon-zh", "lexicon-en", "fasttext-zh", "fasttext-en"]
    zh, en = cfg.scorers[4:]
    assert (zh.type, zh.path, zh.languages, zh.labels, zh.weight, zh.abstain_below) == ("fasttext", None, ["zh"], None, 0.8, 0.5)
    assert (en.type, en.path, en.languages, en.labels, en.weight, en.abstain_below) == (
        "fasttext", None, ["en"], None, 0.8, {"abuse": 0.9, "porn": 0.5, "politics": 0.5})
    assert (zh.gate, en.gate, en.gate_categories) == ({}, {"lexicon-en": 0.09}, ["abuse"])
    for spec in (zh, en):
        assert spec.decisive == {"abuse": 0.99, "porn": 0.99, "politics": 0.99}
        assert (spec.veto_below, spec.veto_up_to, spec.veto_max_chars, spec.solo_min_chars) == (0.02, 0.7, 400, 12)
    assert fasttext_scorers() == [zh, en]
    # below the abuse threshold's odds: the weighted mean cannot reject on the classifier's evidence alone
    assert zh.weight / (1 + zh.weight) < cfg.thresholds["abuse"]


def test_the_english_abuse_classifier_confirms_only_behind_the_lexicons_gate():
    from moderation.ensemble import ScorerOutput, decide
    from moderation.records import JudgedTexts

    cfg = ModerationConfig()
    english = cfg.model_copy(update={"scorers": [s for s in cfg.scorers if s.languages == ["en"]]})
    texts = JudgedTexts(texts=["a text of some length"] * 4, rows=np.arange(4), fields=["text"] * 4,
                        langs=np.array(["en"] * 4, dtype=object), num_records=4)

    def verdicts(lexicon: list[float], classifier: float) -> list[str | None]:
        # both English models at 0.5: (L + 0.8 F + 0.3) / 2.4 >= 0.45 needs L >= 0.01 at F = 0.95; the gate asks for a weak
        # term at least (L >= 0.09), so a mild expletive (0.067) or nothing stays
        return decide(english, texts, {
            "lexicon-en": ScorerOutput(scores={c: np.array(lexicon if c == "abuse" else [0.0] * 4, dtype=np.float32)
                                               for c in ("abuse", "porn", "politics")}),
            "fasttext-en": ScorerOutput(scores={"abuse": np.full(4, classifier, dtype=np.float32),
                                                "porn": np.zeros(4, dtype=np.float32), "politics": np.zeros(4, dtype=np.float32)}),
            "profanity-check": ScorerOutput(scores={"abuse": np.full(4, 0.5, dtype=np.float32)}),
            "hatesonar": ScorerOutput(scores={"abuse": np.full(4, 0.5, dtype=np.float32)}),
        }).reasons

    weak = [0.0, 1 - 0.5 ** 0.1, 1 - 0.5 ** 0.15, 0.0]
    assert verdicts(weak, 0.95) == [None, None, "moderation_abuse", None]
    # from its decisive score on, the classifier rejects alone, gate or not
    assert verdicts(weak, 0.99) == ["moderation_abuse"] * 4


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
    # the classifier judged the clean text too (it may reject alone), but scores under its abstention point are not recorded
    assert set(json.loads(decisions.column[1])["scores"]) == {"lexicon-zh"}


def test_the_build_is_deterministic(tmp_path):
    from bench.moderation_train import build
    from bench.moderation_trainset import base_items

    items = base_items()[::4]
    params = {"epoch": 5, "dim": 8, "bucket": 5000}
    for name, quantize in (("model.bin", False), ("model.ftz", True)):
        build(str(tmp_path / f"a-{name}"), items, params, quantize=quantize)
        build(str(tmp_path / f"b-{name}"), items, params, quantize=quantize)
        assert (tmp_path / f"a-{name}").read_bytes() == (tmp_path / f"b-{name}").read_bytes()


def test_the_training_data_holds_every_writer_but_no_text_of_the_blind_check():
    # the second to fourth writers' blind sets are tuning sets now and, with the seventh round's five writers, training
    # data; blind5 is the check of the seventh round
    from bench.moderation_blindset5 import load as load_blind5
    from bench.moderation_train import WRITERS, training_items, unmasked, writer_set

    trained = {it["text"] for it in training_items(devtext_counts={})}
    check = {it["text"] for it in load_blind5()}
    assert len(trained & check) == 0  # counts only: a failure must not print the check's texts
    for name in WRITERS:
        assert len({unmasked(it["text"]) for it in writer_set(name) if it["text"] not in check} - trained) == 0, name
    assert len(trained) > 8000


def test_ascii_texts_take_a_shortcut_to_the_same_form():
    import random

    from moderation.adapters.fasttext_model import _folded

    rng = random.Random(5)
    texts = ["".join(chr(rng.randrange(1, 128)) for _ in range(rng.randrange(0, 80))) for _ in range(2000)]
    texts += ["You  F*CK off, idiot. Really?\tyes\r\n", "x\x1cy\x1fz", "(a) [b] {c} <d> \"e\" f;g:h"]
    assert model_texts(texts) == _folded(texts)
    assert model_texts(["x\x1cy\x1fz", "A.B,C"]) == ["x y z", "a b c"]


def test_contact_masks_are_filled_in_before_training():
    # the writers' x-masks (138xxxx5678, abc_xxxx, t.me/xxxx) would teach the classifier that x-runs are porn
    from bench.moderation_train import training_items, unmasked

    filled = unmasked("电话138xxxx5521，加微 abc_xxxx，t.me/xxxx")
    assert re.fullmatch(r"电话138\d{4}5521，加微 abc_[a-wyz]{4}，t\.me/[a-wyz]{4}", filled)
    assert unmasked("电话138xxxx5521，加微 abc_xxxx，t.me/xxxx") == filled  # deterministic
    assert [unmasked(t) for t in ("XXX videos", "看XXX片", "the xxx word", "no mask")] == [
        "XXX videos", "看XXX片", "the xxx word", "no mask"]
    assert not any(re.search(r"[xX]{4,}", it["text"]) for it in training_items(devtext_counts={}))
