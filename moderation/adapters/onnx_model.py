"""ONNX adapter: a text classifier exported to ONNX that takes a string tensor and outputs class
probabilities (as skl2onnx exports scikit-learn text pipelines).

The default is hatesonar's shipped model (MIT; Davidson et al. 2017 data: hate speech, offensive
language, neither). Two in-memory fixes make such exports usable here, without touching the file:
- StringNormalizer nodes without a `locale` attribute make onnxruntime look up en_US.UTF-8, which
  minimal machines lack; they get `locale = C.UTF-8` (lower-casing ASCII text is the same).
- A ZipMap output (one Python dict per text) is replaced by the probability tensor that feeds it.
"""

from __future__ import annotations

import os

import numpy as np

from moderation.adapters.base import ModelScorer
from moderation.adapters.files import content_version, distribution_version, local_file, package_dir
from moderation.config import ScorerSpec
from moderation.scorer import map_labels

DEFAULT_LABELS = {"0": "abuse", "1": "abuse"}  # hate_speech, offensive_language
HATESONAR_CLASS_NAMES = ("hate_speech", "offensive_language", "neither")
FALLBACK_LOCALE = "C.UTF-8"


def default_path() -> str:
    return os.path.join(package_dir("hatesonar", "hatesonar"), "model", "model.onnx")


def patched_model(model):
    """(model with the locale and ZipMap fixes, name of the probability output, its class labels)."""
    import onnx
    from onnx import helper

    graph = model.graph
    for node in graph.node:
        if node.op_type == "StringNormalizer" and not any(a.name == "locale" for a in node.attribute):
            node.attribute.append(helper.make_attribute("locale", FALLBACK_LOCALE))
    class_labels = None
    for node in graph.node:
        for attribute in node.attribute:
            if attribute.name in ("classlabels_ints", "classlabels_int64s", "classlabels_strings"):
                values = onnx.helper.get_attribute_value(attribute)
                class_labels = [v.decode() if isinstance(v, bytes) else str(v) for v in values]
    zipmaps = [n for n in graph.node if n.op_type == "ZipMap"]
    probability_output = None
    for zipmap in zipmaps:
        probability_output = zipmap.input[0]
        outputs = [o for o in graph.output if o.name == zipmap.output[0]]
        for output in outputs:
            graph.output.remove(output)
        graph.node.remove(zipmap)
        graph.output.append(helper.make_tensor_value_info(probability_output, onnx.TensorProto.FLOAT, None))
    if probability_output is None:
        float_outputs = [o.name for o in graph.output if o.type.tensor_type.elem_type == onnx.TensorProto.FLOAT]
        if not float_outputs:
            raise ValueError("the ONNX model has no float (probability) output")
        probability_output = float_outputs[-1]
    return model, probability_output, class_labels


class OnnxScorer(ModelScorer):
    def __init__(self, spec: ScorerSpec):
        super().__init__(spec, DEFAULT_LABELS)
        self.session = None

    def load(self) -> None:
        import onnx
        import onnxruntime as ort

        if self.spec.path is None:
            path = default_path()
            self.version = distribution_version("hatesonar")
        else:
            path = local_file(self.spec.path if isinstance(self.spec.path, str) else self.spec.path[0])
            self.version = content_version([path])
        model, self.output_name, class_labels = patched_model(onnx.load(path))
        options = ort.SessionOptions()
        options.log_severity_level = 3
        self.session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        width = self.session.run([self.output_name], {self.input_name: np.array([""], dtype=object)})[0].shape[1]
        self.raw_labels = class_labels if class_labels and len(class_labels) == width else [str(i) for i in range(width)]
        map_labels(np.zeros((0, width)), self.raw_labels, self.labels)  # fail now on a bad labels map

    def score(self, texts: list[str]) -> dict[str, np.ndarray]:
        probabilities = self.session.run([self.output_name], {self.input_name: np.array(texts, dtype=object)})[0]
        return map_labels(probabilities, self.raw_labels, self.labels)
