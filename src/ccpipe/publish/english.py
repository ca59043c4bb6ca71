"""``brief.en.html``: the brief for readers without Chinese, from the translations recorded for the document.

English title (a translation, else the official edition's title), outline of English headings, key points
and text where translated, each with its origin shown discreetly; a stretch without English is summarised
("Section 3, 4 paragraphs, not yet translated") instead of shown in Chinese. Only usable translations count
(translated, and clean or accepted by QA). Coverage (units and characters by origin) heads the page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html import escape

from ccpipe.models import Document, TranslationCoverage
from ccpipe.translate.segments import SourceUnit, source_units
from ccpipe.translate.store import Translations, UnitTranslation

_STYLE = """
body{font:16px/1.55 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.7rem}nav li{margin:.2rem 0}.origin{font:11px sans-serif;color:#888;vertical-align:super}
.gap{font:14px sans-serif;color:#777;font-style:italic;border-left:3px solid #ddd;padding-left:.6rem}
.coverage{font:13px sans-serif;color:#555}
"""


@dataclass
class Coverage:
    units: int = 0
    characters: int = 0
    translated_units: Counter[str] = field(default_factory=Counter)
    translated_characters: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        done = sum(self.translated_units.values())
        chars = sum(self.translated_characters.values())
        origins = ", ".join(f"{origin} {n}" for origin, n in sorted(self.translated_units.items()))
        share = 100 * chars / self.characters if self.characters else 0.0
        return f"Translated: {done} of {self.units} units, {share:.0f}% of the text ({origins or 'none'})."


def document_coverage(document: Document, translations: Translations) -> TranslationCoverage:
    """The coverage recorded in ``document.json``."""
    found = coverage(source_units(document), translations.usable())
    return TranslationCoverage(
        units=found.units,
        characters=found.characters,
        translated_units=dict(sorted(found.translated_units.items())),
        translated_characters=dict(sorted(found.translated_characters.items())),
    )


def coverage(units: list[SourceUnit], usable: dict[str, UnitTranslation]) -> Coverage:
    found = Coverage(units=len(units), characters=sum(len(u.text) for u in units))
    for unit in units:
        if unit.id in usable:
            found.translated_units[usable[unit.id].origin.value] += 1
            found.translated_characters[usable[unit.id].origin.value] += len(unit.text)
    return found


def _origin(translation: UnitTranslation) -> str:
    match = f" {translation.match}%" if translation.match is not None and translation.match < 100 else ""
    label = f"{translation.origin.value}{match}"
    return f'<span class="origin" title="{escape(label)}">{escape(label)}</span>'


def _english(translation: UnitTranslation) -> str:
    return f"{escape(translation.target)}{_origin(translation)}"


def _body(units: list[SourceUnit], usable: dict[str, UnitTranslation]) -> list[str]:
    """Sections in order: English heading, translated paragraphs, gaps summarised per section."""
    html: list[str] = []
    section_number = 0
    paragraph: list[str] = []
    missing: set[int] = set()

    def flush() -> None:
        if paragraph:
            html.append(f"<p>{' '.join(paragraph)}</p>")
            paragraph.clear()
        if missing:
            where = f"Section {section_number}" if section_number else "Opening"
            html.append(f'<p class="gap">{where}, {len(missing)} paragraph(s), not yet translated.</p>')
            missing.clear()

    paragraph_number = 0
    for unit in units:
        if unit.kind == "title":
            continue
        if unit.kind == "heading":
            flush()
            section_number += 1
            text = _english(usable[unit.id]) if unit.id in usable else f"Section {section_number} (not yet translated)"
            html.append(f'<h2 id="s{section_number}">{text}</h2>')
            continue
        if unit.paragraph != paragraph_number and paragraph:
            html.append(f"<p>{' '.join(paragraph)}</p>")
            paragraph.clear()
        paragraph_number = unit.paragraph
        if unit.id in usable:
            paragraph.append(_english(usable[unit.id]))
        else:
            missing.add(unit.paragraph)
    flush()
    return html


def _title(document: Document, units: list[SourceUnit], usable: dict[str, UnitTranslation]) -> str:
    for unit in units:
        if unit.kind == "title" and unit.id in usable:
            return usable[unit.id].target
    return document.document.title_en or "Untitled (title not yet translated)"


def english_html(document: Document, translations: Translations) -> str:
    """The English edition of the brief as one HTML page."""
    units = source_units(document)
    usable = translations.usable()
    title = _title(document, units, usable)
    headings = [u for u in units if u.kind == "heading"]
    outline = [
        f'<li><a href="#s{n}">{escape(usable[u.id].target) if u.id in usable else f"Section {n}"}</a></li>'
        for n, u in enumerate(headings, 1)
    ]
    points = [f"<li>{_english(usable[u.id])}</li>" for u in units if u.kind == "keypoint" and u.id in usable]
    info = document.document
    english_names = {entity.zh: entity.en for entity in document.entities}
    publisher = english_names.get(info.publisher or "", "")  # a publisher the glossary cannot name is left out
    meta = " · ".join(part for part in (publisher, info.date or "") if part)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="coverage">{escape(meta)}</p>' if meta else "",
        f'<p class="coverage">{escape(coverage(units, usable).line())}</p>',
        f"<nav><h2>Contents</h2><ol>{''.join(outline)}</ol></nav>" if outline else "",
        f"<section><h2>Key points</h2><ul>{''.join(points)}</ul></section>" if points else "",
        *_body(units, usable),
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"
