"""Years and dates: 2023年, 二〇三五年, 2013-2020年, 2023年10月, 2025年1月20日, 2022年底, 2019年上半年, with the
words that place them (到2030年 = by, 2030年前 = before, 自2014年起 / 1970年以来 = since, 2030年左右 = about).
"""

from __future__ import annotations

import calendar
import re

from ccpipe.models import QuantityKind
from ccpipe.text.quantities.found import Found, overlaps
from ccpipe.text.quantities.numbers import SEP, SPACE, chinese_value

_S = SPACE
_YEAR = (
    r"(?:(?<![0-9.])(?:1[89]|2[01])[0-9]{2}(?![0-9])"
    r"|(?<![〇零一二三四五六七八九])[一二][〇零一二三四五六七八九]{3})"
)
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_YEAR_RANGE = re.compile(rf"(?P<y>{_YEAR}){_S}年?{_S}{SEP}{_S}(?P<y2>{_YEAR}){_S}(?:年度|年)")
_DATE = re.compile(
    rf"(?P<y>{_YEAR}){_S}(?:"
    rf"年{_S}(?P<m>{_MONTH}){_S}(?:{SEP}{_S}(?P<m2>{_MONTH}){_S})?月(?:{_S}(?P<d>{_DAY}){_S}[日号]|(?P<mend>底|末))?"
    rf"|年(?P<half>上半年|下半年)"
    rf"|(?P<suffix>财年|年度|年(?P<yend>底|末)?(?!代)))"
)
# A year without 年 is a year only where the words say so: 自1961以来.
_BARE_YEAR = re.compile(rf"(?<=自)(?:{_S})(?P<y>{_YEAR}){_S}(?=以来|起)")
# Words that place a year or date: before it, and after it (longest first).
# 截至 is "as of", 跃升至 / 降至 "to": no qualifier.
_BY = re.compile(rf"(?P<word>到|(?<![截升降增提减])至|自){_S}$")
_AFTER = re.compile(r"(?P<word>前后|之前|以前|前|以来|起|左右)")
_AFTER_QUALIFIER = {"前后": "about", "之前": "before", "以前": "before", "前": "before", "以来": "since",
                    "起": "since", "左右": "about"}  # fmt: skip


def _small(text: str) -> int | None:
    """A year, month or day in Arabic digits, Chinese digits (二〇二三) or a Chinese numeral (十二)."""
    if text.isdigit() and text.isascii():
        return int(text)
    return chinese_value(text)


def _placed(text: str, found: Found) -> Found:
    """``found`` widened over the words that place it in time, with their qualifier."""
    start, end, qualifier = found.start, found.end, None
    before = _BY.search(text, max(0, start - 3), start)
    after = _AFTER.match(text, end)
    if after:
        end, qualifier = after.end(), _AFTER_QUALIFIER[after["word"]]
    if before and before["word"] == "自":
        start, qualifier = before.start(), "since"
    elif before and qualifier is None:
        start, qualifier = before.start(), "by"
    return Found(start, end, found.kind, found.value, found.low, found.high, qualifier=qualifier, iso=found.iso)


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _date(match: re.Match[str], year: int) -> str | None:
    """The ISO form of a _DATE match that names a month, a half year or a year end."""
    if match["half"]:
        return f"{year:04d}-01/{year:04d}-06" if match["half"] == "上半年" else f"{year:04d}-07/{year:04d}-12"
    if match["yend"]:
        return f"{year:04d}-12-31"
    month = _small(match["m"])
    day = _small(match["d"]) if match["d"] else None
    if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    if match["mend"]:
        day = _month_end(year, month)
    iso = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    month2 = _small(match["m2"]) if match["m2"] else None
    if month2 is not None and month < month2 <= 12 and day is None:
        iso = f"{iso}/{year:04d}-{month2:02d}"
    return iso


def find_dates(text: str) -> list[Found]:
    """Every year, year range and date in ``text``, widened over the words that place it."""
    found: list[Found] = []
    for match in _YEAR_RANGE.finditer(text):
        low, high = _small(match["y"]), _small(match["y2"])
        if low is not None and high is not None and low < high:
            span = Found(match.start(), match.end(), QuantityKind.YEAR, low=low, high=high, iso=f"{low}/{high}")
            found.append(span)
    for match in [*_DATE.finditer(text), *_BARE_YEAR.finditer(text)]:
        year = _small(match["y"])
        if year is None or overlaps(found, match.start(), match.end()):
            continue
        if "suffix" not in match.groupdict() or (match["suffix"] and not match["yend"]):
            found.append(Found(match.start(), match.end(), QuantityKind.YEAR, value=year, iso=f"{year:04d}"))
            continue
        iso = _date(match, year)
        if iso is not None:
            found.append(Found(match.start(), match.end(), QuantityKind.DATE, iso=iso))
    return [_placed(text, f) for f in found]
