"""Units written out for a reader: CLDR units through Babel (plural forms and symbols per locale), the units
of Chinese statistics (亩, 斤, 吨标准煤, 吨二氧化碳当量…) through the catalogs, with the conversion a reader
needs beside them: mu and jin in hectares and tonnes, large capacities in GW.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Literal

from babel.numbers import format_decimal
from babel.units import format_unit

from ccpipe.publish.i18n import N_, Language

# Unit code → CLDR unit id and the length that reads best (symbols for kW, km², m³; words for tonnes, days).
_CLDR: dict[str, tuple[str, Literal["short", "long"]]] = {
    "t": ("mass-tonne", "long"), "kg": ("mass-kilogram", "short"), "km": ("length-kilometer", "short"),
    "m": ("length-meter", "short"), "mm": ("length-millimeter", "short"), "cm": ("length-centimeter", "short"),
    "km2": ("area-square-kilometer", "short"), "m2": ("area-square-meter", "short"), "ha": ("area-hectare", "short"),
    "m3": ("volume-cubic-meter", "short"), "kWh": ("energy-kilowatt-hour", "short"), "kW": ("power-kilowatt", "short"),
    "MW": ("power-megawatt", "short"), "GW": ("power-gigawatt", "short"), "°C": ("temperature-celsius", "short"),
    "days": ("duration-day", "long"), "hours": ("duration-hour", "long"), "minutes": ("duration-minute", "long"),
    "weeks": ("duration-week", "long"), "months": ("duration-month", "long"), "years": ("duration-year", "long"),
}  # fmt: skip
# Units CLDR lacks: (singular, plural) messages; the figure goes where %(figure)s stands.
_CUSTOM = {
    "mu": (N_("%(figure)s mu"), N_("%(figure)s mu")),
    "jin": (N_("%(figure)s jin"), N_("%(figure)s jin")),
    "tce": (N_("%(figure)s tce"), N_("%(figure)s tce")),
    "tCO2": (N_("%(figure)s tonne of CO2"), N_("%(figure)s tonnes of CO2")),
    "tCO2e": (N_("%(figure)s tonne of CO2 equivalent"), N_("%(figure)s tonnes of CO2 equivalent")),
    "gce/kWh": (N_("%(figure)s gce/kWh"), N_("%(figure)s gce/kWh")),
    "t/d": (N_("%(figure)s tonne a day"), N_("%(figure)s tonnes a day")),
    "t/year": (N_("%(figure)s tonne a year"), N_("%(figure)s tonnes a year")),
    "t/h (steam)": (N_("%(figure)s t/h (steam)"), N_("%(figure)s t/h (steam)")),
    "t per 10,000 CNY": (N_("%(figure)s tonne per RMB 10,000"), N_("%(figure)s tonnes per RMB 10,000")),
    "mm/year": (N_("%(figure)s mm a year"), N_("%(figure)s mm a year")),
    "°C per decade": (N_("%(figure)s°C per decade"), N_("%(figure)s°C per decade")),
    "TEU": (N_("%(figure)s TEU"), N_("%(figure)s TEU")),
    "µg/m3": (N_("%(figure)s µg/m³"), N_("%(figure)s µg/m³")),
    "mg/m3": (N_("%(figure)s mg/m³"), N_("%(figure)s mg/m³")),
    "kV": (N_("%(figure)s kV"), N_("%(figure)s kV")),
    "working days": (N_("%(figure)s working day"), N_("%(figure)s working days")),
    "years (return period)": (N_("1-in-%(figure)s-year"), N_("1-in-%(figure)s-year")),
}
_WITH = N_("%(figure)s (%(converted)s)")
_ABOUT = N_("about %(figure)s")
# Conversions shown beside a unit: to unit, factor, from which value, whether the converted figure is exact.
_CONVERSIONS = {
    "mu": ("ha", Decimal(1) / Decimal(15), Decimal(0)),
    "jin": ("t", Decimal("0.0005"), Decimal(0)),
    "kW": ("GW", Decimal("0.000001"), Decimal(1_000_000)),
}
_SIGNIFICANT = 3


def known(unit: str) -> bool:
    return unit in _CLDR or unit in _CUSTOM


def is_one(value: Decimal, language: Language) -> bool:
    """Whether ``value`` takes the locale's singular (1 tonne; 1.5 tonnes, and 1.0 reads 1)."""
    number = int(value) if value == value.to_integral_value() else value
    return language.figures.plural_form(number) == "one"


def plural_form(forms: tuple[str, str], value: Decimal, language: Language) -> str:
    """The (singular, plural) message ``value`` takes. Each form is a message of its own in the catalogs, so a
    language without plurals translates both alike (%(figure)s亩)."""
    return forms[0] if is_one(value, language) else forms[1]


def with_unit(figure: str, probe: Decimal, unit: str, language: Language) -> str:
    """``figure`` (the number as written) with ``unit``, in the plural form ``probe`` takes."""
    if unit in _CUSTOM:
        return language.gettext(plural_form(_CUSTOM[unit], probe, language), figure=figure)
    cldr, length = _CLDR[unit]
    locale = language.figures
    written = format_unit(probe, cldr, length=length, locale=locale)
    if cldr in written:  # the locale lacks this length: CLDR's other one
        written = format_unit(probe, cldr, length="short" if length == "long" else "long", locale=locale)
    # Babel picks the unit's plural form from a number: put the figure where that number stands.
    return written.replace(format_decimal(probe, locale=locale), figure, 1)


def _significant(value: Decimal) -> Decimal:
    if value == 0:
        return value
    shift = _SIGNIFICANT - value.adjusted() - 1
    return value.scaleb(shift).quantize(Decimal(1)).scaleb(-shift)


def converted(
    values: list[Decimal], unit: str, language: Language, number: Callable[[list[Decimal]], str]
) -> str | None:
    """The figure in the unit a reader knows (亩 → hectares, 斤 → tonnes, big kW → GW), or None if none helps.

    ``number`` writes a list of values (a range shares one scale). Rounded to three significant digits, with
    "about" when rounding changed the value; kW to GW is exact.
    """
    if unit not in _CONVERSIONS:
        return None
    target, factor, floor = _CONVERSIONS[unit]
    if values[-1] < floor:
        return None
    exact = [v * factor for v in values]
    shown = exact if unit == "kW" else [_significant(v) for v in exact]
    figure = with_unit(number(shown), shown[-1], target, language)
    if shown != exact:
        figure = language.gettext(_ABOUT, figure=figure)
    return figure


def beside(figure: str, conversion: str | None, language: Language) -> str:
    return figure if conversion is None else language.gettext(_WITH, figure=figure, converted=conversion)
