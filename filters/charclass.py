"""Code-point classes used by the text statistics kernel.

One table entry per Basic Multilingual Plane code point holds a bit set of classes; the few
supplementary-plane ranges that matter (CJK extensions, emoji) are classified by range in the
kernel. "Common Han" marks the characters of GB2312 and of Big5 level 1: ordinary Simplified and
Traditional text is almost entirely made of them, whereas UTF-8 bytes mis-decoded as GBK are not.
"""

import unicodedata
from functools import lru_cache

import numpy as np

HAN = 1 << 0
KANA_HANGUL = 1 << 1
LETTER = 1 << 2
DIGIT = 1 << 3
SPACE = 1 << 4
PUNCT = 1 << 5
SYMBOL = 1 << 6
CONTROL = 1 << 7
FORMAT = 1 << 8
PRIVATE_USE = 1 << 9
COMMON_HAN = 1 << 10
TERMINAL = 1 << 11
CP1252_HIGH = 1 << 12

# Punctuation that ends a sentence (C4 keeps lines ending in one of these), with closing quotes and
# brackets that commonly follow it in Chinese and English.
TERMINAL_PUNCTUATION = ".!?。！？…\"'”’」』)）》;；:："
_CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"


def _is_han(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x3007 == cp
    )


def _is_kana_hangul(cp: int) -> bool:
    return 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF


def _common_han() -> set[str]:
    chars: set[str] = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for hi in range(0xA4, 0xC7):
        for lo in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                chars.add(bytes((hi, lo)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return {c for c in chars if _is_han(ord(c))}


@lru_cache(maxsize=1)
def bmp_class_table() -> np.ndarray:
    """uint16 class bits for every code point below U+10000."""
    table = np.zeros(0x10000, dtype=np.uint16)
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        cat = unicodedata.category(ch)
        bits = 0
        if _is_han(cp):
            bits |= HAN
        elif _is_kana_hangul(cp):
            bits |= KANA_HANGUL
        elif cat[0] == "L":
            bits |= LETTER
        if cat == "Nd":
            bits |= DIGIT
        if cat == "Zs" or ch in "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029":
            bits |= SPACE
        elif cat == "Cc":
            bits |= CONTROL
        if cat[0] == "P":
            bits |= PUNCT
        if cat[0] == "S":
            bits |= SYMBOL
        if cat == "Cf":
            bits |= FORMAT
        if cat == "Co":
            bits |= PRIVATE_USE
        table[cp] = bits
    for ch in _common_han():
        table[ord(ch)] |= COMMON_HAN
    for ch in TERMINAL_PUNCTUATION:
        table[ord(ch)] |= TERMINAL
    for cp in range(0x80, 0xC0):
        table[cp] |= CP1252_HIGH
    for ch in _CP1252_SPECIALS:
        table[ord(ch)] |= CP1252_HIGH
    return table
