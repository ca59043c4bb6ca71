"""Key points per section: subheadings and lead sentences, then the sentences that carry the most.

A sentence's weight is what a reader of the brief is after: the distinct glossary entities it names and the
figures it gives (money and measures count double; bare years little). Ties go to the earlier sentence, so
the choice is deterministic. Every key point is a span of a source block.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ccpipe.models import Block, BlockKind, Document, Entity, Mention, Quantity, QuantityKind
from ccpipe.publish.brief import KeyPoint, Run, Section
from ccpipe.text.describe import cover_blocks

RANKED_PER_SECTION = 3
MIN_SENTENCE = 12  # characters; shorter ones are fragments, not points
_FIGURE_WEIGHT = {
    QuantityKind.MONEY: 2.0,
    QuantityKind.MEASURE: 2.0,
    QuantityKind.PERCENT: 1.5,
    QuantityKind.MULTIPLE: 1.5,
    QuantityKind.COUNT: 1.0,
    QuantityKind.DATE: 0.5,
    QuantityKind.YEAR: 0.25,
}

RunsFor = Callable[[Block, int, int, str], list[Run]]


@dataclass(frozen=True)
class _Candidate:
    block: Block
    start: int
    end: int
    order: int
    score: float


def _sections(document: Document) -> list[tuple[Block | None, list[Block]]]:
    """Level-1 headings with the blocks under them; what precedes the first heading (cover excluded) first."""
    cover = {b.id for b in cover_blocks(document.blocks)}
    sections: list[tuple[Block | None, list[Block]]] = [(None, [])]
    for block in document.blocks:
        if block.kind == BlockKind.HEADING and (block.level or 1) == 1:
            sections.append((block, []))
        elif block.kind not in (BlockKind.TITLE, BlockKind.FOOTNOTE) and block.id not in cover:
            sections[-1][1].append(block)
    return [s for s in sections if s[0] is not None or s[1]]


def _score(start: int, end: int, mentions: list[Mention], quantities: list[Quantity]) -> float:
    """Entities and figures in ``[start, end)``; both lists sorted by start, so a sentence costs what it holds."""
    entities = {m.entity_id for m in within(mentions, start, end)}
    figures = sum(_FIGURE_WEIGHT[q.kind] for q in within(quantities, start, end))
    return len(entities) + figures


_Spanned = TypeVar("_Spanned", Mention, Quantity)


def within(items: list[_Spanned], start: int, end: int) -> list[_Spanned]:
    """The items (sorted by start) lying inside ``[start, end)``."""
    first = bisect.bisect_left(items, start, key=lambda item: item.start)
    inside = []
    for item in itertools.islice(items, first, None):
        if item.start >= end:
            break
        if item.end <= end:
            inside.append(item)
    return inside


def key_points(
    document: Document,
    mentions: dict[str, list[Mention]],
    runs_for: RunsFor,
    entities: dict[str, Entity],
) -> list[Section]:
    """The sections of the brief's key points, in reading order."""
    quantities: dict[str, list[Quantity]] = {}
    for q in sorted(document.quantities, key=lambda q: q.start):
        quantities.setdefault(q.block_id, []).append(q)
    sections = []
    for heading, blocks in _sections(document):
        points: list[KeyPoint] = []
        candidates: list[_Candidate] = []

        def point(block: Block, start: int, end: int, kind: str) -> KeyPoint:
            inside = within(mentions.get(block.id, []), start, end)
            terms = [entities[eid] for eid in dict.fromkeys(m.entity_id for m in inside) if eid in entities]
            runs = runs_for(block, start, end, f"k-{block.id}")
            return KeyPoint(block.id, start, end, kind, block.page, runs, terms)

        for block in blocks:
            if block.kind == BlockKind.HEADING:
                points.append(point(block, 0, len(block.text), "heading"))
                continue
            if block.kind == BlockKind.TABLE:
                continue
            lead = block.lead
            if lead is not None and lead.end > lead.start:
                points.append(point(block, lead.start, lead.end, "lead"))
            spans = [(s.start, s.end) for s in block.sentences] or [(0, len(block.text))]
            for start, end in spans:
                if lead is not None and start < lead.end and lead.start < end:
                    continue
                if len(block.text[start:end].strip()) < MIN_SENTENCE:
                    continue
                score = _score(start, end, mentions.get(block.id, []), quantities.get(block.id, []))
                if score > 0:
                    candidates.append(_Candidate(block, start, end, len(candidates), score))
        best = sorted(candidates, key=lambda c: (-c.score, c.order))[:RANKED_PER_SECTION]
        points += [point(c.block, c.start, c.end, "ranked") for c in best]
        order = {b.id: i for i, b in enumerate(blocks)}
        points.sort(key=lambda p: (order[p.block_id], p.start))
        heading_runs = runs_for(heading, 0, len(heading.text), f"s-{heading.id}") if heading else []
        if points or heading is not None:
            sections.append(Section(heading, heading_runs, points))
    return sections
