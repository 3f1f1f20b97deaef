"""The ensemble policy (pure): any, majority, weighted; per-category thresholds; language routing;
the field that tripped; scorer errors."""

import json

import numpy as np
import pyarrow as pa
import pytest

from moderation.config import ModerationConfig, ScorerSpec
from moderation.ensemble import ScorerOutput, decide
from moderation.inference import prepare, run_scorer
from moderation.language import script_languages, text_languages
from moderation.records import judged_texts
from moderation.scorer import Scorer

NAN = np.nan


def config(policy="any", **kwargs) -> ModerationConfig:
    scorers = [
        ScorerSpec(name="a", type="lexicon", weight=1.0),
        ScorerSpec(name="b", type="lexicon", weight=1.0),
        ScorerSpec(name="c", type="lexicon", weight=2.0),
    ]
    return ModerationConfig(scorers=scorers, policy=policy, **kwargs)


def texts_of(n: int):
    batch = pa.RecordBatch.from_pydict({"text": [f"text {i}" for i in range(n)]})
    return judged_texts(batch, "web", use_lang_column=False, min_han_share=0.3)


def outputs(**abuse) -> dict[str, ScorerOutput]:
    return {name: ScorerOutput(scores={"abuse": np.array(values, dtype=np.float32)}) for name, values in abuse.items()}


def test_any_rejects_when_one_scorer_reaches_its_threshold():
    decisions = decide(config("any"), texts_of(2), outputs(a=[0.6, 0.1], b=[0.1, 0.1], c=[0.0, 0.4]))
    assert decisions.reasons == ["moderation_abuse", None]


def test_majority_needs_more_than_half_of_the_scorers_that_judged():
    decisions = decide(config("majority"), texts_of(3), outputs(a=[0.6, 0.6, 0.6], b=[0.6, 0.1, NAN], c=[0.1, 0.1, NAN]))
    assert decisions.reasons == ["moderation_abuse", None, "moderation_abuse"]


def test_weighted_compares_the_weighted_mean_with_the_threshold():
    # means: (0.9 + 0.0 + 2*0.3)/4 = 0.375; (0.9 + 0.9 + 2*0.1)/4 = 0.5
    decisions = decide(config("weighted"), texts_of(2), outputs(a=[0.9, 0.9], b=[0.0, 0.9], c=[0.3, 0.1]))
    assert decisions.reasons == [None, "moderation_abuse"]


def test_thresholds_are_per_category_and_a_scorer_may_override_them():
    cfg = config("any", thresholds={"abuse": 0.8, "porn": 0.5, "politics": 0.5, "hate": 0.5, "violence": 0.5, "spam": 0.5})
    cfg.scorers[1].thresholds = {"abuse": 0.3}
    decisions = decide(cfg, texts_of(3), outputs(a=[0.7, 0.8, 0.0], b=[NAN, NAN, 0.35], c=[0.0, 0.0, 0.0]))
    assert decisions.reasons == [None, "moderation_abuse", "moderation_abuse"]


def test_the_first_reject_category_in_config_order_names_the_reason():
    out = {"a": ScorerOutput(scores={"abuse": np.array([0.9], np.float32), "porn": np.array([0.9], np.float32)})}
    cfg = config("any", reject_categories=["porn", "abuse"])
    assert decide(cfg, texts_of(1), out).reasons == ["moderation_porn"]


def test_a_category_outside_reject_categories_is_scored_but_does_not_reject():
    out = {"a": ScorerOutput(scores={"spam": np.array([0.99], np.float32)})}
    decisions = decide(config("any", reject_categories=["abuse"]), texts_of(1), out)
    assert decisions.reasons == [None]
    assert json.loads(decisions.column[0])["scores"] == {"a": {"spam": 0.99}}


def test_rejects_carry_per_scorer_scores_and_who_tripped():
    decisions = decide(config("any"), texts_of(1), outputs(a=[0.75], b=[0.25], c=[0.0]))
    detail = json.loads(decisions.details[0])
    assert detail == {
        "category": "abuse", "field": "text", "lang": "en", "policy": "any", "tripped_by": ["a"], "thresholds": {"a": 0.45},
        "scores": {"a": {"abuse": 0.75}, "b": {"abuse": 0.25}, "c": {"abuse": 0.0}},
    }


def test_a_failing_scorer_sends_the_records_it_should_have_judged_to_moderation_error():
    out = outputs(a=[0.0, 0.0, 0.9], c=[0.0, 0.0, 0.0])
    out["b"] = ScorerOutput(error="RuntimeError: boom", judged=np.array([True, False, True]))
    decisions = decide(config("any"), texts_of(3), out)
    assert decisions.reasons == ["moderation_error", None, "moderation_abuse"]
    assert json.loads(decisions.details[0]) == {"errors": {"b": "RuntimeError: boom"}, "fields": ["text"]}
    assert decisions.counts() == {"moderation_error": 1, "kept": 1, "moderation_abuse": 1}


def test_the_reason_names_the_first_sft_field_that_tripped():
    batch = pa.RecordBatch.from_pydict({"instruction": ["写一首诗", "讲个笑话"], "input": ["", ""], "output": ["好的", "你个傻逼"]})
    texts = judged_texts(batch, "alpaca", use_lang_column=False, min_han_share=0.3)
    assert texts.fields == ["instruction", "instruction", "output", "output"]
    scores = np.array([0.0, 0.0, 0.0, 0.9], np.float32)
    decisions = decide(config("any"), texts, {"a": ScorerOutput(scores={"abuse": scores})})
    assert decisions.reasons == [None, "moderation_abuse"]
    assert json.loads(decisions.details[1])["field"] == "output"


def test_every_sharegpt_turn_is_judged_and_named():
    turns = pa.array([[{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}], [{"from": "human", "value": "x"}]],
                     pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())])))
    batch = pa.RecordBatch.from_arrays([turns], names=["conversations"])
    texts = judged_texts(batch, "sharegpt", use_lang_column=False, min_han_share=0.3)
    assert (texts.texts, texts.rows.tolist(), texts.fields) == (
        ["hi", "hello", "x"], [0, 0, 1], ["conversations[0]", "conversations[1]", "conversations[0]"])


def test_script_language_tells_chinese_from_latin_text():
    texts = pa.array(["中国政府发布信息", "The government", "这是一段中文，夹杂一点English", "12345", None])
    assert script_languages(texts, 0.3).tolist() == ["zh", "en", "zh", "und", "und"]


def test_script_language_counts_rare_han_and_only_ascii_letters():
    texts = ["𠀀𠀁 abc", "ÀÉÎ 你", "ＡＢＣ", "\U00033000x"]  # extension B Han; beyond U+323AF no Han; accents, full width: not a-z
    assert script_languages(texts, 0.3).tolist() == ["zh", "zh", "und", "en"]


def test_a_missing_or_empty_lang_is_decided_by_the_script():
    langs = text_languages(["hello", "你好", "12"], np.array([None, "", None], dtype=object), 0.3)
    assert langs.tolist() == ["en", "zh", "und"]


def test_the_lang_column_decides_except_between_zh_and_en_where_the_script_does():
    texts = pa.array(["Translate this sentence", "这是一句中文", "日本語の文章", "12345"])
    langs = text_languages(texts, np.array(["zh", "zh", "ja", "en"], dtype=object), 0.3)
    assert langs.tolist() == ["en", "zh", "ja", "en"]


class EnglishOnly(Scorer):
    name, languages, categories = "en-only", ("en",), ("abuse",)
    seen: list[str] = []

    def load(self):
        pass

    def score(self, texts):
        self.seen.extend(texts)
        return {"abuse": np.ones(len(texts), np.float32)}


def test_a_scorer_judges_only_texts_in_its_languages():
    cfg = ModerationConfig(scorers=[ScorerSpec(name="en-only", type="lexicon", languages=["en"])], policy="any")
    batch = pa.RecordBatch.from_pydict({"text": ["你好世界", "hello world"], "lang": ["zh", "en"]})
    work = prepare(batch, "web", cfg)
    scorer = EnglishOnly()
    output = run_scorer(scorer, cfg.scorers[0], work.texts)
    assert scorer.seen == ["hello world"]
    assert np.isnan(output.scores["abuse"][0]) and output.scores["abuse"][1] == 1.0
    assert decide(cfg, work.texts, {"en-only": output}).reasons == [None, "moderation_abuse"]


def test_long_texts_are_scored_in_windows_and_keep_the_maximum():
    class LastWordCounts(EnglishOnly):
        def score(self, texts):
            return {"abuse": np.array([1.0 if "bad" in t else 0.0 for t in texts], np.float32)}

    cfg = ModerationConfig(scorers=[ScorerSpec(name="w", type="lexicon", languages=["en"], max_chars=10)], policy="any")
    work = prepare(pa.RecordBatch.from_pydict({"text": ["fine words " * 5 + "bad"]}), "web", cfg)
    output = run_scorer(LastWordCounts(), cfg.scorers[0], work.texts)
    assert output.scores["abuse"].tolist() == [1.0]


def test_config_rejects_unknown_categories_and_duplicate_names():
    with pytest.raises(ValueError):
        ModerationConfig(thresholds={"nonsense": 0.5})
    with pytest.raises(ValueError):
        ModerationConfig(scorers=[ScorerSpec(name="x", type="lexicon"), ScorerSpec(name="x", type="lexicon")])


def english_abuse(lexicon: list[float], models: float) -> list[str | None]:
    """Verdicts of the default ensemble's English abuse mean for lexicon scores, both English models at `models`."""
    cfg = ModerationConfig()
    english = cfg.model_copy(update={"scorers": [s for s in cfg.scorers if s.name in ("lexicon-en", "profanity-check", "hatesonar")]})
    n = len(lexicon)
    return decide(english, texts_of(n), {
        "lexicon-en": ScorerOutput(scores={"abuse": np.array(lexicon, dtype=np.float32)}),
        "profanity-check": ScorerOutput(scores={"abuse": np.full(n, models, dtype=np.float32)}),
        "hatesonar": ScorerOutput(scores={"abuse": np.full(n, models, dtype=np.float32)}),
    }).reasons


def test_the_english_models_weigh_point_six_together_with_hatesonar_at_a_token_weight():
    weights = {s.name: s.weight for s in ModerationConfig().scorers}
    assert (weights["profanity-check"], weights["hatesonar"], weights["lexicon-en"]) == (0.55, 0.05, 1.0)


def test_the_english_models_confirm_a_weak_term_but_not_a_mild_expletive():
    mild, weak = 1 - 0.5 ** 0.1, 1 - 0.5 ** 0.2  # crap, damn (0.1); stupid (0.2)
    # (0.067 + 0.6) / 1.6 = 0.417 < 0.45: however sure the models are, "Crap, I missed the bus" stays
    assert english_abuse([mild, weak], models=1.0) == [None, "moderation_abuse"]
    assert english_abuse([weak], models=0.6) == [None]


def test_a_strong_english_term_rejects_without_the_models():
    # one strong insult counts twice in the English lexicon (0.75): (0.75 + 0) / 1.6 = 0.469
    assert english_abuse([0.75, 0.5], models=0.0) == ["moderation_abuse", None]


def gated_config() -> ModerationConfig:
    return ModerationConfig(policy="weighted", scorers=[ScorerSpec(name="a", type="lexicon", weight=1.0),
                                                        ScorerSpec(name="m", type="fasttext", weight=1.0, gate={"a": 0.1})])


def test_a_gated_scorer_counts_only_where_its_gate_scorer_reached_the_gate():
    # m alone at 1 would lift a = 0.05 to a mean of 0.525; behind a's gate it counts only from a = 0.1
    decisions = decide(gated_config(), texts_of(3), outputs(a=[0.05, 0.1, 0.0], m=[1.0, 1.0, 1.0]))
    assert decisions.reasons == [None, "moderation_abuse", None]


def test_the_cascade_runs_a_gated_scorer_only_where_its_gate_is_open():
    from moderation.ensemble import undecided

    cfg = gated_config()
    specs = {s.name: s for s in cfg.scorers}
    pending = {"m": (np.ones(3, dtype=bool), ("abuse",))}
    assert undecided(cfg, specs, outputs(a=[0.05, 0.1, 0.0]), pending, 3).tolist() == [False, True, False]
    assert undecided(cfg, specs, {}, {"a": pending["m"], **pending}, 3).tolist() == [True, True, True]  # a not run yet


def test_a_gate_must_name_another_scorer_of_the_ensemble():
    with pytest.raises(ValueError, match="gated by"):
        ModerationConfig(scorers=[ScorerSpec(name="m", type="fasttext", gate={"x": 0.1})])
    with pytest.raises(ValueError, match="gated by"):
        ModerationConfig(scorers=[ScorerSpec(name="m", type="fasttext", gate={"m": 0.1})])


def two_categories(**scores) -> dict[str, ScorerOutput]:
    """{scorer: ([abuse per text], [porn per text])} as outputs with two categories."""
    return {name: ScorerOutput(scores={"abuse": np.array(a, dtype=np.float32), "porn": np.array(p, dtype=np.float32)})
            for name, (a, p) in scores.items()}


def model_config(**model) -> ModerationConfig:
    return ModerationConfig(policy="weighted", scorers=[ScorerSpec(name="a", type="lexicon", weight=1.0),
                                                        ScorerSpec(name="m", type="fasttext", weight=0.8, **model)])


def test_abstention_may_differ_per_category_and_the_column_records_only_scores_that_count():
    # abuse counts from 0.9, porn from 0.5: (0.4 + 0.8 * 0.7) / 1.8 = 0.53 would reject for abuse, but 0.7 abstains
    cfg = model_config(abstain_below={"abuse": 0.9, "porn": 0.5})
    decisions = decide(cfg, texts_of(2), two_categories(a=([0.4, 0.0], [0.0, 0.4]), m=([0.7, 0.0], [0.0, 0.7])))
    assert decisions.reasons == [None, "moderation_porn"]
    assert json.loads(decisions.column[0])["scores"] == {"a": {"abuse": 0.4, "porn": 0.0}}
    assert json.loads(decisions.details[1])["scores"] == {"a": {"abuse": 0.0, "porn": 0.4}, "m": {"porn": 0.7}}


def test_a_gate_may_apply_to_some_categories_only():
    cfg = model_config(gate={"a": 0.1}, gate_categories=["abuse"])
    # m at 1 lifts a = 0.05 over 0.45 (abuse) and 0.5 (porn): (0.05 + 0.8) / 1.8 = 0.47; the gate holds only abuse back
    decisions = decide(cfg, texts_of(2), two_categories(a=([0.05, 0.0], [0.0, 0.1]), m=([1.0, 0.0], [0.0, 1.0])))
    assert decisions.reasons == [None, "moderation_porn"]
    with pytest.raises(ValueError, match="unknown category"):
        ScorerSpec(name="m", type="fasttext", gate={"a": 0.1}, gate_categories=["nonsense"])


def test_a_decisive_score_rejects_alone_whatever_the_mean_and_the_gate():
    cfg = model_config(gate={"a": 0.1}, decisive={"abuse": 0.98})
    decisions = decide(cfg, texts_of(3), two_categories(a=([0.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
                                                        m=([0.99, 0.97, 0.0], [0.0, 0.0, 0.99])))
    assert decisions.reasons == ["moderation_abuse", None, None]  # porn has no decisive score
    detail = json.loads(decisions.details[0])
    assert detail["tripped_by"] == ["m"] and detail["thresholds"] == {"m": 0.45}


def test_a_veto_keeps_what_the_mean_flags_when_the_model_is_sure_of_clean():
    cfg = model_config(veto_below=0.02, abstain_below=0.5)
    # a alone: 0.6 >= 0.45 (m's low scores abstain); m judged every text: sure of clean on text 0 (all < 0.02), not on text 1 (porn 0.03)
    outputs_ = two_categories(a=([0.6, 0.6, 0.6], [0.0, 0.0, 0.0]), m=([0.01, 0.01, NAN], [0.01, 0.03, NAN]))
    assert decide(cfg, texts_of(3), outputs_).reasons == [None, "moderation_abuse", "moderation_abuse"]
    # a decisive score of another scorer still rejects a vetoed text
    cfg = ModerationConfig(policy="weighted", scorers=[*cfg.scorers, ScorerSpec(name="d", type="fasttext", decisive={"abuse": 0.9},
                                                                     abstain_below=0.5)])
    outputs_["d"] = ScorerOutput(scores={"abuse": np.array([0.95, 0.0, 0.0], dtype=np.float32)})
    assert decide(cfg, texts_of(3), outputs_).reasons == ["moderation_abuse", "moderation_abuse", "moderation_abuse"]


def test_the_cascade_sends_a_decisive_scorer_every_text_it_covers():
    from moderation.ensemble import undecided

    cfg = model_config(gate={"a": 0.1}, decisive={"abuse": 0.98})
    specs = {s.name: s for s in cfg.scorers}
    covered = np.array([True, True, False])
    # a found nothing anywhere, and m's gate is shut: only its decisive score could still reject, where it covers a text
    assert undecided(cfg, specs, outputs(a=[0.0, 0.0, 0.0]), {"m": (covered, ("abuse", "porn"))}, 3).tolist() == [True, True, False]
    without = model_config(gate={"a": 0.1})
    specs = {s.name: s for s in without.scorers}
    assert undecided(without, specs, outputs(a=[0.0, 0.0, 0.0]), {"m": (covered, ("abuse", "porn"))}, 3).tolist() == [False] * 3


def test_a_scorer_judges_alone_only_texts_of_solo_min_chars_or_more():
    batch = pa.RecordBatch.from_pydict({"text": ["short", "a longer text"]})
    texts = judged_texts(batch, "web", use_lang_column=False, min_han_share=0.3)
    cfg = model_config(abstain_below=0.5, decisive={"abuse": 0.98}, veto_below=0.02, solo_min_chars=6)
    # the decisive score rejects only the long text; the veto keeps only the long text
    assert decide(cfg, texts, two_categories(a=([0.0, 0.0], [0.0, 0.0]), m=([0.99, 0.99], [0.0, 0.0]))).reasons == [
        None, "moderation_abuse"]
    assert decide(cfg, texts, two_categories(a=([0.6, 0.6], [0.0, 0.0]), m=([0.01, 0.01], [0.01, 0.01]))).reasons == [
        "moderation_abuse", None]


def test_a_veto_holds_only_for_texts_up_to_veto_max_chars():
    # over a long document the classifier's average is the clean majority's: a lexicon hit there stands
    batch = pa.RecordBatch.from_pydict({"text": ["a short text", "a much longer text, one offending line in it"]})
    texts = judged_texts(batch, "web", use_lang_column=False, min_han_share=0.3)
    cfg = model_config(abstain_below=0.5, veto_below=0.02, veto_max_chars=20)
    outputs_ = two_categories(a=([0.6, 0.6], [0.0, 0.0]), m=([0.01, 0.01], [0.01, 0.01]))
    assert decide(cfg, texts, outputs_).reasons == [None, "moderation_abuse"]
