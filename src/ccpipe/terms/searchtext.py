"""The search copy of a text: the form both glossary surfaces and block text are matched in.

Matching must not depend on how a text happens to be typed, so the copy folds the variations that do not
change a term: full-width letters and digits (Ｇ７ → G7), traditional characters (聯合國 → 联合国),
dash and corner-quote variants, a hyphen between Latin words (low-carbon → low carbon), runs of white
space (one space between Latin words, none next to a Chinese character, where PDF extraction leaves
spurious ones). Character maps are 1:1, so offsets only move where white space is dropped; an
:class:`OffsetMap` maps search-copy positions back to the original exactly.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

import opencc

# Chinese punctuation keeps its full-width form: it is part of the typography, not a spelling variant.
_KEEP_FULL_WIDTH = frozenset("！（），：；？［］｛｝｟｠～")
_DASHES = "‐‑‒–—―－﹣"
_QUOTES = {"「": "“", "」": "”", "『": "‘", "』": "’"}
# Blocks whose characters OpenCC may convert: CJK extension A, unified and compatibility ideographs, extension B.
_IDEOGRAPH_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF))
# Next to one of these a space carries no meaning in Chinese text (ideographs, kana, CJK and full-width
# punctuation, the quotes and dashes Chinese borrows from general punctuation).
_CJK_CLASS = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f“”‘’…·"
_SPACE_RUN = re.compile(" +")
_CJK = re.compile(f"[{_CJK_CLASS}]")
_LATIN_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])-(?=[A-Za-z0-9])")


@cache
def traditional_to_simplified() -> dict[int, str]:
    """Every ideograph that OpenCC's t2s turns into a single other character.

    Built once per process (about 30 ms): the whole ideograph range goes through OpenCC in one call,
    one character per line so that no phrase rule spans two characters; conversions that change the
    length (none today) are dropped to keep the map 1:1.
    """
    chars = [chr(code) for low, high in _IDEOGRAPH_RANGES for code in range(low, high + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a line break got converted: keep nothing rather than misalign
        return {}
    return {ord(t): s for t, s in zip(chars, converted, strict=True) if len(s) == 1 and s != t}


@cache
def char_table() -> dict[int, str]:
    """The 1:1 character map of the search copy (``str.translate`` table)."""
    table = dict(traditional_to_simplified())
    for code in range(0xFF01, 0xFF5F):
        if chr(code) not in _KEEP_FULL_WIDTH:
            table[code] = chr(code - 0xFEE0)
    for dash in _DASHES:
        table[ord(dash)] = "-"
    for variant, quote in _QUOTES.items():
        table[ord(variant)] = quote
    # Every white-space character (tabs, line breaks, no-break and ideographic spaces) becomes a space.
    for code in [*range(0x09, 0x0E), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F]:
        table[code] = " "
    table[0x3000] = " "
    return table


@dataclass(frozen=True)
class OffsetMap:
    """Search-copy index → original index, for a copy that dropped some characters.

    ``breaks[k]`` is the first copy index whose original lies ``shifts[k]`` characters further on.
    """

    breaks: tuple[int, ...] = ()
    shifts: tuple[int, ...] = ()

    def original(self, index: int) -> int:
        k = bisect_right(self.breaks, index)
        return index + (self.shifts[k - 1] if k else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the copy's non-empty ``[start, end)``: from its first to its last character."""
        if not self.breaks:
            return start, end
        return self.original(start), self.original(end - 1) + 1


_IDENTITY = OffsetMap()


def search_copy(text: str) -> tuple[str, OffsetMap]:
    """The search copy of ``text`` and the map of its offsets back into ``text``."""
    copy = text.translate(char_table())
    if "-" in copy:
        copy = _LATIN_HYPHEN.sub(" ", copy)
    if " " not in copy:
        return copy, _IDENTITY
    pieces: list[str] = []
    breaks: list[int] = []
    shifts: list[int] = []
    kept = dropped = 0  # where the copy is now; how many characters were dropped so far
    length = len(copy)
    for run in _SPACE_RUN.finditer(copy):
        start, end = run.span()
        # A run between two Latin words keeps one space; next to Chinese or at either end it goes.
        if start == 0 or end == length or _CJK.match(copy, start - 1) or _CJK.match(copy, end):
            keep = 0
        elif end - start == 1:
            continue
        else:
            keep = 1
        pieces.append(copy[kept + dropped : start])
        pieces.append(" " * keep)
        kept += start - (kept + dropped) + keep
        dropped += end - start - keep
        breaks.append(kept)
        shifts.append(dropped)
    if not breaks:
        return copy, _IDENTITY
    pieces.append(copy[kept + dropped :])
    return "".join(pieces), OffsetMap(tuple(breaks), tuple(shifts))


def search_key(surface: str) -> str:
    """A glossary surface in search-copy form."""
    return search_copy(surface.strip())[0]
