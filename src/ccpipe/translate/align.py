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

import bisect
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
_SURE = 0.0
# Text moves within this many stretches between sure links (a list item printed after the next paragraph).
_NEAR_GAPS = 3


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
        self._sums_s: dict[tuple[int, ...], Anchors] = {}
        self._sums_t: dict[tuple[int, ...], Anchors] = {}
        self.cost = LinkCost.for_items(source_items, target_items, weights(self.source.anchors, self.target.anchors))

    def paragraph_links(self) -> list[_Link]:
        body_s = [i for i, item in enumerate(self.source.items) if item.kind != BlockKind.FOOTNOTE]
        body_t = [j for j, item in enumerate(self.target.items) if item.kind != BlockKind.FOOTNOTE]
        # Links the first pass is unsure of are matched again with the leftovers: a passage that moved makes
        # the monotone pass pair its neighbours wrongly, and the second pass can undo that.
        links = [
            link for link in self._pass(body_s, body_t) if link.source and link.target and link.confidence >= _SURE
        ]
        linked_s = {i for link in links for i in link.source}
        linked_t = {j for link in links for j in link.target}
        rest_s = sorted(set(range(len(self.source.items))) - linked_s, key=lambda i: self.source.items[i].position)
        rest_t = sorted(set(range(len(self.target.items))) - linked_t, key=lambda j: self.target.items[j].position)
        return links + self._match_rest(rest_s, rest_t, links)

    def _match_rest(self, source: list[int], target: list[int], sure: list[_Link]) -> list[_Link]:
        """Leftovers matched regardless of their order inside a section (a moved passage, a footnote printed
        elsewhere): the cheapest pair first, while a pair is cheaper than leaving both sides unlinked. Text
        stays between the sure links around it (or the next ones); footnotes may go anywhere. A pair's
        confidence is its share of the probability among the alternatives of both its sides."""
        gaps = _Gaps(sure, self.source.items, self.target.items)
        groups_s, groups_t = _runs(sorted(source), 3), _runs(sorted(target), 3)
        costs = {
            (tuple(gs), tuple(gt)): self._group_cost(gs, gt)
            for gs in groups_s
            for gt in groups_t
            if gaps.near(gs, gt) or self._shares_anchors(gs, gt)
        }
        links: list[_Link] = []
        used_s: set[int] = set()
        used_t: set[int] = set()

        # Best first by what linking saves per item over leaving the items unlinked: two good 1:1 links
        # must not lose to the 2:2 link that holds both.
        def saving(pair: tuple[tuple[tuple[int, ...], tuple[int, ...]], float]) -> tuple[float, object]:
            (gs, gt), cost = pair
            items = len(gs) + len(gt)
            return (cost - self.cost.one_sided * items) / items, pair[0]

        for (gs, gt), cost in sorted(costs.items(), key=saving):
            if used_s & set(gs) or used_t & set(gt) or cost >= self.cost.one_sided * (len(gs) + len(gt)):
                continue
            rivals = [c for (s2, t2), c in costs.items() if _rivals((gs, gt), (s2, t2), used_s, used_t)]
            links.append(_Link(list(gs), list(gt), self.cost.share(cost, rivals, len(gs) + len(gt))))
            used_s.update(gs)
            used_t.update(gt)
        links += [_Link([i], [], 1.0) for i in source if i not in used_s]
        links += [_Link([], [j], 1.0) for j in target if j not in used_t]
        return links

    def _anchors(self, source: Sequence[int], target: Sequence[int]) -> tuple[Anchors, Anchors]:
        return _summed(self.source.anchors, tuple(source), self._sums_s), _summed(
            self.target.anchors, tuple(target), self._sums_t
        )

    def _group_cost(self, source: Sequence[int], target: Sequence[int]) -> float:
        items_s = [self.source.items[k] for k in source]
        items_t = [self.target.items[k] for k in target]
        return self.cost(items_s, items_t, *self._anchors(source, target))

    def _shares_anchors(self, source: Sequence[int], target: Sequence[int]) -> bool:
        """Out of order, only what both sides share can justify a link; length alone cannot."""
        return self.cost.anchor_cost(*self._anchors(source, target)) < 0

    def _pass(self, source: list[int], target: list[int]) -> list[_Link]:
        def cost(i: int, a: int, j: int, b: int) -> float:
            return self._group_cost(source[i : i + a], target[j : j + b])

        beads = align_sequences(len(source), len(target), cost, temperature=self.cost.temperature)
        return [_link(bead, source, target) for bead in beads]


class _Gaps:
    """Which stretch between sure links an item falls in, on each side: text moves within its section;
    farther (a footnote printed elsewhere), only shared anchors can justify a link."""

    def __init__(self, sure: list[_Link], source: list[Item], target: list[Item]) -> None:
        self.source, self.target = source, target
        self.source_marks = sorted(max(source[i].position for i in link.source) for link in sure)
        self.target_marks = sorted(max(target[j].position for j in link.target) for link in sure)

    def near(self, source: Sequence[int], target: Sequence[int]) -> bool:
        gap_s = bisect.bisect(self.source_marks, self.source[source[0]].position)
        gap_t = bisect.bisect(self.target_marks, self.target[target[0]].position)
        return abs(gap_s - gap_t) <= _NEAR_GAPS


def _summed(anchors: list[Anchors], indices: tuple[int, ...], cache: dict[tuple[int, ...], Anchors]) -> Anchors:
    """The anchors of a group of items, summed once per group (the programme prices each group many times)."""
    if indices not in cache:
        cache[indices] = anchors[indices[0]] if len(indices) == 1 else sum((anchors[k] for k in indices), Anchors())
    return cache[indices]


def _rivals(
    chosen: tuple[tuple[int, ...], tuple[int, ...]],
    other: tuple[tuple[int, ...], tuple[int, ...]],
    used_s: set[int],
    used_t: set[int],
) -> bool:
    """Whether ``other`` is another way to link the items of ``chosen``: it shares an item, links it to
    something else (a pair nested in the other says the same), and is still possible."""
    (gs, gt), (s2, t2) = chosen, other
    if used_s & set(s2) or used_t & set(t2) or not (set(s2) & set(gs) or set(t2) & set(gt)):
        return False
    nested = (set(s2) <= set(gs) and set(t2) <= set(gt)) or (set(gs) <= set(s2) and set(gt) <= set(t2))
    return other == chosen or not nested


def _runs(indices: list[int], longest: int) -> list[list[int]]:
    """Runs of up to ``longest`` consecutive indices: the groups a leftover item may form with its neighbours."""
    runs = []
    for start in range(len(indices)):
        for length in range(1, longest + 1):
            run = indices[start : start + length]
            if len(run) == length and run[-1] - run[0] == length - 1:
                runs.append(run)
    return runs


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
