"""A deterministic near-duplicate dev set: real documents with injected copies and hard negatives.

Base documents come from `bench.devtext` (Debian documentation, man pages, classical poems; the dev
split to tune, the heldout split to check). A fixed share of them are donors: never in the set
themselves, they supply inserted paragraphs, other bodies and boilerplate, so no injected text is
a hidden copy of a document in the set.

Copies (each in the gold cluster of its base; `kind` says how it was made):

    exact         a verbatim copy
    format        whitespace, punctuation, full-width and case variants (zh: also Traditional script)
    edit1, edit3  1% / 3% of the characters substituted, inserted or deleted
    para_delete   one paragraph (at most a fifth of the text) deleted
    para_insert   one donor paragraph (at most a fifth of the text) inserted
    para_swap     one paragraph swapped with its neighbour
    boilerplate   stock header/footer lines (5-15% of the text; at least one line) added
    truncate      cut to 80-90% of its length
    combo_swap    para_swap + edit3 + format
    combo_trunc   truncate + edit1 + boilerplate
    combo_insert  para_insert + para_delete + edit1

Hard negatives (each document its own gold cluster; none may be removed):

    template        pages whose shared template (header, navigation, footer) is 50-60% of the text,
                    with different bodies
    same_opening    the first 25-45% of a base, then a different body
    poem_lines      the distinct short lines of one poem (zh: fortunes-zh's classical poems; en, which has
                    no poems: the short prose lines of a text made mostly of them)
    manual_version  a base whose paragraphs holding 40-60% of its text are replaced by new ones, and
                    its numbers changed

    records = build("zh", "dev")   # [{"id", "text", "lang", "kind", "cluster", "base"}], sorted by id

Ids sort so that a base comes before its copies: with `keep: smallest_id` the base survives, and a
removal is right exactly when the removed record's gold cluster is its survivor's.
"""

from __future__ import annotations

import random
import re
import unicodedata
import zlib
from functools import lru_cache

COPY_KINDS = ("exact", "format", "edit1", "edit3", "para_delete", "para_insert", "para_swap", "boilerplate",
              "truncate", "combo_swap", "combo_trunc", "combo_insert")
NEGATIVE_KINDS = ("template", "same_opening", "poem_lines", "manual_version")

COPIES_PER_KIND = 60  # per language and split
TEMPLATE_SITES = 12  # each with TEMPLATE_PAGES pages
TEMPLATE_PAGES = 4
SAME_OPENING_PAIRS = 50
POEMS = 25
MANUAL_VERSIONS = 50
DONOR_SHARE = 0.2
MAX_BASES = 2500  # per language and split (the rest of the split is not used)

_ZH_HEADERS = ["本文转载自{site}，版权归原作者所有，如有侵权请联系删除。", "【{site}】首页 > 技术文档 > 系统管理 > 正文",
               "欢迎访问{site}！本站所有资料仅供学习交流使用。", "来源：{site}　编辑：小编　发布时间：2023年{m}月{d}日"]
_ZH_FOOTERS = ["本文链接：https://{site}/archives/{n}.html　转载请注明出处。", "关注我们的公众号，获取更多Linux运维教程和技术干货。",
               "上一篇：系统安装指南　下一篇：网络配置详解　相关文章推荐：软件包管理入门、内核升级注意事项",
               "© 2023 {site} 版权所有　京ICP备{n}号　联系我们　关于本站　网站地图"]
_EN_HEADERS = ["Originally published on {site}. Reposted with permission of the author.",
               "Home > Documentation > System administration > Article {n}",
               "Welcome to {site}, your source for tutorials and guides about free software.",
               "Posted by admin on {m}/{d}/2023 in Linux, Tutorials | {n} comments"]
_EN_FOOTERS = ["Source: https://{site}/posts/{n}. Please keep this link if you share the article.",
               "Subscribe to our newsletter for weekly tips on Debian, Ubuntu and other Linux systems.",
               "Previous post: Installing the system | Next post: Configuring the network | Related: Package management basics",
               "Copyright 2023 {site}. All rights reserved. Privacy policy | Terms of use | Contact us | Sitemap"]
_SITES = ["linuxdoc.example.com", "opsnotes.example.org", "kaiyuan.example.cn", "techwiki.example.net", "debian-fans.example.cn"]


def _seed(*parts: object) -> int:
    return zlib.crc32("/".join(map(str, parts)).encode())


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _join(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------- edits


@lru_cache(maxsize=1)
def _han_pool() -> str:

    common = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理"
    return common


def _random_char(rng: random.Random, lang: str) -> str:
    if lang == "zh":
        return rng.choice(_han_pool())
    return rng.choice("abcdefghijklmnopqrstuvwxyz")


def char_edits(text: str, rate: float, rng: random.Random, lang: str) -> str:
    """Substitute (60%), insert (20%) or delete (20%) rate x the text's non-space characters, at non-space positions."""
    chars = list(text)
    content = [i for i, c in enumerate(chars) if not c.isspace()]
    if not content:
        return text
    edits = min(len(content), max(1, round(rate * len(content))))
    for i in sorted(rng.sample(content, edits), reverse=True):  # from the end, so earlier positions stay put
        op = rng.random()
        if op < 0.6:
            chars[i] = _random_char(rng, lang)
        elif op < 0.8:
            chars.insert(i, _random_char(rng, lang))
        else:
            del chars[i]
    return "".join(chars)


_FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"}
_ZH_PUNCT_SWAP = str.maketrans({"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?",
                                ",": "，", ".": "。", ":": "：", "(": "（", ")": "）"})


def format_variant(text: str, rng: random.Random, lang: str) -> str:
    """Spacing, punctuation, width and case changes (and the Traditional script for Chinese)."""
    out = text
    choices = ["spaces", "punct", "width", "case"] + (["traditional"] if lang == "zh" else [])
    for change in rng.sample(choices, k=rng.randint(2, len(choices))):
        if change == "spaces":
            out = re.sub(r"[ \t]+", lambda m: rng.choice([" ", "  ", "\t", "\u3000"]), out)
            out = out.replace("\n\n", rng.choice(["\n\n\n", "\n \n", "\r\n\r\n"]))
        elif change == "punct":
            out = out.translate(_ZH_PUNCT_SWAP) if lang == "zh" else re.sub(r"[,;]", lambda m: rng.choice([",", ";", " -"]), out)
            out = re.sub(r"\.(\s)", lambda m: rng.choice(["!", ".", "..."]) + m.group(1), out)
        elif change == "width":
            out = "".join(_FULL_WIDTH.get(c, c) if rng.random() < 0.5 else c for c in out)
        elif change == "case":
            out = rng.choice([str.upper, str.lower, str.title])(out)
        elif change == "traditional":
            out = _s2t().convert(out)
    return out


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _fill(template: str, rng: random.Random) -> str:
    return template.format(site=rng.choice(_SITES), n=rng.randint(10000, 99999), m=rng.randint(1, 12), d=rng.randint(1, 28))


def boilerplate(text: str, rng: random.Random, lang: str) -> str:
    """Stock header and footer lines adding 5-15% to the text (at least one line, so more on very short texts)."""
    headers, footers = (_ZH_HEADERS, _ZH_FOOTERS) if lang == "zh" else (_EN_HEADERS, _EN_FOOTERS)
    target = rng.uniform(0.05, 0.15) * len(text)
    head: list[str] = []
    foot: list[str] = []
    while not head + foot or len("".join(head + foot)) < target:
        line = _fill(rng.choice(headers + footers), rng)
        if len("".join(head + foot)) + len(line) > 1.5 * target and head + foot:
            break
        (head if rng.random() < 0.5 else foot).append(line)
    return "\n".join(head + [""] + [text] + ([""] + foot if foot else [])).strip("\n")


def truncate(text: str, rng: random.Random) -> str:
    return text[: round(len(text) * rng.uniform(0.80, 0.90))]


def _small_paragraph(paragraphs: list[str], rng: random.Random, limit: float) -> int | None:
    total = sum(map(len, paragraphs))
    small = [i for i, p in enumerate(paragraphs) if len(p) <= limit * total and len(p) >= 20]
    return rng.choice(small) if small and len(paragraphs) >= 3 else None


def delete_paragraph(text: str, rng: random.Random) -> str | None:
    paragraphs = _paragraphs(text)
    i = _small_paragraph(paragraphs, rng, 0.2)
    if i is None:
        return None
    return _join(paragraphs[:i] + paragraphs[i + 1:])


def insert_paragraph(text: str, donor_paragraphs: list[str], rng: random.Random) -> str | None:
    paragraphs = _paragraphs(text)
    fitting = [p for p in donor_paragraphs if 40 <= len(p) <= 0.2 * len(text)]
    if len(paragraphs) < 2 or not fitting:
        return None
    i = rng.randrange(1, len(paragraphs))
    return _join(paragraphs[:i] + [rng.choice(fitting)] + paragraphs[i:])


def swap_paragraphs(text: str, rng: random.Random) -> str | None:
    """Swap a paragraph with its neighbour; both must be substantial (at least 8% of the text)."""
    paragraphs = _paragraphs(text)
    total = sum(map(len, paragraphs))
    options = [i for i in range(len(paragraphs) - 1)
               if min(len(paragraphs[i]), len(paragraphs[i + 1])) >= 0.08 * total and paragraphs[i] != paragraphs[i + 1]]
    if not options:
        return None
    i = rng.choice(options)
    paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    return _join(paragraphs)


def make_copy(kind: str, text: str, rng: random.Random, lang: str, donor_paragraphs: list[str]) -> str | None:
    """The copy of `text` of one kind, or None when the text does not allow it (too few paragraphs)."""
    if kind == "exact":
        return text
    if kind == "format":
        return format_variant(text, rng, lang)
    if kind == "edit1":
        return char_edits(text, 0.01, rng, lang)
    if kind == "edit3":
        return char_edits(text, 0.03, rng, lang)
    if kind == "para_delete":
        return delete_paragraph(text, rng)
    if kind == "para_insert":
        return insert_paragraph(text, donor_paragraphs, rng)
    if kind == "para_swap":
        return swap_paragraphs(text, rng)
    if kind == "boilerplate":
        return boilerplate(text, rng, lang)
    if kind == "truncate":
        return truncate(text, rng)
    if kind == "combo_swap":
        swapped = swap_paragraphs(text, rng)
        return None if swapped is None else format_variant(char_edits(swapped, 0.03, rng, lang), rng, lang)
    if kind == "combo_trunc":
        return boilerplate(char_edits(truncate(text, rng), 0.01, rng, lang), rng, lang)
    if kind == "combo_insert":
        inserted = insert_paragraph(text, donor_paragraphs, rng)
        deleted = None if inserted is None else delete_paragraph(inserted, rng)
        return None if deleted is None else char_edits(deleted, 0.01, rng, lang)
    raise ValueError(kind)


# ------------------------------------------------------------------------------------ hard negatives


def template_pages(site: int, bodies: list[str], rng: random.Random, lang: str) -> list[str]:
    """Pages of one site: a shared template (navigation, sidebar, footer) of 50-60% of each page."""
    headers, footers = (_ZH_HEADERS, _ZH_FOOTERS) if lang == "zh" else (_EN_HEADERS, _EN_FOOTERS)
    template_rng = random.Random(_seed("template", lang, site))
    body_len = sum(map(len, bodies)) / len(bodies)
    share = template_rng.uniform(0.5, 0.6)
    target = body_len * share / (1 - share)
    lines: list[str] = []
    while sum(map(len, lines)) < target:
        lines.append(_fill(template_rng.choice(headers + footers), template_rng))
    cut = len(lines) // 2
    return ["\n".join(lines[:cut]) + "\n\n" + body + "\n\n" + "\n".join(lines[cut:]) for body in bodies]


def same_opening(text: str, other_body: str, rng: random.Random) -> str:
    opening = text[: round(len(text) * rng.uniform(0.25, 0.45))]
    return opening + "\n\n" + other_body[: max(len(text) - len(opening), 200)]


def manual_version(text: str, donor_paragraphs: list[str], rng: random.Random) -> str | None:
    """A later version of a manual: paragraphs holding 40-60% of its characters rewritten, numbers changed."""
    paragraphs = _paragraphs(text)
    if len(paragraphs) < 3:
        return None
    total = sum(map(len, paragraphs))
    target = rng.uniform(0.4, 0.6) * total
    replaced = 0
    for i in rng.sample(range(len(paragraphs)), k=len(paragraphs)):
        if replaced >= target:
            break
        if replaced + len(paragraphs[i]) > 0.7 * total:
            continue
        replaced += len(paragraphs[i])
        paragraphs[i] = rng.choice(donor_paragraphs)
    if replaced < 0.4 * total:
        return None
    version = _join(paragraphs)
    return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)) if len(m.group()) < 9 else m.group(), version)


def poem_lines(text: str, lang: str = "zh") -> list[str]:
    """The distinct short lines of a text (4 to 40 content characters, mostly letters): a poem's verses.

    English has no poems in devtext: there a line is a sentence of 6 words or more (up to 90 content
    characters, no digits) of a prose paragraph.
    """
    seen: set[str] = set()
    lines = []
    pieces = re.split(r"[\n，。！？；]", text) if lang == "zh" else re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    for line in pieces:
        line = line.strip()
        key = re.sub(r"\W", "", unicodedata.normalize("NFKC", line).lower())
        letters = sum(ch.isalpha() for ch in key)
        if (4 <= len(key) <= (40 if lang == "zh" else 90) and letters >= 0.8 * len(key) and key not in seen
                and not any(mark in line for mark in ("《", "作者", "题目"))
                and (lang == "zh" or (len(line.split()) >= 6 and not any(ch.isdigit() for ch in line)))):
            seen.add(key)
            lines.append(line)
    return lines


def distinct_lines(lines: list[str], max_ratio: float = 0.8) -> list[int]:
    """Indices of lines that are no near-copy (LCS ratio of matching forms >= max_ratio) of an earlier kept line.

    Template sentences ("New in version 3.2." / "New in version 3.5.") are near-copies by any measure;
    the gold could not call them different lines, so they are left out of the negatives.
    """
    import numpy as np
    import pyarrow as pa

    from filters.near_text import matching_form
    from filters.tiling import lcs_ratio

    matching = matching_form(pa.array(lines, pa.string()))
    kept: list[int] = []
    for i in range(len(lines)):
        if kept:
            ratios = lcs_ratio(matching.take(pa.array(kept)), matching.take(pa.array([i] * len(kept))))
            if np.any(ratios >= max_ratio):
                continue
        kept.append(i)
    return kept


def _is_poem(text: str, lang: str) -> bool:
    """zh: mostly verse lines of 4-16 Han characters; en: at least 8 short prose sentences."""
    if lang != "zh":
        return len(poem_lines(text, lang)) >= 8
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    verse = [line for line in lines if re.fullmatch(r"[\u4e00-\u9fff，。！？；、]{4,16}", line)]
    return len(lines) >= 6 and len(verse) >= 0.6 * len(lines)


# ------------------------------------------------------------------------------------------ the set

POOL_MIN_JACCARD = 0.1  # pool cleaning: pairs at least this similar by MinHash estimate are checked ...
POOL_MAX_SIMILARITY = 0.5  # ... and one of them goes when their tiling similarity reaches this


def distinct_documents(texts: list[str]) -> list[int]:
    """Indices of texts to keep so that no two kept texts are near-copies of each other.

    Real corpora hold near-duplicates already (Debian's handbook ships untranslated English chapters
    in its Chinese editions; man pages of sibling functions are near-copies), and the gold of the dev
    set can only call base documents distinct when they are. Every pair is compared (exhaustively,
    by MinHash-estimated Jaccard of character 5-grams; no banding), pairs at least POOL_MIN_JACCARD
    alike are scored by greedy string tiling (tiles of 8) or, for short texts, the LCS ratio, and of
    every group linked by a similarity of POOL_MAX_SIMILARITY or more only the first text is kept.
    """
    import numpy as np
    import pyarrow as pa

    from filters.candidates import minhash_signatures
    from filters.clusters import connected_components
    from filters.near_text import matching_form
    from filters.tiling import verify_pairs

    matching = matching_form(pa.array(texts, pa.string()))
    signatures, _ = minhash_signatures(matching, num_perm=112, ngram=5)
    left, right = [], []
    for i in range(len(texts) - 1):
        estimate = (signatures[i + 1:] == signatures[i]).mean(axis=1)
        close = np.flatnonzero(estimate >= POOL_MIN_JACCARD) + i + 1
        left.extend([i] * len(close))
        right.extend(close.tolist())
    left_a, right_a = np.array(left, dtype=np.int64), np.array(right, dtype=np.int64)
    if len(left_a):
        similarity = verify_pairs(matching.take(pa.array(left_a)), matching.take(pa.array(right_a)), min_tile=8)
        linked = similarity >= POOL_MAX_SIMILARITY
        left_a, right_a = left_a[linked], right_a[linked]
    labels = connected_components(len(texts), left_a, right_a)
    return [i for i in range(len(texts)) if labels[i] == i]



def base_documents(lang: str, split: str) -> tuple[list[dict], bool]:
    """(documents, real): devtext's documents, or generated stand-ins (real False) while it is missing."""
    try:
        from bench import devtext

        return devtext.load(lang, split), True
    except (FileNotFoundError, ImportError):
        return _generated_documents(lang, split), False


def _generated_documents(lang: str, split: str, count: int = 1500) -> list[dict]:
    rng = random.Random(_seed("generated", lang, split))
    if lang == "zh":
        vocab = ["".join(rng.choice(_han_pool()) for _ in range(rng.randint(1, 3))) for _ in range(4000)]
    else:
        vocab = ["".join(rng.choice("etaoinshrdlucmfwypvbgkjqxz"[: rng.randint(8, 26)]) for _ in range(rng.randint(2, 9)))
                 for _ in range(4000)]
    weights = [1 / (r + 1) for r in range(len(vocab))]
    sep = "" if lang == "zh" else " "
    end = "。" if lang == "zh" else "."
    docs = []
    for i in range(count):
        paragraphs = []
        for _ in range(rng.randint(2, 8)):
            sentences = [sep.join(rng.choices(vocab, weights, k=rng.randint(5, 18))) + end for _ in range(rng.randint(1, 5))]
            paragraphs.append(sep.join(sentences))
        docs.append({"id": f"gen-{lang}-{split}-{i:05d}", "text": _join(paragraphs), "lang": lang, "source": "generated"})
    return docs


def build(lang: str, split: str, copies_per_kind: int = COPIES_PER_KIND) -> list[dict]:
    """The dev set of one language and split (see the module docstring), sorted by id."""
    documents, _ = base_documents(lang, split)
    documents = [documents[i] for i in distinct_documents([d["text"] for d in documents])]
    rng = random.Random(_seed("near-devset", lang, split))
    order = sorted(range(len(documents)), key=lambda i: (_seed("role", documents[i]["id"]), documents[i]["id"]))
    # poems for poem_lines (zh: fortunes-zh's short-lined pieces; en: short-lined manual text) are donors
    lined = [i for i in order if _is_poem(documents[i]["text"], lang)][:POEMS]
    rest = [i for i in order if i not in set(lined)]
    donors_n = round(DONOR_SHARE * len(rest))
    donors = [documents[i] for i in rest[:donors_n]]
    bases = [documents[i] for i in rest[donors_n:donors_n + MAX_BASES]]
    donor_paragraphs = [p for d in donors for p in _paragraphs(d["text"]) if len(p) >= 40]
    body_pool = [d["text"] for d in donors if len(d["text"]) >= 400]
    rng.shuffle(body_pool)
    prefix = f"{lang}-{split}"
    records: list[dict] = []
    for b, base in enumerate(bases):
        records.append({"id": f"{prefix}-b{b:05d}", "text": base["text"], "lang": lang, "kind": "base",
                        "cluster": f"{prefix}-b{b:05d}", "base": base["id"]})
    # copies: every kind draws its own bases (a base may get copies of several kinds)
    for kind in COPY_KINDS:
        picks = sorted(range(len(bases)), key=lambda b: _seed("pick", kind, lang, split, b))
        made = 0
        for b in picks:
            if made == copies_per_kind:
                break
            copy = make_copy(kind, bases[b]["text"], random.Random(_seed(kind, lang, split, b)), lang, donor_paragraphs)
            if copy is None:
                continue
            records.append({"id": f"{prefix}-b{b:05d}-{kind}", "text": copy, "lang": lang, "kind": kind,
                            "cluster": f"{prefix}-b{b:05d}", "base": bases[b]["id"]})
            made += 1
    negatives: list[tuple[str, str]] = []
    # template sites: bodies from donors, never bases
    for site in range(TEMPLATE_SITES):
        bodies = body_pool[site * TEMPLATE_PAGES:(site + 1) * TEMPLATE_PAGES]
        size = min(2000, *map(len, bodies)) if bodies else 0
        bodies = [t[:size] for t in bodies]  # equal lengths, so the template is the same share of every page
        if len(bodies) == TEMPLATE_PAGES:
            negatives.extend(("template", page) for page in template_pages(site, bodies, rng, lang))
    used = TEMPLATE_SITES * TEMPLATE_PAGES
    # same opening: the opening of a base (which stays in the set), then a donor body
    picks = sorted(range(len(bases)), key=lambda b: _seed("pick", "same_opening", lang, split, b))
    for k, b in enumerate(picks[:SAME_OPENING_PAIRS]):
        body = body_pool[(used + k) % len(body_pool)]
        negatives.append(("same_opening", same_opening(bases[b]["text"], body, random.Random(_seed("open", lang, b)))))
    # versions of a manual with real changes
    picks = sorted(range(len(bases)), key=lambda b: _seed("pick", "manual_version", lang, split, b))
    made = 0
    for b in picks:
        if made == MANUAL_VERSIONS:
            break
        version = manual_version(bases[b]["text"], donor_paragraphs, random.Random(_seed("version", lang, b)))
        if version is not None:
            negatives.append(("manual_version", version))
            made += 1
    lines = [line for i in lined for line in poem_lines(documents[i]["text"], lang)[:12]]
    negatives.extend(("poem_lines", lines[i]) for i in distinct_lines(lines))
    for n, (kind, text) in enumerate(negatives):
        records.append({"id": f"{prefix}-n{n:05d}-{kind}", "text": text, "lang": lang, "kind": kind,
                        "cluster": f"{prefix}-n{n:05d}", "base": ""})
    records.sort(key=lambda r: r["id"])
    return records


def summary(records: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in records:
        counts[r["kind"]] = counts.get(r["kind"], 0) + 1
    return counts
