"""Quality checks of one translated unit against its Chinese source; each problem a stable code.

``QA_EMPTY`` (no English), ``QA_UNTRANSLATED`` (the "English" is mostly Chinese), ``QA_TERM_MISSING``
(a glossary term's required English, or an accepted variant, is absent), ``QA_NUMBER_CHANGED`` (a figure or
year of the source is not in the English), ``QA_TAG_BROKEN`` (inline markup the source does not have, or
markup turned into text), ``QA_LENGTH`` (the English is far shorter or longer than such a source allows).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ccpipe.terms.glossary import Glossary
from ccpipe.textutil import is_cjk
from ccpipe.translate.segments import Figure, SourceUnit

EMPTY = "QA_EMPTY"
UNTRANSLATED = "QA_UNTRANSLATED"
TERM_MISSING = "QA_TERM_MISSING"
NUMBER_CHANGED = "QA_NUMBER_CHANGED"
TAG_BROKEN = "QA_TAG_BROKEN"
LENGTH = "QA_LENGTH"

# English characters per Chinese character: ~2-4 in climate-policy prose; outside these bounds, look.
LENGTH_RATIO = (0.7, 9.0)
MIN_LENGTH_CHECKED = 8  # Chinese characters; short headings vary too much
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)\s*(thousand|million|billion|trillion|bn|mn)?", re.IGNORECASE)
_RANGE = re.compile(
    r"(\d+(?:[.,]\d+)*)\s*(?:–|-|to)\s*\d+(?:[.,]\d+)*\s*(thousand|million|billion|trillion|bn|mn)", re.IGNORECASE
)  # 52.4–83.3 billion: the scale belongs to both ends
_SCALE = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_MARKUP_TEXT = re.compile(r"</?[A-Za-z][\w:-]*(\s[^<>]*)?/?>|&lt;|&gt;")
_WORDED = 20  # counts below this are often written in words ("three countries"): not checked


@dataclass(frozen=True)
class Problem:
    code: str
    unit_id: str
    message: str


def glossary_variants(glossary: Glossary) -> dict[str, frozenset[str]]:
    """The English a translation may use for a term instead of its required English: the glossary's English
    aliases and Latin-script abbreviations (UNFCCC for the Convention), by required English."""
    found: dict[str, set[str]] = {}
    for entry in glossary.entries:
        latin = [a for a in entry.abbreviations if a.isascii()]
        found.setdefault(entry.en, set()).update([*entry.en_aliases, *latin])
    return {en: frozenset(forms) for en, forms in found.items() if forms}


def _target_numbers(target: str) -> set[float]:
    found = set()
    for match in _NUMBER.finditer(target):
        value = float(match.group(1).replace(",", ""))
        found.add(value)
        if match.group(2):
            found.add(value * _SCALE[match.group(2).lower()])
    for match in _RANGE.finditer(target):
        found.add(float(match.group(1).replace(",", "")) * _SCALE[match.group(2).lower()])
    return found


def _required_numbers(figure: Figure) -> list[float]:
    """The numbers the English must show for a figure: a date's year, an amount's values."""
    if figure.kind in ("date", "year"):
        return [float(part[:4]) for part in figure.value.split("/") if part[:4].isdigit()]
    values = [float(part) for part in figure.value.split("/") if part]
    return [v for v in values if not (figure.kind == "count" and v < _WORDED)]


def _has(numbers: set[float], value: float) -> bool:
    return any(math.isclose(value, n, rel_tol=1e-9) or math.isclose(value * 100, n) for n in numbers)


def _term_found(target: str, required: str, variants: Mapping[str, frozenset[str]]) -> bool:
    lowered = target.casefold()
    return any(form.casefold() in lowered for form in {required, *variants.get(required, frozenset())})


def check_unit(
    unit: SourceUnit,
    target: str,
    inline_ids: tuple[str, ...] = (),
    source_inline_ids: frozenset[str] = frozenset(),
    variants: Mapping[str, frozenset[str]] = {},
) -> list[Problem]:
    """Every problem of ``target`` as the English of ``unit``; none for a clean translation."""
    if not target.strip():
        return [Problem(EMPTY, unit.id, "no English")]
    problems = []
    cjk = sum(1 for char in target if is_cjk(char))
    if cjk > 0.3 * len(target.strip()):
        problems.append(Problem(UNTRANSLATED, unit.id, "the English is mostly Chinese"))
    for term in unit.terms:
        if not _term_found(target, term.en, variants):
            problems.append(Problem(TERM_MISSING, unit.id, f"{term.zh}: required English {term.en!r} not found"))
    numbers = _target_numbers(target)
    for figure in unit.figures:
        missing = [v for v in _required_numbers(figure) if not _has(numbers, v)]
        if missing:
            problems.append(Problem(NUMBER_CHANGED, unit.id, f"{figure.text}: {figure.value} not in the English"))
    unknown = [i for i in inline_ids if i not in source_inline_ids]
    if unknown or _MARKUP_TEXT.search(target):
        problems.append(Problem(TAG_BROKEN, unit.id, f"inline markup not in the source: {unknown or 'as text'}"))
    chinese = sum(1 for char in unit.text if is_cjk(char))
    if chinese >= MIN_LENGTH_CHECKED and not cjk:
        ratio = len(target) / chinese
        if not LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]:
            problems.append(Problem(LENGTH, unit.id, f"{len(target)} characters for {chinese} Chinese ({ratio:.1f})"))
    return problems
