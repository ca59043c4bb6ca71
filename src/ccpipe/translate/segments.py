"""What a translator gets from a document: one unit per title, heading, key point (lead sentence) and sentence.

Each unit is a span of one block with its context (section heading, page), the glossary terms inside it
with their required English, and the figures and dates inside it, which a translation must keep. Ids come
from :func:`ccpipe.translate.units.unit_id`: a hash of the normalised text and its occurrence in the document
(the context), so the same sentence in next year's edition keeps its id wherever it moves, and shares it with
the unit of the official edition it is aligned with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ccpipe.models import Block, BlockKind, Document, Mention, Quantity, TextRef
from ccpipe.textutil import is_ideograph
from ccpipe.translate.items import Item, paragraph_items, sentence_items
from ccpipe.translate.units import unit_id

_Spanned = Mention | Quantity

KINDS = ("title", "headings", "keypoints", "sentences")
_KIND_OF_SCOPE = {"title": "title", "headings": "heading", "keypoints": "keypoint", "sentences": "sentence"}
SCOPE_ALL = frozenset(_KIND_OF_SCOPE.values())


@dataclass(frozen=True)
class Term:
    start: int  # offsets in the unit's source text
    end: int
    zh: str
    en: str


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    text: str
    kind: str
    value: str  # what the English must show: an ISO date or year, or the amount as a plain number
    english: str = ""  # how the figure reads in English (Quantity.english), when document.json has it


@dataclass(frozen=True)
class SourceUnit:
    id: str
    kind: str  # title | heading | keypoint | sentence
    refs: tuple[TextRef, ...]  # the spans of the document's blocks it joins (a sentence cut by a page break)
    text: str
    paragraph: int  # the paragraph it belongs to, numbered in reading order
    section: str
    page: int
    terms: tuple[Term, ...] = ()
    figures: tuple[Figure, ...] = ()

    @property
    def location(self) -> str:
        return " ".join(f"{ref.block_id}:{ref.start}-{ref.end}" for ref in self.refs)


def parse_scope(scope: str) -> frozenset[str]:
    """``all`` or a comma list of title, headings, keypoints, sentences (the unit kinds to export)."""
    parts = {part.strip() for part in scope.split(",") if part.strip()}
    if parts == {"all"}:
        return SCOPE_ALL
    unknown = parts - set(KINDS)
    if unknown or not parts:
        raise ValueError(f"unknown scope {sorted(unknown) or scope!r}; use 'all' or a comma list of {KINDS}")
    return frozenset(_KIND_OF_SCOPE[part] for part in parts)


def _pieces(blocks: dict[str, Block], item: Item) -> list[tuple[str, Item]]:
    """A paragraph's units: a heading or title whole; the sentences of a paragraph (joined again where a
    page or column break cut them, as the aligner reads them), the first one a key point when the paragraph
    opens with a run-in lead sentence."""
    if item.kind in (BlockKind.TITLE, BlockKind.HEADING):
        return [("title" if item.kind == BlockKind.TITLE else "heading", item)]
    if item.kind == BlockKind.TABLE:
        return []
    sentences = sentence_items(blocks, list(item.refs))
    lead = blocks[item.refs[0].block_id].lead
    kinds = ["keypoint" if index == 0 and lead is not None else "sentence" for index in range(len(sentences))]
    return list(zip(kinds, sentences, strict=True))


def _figure_value(quantity: Quantity) -> str:
    if quantity.iso:
        return quantity.iso
    numbers = [n for n in (quantity.value, quantity.low, quantity.high) if n is not None]
    return "/".join(f"{n:f}".rstrip("0").rstrip(".") for n in numbers)  # 1e11 as 100000000000


def _located(text: str, found: Iterable[tuple[str, object]]) -> Iterator[tuple[int, int, object]]:
    """Offsets in the unit's joined text of the spans ``found`` (their text, in reading order); a span the
    join changed (a hyphen across lines) is left out rather than placed wrongly."""
    cursor = 0
    for span_text, payload in found:
        at = text.find(span_text, cursor)
        if at >= 0:
            cursor = at + len(span_text)
            yield at, cursor, payload


def _inside(items: dict[str, list[_Spanned]], refs: tuple[TextRef, ...]) -> list[_Spanned]:
    return [
        item
        for ref in refs
        for item in sorted(items.get(ref.block_id, []), key=lambda i: i.start)
        if ref.start <= item.start and item.end <= ref.end
    ]


def _annotate(text: str, refs: tuple[TextRef, ...], mentions: dict[str, list[_Spanned]],
              quantities: dict[str, list[_Spanned]]) -> tuple[tuple[Term, ...], tuple[Figure, ...]]:  # fmt: skip
    found_mentions = [(m.text, m) for m in _inside(mentions, refs) if isinstance(m, Mention) and m.en]
    terms = tuple(
        Term(start, end, m.text, m.en) for start, end, m in _located(text, found_mentions) if isinstance(m, Mention)
    )
    found_quantities = [(q.text, q) for q in _inside(quantities, refs)]
    figures = tuple(
        Figure(start, end, q.text, q.kind.value, _figure_value(q), q.english or "")
        for start, end, q in _located(text, found_quantities)
        if isinstance(q, Quantity)
    )
    return terms, figures


def _by_block(spans: Iterable[_Spanned]) -> dict[str, list[_Spanned]]:
    found: dict[str, list[_Spanned]] = {}
    for span in spans:
        found.setdefault(span.block_id, []).append(span)
    return found


def source_units(document: Document, scope: frozenset[str] = SCOPE_ALL) -> list[SourceUnit]:
    """The document's translation units of the kinds in ``scope``, in reading order, ids numbered for
    repeated texts (counted over every kind, so a scope never changes an id)."""
    blocks = {block.id: block for block in document.blocks}
    mentions, quantities = _by_block(document.mentions), _by_block(document.quantities)
    seen: Counter[str] = Counter()
    section = ""
    units = []
    for number, item in enumerate(paragraph_items(document.blocks), 1):
        for kind, piece in _pieces(blocks, item):
            text = piece.text.strip()
            if not any(is_ideograph(char) for char in text):
                continue  # nothing to translate: a URL, a note call, English quoted in the Chinese edition
            if kind == "heading":
                section = text
            seen[text] += 1
            if kind not in scope:
                continue
            terms, figures = _annotate(text, piece.refs, mentions, quantities)
            page = blocks[piece.refs[0].block_id].page
            units.append(SourceUnit(unit_id(text, seen[text]), kind, piece.refs, text, number, section, page,
                                    terms, figures))  # fmt: skip
    return units
