"""Numerals that are not amounts: slogans and names in quotes (“五个一”, “三线一单”, “0.1微克”), idioms built
of round numbers (千家万户, 千乡万村), and phase numbers written in Chinese (三期工程, “三北”六期).

Ordinals (第三次, 第4位), sessions (二十届三中全会, 第十四届), grades (Ⅳ类, 5A级), plan names (十四五) and document
numbers (国发〔2021〕23号) never match a numeral followed by a unit, so they need no rule here: see the
lookarounds in :mod:`ccpipe.text.quantities.numbers` and :mod:`ccpipe.text.quantities.units`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ccpipe.text.quantities.found import Found

# A short quoted phrase: a name or slogan, whose numerals count nothing — unless the figure inside carries a
# qualifier (“两个以上独立逃生通道” states a requirement of two or more).
_QUOTED = re.compile(r"[“「『\"][^“”「」『』\"]{1,15}[”」』\"]")
# 千家万户, 千乡万村, 千方百计: two round numbers, each before one character.
_IDIOM = re.compile(r"[百千万][^\s，。、0-9一二三四五六七八九十百千万亿][百千万][^\s，。、0-9]")
# Chinese numeral + 期 is a phase (三期工程, 六期); 56期 (courses held) is a count.
_FIGURES_ONLY = re.compile(r"[〇零一二两三四五六七八九十百千万亿0-9.个、和及\s]*")
_PHASE = re.compile(r"^[〇零一二两三四五六七八九十]+期$")


@dataclass(frozen=True)
class Names:
    """Where the names of a text are: quoted phrases and idioms."""

    quotes: list[tuple[int, int]]
    idioms: list[tuple[int, int]]


def name_spans(text: str) -> Names:
    """Spans of ``text`` whose numerals may be names, not amounts."""
    return Names([m.span() for m in _QUOTED.finditer(text)], [m.span() for m in _IDIOM.finditer(text)])


def _within(found: Found, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    return next(((start, end) for start, end in spans if start <= found.start and found.end <= end), None)


def is_name(found: Found, text: str, names: Names) -> bool:
    """Whether ``found`` lies in a name (and states no qualified requirement) or is a phase number."""
    if _PHASE.match(text[found.start : found.end]) or _within(found, names.idioms):
        return True
    quote = _within(found, names.quotes)
    if quote is None or found.qualifier is not None:
        return False
    # A quote made of figures only states them (“两个200万亩”); a quote with words is a name (“0.1微克”行动).
    rest = text[quote[0] + 1 : found.start] + text[found.end : quote[1] - 1]
    return not _FIGURES_ONLY.fullmatch(rest)
