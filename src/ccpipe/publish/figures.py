"""Quantities written for a reader: Babel's CLDR data per language (1000亿美元 → US$100 billion).

Numbers are written compactly the way the locale does it (billion, Milliarden, 亿); a range shares one scale
(US$280–500 billion). The words around a figure (about, over, "%(low)s–%(high)s") come from the catalogs.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_decimal, get_currency_symbol
from babel.units import format_unit

from ccpipe.models import Quantity, QuantityKind
from ccpipe.publish.i18n import N_, Language

COMPACT_FROM = 1_000_000  # below a million, 2,400 reads better than 2.4 thousand
_DECIMAL = "#,##0.###"
_QUALIFIERS = {
    "about": N_("about %(figure)s"),
    "nearly": N_("nearly %(figure)s"),
    "over": N_("over %(figure)s"),
    "under": N_("under %(figure)s"),
    "at_least": N_("at least %(figure)s"),
}
_RANGE = N_("%(low)s–%(high)s")
_TIMES = N_("%(figure)s times")
_POINTS = N_("%(figure)s percentage points")
_CHINESE_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]")


def _compact(value: Decimal, locale: Locale) -> tuple[Decimal, str]:
    """The divisor and pattern (``0 billion``, ``0000亿``) CLDR uses for ``value``; (1, "0") if none applies."""
    if abs(value) < COMPACT_FROM:
        return Decimal(1), "0"
    formats = locale.compact_decimal_formats
    table = formats["long" if "long" in formats else "short"]
    magnitudes = [int(m) for m in table["other"] if int(m) <= abs(value)]
    if not magnitudes:
        return Decimal(1), "0"
    magnitude = str(max(magnitudes))
    pattern = table["other"][magnitude].pattern
    zeros = len(max(re.findall(r"0+", pattern), key=len))
    divisor = Decimal(10) ** (len(magnitude) - zeros)
    plural = locale.plural_form(value / divisor)
    pattern = table.get(plural, table["other"])[magnitude].pattern
    return divisor, pattern.replace("'", "")


def _apply(pattern: str, number: str) -> str:
    return re.sub(r"0+", lambda _: number, pattern, count=1)


def _number(value: Decimal, locale: Locale, grouped: bool = True) -> str:
    return format_decimal(value, _DECIMAL if grouped else "0.###", locale=locale)


def compact_number(values: list[Decimal], language: Language) -> str:
    """One number or a range in the locale's compact form; a range shares the scale of its upper end."""
    locale = language.figures
    divisor, pattern = _compact(values[-1], locale)
    scaled = [v / divisor for v in values]
    if len(values) == 2 and scaled[0] < 1:  # 500万–2亿: the lower end needs its own scale
        return language.gettext(
            _RANGE, low=compact_number(values[:1], language), high=compact_number(values[1:], language)
        )
    # Compact figures are not grouped: CLDR writes 1000亿, not 1,000亿.
    numbers = [_number(v, locale, grouped=divisor == 1) for v in scaled]
    joined = numbers[0] if len(numbers) == 1 else language.gettext(_RANGE, low=numbers[0], high=numbers[1])
    return _apply(pattern, joined)


def _money(values: list[Decimal], currency: str, language: Language) -> str:
    locale = language.figures
    standard = locale.currency_formats["standard"]
    symbol = get_currency_symbol(currency, locale=locale)
    prefix, suffix = (part[0].replace("¤", symbol) for part in (standard.prefix, standard.suffix))
    return f"{prefix}{compact_number(values, language)}{suffix}"


def _measure(values: list[Decimal], unit: str, language: Language) -> str:
    locale = language.figures
    divisor, _ = _compact(values[-1], locale)
    probe = values[-1] / divisor
    # Babel picks the unit's plural form from a number; put the compact figure where that number stands.
    with_unit = format_unit(probe, unit, length="long", locale=locale)
    if unit in with_unit:  # CLDR lacks the long name in this locale (zh has 千瓦 only as the short one)
        with_unit = format_unit(probe, unit, length="short", locale=locale)
    return with_unit.replace(_number(probe, locale), compact_number(values, language), 1)


def _percent(values: list[Decimal], unit: str, language: Language) -> str:
    locale = language.figures
    numbers = [_number(v, locale) for v in values]
    figure = numbers[0] if len(numbers) == 1 else language.gettext(_RANGE, low=numbers[0], high=numbers[1])
    if unit == "pp":
        return language.gettext(_POINTS, figure=figure)
    pattern = locale.percent_formats[None]
    sign = str(locale.number_symbols["latn"]["percentSign"])
    return str(pattern.prefix[0]).replace("%", sign) + figure + str(pattern.suffix[0]).replace("%", sign)


def _date(iso: str, locale: Locale) -> str:
    ends = iso.split("/")
    parts = [tuple(int(p) for p in end.split("-")) for end in ends]
    days = [date(p[0], p[1] if len(p) > 1 else 1, p[2] if len(p) > 2 else 1) for p in parts]
    skeleton = {1: "y", 2: "yMMMM", 3: "yMMMMd"}[len(parts[0])]
    if len(days) == 2:
        return format_interval(days[0], days[1], skeleton, locale=locale)
    if len(parts[0]) == 3:
        return format_date(days[0], "long", locale=locale)
    return format_skeleton(skeleton, days[0], locale=locale)


def _values(quantity: Quantity) -> list[Decimal]:
    raw = [quantity.value] if quantity.value is not None else [quantity.low, quantity.high]
    # repr() gives the shortest decimal that round-trips: 52400000000.0, not a binary fraction.
    return [Decimal(repr(v)) for v in raw if v is not None]


def render(quantity: Quantity, language: Language) -> str:
    """The quantity as a reader of ``language`` writes it."""
    kind, unit = quantity.kind, quantity.unit or ""
    if kind in (QuantityKind.YEAR, QuantityKind.DATE) and quantity.iso:
        return _date(quantity.iso, language.figures)
    values = _values(quantity)
    if kind == QuantityKind.MONEY:
        figure = _money(values, unit, language)
    elif kind == QuantityKind.MEASURE:
        figure = _measure(values, unit, language)
    elif kind == QuantityKind.PERCENT:
        figure = _percent(values, unit, language)
    elif kind == QuantityKind.MULTIPLE:
        figure = language.gettext(_TIMES, figure=compact_number(values, language))
    else:
        figure = compact_number(values, language)
    if quantity.qualifier in _QUALIFIERS:
        figure = language.gettext(_QUALIFIERS[quantity.qualifier], figure=figure)
    return figure


def worth_glossing(quantity: Quantity) -> bool:
    """Whether a reader of another language needs the figure rewritten beside the source text.

    Money, measures, dates and multiples always; a plain count, percentage or year only when the source
    writes it with Chinese numerals, 万 / 亿 or a qualifier (80% and 127个 read the same in any language).
    """
    if quantity.kind in (QuantityKind.MONEY, QuantityKind.MEASURE, QuantityKind.DATE, QuantityKind.MULTIPLE):
        return True
    if quantity.kind == QuantityKind.PERCENT and quantity.unit == "pp":
        return True
    return bool(quantity.qualifier or _CHINESE_NUMERAL.search(quantity.text.replace("年", "")))
