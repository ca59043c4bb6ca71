"""Build the brief model from a document: the one place that decides what a brief contains."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ccpipe.models import Block, BlockKind, Category, Document, Entity, Mention, Quantity, QuantityKind
from ccpipe.publish.bilingual import bilingual
from ccpipe.publish.brief import Brief, Cell, Figure, IndexRow, Run, Section, TextBlock, TitleBlock
from ccpipe.publish.figures import is_key_figure, render
from ccpipe.publish.i18n import DEFAULT_LANGUAGES, Language
from ccpipe.publish.i18n import languages as load_languages
from ccpipe.publish.keypoints import key_points
from ccpipe.publish.runs import CATEGORY_ORDER, Call, RunMaker
from ccpipe.publish.translated import Translated, place_translations
from ccpipe.text.describe import cover_blocks
from ccpipe.text.structure import table_layout
from ccpipe.textutil import is_cjk
from ccpipe.translate.store import Translations

MAIN_ENTITIES = 12
# Paragraphs longer than this (characters) are printed as several: the sample's longest has 552, a text file
# without line breaks can have a million, which WeasyPrint lays out as one box spanning hundreds of pages.
PIECE_CHARS = 3000
KEY_FIGURES = 12
KEYWORDS = 12
_CLAUSE_END = "，。；！？：\n"


def _lang(text: str) -> str:
    # A block without any CJK (e.g. the publisher's English name) is English, which matters for hyphenation and fonts.
    return "zh-Hans" if any(map(is_cjk, text)) or not text.strip() else "en"


def counted_mentions(document: Document) -> list[Mention]:
    """The mentions the index counts, in reading order: every reference, terms inside longer names too."""
    texts = {b.id: b.text for b in document.blocks if b.kind != BlockKind.TITLE}  # the title is not marked up
    order = {b.id: i for i, b in enumerate(document.blocks)}
    # Offsets that no longer match the text would corrupt the markup: such a mention is left out.
    valid = [
        m
        for m in document.mentions
        if (text := texts.get(m.block_id)) is not None
        and 0 <= m.start < m.end <= len(text)
        and text[m.start : m.end] == m.text
    ]
    return sorted(valid, key=lambda m: (order[m.block_id], m.start, -m.end))


def shown_mentions(document: Document) -> dict[str, list[Mention]]:
    """Per block, in text order, the mentions the brief marks up: the outermost names (a term inside a longer
    one is counted in the index, not glossed twice)."""
    shown: dict[str, list[Mention]] = {}
    for m in sorted(counted_mentions(document), key=lambda m: (m.block_id, m.start, m.end)):
        if m.inside is not None:
            continue
        kept = shown.setdefault(m.block_id, [])
        if not kept or kept[-1].end <= m.start:  # an overlap cannot nest: keep the first
            kept.append(m)
    return shown


class _Builder:
    def __init__(
        self, document: Document, languages: tuple[Language, ...], translations: Translations | None = None
    ) -> None:
        self.document = document
        self.translations = translations
        self.languages = languages
        self.source_lang = document.document.language
        self.maker = RunMaker(self.languages, self.source_lang, {e.id: e.zh for e in document.entities})
        self.mentions = shown_mentions(document)
        self.quantities: dict[str, list[Quantity]] = {}
        texts = {b.id: b.text for b in document.blocks}
        for q in document.quantities:
            if texts.get(q.block_id, "")[q.start : q.end] == q.text:
                self.quantities.setdefault(q.block_id, []).append(q)
        self.pages = {b.id: b.page for b in document.blocks}

    def runs(self, block: Block, start: int, end: int, prefix: str, calls: list[Call] | None = None) -> list[Run]:
        return self.maker.runs(
            block.text[start:end],
            self.mentions.get(block.id, []),
            self.quantities.get(block.id, []),
            calls or [],
            prefix,
            start,
        )

    def cells(self, block: Block) -> list[Cell]:
        assert block.table is not None
        _, placed = table_layout(block.table)
        cells = []
        for cell, start in placed:
            runs = self.runs(block, start, start + len(cell.text), f"t-{block.id}")
            cells.append(Cell(cell.row, cell.col, cell.rowspan, cell.colspan, runs))
        return cells

    def text(self) -> tuple[list[TextBlock], list[TextBlock], dict[str, list[str]]]:
        """Body items in reading order, footnote items, and for each footnote the ids of its calls."""
        notes = {b.id: b for b in self.document.blocks if b.kind == BlockKind.FOOTNOTE}
        backrefs: dict[str, list[str]] = {note_id: [] for note_id in notes}
        body: list[TextBlock] = []
        for block in self.document.blocks:
            if block.kind in (BlockKind.TITLE, BlockKind.FOOTNOTE):
                continue
            calls = []
            for note_id in block.footnote_refs:
                if note_id in notes:
                    call_id = f"ref-{note_id}-{len(backrefs[note_id]) + 1}"
                    backrefs[note_id].append(call_id)
                    calls.append(Call(note_id, notes[note_id].label or "*", call_id))
            item = TextBlock(block, _tag(block), [], _lang(block.text))
            if block.kind == BlockKind.PARAGRAPH and len(block.text) > PIECE_CHARS:
                body += self.pieces(block, item, calls)
                continue
            if block.kind == BlockKind.TABLE and block.table is not None:
                item.cells = self.cells(block)
            else:
                item.runs = self.runs(block, 0, len(block.text), f"t-{block.id}", calls)
            if block.kind == BlockKind.LIST_ITEM and body and body[-1].tag == "ul":
                body[-1].children.append(item)
            elif block.kind == BlockKind.LIST_ITEM:
                body.append(TextBlock(block, "ul", [], item.lang, children=[item]))
            else:
                body.append(item)
        footnotes = [
            TextBlock(n, "p", self.runs(n, 0, len(n.text), f"t-{n.id}"), _lang(n.text)) for n in notes.values()
        ]
        return body, footnotes, backrefs

    def pieces(self, block: Block, first: TextBlock, calls: list[Call]) -> list[TextBlock]:
        """A paragraph too long to print as one, as consecutive paragraphs cut after sentences (the footnote
        calls placed in the last): renderers lay out many short paragraphs far faster than one huge one."""
        cuts = piece_bounds(block.text, [(s.start, s.end) for s in block.sentences])
        items = []
        for number, (start, end) in enumerate(cuts):
            last = number == len(cuts) - 1
            runs = self.runs(block, start, end, f"t-{block.id}", calls if last else None)
            items.append(replace(first, runs=runs, continued=number > 0))
        return items

    def index(self) -> list[tuple[Category, list[IndexRow]]]:
        """Entities that occur, grouped by category in the fixed order, most mentioned first."""
        mentions = counted_mentions(self.document)
        counts = Counter(m.entity_id for m in mentions)
        first: dict[str, Mention] = {}
        for mention in mentions:
            first.setdefault(mention.entity_id, mention)
        entities = self.entities()
        groups: list[tuple[Category, list[IndexRow]]] = []
        for category in CATEGORY_ORDER:
            rows = [
                IndexRow(e, counts[e.id], first[e.id].block_id, self.pages.get(first[e.id].block_id, 0))
                for e in entities.values()
                if e.category == category and counts[e.id]
            ]
            if rows:
                groups.append((category, sorted(rows, key=lambda r: (-r.count, r.entity.zh, r.entity.id))))
        return groups

    def entities(self) -> dict[str, Entity]:
        entities = {e.id: e for e in self.document.entities}
        for m in counted_mentions(self.document):  # a mention outside the index still deserves a row
            entities.setdefault(m.entity_id, Entity(id=m.entity_id, zh=m.text, en=m.en, category=m.category, count=0))
        return entities

    def figures(self) -> list[Figure]:
        """Key figures: the money amounts and measures (not durations) the report gives, each once, in order."""
        blocks = {b.id: b for b in self.document.blocks}
        cover = {b.id for b in cover_blocks(self.document.blocks)}
        seen: set[tuple[object, ...]] = set()
        figures = []
        for q in (q for b in self.document.blocks for q in self.quantities.get(b.id, [])):
            key = (q.kind, q.value, q.low, q.high, q.unit)
            if not is_key_figure(q) or q.block_id in cover or key in seen:
                continue
            seen.add(key)
            block = blocks[q.block_id]
            start, end = _clause(block.text, q.start, q.end)
            context = self.runs(block, start, end, f"f-{block.id}-{q.start}")
            figures.append(Figure(q, self.maker.forms(q), block.page, context))
        return figures[:KEY_FIGURES]

    def title(self, entities: dict[str, Entity]) -> TitleBlock:
        info = self.document.document
        by_zh = {e.zh: e.en for e in entities.values()}
        return TitleBlock(
            title=info.title,
            title_en=info.title_en or by_zh.get(info.title),
            publisher=info.publisher,
            publisher_en=by_zh.get(info.publisher or "") or self.cover_english(info.publisher),
            date=info.date,
            # The cover's date is not shown again when it is the official date of issue shown below.
            dates=self.dates(info.date if not info.official or info.official.date != info.date else None),
            pages=info.source.pages,
            source=info.source.path,
            sha256=info.source.sha256,
            generator=self.document.generator,
            official=info.official,
            issued=self.dates(info.official.date if info.official else None),
        )

    def dates(self, iso: str | None) -> dict[str, str]:
        """An ISO date written for each language of the brief (2021-10-24 → 2021年10月24日, 24 October 2021)."""
        return {lang.code: render(_date_quantity(iso), lang) for lang in self.languages} if iso else {}

    def cover_english(self, publisher: str | None) -> str | None:
        """The publisher's English name when the cover prints it on the line after the Chinese one."""
        cover = cover_blocks(self.document.blocks)
        for block, after in itertools.pairwise(cover):
            if publisher and block.text.strip() == publisher and _lang(after.text) == "en":
                return after.text.strip()
        return None

    def build(self) -> Brief:
        body, footnotes, backrefs = self.text()
        index = self.index()
        entities = self.entities()
        rows = [row for _, rows in index for row in rows]
        ranked = sorted(rows, key=lambda r: (-r.count, r.entity.en.casefold(), r.entity.id))
        sections = key_points(self.document, self.mentions, self.runs, entities)
        official = bilingual(self.document, body, footnotes, sections)
        placed = self.translated(sections) if official is None else None
        title = self.title(entities)
        if placed and placed.title and not title.title_en:
            title = replace(title, title_en=placed.title.text, title_origin=placed.title.label)
        return Brief(
            languages=self.languages,
            source_lang=self.source_lang,
            title=title,
            figures=self.figures(),
            main_entities=ranked[:MAIN_ENTITIES],
            sections=sections,
            outline=_outline(self.document),
            index=index,
            body=body,
            footnotes=footnotes,
            backrefs=backrefs,
            glossary=sorted(rows, key=lambda r: (r.entity.en.casefold(), r.entity.zh)),
            # The PDF's keyword field: the most mentioned terms in English, enough to find the brief.
            keywords=list(dict.fromkeys(row.entity.en for row in ranked))[:KEYWORDS],
            bilingual=official,
            translated=placed,
        )

    def translated(self, sections: list[Section]) -> Translated | None:
        """The recorded translations placed beside the text; None when there is none to show, so that a
        brief without translations renders exactly as before."""
        if self.translations is None or not self.translations.usable():
            return None
        return place_translations(self.document, self.translations, sections, official=False)


def piece_bounds(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[0, len(text))`` cut into pieces of about :data:`PIECE_CHARS`, after a sentence where there is one."""
    ends = sorted({end for _, end in sentences if 0 < end < len(text)})
    bounds, start = [], 0
    while len(text) - start > PIECE_CHARS:
        limit = start + PIECE_CHARS
        fitting = [end for end in ends if start < end <= limit]
        cut = fitting[-1] if fitting else limit
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def _date_quantity(iso: str) -> Quantity:
    kind = QuantityKind.DATE if "-" in iso else QuantityKind.YEAR
    return Quantity(block_id="", start=0, end=0, text=iso, kind=kind, iso=iso)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``: from the previous to the next clause mark, the mark kept."""
    left = max((text.rfind(mark, 0, start) for mark in _CLAUSE_END), default=-1) + 1
    right = min((i for i in (text.find(mark, end) for mark in _CLAUSE_END) if i >= 0), default=len(text) - 1) + 1
    if start - left < 6 and left > 0:  # the figure opens its clause: take the one before too, for the subject
        left = max((text.rfind(mark, 0, left - 1) for mark in _CLAUSE_END), default=-1) + 1
    while left < start and text[left].isspace():
        left += 1
    return left, min(right, len(text))


def _tag(block: Block) -> str:
    if block.kind == BlockKind.HEADING:
        # h1 is the brief's title and h2 its parts ("Full text"), so the report's own headings start at h3.
        return f"h{min(max(block.level or 1, 1), 3) + 2}"
    return {BlockKind.LIST_ITEM: "li", BlockKind.TABLE: "table"}.get(block.kind, "p")


def _outline(document: Document) -> list[tuple[Block, list[Block]]]:
    """Level-1 headings with their level-2 children; a level-2 heading before any level 1 stands alone."""
    tree: list[tuple[Block, list[Block]]] = []
    for block in document.blocks:
        if block.kind != BlockKind.HEADING or (block.level or 1) > 2:
            continue
        if (block.level or 1) == 2 and tree and (tree[-1][0].level or 1) == 1:
            tree[-1][1].append(block)
        else:
            tree.append((block, []))
    return tree


def build_brief(
    document: Document,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
    catalog_dirs: Iterable[Path] = (),
    translations: Translations | None = None,
) -> Brief:
    """The brief of ``document`` in the given languages (Babel ids, the document's own first), from the
    document as the stages left it: publishing runs no analysis stage of its own. ``translations``: those
    recorded for the document, shown beside the text."""
    return _Builder(document, load_languages(languages, catalog_dirs), translations).build()
