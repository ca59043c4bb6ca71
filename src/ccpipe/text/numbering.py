"""Section numbering as Chinese documents print it (GB/T 9704-2012 and the conventions of plans and laws).

The hierarchy, from the top: 第X编/第X部分 > 第X章 > 第X节 > 第X条 > 一、 > （一） > 1. > （1） > ①, and in
English documents I. > (I) > 1. > 1.1 > 1.1.1. A document uses some of these, in this order, starting wherever
it likes: levels are what a document makes of them (see :mod:`ccpipe.text.headings`), the rank here only
orders the kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ccpipe.textutil import chinese_number

_CN = "〇零一二三四五六七八九十百"
# OCR and re-typesetting turn 一 into a hyphen or a dash: （-） stands for （一）.
_CN_OR_DASH = _CN + "\\-－—–"
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (kind, rank, pattern). The marker is group 1; what follows it is the heading's text.
_KINDS: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("part", 0, re.compile(rf"^(第[{_CN}\d]{{1,4}}(?:编|部分))\s*")),
    ("chapter", 1, re.compile(rf"^(第[{_CN}\d]{{1,4}}章)\s*")),
    ("section", 2, re.compile(rf"^(第[{_CN}\d]{{1,4}}节)\s*")),
    ("article", 3, re.compile(rf"^(第[{_CN}\d]{{1,4}}条)\s*")),
    ("cn", 4, re.compile(rf"^([{_CN}]{{1,4}}\s?[、．])\s*")),
    ("roman", 4, re.compile(r"^((?=[IVXL])[IVXL]{1,6}\.)\s+")),
    ("pcn", 5, re.compile(rf"^([（(][{_CN_OR_DASH}]{{1,4}}[）)])\s*")),
    ("proman", 5, re.compile(r"^(\((?=[IVXL])[IVXL]{1,6}\))\s*")),
    ("decimal3", 6.3, re.compile(r"^(\d{1,2}[.．]\d{1,2}[.．]\d{1,2})(?=\s|[A-Za-z\u4e00-\u9fff])\s*")),
    ("decimal2", 6.2, re.compile(r"^(\d{1,2}[.．]\d{1,2})(?=\s|[A-Za-z\u4e00-\u9fff])\s*")),
    # 1.5 is a number, but 2.2019年… is item 2 about a year.
    ("num", 6.1, re.compile(r"^(\d{1,3}\s?[.．、](?:(?![\d.．])|(?=(?:19|20)\d\d\D)))\s*")),
    ("numdash", 6.1, re.compile(r"^(\d{1,2}\s+[-–—]\s+)(?=\S)")),
    ("pnum", 7, re.compile(r"^([（(]\d{1,3}[）)])\s*")),
    ("rparen", 8, re.compile(r"^(\d{1,2}[)）])\s*")),
    ("circled", 9, re.compile(rf"^([{_CIRCLED}])\s*")),
)
RANKS = {kind: rank for kind, rank, _ in _KINDS}


@dataclass(frozen=True)
class Numbering:
    kind: str
    ordinal: int  # 1 for 一、/（一）/1./I./①; 0 when the marker cannot be read (（-）)
    marker: str  # the marker as printed: 一、 （一） 1. 第三章
    end: int  # where the text after the marker (and its spaces) starts

    @property
    def rank(self) -> float:
        return RANKS[self.kind]


def numbering(text: str) -> Numbering | None:
    """The section numbering that opens ``text``, or None.

    A Chinese numeral followed by 是 (一是…) is an enumerated lead, not a section, and is not matched."""
    for kind, _rank, pattern in _KINDS:
        found = pattern.match(text)
        if found:
            marker = found.group(1)
            return Numbering(kind, _ordinal(kind, marker), marker.strip(), found.end())
    return None


def heading_level(text: str) -> int:
    """The GB/T 9704 level of an official document's numbering (一、 1, （一） 2, 1. 3, （1） 4), 0 for none.

    The fixed levels of a 公文 body; a document's own levels come from :mod:`ccpipe.text.headings`."""
    found = numbering(text)
    fixed = {"cn": 1, "pcn": 2, "num": 3, "pnum": 4}
    return fixed.get(found.kind, 0) if found else 0


def _ordinal(kind: str, marker: str) -> int:
    if kind == "circled":
        return _CIRCLED.index(marker) + 1
    if kind in ("roman", "proman"):
        return roman_value(marker.strip("().").strip())
    numbers = re.findall(r"\d+", marker)
    if numbers:
        return int(numbers[-1])
    return chinese_number(re.sub(rf"[^{_CN}]", "", marker.replace("第", "")))


def roman_value(numeral: str) -> int:
    values = [_ROMAN.get(ch, 0) for ch in numeral.upper()]
    if not values or 0 in values:
        return 0
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
