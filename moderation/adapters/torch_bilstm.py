"""torch adapter: the Jigsaw toxic-comment BiLSTM of toxic-comment-classifier (MIT), rebuilt in torch.

The wheel ships Keras 3 weights (model.weights.h5) and a pickled Keras Tokenizer; its own model.py
needs TensorFlow, which winnow never installs. The network is small and rebuilt here:

    tokens (last 100 word ids < 20,000, zero-padded in front)
    -> Embedding(20000, 50) -> BiLSTM(50 per direction, full sequence) -> max over time
    -> Dense(50, relu) -> Dense(6, sigmoid): toxic, severe_toxic, obscene, threat, insult, identity_hate

Keras keeps LSTM kernels as (input, 4*units) with gates in the order i, f, c, o — torch's order —
so torch's weight_ih is the kernel transposed and the Keras bias goes to bias_ih (bias_hh = 0).
The tokenizer pickle is read by a restricted unpickler that admits only the Tokenizer's plain
data (no Keras import, no arbitrary code); texts are split the way Keras's Tokenizer splits them.
"""

from __future__ import annotations

import os
import pickle

import numpy as np

from moderation.adapters.base import ModelScorer
from moderation.adapters.files import content_version, distribution_version, local_file, package_dir
from moderation.config import ScorerSpec
from moderation.scorer import map_labels

LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")
DEFAULT_LABELS = {
    "toxic": "abuse", "severe_toxic": "abuse", "insult": "abuse", "obscene": "abuse",
    "threat": "violence", "identity_hate": "hate",
}
MAX_TOKENS = 100
VOCAB = 20000
EMBEDDING = 50
UNITS = 50
TOKENIZER_CLASS = ("keras.src.legacy.preprocessing.text", "Tokenizer")


def default_paths() -> tuple[str, str]:
    folder = os.path.join(package_dir("toxic_classifier", "toxic-comment-classifier"), "model")
    return os.path.join(folder, "model.weights.h5"), os.path.join(folder, "tokenizer.pickle")


class _TokenizerState:
    def __setstate__(self, state):
        self.__dict__.update(state)


class _TokenizerUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        import builtins
        import collections

        if (module, name) == TOKENIZER_CLASS:
            return _TokenizerState
        if module == "collections" and name in ("OrderedDict", "defaultdict"):
            return getattr(collections, name)
        if module == "builtins" and name in ("int", "dict", "list"):
            return getattr(builtins, name)
        raise pickle.UnpicklingError(f"tokenizer pickle refers to {module}.{name}, which is not allowed")


class KerasWordTokenizer:
    """Keras's Tokenizer.texts_to_sequences + pad_sequences(maxlen), from the tokenizer's saved state."""

    def __init__(self, path: str):
        with open(path, "rb") as f:
            state = _TokenizerUnpickler(f).load()
        self.num_words = state.num_words or VOCAB
        self.word_index = {w: i for w, i in state.word_index.items() if i < self.num_words}
        self.lower = state.lower
        self.split = state.split
        self.table = str.maketrans({c: state.split for c in state.filters})

    def ids(self, texts: list[str], max_tokens: int = MAX_TOKENS) -> np.ndarray:
        out = np.zeros((len(texts), max_tokens), dtype=np.int64)
        for row, text in enumerate(texts):
            if self.lower:
                text = text.lower()
            words = [w for w in text.translate(self.table).split(self.split) if w]
            ids = [i for i in map(self.word_index.get, words) if i is not None][-max_tokens:]
            if ids:
                out[row, max_tokens - len(ids):] = ids
        return out


def build_network():
    import torch
    from torch import nn

    class JigsawBiLstm(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(VOCAB, EMBEDDING)
            self.lstm = nn.LSTM(EMBEDDING, UNITS, batch_first=True, bidirectional=True)
            self.hidden = nn.Linear(2 * UNITS, 50)
            self.out = nn.Linear(50, len(LABELS))

        def forward(self, ids):
            sequence, _ = self.lstm(self.embedding(ids))
            pooled = sequence.max(dim=1).values
            return torch.sigmoid(self.out(torch.relu(self.hidden(pooled))))

    return JigsawBiLstm()


def load_keras_weights(network, path: str) -> None:
    import h5py
    import torch

    with h5py.File(path, "r") as f:
        layers = f["layers"]

        def tensor(name):
            return torch.from_numpy(np.asarray(layers[name]))

        state = {
            "embedding.weight": tensor("embedding/vars/0"),
            "hidden.weight": tensor("dense/vars/0").T, "hidden.bias": tensor("dense/vars/1"),
            "out.weight": tensor("dense_1/vars/0").T, "out.bias": tensor("dense_1/vars/1"),
        }
        for keras_name, suffix in (("forward_layer", ""), ("backward_layer", "_reverse")):
            cell = f"bidirectional/{keras_name}/cell/vars"
            state[f"lstm.weight_ih_l0{suffix}"] = tensor(f"{cell}/0").T
            state[f"lstm.weight_hh_l0{suffix}"] = tensor(f"{cell}/1").T
            state[f"lstm.bias_ih_l0{suffix}"] = tensor(f"{cell}/2")
            state[f"lstm.bias_hh_l0{suffix}"] = torch.zeros(4 * UNITS)
    network.load_state_dict({k: v.contiguous().float() for k, v in state.items()})


def torch_device_and_dtype(device: str, precision: str):
    """(torch.device, dtype) for a spec's device and precision (half precision only on CUDA)."""
    import torch

    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device: cuda was asked for but torch sees no CUDA device")
    chosen = torch.device("cuda" if device == "cuda" or (device == "auto" and torch.cuda.is_available()) else "cpu")
    if chosen.type != "cuda" or precision == "float32":
        return chosen, torch.float32
    if precision == "auto":
        return chosen, torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return chosen, {"float16": torch.float16, "bfloat16": torch.bfloat16}[precision]


class BiLstmScorer(ModelScorer):
    """path: null (the shipped files) or [weights.h5, tokenizer.pickle]."""

    def __init__(self, spec: ScorerSpec):
        super().__init__(spec, DEFAULT_LABELS)
        map_labels(np.zeros((0, len(LABELS))), LABELS, self.labels)
        self.network = None

    def load(self) -> None:

        if self.spec.path is None:
            weights, tokenizer = default_paths()
            self.version = distribution_version("toxic-comment-classifier")
        else:
            if isinstance(self.spec.path, str) or len(self.spec.path) != 2:
                raise ValueError(f"scorer {self.name!r}: path must be [weights.h5, tokenizer.pickle]")
            weights, tokenizer = (local_file(p) for p in self.spec.path)
            self.version = content_version([weights, tokenizer])
        self.tokenizer = KerasWordTokenizer(tokenizer)
        self.device, self.dtype = torch_device_and_dtype(self.spec.device, self.spec.precision)
        network = build_network()
        load_keras_weights(network, weights)
        self.network = network.to(self.device, self.dtype).eval()

    def probabilities(self, texts: list[str]) -> np.ndarray:
        import torch

        ids = torch.from_numpy(self.tokenizer.ids(texts)).to(self.device)
        with torch.inference_mode():
            return self.network(ids).float().cpu().numpy()

    def score(self, texts: list[str]) -> dict[str, np.ndarray]:
        return map_labels(self.probabilities(texts), LABELS, self.labels)
