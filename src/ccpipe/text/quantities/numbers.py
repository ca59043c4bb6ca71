"""Numerals of Chinese statistics: Arabic (1,200 / 9.5), Chinese (两千五百 / 十四), 万 / 亿 scales, bare scales
(万种, 千亿级), and vague amounts (数百万, 几十, 上千, 成千上万, 两位数) that stand for a range, not one value.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

SPACE = r"[ \u00a0\u2009\u202f]?"  # the PDF text layer puts a space around Arabic numerals: 600 亿美元
# Range separators: 524-833, 40%－45%, 1.5～2倍, 1951至2020年, 10到20个.
SEP = r"(?:[-－–—~～]|至|到)"
# Not inside a code or name (PM2.5, 5G, 5A级, HFC-23); a Latin unit may follow (300MW, 41μg/m3).
ARABIC = r"(?<![0-9.,A-Za-z第])[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?![0-9.]*(?!MW|GW|kW|kV|TEU)[A-Za-z])"
# A Chinese numeral starts with a digit or 十; after 第 or 届 it is an ordinal (第十四届, 二十届三中全会), so it
# is left to the ordinal rules. 〇 and 零 only occur inside (一百零五).
CHINESE = r"(?<![〇零一二两三四五六七八九十百千万亿第届])[一二两三四五六七八九十][〇零一二两三四五六七八九十百千]*"
# A scale written after the numeral: 9.5万亿, 2800亿, 1.2万, 5千万.
SCALE = r"(?:[十百千]?万亿|[十百千]?[万亿])"
# A scale with no numeral before it stands for one of it: 万种 (10,000 kinds), 千亿级, 突破万亿元. Not inside
# other numerals or words such as 百分之 (handled as a percentage).
BARE = r"(?<![〇零一二两三四五六七八九十百千万亿0-9.])(?:千万|百万|十万|百亿|千亿|万亿|[百千万亿])(?!分之)"
# Vague amounts: the order of magnitude only.
VAGUE = r"(?:成千上万|成百上千|数以[十百千万亿]计|[数几](?:十|百|千)?[万亿]?|上[百千万亿]|两位数)"

_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_SECTION = {"万": 10_000, "亿": 100_000_000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def fullwidth_to_ascii(text: str) -> str:
    """Full-width digits, point and per cent sign as ASCII, one character for one (offsets stay)."""
    return text.translate(_FULLWIDTH)


def _small_chinese(text: str) -> int | None:
    """A Chinese numeral below 10,000 (两千五百, 十二, 一百零五), or a run of digits (二〇二三); None if malformed."""
    if all(char in _DIGIT for char in text) and len(text) > 1:
        return int("".join(str(_DIGIT[char]) for char in text))
    total, digit = 0, None
    for char in text:
        if char in _DIGIT:
            if digit is not None and _DIGIT[char] != 0:
                return None  # two digits in a row: 三五 is not a numeral here
            digit = _DIGIT[char]
        elif char in _UNIT:
            total += (1 if digit is None else digit) * _UNIT[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def chinese_value(text: str) -> int | None:
    """The value of a Chinese numeral with optional 万 / 亿 sections (十四亿, 两千五百万); None if malformed."""
    total = 0
    rest = text
    for section in ("亿", "万"):
        if section in rest:
            head, rest = rest.split(section, 1)
            value = _small_chinese(head) if head else 1
            if value is None:
                return None
            total += value * _SECTION[section]
    if rest:
        value = _small_chinese(rest)
        if value is None:
            return None
        total += value
    return total


def scale_value(scale: str | None) -> Decimal:
    """The factor of a scale written after a numeral: 万 → 1e4, 千亿 → 1e11, 万亿 → 1e12."""
    factor = Decimal(1)
    for char in scale or "":
        factor *= _UNIT.get(char) or _SECTION[char]
    return factor


def number_value(text: str, scale: str | None = None) -> Decimal | None:
    """An Arabic or Chinese numeral, or a bare scale (万, 千亿), times ``scale``; None if it is no number."""
    digits = fullwidth_to_ascii(text).replace(",", "")
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", digits):
        try:
            base = Decimal(digits)
        except InvalidOperation:
            return None
    elif all(char in "十百千万亿" for char in text):  # a bare scale: 万 (种), 千亿 (级)
        base = scale_value(text)
    else:
        value = chinese_value(text)
        if value is None:
            return None
        base = Decimal(value)
    return base * scale_value(scale)


def vague_range(text: str) -> tuple[Decimal, Decimal, bool]:
    """The range a vague amount stands for, and whether it is a floor (上千 = over a thousand).

    数十 = 20-90, 数百万 = 2-9 million, 成千上万 = 1,000-100,000, 两位数 = 10-99; 上百 / 上千 = over 100 / 1,000.
    """
    if text == "成千上万":
        return Decimal(1000), Decimal(100_000), False
    if text == "成百上千":
        return Decimal(100), Decimal(1000), False
    if text == "两位数":
        return Decimal(10), Decimal(99), False
    if text.startswith("数以"):
        base = scale_value(text[2:-1])
        return 2 * base, 9 * base, False
    if text.startswith("上"):
        base = scale_value(text[1:])
        return base, base, True
    base = scale_value(text[1:]) if len(text) > 1 else Decimal(1)
    return 2 * base, 9 * base, False
