"""The translations recorded for a document (``translations.json``) placed for the briefs.

Every English text is a recorded unit's (see :mod:`ccpipe.translate.store`), shown only when usable
(translated, and clean or accepted by QA), and always with its origin: official edition, human translation,
translation memory (with its match percentage below 100) or machine translation, the last never unlabelled.
A unit's English goes with the block its first span lies in: a heading's beside the heading, a paragraph's
sentences beside the paragraph, in reading order, consecutive sentences of one origin under one label.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ccpipe.models import Document
from ccpipe.publish.brief import KeyPoint, Section, TextBlock
from ccpipe.publish.i18n import N_
from ccpipe.translate.segments import SourceUnit, source_units
from ccpipe.translate.store import State, Translations, UnitTranslation
from ccpipe.translate.units import Origin, official_units

# Shown after the English, small and grey: what the reader must know about where it comes from.
ORIGIN_LABELS = {
    Origin.OFFICIAL.value: N_("official edition"),
    Origin.HUMAN.value: N_("human translation"),
    Origin.MEMORY.value: N_("translation memory"),
    Origin.MACHINE.value: N_("machine translation"),
}


_TRUST = [origin.value for origin in (Origin.OFFICIAL, Origin.HUMAN, Origin.MEMORY, Origin.MACHINE)]


@dataclass(frozen=True)
class English:
    """English for a piece of the source, with where it came from."""

    text: str
    origin: str  # an Origin value
    match: int | None = None  # a memory match below 100%: its percentage

    @property
    def label(self) -> str:
        """The origin in English: "machine translation", "translation memory 92%"."""
        return ORIGIN_LABELS[self.origin] + (f" {self.match}%" if self.match is not None else "")


@dataclass
class Translated:
    """The usable English of a document, by the source block it renders."""

    title: English | None
    headings: dict[str, English] = field(default_factory=dict)  # heading block id -> English
    paragraphs: dict[str, list[English]] = field(default_factory=dict)  # block id -> its sentences' English
    untranslated: dict[str, int] = field(default_factory=dict)  # block id -> sentences without English
    points: dict[tuple[str, int, int], English] = field(default_factory=dict)  # key point span -> English
    units: int = 0
    translated_units: int = 0

    def beside(self, block: TextBlock) -> Beside | None:
        """The English shown beside one block of the text: a heading's, or a paragraph's or list item's
        sentences with the count of those still without; None when it has neither."""
        block_id = block.block.id
        if block_id in self.headings:
            return Beside([self.headings[block_id]])
        english, untranslated = self.paragraphs.get(block_id, []), self.untranslated.get(block_id, 0)
        return Beside(english, untranslated) if english or untranslated else None

    def shows(self, item: TextBlock) -> bool:
        """Whether a body item has English to show beside it: a heading, a paragraph, or one of a list's items
        (the others of such a list are shown with their untranslated count)."""
        found = self.headings if item.tag.startswith("h") else self.paragraphs
        return any(block.block.id in found for block in item.children or [item])


@dataclass(frozen=True)
class Beside:
    """The English of one block of the text, passage by passage, and its sentences still without English."""

    english: list[English]
    untranslated: int = 0


@dataclass
class Pair:
    """A body item with the later pieces of its paragraph (see build.PIECE_CHARS), and the English beside each of
    its blocks by block id: empty for an item shown as the text shows it."""

    pieces: list[TextBlock]
    english: dict[str, Beside] = field(default_factory=dict)

    @property
    def item(self) -> TextBlock:
        return self.pieces[0]

    @property
    def blocks(self) -> list[tuple[TextBlock, Beside]]:
        """The item's blocks (itself, or a list's items) that have English, each with its English."""
        return [
            (block, self.english[block.block.id])
            for block in self.item.children or [self.item]
            if block.block.id in self.english
        ]


def paired(body: list[TextBlock], translated: Translated | None) -> list[Pair]:
    """The full text in the order it reads, each translated item with its English (every brief format shows the
    same): a long paragraph's pieces go together beside their English, given once."""
    pairs: list[Pair] = []
    for item in body:
        last = pairs[-1] if pairs else None
        if last and last.english and item.continued and last.item.block.id == item.block.id:
            last.pieces.append(item)
        elif translated is not None and translated.shows(item):
            blocks = item.children or [item]
            pairs.append(Pair([item], {b.block.id: beside for b in blocks if (beside := translated.beside(b))}))
        else:
            pairs.append(Pair([item]))
    return pairs


def _match(unit: UnitTranslation) -> int | None:
    return unit.match if unit.origin == Origin.MEMORY and unit.match is not None and unit.match < 100 else None


def usable_units(document: Document, translations: Translations) -> dict[str, UnitTranslation]:
    """The recorded translations a brief may show, with the sure sentence links of an aligned official
    edition for units that have no recorded English."""
    usable = translations.usable()
    for unit in official_units(document):
        if unit.id not in usable:
            usable[unit.id] = UnitTranslation(
                source=unit.source, target=unit.target, state=State.FINAL, origin=Origin.OFFICIAL
            )
    return usable


def _grouped(units: Iterable[UnitTranslation]) -> list[English]:
    """Sentences in order, consecutive ones of the same origin joined under one label."""
    grouped: list[English] = []
    for unit in units:
        if not unit.target.strip():
            continue  # a sentence whose English the previous one carries (an n:1 link)
        english = English(unit.target.strip(), unit.origin.value, _match(unit))
        if grouped and grouped[-1].label == english.label:
            grouped[-1] = English(f"{grouped[-1].text} {english.text}", english.origin, english.match)
        else:
            grouped.append(english)
    return grouped


def _overlaps(unit: SourceUnit, point: KeyPoint) -> bool:
    return any(r.block_id == point.block_id and r.start < point.end and point.start < r.end for r in unit.refs)


def _points(
    units: list[SourceUnit], usable: dict[str, UnitTranslation], sections: list[Section]
) -> dict[tuple[str, int, int], English]:
    """The English of each key point: the translated units its span overlaps, when all of them are (a subheading's
    the heading's unit, a sentence's the sentence units)."""
    found: dict[tuple[str, int, int], English] = {}
    for point in (point for section in sections for point in section.points):
        heading = point.kind == "heading"
        covering = [unit for unit in units if (unit.kind == "heading") == heading and _overlaps(unit, point)]
        if covering and all(unit.id in usable for unit in covering):
            english = _grouped(usable[unit.id] for unit in covering)
            if english:  # a key point of mixed origins is labelled with the least sure of them (machine last)
                text = " ".join(e.text for e in english)
                weakest = max(english, key=lambda e: _TRUST.index(e.origin))
                found[(point.block_id, point.start, point.end)] = English(text, weakest.origin, weakest.match)
    return found


def place_translations(
    document: Document, translations: Translations, sections: list[Section], official: bool = True
) -> Translated:
    """Place the usable translations (``official``: with the aligned edition's sure links) for the brief."""
    units = source_units(document)
    usable = usable_units(document, translations) if official else translations.usable()
    placed = Translated(title=None, units=len(units), translated_units=sum(1 for u in units if u.id in usable))
    sentences: dict[str, list[UnitTranslation]] = {}
    for unit in units:
        block_id = unit.refs[0].block_id
        found = usable.get(unit.id)
        if unit.kind == "title":
            if placed.title is None and found and found.target.strip():
                placed.title = _grouped([found])[0]
        elif unit.kind == "heading":
            if found and found.target.strip():
                placed.headings[block_id] = _grouped([found])[0]
        elif found:
            sentences.setdefault(block_id, []).append(found)
        else:
            placed.untranslated[block_id] = placed.untranslated.get(block_id, 0) + 1
    placed.paragraphs = {block_id: english for block_id, found in sentences.items() if (english := _grouped(found))}
    placed.points = _points(units, usable, sections)
    return placed
