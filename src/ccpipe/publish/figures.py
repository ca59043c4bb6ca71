"""Quantities written for a reader: Babel's CLDR data per language (1000亿美元 → US$100 billion).

Numbers are written compactly the way the locale does it (billion, Milliarden, 亿); a range shares one scale
(US$280–500 billion). The words around a figure (about, over, up, "%(low)s–%(high)s") come from the catalogs,
units from :mod:`ccpipe.publish.measures`. ``with_english`` gives every quantity of a document its English,
which document.json carries.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_decimal, get_currency_symbol

from ccpipe.models import Document, Quantity, QuantityKind
from ccpipe.publish.i18n import N_, Language, language
from ccpipe.publish.measures import beside, converted, is_one, known, plural_form, with_unit

COMPACT_FROM = 1_000_000  # below a million, 2,400 reads better than 2.4 thousand
ENGLISH = "en"
_DECIMAL = "#,##0.###"
_THOUSANDTH = Decimal("0.001")
_QUALIFIERS = {
    "about": N_("about %(figure)s"),
    "nearly": N_("nearly %(figure)s"),
    "over": N_("over %(figure)s"),
    "more_than": N_("more than %(figure)s"),
    "at_least": N_("at least %(figure)s"),
    "at_most": N_("at most %(figure)s"),
    "below": N_("below %(figure)s"),
    "up_to": N_("up to %(figure)s"),
}
_CHANGES = {"increase": N_("up %(figure)s"), "decrease": N_("down %(figure)s")}
_WHEN = {
    "before": N_("before %(figure)s"),
    "by": N_("by %(figure)s"),
    "since": N_("since %(figure)s"),
    "about": N_("around %(figure)s"),
}
_END_OF = N_("the end of %(figure)s")
_HALVES = {1: N_("the first half of %(figure)s"), 7: N_("the second half of %(figure)s")}
_RANGE = N_("%(low)s–%(high)s")
_TIMES = N_("%(figure)s times")
_POINTS = (N_("%(figure)s percentage point"), N_("%(figure)s percentage points"))
_RENMINBI = N_("RMB %(figure)s")
_PER = N_("%(figure)s per %(unit)s")
_CLASS = N_("%(figure)s-class")
_AGES = {
    None: N_("aged %(figure)s"),
    "at_least": N_("aged %(figure)s and over"),
    "at_most": N_("aged %(figure)s and under"),
    "below": N_("under %(figure)s years old"),
}
_GROWN_VAGUELY = N_("grown %(figure)s times over")
_FRACTIONS = {(1, 2): N_("half"), (1, 3): N_("one third"), (2, 3): N_("two thirds"), (1, 4): N_("one quarter"),
              (3, 4): N_("three quarters"), (1, 5): N_("one fifth"), (1, 10): N_("one tenth")}  # fmt: skip
# Vague amounts by their order of magnitude (数十 = 20-90 → dozens of).
_VAGUE = {1: N_("dozens of"), 2: N_("hundreds of"), 3: N_("thousands of"), 4: N_("tens of thousands of"),
          5: N_("hundreds of thousands of"), 6: N_("millions of"), 7: N_("tens of millions of"),
          8: N_("hundreds of millions of"), 9: N_("billions of")}  # fmt: skip
_DOUBLE_DIGITS = N_("double digits")
_ONCE = {1: N_("once"), 2: N_("twice")}
_CHINESE_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]")
_FRACTION_TEXT = re.compile(r"分之|一半|[0-9]/[0-9]")
_TIME_UNITS = frozenset({"years", "months", "weeks", "days", "working days", "hours", "minutes", "age"})
_UNIT_SYMBOLS = frozenset({"kW", "MW", "GW", "kWh", "kV", "km", "km2", "m", "m2", "m3", "mm", "cm", "ha", "°C"})


def _compact(value: Decimal, locale: Locale) -> tuple[Decimal, str]:
    """The divisor and pattern (``0 billion``, ``0000亿``) CLDR uses for ``value``; (1, "0") if none applies.

    The largest scale that writes ``value`` exactly in three decimals: 6.4697万亿 reads 6,469.7 billion (64697亿),
    143.02万 reads 1,430,200 in English; a figure is never rounded.
    """
    if abs(value) < COMPACT_FROM:
        return Decimal(1), "0"
    formats = locale.compact_decimal_formats
    table = formats["long" if "long" in formats else "short"]
    magnitudes = sorted((int(m) for m in table["other"] if COMPACT_FROM <= int(m) <= abs(value)), reverse=True)
    exact = [m for m in magnitudes if _divided(value, m, table["other"][str(m)].pattern) is not None]
    if not exact:
        return Decimal(1), "0"
    magnitude = str(exact[0])
    pattern = table["other"][magnitude].pattern
    zeros = len(max(re.findall(r"0+", pattern), key=len))
    divisor = Decimal(10) ** (len(magnitude) - zeros)
    plural = locale.plural_form(value / divisor)
    pattern = table.get(plural, table["other"])[magnitude].pattern
    return divisor, pattern.replace("'", "")


def _divided(value: Decimal, magnitude: int, pattern: str) -> Decimal | None:
    """``value`` in the scale of ``magnitude`` (pattern ``0000亿``), if three decimals write it exactly."""
    zeros = len(max(re.findall(r"0+", pattern), key=len))
    scaled = value / Decimal(10) ** (len(str(magnitude)) - zeros)
    return scaled if scaled == scaled.quantize(_THOUSANDTH) else None


def _apply(pattern: str, number: str) -> str:
    return re.sub(r"0+", lambda _: number, pattern, count=1)


def _number(value: Decimal, locale: Locale, grouped: bool = True) -> str:
    return format_decimal(value, _DECIMAL if grouped else "0.###", locale=locale)


def compact_number(values: list[Decimal], language: Language) -> str:
    """One number or a range in the locale's compact form; a range shares the scale of its upper end."""
    locale = language.figures
    divisor, pattern = _compact(values[-1], locale)
    scaled = [v / divisor for v in values]
    if any(v != v.quantize(_THOUSANDTH) for v in scaled):  # a range's lower end in more decimals: in full
        divisor, pattern, scaled = Decimal(1), "0", values
    if len(values) == 2 and scaled[0] < 1:  # 500万–2亿: the lower end needs its own scale
        return language.gettext(
            _RANGE, low=compact_number(values[:1], language), high=compact_number(values[1:], language)
        )
    # Compact figures are not grouped where the pattern holds four digits (CLDR writes 1000亿, not 1,000亿), but
    # are beyond the largest scale of a three-digit one (3,650 trillion).
    grouped = divisor == 1 or len(max(re.findall(r"0+", pattern), key=len)) < 4
    numbers = [_number(v, locale, grouped=grouped) for v in scaled]
    joined = numbers[0] if len(numbers) == 1 else language.gettext(_RANGE, low=numbers[0], high=numbers[1])
    return _apply(pattern, joined)


def _english(language: Language) -> bool:
    return language.code.split("_")[0] == ENGLISH


def _money(values: list[Decimal], unit: str, language: Language) -> str:
    currency, _, per = unit.partition("/")
    if currency == "CNY":
        figure = language.gettext(_RENMINBI, figure=compact_number(values, language))
    else:
        locale = language.figures
        standard = locale.currency_formats["standard"]
        symbol = get_currency_symbol(currency, locale=locale)
        prefix, suffix = (part[0].replace("¤", symbol) for part in (standard.prefix, standard.suffix))
        figure = f"{prefix}{compact_number(values, language)}{suffix}"
    if per:  # a tariff: RMB 0.01 per kWh
        unit_name = with_unit("", Decimal(1), per, language).strip() if known(per) else per
        return language.gettext(_PER, figure=figure, unit=unit_name)
    return figure


def _measure(quantity: Quantity, values: list[Decimal], language: Language) -> str:
    unit = quantity.unit or ""
    if unit == "age":
        return language.gettext(_AGES.get(quantity.qualifier, _AGES[None]), figure=compact_number(values, language))
    if not known(unit):
        return f"{compact_number(values, language)} {unit}".strip()
    divisor, _ = _compact(values[-1], language.figures)
    # The plural follows the whole value: 1 tonne, but 1 billion tonnes.
    probe = _plain(values[-1] / divisor) if divisor == 1 else values[-1]
    figure = with_unit(compact_number(values, language), probe, unit, language)
    return beside(figure, converted(values, unit, language, lambda v: compact_number(v, language)), language)


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros (1.0 → 1), so that its plural form is the number's."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _fraction(value: Decimal, language: Language) -> str | None:
    for (numerator, denominator), words in _FRACTIONS.items():
        if abs(value - Decimal(100 * numerator) / denominator) < Decimal("0.01"):
            return language.gettext(words)
    return None


def _percent(quantity: Quantity, values: list[Decimal], language: Language) -> str:
    locale = language.figures
    if quantity.unit == "pp":
        figure = compact_number(values, language)
        return language.gettext(plural_form(_POINTS, values[-1], language), figure=figure)
    if len(values) == 1 and _FRACTION_TEXT.search(quantity.text):
        words = _fraction(values[0], language)
        if words:
            return words
    pattern = locale.percent_formats[None]
    sign = str(locale.number_symbols["latn"]["percentSign"])
    prefix, suffix = (str(part[0]).replace("%", sign) for part in (pattern.prefix, pattern.suffix))
    ends = [prefix + _number(v, locale) + suffix for v in values]
    return ends[0] if len(ends) == 1 else language.gettext(_RANGE, low=ends[0], high=ends[1])


def _vague(values: list[Decimal], language: Language) -> str | None:
    """The words for a vague range (数百万 → millions of); None if the range is no order of magnitude."""
    low, high = values[0], values[-1]
    if low == 10 and high == 99:
        return language.gettext(_DOUBLE_DIGITS)
    if high == 100 * low or high == 10 * low or high == Decimal("4.5") * low:  # 成千上万, 成百上千
        magnitude = low.adjusted()
    else:
        return None
    return language.gettext(_VAGUE[magnitude]) if magnitude in _VAGUE else None


def _count(quantity: Quantity, figure: str, values: list[Decimal], language: Language) -> str:
    """A count with the English noun of what it counts; other languages read the noun in the source."""
    noun = quantity.unit
    if not noun or not _english(language):
        return figure
    if noun == "times" and len(values) == 1 and values[0] in _ONCE:
        return language.gettext(_ONCE[int(values[0])])
    if noun == "times":
        return language.gettext(_TIMES, figure=figure)
    if is_one(values[-1], language) and len(values) == 1:
        noun = singular(noun)
    return f"{figure} {noun}"


def singular(noun: str) -> str:
    """The singular of an English plural noun as the lexicon of counts writes them (households → household)."""
    head, sep, rest = noun.partition(" and ")
    if sep:
        return f"{singular(head)} and {singular(rest)}"
    first, space, tail = head.partition(" (")
    irregular = {"people": "person", "person-times": "person-time", "enterprise-times": "enterprise-time",
                 "head": "head", "aircraft": "aircraft", "memoranda": "memorandum", "series": "series"}  # fmt: skip
    words = first.split(" ")
    last = words[-1]
    if last in irregular:
        last = irregular[last]
    elif last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith(("ches", "shes", "sses", "xes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return " ".join([*words[:-1], last]) + (space and f" ({tail}")


def _values(quantity: Quantity) -> list[Decimal]:
    raw = [quantity.value] if quantity.value is not None else [quantity.low, quantity.high]
    # repr() gives the shortest decimal that round-trips: 52400000000.0, not a binary fraction.
    return [Decimal(repr(v)) for v in raw if v is not None]


def _amount(quantity: Quantity, values: list[Decimal], language: Language) -> str:
    """The figure and its unit, before qualifier and change."""
    kind, unit = quantity.kind, quantity.unit or ""
    vague = _vague(values, language) if quantity.qualifier == "vague" and len(values) == 2 else None
    if kind == QuantityKind.MONEY:
        return f"{vague} {unit.replace('CNY', 'RMB')}" if vague else _money(values, unit, language)
    if kind == QuantityKind.MEASURE:
        if vague and known(unit):  # 数百万吨: millions of tonnes
            return with_unit(vague, values[-1], unit, language)
        return _measure(quantity, values, language)
    if kind == QuantityKind.PERCENT:
        return vague or _percent(quantity, values, language)
    if kind == QuantityKind.MULTIPLE:
        if vague and quantity.change == "increase":
            return language.gettext(_GROWN_VAGUELY, figure=vague)
        if quantity.change == "increase":  # 增长N倍: up N×100%
            return _percent(quantity, [v * 100 for v in values], language)
        figure = vague or compact_number(values, language)
        return figure if "倍" not in quantity.text else language.gettext(_TIMES, figure=figure)
    figure = vague or compact_number(values, language)
    return _count(quantity, figure, values, language)


def _class(figure: str, quantity: Quantity, values: list[Decimal], language: Language) -> str:
    """A size class (30万千瓦级 → 300 MW-class): the figure as one compound word, units in the singular."""
    unit = quantity.unit or ""
    if quantity.kind == QuantityKind.MEASURE and known(unit):
        if unit == "kW":
            unit, values = (
                ("GW", [v / 1_000_000 for v in values])
                if values[-1] >= 1_000_000
                else ("MW", [v / 1000 for v in values])
            )
        figure = with_unit(compact_number(values, language), Decimal(1), unit, language)
    if unit not in _UNIT_SYMBOLS:  # 300,000-tonne-class, RMB 100-billion-class
        figure = re.sub(r"(?<=[0-9a-z]) (?=[a-z])", "-", figure)
    return language.gettext(_CLASS, figure=figure)


def _marked(figure: str, quantity: Quantity, language: Language) -> str:
    """The figure with its qualifier and change: about RMB 13 billion, up nearly 300%, at least 2 escape routes."""
    qualifier = quantity.qualifier
    if qualifier in _QUALIFIERS and not (quantity.unit == "age" and quantity.kind == QuantityKind.MEASURE):
        figure = language.gettext(_QUALIFIERS[qualifier], figure=figure)
    if quantity.change in _CHANGES and not figure.startswith("grown"):
        figure = language.gettext(_CHANGES[quantity.change], figure=figure)
    return figure


def _date(quantity: Quantity, locale: Locale, language: Language) -> str:
    iso = quantity.iso or ""
    ends = iso.split("/")
    parts = [tuple(int(p) for p in end.split("-")) for end in ends]
    days = [date(p[0], p[1] if len(p) > 1 else 1, p[2] if len(p) > 2 else 1) for p in parts]
    skeleton = {1: "y", 2: "yMMMM", 3: "yMMMMd"}[len(parts[0])]
    if (
        len(days) == 2
        and len(parts[0]) == 2
        and days[0].year == days[1].year
        and (days[0].month, days[1].month)
        in (
            (1, 6),
            (7, 12),
        )
    ):
        text = language.gettext(_HALVES[days[0].month], figure=format_skeleton("y", days[0], locale=locale))
    elif len(days) == 2:  # 2013-2020年: 2013–2020, as the ranges of other figures
        text = re.sub(r"(?<=\d)\s*–\s*(?=\d)", "–", format_interval(days[0], days[1], skeleton, locale=locale))
    elif len(parts[0]) == 3 and re.search(r"[底末]", quantity.text):  # 2022年底: the end of 2022
        whole = "y" if days[0].month == 12 and "月" not in quantity.text else "yMMMM"
        text = language.gettext(_END_OF, figure=format_skeleton(whole, days[0], locale=locale))
    elif len(parts[0]) == 3:
        text = format_date(days[0], "long", locale=locale)
    else:
        text = format_skeleton(skeleton, days[0], locale=locale)
    qualifier = quantity.qualifier
    if qualifier == "before" and re.search(r"[底末]", quantity.text):
        qualifier = "by"  # 2025年底前: by the end of 2025
    return language.gettext(_WHEN[qualifier], figure=text) if qualifier in _WHEN else text


def render(quantity: Quantity, language: Language) -> str:
    """The quantity as a reader of ``language`` writes it."""
    if quantity.kind in (QuantityKind.YEAR, QuantityKind.DATE) and quantity.iso:
        return _date(quantity, language.figures, language)
    values = _values(quantity)
    figure = _amount(quantity, values, language)
    if quantity.text.startswith("±"):
        figure = "±" + figure
    if quantity.text.endswith("级"):  # a size class is "about" by nature: no word for that
        figure = _class(figure, quantity, values, language)
        quantity = quantity.model_copy(
            update={"qualifier": None if quantity.qualifier == "about" else quantity.qualifier}
        )
    return _marked(figure, quantity, language)


def with_english(document: Document) -> Document:
    """``document`` with every quantity's English filled in, as document.json carries it."""
    english = language(ENGLISH)
    quantities = [q.model_copy(update={"english": render(q, english)}) for q in document.quantities]
    return document.model_copy(update={"quantities": quantities})


def is_key_figure(quantity: Quantity) -> bool:
    """Money and measures are a report's key figures; durations and ages (十年, 60岁以上) are not."""
    if quantity.kind == QuantityKind.MEASURE:
        return quantity.unit not in _TIME_UNITS
    return quantity.kind == QuantityKind.MONEY


def worth_glossing(quantity: Quantity) -> bool:
    """Whether a reader of another language needs the figure rewritten beside the source text.

    Money, measures, dates, multiples and changes always; a plain count, percentage or year only when the source
    writes it with Chinese numerals, 万 / 亿 or a qualifier (80% and 127个 read the same in any language).
    """
    if quantity.kind in (QuantityKind.MONEY, QuantityKind.MEASURE, QuantityKind.DATE, QuantityKind.MULTIPLE):
        return True
    if (quantity.kind == QuantityKind.PERCENT and quantity.unit == "pp") or quantity.change:
        return True
    return bool(quantity.qualifier or _CHINESE_NUMERAL.search(quantity.text.replace("年", "")))
