"""The bundled sample: web documents and SFT records in Chinese and English, generated from
templates with a fixed seed, with known junk and duplicates mixed in.

Every record carries `expect`, the fate the generator intends for it ("kept" or the reject reason),
so the end-to-end test can check each record's outcome against its own answer key. Lines that are
not records at all (malformed JSON, invalid UTF-8) are listed by `broken_lines()`.
"""

from __future__ import annotations

import gzip
import json
import os
import random

ZH_TIME = ["今天", "去年冬天", "在过去的十年里", "每到周末", "清晨六点", "会议结束以后", "春节前夕", "最近一段时间", "第二天早上", "很多年以前"]
ZH_WHO = ["村里的老师", "这家小公司的工程师", "我的邻居王阿姨", "一群大学生", "当地的渔民", "图书馆的管理员", "年轻的研究人员",
          "社区志愿者", "那位退休的医生", "城市规划部门"]
ZH_HOW = ["认真地", "悄悄地", "反复", "耐心地", "第一次", "终于", "一直在", "偶尔会", "坚持", "顺利地"]
ZH_DID = ["整理了旧照片", "修好了河边的小桥", "记录每天的天气变化", "讨论新的课程安排", "种下了一排银杏树", "测试了新的净水设备",
          "翻译了一本关于海洋的书", "比较了三种不同的算法", "收集了附近山区的植物标本", "设计了一套节约用水的方案",
          "整理出一份详细的调查报告", "学会了用计算机分析数据"]
ZH_THEN = ["大家都觉得很有意义", "这让附近的孩子们非常高兴", "结果比预想的还要好", "但是仍然有不少问题需要解决", "于是他们决定明年继续尝试",
           "很多人因此改变了原来的看法", "这件事后来被写进了地方志", "整个过程花了将近三个月", "附近的居民也纷纷赶来帮忙",
           "他们把经验分享给了其他城市"]

EN_TIME = ["Last spring", "Every Saturday morning", "Shortly after the meeting", "For nearly a decade", "On a cold evening in March",
           "During the long summer holiday", "Early the next day", "A few years ago", "Before the harvest", "Late last autumn"]
EN_WHO = ["the village teacher", "a small team of engineers", "my neighbour", "a group of students", "the local fishermen",
          "the museum librarian", "two young researchers", "a volunteer from the clinic", "the retired doctor", "the city planning office"]
EN_DID = ["carefully repaired", "quietly catalogued", "patiently measured", "finally published", "slowly rebuilt", "openly discussed",
          "thoroughly tested", "proudly presented", "gradually improved", "accurately mapped"]
EN_WHAT = ["the old stone bridge", "a collection of faded photographs", "the daily rainfall records", "a new plan for the school garden",
           "the water pumps along the river", "a short history of the harbour", "three competing methods",
           "the rare plants on the northern hills", "a simple way to save energy", "the results of the annual survey"]
EN_THEN = ["and everyone agreed it had been worth the effort", "which surprised most of the neighbours",
           "although several questions remained open", "so they decided to try again the following year",
           "and the story later appeared in the regional newspaper", "while the children watched with great interest",
           "because nobody else had time to do it", "and the whole process took almost three months",
           "though the weather made the work much harder", "and they shared what they learned with nearby towns"]

FR_SENTENCES = ["Le matin, les enfants du village marchent jusqu'à l'école en chantant.",
                "La bibliothèque municipale ouvre ses portes tous les jours sauf le lundi.",
                "Après la pluie, le chemin qui mène à la rivière devient très glissant.",
                "Les pêcheurs réparent leurs filets pendant que le soleil se couche sur le port.",
                "Chaque automne, la fête des vendanges attire des visiteurs de toute la région."]
JA_SENTENCES = ["きょうはとてもいいてんきですね。", "わたしはまいにちこうえんをさんぽします。", "としょかんでほんをかりました。",
                "あしたはともだちといっしょにやまへいきます。", "このまちのひとはみんなしんせつです。"]


def zh_sentence(rng: random.Random) -> str:
    return f"{rng.choice(ZH_TIME)}，{rng.choice(ZH_WHO)}{rng.choice(ZH_HOW)}{rng.choice(ZH_DID)}，{rng.choice(ZH_THEN)}。"


def en_sentence(rng: random.Random) -> str:
    return f"{rng.choice(EN_TIME)}, {rng.choice(EN_WHO)} {rng.choice(EN_DID)} {rng.choice(EN_WHAT)}, {rng.choice(EN_THEN)}."


def zh_document(rng: random.Random, paragraphs: int = 3) -> str:
    return "\n\n".join("".join(zh_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(paragraphs))


def en_document(rng: random.Random, paragraphs: int = 3) -> str:
    return "\n\n".join(" ".join(en_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(paragraphs))


def _to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def _web_junk(rng: random.Random) -> list[tuple[str, str]]:
    """(text, expected reason) for every kind of junk the web rules catch."""
    zh, en = zh_document(rng), en_document(rng)
    table = "\n".join(f"Item {rng.randint(1000, 9999)}: {rng.randint(10, 99)}.{rng.randint(10, 99)} / "
                      f"{rng.randint(100, 999)}-{rng.randint(100, 999)} = {rng.randint(1, 9)}%" for _ in range(25))
    return [
        ("短消息，只有几个字。", "too_few_words"),
        (zh + "\n加微信领取优惠券，点击链接立即购买！", "ad_spam"),
        (zh + "\n如有需要请联系电话 13912345678 。", "contact_spam"),
        ("沙发！楼主威武，卧槽这也太牛逼了吧，坐等更新，有木有人一起？\n" + zh_document(rng, 1), "jargon"),
        (en_document(rng, 1) + " " + " ".join(f"https://example.com/p/{i}" for i in range(8)), "url_spam"),
        (en.replace("\n\n", "\n<div class=\"post\">&nbsp;</div>\n<p>"), "html_residue"),
        # light mojibake (UTF-8 read as CP1252) is repaired and kept, its repair noted in `cleaned`
        ((en + " The café’s naïve plan worked.").encode("utf-8").decode("cp1252", errors="replace"), "kept"),
        (zh.encode("utf-8").decode("gbk", errors="ignore"), "mojibake"),
        (zh.replace("。", "\ufffd。", 2), "replacement_chars"),
        (en.replace(". ", ".\x07\x1b ").replace(", ", ",\x08 "), "control_chars"),
        (zh + "哈" * 80, "char_repetition"),
        ("\n".join([zh_sentence(rng)] * 6 + [zh_sentence(rng) for _ in range(4)]), "line_repetition"),
        (" ".join(rng.choice(FR_SENTENCES) for _ in range(8)), "language"),
        ("".join(rng.choice(JA_SENTENCES) for _ in range(8)), "language"),
        ("\n".join(f"{w} {v} {t}" for w, v, t in zip(["Home", "About", "Products", "Contact", "News", "Careers", "Support",
                    "Blog", "Press", "Partners", "Events", "Shop", "Help", "Terms", "Privacy", "Sitemap", "Login",
                    "Register", "Jobs", "Team"], ["page"] * 20, ["section link"] * 20)), "keyword_stuffing"),
        ("\n".join(f"• {en_sentence(rng)}" for _ in range(10)), "bullet_lines"),
        (table, "low_content_ratio"),
        ("   ", "too_short"),
    ]


def web_records(seed: int = 7) -> list[list[dict]]:
    """Records of the web sample, as two files; ids are web-NNNN and originals precede their copies."""
    rng = random.Random(seed)
    records: list[dict] = []

    def add(text, expect, **extra):
        records.append({"id": f"web-{len(records):04d}", "text": text, "expect": expect, **extra})

    for i in range(240):
        text = zh_document(rng) if i % 2 == 0 else en_document(rng)
        add(text, "kept", url=f"https://sample.invalid/{i}", lang_hint="zh" if i % 2 == 0 else "en")
    originals = [r for r in records if r["expect"] == "kept"]
    for junk, reason in _web_junk(rng):
        add(junk, reason)
    for n, original in enumerate(rng.sample(originals, 40)):
        text = original["text"]
        chinese = "，" in text
        width_variant = text.replace("，", ",").replace("\n\n", "\n\n\u3000\u3000") if chinese else text.replace(" ", "  ")
        script_variant = _to_traditional(text) if chinese else text.replace("\n", "\r\n")
        variant = [text, "  " + text.replace("\n\n", "\n \n") + "  ", text.upper(), width_variant, script_variant][n % 5]
        add(variant, "exact_duplicate", duplicate_of=original["id"])
    rng.shuffle(records)
    # an id reused by a later document: the first holder (by file and line) keeps it
    records.append({"id": originals[5]["id"], "text": en_document(rng), "expect": "duplicate_id"})
    return [records[: len(records) // 2], records[len(records) // 2:]]


BROKEN_WEB_LINES = [
    (b'{"id": "broken-1", "text": "unterminated', "malformed_json"),
    (b'{"id": "broken-2", "text": "\xff\xfe bad bytes"}', "invalid_utf8"),
    (b'{"id": "broken-3", "url": "https://sample.invalid/no-text"}', "missing_field"),
    (b'{"id": "broken-4", "text": 42}', "wrong_type"),
    (b'["a", "list", "is", "not", "a", "record"]', "not_an_object"),
]

SFT_ZH_TASKS = ["用一句话总结下面的内容。", "请概括这段文字的主要意思。", "下面这段话讲了什么？请简要回答。"]
SFT_EN_TASKS = ["Summarize the following paragraph in one sentence.", "What is the main point of this text?",
                "Give a one-sentence summary of the passage below."]


def _alpaca_normal(rng: random.Random, i: int) -> dict:
    if i % 2 == 0:
        paragraph = "".join(zh_sentence(rng) for _ in range(3))
        return {"instruction": rng.choice(SFT_ZH_TASKS), "input": paragraph, "output": paragraph.split("。")[0] + "。"}
    paragraph = " ".join(en_sentence(rng) for _ in range(3))
    return {"instruction": rng.choice(SFT_EN_TASKS), "input": paragraph, "output": paragraph.split(". ")[0] + "."}


def alpaca_records(seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    records: list[dict] = []

    def add(rec, expect):
        records.append({"id": f"sft-{len(records):04d}", **rec, "expect": expect})

    for i in range(180):
        add(_alpaca_normal(rng, i), "kept")
    originals = list(records)
    good = _alpaca_normal(rng, 0)
    junk = [
        ({"instruction": "？！。。...", "input": "", "output": good["output"]}, "instruction_only_punctuation"),
        ({"instruction": "12345 678", "input": "", "output": good["output"]}, "instruction_only_digits"),
        ({"instruction": "   ", "input": "", "output": good["output"]}, "empty_instruction"),
        ({"instruction": good["instruction"], "input": good["input"], "output": "  "}, "empty_output"),
        ({"instruction": good["instruction"], "input": good["input"], "output": "<noinput>"}, "placeholder_output"),
        ({"instruction": good["instruction"], "input": good["input"], "output": "[图片]"}, "placeholder_output"),
        ({"instruction": good["input"], "input": good["input"], "output": good["output"]}, "input_repeats_instruction"),
        ({"instruction": good["input"], "input": "", "output": good["input"]}, "output_repeats_instruction"),
        ({"instruction": good["instruction"], "input": good["input"], "output": good["output"] + "加微信领取优惠券，点击链接立即购买！"}, "ad_spam"),
        ({"instruction": "Traduisez cette phrase.", "input": rng.choice(FR_SENTENCES), "output": rng.choice(FR_SENTENCES)}, "language"),
    ]
    for rec, reason in junk:
        add(rec, reason)
    for n, original in enumerate(rng.sample(originals, 20)):
        copy = {k: original[k] for k in ("instruction", "input", "output")}
        if n % 2:
            copy["output"] = " " + copy["output"] + "\n"
        add(copy, "exact_duplicate")
    rng.shuffle(records)
    return records


def sharegpt_records(seed: int = 13) -> list[dict]:
    rng = random.Random(seed)
    records: list[dict] = []

    def add(turns, expect):
        records.append({"id": f"chat-{len(records):04d}", "conversations": turns, "expect": expect})

    for i in range(90):
        first = _alpaca_normal(rng, i)
        follow = _alpaca_normal(rng, i)
        add([{"from": "human", "value": first["instruction"] + "\n" + first["input"]}, {"from": "gpt", "value": first["output"]},
             {"from": "human", "value": follow["instruction"] + "\n" + follow["input"]}, {"from": "gpt", "value": follow["output"]}], "kept")
    originals = list(records)
    add([{"from": "human", "value": "。。。？？"}, {"from": "gpt", "value": "请问您想问什么？"}], "instruction_only_punctuation")
    add([{"from": "human", "value": "请介绍一下这座城市。"}, {"from": "gpt", "value": " "}], "empty_turn")
    for original in rng.sample(originals, 8):
        add([dict(t) for t in original["conversations"]], "exact_duplicate")
    rng.shuffle(records)
    return records


BROKEN_SHAREGPT_LINES = [(b'{"id": "chat-broken", "conversations": [{"from": "human"}]}', "malformed_conversation")]


def _dump(records: list[dict]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


def write_sample(folder: str) -> dict[str, int]:
    """Write the sample files; returns {path: records (lines)}."""
    written = {}
    os.makedirs(os.path.join(folder, "web"), exist_ok=True)
    os.makedirs(os.path.join(folder, "alpaca"), exist_ok=True)
    os.makedirs(os.path.join(folder, "sharegpt"), exist_ok=True)
    for n, part in enumerate(web_records()):
        path = os.path.join(folder, "web", f"web-{n:02d}.jsonl.gz")
        with open(path, "wb") as f:
            f.write(gzip.compress(_dump(part), mtime=0))
        written[path] = len(part)
    broken = os.path.join(folder, "web", "web-02-broken.jsonl")
    with open(broken, "wb") as f:
        f.write(b"\n".join(line for line, _ in BROKEN_WEB_LINES) + b"\n")
    written[broken] = len(BROKEN_WEB_LINES)
    alpaca = os.path.join(folder, "alpaca", "alpaca-00.jsonl")
    with open(alpaca, "wb") as f:
        f.write(_dump(alpaca_records()))
    written[alpaca] = len(alpaca_records())
    chats = os.path.join(folder, "sharegpt", "sharegpt-00.jsonl")
    with open(chats, "wb") as f:
        f.write(_dump(sharegpt_records()) + b"\n".join(line for line, _ in BROKEN_SHAREGPT_LINES) + b"\n")
    written[chats] = len(sharegpt_records()) + len(BROKEN_SHAREGPT_LINES)
    return written
