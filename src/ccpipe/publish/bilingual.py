"""The official English of an aligned document, placed for the brief: paragraph rows, headings, key points.

Built only for a document with an alignment (see :mod:`ccpipe.translate`); a document without one has no
bilingual part and its brief renders exactly as before. Nothing here is translated: every English text is
the official edition's, taken from the alignment's links. English of a link below the alignment's
threshold is shown in the rows (marked as unsure) but never used as a heading's or key point's English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ccpipe.models import (
    Alignment,
    AlignmentLink,
    BlockKind,
    Document,
    EditionBlock,
    LinkLevel,
    TermRendering,
    TextRef,
)
from ccpipe.publish.brief import KeyPoint, Section, TextBlock
from ccpipe.textutil import join_fragments
from ccpipe.translate.items import is_closed, ref_text

_SKIPPED = (BlockKind.TITLE, BlockKind.FOOTNOTE)


@dataclass(frozen=True)
class EnglishBlock:
    """A block of the official English edition as the brief shows it."""

    id: str
    tag: str  # h3 | h4 | h5 | p | li
    text: str


@dataclass
class PairRow:
    """One paragraph link: the Chinese items (as the full text renders them) beside their English."""

    link: str
    source: list[TextBlock]
    target: list[EnglishBlock]
    status: str  # linked | low | source-only | edition-only
    confidence: float


@dataclass
class Bilingual:
    title_en: str
    edition_source: str
    rows: list[PairRow]
    headings: dict[str, str] = field(default_factory=dict)  # Chinese heading block id -> official English
    points: dict[tuple[str, int, int], str] = field(default_factory=dict)  # key point span -> English
    notes: dict[str, str] = field(default_factory=dict)  # Chinese footnote block id -> English
    # Every glossary term with the English the official edition used (the term-consistency report).
    terms: list[TermRendering] = field(default_factory=list)


def _tag(block: EditionBlock) -> str:
    if block.kind == BlockKind.HEADING:
        return f"h{min(max(block.level or 1, 1), 3) + 2}"
    return "li" if block.kind == BlockKind.LIST_ITEM else "p"


def _joined(blocks: list[EditionBlock]) -> list[EnglishBlock]:
    """The English blocks of a row, a paragraph the layout broke into lines joined again."""
    joined: list[EnglishBlock] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            previous
            and block.kind == BlockKind.PARAGRAPH
            and previous.tag in ("p", "li")
            and not is_closed(previous.text)
        ):
            joined[-1] = EnglishBlock(previous.id, previous.tag, join_fragments([previous.text, block.text]))
        else:
            joined.append(EnglishBlock(block.id, _tag(block), block.text))
    return joined


def _status(link: AlignmentLink, threshold: float) -> str:
    if not link.target:
        return "source-only"
    if not link.source:
        return "edition-only"
    return "linked" if link.confidence >= threshold else "low"


class _Placer:
    def __init__(self, document: Document, alignment: Alignment, items: dict[str, TextBlock]) -> None:
        self.alignment, self.items = alignment, items
        self.kinds = {block.id: block.kind for block in document.blocks}
        self.edition = {block.id: block for block in alignment.edition.blocks}
        self.source_texts = {block.id: block.text for block in document.blocks}
        self.target_texts = {block.id: block.text for block in alignment.edition.blocks}
        self.sure = [link for link in alignment.links if link.source and link.confidence >= alignment.threshold]

    def english(self, refs: list[TextRef]) -> str:
        return ref_text(self.target_texts, refs)

    def rows(self) -> list[PairRow]:
        rows = []
        for link in self.alignment.links:
            if link.level != LinkLevel.BLOCK:
                continue
            ids = list(dict.fromkeys(ref.block_id for ref in link.source))
            source = [self.items[i] for i in ids if self.kinds[i] not in _SKIPPED and i in self.items]
            target_ids = list(dict.fromkeys(ref.block_id for ref in link.target))
            target = _joined([self.edition[i] for i in target_ids if self.edition[i].kind not in _SKIPPED])
            if source or (not ids and target):
                status = _status(link, self.alignment.threshold)
                rows.append(PairRow(link.id, source, target, status, link.confidence))
        return rows

    def by_source_block(self, kind: BlockKind, level: LinkLevel) -> dict[str, str]:
        """Official English of each source block of ``kind``, from the sure links of ``level`` inside it."""
        found: dict[str, list[str]] = {}
        for link in self.sure:
            if link.level == level and link.target and self.kinds[link.source[0].block_id] == kind:
                found.setdefault(link.source[0].block_id, []).append(self.english(link.target))
        return {block_id: " ".join(dict.fromkeys(texts)) for block_id, texts in found.items()}

    def point(self, point: KeyPoint) -> str | None:
        """The English sentences linked to the sentences a key point spans."""
        texts = [
            self.english(link.target)
            for link in self.sure
            if link.level == LinkLevel.SENTENCE
            and link.target
            and any(r.block_id == point.block_id and r.start < point.end and point.start < r.end for r in link.source)
        ]
        return " ".join(dict.fromkeys(texts)) or None


def bilingual(
    document: Document, body: list[TextBlock], footnotes: list[TextBlock], sections: list[Section]
) -> Bilingual | None:
    """The official English placed for the brief, or None for a document without an aligned edition."""
    alignment = document.alignment
    if alignment is None:
        return None
    items: dict[str, TextBlock] = {}
    for item in body:
        for child in item.children or [item]:
            items[child.block.id] = child
    placer = _Placer(document, alignment, items)
    points = {
        (point.block_id, point.start, point.end): english
        for section in sections
        for point in section.points
        if (english := placer.point(point))
    }
    return Bilingual(
        title_en=alignment.edition.title,
        edition_source=alignment.edition.source.path,
        rows=placer.rows(),
        headings=placer.by_source_block(BlockKind.HEADING, LinkLevel.SENTENCE),
        points=points,
        notes=placer.by_source_block(BlockKind.FOOTNOTE, LinkLevel.SENTENCE) if footnotes else {},
        terms=alignment.terms,
    )
