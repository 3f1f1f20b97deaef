"""Every adapter with a real model: the shipped ones (alt-profanity-check, hatesonar, the Jigsaw BiLSTM)
and small ones the tests build (a scikit-learn pipeline, a fastText classifier, a transformers model)."""

import importlib.util

import numpy as np
import pytest

from moderation.adapters import build_scorer
from moderation.config import ScorerSpec

needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("h5py") is None,
    reason="the optional moderation extra is not installed: pip install torch==2.13.0 h5py==3.16.0 "
           "&& pip install --no-deps toxic-comment-classifier==0.3.0",
)
needs_bilstm_weights = pytest.mark.skipif(
    importlib.util.find_spec("toxic_classifier") is None,
    reason="toxic-comment-classifier is not installed: pip install --no-deps toxic-comment-classifier==0.3.0",
)
needs_transformers = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("transformers") is None,
    reason="the optional moderation extra is not installed: pip install torch==2.13.0 transformers==5.23.0",
)

INSULT, CLEAN = "you are a fucking idiot", "have a nice day, see you at the meeting"


def loaded(**spec):
    scorer = build_scorer(ScorerSpec(**spec))
    scorer.load()
    return scorer


def test_sklearn_default_is_alt_profanity_check():
    scorer = loaded(name="pc", type="sklearn", languages=["en"])
    scores = scorer.score([INSULT, CLEAN])["abuse"]
    assert scorer.version.startswith("alt-profanity-check==")
    assert scores[0] > 0.9 and scores[1] < 0.2


def test_sklearn_loads_a_pipeline_from_the_path_the_config_names(tmp_path):
    import joblib
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pipeline = make_pipeline(CountVectorizer(), LogisticRegression())
    pipeline.fit(["buy cheap pills", "cheap pills now", "hello friend", "nice weather"], ["spam", "spam", "ok", "ok"])
    path = tmp_path / "spam.joblib"
    joblib.dump(pipeline, path)
    scorer = loaded(name="spam", type="sklearn", path=str(path), labels={"spam": "spam"})
    assert scorer.categories == ("spam",)
    np.testing.assert_allclose(scorer.score(["cheap pills", "hello"])["spam"], pipeline.predict_proba(["cheap pills", "hello"])[:, 1],
                               rtol=1e-6)


def test_a_labels_map_naming_a_missing_label_fails_at_load(tmp_path):
    with pytest.raises(ValueError, match="not outputs of the model"):
        loaded(name="pc", type="sklearn", labels={"7": "abuse"})


def test_onnx_default_is_hatesonar_with_its_locale_and_zipmap_fixed_in_memory():
    scorer = loaded(name="hs", type="onnx", languages=["en"])
    assert scorer.version.startswith("hatesonar==") and scorer.raw_labels == ["0", "1", "2"]
    import onnxruntime as ort

    from moderation.adapters.onnx_model import default_path
    # as shipped, the model does not load on machines without an en_US.UTF-8 locale; patched, it does
    probabilities = scorer.session.run([scorer.output_name], {scorer.input_name: np.array([INSULT, CLEAN], dtype=object)})[0]
    assert probabilities.shape == (2, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    abuse = scorer.score([INSULT, CLEAN])["abuse"]
    np.testing.assert_allclose(abuse, probabilities[:, :2].max(axis=1), rtol=1e-6)
    assert abuse[0] > abuse[1]
    assert ort.get_available_providers() and default_path().endswith("model.onnx")


def test_fasttext_loads_a_supervised_model_from_a_path():
    """A model named by path (here winnow's shipped one, as a user would name their own) with a labels map:
    texts go to the model as they are (line breaks as spaces), and scores are its probabilities. (Training a
    model here is no option: fasttext-numpy2-wheel's trainer stops with "Encountered NaN" on most tiny runs.)"""
    import fasttext

    from moderation.adapters.fasttext_model import SHIPPED_MODEL

    scorer = loaded(name="ft", type="fasttext", path=SHIPPED_MODEL, labels={"abuse": "abuse"})
    texts = ["you are a complete waste of oxygen", "the weather is lovely\ntoday"]
    scores = scorer.score(texts)["abuse"]
    labels, probabilities = fasttext.load_model(SHIPPED_MODEL).predict([" ".join(t.split()) for t in texts], k=-1)
    expected = [dict(zip(ls, ps))["__label__abuse"] for ls, ps in zip(labels, probabilities)]
    np.testing.assert_allclose(scores, np.clip(expected, 0, 1), atol=1e-6)  # fastText adds 1e-5; scores stay in [0, 1]
    assert scores[0] > 0.5 > scores[1]


def keras_reference(ids: np.ndarray, weights_path: str) -> np.ndarray:
    """The Keras network computed directly from the .h5 weights with numpy (Keras 3 LSTM semantics)."""
    import h5py

    with h5py.File(weights_path, "r") as f:
        w = {name: np.asarray(f["layers"][name]) for name in (
            "embedding/vars/0", "dense/vars/0", "dense/vars/1", "dense_1/vars/0", "dense_1/vars/1",
            *(f"bidirectional/{d}/cell/vars/{i}" for d in ("forward_layer", "backward_layer") for i in range(3)))}

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    def lstm(x, direction):
        kernel, recurrent, bias = (w[f"bidirectional/{direction}/cell/vars/{i}"] for i in range(3))
        h = np.zeros((x.shape[0], 50))
        c = np.zeros((x.shape[0], 50))
        out = []
        for t in range(x.shape[1]):
            z = x[:, t] @ kernel + h @ recurrent + bias
            i, f, g, o = np.split(z, 4, axis=1)
            c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
            h = sigmoid(o) * np.tanh(c)
            out.append(h)
        return np.stack(out, axis=1)

    x = w["embedding/vars/0"][ids]
    forward = lstm(x, "forward_layer")
    backward = lstm(x[:, ::-1], "backward_layer")[:, ::-1]
    pooled = np.concatenate([forward, backward], axis=2).max(axis=1)
    hidden = np.maximum(pooled @ w["dense/vars/0"] + w["dense/vars/1"], 0)
    return sigmoid(hidden @ w["dense_1/vars/0"] + w["dense_1/vars/1"])


@needs_torch
@needs_bilstm_weights
def test_torch_bilstm_reproduces_the_keras_network_from_the_shipped_weights():
    from moderation.adapters.torch_bilstm import default_paths

    scorer = loaded(name="bilstm", type="torch", languages=["en"], device="cpu")
    texts = [INSULT, CLEAN, "I will kill you", ""]
    ids = scorer.tokenizer.ids(texts)
    assert ids.shape == (4, 100) and ids[3].sum() == 0 and ids[0, -1] == scorer.tokenizer.word_index["idiot"]
    np.testing.assert_allclose(scorer.probabilities(texts), keras_reference(ids, default_paths()[0]), atol=1e-5)
    scores = scorer.score(texts)
    assert scores["abuse"][0] > 0.9 and scores["abuse"][1] < 0.1
    assert set(scores) == {"abuse", "violence", "hate"}


def test_the_bilstm_tokenizer_pickle_is_read_without_running_code(tmp_path):
    import pickle

    from moderation.adapters.torch_bilstm import KerasWordTokenizer

    class Evil:
        def __reduce__(self):
            return (print, ("ran",))

    path = tmp_path / "tokenizer.pickle"
    path.write_bytes(pickle.dumps(Evil()))
    with pytest.raises(pickle.UnpicklingError):
        KerasWordTokenizer(str(path))


@needs_transformers
def test_transformers_scores_a_local_sequence_classification_model(tmp_path):
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "you", "idiot", "hello", "friend", "nice", "day"]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab) + "\n")
    tokenizer = BertTokenizer(str(tmp_path / "vocab.txt"))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64, num_labels=2,
                        id2label={0: "clean", 1: "toxic"}, label2id={"clean": 0, "toxic": 1})
    model = BertForSequenceClassification(config).eval()
    tokenizer.save_pretrained(tmp_path)
    model.save_pretrained(tmp_path)

    scorer = loaded(name="tiny", type="transformers", path=str(tmp_path), labels={"toxic": "abuse"}, device="cpu",
                    batch_size=2, max_length=8)
    texts = ["you idiot", "hello friend nice day", "hello " * 50]
    scores = scorer.score(texts)["abuse"]
    with torch.inference_mode():
        expected = [torch.softmax(model(**tokenizer(t, truncation=True, max_length=8, return_tensors="pt")).logits, -1)[0, 1].item()
                    for t in texts]
    np.testing.assert_allclose(scores, expected, atol=1e-5)
    assert scorer.device.type == "cpu" and scorer.version.startswith("sha256:")


@needs_transformers
def test_cuda_is_refused_clearly_where_torch_sees_no_gpu():
    import torch

    from moderation.adapters.torch_bilstm import torch_device_and_dtype

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(RuntimeError, match="no CUDA device"):
        torch_device_and_dtype("cuda", "auto")
    assert torch_device_and_dtype("auto", "bfloat16") == (torch.device("cpu"), torch.float32)
