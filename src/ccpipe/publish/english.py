"""``brief.en.html``: the brief for readers without Chinese, written for every document.

English title (a translation, else the official edition's or the glossary's), outline, key points and text
where translated, each passage with its origin shown discreetly (machine translation always labelled); key
figures in their English form, the entity index by English name. Nothing in Chinese: a heading without English
is "Section 3" with the English names it mentions, a key point without English names its terms and figures,
and a stretch of text without English is summarised ("Section 3, 4 paragraphs, not yet translated"). Only
usable translations count (translated, and clean or accepted by QA). Coverage heads the page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup

from ccpipe.models import Document, TranslationCoverage
from ccpipe.publish.brief import Brief, Run, TextBlock
from ccpipe.publish.runs import CATEGORY_LABELS
from ccpipe.publish.translated import English, Translated, place_translations, usable_units
from ccpipe.translate.segments import SourceUnit, source_units
from ccpipe.translate.store import Translations, UnitTranslation

TEMPLATE = "english.html.j2"
ENGLISH = "en"
GAP_TERMS = 5  # English names listed for a stretch not yet translated


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


def glossed(runs: list[Run]) -> list[str]:
    """The English of the terms and figures marked in ``runs``, each once, in text order."""
    names = []
    for run in runs:
        english = [gloss.text for gloss in run.glosses if gloss.lang == ENGLISH]
        if run.kind in ("term", "figure") and (english or run.same):
            names.append(english[0] if english else run.text)  # same: a term written in English already
    return list(dict.fromkeys(names))


@dataclass
class Heading:
    number: str  # "3", "3.2"
    anchor: str
    level: int
    english: English | None
    names: list[str]  # English names it mentions, for a heading without English


@dataclass
class Passage:
    """A paragraph with English (``english``), or a stretch without (``gap``: how many paragraphs)."""

    english: list[English] = field(default_factory=list)
    untranslated: int = 0  # sentences of a translated paragraph still without English
    gap: int = 0
    tables: int = 0
    pages: tuple[int, int] = (0, 0)
    names: list[str] = field(default_factory=list)


@dataclass
class Part:
    heading: Heading | None  # None: the text before the first heading
    passages: list[Passage] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"Section {self.heading.number}" if self.heading else "Opening"


class _Parts:
    """The body in reading order cut at its headings, translated paragraphs kept, the rest summarised."""

    def __init__(self, placed: Translated) -> None:
        self.placed = placed
        self.parts: list[Part] = [Part(None)]
        self.numbers: list[int] = []
        self.last = ""  # the block of the last text item

    def heading(self, item: TextBlock) -> None:
        level = min(max(item.block.level or 1, 1), 3)
        self.numbers = (self.numbers + [0] * level)[:level]
        self.numbers[-1] += 1
        number = ".".join(str(n) for n in self.numbers).removeprefix("0.")  # a subheading before any heading
        english = self.placed.headings.get(item.block.id)
        self.parts.append(Part(Heading(number, item.block.id, level, english, glossed(item.runs))))

    def text(self, item: TextBlock) -> None:
        if item.block.id == self.last:
            return  # a later piece of a long paragraph (the body cuts them for layout): counted with the first
        self.last = item.block.id
        passages = self.parts[-1].passages
        english = self.placed.paragraphs.get(item.block.id)
        if english:
            passages.append(Passage(english, self.placed.untranslated.get(item.block.id, 0)))
            return
        if not passages or not passages[-1].gap:
            passages.append(Passage(pages=item.pages))
        gap = passages[-1]
        gap.gap += 1
        gap.tables += item.tag == "table"
        gap.pages = (gap.pages[0], item.pages[1])
        gap.names = list(dict.fromkeys([*gap.names, *glossed(item.runs)]))[:GAP_TERMS]

    def build(self, body: list[TextBlock]) -> list[Part]:
        for item in body:
            if item.tag.startswith("h"):
                self.heading(item)
            else:
                for child in item.children or [item]:
                    self.text(child)
        return [part for part in self.parts if part.heading or part.passages]


def _title(brief: Brief, placed: Translated) -> tuple[str, bool]:
    """The English title, and whether it is a title at all (else a description of the document: its
    publisher's English name and date)."""
    if placed.title:
        return placed.title.text, True
    if brief.title.title_en and not brief.title.title_origin:
        return brief.title.title_en, True
    publisher = f"Report of the {brief.title.publisher_en}" if brief.title.publisher_en else "Report"
    date = brief.title.dates.get(ENGLISH) or brief.title.issued.get(ENGLISH)
    return f"{publisher}, {date}" if date else publisher, False


def _official(brief: Brief) -> list[str]:
    """An official document's elements that read in English: its issuer's English name, its date of issue, and
    whether it is a draft, abridged or has attachments (its number and addressees are Chinese text)."""
    official = brief.title.official
    if official is None:
        return []
    names = {row.entity.zh: row.entity.en for _, rows in brief.index for row in rows}
    issued = brief.title.issued.get(ENGLISH)
    attachments = len(official.attachments)
    parts = [
        f"issued by {names[official.issuer]}" if official.issuer in names else "",
        f"date of issue {issued}" if issued else "",
        "draft for comment" if official.draft else "",
        "abridged" if official.abridged else "",
        f"{attachments} attachment{'s' if attachments > 1 else ''}" if attachments else "",
    ]
    return [part for part in parts if part]


def english_html(document: Document, translations: Translations, brief: Brief | None = None) -> str:
    """The English edition of the brief as one self-contained HTML page (also what prints to PDF)."""
    from ccpipe.publish.build import build_brief
    from ccpipe.publish.html import environment

    brief = brief or build_brief(document, translations=translations)
    placed = place_translations(document, translations, brief.sections)
    title, translated_title = _title(brief, placed)
    parts = _Parts(placed).build(brief.body)
    headings = {part.heading.anchor: part.heading for part in parts if part.heading}
    units = source_units(document)
    context = {
        "brief": brief,
        "info": brief.title,
        "title": title,
        "title_english": placed.title,
        "translated_title": translated_title,
        "coverage": coverage(units, usable_units(document, translations)).line(),
        "official": _official(brief),
        "parts": parts,
        "outline": [part.heading for part in parts if part.heading and part.heading.level <= 2],
        "placed": placed,
        "headings": headings,
        "glossed": glossed,
        "categories": {category: label for category, label in CATEGORY_LABELS.items()},
        "style": Markup(_STYLE),
    }
    return environment().get_template(TEMPLATE).render(context)


_STYLE = """
:root { --ink: #1c2330; --muted: #5d6675; --faint: #737b87; --rule: #d9dde3; --accent: #0d5c57; }
body { font: 16px/1.55 "Noto Serif CJK SC", "Noto Serif", serif; color: var(--ink); max-width: 46rem;
  margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: .2rem 0 .6rem; }
h2 { font: 700 .8rem "Noto Sans CJK SC", sans-serif; letter-spacing: .08em; text-transform: uppercase;
  color: var(--accent); border-top: 1px solid var(--rule); padding-top: 1rem; margin-top: 2rem; }
h3, h4 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; } h4 { font-size: 1rem; }
a { color: var(--accent); text-decoration: none; }
.kicker { font: 700 .8rem "Noto Sans CJK SC", sans-serif; letter-spacing: .08em; color: var(--accent); margin: 0; }
.meta, .note, .coverage { font: .85rem/1.5 "Noto Sans CJK SC", sans-serif; color: var(--muted); }
.origin { font: .7rem "Noto Sans CJK SC", sans-serif; color: var(--faint); white-space: nowrap; }
.origin::before { content: "["; } .origin::after { content: "]"; }
.origin.is-machine { color: #9a5b00; }
.gap, .pending { font: italic .9rem/1.5 "Noto Sans CJK SC", sans-serif; color: var(--muted); }
.gap { border-left: 3px solid var(--rule); padding-left: .6rem; }
.num { color: var(--faint); margin-right: .4em; }
table { border-collapse: collapse; width: 100%; font: .85rem/1.4 "Noto Sans CJK SC", sans-serif; }
th, td { text-align: left; padding: .25rem .4rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
nav ol { padding-left: 1.4rem; } nav li { margin: .15rem 0; }
nav ol.headings { list-style: none; padding-left: .4rem; } nav .level-2 { padding-left: 1.6rem; }
.page, .names { font: .8rem "Noto Sans CJK SC", sans-serif; color: var(--faint); white-space: nowrap; }
.names { white-space: normal; }
@page { size: A4; margin: 20mm 18mm; }
@media print { body { max-width: none; margin: 0; padding: 0; } a { color: inherit; } }
"""
