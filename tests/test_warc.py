"""Crawled pages as input: WARC files (gzip per record, or plain) and folders of HTML pages."""

import gzip
import json
import random
import zlib

import pytest

from pipelines.config import IngestConfig
from pipelines.inputs import discover
from pipelines.sample import en_document, zh_document
from tests.e2e_helpers import clean, fates, read_output
from transforms.html_text import decode_html
from transforms.readers import FileStats, read_file

RNG = random.Random(7)
ZH_BODY, EN_BODY, EN_OTHER = zh_document(RNG), en_document(RNG), en_document(RNG)
DATE = "2024-03-01T12:00:00Z"


def record_id(n: int) -> str:
    return f"urn:uuid:00000000-0000-0000-0000-{n:012d}"


def warc_record(kind: str, block: bytes = b"", uri: str | None = None, n: int = 0,
                content_type: str = "application/http; msgtype=response", extra: str = "") -> bytes:
    head = f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <{record_id(n)}>\r\nWARC-Date: {DATE}\r\n"
    if uri:
        head += f"WARC-Target-URI: {uri}\r\n"
    head += f"Content-Type: {content_type}\r\n{extra}Content-Length: {len(block)}\r\n\r\n"
    return head.encode() + block + b"\r\n\r\n"


def http(body: bytes, status: str = "200 OK", content_type: str = "text/html; charset=utf-8", headers: str = "") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{headers}Content-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def response(n: int, uri: str, body: bytes, **http_args) -> bytes:
    return warc_record("response", http(body, **http_args), uri, n)


def per_record_gzip(*records: bytes) -> bytes:
    return b"".join(gzip.compress(r, mtime=0) for r in records)


def article(title: str, body: str, lang: str = "en", head: str = '<meta charset="utf-8">') -> str:
    """A page as sites publish one: navigation, the article, a sidebar, a footer and a cookie banner."""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f'<!DOCTYPE html><html lang="{lang}"><head>{head}<title>{title} - Example</title></head><body>'
            '<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav></header>'
            f"<main><article><h1>{title}</h1>{paragraphs}</article>"
            '<aside><h3>Popular</h3><ul><li><a href="/p/1">Another story about bridges</a></li></ul></aside></main>'
            "<footer><p>© 2024 Example. All rights reserved.</p></footer>"
            '<div id="cookie-banner"><p>We use cookies to improve your experience.</p><button>Accept</button></div>'
            "</body></html>")


def main_text(title: str, body: str) -> str:
    """What resiliparse keeps of `article`: the heading and the paragraphs, a blank line between them."""
    return "\n\n".join([title, *body.split("\n\n")])


ZH_PAGE = article("村里的小桥", ZH_BODY, "zh").encode()
EN_PAGE = article("The old bridge", EN_BODY).encode()
SCRIPT_ONLY_PAGE = b"<html><head><title>Loading</title></head><body><script>render()</script></body></html>"


def read(path, **ingest) -> tuple[dict[int, str], list[dict], list[dict], FileStats]:
    """(row → "kept" or reject reason, records, rejects, file stats) of reading one file."""
    cfg = IngestConfig(format="warc", **ingest)
    stats = FileStats(path.name)
    records, rejects = [], []
    for emitted in read_file(str(path), path.name, cfg, stats):
        (records if emitted.kind == "records" else rejects).extend(emitted.batch.to_pylist())
    outcome = {r["source_row"]: "kept" for r in records} | {r["source_row"]: r["reason"] for r in rejects}
    assert len(outcome) == len(records) + len(rejects)
    return outcome, records, rejects, stats


def crawl() -> bytes:
    return per_record_gzip(
        warc_record("warcinfo", b"software: test-crawler\r\n", n=0, content_type="application/warc-fields"),
        warc_record("request", b"GET /zh/1 HTTP/1.1\r\nHost: example.cn\r\n\r\n", "https://example.cn/zh/1", 1,
                    "application/http; msgtype=request"),
        response(2, "https://example.cn/zh/1", ZH_PAGE),
        warc_record("metadata", b"fetchTimeMs: 120\r\n", "https://example.cn/zh/1", 3, "application/warc-fields"),
        response(4, "https://example.com/en/1", EN_PAGE),
        response(5, "https://example.com/gone", b"<html><body><h1>Not Found</h1></body></html>", status="404 Not Found"),
        response(6, "https://example.com/paper.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf"),
        b"WARC/1.0\r\nWARC-Type response\r\nContent-Length: twelve\r\n\r\nnot a record\r\n\r\n",
        response(8, "https://example.com/app", SCRIPT_ONLY_PAGE),
        response(9, "http://example.com/old", b"", status="301 Moved Permanently", headers="Location: https://example.com/\r\n"),
        warc_record("revisit", b"HTTP/1.1 200 OK\r\n\r\n", "https://example.com/en/1", 10),
    )


def test_every_record_of_a_crawl_is_a_page_a_reject_or_a_skipped_count(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(crawl())
    outcome, records, rejects, stats = read(path)
    assert outcome == {2: "kept", 4: "kept", 5: "http_status", 6: "not_html", 7: "malformed_warc", 8: "no_main_text",
                       9: "http_status"}
    assert stats.skipped == {"warcinfo": 1, "request": 1, "metadata": 1, "revisit": 1}
    assert (stats.records, stats.rejected) == (2, 5)


def test_a_page_keeps_its_main_text_and_its_crawl_metadata(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(crawl())
    _, records, _, _ = read(path)
    assert [(r["id"], r["text"]) for r in records] == [
        (record_id(2), main_text("村里的小桥", ZH_BODY)), (record_id(4), main_text("The old bridge", EN_BODY))]
    assert json.loads(records[0]["meta"]) == {
        "url": "https://example.cn/zh/1", "date": DATE, "warc_record_id": record_id(2), "content_type": "text/html",
        "title": "村里的小桥 - Example"}


def test_rejects_name_the_page_and_why(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(crawl())
    _, _, rejects, _ = read(path)
    seen = {r["source_row"]: (r["id"], json.loads(r["detail"])["error"], json.loads(r["meta"] or "null")) for r in rejects}
    assert seen[5] == (record_id(5), "HTTP status 404", {"url": "https://example.com/gone", "date": DATE,
                                                         "warc_record_id": record_id(5), "content_type": "text/html"})
    assert seen[6][:2] == (record_id(6), "content type application/pdf is not HTML")
    assert seen[7] == ("crawl.warc.gz:7", "WARC headers without a WARC-Type or a numeric Content-Length ('twelve')", None)
    assert seen[8][1] == "resiliparse found no main text in 86 bytes of HTML"
    assert seen[8][2]["title"] == "Loading"
    assert seen[9][1] == "HTTP status 301"


def test_a_reject_keeps_the_bytes_it_came_with(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(crawl())
    _, _, rejects, _ = read(path)
    raw = {r["source_row"]: r["raw"] for r in rejects}
    assert raw[6] == b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    assert raw[7] == b"WARC/1.0\r\nWARC-Type response\r\nContent-Length: twelve\r\n\r\nnot a record\r\n\r\n"


NOTICE = "明天上午九点在图书馆召开全体会议，请大家准时参加。"
NOTICE_TRADITIONAL = "明天上午九點在圖書館召開全體會議，請大家準時參加。"


@pytest.mark.parametrize("content_type, head, text, encoding", [
    ("text/html; charset=gbk", "", NOTICE, "gbk"),  # declared by the server
    ("text/html", '<meta charset="gb2312">', NOTICE, "gbk"),  # declared by the page; gb2312 is read as gbk, as browsers do
    ("text/html; charset=utf-8", "", NOTICE, "gb18030"),  # declared wrongly: the bytes are GB18030
    ("text/html; charset=big5", "", NOTICE_TRADITIONAL, "big5"),
])
def test_a_page_is_decoded_by_its_declared_charset_or_by_its_bytes(tmp_path, content_type, head, text, encoding):
    page = f"<html><head>{head}<title>通知</title></head><body><article><p>{text}</p></article></body></html>"
    path = tmp_path / "zh.warc.gz"
    path.write_bytes(per_record_gzip(response(0, "https://example.cn/n", page.encode(encoding), content_type=content_type)))
    _, records, _, _ = read(path)
    assert records[0]["text"] == text


def test_a_byte_that_fits_the_charset_nowhere_becomes_a_replacement_character():
    encoded = f"<p>{NOTICE}</p>".encode()
    stray = encoded[:18] + b"\xff" + encoded[18:]  # between the 5th and the 6th character
    assert decode_html(stray, "utf-8") == "<p>明天上午九\ufffd点在图书馆召开全体会议，请大家准时参加。</p>"


def test_a_gzip_member_that_does_not_inflate_is_one_reject_and_reading_goes_on(tmp_path):
    members = [gzip.compress(r, mtime=0) for r in (response(0, "https://a/0", EN_PAGE), response(1, "https://a/1", ZH_PAGE),
                                                  response(2, "https://a/2", EN_PAGE))]
    middle = len(members[1]) // 2
    members[1] = members[1][:middle] + b"\xff" * 32 + members[1][middle + 32:]
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(b"".join(members))
    outcome, records, rejects, _ = read(path)
    assert outcome == {0: "kept", 1: "malformed_warc", 2: "kept"}
    assert [r["id"] for r in records] == [record_id(0), record_id(2)]
    assert json.loads(rejects[0]["detail"])["error"].startswith("the gzip member does not inflate")


def test_a_file_cut_inside_a_member_keeps_every_record_before_the_cut(tmp_path):
    whole = per_record_gzip(response(0, "https://a/0", EN_PAGE), response(1, "https://a/1", ZH_PAGE),
                            response(2, "https://a/2", EN_PAGE))
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole[: len(whole) - 200])
    outcome, _, rejects, _ = read(path)
    assert outcome == {0: "kept", 1: "kept", 2: "truncated_input"}
    assert json.loads(rejects[0]["detail"]) == {"error": "reading stopped at record 2: the file ends inside a gzip member"}


def test_an_uncompressed_warc_is_read_up_to_its_first_malformed_record(tmp_path):
    path = tmp_path / "plain.warc"
    path.write_bytes(response(0, "https://a/0", EN_PAGE) + b"WARC/1.0\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n"
                     + response(2, "https://a/2", ZH_PAGE))
    outcome, _, rejects, _ = read(path)
    assert outcome == {0: "kept", 1: "malformed_warc"}
    assert json.loads(rejects[0]["detail"])["error"] == (
        "WARC headers without a WARC-Type or a numeric Content-Length ('4'); "
        "an uncompressed WARC file is not read past a malformed record")


def test_an_uncompressed_warc_cut_inside_a_block_is_truncated(tmp_path):
    whole = response(0, "https://a/0", EN_PAGE) + response(1, "https://a/1", ZH_PAGE)
    path = tmp_path / "cut.warc"
    path.write_bytes(whole[:-300])
    outcome, _, _, _ = read(path)
    assert outcome == {0: "kept", 1: "truncated_input"}


def test_http_headers_without_a_status_line_are_malformed_and_the_next_record_is_read(tmp_path):
    path = tmp_path / "plain.warc"
    path.write_bytes(warc_record("response", b"this is no HTTP response\r\n\r\n<html></html>", "https://a/0", 0)
                     + response(1, "https://a/1", EN_PAGE))
    outcome, _, rejects, _ = read(path)
    assert outcome == {0: "malformed_warc", 1: "kept"}
    assert (rejects[0]["id"], json.loads(rejects[0]["detail"])["error"], json.loads(rejects[0]["meta"])["url"]) == (
        record_id(0), "no HTTP status line ('this is no HTTP response')", "https://a/0")


def test_a_warc_gzipped_whole_rather_than_per_record_is_read_too(tmp_path):
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(warc_record("warcinfo", b"software: x\r\n", n=0, content_type="application/warc-fields")
                                   + response(1, "https://a/1", EN_PAGE) + response(2, "https://a/2", ZH_PAGE), mtime=0))
    outcome, _, _, stats = read(path)
    assert (outcome, stats.skipped) == ({1: "kept", 2: "kept"}, {"warcinfo": 1})


def test_chunked_and_gzip_encoded_payloads_are_decoded(tmp_path):
    encoded = gzip.compress(EN_PAGE, mtime=0)
    chunked = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (encoded[:100], encoded[100:])) + b"0\r\n\r\n"
    block = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n"
             b"Content-Encoding: gzip\r\n\r\n" + chunked)
    path = tmp_path / "encoded.warc.gz"
    path.write_bytes(per_record_gzip(warc_record("response", block, "https://a/0", 0),
                                     response(1, "https://a/1", zlib.compress(ZH_PAGE), headers="Content-Encoding: deflate\r\n")))
    _, records, _, _ = read(path)
    assert [r["text"] for r in records] == [main_text("The old bridge", EN_BODY), main_text("村里的小桥", ZH_BODY)]


def test_a_payload_over_the_record_limit_is_never_held_whole(tmp_path):
    path = tmp_path / "big.warc.gz"
    limit = max(len(EN_PAGE), len(ZH_PAGE))
    path.write_bytes(per_record_gzip(response(0, "https://a/0", ZH_PAGE), response(1, "https://a/1", EN_PAGE + b" " * limit)))
    outcome, _, rejects, _ = read(path, max_record_bytes=limit, reject_raw_max_bytes=16)
    assert outcome == {0: "kept", 1: "record_too_large"}
    assert rejects[0]["raw"] == EN_PAGE[:16]


def test_trafilatura_can_be_chosen_as_the_extractor(tmp_path):
    path = tmp_path / "one.warc.gz"
    path.write_bytes(per_record_gzip(response(0, "https://a/0", EN_PAGE)))
    _, records, _, _ = read(path, html_extractor="trafilatura")
    assert records[0]["text"] == "\n".join(["The old bridge", *EN_BODY.split("\n\n")])


def test_a_folder_given_as_warc_input_holds_only_its_warc_files(tmp_path):
    for name in ("a.warc.gz", "b.warc", "a.cdx.gz", "notes.jsonl", "sub/c.warc.gz"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert [f.source for f in discover([str(tmp_path)], "warc")] == ["a.warc.gz", "b.warc", "sub/c.warc.gz"]
    assert [f.source for f in discover([str(tmp_path)], "web")] == ["notes.jsonl"]


def test_a_crawl_cleaned_end_to_end_reconciles(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(per_record_gzip(
        warc_record("warcinfo", b"software: test-crawler\r\n", n=0, content_type="application/warc-fields"),
        warc_record("request", b"GET / HTTP/1.1\r\n\r\n", "https://example.cn/zh/1", 1, "application/http; msgtype=request"),
        response(2, "https://example.cn/zh/1", ZH_PAGE),
        response(3, "https://example.com/en/1", EN_PAGE),
        response(4, "https://example.com/en/1?ref=feed", EN_PAGE),
        response(5, "https://example.com/en/2", article("Weather records", EN_OTHER).encode()),
        response(6, "https://example.com/gone", b"<html><body>Not Found</body></html>", status="404 Not Found"),
        response(7, "https://example.com/paper.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
        b"WARC/1.0\r\nWARC-Type response\r\nContent-Length: twelve\r\n\r\nnot a record\r\n\r\n",
    ))
    out = tmp_path / "out"
    assert clean("--input", str(path), "--format", "warc", "--output", str(out)) == 0
    data, rejects, manifest = read_output(out)
    assert fates(data, rejects) == {
        ("crawl.warc.gz", 2): "kept", ("crawl.warc.gz", 3): "kept", ("crawl.warc.gz", 4): "exact_duplicate",
        ("crawl.warc.gz", 5): "kept", ("crawl.warc.gz", 6): "http_status", ("crawl.warc.gz", 7): "not_html",
        ("crawl.warc.gz", 8): "malformed_warc"}
    assert sorted((r["id"], r["lang"]) for r in data) == [(record_id(2), "zh"), (record_id(3), "en"), (record_id(5), "en")]
    assert manifest["format"] == "warc"
    assert manifest["counts"] == {"records_read": 7, "kept": 3, "rejected": 4, "reconciled": True}
    assert manifest["inputs"][0]["skipped_records"] == {"request": 1, "warcinfo": 1}
    assert manifest["stages"][0] == {"stage": "ingest", "in": 7, "out": 4,
                                     "rejected": {"http_status": 1, "malformed_warc": 1, "not_html": 1}}


def test_a_folder_of_html_pages_cleaned_end_to_end(tmp_path):
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / "a.html").write_bytes(article("村里的小桥", ZH_BODY, "zh", head='<meta charset="gb18030">'
                                           '<link rel="canonical" href="https://example.cn/a">').encode("gb18030"))
    (pages / "sub" / "b.htm.gz").write_bytes(gzip.compress(article(
        "The old bridge", EN_BODY, head='<meta charset="utf-8"><meta property="og:url" content="https://example.com/b">').encode()))
    (pages / "empty.html").write_bytes(SCRIPT_ONLY_PAGE)
    (pages / "notes.txt").write_text("not a page")
    out = tmp_path / "out"
    assert clean("--input", str(pages), "--format", "html", "--output", str(out)) == 0
    data, rejects, manifest = read_output(out)
    assert sorted((r["id"], r["source_row"], r["text"], json.loads(r["meta"])) for r in data) == [
        ("a.html", 0, main_text("村里的小桥", ZH_BODY), {"title": "村里的小桥 - Example", "url": "https://example.cn/a"}),
        ("sub/b.htm.gz", 0, main_text("The old bridge", EN_BODY), {"title": "The old bridge - Example", "url": "https://example.com/b"}),
    ]
    assert [(r["id"], r["reason"], json.loads(r["meta"])) for r in rejects] == [("empty.html", "no_main_text", {"title": "Loading"})]
    assert manifest["counts"] == {"records_read": 3, "kept": 2, "rejected": 1, "reconciled": True}
