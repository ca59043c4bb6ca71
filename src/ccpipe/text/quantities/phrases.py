"""Figures without a unit after them: fractions (三分之一, 1/10, 一半), 百分之N, fixed phrases (成倍增长,
两位数增长, 翻一番), ratios (倍差缩小至1.83, 系数为1.05), and 万 / 亿 amounts whose unit is the noun around
them (80万重点群体, 常住人口超过300万) or the money they speak of (获得首贷274亿).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from ccpipe.models import QuantityKind
from ccpipe.text.quantities.amounts import AMOUNT
from ccpipe.text.quantities.context import AFTER, BEFORE, LEFT, RIGHT
from ccpipe.text.quantities.found import Found
from ccpipe.text.quantities.nouns import counted
from ccpipe.text.quantities.numbers import ARABIC, CHINESE, SCALE, SPACE, number_value

_S = SPACE
_NUM = rf"(?:{ARABIC}|{CHINESE})"
_FRACTION = re.compile(rf"(?P<den>{_NUM})分之(?P<num>{_NUM})|(?<![0-9./])(?P<n>[1-9])/(?P<d>[1-9][0-9]?)(?![0-9/])")
_HALF = re.compile(r"(?<![一二三四五六七八九十上下前后])一半")
_PERCENT_WORDS = re.compile(rf"百分之(?P<a>{_NUM})")
# Fixed phrases: (kind, value or (low, high), unit, qualifier, change).
_PHRASES: dict[str, tuple[QuantityKind, float | tuple[float, float], str, str | None, str | None]] = {
    "成倍增长": (QuantityKind.MULTIPLE, 1.0, "times", "at_least", "increase"),
    "成倍增加": (QuantityKind.MULTIPLE, 1.0, "times", "at_least", "increase"),
    "翻一番": (QuantityKind.MULTIPLE, 1.0, "times", None, "increase"),
    "翻两番": (QuantityKind.MULTIPLE, 3.0, "times", None, "increase"),
    "两位数增长": (QuantityKind.PERCENT, (10.0, 99.0), "%", "vague", "increase"),
}
_PHRASE = re.compile("|".join(_PHRASES))
_RATIO = re.compile(
    rf"(?<=系数|倍差)(?:为|是|达到|达|缩小至|缩小到|扩大至|扩大到|降至|降到)?{_S}(?P<a>{ARABIC})(?![0-9.]*[%倍])"
)
# A scaled amount with no unit of its own: 80万, 14亿多, 1800万.
_SCALED = re.compile(rf"(?P<a>{_NUM}){_S}(?P<more>[多余])?(?P<scale>{SCALE})(?P<more2>[多余])?")
# 千亿级 (投资), 超五百亿级 (产业链): a size class of money, in yuan.
_MONEY_CLASS = re.compile(rf"(?:(?P<a>{_NUM}){_S}(?P<scale>[十百千]?亿)|(?P<bare>千亿|百亿|万亿))级")
_MONEY_BEFORE = re.compile(
    r"(?:贷款?|资金|投资|融资|收入|金额|成交额|营收|产值|销售额|余额|税收|利润|补贴|首贷)[^，。；、]{0,4}$"
)


def _qualified(text: str, found: Found) -> Found:
    """``found`` widened over a qualifier right before or after it (三分之一以上, 超过1800万)."""
    start, end, qualifier = found.start, found.end, found.qualifier
    window = max(0, start - 6)
    left = LEFT.search(text[window:start])
    if left and left["qualifier"] and not left["change"]:
        start, qualifier = window + left.start("qualifier"), BEFORE[left["qualifier"]]
    right = RIGHT.match(text, end)
    if right:
        end, qualifier = right.end(), qualifier or AFTER[right["qualifier"]]
    return replace(found, start=start, end=end, qualifier=qualifier)


def _fractions(text: str) -> Iterator[Found]:
    for match in _FRACTION.finditer(text):
        den = number_value(match["den"] or match["d"])
        num = number_value(match["num"] or match["n"])
        if den and num is not None and 0 < num < den:
            share = round(float(num / den * 100), 3)
            yield Found(match.start(), match.end(), QuantityKind.PERCENT, value=share, unit="%")
    for match in _HALF.finditer(text):
        yield Found(match.start(), match.end(), QuantityKind.PERCENT, value=50.0, unit="%")
    for match in _PERCENT_WORDS.finditer(text):
        value = number_value(match["a"])
        if value is not None:
            yield Found(match.start(), match.end(), QuantityKind.PERCENT, value=float(value), unit="%")


def _phrases(text: str) -> Iterator[Found]:
    for match in _PHRASE.finditer(text):
        kind, value, unit, qualifier, change = _PHRASES[match.group(0)]
        low, high = value if isinstance(value, tuple) else (None, None)
        single = value if isinstance(value, float) else None
        yield Found(match.start(), match.end(), kind, single, low, high, unit, qualifier, change=change)
    for match in _RATIO.finditer(text):
        ratio = number_value(match["a"])
        if ratio is not None:
            start, end = match.span("a")
            yield Found(start, end, QuantityKind.MULTIPLE, value=float(ratio), unit="times")


def _money_classes(text: str) -> Iterator[Found]:
    for match in _MONEY_CLASS.finditer(text):
        value = number_value(match["bare"]) if match["bare"] else number_value(match["a"], match["scale"])
        if value is not None:
            found = Found(match.start(), match.end(), QuantityKind.MONEY, float(value), unit="CNY")
            found = _qualified(text, found)
            yield found if found.qualifier else replace(found, qualifier="about")


def _scaled(text: str) -> Iterator[Found]:
    """万 / 亿 amounts without a unit: a count when a noun says what of, money when the words before say so."""
    for match in _SCALED.finditer(text):
        if AMOUNT.match(text, match.start()):
            continue  # the unit follows: an amount of its own
        value = number_value(match["a"], match["scale"])
        if value is None or value < Decimal(10_000):
            continue
        qualifier = "more_than" if match["more"] or match["more2"] else None
        before = text[max(0, match.start() - 12) : match.start()]
        if match["scale"].endswith("亿") and _MONEY_BEFORE.search(before):
            yield Found(match.start(), match.end(), QuantityKind.MONEY, float(value), unit="CNY", qualifier=qualifier)
            continue
        noun = counted(text, match.start(), match.end(), None)
        if noun:
            yield Found(match.start(), match.end(), QuantityKind.COUNT, float(value), unit=noun, qualifier=qualifier)


def find_phrases(text: str) -> list[Found]:
    """Figures of the kinds above, each widened over its qualifier."""
    qualified = [f if f.qualifier else _qualified(text, f) for f in [*_fractions(text), *_scaled(text)]]
    return [*_phrases(text), *_money_classes(text), *qualified]
