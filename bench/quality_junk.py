"""Junk of every kind the rules must catch or repair, generated deterministically, web and SFT, zh and en.

Every record says what should become of it:
  expect = a reject reason          the rules must reject it with that reason
  expect = "repaired"               it must be kept, with `must_be_gone` strings absent from the kept
                                    text and, when given, the kept text equal to `repaired_text`
  expect = "kept"                   a hard clean case (a prose mention of cookies, a disclaimer before a
                                    real answer, a help page that repeats "Click here to ...", a page of
                                    "-X name" options, a table of numbers or one drawn with box characters,
                                    sources.list lines of one mirror): kept, `must_stay` strings still in the text

Junk built around a clean document takes that document from the caller (bench.devtext, the same split),
so dev and heldout junk never share a base text. Every other word here is written for this file.
"""

from __future__ import annotations

import random
import re
import string

WEB, SFT = "web", "sft"

# --- boilerplate ---------------------------------------------------------------------------------------------

ZH_SITES = ["星河资讯网", "城市生活网", "科技前沿", "云端学堂", "大众健康网", "旅行日志", "财经快讯", "东方书院", "创客空间", "乐活家居"]
ZH_SECTIONS = ["新闻中心", "行业动态", "科技", "财经", "教育", "健康", "旅游", "生活", "专题", "国际", "体育", "文化"]
EN_SITES = ["Northwind Daily", "Bluebird Journal", "The Maple Times", "Greenfield Review", "Harbor Tech", "Oakridge Notes",
            "Silver Lake Post", "Riverbank Weekly", "Summit Digest", "Pinecone Media"]
EN_SECTIONS = ["News", "Technology", "Business", "Science", "Health", "Travel", "Culture", "Opinion", "Sports", "World"]
ZH_HEADLINES = ["新一代储能电池进入量产阶段", "多地推出夜间经济扶持政策", "高校科研团队发布开源数据集", "春季出游热度持续上升",
                "社区养老服务试点扩大范围", "城市绿道网络年内基本成形", "中小企业数字化转型提速", "新能源汽车下乡活动启动"]
EN_HEADLINES = ["City council approves new cycling lanes", "Local library extends weekend hours", "Researchers map coastal erosion",
                "Small farms turn to shared machinery", "Museum reopens its renovated east wing", "Rail line upgrade finishes early",
                "Volunteers restore the old mill garden", "School board reviews the lunch program"]


def _zh_boilerplate_lines(rng: random.Random) -> list[str]:
    site, year = rng.choice(ZH_SITES), rng.randint(2008, 2024)
    a, b = rng.sample(ZH_SECTIONS, 2)
    h1, h2 = rng.sample(ZH_HEADLINES, 2)
    return [
        rng.choice(["当前位置：首页 > {a} > 正文", "您的位置：首页 > {a} > {b}", "首页 > {a} > {b} > 正文", "您现在的位置: 首页 >> {a}"]
                   ).format(a=a, b=b),
        rng.choice(["登录 | 注册", "登录 | 免费注册 | 找回密码", "注册 / 登录", "个人中心 | 退出"]),
        rng.choice(["关于我们 | 联系我们 | 网站地图 | 广告服务", "首页 | 关于我们 | 隐私政策 | 友情链接", "联系我们 · 帮助中心 · 意见反馈 · 加入我们"]),
        rng.choice([f"版权所有 © {year} {site}", f"Copyright © {year}-{year + 5} {site} 版权所有", f"{site} 版权所有 未经授权禁止复制"]),
        rng.choice([f"京ICP备{rng.randint(10000000, 99999999)}号", f"沪ICP备{rng.randint(10000000, 99999999)}号-1 公网安备{rng.randint(10**10, 10**11)}号"]),
        rng.choice(["返回顶部", "回到顶部", "↑ 返回顶部"]),
        rng.choice([f"上一篇：{h1}", f"下一篇：{h2}", f"上一篇：{h1}  下一篇：{h2}"]),
        rng.choice(["分享到：微信 微博 QQ空间", "分享到: 朋友圈 | 微博 | 豆瓣", "分享至 微信 QQ 微博"]),
        rng.choice(["免责声明：本文仅代表作者个人观点，与本站无关，内容仅供参考。", "声明：本站部分内容来源于网络，如有侵权请联系删除。",
                    "转载请注明出处，未经许可不得转载。"]),
        rng.choice(["相关文章", "热门推荐", "猜你喜欢", "阅读全文"]),
        rng.choice([f"标签：{a} {b} 资讯", f"责任编辑：{rng.choice(['王明', '李华', '张伟', '刘洋'])}", "发表评论", "我要评论 (12)"]),
    ]


def _en_boilerplate_lines(rng: random.Random) -> list[str]:
    site, year = rng.choice(EN_SITES), rng.randint(2008, 2024)
    a, b = rng.sample(EN_SECTIONS, 2)
    h1, h2 = rng.sample(EN_HEADLINES, 2)
    return [
        rng.choice(["Skip to content", "Skip to main content", "Jump to navigation"]),
        rng.choice(["Sign in | Register", "Log in / Sign up", "My account | Log out", "Sign in | Create an account"]),
        rng.choice([f"Home > {a} > {b}", f"Home » {a} » {b}", f"Home / {a}"]),
        rng.choice(["About us | Contact us | Privacy policy | Terms of use", "Home | About | Careers | Advertise | Sitemap",
                    "Help · Privacy · Terms · Accessibility"]),
        rng.choice([f"© {year} {site}. All rights reserved.", f"Copyright {year} {site} Inc. All rights reserved.",
                    f"Copyright © {year}-{year + 3} {site}"]),
        rng.choice(["We use cookies to improve your experience on our site. By continuing to browse, you agree to our use of cookies.",
                    "This website uses cookies to personalise content and analyse traffic. Accept all | Manage cookies",
                    "Accept all cookies", "Cookie settings"]),
        rng.choice(["Back to top", "Back to top ↑", "Scroll to top"]),
        rng.choice([f"« Previous post: {h1}", f"Next article: {h2}", f"Previous article: {h1}"]),
        rng.choice(["Share on Facebook Twitter LinkedIn", "Share this: Facebook | Twitter | Email | Print", "Tweet Pin it Email"]),
        rng.choice(["Disclaimer: The views expressed here are those of the author alone.", "Related posts", "Read more",
                    "You may also like", "Leave a comment", "Tags: " + ", ".join(rng.sample(EN_SECTIONS, 3)).lower()]),
    ]


def _sentences(text: str, lang: str) -> list[str]:
    parts = re.findall(r"[^。！？\n]+[。！？]", text) if lang == "zh" else re.findall(r"[A-Z][^.!?\n]{20,200}[.!?]", text)
    return [p.strip() for p in parts if p.strip()]


def boilerplate_page(rng: random.Random, lang: str, base: str) -> dict:
    """Navigation and legal lines around one or two short sentences: nothing worth keeping."""
    lines = (_zh_boilerplate_lines if lang == "zh" else _en_boilerplate_lines)(rng)
    body = _sentences(base, lang)[:1] or [base[:40]]
    body = [b[:40] if lang == "zh" else " ".join(b.split()[:25]) for b in body]
    picked = rng.sample(lines, rng.randint(6, len(lines)))
    text = "\n".join(picked[:3] + body + picked[3:])
    return {"text": text, "expect": "boilerplate"}


def boilerplate_lines(rng: random.Random, lang: str, base: str) -> dict:
    """A real document framed by boilerplate lines: the lines go, the document stays."""
    lines = (_zh_boilerplate_lines if lang == "zh" else _en_boilerplate_lines)(rng)
    picked = rng.sample(lines, rng.randint(3, 6))
    cut = rng.randint(1, len(picked) - 1)
    text = "\n".join(picked[:cut]) + "\n\n" + base + "\n\n" + "\n".join(picked[cut:])
    return {"text": text, "expect": "repaired", "must_be_gone": picked, "must_stay": _probe_lines(base)}


def _probe_lines(base: str) -> list[str]:
    """A few long lines of the base document that line cleaning must leave in place."""
    lines = [line.strip() for line in base.split("\n") if len(line.strip()) > 40]
    return lines[:2] + lines[-1:]


ZH_MENTIONS = ["浏览器会把网站写入的cookie保存在本地，下次访问同一个网站时再把它发回服务器，所以登录状态能够保持。",
               "按照著作权法的规定，作品完成后作者即享有著作权，书上印的“版权所有”只是一种提醒，并不是产生权利的条件。",
               "上一篇文章里我们讨论了进程的调度，这一次换个角度，看看内存是怎样分页管理的。"]
EN_MENTIONS = ["A browser stores the cookies a site sets and sends them back on the next request, which is how a login survives a reload.",
               "The phrase all rights reserved once had a legal meaning under the Buenos Aires Convention, but today it adds nothing.",
               "We use cookies in this example only to show how the server can remember a choice between two requests."]


def prose_mentions(rng: random.Random, lang: str, base: str) -> dict:
    """A clean document with a prose sentence that mentions cookies or copyright: nothing may be removed."""
    mention = rng.choice(ZH_MENTIONS if lang == "zh" else EN_MENTIONS)
    paragraphs = base.split("\n\n")
    at = rng.randint(0, len(paragraphs))
    text = "\n\n".join(paragraphs[:at] + [mention] + paragraphs[at:])
    return {"text": text, "expect": "kept", "must_stay": [mention]}


# --- shapes of clean documentation that look like junk to a careless rule ----------------------------------

ZH_UI = [("应用", "把对话框中显示的属性应用到所选对象"), ("更新", "在对话框中查看所选对象的全部属性"), ("重置", "恢复此选项卡的默认设置"),
         ("预览", "在关闭对话框之前查看效果"), ("浏览", "选择要插入的文件")]
EN_UI = [("Apply", "apply the properties shown in the dialog to the selected object"),
         ("Update", "view in the dialog all the properties of the selected object"), ("Reset", "restore the default settings of this tab"),
         ("Preview", "see the effect before you close the dialog"), ("Browse", "choose the file to insert")]


def ui_instructions(rng: random.Random, lang: str, base: str) -> dict:
    """A help page whose buttons each say "Click here to ..." (点击进入…): one phrase repeated, not advertising."""
    buttons = rng.sample(ZH_UI if lang == "zh" else EN_UI, rng.randint(2, 4))
    if lang == "zh":
        lines = [f"{name}\n\n点击进入「{name}」对话框，{what}。" for name, what in buttons]
    else:
        lines = [f"{name}\n\nClick here to {what}." for name, what in buttons]
    return {"text": base + "\n\n" + "\n\n".join(lines), "expect": "kept", "must_stay": lines[-1:]}


def option_list(rng: random.Random, lang: str, base: str) -> dict:
    """A page of command-line options, each line "-X name" and what it does: options, not bullets."""
    sentences = _sentences(base, lang)
    if len(sentences) < 6:
        return {}
    names = rng.sample(["dev", "utf8", "importtime", "tracemalloc", "frozen_modules", "no_debug_ranges", "warn_default_encoding",
                        "int_max_str_digits", "pycache_prefix", "faulthandler", "showrefcount", "perf"], 6)
    lines = [f"-{rng.choice('XWObdq')} {name} {sentence}" for name, sentence in zip(names, sentences)]
    return {"text": "\n\n".join(lines), "expect": "kept", "must_stay": lines[:1]}


def data_table(rng: random.Random, lang: str, base: str) -> dict:
    """A table of numbers under the text, one cell to a paragraph, as a help page's HTML table renders."""
    header = rng.sample(["数学", "物理", "生物", "化学", "历史"] if lang == "zh" else ["Math", "Physics", "Biology", "Chemistry", "History"], 3)
    rows = [[str(row)] + [str(rng.randint(30, 99)) for _ in header] for row in range(1, rng.randint(8, 16))]
    cells = ["", *header] + [cell for row in rows for cell in row]
    table = "\n\n".join(cell for cell in cells if cell)
    return {"text": base + "\n\n" + table, "expect": "kept", "must_stay": [table[:20]]}


BOX_ROWS = [("/usr/bin", "可执行文件", "executables on $PATH"), ("/usr/lib/arch-id", "共享库", "shared libraries"),
            ("/usr/lib/package", "软件包专属的静态资源", "static resources of a package"), ("/usr/include/package", "C 头文件",
                                                                                     "C header files"),
            ("/usr/share/doc/package", "文档", "documentation"), ("/var/lib/package", "持久数据", "persistent data")]


def box_table(rng: random.Random, lang: str, base: str) -> dict:
    """A table drawn with box characters at a terminal's width (groff renders man pages' tables so)."""
    rows = rng.sample(BOX_ROWS, rng.randint(3, 6))
    left, right = 26, rng.randint(60, 200)
    cells = [(path, zh if lang == "zh" else en) for path, zh, en in rows]
    lines = [f"┌{'─' * left}┬{'─' * right}┐"]
    for k, (path, use) in enumerate(cells):
        lines.append(f"│{path:<{left}}│ {use}{' ' * (right - 1 - len(use))}│")
        lines.append(f"├{'─' * left}┼{'─' * right}┤" if k + 1 < len(cells) else f"└{'─' * left}┴{'─' * right}┘")
    table = "\n".join(lines)
    return {"text": base + "\n\n" + table, "expect": "kept", "must_stay": [lines[1]]}


def mirror_list(rng: random.Random, lang: str, base: str) -> dict:
    """sources.list lines that repeat one mirror's URL: configuration, not link spam."""
    mirror = rng.choice(["http://deb.debian.org/debian", "https://deb.debian.org/debian", "http://ftp.cn.debian.org/debian"])
    suites = rng.sample(["stable", "testing", "unstable", "experimental", "stable-updates", "stable-backports"], rng.randint(4, 6))
    lines = [f"deb{src} {mirror} {suite} main contrib" for suite in suites for src in ("", "-src")]
    return {"text": base + "\n\n" + "\n".join(lines), "expect": "kept", "must_stay": lines[:1]}


# --- keyword stuffing -------------------------------------------------------------------------------------

ZH_PRODUCTS = ["网络游戏", "减肥药", "二手车", "英语培训", "装修公司", "婚纱摄影", "手机壳", "空气净化器", "驾校", "月子中心",
               "茶叶", "保健品", "考研资料", "鲜花快递", "搬家公司", "净水器"]
ZH_SUFFIXES = ["价格", "推荐", "排行榜", "哪个好", "官网", "图片", "大全", "下载", "便宜", "多少钱", "怎么样", "副作用", "加盟",
               "品牌", "电话", "地址", "最新", "免费", "十大", "报价", "在线", "攻略", "评测", "团购"]
ZH_TITLE_ITEMS = ["在线观看高清完整版", "免费下载最新资源", "官方正版手机版下载", "最新章节无弹窗阅读", "高清壁纸大全下载",
                  "精品推荐热门排行", "最新免费电影在线看", "全集高清在线播放", "会员账号免费领取", "今日最新更新合集",
                  "独家资源抢先看", "手机在线免费观看", "热门小说排行榜", "百度云网盘资源", "破解版无限金币"]
EN_PRODUCTS = ["cheap shoes", "running shoes", "car insurance", "weight loss pills", "web hosting", "wedding dresses",
               "gaming laptop", "dog food", "solar panels", "office chairs", "hair dryer", "phone cases"]
EN_MODIFIERS = ["best", "cheap", "buy", "discount", "online", "sale", "top", "review", "near me", "fast delivery", "new",
                "deals", "price", "for sale", "wholesale", "coupon"]


def keyword_list(rng: random.Random, lang: str, base: str) -> dict:
    """Lines of keyword variants, space- or comma-separated, as SEO pages pad themselves."""
    lines = []
    for _ in range(rng.randint(3, 8)):
        if lang == "zh":
            product = rng.choice(ZH_PRODUCTS)
            items = [product + s for s in rng.sample(ZH_SUFFIXES, rng.randint(5, 10))]
            lines.append(rng.choice([" ", ",", "，", "、", "_", " | "]).join(items))
        else:
            product = rng.choice(EN_PRODUCTS)
            items = [rng.choice([f"{m} {product}", f"{product} {m}"]) for m in rng.sample(EN_MODIFIERS, rng.randint(5, 10))]
            lines.append(rng.choice([", ", " | ", ", ", ",", " "]).join(items))
    return {"text": "\n".join(lines), "expect": "keyword_stuffing"}


def seo_title(rng: random.Random, lang: str, base: str) -> dict:
    """A stuffed title line of unrelated search phrases joined by '_' above a scraped article."""
    if lang == "zh":
        items = [rng.choice(ZH_PRODUCTS) + rng.choice(["怎么", "如何", ""]) + rng.choice(ZH_TITLE_ITEMS)[:rng.randint(5, 9)]
                 for _ in range(rng.randint(5, 7))]
    else:
        items = [rng.choice(EN_PRODUCTS).title() + " " + rng.choice(["Free Download", "Watch Online HD", "Best Price 2024",
                                                                    "Full Version Crack", "Coupon Code Today"])
                 for _ in range(rng.randint(5, 7))]
    title = rng.choice(["_", "|", " | ", "_"]).join(items)
    return {"text": title + "\n\n" + base, "expect": "keyword_stuffing"}


ZH_SEO_SENTENCES = ["{k}哪个好？", "{k}价格是多少？", "想了解{k}的朋友可以看看这篇{k}推荐。", "{k}排行榜前十名都有哪些？",
                    "选购{k}的时候要注意什么？", "今天小编为大家整理了{k}的相关资料。", "{k}怎么样，{k}好不好？", "最新{k}报价一览。",
                    "关于{k}的问题，很多网友都在问{k}去哪里买。", "本站提供{k}大全，{k}信息实时更新。", "{k}十大品牌是哪些？",
                    "{k}的优缺点有哪些？"]
EN_SEO_SENTENCES = ["Looking for the {k}?", "Our {k} guide lists the {k} for every budget.", "Why buy {k} here?",
                    "Compare {k} prices and find {k} deals today.", "The {k} you need is the {k} we sell.",
                    "Read our {k} review before you buy {k}.", "Here is everything about {k}.", "Best {k} of the year.",
                    "Where to buy {k} online?", "Get {k} with free delivery on every {k} order."]


def stuffed_prose(rng: random.Random, lang: str, base: str) -> dict:
    """SEO spam prose: a page written around one long-tail search phrase, a product with a search modifier
    (二手车价格, 减肥药哪个好; cheap running shoes, best web hosting), which every sentence repeats, once or twice,
    so that the phrase covers a fifth of the text or more (pages written for readers rarely pass a few percent)."""
    if lang == "zh":
        keyword = rng.choice(ZH_PRODUCTS) + rng.choice(ZH_SUFFIXES)
        sentences = [rng.choice(ZH_SEO_SENTENCES).format(k=keyword) for _ in range(rng.randint(12, 30))]
        text = "".join(sentences)
    else:
        keyword = rng.choice([f"{rng.choice(EN_MODIFIERS)} {rng.choice(EN_PRODUCTS)}", rng.choice(EN_PRODUCTS)])
        sentences = [rng.choice(EN_SEO_SENTENCES).format(k=keyword) for _ in range(rng.randint(12, 30))]
        text = " ".join(sentences)
    return {"text": text, "expect": "keyword_stuffing"}


# --- mojibake -------------------------------------------------------------------------------------------------

EN_SPECIALS = ["’", "“", "”", "—", "–", "é", "\u00a0", "…", "°", "€"]


def mojibake_light(rng: random.Random, lang: str, base: str) -> dict:
    """A few characters of a document mis-decoded (UTF-8 read as CP1252): repaired, kept."""
    if lang == "zh":
        lines = base.split("\n")
        candidates = [k for k, line in enumerate(lines) if 10 <= len(line) <= 80 and not line.isascii()]
        if not candidates:
            return {}
        k = rng.choice(candidates)
        garbled = list(lines)
        garbled[k] = lines[k].encode("utf-8").decode("cp1252", errors="ignore")
        if garbled[k].encode("cp1252", errors="ignore").decode("utf-8", errors="ignore") != lines[k] or \
                len(garbled[k]) - len(lines[k]) > 0.15 * len(base):
            return {}
        return {"text": "\n".join(garbled), "expect": "repaired", "repaired_text": base}
    words = base.split(" ")
    spots = sorted(rng.sample(range(1, len(words)), min(len(words) - 1, rng.randint(2, 6))))
    clean = list(words)
    for spot in spots:
        clean[spot] = rng.choice(EN_SPECIALS) + clean[spot] if rng.random() < 0.5 else clean[spot] + rng.choice(EN_SPECIALS)
    repaired = " ".join(clean)
    text = repaired.encode("utf-8").decode("cp1252", errors="ignore").replace("\x81", "")
    if text.encode("cp1252", errors="ignore").decode("utf-8", errors="ignore") != repaired:
        return {}
    return {"text": text, "expect": "repaired", "repaired_text": repaired}


def gbk_line(rng: random.Random, lang: str, base: str) -> dict:
    """One line of a Chinese document read as GBK, where no byte was lost: repaired, kept."""
    lines = base.split("\n")
    for k in rng.sample(range(len(lines)), len(lines)):
        line = lines[k]
        han = sum("\u4e00" <= c <= "\u9fff" for c in line)
        if not 10 <= han <= 60:
            continue
        try:
            garbled = line.encode("utf-8").decode("gbk")
        except UnicodeDecodeError:
            continue
        if len(garbled) > 0.2 * len(base):
            continue
        return {"text": "\n".join(lines[:k] + [garbled] + lines[k + 1:]), "expect": "repaired", "repaired_text": base}
    return {}


def mojibake_heavy(rng: random.Random, lang: str, base: str) -> dict:
    """A whole Chinese document garbled: read as CP1252 (mostly garbled) or as GBK with bytes lost."""
    if rng.random() < 0.5:
        return {"text": base.encode("utf-8").decode("cp1252", errors="ignore"), "expect": "mojibake"}
    return {"text": base.encode("utf-8").decode("gbk", errors="ignore"), "expect": "mojibake"}


# --- garbled words --------------------------------------------------------------------------------------------

def dropped_letter(rng: random.Random, lang: str, base: str) -> dict:
    """English with one letter dropped everywhere, as a broken converter leaves it."""
    letter = rng.choice("nrtsl")
    text = base.replace(letter, "").replace(letter.upper(), "")
    return {"text": text, "expect": "unknown_words"}


_OCR = {"m": "rn", "rn": "m", "l": "1", "i": "l", "e": "c", "o": "0", "a": "o", "h": "b", "u": "v", "d": "cl", "w": "vv"}


def ocr_noise(rng: random.Random, lang: str, base: str) -> dict:
    """OCR of a poor scan: a character confusion (rn/m, l/1/i, e/c, o/0/a, h/b, u/v, d/cl, w/vv) in about 40% of
    the words of four letters or more, and about one longer word in twelve broken in two by a stray space."""
    words = base.split(" ")
    for k in range(len(words)):
        word = words[k]
        if len(word) > 3 and rng.random() < 0.4:
            sources = [s for s in _OCR if s in word]
            if sources:
                source = rng.choice(sources)
                word = word.replace(source, _OCR[source], 1)
        if len(word) >= 6 and word.isalpha() and rng.random() < 0.08:
            cut = rng.randint(2, len(word) - 2)
            word = word[:cut] + " " + word[cut:]
        words[k] = word
    return {"text": " ".join(words), "expect": "unknown_words"}


def random_keys(rng: random.Random, lang: str, base: str) -> dict:
    """Words typed at random, in sentences."""
    sentences = []
    for _ in range(rng.randint(8, 20)):
        words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 8))) for _ in range(rng.randint(6, 14))]
        sentences.append(" ".join(words).capitalize() + ".")
    return {"text": " ".join(sentences), "expect": "unknown_words"}


def _rare_han(rng: random.Random) -> str:
    while True:
        ch = chr(rng.randint(0x3400, 0x4DB5)) if rng.random() < 0.5 else chr(rng.randint(0x8E00, 0x9FA5))
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            try:
                ch.encode("big5")
            except UnicodeEncodeError:
                return ch


def uncommon_han(rng: random.Random, lang: str, base: str) -> dict:
    """Chinese in which a quarter of the characters became rare ones (a broken font map, OCR of a bad scan)."""
    chars = list(base)
    for k, ch in enumerate(chars):
        if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.25:
            chars[k] = _rare_han(rng)
    return {"text": "".join(chars), "expect": "unknown_words"}


# --- SFT ------------------------------------------------------------------------------------------------------

ZH_QUESTIONS = ["请帮我写一份周末野餐的购物清单。", "怎样才能在一周内提高睡眠质量？", "请解释一下什么是复利。", "帮我把这句话翻译成英文：今天天气很好。",
                "给我讲一个关于友谊的小故事。", "如何评价这部电影的结局？", "请列出三种常见的排序算法。", "明天去爬山需要准备什么？",
                "你认为人工智能会取代教师吗？", "请写一首关于秋天的短诗。"]
EN_QUESTIONS = ["Write a short poem about the sea.", "How do I make my houseplants grow faster?", "Explain compound interest simply.",
                "What should I pack for a two-day hike?", "Summarize the plot of a detective story in three sentences.",
                "What do you think about remote work?", "List three common sorting algorithms.", "Tell me a joke about cats.",
                "How can I improve my handwriting?", "Give me a recipe for a quick breakfast."]
ZH_REFUSALS = ["抱歉，我无法回答这个问题。", "对不起，我不能提供这方面的帮助。", "很抱歉，我无法满足您的要求。",
               "作为一个AI语言模型，我无法提供个人意见。", "作为一个人工智能助手，我没有个人观点。", "我只是一个AI语言模型，无法完成这个任务。",
               "抱歉，作为AI，我不能回答这类问题。请您谅解。", "对不起，我无法处理这个请求。如果您有其他问题，我很乐意帮助您。",
               "作为一个AI语言模型，我没有情感，也无法体验这些事情。"]
EN_REFUSALS = ["Sorry, I am unable to fulfill this request.", "I'm sorry, but I can't help with that.",
               "As an AI language model, I do not have personal opinions.", "As an AI language model, I cannot browse the internet.",
               "I'm sorry, but as an AI language model I am not able to provide that information.",
               "I am an AI assistant and I cannot complete this task. If you have any other questions, feel free to ask.",
               "Unfortunately, I do not have personal experiences. I hope you understand.",
               "I'm afraid I can't do that."]
ZH_PLACEHOLDERS = ["略", "略。", "同上", "同上。", "无", "无。", "见上文", "见上", "……", "待补充", "暂无", "待定"]
EN_PLACEHOLDERS = ["N/A", "n/a", "TODO", "todo.", "...", "TBD", "none", "See above.", "Same as above", "-", "No answer"]
ZH_DISCLAIMED = ["作为一个AI语言模型，我没有个人观点，但可以从几个方面来分析：", "我没有个人偏好，不过下面是一些常见的建议："]
EN_DISCLAIMED = ["As an AI language model, I don't have personal opinions, but here are some points to consider:",
                 "I don't have personal experiences, but here is what usually helps:"]


def refusal(rng: random.Random, lang: str, base: str) -> dict:
    question = rng.choice(ZH_QUESTIONS if lang == "zh" else EN_QUESTIONS)
    answer = rng.choice(ZH_REFUSALS if lang == "zh" else EN_REFUSALS)
    return {"instruction": question, "input": "", "output": answer, "expect": "refusal"}


def placeholder(rng: random.Random, lang: str, base: str) -> dict:
    question = rng.choice(ZH_QUESTIONS if lang == "zh" else EN_QUESTIONS)
    answer = rng.choice(ZH_PLACEHOLDERS if lang == "zh" else EN_PLACEHOLDERS)
    return {"instruction": question, "input": "", "output": answer, "expect": "placeholder_output"}


def disclaimed_answer(rng: random.Random, lang: str, base: str) -> dict:
    """A disclaimer before a real answer: a mention, not a refusal; kept."""
    question = rng.choice(ZH_QUESTIONS if lang == "zh" else EN_QUESTIONS)
    body = " ".join(_sentences(base, lang)[:4]) if lang == "en" else "".join(_sentences(base, lang)[:4])
    if len(body) < (60 if lang == "zh" else 200):
        return {}
    answer = rng.choice(ZH_DISCLAIMED if lang == "zh" else EN_DISCLAIMED) + ("" if lang == "zh" else " ") + body
    return {"instruction": question, "input": "", "output": answer, "expect": "kept", "must_stay": [body[:30]]}


def clean_sft(rng: random.Random, lang: str, base: str) -> dict:
    """An ordinary record built from a clean document: kept."""
    sentences = _sentences(base, lang)
    if len(sentences) < 3:
        return {}
    task = rng.choice(["用一句话总结下面的内容。", "这段文字的主要意思是什么？"] if lang == "zh"
                      else ["Summarize the following text in one sentence.", "What is the main point of this passage?"])
    joiner = "" if lang == "zh" else " "
    return {"instruction": task, "input": joiner.join(sentences[:6]), "output": sentences[0], "expect": "kept"}


# (kind, format, languages, maker)
KINDS = [
    ("boilerplate_page", WEB, ("zh", "en"), boilerplate_page),
    ("boilerplate_lines", WEB, ("zh", "en"), boilerplate_lines),
    ("prose_mentions", WEB, ("zh", "en"), prose_mentions),
    ("keyword_list", WEB, ("zh", "en"), keyword_list),
    ("seo_title", WEB, ("zh", "en"), seo_title),
    ("stuffed_prose", WEB, ("zh", "en"), stuffed_prose),
    ("mojibake_light", WEB, ("zh", "en"), mojibake_light),
    ("mojibake_gbk_line", WEB, ("zh",), gbk_line),
    ("mojibake_heavy", WEB, ("zh",), mojibake_heavy),
    ("dropped_letter", WEB, ("en",), dropped_letter),
    ("ocr_noise", WEB, ("en",), ocr_noise),
    ("random_keys", WEB, ("en",), random_keys),
    ("uncommon_han", WEB, ("zh",), uncommon_han),
    ("refusal", SFT, ("zh", "en"), refusal),
    ("placeholder", SFT, ("zh", "en"), placeholder),
    ("disclaimed_answer", SFT, ("zh", "en"), disclaimed_answer),
    ("clean_sft", SFT, ("zh", "en"), clean_sft),
    ("ui_instructions", WEB, ("zh", "en"), ui_instructions),
    ("option_list", WEB, ("zh", "en"), option_list),
    ("data_table", WEB, ("zh", "en"), data_table),
    ("box_table", WEB, ("zh", "en"), box_table),
    ("mirror_list", WEB, ("zh", "en"), mirror_list),
]


def generate(split: str, bases: dict[str, list[str]], per_kind: int = 200) -> list[dict]:
    """per_kind records of every kind and language; bases: clean documents per language of this split."""
    records = []
    for kind, fmt, langs, make in KINDS:
        for lang in langs:
            rng = random.Random(f"{split}:{kind}:{lang}")
            docs = bases[lang]
            made, tries = 0, 0
            while made < per_kind and tries < per_kind * 20:
                tries += 1
                record = make(rng, lang, docs[rng.randrange(len(docs))])
                if record:
                    records.append({"kind": kind, "format": fmt, "lang": lang, **record})
                    made += 1
    return records
