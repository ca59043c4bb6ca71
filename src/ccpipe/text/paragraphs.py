"""Paragraph building: body lines (and page tables) in reading order become groups, then typed blocks.

Lines join into one paragraph unless something starts a new one: a change of type size or weight,
a wider gap than the body's line pitch, an indented first line, or a previous line that stopped short of
the right edge. Line and page breaks inside a sentence disappear, without spaces between Chinese
characters. Which groups are titles and headings is decided in :mod:`ccpipe.text.headings` from their
text and :func:`typography_of`; the rest become paragraphs and list items here.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable

from ccpipe.models import BBox, Block, BlockKind, Line, PageTable, Span, Typography
from ccpipe.text.numbering import heading_level, numbering
from ccpipe.text.official import DOC_NUMBER
from ccpipe.text.structure import numbered_lead_end, table_text
from ccpipe.textutil import is_cjk_or_punct, join_with_offsets

FlowItem = Line | PageTable
Group = list[Line] | PageTable
_LIST_MARKER = re.compile(r"^([•●○◆◇▪►–·]|[\u2460-\u2473]|[（(]\d{1,2}[）)]|\d{1,2}[)）])\s*")
_SENTENCE_END = "。！？!?"
# Faces that set a run apart from body text in 仿宋 or 宋体 (see ccpipe.extract.fonts).
_HEADING_FACES = frozenset({"hei", "kai", "xbs"})
_CONTENTS_ENTRY_END = re.compile(r"(\.{4,}|…{3,}|·{4,})\s*\d{1,4}$")
_NOTE_LINE = re.compile(r"^[（(](本文有删减|有删减|此件公开发布|此件不公开|征求意见稿|草案)[）)]$")
# Share of a Latin letter's advance in its type size, to tell whether the next word would have fitted.
_LATIN_ADVANCE = 0.55


class Layout:
    """Body measurements the paragraph rules compare against."""

    def __init__(self, size: float, left: float, right: float, pitch: float, max_size: float) -> None:
        self.size, self.left, self.right, self.pitch, self.max_size = size, left, right, pitch, max_size
        # Left and right edges of the columns of two-column bands, by (page, column).
        self.column_left: dict[tuple[int, int], float] = {}
        self.column_right: dict[tuple[int, int], float] = {}

    def left_of(self, line: Line) -> float:
        return self.column_left.get((line.page, line.column), self.left)

    def right_of(self, line: Line) -> float:
        return self.column_right.get((line.page, line.column), self.right)

    @classmethod
    def measure(cls, lines: list[Line], size: float) -> Layout:
        body = [line for line in lines if abs(line.size - size) < 0.5] or lines
        left = Counter(round(line.x0) for line in body).most_common(1)[0][0] if body else 0.0
        rights = sorted(line.x1 for line in body) or [0.0]
        right = rights[int(len(rights) * 0.9)]
        pitches = [b.top - a.top for a, b in itertools.pairwise(body) if a.page == b.page and b.top > a.top]
        pitch = Counter(round(p, 0) for p in pitches).most_common(1)[0][0] if pitches else size * 1.8
        layout = cls(size, left, right, pitch, max((line.size for line in lines), default=size))
        for line in lines:
            if line.column:
                key = (line.page, line.column)
                layout.column_left[key] = min(layout.column_left.get(key, line.x0), line.x0)
                layout.column_right[key] = max(layout.column_right.get(key, line.x1), line.x1)
        return layout


def body_size(lines: Iterable[Line]) -> float:
    """The type size that carries most of the text."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 12.0


def page_flow(lines: list[Line], tables: list[PageTable]) -> list[FlowItem]:
    """A page's lines in reading order with each table placed before the first line below its top."""
    items: list[FlowItem] = list(lines)
    for table in sorted(tables, key=lambda t: t.bbox.top):
        at = next((i for i, it in enumerate(items) if isinstance(it, Line) and it.top > table.bbox.top), len(items))
        items.insert(at, table)
    return items


def group_flow(flow: list[FlowItem], layout: Layout) -> list[Group]:
    """The reading-order flow cut into paragraphs (lists of lines) and tables."""
    groups: list[Group] = []
    for item in flow:
        last = groups[-1] if groups else None
        if isinstance(item, Line) and isinstance(last, list) and _continues(last[-1], item, layout, last[0]):
            last.append(item)
        else:
            groups.append([item] if isinstance(item, Line) else item)
    return groups


def group_text(lines: list[Line]) -> str:
    return join_with_offsets([line.text for line in lines])[0]


def typography_of(lines: list[Line], layout: Layout) -> Typography:
    """How a paragraph is set: its opening face, size and weight, a run set apart at its start, centring."""
    first = lines[0]
    return Typography(
        bold=all(line.bold for line in lines),
        run_in=_run_in(lines),
        centred=all(_centred(line, layout) for line in lines) and first.x0 > layout.left_of(first) + first.size,
        font=first.font,
        size=first.size,
    )


def _run_in(lines: list[Line]) -> int:
    """Length of a bold run, or a run in another face, that opens the paragraph and stops inside it."""
    starts = join_with_offsets([line.text for line in lines])[1]
    for prefix in ("bold_prefix", "font_prefix"):
        end = 0
        for line, start in zip(lines, starts, strict=True):
            length = getattr(line, prefix)
            if prefix == "font_prefix" and start and line.font != lines[0].font:
                break
            end = start + length
            if length < len(line.text):
                break
        if 0 < end < len(group_text(lines)):
            return end
    return 0


def _centred(line: Line, layout: Layout) -> bool:
    middle = (layout.left_of(line) + layout.right_of(line)) / 2
    return abs((line.x0 + line.x1) / 2 - middle) < line.size * 1.5


def build_blocks(groups: list[Group], layout: Layout) -> list[Block]:
    """Body blocks (ids still empty) of paragraph groups: tables, list items and paragraphs with their leads."""
    return [table_block(group) if isinstance(group, PageTable) else body_block(group) for group in groups]


def _continues(prev: Line, line: Line, layout: Layout, first: Line | None = None) -> bool:
    """Whether ``line`` carries on the paragraph that ``prev`` belongs to (``first`` is its first line)."""
    if line.paragraph_start or abs(prev.size - line.size) >= 0.5 or (prev.bold != line.bold and line.bold):
        return False
    if line.page == prev.page:
        # Line pitch grows with the type size: scale the body's pitch to this line's size.
        pitch = max(layout.pitch * line.size / layout.size, line.size * 1.5)
        step = line.top - prev.top
        # Display lines (a title over two lines) may be set with more leading than the body.
        if step > pitch * 1.25 and not (step <= line.size * 2.2 and _centred_pair(prev, line, layout)):
            return False
    elif line.page != prev.page + 1:
        return False
    if _LIST_MARKER.match(line.text) or _own_line(line.text) or _own_line(prev.text):
        return False
    if _CONTENTS_ENTRY_END.search(prev.text):  # a table-of-contents entry ends at its page number
        return False
    # A heading ends at its line unless the line ran to the right margin and wrapped.
    heading_ends = is_heading_line(prev, layout) and prev.x1 < layout.right - 2 * prev.size
    indented = line.x0 - layout.left_of(line) > line.size * 0.8
    if _hanging(first or prev, prev, line):  # a wrapped line of a list item or numbered heading
        heading_ends = indented = False
    if heading_ends or _stops_short(prev, line, layout) or indented:
        return _centred_pair(prev, line, layout)
    return True


def _hanging(first: Line, prev: Line, line: Line) -> bool:
    """A list item's wrapped line, indented under the text after the item's marker (a hanging indent)."""
    if not (_LIST_MARKER.match(first.text) or numbering(first.text)):
        return False
    under_text = first.x0 + line.size * 0.5 < line.x0 < first.x0 + line.size * 4
    return under_text and (prev is first or abs(line.x0 - prev.x0) < 1.5)


def _own_line(text: str) -> bool:
    """A document number (（国发〔2021〕23号）) or an editorial note (（本文有删减）) printed as a line of its own."""
    body = text.strip()
    number = DOC_NUMBER.search(body)
    return bool((number and len(body) - (number.end() - number.start()) <= 2) or _NOTE_LINE.match(body))


def _stops_short(prev: Line, line: Line, layout: Layout) -> bool:
    """Whether ``prev`` ended before the right edge with room for the next line's first word: the paragraph
    ended there (documents without first-line indents mark paragraphs only this way). Chinese lines may end
    up to two characters short (a closing mark cannot start a line), and a page may end in mid-sentence."""
    if line.page != prev.page:
        return False
    word = line.text.split(" ", 1)[0]
    chinese = bool(word) and is_cjk_or_punct(word[0])
    need = line.size * 3 if chinese else len(word) * line.size * _LATIN_ADVANCE + line.size
    return layout.right_of(prev) - prev.x1 > need


def _centred_pair(prev: Line, line: Line, layout: Layout) -> bool:
    """Two centred lines in a row (a cover page, a title) that wrap one text."""
    middle = (layout.left + layout.right) / 2

    def centred(one: Line) -> bool:
        return abs((one.x0 + one.x1) / 2 - middle) < one.size * 1.5

    if numbering(line.text):  # a numbered line starts an item of its own, however centred
        return False
    # A justified body line spans the full measure and is centred too: the previous line must not.
    prev_free = prev.x0 > layout.left + 2 or prev.x1 < layout.right - prev.size
    narrow = line.x1 - line.x0 < 0.9 * (layout.right - layout.left) and line.x0 > layout.left + line.size
    return line.page == prev.page and prev_free and narrow and centred(prev) and centred(line)


def is_heading_line(line: Line, layout: Layout) -> bool:
    """Larger type set bold or numbered like a heading, or much larger type."""
    larger = line.size > layout.size * 1.1
    return larger and (line.bold or line.size > layout.size * 1.3 or heading_level(line.text) > 0)


def body_block(lines: list[Line]) -> Block:
    """A list item (the marker kept as its label, as Word lists are) or a paragraph with its lead sentence."""
    text, starts = join_with_offsets([line.text for line in lines])
    marker = _LIST_MARKER.match(text)
    if marker:
        return line_block(BlockKind.LIST_ITEM, lines, text[marker.end() :], level=1, label=marker.group(1))
    block = line_block(BlockKind.PARAGRAPH, lines, text)
    lead_end = _bold_lead_end(lines, starts, text) or _face_lead_end(lines[0], text) or numbered_lead_end(text)
    return block.model_copy(update={"lead": Span(start=0, end=lead_end)}) if lead_end else block


def _bold_lead_end(lines: list[Line], starts: list[int], text: str) -> int:
    """End of the bold run opening a paragraph, cut back to its last sentence end when it has one."""
    end = 0
    for line, start in zip(lines, starts, strict=True):
        end = start + line.bold_prefix
        if line.bold_prefix < len(line.text):
            break
    if end == 0 or end >= len(text):
        return 0
    cut = max(text.rfind(mark, 0, end) for mark in _SENTENCE_END)
    return cut + 1 if cut >= 0 else end


def _face_lead_end(first: Line, text: str) -> int:
    """End of a lead sentence set in another face than the rest (``能源结构低碳化转型加速推进。`` in 楷体)."""
    end = first.font_prefix
    if not 0 < end < len(first.text) or first.font not in _HEADING_FACES:
        return 0
    if text[end : end + 1] in _SENTENCE_END:
        return end + 1
    return end if text[end - 1 : end] in _SENTENCE_END else 0


def table_block(found: PageTable) -> Block:
    box = found.bbox
    return Block(
        id="",
        kind=BlockKind.TABLE,
        page=box.page,
        pages=[box.page],
        bboxes=[box],
        text=table_text(found.table),
        table=found.table,
    )


def line_block(
    kind: BlockKind, lines: list[Line], text: str, level: int | None = None, label: str | None = None
) -> Block:
    """A block made of ``lines``, with its pages and one bounding box per page."""
    pages = sorted({line.page for line in lines})
    return Block(
        id="",
        kind=kind,
        level=level,
        page=pages[0],
        pages=pages,
        bboxes=[_bbox(page, [line for line in lines if line.page == page]) for page in pages],
        text=text,
        label=label,
    )


def _bbox(page: int, lines: list[Line]) -> BBox:
    return BBox(
        page=page,
        x0=min(line.x0 for line in lines),
        top=min(line.top for line in lines),
        x1=max(line.x1 for line in lines),
        bottom=max(line.bottom for line in lines),
    )
