"""RunInference handlers and moderate_batch: records in, moderation column, reasons and details out."""

import json

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pytest
from apache_beam.ml.inference.base import RunInference
from apache_beam.testing.util import assert_that, equal_to

from moderation.config import ModerationConfig, ScorerSpec
from moderation.inference import (
    LexiconModelHandler,
    SklearnModelHandler,
    handlers,
    load_scorers,
    moderate_batch,
    moderate_work,
    prepare,
)
from tests.beam_helpers import test_pipeline


def lexicon_config() -> ModerationConfig:
    return ModerationConfig(scorers=[
        ScorerSpec(name="lexicon-zh", type="lexicon", lexicon="zh", languages=["zh"]),
        ScorerSpec(name="lexicon-en", type="lexicon", lexicon="en", languages=["en"]),
    ])


@pytest.fixture(scope="module")
def default_config() -> ModerationConfig:
    return ModerationConfig()


@pytest.fixture(scope="module")
def default_scorers(default_config):
    return load_scorers(default_config)


def web(texts, langs=None):
    columns = {"id": [str(i) for i in range(len(texts))], "text": texts}
    if langs is not None:
        columns["lang"] = langs
    return pa.RecordBatch.from_pydict(columns)


def test_default_ensemble_judges_chinese_and_english_records(default_config, default_scorers):
    batch = web(["今天天气很好，我们去公园散步吧。", "你个傻逼，滚", "The meeting is at noon.", "You are a fucking idiot."],
                ["zh", "zh", "en", "en"])
    column, reasons, details = moderate_batch(batch, "web", default_config, scorers=default_scorers)
    assert reasons == [None, "moderation_abuse", None, "moderation_abuse"]
    assert set(json.loads(column[0])["scores"]) == {"lexicon-zh"}  # English models never judge Chinese
    # no abuse term: the English models could not tip it and never ran; the classifier ran (it may reject alone) and
    # found nothing, and scores under its abstention point are not recorded
    assert set(json.loads(column[2])["scores"]) == {"lexicon-en"}
    # an English abuse term opens the English classifier's gate: a reject's detail has every score
    assert set(json.loads(details[3])["scores"]) == {"profanity-check", "hatesonar", "lexicon-en", "fasttext-en"}
    assert json.loads(details[1])["terms"] == {"lexicon-zh": {"abuse": {"傻逼": 1}, "target": {"你": 1}}}


def test_without_the_cascade_every_scorer_judges_every_text_of_its_languages(default_config, default_scorers):
    cfg = default_config.model_copy(update={"cascade": False})
    column, reasons, _ = moderate_batch(web(["The meeting is at noon."], ["en"]), "web", cfg, scorers=default_scorers)
    assert reasons == [None]
    assert set(json.loads(column[0])["scores"]) == {"profanity-check", "hatesonar", "lexicon-en"}


def test_the_cascade_runs_a_model_where_a_weak_term_leaves_the_verdict_open(default_config, default_scorers):
    # "stupid" alone is weak evidence: the English models' scores decide, so they run
    column, _, _ = moderate_batch(web(["That was a stupid idea.", "The meeting is at noon."], ["en", "en"]), "web",
                                  default_config, scorers=default_scorers)
    assert [sorted(json.loads(c)["scores"]) for c in column] == [["hatesonar", "lexicon-en", "profanity-check"], ["lexicon-en"]]


def test_the_cascade_gives_the_verdicts_of_scoring_everything(default_config, default_scorers):
    from bench.moderation_devset import load

    items = [it for split in ("dev", "heldout") for it in load(split)]
    batch = web([it["text"] for it in items], [it["lang"] for it in items])
    cascaded = moderate_batch(batch, "web", default_config, scorers=default_scorers)
    everything = moderate_batch(batch, "web", default_config.model_copy(update={"cascade": False}), scorers=default_scorers)
    assert (cascaded.reasons, cascaded.details) == (everything.reasons, everything.details)


def test_without_a_lang_column_the_script_decides(default_config, default_scorers):
    decisions = moderate_batch(web(["法轮大法好", "Falun Dafa is good"]), "web", default_config, scorers=default_scorers)
    assert decisions.reasons == ["moderation_politics", "moderation_politics"]
    assert [json.loads(d)["lang"] for d in decisions.details] == ["zh", "en"]


def test_sft_records_report_the_field_that_tripped(default_config, default_scorers):
    batch = pa.RecordBatch.from_pydict({
        "instruction": ["把这句话翻译成英文", "写一句问候"], "input": ["他是个好人", ""], "output": ["He is a motherfucker.", "你好！"],
        "lang": ["zh", "zh"],
    })
    decisions = moderate_batch(batch, "alpaca", default_config, scorers=default_scorers)
    assert decisions.reasons == ["moderation_abuse", None]
    detail = json.loads(decisions.details[0])
    assert (detail["field"], detail["lang"]) == ("output", "en")


def test_handlers_follow_the_scorer_types(default_config):
    assert [type(h).__name__ for h in handlers(default_config)] == [
        "LexiconModelHandler", "LexiconModelHandler", "FastTextModelHandler", "FastTextModelHandler",
        "SklearnModelHandler", "OnnxModelHandler"]  # cheapest first
    assert isinstance(handlers(default_config)[4], SklearnModelHandler)


def test_run_inference_adds_each_scorers_output_and_the_policy_decides():
    cfg = lexicon_config()
    batches = [web(["你个傻逼", "今天天气很好"], ["zh", "zh"]), web(["Free Tibet! Overthrow the CCP.", "Nice weather."], ["en", "en"])]

    def reasons(work):
        return moderate_work(work, cfg).reasons

    with test_pipeline() as p:
        works = p | beam.Create(batches) | beam.Map(prepare, fmt="web", cfg=cfg)
        for handler in handlers(cfg):
            works = works | f"score {handler.spec.name}" >> RunInference(handler) | f"unwrap {handler.spec.name}" >> beam.Map(
                lambda result: result.inference)
        assert_that(works | beam.Map(reasons), equal_to([["moderation_abuse", None], ["moderation_politics", None]]))


def test_a_scorer_that_fails_on_a_batch_sends_its_records_to_moderation_error():
    class Broken(LexiconModelHandler):
        def load_model(self):
            scorer = super().load_model()
            scorer.score_with_evidence = lambda texts: (_ for _ in ()).throw(RuntimeError("model exploded"))
            return scorer

    cfg = lexicon_config()
    handler = Broken(cfg.scorers[1])
    work = prepare(web(["你个傻逼", "hello", "今天天气很好"], ["zh", "en", "zh"]), "web", cfg)
    zh_result = next(iter(LexiconModelHandler(cfg.scorers[0]).run_inference([work], LexiconModelHandler(cfg.scorers[0]).load_model())))
    result = next(iter(handler.run_inference([zh_result.inference], handler.load_model())))
    decisions = moderate_work(result.inference, cfg)
    assert decisions.reasons == ["moderation_abuse", "moderation_error", None]
    assert json.loads(decisions.details[1]) == {"errors": {"lexicon-en": "RuntimeError: model exploded"}, "fields": ["text"]}
    assert decisions.counts() == {"moderation_abuse": 1, "moderation_error": 1, "kept": 1}


def test_models_load_on_the_first_batch_that_needs_them():
    from moderation.scorer import LazyScorer

    cfg = ModerationConfig()
    scorers = load_scorers(cfg)
    models = [scorers["profanity-check"], scorers["hatesonar"]]
    assert all(isinstance(m, LazyScorer) and not m.loaded for m in models)
    moderate_batch(web(["今天天气很好", "The meeting is at noon."], ["zh", "en"]), "web", cfg, scorers=scorers)
    assert [m.loaded for m in models] == [False, False]  # the cascade left them nothing to judge
    moderate_batch(web(["You are a fucking idiot."], ["en"]), "web", cfg, scorers=scorers)
    assert [m.loaded for m in models] == [True, True]


def test_a_model_is_loaded_once_per_process_whatever_the_batches():
    from moderation.scorer import LazyScorer, Scorer

    class Counting(Scorer):
        name, languages, categories, loads = "counting", ("en",), ("abuse",), 0

        def load(self):
            Counting.loads += 1

        def score(self, texts):
            return {"abuse": np.zeros(len(texts), dtype=np.float32)}

    scorer = LazyScorer(Counting())
    for _ in range(3):
        scorer.score(["a", "b"])
    assert Counting.loads == 1


def test_a_model_that_cannot_load_fails_the_job_instead_of_its_records():
    from moderation.inference import run_scorer
    from moderation.scorer import LazyScorer, Scorer

    class Missing(Scorer):
        name, languages, categories = "missing", ("en",), ("abuse",)

        def load(self):
            raise FileNotFoundError("model file /models/x.onnx does not exist")

        def score(self, texts):
            raise AssertionError("never scores")

    cfg = ModerationConfig(cascade=False)
    spec = ScorerSpec(name="missing", type="onnx", languages=["en"])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        run_scorer(LazyScorer(Missing()), spec, prepare(web(["hello"], ["en"]), "web", cfg).texts)


def test_the_library_imports_without_beams_inference_module():
    import subprocess
    import sys

    code = "import sys, moderation.inference; print('apache_beam.ml.inference.base' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_records_alike_share_one_moderation_column_and_sft_records_list_every_language(default_config, default_scorers):
    sft = pa.RecordBatch.from_pydict({"instruction": ["把这句话翻译成英文"], "input": [""], "output": ["Good morning."], "lang": ["zh"]})
    column = moderate_batch(sft, "alpaca", default_config, scorers=default_scorers).column
    assert json.loads(column[0])["lang"] == ["en", "zh"]
    same = moderate_batch(web(["The meeting is at noon.", "The meeting is at noon."], ["en", "en"]), "web", default_config,
                          scorers=default_scorers).column
    assert same[0] == same[1] == json.dumps({"lang": ["en"], "scores": {"lexicon-en": {
        "abuse": 0.0, "hate": 0.0, "politics": 0.0, "porn": 0.0, "spam": 0.0, "violence": 0.0}}}, sort_keys=True)


def test_one_offending_sentence_in_a_long_page_is_judged_by_its_window(default_config, default_scorers):
    # the lexicons weigh a hit in a long text by sqrt(300 / characters): scored whole, a 2,900-character page hides one
    # insult; in windows of 600 characters the worst window decides
    filler = "本文介绍如何配置网络服务，包括地址分配、域名解析和防火墙规则的设置方法。" * 40
    batch = web([filler + "你个傻逼，滚远点，别再来烦我。" + filler, filler + filler], ["zh", "zh"])
    assert moderate_batch(batch, "web", default_config, scorers=default_scorers).reasons == ["moderation_abuse", None]
    whole = default_config.model_copy(update={"scorers": [
        s.model_copy(update={"max_chars": None}) if s.type == "lexicon" else s for s in default_config.scorers]})
    assert moderate_batch(batch, "web", whole, scorers=default_scorers).reasons == [None, None]
