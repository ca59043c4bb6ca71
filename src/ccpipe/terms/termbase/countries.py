"""Country and territory entries generated from Unicode CLDR (through Babel), plus curated overrides.

English is CLDR's English name, Chinese CLDR's zh_Hans name, the id the English name in kebab case. The
overrides file (glossary/sources/country-overrides.yaml) adds what CLDR lacks, keyed by territory code:
stable ids, UN official names and other aliases, and the few replacements where CLDR's form is not a name
used in running text ("Myanmar (Burma)"). A replaced name is kept as an alias unless listed in ``exclude``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import babel
import yaml
from babel import Locale
from babel.core import get_cldr_version
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ccpipe.errors import GlossaryError
from ccpipe.models import Category
from ccpipe.terms.glossary import GlossaryEntry
from ccpipe.terms.termbase.yamlfile import to_yaml

# CLDR codes that are groupings or placeholders, not territories: European Union, Eurozone, United Nations,
# Outlying Oceania, the pseudo-locales and Unknown Region. Numeric codes (001, 419 ...) are macro-regions.
EXCLUDED = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


class Override(BaseModel):
    """Curated additions to one CLDR territory."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = None
    category: Category = Category.COUNTRY
    zh: str | None = None
    en: str | None = None
    zh_aliases: list[str] = Field(default_factory=list)
    en_aliases: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)
    negative_contexts: list[str] = Field(default_factory=list)
    # Surfaces to leave out, e.g. CLDR's 蒙古 for Mongolia, which would also match inside 内蒙古.
    exclude: list[str] = Field(default_factory=list)


def load_overrides(path: Path) -> dict[str, Override]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise GlossaryError(path, f"cannot read the country overrides ({exc})") from exc
    if not isinstance(data, dict):
        raise GlossaryError(path, "the country overrides must be a mapping of territory code to fields")
    overrides = {}
    for code, fields in data.items():
        try:
            overrides[str(code)] = Override.model_validate(fields or {})
        except ValidationError as exc:
            raise GlossaryError(path, f"territory {code}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}") from exc
    return overrides


def territory_codes() -> list[str]:
    """Two-letter CLDR territory codes that name a country or territory, with both an en and zh_Hans name."""
    english, chinese = Locale("en").territories, Locale.parse("zh_Hans").territories
    codes = (str(code) for code in english)
    return sorted(
        code for code in codes if len(code) == 2 and code.isalpha() and code not in EXCLUDED and code in chinese
    )


def country_entries(overrides: Mapping[str, Override]) -> list[GlossaryEntry]:
    english, chinese = Locale("en").territories, Locale.parse("zh_Hans").territories
    codes = territory_codes()
    unknown = sorted(set(overrides) - set(codes))
    if unknown:
        raise GlossaryError(None, f"country overrides for unknown or excluded territory codes: {', '.join(unknown)}")
    entries = [_entry(code, english[code], chinese[code], overrides.get(code, Override())) for code in codes]
    return sorted(entries, key=lambda entry: entry.id)


def _entry(code: str, cldr_en: str, cldr_zh: str, extra: Override) -> GlossaryEntry:
    en = extra.en or cldr_en
    zh = extra.zh or cldr_zh
    excluded = set(extra.exclude)
    en_aliases = [cldr_en, *extra.en_aliases]
    en_aliases = [variant for alias in en_aliases for variant in _english_variants(alias)]
    en_aliases += [variant for variant in _english_variants(en) if variant != en]
    zh_aliases = [cldr_zh, *extra.zh_aliases]
    zh_aliases = [variant for alias in zh_aliases for variant in _chinese_variants(alias)]
    zh_aliases += [variant for variant in _chinese_variants(zh) if variant != zh]
    return GlossaryEntry(
        id=extra.id or kebab(en),
        category=extra.category,
        zh=zh,
        en=en,
        zh_aliases=_unique(zh_aliases, skip={zh, *excluded}),
        en_aliases=_unique(en_aliases, skip={en, *excluded}),
        abbreviations=_unique(extra.abbreviations, skip=excluded),
        negative_contexts=extra.negative_contexts,
        note=f"CLDR territory {code}",
    )


def _english_variants(name: str) -> list[str]:
    """CLDR writes 'St. Kitts & Nevis' and 'Côte d’Ivoire'; texts also write 'and', 'Saint' and a plain '."""
    variants = [name]
    spelled = re.sub(r"\bSt\. ", "Saint ", name.replace(" & ", " and ")).replace("’", "'")
    if spelled != name:
        variants.append(spelled)
    return variants


def _chinese_variants(name: str) -> list[str]:
    """刚果（金） is also typed with ASCII brackets."""
    ascii_brackets = name.replace("（", "(").replace("）", ")")
    return [name, ascii_brackets] if ascii_brackets != name else [name]


def _unique(items: list[str], skip: set[str]) -> list[str]:
    return [item for item in dict.fromkeys(items) if item not in skip]


def kebab(name: str) -> str:
    """'Côte d’Ivoire' → 'cote-d-ivoire', 'Trinidad & Tobago' → 'trinidad-and-tobago'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.replace("&", " and ").lower()).strip("-")


def countries_yaml(overrides_path: Path) -> str:
    """The text of glossary/countries.yaml: deterministic for a given Babel (CLDR) version and overrides."""
    entries = country_entries(load_overrides(overrides_path))
    header = (
        f"GENERATED FILE, do not edit: `ccpipe glossary countries` (or scripts/generate_countries.py) writes it from\n"
        f"Unicode CLDR {get_cldr_version()} (Babel {babel.__version__}) territory names and the curated\n"
        "overrides in glossary/sources/country-overrides.yaml; change those and regenerate.\n"
        f"{len(entries)} countries and territories: en = CLDR English name, zh = CLDR zh_Hans name, unless overridden."
    )
    return to_yaml(entries, header=header)
