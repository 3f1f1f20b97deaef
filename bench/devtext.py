"""A dev corpus of real, clean Chinese and English documents that we may redistribute.

Text comes from Debian documentation packages (licences in bench/devtext_sources.md): HTML manuals
(Debian Reference, handbook, FAQ, maint-guide, Python docs, LibreOffice help) rendered to text with
html.parser, man pages rendered by groff as a reader sees them, GNOME's Mallard help pages as yelp
shows them, and classical poems and sayings from fortunes-zh. Nothing is cleaned beyond rendering, so
options, version numbers, code blocks and tables stay: they are the hard cases that rules must keep.

    python -m bench.devtext build    # writes bench/.data/devtext/{zh,en}-{dev,heldout,fresh}.jsonl
    python -m bench.devtext check    # exit 1 when a file is missing

Deterministic: the same installed packages give byte-identical files. Dev or heldout is decided by
a hash of the *work* a file belongs to (its path with language tags removed), so a file, and every
translation of it, lands in one split only. Fresh holds the works of FRESH_SOURCES only (installation
guide, Debian Policy, GNOME help, ...), which dev and heldout do not use in any language: heldout has
been looked at while rules were fixed, fresh is for one check on text nobody has seen. The corpus holds
no near-duplicates (a near-duplicate benchmark injects its own): where a work exists in Simplified and
in Traditional Chinese only one of them is used, and documents close to an earlier one (MinHash) are
dropped, a fresh document when it is close to any dev or heldout one (so these two are as they were
before fresh existed)."""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import functools
import gzip
import hashlib
import html.parser
import json
import os
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
import zlib
from dataclasses import dataclass

import numpy as np

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".data", "devtext")
LANGS = ("zh", "en")
SPLITS = ("dev", "heldout")  # chosen by hash, from the sources rules were tuned on
FRESH = "fresh"  # from sources of their own (Source.split), for one check on text nobody has looked at
ALL_SPLITS = (*SPLITS, FRESH)

MIN_PIECE_CHARS = 200  # a rendered file shorter than this is a stub (a redirect, an empty index page)
MIN_DOC_CHARS = 300
# Long files are cut at paragraph ends once a document reaches this; a Chinese character carries about
# as much as an English word, so Chinese documents are cut sooner.
TARGET_DOC_CHARS = {"zh": 1000, "en": 1500}
MAX_DOC_CHARS = 6000
MAX_DOCS_PER_SPLIT = 5000  # per language and split
MAX_FAMILY_SHARE = 0.4  # no family of sources (e.g. all man pages) may be more than this of a split
ZH_MIN_HAN_SHARE = 0.3  # of letters + Han characters
EN_MIN_ASCII_SHARE = 0.9  # of letters
EN_MAX_HAN_SHARE = 0.01  # of letters
GROFF_TIMEOUT_SECONDS = 60
NEAR_NGRAM = 5
NEAR_MAX_JACCARD = 0.4
NEAR_BANDS, NEAR_ROWS = 42, 3  # of 126 MinHash values: a pair at Jaccard 0.4 shares a band with p = 0.94, at 0.05 with 0.005
_PERM_A, _PERM_B = (np.random.RandomState(1).randint(1, 2**32, size=NEAR_BANDS * NEAR_ROWS, dtype=np.uint64) | np.uint64(1),
                    np.random.RandomState(2).randint(0, 2**32, size=NEAR_BANDS * NEAR_ROWS, dtype=np.uint64))


@dataclass(frozen=True)
class Source:
    """Files of one Debian package below `root` whose relative path matches `pattern`."""

    package: str
    lang: str  # the language the package is in: pieces it left untranslated are copies of the originals, not kept
    family: str  # translations of one work share a family, so they share a split and a cap
    licence: str
    kind: str  # "html", "man", "fortune" or "mallard"
    root: str
    pattern: str
    variant: str = ""  # "zh-cn" or "zh-tw" when the package holds one script of a work that has both
    html_main: str = ""  # only text inside the element with this attribute (e.g. Sphinx's role="main")
    split: str = ""  # FRESH: every document goes there; "": dev or heldout by a hash of the work


_REF = "/usr/share/debian-reference"
_HANDBOOK = "/usr/share/doc/debian-handbook/html"
_FAQ = "/usr/share/doc/debian/FAQ"
_LIBREOFFICE = "/usr/share/libreoffice/help"
_MAN_PAGE = r"man[1-8]/[^/]+\.[1-8][a-z]*\.gz"
_GPL2 = "GPL-2+"
_HANDBOOK_LICENCE = "GPL-2+ or CC-BY-SA-3.0"
_FAQ_LICENCE = "SPI verbatim-copying permission (modified versions and translations allowed)"
_MAN_LICENCE = "Linux-man-pages-copyleft, GPL-2+ and others (per page)"
_LIBREOFFICE_LICENCE = "MPL-2.0 (parts Apache-2.0)"
_HELP = "/usr/share/help"
_INSTALL_GUIDE = "/usr/share/doc/installation-guide-amd64"
_GNOME_HELP_LICENCE = "CC-BY-SA-3.0"
_GEDIT_LICENCE = "GPL-2 (the help pages name no licence of their own)"
_DEBIAN_EDU_LICENCE = "GPL-2+ (some translations GPL-3+)"
_KICAD_LICENCE = "GPL-3+ or CC-BY-3.0+"
_SHADOW_LICENCE = "BSD-3-clause (zh_TW man5 pages GPL-2+)"
FRESH_SOURCES = (
    Source("gnome-user-docs", "en", "gnome-user-docs", _GNOME_HELP_LICENCE, "mallard", _HELP + "/C",
           r"(gnome-help|system-admin-guide)/[^/]+\.page", split=FRESH),
    Source("gnome-user-docs", "zh", "gnome-user-docs", _GNOME_HELP_LICENCE, "mallard", _HELP,
           r"zh_CN/gnome-help/[^/]+\.page", "zh-cn", split=FRESH),
    Source("evince-common", "en", "gnome-app-help", _GNOME_HELP_LICENCE, "mallard", _HELP + "/C", r"evince/[^/]+\.page",
           split=FRESH),
    Source("gedit-common", "en", "gnome-app-help", _GEDIT_LICENCE, "mallard", _HELP + "/C", r"gedit/[^/]+\.page",
           split=FRESH),
    Source("totem-common", "en", "gnome-app-help", _GNOME_HELP_LICENCE, "mallard", _HELP + "/C", r"totem/[^/]+\.page",
           split=FRESH),
    Source("cheese-common", "en", "gnome-app-help", _GNOME_HELP_LICENCE, "mallard", _HELP + "/C", r"cheese/[^/]+\.page",
           split=FRESH),
    Source("evince-common", "zh", "gnome-app-help", _GNOME_HELP_LICENCE, "mallard", _HELP, r"zh_CN/evince/[^/]+\.page",
           "zh-cn", split=FRESH),
    Source("evince-common", "zh", "gnome-app-help", _GNOME_HELP_LICENCE, "mallard", _HELP, r"zh_TW/evince/[^/]+\.page",
           "zh-tw", split=FRESH),
    Source("gedit-common", "zh", "gnome-app-help", _GEDIT_LICENCE, "mallard", _HELP, r"zh_CN/gedit/[^/]+\.page",
           "zh-cn", split=FRESH),
    Source("gedit-common", "zh", "gnome-app-help", _GEDIT_LICENCE, "mallard", _HELP, r"zh_TW/gedit/[^/]+\.page",
           "zh-tw", split=FRESH),
    Source("totem-common", "zh", "gnome-app-help", _GNOME_HELP_LICENCE, "mallard", _HELP, r"zh_CN/totem/[^/]+\.page",
           "zh-cn", split=FRESH),
    Source("totem-common", "zh", "gnome-app-help", _GNOME_HELP_LICENCE, "mallard", _HELP, r"zh_TW/totem/[^/]+\.page",
           "zh-tw", split=FRESH),
    Source("cheese-common", "zh", "gnome-app-help", _GNOME_HELP_LICENCE, "mallard", _HELP, r"zh_CN/cheese/[^/]+\.page",
           "zh-cn", split=FRESH),
    Source("installation-guide-amd64", "en", "installation-guide", "GPL-2", "html", _INSTALL_GUIDE,
           r"en/(ch|ap|pr)[^/]+\.html", split=FRESH),
    Source("installation-guide-amd64", "zh", "installation-guide", "GPL-2", "html", _INSTALL_GUIDE,
           r"zh_CN/(ch|ap|pr)[^/]+\.html", "zh-cn", split=FRESH),
    Source("debian-policy", "en", "debian-policy", "GPL-2+", "html", "/usr/share/doc/debian-policy",
           r"policy\.html/(ch|ap)[^/]+\.html", html_main='role="main"', split=FRESH),
    Source("debian-policy", "en", "debian-policy", "GPL-2+", "html", "/usr/share/doc/debian-policy",
           r"perl-policy\.html/(ch|ap)[^/]+\.html", split=FRESH),
    Source("developers-reference", "en", "developers-reference", "GPL-2", "html", "/usr/share/developers-reference",
           r"(?!index|search|developers-reference\.)[^/]+\.html", html_main='role="main"', split=FRESH),
    Source("debian-history", "en", "debian-history", "GPL-2+", "html", "/usr/share/doc/debian-history/docs",
           r"(?!index)[^/]+\.en\.html", split=FRESH),
    Source("aptitude-doc-en", "en", "aptitude-doc", "GPL-2+", "html", "/usr/share/doc/aptitude/html",
           r"en/(ch|pr|rn)[^/]+\.html", split=FRESH),
    Source("debian-edu-doc-en", "en", "debian-edu-manual", _DEBIAN_EDU_LICENCE, "html", "/usr/share/doc/debian-edu-doc-en",
           r"[^/]+-manual\.html", split=FRESH),
    Source("debian-edu-doc-zh-cn", "zh", "debian-edu-manual", _DEBIAN_EDU_LICENCE, "html",
           "/usr/share/doc/debian-edu-doc-zh-cn", r"[^/]+-manual\.html", "zh-cn", split=FRESH),
    Source("debian-edu-doc-legacy-zh-cn", "zh", "debian-edu-legacy", _DEBIAN_EDU_LICENCE, "html",
           "/usr/share/doc/debian-edu-doc-legacy-zh-cn", r"[^/]+-manual\.html", "zh-cn", split=FRESH),
    Source("kicad-doc-en", "en", "kicad-doc", _KICAD_LICENCE, "html", "/usr/share/doc/kicad/help", r"en/[^/]+\.html",
           split=FRESH),
    Source("kicad-doc-zh", "zh", "kicad-doc", _KICAD_LICENCE, "html", "/usr/share/doc/kicad/help", r"zh/[^/]+\.html",
           "zh-cn", split=FRESH),
    Source("gimp-help-zh-cn", "zh", "gimp-help", "GFDL-NIV-1.2+", "html", "/usr/share/gimp/2.0/help",
           r"zh_CN/(?!index\.)[^/]+\.html", "zh-cn", split=FRESH),
    # Chinese man pages that packages other than manpages-zh ship, of pages that neither manpages-zh nor the
    # English man page packages above hold (shadow's passwd and login, man-db).
    Source("passwd", "zh", "package-man-pages", _SHADOW_LICENCE, "man", "/usr/share/man",
           "zh_CN/" + _MAN_PAGE, "zh-cn", split=FRESH),
    Source("passwd", "zh", "package-man-pages", _SHADOW_LICENCE, "man", "/usr/share/man",
           "zh_TW/" + _MAN_PAGE, "zh-tw", split=FRESH),
    Source("login", "zh", "package-man-pages", _SHADOW_LICENCE, "man", "/usr/share/man",
           "zh_CN/" + _MAN_PAGE, "zh-cn", split=FRESH),
    Source("login", "zh", "package-man-pages", _SHADOW_LICENCE, "man", "/usr/share/man",
           "zh_TW/" + _MAN_PAGE, "zh-tw", split=FRESH),
    Source("man-db", "zh", "package-man-pages", "GPL-2+", "man", "/usr/share/man", "zh_CN/" + _MAN_PAGE, "zh-cn",
           split=FRESH),
)
SOURCES = (
    Source("debian-reference-en", "en", "debian-reference", _GPL2, "html", _REF, r"[^/]+\.en\.html"),
    Source("debian-reference-zh-cn", "zh", "debian-reference", _GPL2, "html", _REF, r"[^/]+\.zh-cn\.html", "zh-cn"),
    Source("debian-reference-zh-tw", "zh", "debian-reference", _GPL2, "html", _REF, r"[^/]+\.zh-tw\.html", "zh-tw"),
    Source("debian-handbook", "en", "debian-handbook", _HANDBOOK_LICENCE, "html", _HANDBOOK, r"en-US/[^/]+\.html"),
    Source("debian-handbook", "zh", "debian-handbook", _HANDBOOK_LICENCE, "html", _HANDBOOK, r"zh-CN/[^/]+\.html", "zh-cn"),
    Source("debian-handbook", "zh", "debian-handbook", _HANDBOOK_LICENCE, "html", _HANDBOOK, r"zh-TW/[^/]+\.html", "zh-tw"),
    Source("debian-faq", "en", "debian-faq", _FAQ_LICENCE, "html", _FAQ, r"[^/]+\.en\.html"),
    Source("debian-faq-zh-cn", "zh", "debian-faq", _FAQ_LICENCE, "html", _FAQ, r"zh-cn/[^/]+\.zh-cn\.html"),
    Source("maint-guide", "en", "maint-guide", _GPL2, "html", "/usr/share/doc/maint-guide/html", r"[^/]+\.en\.html"),
    Source("maint-guide-zh-cn", "zh", "maint-guide", _GPL2, "html", "/usr/share/doc/maint-guide-zh-cn/html",
           r"[^/]+\.zh-cn\.html", "zh-cn"),
    Source("maint-guide-zh-tw", "zh", "maint-guide", _GPL2, "html", "/usr/share/doc/maint-guide-zh-tw/html",
           r"[^/]+\.zh-tw\.html", "zh-tw"),
    Source("python3.11-doc", "en", "python-docs", "PSF-2.0", "html", "/usr/share/doc/python3.11/html",
           r"(?!_|genindex|search|py-modindex|contents)[^.]+(/[^/]+)*\.html", html_main='role="main"'),
    Source("libreoffice-help-zh-cn", "zh", "libreoffice-help", _LIBREOFFICE_LICENCE, "html", _LIBREOFFICE,
           r"zh-CN/text/.+\.html", "zh-cn", html_main='id="DisplayArea"'),
    Source("libreoffice-help-zh-tw", "zh", "libreoffice-help", _LIBREOFFICE_LICENCE, "html", _LIBREOFFICE,
           r"zh-TW/text/.+\.html", "zh-tw", html_main='id="DisplayArea"'),
    Source("manpages", "en", "man", _MAN_LICENCE, "man", "/usr/share/man", _MAN_PAGE),
    Source("manpages-dev", "en", "man", _MAN_LICENCE, "man", "/usr/share/man", _MAN_PAGE),
    Source("manpages-zh", "zh", "man", "GFDL-1.2+", "man", "/usr/share/man/zh_CN", _MAN_PAGE, "zh-cn"),
    Source("manpages-zh", "zh", "man", "GFDL-1.2+", "man", "/usr/share/man/zh_TW", _MAN_PAGE, "zh-tw"),
    Source("fortunes-zh", "zh", "fortunes-zh", "GPL-3+ (classical poems and sayings: public domain)", "fortune",
           "/usr/share/games/fortunes", r"chinese|song100|tang300"),
    # The fresh split: works that no source above holds in any language (each family is new), never looked at
    # while rules were tuned.
    *FRESH_SOURCES,
)


def stable_hash(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


# Language tags as path components or dotted name parts: "zh-CN/", ".zh-tw.", ".en.", "en-US/".
_LANG_TAG = re.compile(r"(?<![^/.])(zh[-_](cn|tw)|en-us|en)(?=[/.])", re.IGNORECASE)


def work_key(source: Source, relpath: str) -> str:
    """The work a file belongs to: its family and path without language tags, equal across translations."""
    untagged = _LANG_TAG.sub("", relpath)  # "zh-CN/apt.html" -> "/apt.html", "ch01.en.html" -> "ch01..html"
    untagged = re.sub(r"[/.]{2,}", lambda separators: separators.group()[0], untagged).lstrip("/.")
    return f"{source.family}:{untagged}"


def split_of(key: str) -> str:
    return SPLITS[stable_hash("split:" + key) % 2]


def chosen_variant(key: str) -> str:
    """Simplified or Traditional, for a work that exists in both."""
    return ("zh-cn", "zh-tw")[stable_hash("variant:" + key) % 2]


def package_files(source: Source) -> list[str]:
    """Regular files of the package under root matching the pattern, as paths relative to root."""
    listed = subprocess.run(["dpkg", "-L", source.package], capture_output=True, text=True, check=False)
    if listed.returncode != 0:  # a corpus built without one source would differ silently: stop instead
        raise SystemExit(f"devtext: Debian package {source.package} is not installed: run `make devtext`")
    listing = listed.stdout
    pattern = re.compile(source.pattern)
    found = []
    for path in listing.splitlines():
        relpath = os.path.relpath(path, source.root)
        # Symlinks are aliases of files listed anyway (faq's x.html -> x.en.html): reading them would duplicate.
        if path.startswith(source.root + "/") and pattern.fullmatch(relpath) and os.path.isfile(path) \
                and not os.path.islink(path):
            found.append(relpath)
    if not found:  # e.g. a Docker image whose dpkg config excludes /usr/share/doc or /usr/share/man
        raise SystemExit(f"devtext: package {source.package} has no files matching {source.root}/{source.pattern}")
    return sorted(found)


# --- rendering --------------------------------------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_PARAGRAPH = {"p", "div", "pre", "table", "ul", "ol", "dl", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
              "section", "figure", "caption", "body"}
_LINE = {"li", "dt", "dd", "tr", "br"}
_CELL = {"td", "th"}
_NEVER_TEXT = {"script", "style", "head", "title", "noscript"}
# Navigation and tables of contents repeat in every page of a manual: boilerplate, not the page's text.
_SKIP_CLASSES = {"navheader", "navfooter", "toc", "docnav", "list-of-tables", "list-of-figures", "list-of-examples",
                 "sphinxsidebar", "related", "footer", "headerlink", "breadcrumbs", "relatedtopics", "debug"}
_SKIP_IDS = {"banner", "title", "SearchFrame", "DonationFrame", "DEBUG", "toc"}
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_WRAP = re.compile(rf"(?<=[{_CJK}])[ \t]*\n\s*(?=[{_CJK}])")


class _HtmlText(html.parser.HTMLParser):
    """Text of an HTML page as a reader sees it: blocks become paragraphs, <pre> keeps its layout."""

    def __init__(self, main_attr: str = ""):
        super().__init__(convert_charrefs=True)
        self.main_attr = main_attr
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped, inside main)
        self.blocks: list[tuple[str, str]] = []  # (separator before, text)
        self.buffer: list[str] = []
        self.pending_separator = "\n\n"

    def _state(self) -> tuple[bool, bool]:
        return self.stack[-1][1:] if self.stack else (False, not self.main_attr)

    def _flush(self, separator: str) -> None:
        in_pre = any(tag == "pre" for tag, _, _ in self.stack)
        text = "".join(self.buffer)
        self.buffer = []
        if in_pre:
            text = "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
        else:
            text = re.sub(r"\s+", " ", _CJK_WRAP.sub("", text)).strip()
        if text.strip():
            self.blocks.append((self.pending_separator, text))
            self.pending_separator = separator
        elif separator == "\n\n":
            self.pending_separator = separator

    def handle_starttag(self, tag, attrs):
        skipped, inside = self._state()
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        skipped = skipped or tag in _NEVER_TEXT or bool(classes & _SKIP_CLASSES) or attributes.get("id") in _SKIP_IDS
        if self.main_attr and not inside:
            name, _, value = self.main_attr.partition("=")
            inside = attributes.get(name) == value.strip('"')
        if tag in _PARAGRAPH or tag in _LINE:
            self._flush("\n\n" if tag in _PARAGRAPH else "\n")
        elif tag in _CELL and self.buffer and "".join(self.buffer).strip():
            self.buffer.append(" | ")
        if tag not in _VOID:
            self.stack.append((tag, skipped, inside))

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self._flush("\n")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if tag in _PARAGRAPH or tag in _LINE:
            self._flush("\n\n" if tag in _PARAGRAPH else "\n")
        # Pop to the matching start tag; HTML may leave some tags unclosed (<p>, <li>).
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        skipped, inside = self._state()
        if inside and not skipped:
            self.buffer.append(data)

    def text(self) -> str:
        self._flush("\n\n")
        return "".join(separator + text for separator, text in self.blocks).strip()


def html_text(path: str, main_attr: str = "") -> str:
    parser = _HtmlText(main_attr)
    with open(path, encoding="utf-8", errors="replace") as f:
        parser.feed(f.read())
    parser.close()
    return parser.text()


def man_text(path: str) -> str:
    """A man page as groff shows it on an 80-column terminal, without its running header and footer.

    Left-adjusted and unhyphenated: groff 1.22 cannot break or justify Chinese, and justifying pads the
    few breakable spaces of a Chinese line into long runs that no person typed (man(1) itself hangs on some).
    """
    with gzip.open(path, "rb") as f:
        source = f.read()
    if source.lstrip().startswith(b".so "):
        return ""  # an alias of another page, which is read on its own
    command = ["groff", "-k", "-K", "utf-8", "-t", "-Tutf8", "-mandoc", "-rLL=80n", "-rLT=80n", "-rHY=0", "-P-cbou"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               start_new_session=True, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                                                            "LANG": "C.UTF-8"})
    try:
        plain, _ = process.communicate(b".ad l\n" + source, timeout=GROFF_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # groff's preprocessors too, not only groff
        process.communicate()
        print(f"devtext: {path}: groff took over {GROFF_TIMEOUT_SECONDS} s, page skipped", file=sys.stderr)
        return ""
    lines = [line.rstrip() for line in plain.decode("utf-8", errors="replace").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    if lines and lines[-1].endswith(")"):  # footer: "GNU coreutils 9.1   2022年9月   DF(1)"
        lines.pop()
    text = "\n".join(lines).strip("\n")
    if text and text.split("\n", 1)[0].endswith(")"):  # header: "ar(1)   User Commands   ar(1)"
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


_MALLARD = "{http://projectmallard.org/1.0/}"
_MALLARD_IF = "{http://projectmallard.org/if/1.0/}"
# Mallard elements as the HTML elements that yelp renders them as (the rest are inline: gui, key, link, em, ...).
_MALLARD_AS_HTML = {"page": "section", "section": "section", "title": "h2", "subtitle": "h3", "p": "p", "desc": "p",
                    "note": "div", "example": "div", "figure": "div", "listing": "div", "synopsis": "div",
                    "quote": "blockquote", "div": "div", "list": "ul", "tree": "ul", "steps": "ol", "terms": "dl",
                    "item": "li", "table": "table", "tr": "tr", "td": "td", "th": "th"}
# Not shown as text: page metadata (authors, licence, revisions), images and video (their text is a fallback),
# and the link lists that yelp generates from other pages' metadata.
_MALLARD_HIDDEN = {"info", "comment", "media", "links", "cite"}
# Within these, code and screen are inline (a command in a sentence); elsewhere they are blocks, shown as laid out.
_MALLARD_INLINE = {"p", "title", "subtitle", "desc", "em", "link", "gui", "span", "cmd", "file", "app", "sys", "key",
                   "input", "output", "var", "code", "screen", "guiseq", "keyseq", "hi", "string"}
# yelp shows a page as on a GNOME desktop: not GNOME Classic, not a phone, no software to install.
_MALLARD_TRUE_TESTS = {"platform:gnome", "target:desktop", "target:html"}


def _mallard_test(test: str) -> bool:
    """A Mallard conditional: alternatives separated by commas, each a conjunction of (negated) tokens."""
    def holds(token: str) -> bool:
        return (token[1:] not in _MALLARD_TRUE_TESTS) if token.startswith("!") else token in _MALLARD_TRUE_TESTS
    return any(all(holds(token) for token in alternative.split()) for alternative in test.split(","))


@functools.lru_cache(maxsize=None)
def _mallard_titles(folder: str) -> dict[str, str]:
    """The link titles of the pages and sections of one help folder, by "page" and "page#section" id."""
    titles = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".page"):
            continue
        try:
            root = ElementTree.parse(os.path.join(folder, name)).getroot()
        except ElementTree.ParseError:
            continue
        page = root.get("id", name[:-5])
        for element in root.iter():
            if element is not root and element.tag != _MALLARD + "section":
                continue
            info = element.find(_MALLARD + "info")
            link_title = info.find(_MALLARD + "title[@type='link']") if info is not None else None
            title = link_title if link_title is not None else element.find(_MALLARD + "title")
            if title is not None:
                key = page if element is root else f"{page}#{element.get('id', '')}"
                titles[key] = re.sub(r"\s+", " ", "".join(title.itertext())).strip()
    return titles


def mallard_text(path: str) -> str:
    """A Mallard help page (GNOME's .page XML) as yelp shows it, through the HTML renderer's layout.

    Page metadata, images and the generated lists of links to other pages are not shown; conditional
    content is shown for a GNOME desktop; a link without text shows the title of the page it points to.
    """
    parser = _HtmlText()
    titles = _mallard_titles(os.path.dirname(path))

    def walk(element, parent: str) -> None:
        tag = element.tag
        if tag.startswith(_MALLARD_IF):
            name = tag[len(_MALLARD_IF):]
            if name == "choose":
                branches = [child for child in element if child.tag in (_MALLARD_IF + "when", _MALLARD_IF + "else")]
                chosen = next((child for child in branches if child.tag == _MALLARD_IF + "else"
                               or _mallard_test(child.get("test", ""))), None)
                if chosen is not None:
                    children(chosen, parent)
            elif name == "if" and _mallard_test(element.get("test", "")):
                children(element, parent)
            return
        if not tag.startswith(_MALLARD):  # XInclude of the licence, ITS rules, TTML captions, translator credits
            return
        name = tag[len(_MALLARD):]
        if name in _MALLARD_HIDDEN or not _mallard_test(element.get(_MALLARD_IF + "test", "")):
            return
        if name in ("code", "screen") and parent not in _MALLARD_INLINE:
            html_tag = "pre"
        elif name == "title" and parent == "item":
            html_tag = "dt"  # the term of a <terms> item
        else:
            html_tag = _MALLARD_AS_HTML.get(name)
        if html_tag:
            parser.handle_starttag(html_tag, [])
        if name == "link" and not "".join(element.itertext()).strip():
            xref = element.get("xref", "")
            parser.handle_data(titles.get(xref, "") if xref else element.get("href", ""))
        elif name in ("keyseq", "guiseq"):
            joiner = "+" if name == "keyseq" else " ▸ "
            for number, child in enumerate(element):
                if number:
                    parser.handle_data(joiner)
                walk(child, name)
        else:
            children(element, name)
        if html_tag:
            parser.handle_endtag(html_tag)

    def children(element, name: str) -> None:
        if element.text:
            parser.handle_data(element.text)
        for child in element:
            walk(child, name)
            if child.tail:
                parser.handle_data(child.tail)

    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        print(f"devtext: {path}: {error}, page skipped", file=sys.stderr)
        return ""
    walk(root, "")
    return parser.text()


# Works in fortunes-zh's "chinese" file that are centuries old. The rest is excerpts of the Debian Reference
# (copies of another source here) and of modern books whose licence the package cannot grant.
_CLASSICAL_WORKS = ("谚语", "论语", "菜根谭", "增广贤文", "道德经", "孟子")
_ATTRIBUTION = re.compile(r"\n\s*--\s*(.+)$")


def fortune_texts(path: str) -> list[str]:
    """The poems or sayings of a fortune file, without its terminal colour codes, as anthology pages.

    Sayings carry their source on a "-- 《论语》" line; the page of a work names it once at the top rather
    than repeating it under each saying, as an anthology would print it.
    """
    with open(path, encoding="utf-8", errors="replace") as f:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", f.read())
    fortunes = [piece.strip("\n") for piece in re.split(r"^%$", plain, flags=re.M) if piece.strip()]
    if os.path.basename(path) != "chinese":
        return chunks(fortunes, TARGET_DOC_CHARS["zh"])  # Tang and Song poems, each with its title and poet
    by_work = collections.defaultdict(list)
    for fortune in fortunes:
        attribution = _ATTRIBUTION.search(fortune)
        work = next((w for w in _CLASSICAL_WORKS if attribution and w in attribution.group(1)), None)
        if work:
            by_work[work].append(fortune[:attribution.start()].strip())
    return [f"《{work}》\n\n{page}" for work in _CLASSICAL_WORKS for page in chunks(by_work[work], TARGET_DOC_CHARS["zh"])]


# --- documents ----------------------------------------------------------------------------------------------------------


def chunks(paragraphs: list[str], target: int) -> list[str]:
    """Whole paragraphs packed into documents of MIN_DOC_CHARS..MAX_DOC_CHARS; a short tail joins the last one."""
    pieces: list[str] = []
    for paragraph in paragraphs:
        while len(paragraph) > MAX_DOC_CHARS:  # a giant code block or table: cut at a line end
            cut = paragraph.rfind("\n", 0, MAX_DOC_CHARS)
            cut = cut if cut > 0 else MAX_DOC_CHARS
            pieces.append(paragraph[:cut].rstrip())
            paragraph = paragraph[cut:].lstrip("\n")
        pieces.append(paragraph)
    documents: list[str] = []
    current = ""
    for piece in pieces:
        if current and (len(current) >= target or len(current) + 2 + len(piece) > MAX_DOC_CHARS):
            documents.append(current)
            current = ""
        current = f"{current}\n\n{piece}" if current else piece
    if current:
        if len(current) < MIN_DOC_CHARS and documents and len(documents[-1]) + 2 + len(current) <= MAX_DOC_CHARS:
            documents[-1] += "\n\n" + current
        else:
            documents.append(current)
    return [document for document in documents if len(document) >= MIN_DOC_CHARS]


def language(text: str) -> str | None:
    """zh when Han is at least 30% of letters + Han; en when letters are 90% ASCII Latin with little Han."""
    han = len(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", text))
    letters = sum(1 for ch in text if ch.isalpha())  # Han characters count as alphabetic too
    ascii_letters = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if letters and han / letters >= ZH_MIN_HAN_SHARE:
        return "zh"
    if letters and ascii_letters / letters >= EN_MIN_ASCII_SHARE and han <= EN_MAX_HAN_SHARE * letters:
        return "en"
    return None


def _render(job: tuple[Source, str]) -> list[str]:
    """The documents of one file."""
    source, relpath = job
    path = os.path.join(source.root, relpath)
    if source.kind == "fortune":
        return fortune_texts(path)
    if source.kind == "mallard":
        text = mallard_text(path)
    else:
        text = html_text(path, source.html_main) if source.kind == "html" else man_text(path)
    if len(text) < MIN_PIECE_CHARS:
        return []
    return chunks([paragraph for paragraph in re.split(r"\n\s*\n", text) if paragraph.strip()], TARGET_DOC_CHARS[source.lang])


def build_documents(sources: tuple[Source, ...] = SOURCES) -> list[dict]:
    """Every document of every source, with its language and split, exact copies and near copies removed.

    Documents of the fresh split come after all others: a copy is dropped from fresh, never from dev or
    heldout, so these two are what they were before fresh existed."""
    shared = {s.family for s in sources if s.split == FRESH} & {s.family for s in sources if s.split != FRESH}
    if shared:  # a work in fresh and, translated, in dev or heldout: fresh would not be unseen text
        raise ValueError(f"devtext: families {sorted(shared)} are in the fresh split and in dev/heldout")
    jobs = [(source, relpath) for source in sources for relpath in package_files(source)]
    # A man page in another translation, or in the original, is the same work: fresh takes no page that
    # dev or heldout may hold.
    seen_pages = {os.path.basename(relpath) for source, relpath in jobs if source.kind == "man" and source.split != FRESH}
    jobs = [(source, relpath) for source, relpath in jobs
            if not (source.kind == "man" and source.split == FRESH and os.path.basename(relpath) in seen_pages)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        rendered = list(pool.map(_render, jobs))
    documents_of_file = []  # (source, work key, documents) per file
    for (source, relpath), texts in zip(jobs, rendered):
        key = work_key(source, relpath)
        path = os.path.join(source.root, relpath)
        documents = []
        for number, text in enumerate(texts):
            if language(text) != source.lang:
                continue  # mixed, or a passage left untranslated: a copy of the original's
            # A fortune file is an anthology of independent pieces: its pages may go to either split.
            unit = f"{key}#{number}" if source.kind == "fortune" else key
            documents.append({"id": f"{source.package}:{path}#{number}", "text": text, "lang": source.lang,
                              "source": f"{source.package}:{path}", "licence": source.licence,
                              "split": source.split or split_of(unit), "family": source.family})
        documents_of_file.append((source, key, documents))
    # A work in both Chinese scripts keeps one: the hash's choice, unless that one is left untranslated.
    scripts = collections.defaultdict(set)
    for source, key, documents in documents_of_file:
        if source.variant and documents:
            scripts[key].add(source.variant)
    kept = [document for source, key, documents in documents_of_file for document in documents
            if not source.variant or len(scripts[key]) == 1 or source.variant == chosen_variant(key)]
    kept.sort(key=lambda document: (document["split"] == FRESH, document["id"]))
    seen: set[str] = set()
    unique = []
    for document in kept:
        if document["text"] not in seen:
            seen.add(document["text"])
            unique.append(document)
    return [document for lang in LANGS for document in drop_near_copies([d for d in unique if d["lang"] == lang])]


def _signature(text: str) -> np.ndarray:
    """MinHash of the text's character 5-grams, in a matching form without case, spaces or punctuation."""
    form = re.sub(r"[\W_]+", "", text.lower())
    grams = {form[i:i + NEAR_NGRAM] for i in range(max(1, len(form) - NEAR_NGRAM + 1))}
    hashes = np.array(sorted(zlib.crc32(gram.encode()) for gram in grams), dtype=np.uint64)
    return ((hashes[:, None] * _PERM_A + _PERM_B) & np.uint64(0xFFFFFFFF)).min(axis=0)


def drop_near_copies(documents: list[dict]) -> list[dict]:
    """Documents (by id, fresh last) without those similar to an earlier one: a near-duplicate benchmark injects its
    own copies into this corpus and must find no others. Manuals have them: LibreOffice's help pages of one
    dialog in Writer and in Calc, man pages of sin and cos. Estimated Jaccard of 5-gram sets at least
    NEAR_MAX_JACCARD (near-duplicates start at about 0.5; unrelated documents stay below 0.1)."""
    signatures = [_signature(document["text"]) for document in documents]
    partners = collections.defaultdict(set)  # index -> earlier indices sharing a band
    buckets = collections.defaultdict(list)
    for index, signature in enumerate(signatures):
        for band in range(NEAR_BANDS):
            key = (band, signature[band * NEAR_ROWS:(band + 1) * NEAR_ROWS].tobytes())
            partners[index].update(buckets[key])
            buckets[key].append(index)
    kept_indices: set[int] = set()
    for index, signature in enumerate(signatures):
        if not any(earlier in kept_indices and (signatures[earlier] == signature).mean() >= NEAR_MAX_JACCARD
                   for earlier in partners[index]):
            kept_indices.add(index)
    return [document for index, document in enumerate(documents) if index in kept_indices]


def select(documents: list[dict]) -> list[dict]:
    """At most MAX_DOCS_PER_SPLIT documents, no family above MAX_FAMILY_SHARE, spread over each family's files."""
    by_family = collections.defaultdict(list)
    for document in documents:
        by_family[document["family"]].append(document)
    for family_documents in by_family.values():
        family_documents.sort(key=lambda document: (stable_hash("pick:" + document["id"]), document["id"]))
    total = min(MAX_DOCS_PER_SPLIT, len(documents))
    # Shrink the total until the families, each capped at its share of it, can fill it (quotas shrink with it).
    while True:
        quota = int(MAX_FAMILY_SHARE * total)
        available = sum(min(quota, len(family_documents)) for family_documents in by_family.values())
        if available >= total:
            break
        total = available
    chosen = []
    for family in sorted(by_family):
        chosen.extend(by_family[family][:quota])
    chosen.sort(key=lambda document: (stable_hash("pick:" + document["id"]), document["id"]))
    return sorted(chosen[:total], key=lambda document: document["id"])


def build() -> dict[tuple[str, str], list[dict]]:
    documents = build_documents()
    corpus = {}
    for lang in LANGS:
        for split in ALL_SPLITS:
            picked = select([d for d in documents if d["lang"] == lang and d["split"] == split])
            corpus[lang, split] = [{field: d[field] for field in ("id", "text", "lang", "source", "licence")}
                                   for d in picked]
    return corpus


def write(corpus: dict[tuple[str, str], list[dict]], folder: str = DATA_DIR) -> None:
    os.makedirs(folder, exist_ok=True)
    for (lang, split), records in sorted(corpus.items()):
        path = os.path.join(folder, f"{lang}-{split}.jsonl")
        with open(path + ".tmp", "w", encoding="utf-8", newline="\n") as f:
            for record in records:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(path + ".tmp", path)


def load(lang: str, split: str) -> list[dict]:
    """The documents of one language ("zh", "en") and split ("dev", "heldout", "fresh"), sorted by id."""
    if lang not in LANGS or split not in ALL_SPLITS:
        raise ValueError(f"devtext has languages {LANGS} and splits {ALL_SPLITS}, not {lang!r}/{split!r}")
    path = os.path.join(DATA_DIR, f"{lang}-{split}.jsonl")
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} is missing: run `make devtext` (installs the Debian packages, then "
                                "`python -m bench.devtext build`)")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def summary(corpus: dict[tuple[str, str], list[dict]]) -> str:
    lines = []
    for (lang, split), records in sorted(corpus.items()):
        chars = sum(len(record["text"]) for record in records)
        lines.append(f"{lang}-{split}: {len(records)} documents, {chars:,} characters")
        packages = collections.Counter(record["source"].split(":", 1)[0] for record in records)
        for package, count in sorted(packages.items()):
            lines.append(f"  {package:<24} {count:>5}  {count / len(records):.0%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.devtext", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("build", "check"))
    args = parser.parse_args(argv)
    if args.command == "build":
        corpus = build()
        write(corpus)
        print(summary(corpus))
        return 0
    missing = [f"{lang}-{split}.jsonl" for lang in LANGS for split in ALL_SPLITS
               if not os.path.exists(os.path.join(DATA_DIR, f"{lang}-{split}.jsonl"))]
    if missing:
        print(f"devtext: missing {', '.join(missing)} in {DATA_DIR}: run `make devtext`", file=sys.stderr)
        return 1
    print(summary({(lang, split): load(lang, split) for lang in LANGS for split in ALL_SPLITS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
