"""Main-text extractors measured against each other: speed, body text recovered, boilerplate leaked.

    python -m bench.html_extract                 # 300 pages, every extractor
    python -m bench.html_extract --pages 60 --json figures.json

Pages are generated around real article bodies (bench.devtext's Chinese and English documentation,
or the sample generator's documents where `make devtext` has not been run) in three layouts seen on
the web: a semantic HTML5 article page, a Chinese portal of nested divs, and an old table layout. Around
the body each carries a navigation bar, breadcrumb, byline, share bar, tags, a "popular posts" sidebar
listing other articles' titles, an advertisement, a comment section, previous/next links, a newsletter
box, a footer with copyright and ICP lines, and a cookie banner, in the page's language.

- recall: the share of the body's sentences (12+ non-space characters) found in the extracted text;
- leaked: the share of boilerplate items (4+ CJK or 8+ other characters, absent from the body) found in it;
- empty: pages where the extractor found no text (those would be `no_main_text` rejects);
- left after line cleaning: the share still there after the rules stage removes boilerplate lines
  (filters/boilerplate.py, default patterns), i.e. what a run would keep;
- pages/s: decoding, parsing and extraction as the reader runs them, per CPU second of one core.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import time
from dataclasses import dataclass

SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?|[^.\n]+\.?")
SPACE = re.compile(r"\s+")
CJK = re.compile(r"[\u3400-\u9fff]")
MIN_SENTENCE_CHARS = 12
LAYOUTS = ("article", "portal", "table")

BOILERPLATE = {
    "en": {
        "nav": ["Home", "World News", "Technology", "Business", "Culture & Arts", "Opinion", "Subscribe"],
        "breadcrumb": "You are here: Home > Technology > Article",
        "byline": "By Jane Smith | Published March 1, 2024 | 5 min read",
        "share": "Share this article: Facebook Twitter LinkedIn Email",
        "tags": "Tags: community, local history, engineering",
        "popular": "Most popular this week",
        "ad": "Advertisement: get 50% off your first order with code SPRING24",
        "comments_head": "3 Comments",
        "comments": ["Great article, thanks for sharing this with us!",
                     "I disagree with the second point, but well written overall.",
                     "Does anyone know where I can find the original source for this?",
                     "Bookmarked. Looking forward to the next part of the series."],
        "commenter": "reader_{n} said:",
        "previous": "Previous article: ", "next": "Next article: ",
        "newsletter": "Sign up for our newsletter to get the latest stories in your inbox.",
        "footer": ["© 2024 The Daily Example. All rights reserved.", "About us", "Privacy policy", "Terms of use", "Contact"],
        "cookies": "We use cookies to improve your experience on our site. By continuing to browse, you agree to our use of cookies.",
        "accept": "Accept all cookies",
    },
    "zh": {
        "nav": ["首页", "新闻中心", "科技频道", "财经", "文化艺术", "评论", "联系我们"],
        "breadcrumb": "当前位置：首页 > 新闻中心 > 正文",
        "byline": "来源：本站原创  作者：王小明  发布时间：2024-03-01  浏览次数：1234",
        "share": "分享到：微信 微博 QQ空间 复制链接",
        "tags": "标签：社区 历史 工程",
        "popular": "本周热门排行",
        "ad": "广告：新用户首单立减50元，点击立即领取优惠券",
        "comments_head": "网友评论（3）",
        "comments": ["写得很好，学到了很多，感谢作者分享！", "第二点我不太同意，不过整体写得不错。",
                     "请问有没有原文的出处链接？", "已收藏，期待下一篇文章。"],
        "commenter": "网友{n}说：",
        "previous": "上一篇：", "next": "下一篇：",
        "newsletter": "订阅我们的邮件，第一时间获取最新资讯。",
        "footer": ["Copyright © 2005-2024 示例新闻网 版权所有", "京ICP备12345678号-1 京公网安备11010502030001号",
                   "关于我们", "联系方式", "网站地图", "免责声明"],
        "cookies": "本网站使用Cookie以提升您的浏览体验，继续浏览即表示您同意我们使用Cookie。",
        "accept": "接受全部Cookie",
    },
}


# Real pages carry most of their bytes outside the text (a Common Crawl HTML page is ~60 kB): a stylesheet,
# tracking and framework scripts and a menu of hidden links, which every extractor must parse and skip.
STYLE = "".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i * 2654435761 % 0xFFFFFF:06x}}}" for i in range(400))
SCRIPT = ("window.__STATE__=" + json.dumps({"items": [{"id": i, "slug": f"post-{i}", "score": i * 37 % 101} for i in range(500)]})
          + ";function track(e){(window.dataLayer=window.dataLayer||[]).push(e)}")
MEGA_MENU = '<li class="mega" style="display:none">' + "".join(
    f'<a href="/c/{i}">category {i}</a>' for i in range(120)) + "</li>"


@dataclass(frozen=True)
class GeneratedPage:
    lang: str
    layout: str
    html: bytes
    sentences: list[str]  # of the body, whitespace removed
    boilerplate: list[str]  # items around it, whitespace removed


def _squeeze(text: str) -> str:
    return SPACE.sub("", text)


def _long_enough(item: str) -> bool:
    return len(item) >= (4 if CJK.search(item) else 8)


def body_html(text: str) -> str:
    """The body as a page would mark it up: short unpunctuated paragraphs as headings, indented ones as pre."""
    out = []
    for paragraph in (p for p in text.split("\n\n") if p.strip()):
        lines = paragraph.split("\n")
        if len(lines) > 1 and all(line.startswith((" ", "\t")) for line in lines):
            out.append(f"<pre>{html.escape(paragraph)}</pre>")
        elif len(paragraph) < 50 and not paragraph.rstrip().endswith(("。", ".", "：", ":", "！", "？", "!", "?")):
            out.append(f"<h2>{html.escape(paragraph.strip())}</h2>")
        else:
            out.append(f"<p>{'<br>'.join(html.escape(line) for line in lines)}</p>")
    return "\n".join(out)


def _title(text: str) -> str:
    return text.strip().split("\n", 1)[0][:40]


def _page(rng: random.Random, lang: str, layout: str, body: str, others: list[str], n: int) -> tuple[str, list[str]]:
    """(HTML, boilerplate items) of one page."""
    b = BOILERPLATE[lang]
    previous, following, *rest = rng.sample(others, 7)
    previous, following, related = _title(previous), _title(following), [_title(o) for o in rest]
    comments = rng.sample(b["comments"], 3)
    e = html.escape
    nav_links = "".join(f'<li><a href="/{i}">{e(item)}</a></li>' for i, item in enumerate(b["nav"])) + MEGA_MENU
    popular = "".join(f'<li><a href="/p/{i}">{e(t)}</a></li>' for i, t in enumerate(related))
    comment_html = "".join(f'<div class="comment"><span class="author">{e(b["commenter"].format(n=100 + i))}</span>'
                           f'<p>{e(c)}</p></div>' for i, c in enumerate(comments))
    footer_links = " | ".join(f'<a href="/f/{i}">{e(t)}</a>' for i, t in enumerate(b["footer"][1:]))
    head = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(_title(body))} - Example</title>'
            f'<link rel="canonical" href="https://news.example.com/{lang}/{n}.html">'
            f'<style>{STYLE}</style><script>{SCRIPT}</script></head>')
    cookie = f'<div id="cookie-banner" class="cookie"><p>{e(b["cookies"])}</p><button>{e(b["accept"])}</button></div>'
    if layout == "article":
        page = (f'{head}<body><header class="site-header"><div class="logo">Example</div><nav class="main-nav"><ul>{nav_links}'
                f'</ul></nav></header><div class="breadcrumb">{e(b["breadcrumb"])}</div><main><article>'
                f'<h1>{e(_title(body))}</h1><div class="byline">{e(b["byline"])}</div>{body_html(body)}'
                f'<div class="share">{e(b["share"])}</div><div class="tags">{e(b["tags"])}</div></article>'
                f'<nav class="post-nav"><a href="/prev">{e(b["previous"] + previous)}</a> <a href="/next">{e(b["next"] + following)}</a></nav>'
                f'<section class="comments"><h3>{e(b["comments_head"])}</h3>{comment_html}</section></main>'
                f'<aside class="sidebar"><h3>{e(b["popular"])}</h3><ul>{popular}</ul><div class="ad">{e(b["ad"])}</div>'
                f'<div class="newsletter"><p>{e(b["newsletter"])}</p><input type="email"></div></aside>'
                f'<footer><p>{e(b["footer"][0])}</p><p>{footer_links}</p></footer>{cookie}</body></html>')
    elif layout == "portal":
        menu = "".join(f'<a href="/{i}">{e(item)}</a>' for i, item in enumerate(b["nav"]))
        page = (f'{head}<body><div id="top"><div class="menu">{menu}</div></div><div class="wrap"><div class="left">'
                f'<div class="position">{e(b["breadcrumb"])}</div><div class="title"><h1>{e(_title(body))}</h1></div>'
                f'<div class="info">{e(b["byline"])}</div><div class="content" id="content">{body_html(body)}</div>'
                f'<div class="bdshare">{e(b["share"])}</div>'
                f'<div class="pages">{e(b["previous"] + previous)}<br>{e(b["next"] + following)}</div>'
                f'<div class="pinglun"><h3>{e(b["comments_head"])}</h3>{comment_html}</div></div>'
                f'<div class="right"><div class="hot"><h3>{e(b["popular"])}</h3><ol>{popular}</ol></div>'
                f'<div class="guanggao">{e(b["ad"])}</div><div class="dingyue">{e(b["newsletter"])}</div></div></div>'
                f'<div id="footer">{footer_links}<br>{e(b["footer"][0])}</div>{cookie}</body></html>')
    else:
        side = "<br>".join(f'<a href="/{i}">{e(item)}</a>' for i, item in enumerate(b["nav"]))
        page = (f'{head}<body><table width="960" border="0"><tr><td colspan="2" class="banner">{e(b["breadcrumb"])}</td></tr>'
                f'<tr><td width="180" valign="top">{side}<br><b>{e(b["popular"])}</b><ul>{popular}</ul>'
                f'<font color="red">{e(b["ad"])}</font></td>'
                f'<td valign="top" class="text"><h1>{e(_title(body))}</h1><font size="2">{e(b["byline"])}</font>'
                f'{body_html(body)}<p>{e(b["share"])}</p><p>{e(b["previous"] + previous)}<br>{e(b["next"] + following)}</p>'
                f'<table class="comments"><tr><td>{e(b["comments_head"])}</td></tr>'
                + "".join(f'<tr><td>{e(b["commenter"].format(n=100 + i))} {e(c)}</td></tr>' for i, c in enumerate(comments))
                + f'</table></td></tr><tr><td colspan="2" align="center">{footer_links}<br>{e(b["footer"][0])}'
                f'<br>{e(b["newsletter"])}</td></tr></table>{cookie}</body></html>')
    items = [*b["nav"], b["breadcrumb"], b["byline"], b["share"], b["tags"], b["popular"], b["ad"], b["comments_head"],
             *comments, b["previous"] + previous, b["next"] + following, b["newsletter"], *b["footer"], b["cookies"],
             b["accept"], *related]
    return page, items


def bodies(pages: int) -> list[tuple[str, str]]:
    """(language, body) pairs, half Chinese and half English: devtext's dev split, else the sample generator."""
    try:
        from bench import devtext

        docs = {lang: [d["text"] for d in devtext.load(lang, "dev") if len(d["text"]) >= 400] for lang in ("zh", "en")}
    except FileNotFoundError:
        from pipelines.sample import en_document, zh_document

        rng = random.Random(5)
        docs = {"zh": [zh_document(rng, 5) for _ in range(pages)], "en": [en_document(rng, 5) for _ in range(pages)]}
    half = pages // 2
    return [("zh", t) for t in docs["zh"][:half]] + [("en", t) for t in docs["en"][:pages - half]]


def generated_pages(pages: int, seed: int = 3) -> list[GeneratedPage]:
    rng = random.Random(seed)
    pairs = bodies(pages)
    out = []
    for n, (lang, body) in enumerate(pairs):
        others = [t for other_lang, t in pairs if other_lang == lang and t is not body]
        layout = LAYOUTS[n % len(LAYOUTS)]
        page, items = _page(rng, lang, layout, body, others, n)
        squeezed_body = _squeeze(body)
        sentences = [s for s in (_squeeze(m) for m in SENTENCE.findall(body)) if len(s) >= MIN_SENTENCE_CHARS]
        boilerplate = [s for s in dict.fromkeys(_squeeze(i) for i in items) if _long_enough(s) and s not in squeezed_body]
        out.append(GeneratedPage(lang, layout, page.encode("utf-8"), sentences, boilerplate))
    return out


def extractors() -> dict:
    """name → function(page bytes) → main text: the two `ingest.html_extractor` choices as the reader runs
    them, and trafilatura with its readability/justext fallbacks (its default, which winnow does not use)."""
    import trafilatura

    from transforms.html_text import decode_html, page_text

    return {
        "resiliparse": lambda body: page_text(body, "utf-8", "resiliparse").text,
        "trafilatura (fast)": lambda body: page_text(body, "utf-8", "trafilatura").text,
        "trafilatura (with fallbacks)": lambda body: trafilatura.extract(
            decode_html(body, "utf-8"), include_comments=False, include_tables=True) or "",
    }


def after_line_cleaning(texts: list[str]) -> list[str]:
    """The texts after the rules stage removes boilerplate lines (default patterns), as a run would keep them."""
    import pyarrow as pa

    from filters.boilerplate import remove_lines
    from pipelines.config import WinnowConfig

    rules = WinnowConfig().rules.boilerplate
    return remove_lines(pa.array(texts, pa.string()), rules.patterns, rules.max_line_chars, rules.keywords).texts.to_pylist()


def measure(extract, pages: list[GeneratedPage]) -> dict:
    for page in pages[:5]:
        extract(page.html)  # warm-up: first calls load modules and build caches
    groups: dict[str, dict[str, int]] = {}
    start = time.process_time()  # CPU time: the build machine is shared, and extraction is single-threaded
    texts = [extract(page.html) for page in pages]
    seconds = time.process_time() - start
    for page, text, cleaned in zip(pages, texts, after_line_cleaning(texts)):
        squeezed, squeezed_cleaned = _squeeze(text), _squeeze(cleaned)
        counts = {"sentences": len(page.sentences), "recovered": sum(s in squeezed for s in page.sentences),
                  "boilerplate": len(page.boilerplate), "leaked": sum(s in squeezed for s in page.boilerplate),
                  "left": sum(s in squeezed_cleaned for s in page.boilerplate), "empty": int(not squeezed)}
        for key in ("all", page.lang, page.layout):
            g = groups.setdefault(key, dict.fromkeys(counts, 0))
            for name, count in counts.items():
                g[name] += count
    return {
        "pages_per_second": round(len(pages) / seconds, 1),
        "mb_per_second": round(sum(len(p.html) for p in pages) / seconds / 1e6, 2),
        **{key: {"recall": round(g["recovered"] / g["sentences"], 4), "leaked": round(g["leaked"] / g["boilerplate"], 4),
                 "left_after_rules": round(g["left"] / g["boilerplate"], 4), "empty": g["empty"]} for key, g in groups.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300, help="pages to generate, half Chinese, half English")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    pages = generated_pages(args.pages)
    size = sum(len(p.html) for p in pages) / len(pages) / 1000
    print(f"{len(pages)} pages ({size:.1f} kB each on average), layouts {', '.join(LAYOUTS)}")
    figures = {name: measure(extract, pages) for name, extract in extractors().items()}
    print("| extractor | pages per CPU s | body recall | boilerplate leaked | left after line cleaning | empty pages |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, f in figures.items():
        a = f["all"]
        print(f"| {name} | {f['pages_per_second']:,.0f} | {a['recall']:.1%} | {a['leaked']:.1%} | "
              f"{a['left_after_rules']:.1%} | {a['empty']} |")
    print("\nby language and layout (recall / leaked / left after line cleaning):")
    for name, f in figures.items():
        print(f"  {name}: " + "  ".join(f"{key} {f[key]['recall']:.1%} / {f[key]['leaked']:.1%} / {f[key]['left_after_rules']:.1%}"
                                        for key in ("zh", "en", *LAYOUTS)))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
