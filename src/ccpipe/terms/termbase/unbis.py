"""Import of the UN Library's UNBIS Thesaurus (scraped JSON) as a supplementary glossary.

Content © United Nations: the result is meant to be loaded after the curated glossary, with lower
priority (see :func:`ccpipe.terms.glossary.load_glossaries`), never copied into ``glossary/``.

Each concept with usable English and Chinese labels becomes an entry ``unbis-<concept id>``: English
de-capitalised (:mod:`.casing`), Chinese trimmed of stray spaces, category concept unless the concept is a
CLDR country or region. The thesaurus's real flaws are skipped and counted: missing labels, Chinese labels
without any CJK character (a Russian or Latin label filed as Chinese), of one character (too generic to
tag: 水, 碳), or cut off inside a bracket; and a label another concept already uses (descriptors are read
before the 6-digit subject headings, which often repeat them).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale

from ccpipe.errors import GlossaryError
from ccpipe.models import Category
from ccpipe.terms.glossary import GlossaryEntry
from ccpipe.terms.termbase.casing import decapitalise
from ccpipe.terms.termbase.yamlfile import to_yaml

CITATION = "UNBIS Thesaurus, © United Nations"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# White space next to a CJK character or full-width punctuation is an artefact: 苏丹 - 萨赫勒区域.
_CJK_SPACE = re.compile(r"\s*([\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef])\s*")
_OPEN, _CLOSE = "(（", ")）"

NO_ENGLISH = "no English label"
NO_CHINESE = "no Chinese label"
NOT_CHINESE = "Chinese label without CJK characters"
ONE_CHARACTER = "Chinese label of one character"
TRUNCATED = "Chinese label cut off inside a bracket"
DUPLICATE = "label already used by another concept"


@dataclass
class UnbisImport:
    concepts: int
    entries: list[GlossaryEntry]
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        reasons = ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items()))
        return (
            f"{self.concepts} concepts: {len(self.entries)} imported, {sum(self.skipped.values())} skipped ({reasons})"
        )


def import_unbis(path: Path) -> UnbisImport:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GlossaryError(path, f"cannot read the UNBIS JSON ({exc})") from exc
    topics = data.get("topics") if isinstance(data, dict) else data
    if not isinstance(topics, list):
        raise GlossaryError(path, "expected a list of concepts under 'topics'")
    return convert(topics)


def convert(topics: Iterable[Mapping[str, Any]]) -> UnbisImport:
    concepts = sorted(topics, key=_reading_order)
    result = UnbisImport(concepts=len(concepts), entries=[])
    places = _places()
    used: set[str] = set()
    for concept in concepts:
        entry = _entry(concept, places, result.skipped)
        if entry is None:
            continue
        if entry.zh in used or entry.en in used:
            result.skipped[DUPLICATE] += 1
            continue
        aliases = [alias for alias in entry.zh_aliases if alias not in used]
        entry = entry.model_copy(update={"zh_aliases": aliases})
        used.update(entry.surfaces())
        result.entries.append(entry)
    result.entries.sort(key=lambda entry: entry.id)
    return result


def _reading_order(concept: Mapping[str, Any]) -> tuple[bool, str]:
    identifier = str(concept.get("identifier", ""))
    return (len(identifier) == 6 and identifier.isdigit(), identifier)


def _entry(concept: Mapping[str, Any], places: dict[str, Category], skipped: Counter[str]) -> GlossaryEntry | None:
    labels = concept.get("labels") or {}
    en, zh_label, ru = (str(labels.get(lang) or "").strip() for lang in ("en", "zh", "ru"))
    reason = _problem(en, zh_label)
    if reason:
        skipped[reason] += 1
        return None
    names = [_clean_chinese(part) for part in re.split(r"[;；]", zh_label) if part.strip()]
    if ";" in en:
        # A subject heading listing several fields in both languages: one name, not aliases.
        names = [_clean_chinese(zh_label)]
    category = places.get(names[0]) or places.get(en.lower()) or Category.CONCEPT
    identifier = str(concept.get("identifier", ""))
    return GlossaryEntry(
        id="unbis-" + re.sub(r"[^a-z0-9]+", "-", identifier.lower()).strip("-"),
        category=category,
        zh=names[0],
        en=decapitalise(en, zh=zh_label, ru=ru, title=category is not Category.CONCEPT),
        zh_aliases=[name for name in dict.fromkeys(names[1:]) if name != names[0]],
        note=f"{CITATION}: {concept.get('url') or identifier}",
    )


def _problem(en: str, zh: str) -> str | None:
    if not en:
        return NO_ENGLISH
    if not zh:
        return NO_CHINESE
    if not _CJK.search(zh):
        return NOT_CHINESE
    if len(_clean_chinese(zh)) < 2:
        return ONE_CHARACTER
    if sum(zh.count(c) for c in _OPEN) != sum(zh.count(c) for c in _CLOSE):
        return TRUNCATED
    return None


def _clean_chinese(label: str) -> str:
    return _CJK_SPACE.sub(r"\1", " ".join(label.split()))


def _places() -> dict[str, Category]:
    """CLDR names (Chinese, and English lowercased) of countries and of macro-regions."""
    places: dict[str, Category] = {}
    for locale, fold in ((Locale("en"), str.lower), (Locale.parse("zh_Hans"), str)):
        for code, name in locale.territories.items():
            if code in ("XA", "XB", "ZZ", "EU", "EZ", "UN", "QO"):
                continue
            places[fold(name.replace("’", "'"))] = Category.REGION if code.isdigit() else Category.COUNTRY
    return places


def unbis_yaml(result: UnbisImport, source: str) -> str:
    header = (
        f"Supplementary glossary imported from the {CITATION} (https://metadata.un.org/thesaurus/),\n"
        f"by `ccpipe glossary import-unbis {source}`. Load it after the curated glossary, which wins\n"
        f"any shared surface: ccpipe glossary check glossary THIS_FILE. Do not copy it into glossary/.\n"
        f"{result.summary()}"
    )
    return to_yaml(result.entries, header=header)
