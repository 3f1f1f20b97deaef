"""transformers adapter: any sequence-classification model in a local folder (or a hub id already in
the local cache: nothing is downloaded at run time).

Batched and truncated to `max_length` tokens; texts are sorted by length inside a call so that
padding stays small. `device: auto` takes CUDA when torch sees it; on CUDA `precision: auto` runs
bfloat16 where the GPU supports it, else float16. Multi-label models (problem_type
multi_label_classification) score each label with a sigmoid, others with a softmax over labels.
Label names come from the model's id2label.
"""

from __future__ import annotations

import json
import os

import numpy as np

from moderation.adapters.base import ModelScorer
from moderation.adapters.files import content_version
from moderation.adapters.torch_bilstm import torch_device_and_dtype
from moderation.config import ScorerSpec
from moderation.scorer import map_labels


class TransformersScorer(ModelScorer):
    def __init__(self, spec: ScorerSpec):
        if spec.path is None:
            raise ValueError(f"scorer {spec.name!r}: a transformers scorer needs a path (a model folder or cached hub id)")
        if not spec.labels:
            raise ValueError(f"scorer {spec.name!r}: a transformers scorer needs a labels map from the model's id2label names")
        super().__init__(spec)
        self.model = None

    def load(self) -> None:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        path = self.spec.path if isinstance(self.spec.path, str) else self.spec.path[0]
        self.device, self.dtype = torch_device_and_dtype(self.spec.device, self.spec.precision)
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True, dtype=self.dtype)
        self.model = model.to(self.device).eval()
        config = model.config
        self.raw_labels = [str(config.id2label[i]) for i in range(config.num_labels)]
        self.multi_label = config.problem_type == "multi_label_classification"
        self.version = self._version(path, config)
        map_labels(np.zeros((0, len(self.raw_labels))), self.raw_labels, self.labels)

    @staticmethod
    def _version(path: str, config) -> str:
        if os.path.isdir(path):
            files = [os.path.join(path, f) for f in sorted(os.listdir(path)) if f.endswith((".json", ".safetensors", ".bin"))]
            return content_version(files)
        return f"{path}@{json.dumps(getattr(config, '_commit_hash', None))}"

    def score(self, texts: list[str]) -> dict[str, np.ndarray]:
        import torch

        order = np.argsort([len(t) for t in texts], kind="stable")
        probabilities = np.zeros((len(texts), len(self.raw_labels)), dtype=np.float32)
        size = self.spec.batch_size or self.default_batch_size
        for start in range(0, len(texts), size):
            rows = order[start:start + size]
            encoded = self.tokenizer([texts[i] for i in rows], truncation=True, max_length=self.spec.max_length,
                                     padding=True, return_tensors="pt").to(self.device)
            with torch.inference_mode():
                logits = self.model(**encoded).logits.float()
            values = torch.sigmoid(logits) if self.multi_label else torch.softmax(logits, dim=-1)
            probabilities[rows] = values.cpu().numpy()
        return map_labels(probabilities, self.raw_labels, self.labels)
