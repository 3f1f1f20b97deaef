"""Stage `moderation` in a whole run: abusive records go to rejects with every scorer's scores, the
kept ones carry theirs, and the counts reconcile."""

import json

from tests.e2e_helpers import clean, read_output

RECORDS = [
    {"id": "en-abuse", "text": "You are a fucking idiot and a worthless piece of shit, go to hell you bastard."},
    {"id": "en-clean", "text": "The committee met on Tuesday to discuss the new library opening hours and the budget."},
    {"id": "zh-abuse", "text": "你这个傻逼，滚开，去死吧，操你妈的废物。"},
    {"id": "zh-clean", "text": "党支部组织全体党员学习了新的信息管理办法，并讨论了操作流程。"},
    {"id": "en-copy", "text": "The committee met on Tuesday to discuss the new library opening hours and the budget."},
]


def test_moderation_rejects_abuse_with_scores_and_keeps_scores_of_the_rest(tmp_path):
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    out = tmp_path / "out"
    assert clean("--input", str(tmp_path / "in.jsonl"), "--output", str(out), "--stages", "exact,moderation") == 0
    data, rejects, manifest = read_output(out)
    assert sorted(r["id"] for r in data) == ["en-clean", "zh-clean"]
    fates = {r["id"]: (r["stage"], r["reason"]) for r in rejects}
    assert fates == {"en-abuse": ("moderation", "moderation_abuse"), "zh-abuse": ("moderation", "moderation_abuse"),
                     "en-copy": ("exact", "exact_duplicate")}  # copies are removed before moderation judges
    english = json.loads(next(r for r in rejects if r["id"] == "en-abuse")["detail"])
    assert set(english["scores"]) == {"profanity-check", "hatesonar", "lexicon-en", "fasttext-en"}
    chinese = json.loads(next(r for r in rejects if r["id"] == "zh-abuse")["detail"])
    # English models never judge Chinese text; winnow's classifier judged it (a reject's detail has every score)
    assert set(chinese["scores"]) == {"lexicon-zh", "fasttext-zh"}
    kept = {r["id"]: json.loads(r["moderation"]) for r in data}
    assert set(kept["zh-clean"]["scores"]) == {"lexicon-zh"}
    assert manifest["stages"][-1] == {"stage": "moderation", "in": 4, "out": 2, "rejected": {"moderation_abuse": 2}}
    assert manifest["counts"] == {"records_read": 5, "kept": 2, "rejected": 3, "reconciled": True}
    assert sorted(p.name for p in out.iterdir()) == ["data", "manifest.json", "rejects"]  # staged scores not published
