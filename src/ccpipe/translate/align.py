"""Align a Chinese document with its official English edition: paragraphs first, then sentences inside them.

1. Paragraphs (headings, paragraphs, list items, tables; footnotes aside) in one monotone pass.
2. What that pass left unlinked, footnotes included, each at the place it is called, in a second pass:
   a footnote printed in the text of one edition and at the foot of the page in the other, or a passage
   that moved, is linked there.
3. Sentences inside every paragraph link, by the same programme.

Each link's confidence is its posterior probability under the programme (see :mod:`ccpipe.translate.dp`),
a sentence's multiplied by its paragraph's. Text left unlinked becomes a one-sided link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ccpipe.models import (
    Alignment,
    AlignmentLink,
    Block,
    BlockKind,
    Document,
    Edition,
    EditionBlock,
    LinkLevel,
)
from ccpipe.terms.glossary import Glossary
from ccpipe.translate.anchors import AnchorFinder, Anchors, weights
from ccpipe.translate.cost import LinkCost
from ccpipe.translate.dp import Bead, align_sequences
from ccpipe.translate.items import Item, paragraph_items, sentence_items
from ccpipe.translate.report import alignment_issues

ALIGN_METHOD = "ccpipe-align/1: Gale-Church length cost with lexical anchors, forward-backward confidence"
# Links less sure than this are reported (ALIGN_LOW_CONFIDENCE) and left out of the translation memory.
LOW_CONFIDENCE = 0.5
_EDITION_LANGUAGE = "en"


@dataclass
class _Side:
    """One edition's items with their anchors."""

    items: list[Item]
    anchors: list[Anchors]


@dataclass
class _Link:
    source: list[int]  # item indices
    target: list[int]
    confidence: float


class _Aligner:
    def __init__(self, source: Document, target: Document, glossary: Glossary) -> None:
        self.source_doc, self.target_doc = source, target
        self.finder = AnchorFinder(source, target, glossary)
        source_items, target_items = paragraph_items(source.blocks), paragraph_items(target.blocks)
        self.source = _Side(source_items, [self.finder.source_anchors(i) for i in source_items])
        self.target = _Side(target_items, [self.finder.target_anchors(i) for i in target_items])
        self.cost = LinkCost.for_items(source_items, target_items, weights(self.source.anchors, self.target.anchors))

    def paragraph_links(self) -> list[_Link]:
        body_s = [i for i, item in enumerate(self.source.items) if item.kind != BlockKind.FOOTNOTE]
        body_t = [j for j, item in enumerate(self.target.items) if item.kind != BlockKind.FOOTNOTE]
        links = [link for link in self._pass(body_s, body_t) if link.source and link.target]
        linked_s = {i for link in links for i in link.source}
        linked_t = {j for link in links for j in link.target}
        rest_s = sorted(set(range(len(self.source.items))) - linked_s, key=lambda i: self.source.items[i].position)
        rest_t = sorted(set(range(len(self.target.items))) - linked_t, key=lambda j: self.target.items[j].position)
        return links + self._pass(rest_s, rest_t)

    def _pass(self, source: list[int], target: list[int]) -> list[_Link]:
        def cost(i: int, a: int, j: int, b: int) -> float:
            s_ids, t_ids = source[i : i + a], target[j : j + b]
            return self.cost(
                [self.source.items[k] for k in s_ids],
                [self.target.items[k] for k in t_ids],
                sum((self.source.anchors[k] for k in s_ids), Anchors()),
                sum((self.target.anchors[k] for k in t_ids), Anchors()),
            )

        beads = align_sequences(len(source), len(target), cost, temperature=self.cost.temperature)
        return [_link(bead, source, target) for bead in beads]


def _link(bead: Bead, source: Sequence[int], target: Sequence[int]) -> _Link:
    return _Link(list(source[slice(*bead.source)]), list(target[slice(*bead.target)]), bead.posterior)


def align_pair(source: Document, target: Document, glossary: Glossary) -> Alignment:
    """The alignment of ``source`` (the Chinese edition) with ``target`` (its English edition)."""
    aligner = _Aligner(source, target, glossary)
    paragraphs = _in_reading_order(aligner.paragraph_links(), aligner.source.items, aligner.target.items)
    source_blocks = {b.id: b for b in source.blocks}
    target_blocks = {b.id: b for b in target.blocks}
    links: list[AlignmentLink] = []
    for number, link in enumerate(paragraphs, start=1):
        parent = AlignmentLink(
            id=f"p{number:04d}",
            level=LinkLevel.BLOCK,
            source=[ref for i in link.source for ref in aligner.source.items[i].refs],
            target=[ref for j in link.target for ref in aligner.target.items[j].refs],
            confidence=round(link.confidence, 3),
        )
        links.append(parent)
        links += _sentences(aligner, parent, source_blocks, target_blocks)
    return Alignment(
        edition=edition_of(target),
        method=ALIGN_METHOD,
        threshold=LOW_CONFIDENCE,
        links=links,
    )


def _sentences(
    aligner: _Aligner, parent: AlignmentLink, source_blocks: dict[str, Block], target_blocks: dict[str, Block]
) -> list[AlignmentLink]:
    if not parent.source or not parent.target:
        return []
    source_items = sentence_items(source_blocks, parent.source)
    target_items = sentence_items(target_blocks, parent.target)
    source_anchors = [aligner.finder.source_anchors(item) for item in source_items]
    target_anchors = [aligner.finder.target_anchors(item) for item in target_items]

    def cost(i: int, a: int, j: int, b: int) -> float:
        return aligner.cost(
            source_items[i : i + a],
            target_items[j : j + b],
            sum(source_anchors[i : i + a], Anchors()),
            sum(target_anchors[j : j + b], Anchors()),
        )

    beads = align_sequences(len(source_items), len(target_items), cost, temperature=aligner.cost.temperature)
    return [
        AlignmentLink(
            id=f"{parent.id}.{number}",
            level=LinkLevel.SENTENCE,
            parent=parent.id,
            source=[ref for item in source_items[slice(*bead.source)] for ref in item.refs],
            target=[ref for item in target_items[slice(*bead.target)] for ref in item.refs],
            confidence=round(bead.posterior * parent.confidence, 3),
        )
        for number, bead in enumerate(beads, start=1)
    ]


def _in_reading_order(links: list[_Link], source: list[Item], target: list[Item]) -> list[_Link]:
    """Links in the Chinese edition's order; English-only text after the link that precedes it in English."""
    two_sided = sorted((link for link in links if link.source and link.target), key=lambda k: min(k.target))
    keyed: list[tuple[tuple[float, float], _Link]] = []
    for link in links:
        if link.source:
            keyed.append(((min(source[i].position for i in link.source), 0.0), link))
            continue
        first = min(link.target)
        before = [k for k in two_sided if min(k.target) < first]
        anchor = min(source[i].position for i in before[-1].source) if before else -1.0
        keyed.append(((anchor, 1.0 + target[first].position / 1e6), link))
    return [link for _, link in sorted(keyed, key=lambda pair: pair[0])]


def edition_of(document: Document) -> Edition:
    """The other edition as the alignment records it: its identity and its blocks' text."""
    blocks = [
        EditionBlock(id=b.id, kind=b.kind, level=b.level, page=b.page, text=b.text, label=b.label)
        for b in document.blocks
    ]
    return Edition(
        id=document.document.id,
        language=_EDITION_LANGUAGE,
        title=document.document.title,
        source=document.document.source,
        blocks=blocks,
    )


def with_alignment(document: Document, alignment: Alignment) -> Document:
    """``document`` with its alignment, the official English title and the alignment's issues."""
    info = document.document
    if info.title_en is None:
        info = info.model_copy(update={"title_en": alignment.edition.title})
    issues = [*document.issues, *alignment_issues(alignment, document)]
    return document.model_copy(update={"document": info, "alignment": alignment, "issues": issues})
