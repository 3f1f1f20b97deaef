"""Count advertising, contact, URL, markup and jargon phrases in a batch of texts, and find the lines that
may be boilerplate, in one Aho-Corasick pass.

The automaton is a table over the UTF-8 bytes of every phrase, lower-cased (ASCII letters match either
case; Chinese phrases such as 加微信 are found inside running text, without word boundaries), and a
compiled loop walks the Arrow buffers of the whole batch with it. Besides the hits per kind the same
walk gives:

  contact numbers   runs of digit_run_min..15 digits starting within `contact_window` characters after
                    a contact word ("电话 13912345678", "WeChat: 139..."): a number far from any contact
                    word, in a modem script or a table, is not a contact advertisement
  residue           锟斤拷, the GBK reading of U+FFFD: bytes were lost before the text was decoded
  boilerplate lines lines of at most max_line_chars characters holding a boilerplate keyword, the only
                    lines filters.boilerplate tries its patterns on

A URL is counted once, not once for "https://" and again for its "www.": "//www." takes one back.
The rules judge distinct phrases: advertising phrases by which phrase was found (a help page that says
"Click here to apply" and "Click here to update" holds one), URLs by their text after the prefix up to
a space, a quote, `<>|`, a control or a non-ASCII character (a table that lists one mirror ten times
holds one URL; link spam points to many places).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import lru_cache

import numba
import numpy as np
import pyarrow as pa

from filters.buffers import string_buffers

URL_PREFIXES = ("http://", "https://", "www.")
KINDS = ("ad", "contact", "url", "markup", "jargon")
RESIDUE = "锟斤拷"
_RESIDUE, _BOILERPLATE = len(KINDS), len(KINDS) + 1  # columns of the emit table after the counted kinds
_AD, _CONTACT, _URL = KINDS.index("ad"), KINDS.index("contact"), KINDS.index("url")
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_MAX_DIGIT_RUN = 15  # longer digit runs are ids or data, not phone numbers
_LINE_ROOM_BYTES = 64  # room for a boilerplate candidate line per this many bytes of a batch (and one per text)


@dataclass(frozen=True)
class PhraseHits:
    ad: np.ndarray
    contact: np.ndarray
    url: np.ndarray
    markup: np.ndarray
    jargon: np.ndarray
    contact_numbers: np.ndarray | None = None  # digit runs right after a contact word
    residue: np.ndarray | None = None  # 锟斤拷 found
    distinct_ad: np.ndarray | None = None  # different advertising phrases found
    distinct_urls: np.ndarray | None = None  # different URLs (their text after the prefix)

    def patched(self, rows: np.ndarray, other: "PhraseHits") -> "PhraseHits":
        """These hits with the given rows replaced by other's rows (in order)."""
        fields = {}
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is None or theirs is None:
                fields[name] = mine
                continue
            mine = mine.copy()
            mine[rows] = theirs
            fields[name] = mine
        return PhraseHits(**fields)


@dataclass(frozen=True)
class Scan:
    hits: PhraseHits
    line_rows: np.ndarray  # boilerplate candidate lines: the row of each ...
    line_starts: np.ndarray  # ... its first byte and its end (the newline or the text's end) in the batch's data
    line_ends: np.ndarray
    line_numbers: np.ndarray  # ... and its index among the row's lines


@dataclass(frozen=True)
class Automaton:
    delta: np.ndarray  # (states, 256) uint16 (int32 past 65,535 states): the state after a byte (upper-case ASCII folded)
    emit: np.ndarray  # (states, kinds + 2) int32: hits of each kind ending in a state, its dictionary suffixes included
    emits: np.ndarray  # (states,) bool: any non-zero emit
    ad_starts: np.ndarray  # (states + 1,) int64: the advertising phrases ending in state s are ...
    ad_ids: np.ndarray  # ... ad_ids[ad_starts[s]:ad_starts[s + 1]] (indices into the distinct phrases, lower-cased)


@lru_cache(maxsize=8)
def automaton(ad: tuple[str, ...], contact: tuple[str, ...], markup: tuple[str, ...], jargon: tuple[str, ...],
              boilerplate: tuple[str, ...] = ()) -> Automaton:
    """The Aho-Corasick automaton of every phrase, as a dense transition table (cached per phrase lists)."""
    entries: dict[tuple[bytes, int], int] = {}
    ad_keys = sorted({phrase.lower().encode("utf-8") for phrase in ad if phrase})
    ad_index = {key: index for index, key in enumerate(ad_keys)}
    for kind, phrases in enumerate((ad, contact, URL_PREFIXES, markup, jargon)):
        for phrase in phrases:
            if phrase:
                entries[(phrase.lower().encode("utf-8"), kind)] = 1
    entries[(b"//www.", KINDS.index("url"))] = -1
    entries[(RESIDUE.encode("utf-8"), _RESIDUE)] = 1
    for keyword in boilerplate:
        if keyword:
            entries[(keyword.lower().encode("utf-8"), _BOILERPLATE)] = 1
    children: list[dict[int, int]] = [{}]
    own: list[dict[int, int]] = [{}]
    ads: list[set[int]] = [set()]  # advertising phrases ending in each state, its dictionary suffixes included
    for (key, kind), weight in entries.items():
        node = 0
        for byte in key:
            nxt = children[node].get(byte)
            if nxt is None:
                nxt = len(children)
                children[node][byte] = nxt
                children.append({})
                own.append({})
                ads.append(set())
            node = nxt
        own[node][kind] = own[node].get(kind, 0) + weight
        if kind == 0:
            ads[node].add(ad_index[key])
    states = len(children)
    delta = np.zeros((states, 256), dtype=np.uint16 if states < 1 << 16 else np.int32)
    emit = np.zeros((states, len(KINDS) + 2), dtype=np.int32)
    fail = np.zeros(states, dtype=np.int64)
    order = deque()
    for byte, child in children[0].items():
        delta[0, byte] = child
        order.append(child)
    while order:  # breadth first: a state's failure state is done before it
        node = order.popleft()
        for kind, weight in own[node].items():
            emit[node, kind] += weight
        emit[node] += emit[fail[node]]
        ads[node] |= ads[fail[node]]
        delta[node] = delta[fail[node]]
        for byte, child in children[node].items():
            delta[node, byte] = child
            fail[child] = delta[fail[node], byte] if node else 0
            order.append(child)
    upper = np.arange(ord("A"), ord("Z") + 1)
    delta[:, upper] = delta[:, upper + 32]
    ad_starts = np.zeros(states + 1, dtype=np.int64)
    ad_starts[1:] = np.cumsum([len(found) for found in ads])
    ad_ids = np.array([index for found in ads for index in sorted(found)], dtype=np.int64)
    return Automaton(delta, emit, (emit != 0).any(axis=1), ad_starts, ad_ids)


@numba.njit(cache=True, nogil=True)
def _line_chars(data, start, end):
    chars = 0
    for i in range(start, end):
        chars += (data[i] & 0xC0) != 0x80
    return chars


@numba.njit(cache=True, nogil=True, inline="always")
def _ends_url(b):
    """A byte that cannot be part of a URL as text shows it: space, control, quote, < > | `, non-ASCII."""
    return b <= 0x20 or b >= 0x7F or b == 0x22 or b == 0x27 or b == 0x3C or b == 0x3E or b == 0x7C or b == 0x60


@numba.njit(cache=True, nogil=True)
def _distinct(values, n):
    if n < 2:
        return n
    ordered = np.sort(values[:n])
    distinct = 1
    for k in range(1, n):
        distinct += ordered[k] != ordered[k - 1]
    return distinct


@numba.njit(cache=True, nogil=True)
def _scan(offsets, data, valid, delta, emit, emits, ad_starts, ad_ids, contact_window, digit_min, max_line_chars, hits,
          numbers, residue, distinct_ad, distinct_urls, line_rows, line_starts, line_ends, line_numbers):
    """The automaton over every text. Characters are counted only where it matters: after a contact word
    (to place digit runs within contact_window) and in lines that hold a boilerplate keyword. Returns the
    number of such lines; those past the room of the line arrays are counted, not noted."""
    kinds = hits.shape[1]
    n_lines = 0
    longest = 0
    for row in range(offsets.shape[0] - 1):
        longest = max(longest, offsets[row + 1] - offsets[row])
    url_hashes = np.empty(longest // 4 + 2, dtype=np.uint64)  # a URL takes 4 bytes at least ("www.")
    ad_seen = np.zeros(max(1, ad_ids.shape[0]), dtype=np.int64)  # the last row + 1 that held each phrase
    for row in range(offsets.shape[0] - 1):
        if not valid[row]:
            continue
        start = offsets[row]
        end = offsets[row + 1]
        state = 0
        line_start = start
        line_number = 0
        line_keyword = False
        near_contact = False  # within contact_window characters of a contact word, or in a digit run that began so
        since_contact = 0
        run = 0
        run_start = 0
        in_url = False
        url_hash = _FNV_OFFSET
        n_urls = 0
        for i in range(start, end + 1):
            if i < end:
                b = data[i]
                if in_url:
                    if _ends_url(b):
                        url_hashes[n_urls] = url_hash
                        n_urls += 1
                        in_url = False
                    else:
                        url_hash = (url_hash ^ np.uint64(b)) * _FNV_PRIME
                state = delta[state, b]
                if emits[state]:
                    for k in range(kinds):
                        hits[row, k] += emit[state, k]
                    if emit[state, _AD] > 0:
                        for k in range(ad_starts[state], ad_starts[state + 1]):
                            if ad_seen[ad_ids[k]] != row + 1:
                                ad_seen[ad_ids[k]] = row + 1
                                distinct_ad[row] += 1
                    if emit[state, _URL] > 0 and not in_url:
                        in_url = True
                        url_hash = _FNV_OFFSET
                    if emit[state, _CONTACT] > 0:
                        near_contact = True
                        since_contact = 0
                        run = 0
                    if emit[state, _RESIDUE] > 0:
                        residue[row] = True
                    if emit[state, _BOILERPLATE] > 0:
                        line_keyword = True
            else:
                b = 10  # a virtual final newline closes the last line, any digit run and any URL
                if in_url:
                    url_hashes[n_urls] = url_hash
                    n_urls += 1
            if near_contact and (b & 0xC0) != 0x80:
                if 0x30 <= b <= 0x39:
                    if run == 0:
                        run_start = since_contact
                    run += 1
                else:
                    if digit_min <= run <= _MAX_DIGIT_RUN and run_start <= contact_window:
                        numbers[row] += 1
                    run = 0
                    near_contact = since_contact <= contact_window
                since_contact += 1
            if b == 10:
                if line_keyword and _line_chars(data, line_start, i) <= max_line_chars:
                    if n_lines < line_rows.shape[0]:
                        line_rows[n_lines] = row
                        line_starts[n_lines] = line_start
                        line_ends[n_lines] = i
                        line_numbers[n_lines] = line_number
                    n_lines += 1
                line_start = i + 1
                line_number += 1
                line_keyword = False
        distinct_urls[row] = _distinct(url_hashes, n_urls)
    return n_lines


def scan(texts: pa.Array, ad_phrases: list[str], contact_phrases: list[str], markup_phrases: list[str],
         jargon_phrases: list[str] = (), boilerplate_keywords: list[str] = (), max_line_chars: int = 0,
         contact_window: int = 20, digit_run_min: int = 7) -> Scan:
    """Hits per kind for every text of the array, and its boilerplate candidate lines."""
    machine = automaton(tuple(ad_phrases), tuple(contact_phrases), tuple(markup_phrases), tuple(jargon_phrases),
                        tuple(boilerplate_keywords))
    n = len(texts)
    offsets, data, valid = string_buffers(texts)
    room = n + (offsets[-1] - offsets[0]) // _LINE_ROOM_BYTES if n and len(boilerplate_keywords) else 0
    while True:  # a second pass only for a batch with more candidate lines than the room guessed
        hits = np.zeros((n, len(KINDS)), dtype=np.int64)
        numbers = np.zeros(n, dtype=np.int64)
        residue = np.zeros(n, dtype=bool)
        distinct_ad = np.zeros(n, dtype=np.int64)
        distinct_urls = np.zeros(n, dtype=np.int64)
        line_rows, line_starts, line_ends, line_numbers = (np.empty(room, dtype=np.int64) for _ in range(4))
        found = 0
        if n:
            found = _scan(offsets, data, valid, machine.delta, machine.emit, machine.emits, machine.ad_starts, machine.ad_ids,
                          contact_window, digit_run_min, max_line_chars if len(boilerplate_keywords) else -1, hits, numbers,
                          residue, distinct_ad, distinct_urls, line_rows, line_starts, line_ends, line_numbers)
        if found <= room:
            break
        room = found
    phrase_hits = PhraseHits(*hits.T.copy(), contact_numbers=numbers, residue=residue, distinct_ad=distinct_ad,
                             distinct_urls=distinct_urls)
    return Scan(phrase_hits, line_rows[:found], line_starts[:found], line_ends[:found], line_numbers[:found])


def count(texts: pa.Array, ad_phrases: list[str], contact_phrases: list[str], markup_phrases: list[str],
          jargon_phrases: list[str] = ()) -> PhraseHits:
    """Hits per kind for every text of the array."""
    return scan(texts, ad_phrases, contact_phrases, markup_phrases, jargon_phrases).hits
