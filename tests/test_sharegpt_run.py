"""A whole ShareGPT run with a tokenizer: HTML answers become markdown, long conversations are split
into pieces at turn boundaries, every kept record has its token count, and the counts reconcile."""

import json

from tests.e2e_helpers import clean, read_output
from tests.test_tokens import build_tokenizer
from transforms.tokens import count_tokens, load_tokenizer

LONG = [{"from": "human" if i % 2 == 0 else "gpt",
         "value": (f"Question {i}: tell me about the old stone bridge and the river. " if i % 2 == 0 else
                   f"Answer {i}: the old stone bridge was repaired last spring by the village teacher. ") * 3}
        for i in range(8)]
CONVERSATIONS = [
    {"id": "short", "conversations": [{"from": "human", "value": "What is two plus two?"},
                                      {"from": "gpt", "value": "Two plus two is four."}]},
    {"id": "html", "conversations": [{"from": "human", "value": "Show me a loop in Python."},
                                     {"from": "gpt", "value": "<p>Here is one:</p><pre><code>for i in range(3):\n    print(i)\n</code></pre>"}]},
    {"id": "long", "conversations": LONG},
    {"id": "assistant-first", "conversations": [{"from": "gpt", "value": "Hello, how can I help you today?"},
                                                {"from": "human", "value": "Tell me a joke about bridges."}]},
]


def test_sharegpt_run_splits_counts_tokens_and_reconciles(tmp_path):
    folder = build_tokenizer(str(tmp_path / "tokenizer"))
    (tmp_path / "chat.jsonl").write_text("".join(json.dumps(c) + "\n" for c in CONVERSATIONS), encoding="utf-8")
    out = tmp_path / "out"
    assert clean("--input", str(tmp_path / "chat.jsonl"), "--output", str(out), "--format", "sharegpt",
                 "--stages", "normalize,sharegpt,exact", "--set", f"tokens.tokenizer={folder}",
                 "--set", "conversations.max_tokens=600") == 0
    data, rejects, manifest = read_output(out)
    assert [(r["id"], r["reason"]) for r in rejects] == [("assistant-first", "starts_with_assistant")]
    pieces = sorted(r["id"] for r in data if r["parent_id"] == "long")
    assert len(pieces) > 1 and pieces == [f"long#{k}" for k in range(1, len(pieces) + 1)]
    tokenizer = load_tokenizer(folder)
    for row in data:
        values = [t["value"] for t in row["conversations"]]
        assert row["tokens"] == int(count_tokens(tokenizer, values, 64).sum())
        if row["parent_id"] == "long":
            assert row["tokens"] <= 600 and len(values) % 2 == 0  # whole exchanges, within the limit
    html = next(r for r in data if r["id"] == "html")["conversations"][1]["value"]
    assert "<p>" not in html and "```" in html and "for i in range(3):" in html
    counts = manifest["counts"]
    assert (counts["records_read"], counts["split_conversations"], counts["pieces"]) == (4, 1, len(pieces))
    assert counts["kept"] + counts["rejected"] == 4 - 1 + len(pieces)
    assert manifest["tokens"]["total"] == manifest["tokens"]["by_source"]["chat.jsonl"] == sum(r["tokens"] for r in data)
