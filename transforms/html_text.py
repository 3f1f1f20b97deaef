"""The main text of an HTML page, for the `warc` and `html` formats: decoded, then extracted.

Decoding follows what browsers do: the charset the server declared, else the page's own `<meta charset>`,
mapped to its WHATWG meaning (gb2312 is read as gbk, iso-8859-1 as windows-1252); a page whose bytes do
not fit that charset is decoded by what its bytes look like instead (Chinese sites often declare one
charset and serve another), and bytes that fit neither become U+FFFD, which the rules then judge.

Extraction (`ingest.html_extractor`): resiliparse's `extract_plain_text(main_content=True)` or
trafilatura. Both drop navigation, footers, sidebars and comment sections; bench/html_extract.py
measures them against each other on generated pages (README: Formats). The title and the canonical
URL come from resiliparse's DOM whichever extractor runs, so `meta` does not depend on the choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import bytes_to_str, detect_encoding, map_encoding_to_html5
from resiliparse.parse.html import HTMLTree

EXTRACTORS = ("resiliparse", "trafilatura")


@dataclass(frozen=True)
class Page:
    text: str  # the main text; "" when the extractor found none
    title: str | None
    url: str | None  # the page's own statement of its address: <link rel=canonical>, else og:url


def decode_html(body: bytes, declared_charset: str | None = None) -> str:
    charset = map_encoding_to_html5(declared_charset, fallback_utf8=False) if declared_charset else None
    charset = charset or detect_encoding(body, from_html_meta=True)
    try:
        return body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        pass
    # bytes_to_str tries the detected charset strictly and decodes by the declared one with U+FFFD if it fails too
    return bytes_to_str(body, charset, errors="replace", fallback_encodings=(detect_encoding(body),))


def _own_url(tree: HTMLTree) -> str | None:
    head = tree.head
    if head is None:
        return None
    for selector, attribute in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        node = head.query_selector(selector)
        value = node.getattr(attribute) if node is not None else None
        if value and value.strip():
            return value.strip()
    return None


def _main_text(html: str, tree: HTMLTree, extractor: str) -> str:
    if extractor == "resiliparse":
        # list bullets would read as bullet_lines to the rules; alt texts and comment sections are not the page's text
        return extract_plain_text(tree, main_content=True, list_bullets=False, alt_texts=False, comments=False)
    if extractor == "trafilatura":
        import trafilatura  # imported only when chosen: it loads lxml, justext and dateparser

        # fast: without the readability/justext fallbacks, which cost ~20% more and found no more text (bench/html_extract.py)
        return trafilatura.extract(html, fast=True, include_comments=False, include_tables=True, deduplicate=False) or ""
    raise ValueError(f"unknown HTML extractor {extractor!r}; one of {EXTRACTORS}")


def page_text(body: bytes, declared_charset: str | None, extractor: str) -> Page:
    """The main text, title and own URL of one page given as the bytes a server sent."""
    html = decode_html(body, declared_charset)
    tree = HTMLTree.parse(html)
    title = (tree.title or "").strip() or None
    return Page(text=_main_text(html, tree, extractor).strip(), title=title, url=_own_url(tree))
