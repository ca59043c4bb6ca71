"""Amounts with a unit: money, measures, percentages, multiples and counts, with their qualifier and change."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ccpipe.models import QuantityKind
from ccpipe.text.quantities.context import AFTER, BEFORE, CHANGES, LEFT, MORE, RIGHT
from ccpipe.text.quantities.found import Found
from ccpipe.text.quantities.nouns import counted
from ccpipe.text.quantities.numbers import (
    ARABIC,
    BARE,
    CHINESE,
    SCALE,
    SEP,
    SPACE,
    VAGUE,
    number_value,
    vague_range,
)
from ccpipe.text.quantities.units import RANGE_UNIT, UNIT_PATTERN, UNITS, Unit

_S = SPACE


def _figure(name: str) -> str:
    """A numeral with its scale and 多 / 余 (2300多, 1亿多, 3.2万余), groups named after ``name``."""
    more, scale, more2 = f"{name}_more", f"{name}_scale", f"{name}_more2"
    return rf"(?P<{name}>{ARABIC}|{CHINESE}){_S}(?P<{more}>[多余])?(?P<{scale}>{SCALE})?(?P<{more2}>[多余])?"


# 数十 / 几百 read as vague only where 数 is not the end of a word (指数, 人数, 系数…); 以上 is never 上百.
_VAGUE = rf"(?<![指人岁系分函基总参常变次天户件个位级倍])(?<!以){VAGUE}"
AMOUNT = re.compile(
    rf"(?P<rmb>人民币{_S})?"
    rf"(?:(?P<vague>{_VAGUE})|(?P<bare>{BARE})|{_figure('a')}"
    rf"(?:{_S}(?P<range_unit>{RANGE_UNIT})?{_S}{SEP}{_S}{_figure('b')})?)"
    rf"{_S}(?P<unit>{UNIT_PATTERN})"
)
_DURATIONS = frozenset({"years", "months", "days", "hours", "minutes", "weeks", "working days", "age"})
_CO2_BEFORE = re.compile(r"二氧化碳(?:排放|排放量)?$")
_PER_DAY_BEFORE = re.compile(r"(?:日均|每日|每天|日处理能力|日处理规模)$")
_PER_DECADE_BEFORE = re.compile(rf"每{_S}10{_S}年$")
_LEFT_WINDOW = 8
_ASIDE = re.compile(r"[（(][^（）()]{1,30}[）)]")


@dataclass(frozen=True)
class _Context:
    start: int
    end: int
    qualifier: str | None
    change: str | None


def _values(match: re.Match[str], unit: Unit) -> tuple[Decimal | None, Decimal | None, Decimal | None, str | None]:
    """(value, low, high, qualifier) of the numerals of ``match``, in the unit's base (分 → yuan)."""
    if match["vague"]:
        low, high, floor = vague_range(match["vague"])
        if floor:
            return low * unit.factor, None, None, "over"
        return None, low * unit.factor, high * unit.factor, "vague"
    if match["bare"]:
        value = number_value(match["bare"])
        return (value * unit.factor if value is not None else None), None, None, None
    more = MORE if match["a_more"] or match["a_more2"] or match["b_more"] or match["b_more2"] else None
    if match["b"] is None:
        value = number_value(match["a"], match["a_scale"])
        return (value * unit.factor if value is not None else None), None, None, more
    # 524-833亿美元: a scale written once, at the end, applies to both ends.
    lower = number_value(match["a"], match["a_scale"] or match["b_scale"])
    upper = number_value(match["b"], match["b_scale"])
    if lower is None or upper is None or lower >= upper:
        return None, None, None, None
    return None, lower * unit.factor, upper * unit.factor, more


def _context(text: str, start: int, end: int) -> _Context:
    """The figure's span widened over the qualifier and change words around it."""
    qualifier, change = None, None
    window_start = max(0, start - _LEFT_WINDOW)
    left = LEFT.search(text[window_start:start])
    if text.endswith("约为", window_start, start):
        qualifier = "about"  # 约为 ("is about"): its verb stays outside the figure
    elif left and left.group(0):
        qualifier = BEFORE.get(left["qualifier"] or "") or ("at_least" if left["least"] else None)
        change = CHANGES.get(left["change"] or "")
        if qualifier == "nearly" and text.startswith("年来", end - 1):
            qualifier = None  # 近五年来: over the past five years
        elif qualifier or change:
            start = window_start + left.start()
    if start > 0 and text[start - 1] == "±" and not (qualifier or change):
        start -= 1  # ±500千伏
    right = RIGHT.match(text, end)
    if right:
        end = right.end()
        qualifier = qualifier or AFTER[right["qualifier"]]
    elif qualifier is None:  # 2.6万吨二氧化碳当量（综合能源消费量约1万吨标准煤）及以上
        aside = _ASIDE.match(text, end)
        right = RIGHT.match(text, aside.end()) if aside else None
        qualifier = AFTER[right["qualifier"]] if right else None
    if text.startswith("级", end - 1) and change:  # 提升30万千瓦级机组: a class has no change
        start, change = start + len(change), None
    return _Context(start, end, qualifier, change)


def _plausible(match: re.Match[str], text: str, unit: Unit, value: Decimal | None) -> bool:
    """Whether the match is an amount, not a word that contains a numeral and a unit character."""
    numeral = match["a"] or ""
    chinese = bool(numeral) and not numeral[0].isdigit()
    surface = match["unit"]
    if unit.code in _DURATIONS and (match["bare"] or text[: match.start()].rstrip().endswith("每")):
        return False  # 百年 (a century, 百年奋斗目标) is no duration, 每10年 (per decade) a rate
    if unit.code == "years" and not chinese and value is not None and value >= 1000:
        return False  # a calendar year
    if chinese and surface == "元" and not (match["a_scale"] or match["b_scale"]):
        return False  # 二元结构 (dual structure), 一元 as a word
    if match["bare"] and text[: match.start()].endswith(("（", "(")):
        return False  # a unit label: 煤电（亿千瓦）
    if surface == "大":  # 五大产业 counts only after a list (…等五大优势特色产业); 十大行动 is a name
        return text[: match.start()].rstrip().endswith("等")
    return True


def _unit_code(match: re.Match[str], text: str, unit: Unit, start: int, end: int) -> tuple[str | None, int]:
    """The unit code, read with the words before the figure (二氧化碳约58亿吨 → tCO2, 日均1200吨 → t/d)."""
    before = text[max(0, start - 10) : start]
    if unit.code == "t" and _CO2_BEFORE.search(before):
        return "tCO2", start
    if unit.code == "t":
        per_day = _PER_DAY_BEFORE.search(before)
        if per_day and per_day.group(0) in ("日均", "每日", "每天"):
            return "t/d", start - len(per_day.group(0))
        if per_day:
            return "t/d", start
    if unit.code == "°C":
        per_decade = _PER_DECADE_BEFORE.search(before)
        if per_decade:
            return "°C per decade", start - len(per_decade.group(0))
    if unit.kind == QuantityKind.COUNT:
        return counted(text, start, end, match["unit"]), start
    return unit.code, start


def amount(match: re.Match[str], text: str) -> Found | None:
    """The amount ``match`` of :data:`AMOUNT` stands for, or None if it is no amount."""
    unit = UNITS[match["unit"]]
    if match["rmb"] and unit.kind != QuantityKind.MONEY:
        return None
    value, low, high, own_qualifier = _values(match, unit)
    if (value is None and low is None) or not _plausible(match, text, unit, value or high):
        return None
    context = _context(text, match.start(), match.end())
    qualifier = context.qualifier or own_qualifier
    if own_qualifier == "vague":
        qualifier = "vague"
    # 一个 / 一批 / 一次 are mostly "a": a count of one only when a qualifier makes it one (至少一次).
    if match["a"] == "一" and unit.kind == QuantityKind.COUNT and qualifier is None:
        return None
    code, start = _unit_code(match, text, unit, context.start, context.end)
    found = Found(start, context.end, unit.kind, unit=code, qualifier=qualifier, change=context.change)
    if value is not None:
        return replace(found, value=float(value))
    return replace(found, low=float(low or 0), high=float(high or 0))


def find_amounts(text: str) -> list[Found]:
    found = []
    for match in AMOUNT.finditer(text):
        figure = amount(match, text)
        if figure is not None:
            found.append(figure)
    return found
