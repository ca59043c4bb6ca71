"""Figures and dates in Chinese text: amounts with 万 / 亿 / 万亿, currencies, ranges, percentages, counts with
classifiers, measures, years, months and dates.

The stage only reads block text; every quantity keeps exact offsets (``block.text[start:end] == text``).
How a quantity reads in each language (Babel) is a publishing matter: see ``ccpipe.publish.figures``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

import cn2an

from ccpipe.models import Block, Document, Quantity, QuantityKind

_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_CN_DIGIT_VALUE = str.maketrans("〇零一二三四五六七八九", "00123456789")
_S = r"[ \u00a0\u2009\u202f]?"  # the PDF text layer puts a space around Arabic numerals: 600 亿美元
_SEP = r"[-－–—~～至到]"
_ARABIC = r"(?<![0-9０-９.,．A-Za-z第])[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
# A Chinese numeral starts with a digit or 十 (not 百/千, which open words such as 百强县 and 千亩); after 第 or
# 届 it is an ordinal (十二届六次全会).
_CHINESE = r"(?<![零〇一二两三四五六七八九十百千万亿第届])[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*"
_NUM = rf"(?:{_ARABIC}|{_CHINESE})"
_SCALE = r"(?:[十百千]?万亿|[十百千]?[万亿])"
_SCALE_VALUE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

# Surface → (kind, unit code), longest first in the pattern. Counts keep their classifier as the unit.
_MONEY = {"元人民币": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "英镑": "GBP", "日元": "JPY",
          "港元": "HKD", "港币": "HKD", "澳元": "AUD", "加元": "CAD", "元": "CNY"}  # fmt: skip
_MEASURE = {"平方公里": "area-square-kilometer", "平方千米": "area-square-kilometer", "平方米": "area-square-meter",
            "公里": "length-kilometer", "千米": "length-kilometer", "千瓦时": "energy-kilowatt-hour",
            "千瓦": "power-kilowatt", "兆瓦": "power-megawatt", "吉瓦": "power-gigawatt", "公顷": "area-hectare",
            "立方米": "volume-cubic-meter", "吨": "mass-tonne"}  # fmt: skip
_PERCENT = {"%": "%", "％": "%", "个百分点": "pp", "百分点": "pp"}
_CLASSIFIERS = [
    "个",
    "名",
    "位",
    "人次",
    "人",
    "期",
    "份",
    "项",
    "家",
    "种",
    "次",
    "批",
    "所",
    "座",
    "条",
    "户",
    "类",
    "套",
    "场",
    "件",
    "篇",
    "部",
    "台",
    "辆",
    "艘",
    "架",
    "处",
    "宗",
    "列",
    "头",
    "只",
    "颗",
    "款",
]
_UNITS: dict[str, tuple[QuantityKind, str]] = {
    **{s: (QuantityKind.MONEY, c) for s, c in _MONEY.items()},
    **{s: (QuantityKind.MEASURE, c) for s, c in _MEASURE.items()},
    **{s: (QuantityKind.PERCENT, c) for s, c in _PERCENT.items()},
    "倍": (QuantityKind.MULTIPLE, "times"),
    **{s: (QuantityKind.COUNT, s) for s in _CLASSIFIERS},
}
# 个月 is a duration, not a count of things; 两位数 (double-digit) is not two of something either.
_NOT_AFTER = {"个": "(?!月)", "位": "(?!数)"}
_UNIT = "|".join(re.escape(s) + _NOT_AFTER.get(s, "") for s in sorted(_UNITS, key=len, reverse=True))

# Qualifiers inside the span, so that the English reads "about US$10 billion" for 约100亿美元. The lookbehinds
# keep words that merely contain the character out: 节约 (save), 最近 / 附近 (recent, nearby), 赶超 (overtake).
_PREFIX = {"约为": "about", "大约": "about", "约": "about", "将近": "nearly", "接近": "nearly",
           "近": "nearly", "超过": "over", "超": "over", "逾": "over", "不足": "under", "不到": "under",
           "至少": "at_least"}  # fmt: skip
_SUFFIX = {"以上": "over", "以下": "under", "左右": "about", "上下": "about", "多": "over", "余": "over"}
_PRE = r"(?:约为|大约|(?<![节制契预公条隐简])约|将近|接近|(?<![最附临靠亲])近|超过|(?<![赶高])超|逾|不足|不到|至少)"

_AMOUNT = re.compile(
    rf"(?P<pre>{_PRE})?{_S}(?P<rmb>人民币{_S})?"
    rf"(?P<a>{_NUM}){_S}(?P<ma>[多余])?(?P<sa>{_SCALE})?"
    rf"(?:{_S}{_SEP}{_S}(?P<b>{_NUM}){_S}(?P<mb>[多余])?(?P<sb>{_SCALE})?)?"
    rf"{_S}(?P<mc>[多余])?{_S}(?P<unit>{_UNIT})(?P<post>以上|以下|左右|上下)?"
)
_PERCENT_WORDS = re.compile(rf"百分之(?P<a>{_NUM})")

# Years 1800-2199 in Arabic digits, or in Chinese digits (二〇二三).
_YEAR = (
    r"(?:(?<![0-9０-９.])(?:1[89]|2[01])[0-9]{2}(?![0-9])"
    r"|(?<![〇零一二三四五六七八九])[一二][〇零一二三四五六七八九]{3})"
)
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_YEAR_RANGE = re.compile(rf"(?P<y>{_YEAR}){_S}年?{_S}{_SEP}{_S}(?P<y2>{_YEAR}){_S}(?:年度|年)")
_DATE = re.compile(
    rf"(?P<y>{_YEAR}){_S}(?:"
    rf"年{_S}(?P<m>{_MONTH}){_S}(?:{_SEP}{_S}(?P<m2>{_MONTH}){_S})?月(?:{_S}(?P<d>{_DAY}){_S}[日号])?"
    rf"|(?P<suffix>财年|年度|年(?!代)))"
)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    kind: QuantityKind
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    iso: str | None = None


def _number(text: str, scale: str | None = None) -> Decimal | None:
    """The value of an Arabic or Chinese numeral times a 万 / 亿 scale; None if it is not a number."""
    digits = text.translate(_FULLWIDTH).replace(",", "")
    try:
        base = Decimal(digits) if re.fullmatch(r"[0-9.]+", digits) else Decimal(str(cn2an.cn2an(digits, "smart")))
    except (ValueError, InvalidOperation):  # cn2an rejects malformed numerals such as 十百
        return None
    for char in scale or "":
        base *= _SCALE_VALUE[char]
    return base


def _small(text: str) -> int | None:
    """A year, month or day written in Arabic digits, Chinese digits (二〇二三) or Chinese numerals (十二)."""
    if re.fullmatch(r"[〇零一二三四五六七八九]{4}", text):
        return int(text.translate(_CN_DIGIT_VALUE))
    value = _number(text)
    return int(value) if value is not None else None


def _dates(text: str) -> list[_Found]:
    found: list[_Found] = []
    for match in _YEAR_RANGE.finditer(text):
        low, high = _small(match["y"]), _small(match["y2"])
        if low is not None and high is not None and low < high:
            iso = f"{low}/{high}"
            found.append(_Found(match.start(), match.end(), QuantityKind.YEAR, None, low, high, iso=iso))
    for match in _DATE.finditer(text):
        if any(f.start < match.end() and match.start() < f.end for f in found):
            continue
        year = _small(match["y"])
        if year is None:
            continue
        if match["suffix"]:
            found.append(_Found(match.start(), match.end(), QuantityKind.YEAR, value=year, iso=f"{year:04d}"))
            continue
        month, month2 = _small(match["m"]), _small(match["m2"]) if match["m2"] else None
        day = _small(match["d"]) if match["d"] else None
        if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            continue
        iso = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
        if month2 is not None and month < month2 <= 12 and day is None:
            iso = f"{iso}/{year:04d}-{month2:02d}"
        found.append(_Found(match.start(), match.end(), QuantityKind.DATE, iso=iso))
    return found


def _qualifier(match: re.Match[str]) -> str | None:
    if match["pre"]:
        return _PREFIX[match["pre"]]
    for group in ("post", "mc", "mb", "ma"):
        if match[group]:
            return _SUFFIX[match[group]]
    return None


def _amount(match: re.Match[str]) -> _Found | None:
    kind, unit = _UNITS[match["unit"]]
    if match["rmb"]:
        if kind != QuantityKind.MONEY:
            return None
        unit = "CNY"
    chinese = not re.match(r"[0-9０-９]", match["a"])
    # Chinese numerals before 元 or a classifier are mostly words: 二元结构 (dual structure), 一个 / 一批 ("a").
    if chinese and match["a"] == "一" and not match["b"] and kind == QuantityKind.COUNT:
        return None
    if chinese and match["unit"] == "元" and not (match["sa"] or match["sb"]):
        return None
    # 约为 ("is about") keeps its verb outside the span; other qualifiers belong to the figure (约100亿美元).
    start = match.start("rmb") if match["rmb"] else match.start("a")
    if match["pre"] and match["pre"] != "约为":
        start = match.start()
    qualifier = _qualifier(match)
    if match["b"] is None:
        value = _number(match["a"], match["sa"])
        if value is None:
            return None
        return _Found(start, match.end(), kind, value=float(value), unit=unit, qualifier=qualifier)
    # 524-833亿美元: the scale written once at the end applies to both ends.
    low, high = _number(match["a"], match["sa"] or match["sb"]), _number(match["b"], match["sb"])
    if low is None or high is None or low >= high:
        return None
    return _Found(start, match.end(), kind, low=float(low), high=float(high), unit=unit, qualifier=qualifier)


def find_quantities(text: str) -> list[_Found]:
    """Every figure and date in ``text``, in text order; dates claim their span before amounts."""
    found = _dates(text)
    for match in _AMOUNT.finditer(text):
        amount = _amount(match)
        if amount and all(f.end <= amount.start or f.start >= amount.end for f in found):
            found.append(amount)
    for match in _PERCENT_WORDS.finditer(text):
        value = _number(match["a"])
        if value is not None and all(f.end <= match.start() or f.start >= match.end() for f in found):
            found.append(_Found(match.start(), match.end(), QuantityKind.PERCENT, value=float(value), unit="%"))
    return sorted(found, key=lambda f: (f.start, f.end))


def quantities_in(block: Block) -> list[Quantity]:
    return [
        Quantity(block_id=block.id, text=block.text[f.start : f.end], **asdict(f)) for f in find_quantities(block.text)
    ]


def quantify_document(document: Document) -> Document:
    """The quantities stage: fill ``Document.quantities`` from the block text (blocks in reading order)."""
    return document.model_copy(update={"quantities": [q for block in document.blocks for q in quantities_in(block)]})
