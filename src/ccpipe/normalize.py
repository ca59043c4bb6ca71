"""Normalisation: rebuild clean blocks (title, headings, paragraphs, footnotes) from raw lines.

Page furniture (running headers, footers, page numbers) is detected by position and repetition and
kept aside; paragraphs are joined across line and page breaks without spurious spaces.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable

from .models import BBox, Block, BlockKind, DocIssue, Extracted, Furniture, Line, Page
from .structure import heading_level
from .textutil import join_fragments

# Share of the page height, at top and bottom, where furniture lives.
_MARGIN_BAND = 0.10
# A line repeated (digits ignored) in the band on at least this share of pages is furniture.
_REPEAT_SHARE = 0.4
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(第\s*)?(\d{1,4}|[ivxlcdm]{1,6})(\s*页)?(\s*/\s*\d{1,4})?[-–—\s]*$", re.I)
_FOOTNOTE_MARK = re.compile(r"^(\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|[\u2460-\u2473]|\d{1,3}(?=[\s.、)]))\s*")
_CALL_MARK = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+|[\u2460-\u2473]|\[\d{1,3}\]")


def normalize(extracted: Extracted) -> tuple[list[Block], list[Furniture], list[DocIssue]]:
    """Turn extracted pages into reading-order blocks, furniture, and issues found on the way."""
    if not extracted.pages:  # a structured source (Word, HTML): its blocks need numbering only
        blocks = _number(extracted.blocks)
        return blocks, [], [] if blocks else [DocIssue(code="NORMALIZE_NO_BODY", message="no body text found")]
    pages = extracted.pages
    furniture, body_pages = split_furniture(pages)
    body_size = _body_size(line for page in body_pages for line in page.lines)
    flow: list[Line] = []
    footnote_groups: list[list[Line]] = []
    for page in body_pages:
        body, notes = _split_footnotes(page.lines, body_size)
        flow.extend(body)
        footnote_groups.extend(notes)
    layout = _Layout.measure(flow, body_size)
    blocks = [_make_block(group, layout) for group in _group_paragraphs(flow, layout)]
    blocks += [_make_footnote(group) for group in footnote_groups]
    blocks = _number(blocks)
    _link_footnotes(blocks)
    issues: list[DocIssue] = []
    if not any(block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING) for block in blocks):
        issues.append(DocIssue(code="NORMALIZE_NO_BODY", message="no body text found"))
    return blocks, furniture, issues


# --- furniture -------------------------------------------------------------------------------------


def split_furniture(pages: list[Page]) -> tuple[list[Furniture], list[Page]]:
    """Separate running headers/footers and page numbers from body lines."""
    banded = [[line for line in page.lines if _in_band(line, page)] for page in pages]
    counts = Counter(_shape(line.text) for lines in banded for line in set_by_text(lines))
    threshold = max(2, int(_REPEAT_SHARE * len(pages) + 0.5))
    furniture: list[Furniture] = []
    body_pages: list[Page] = []
    for page, band in zip(pages, banded, strict=True):
        kept: list[Line] = []
        for line in page.lines:
            kind = _furniture_kind(line, page, band, counts, threshold)
            if kind:
                furniture.append(Furniture(kind=kind, page=page.number, text=line.text))
            else:
                kept.append(line)
        body_pages.append(page.model_copy(update={"lines": kept}))
    return furniture, body_pages


def set_by_text(lines: list[Line]) -> list[Line]:
    """One line per distinct shape, so a page repeating a line twice counts once."""
    seen: dict[str, Line] = {}
    for line in lines:
        seen.setdefault(_shape(line.text), line)
    return list(seen.values())


def _furniture_kind(line: Line, page: Page, band: list[Line], counts: Counter[str], threshold: int) -> str:
    if line not in band:
        return ""
    if _PAGE_NUMBER.match(line.text):
        return "page_number"
    if counts[_shape(line.text)] >= threshold:
        return "header" if line.top < page.height / 2 else "footer"
    return ""


def _in_band(line: Line, page: Page) -> bool:
    return line.bottom <= page.height * _MARGIN_BAND or line.top >= page.height * (1 - _MARGIN_BAND)


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


# --- footnotes -------------------------------------------------------------------------------------


def _split_footnotes(lines: list[Line], body_size: float) -> tuple[list[Line], list[list[Line]]]:
    """Split a page's trailing run of small-type lines that starts with a note marker."""
    start = len(lines)
    while start > 0 and lines[start - 1].size < body_size * 0.9:
        start -= 1
    tail = lines[start:]
    if not tail or not _FOOTNOTE_MARK.match(tail[0].text):
        return lines, []
    groups: list[list[Line]] = []
    for line in tail:
        marker = _FOOTNOTE_MARK.match(line.text)
        continues_lone_marker = bool(groups) and _FOOTNOTE_MARK.fullmatch(groups[-1][-1].text.strip() + " ")
        if marker and not continues_lone_marker:
            groups.append([line])
        else:
            groups[-1].append(line)
    return lines[:start], groups


def _make_footnote(lines: list[Line]) -> Block:
    text = join_fragments([line.text for line in lines])
    marker = _FOOTNOTE_MARK.match(text)
    label = marker.group(0).strip() if marker else None
    body = text[marker.end() :] if marker else text
    return _block(BlockKind.FOOTNOTE, lines, body.strip(), label=label)


def _link_footnotes(blocks: list[Block]) -> None:
    """Point each body block at the footnotes whose labels it calls (¹, ①, [1])."""
    notes = {block.label: block.id for block in blocks if block.kind == BlockKind.FOOTNOTE and block.label}
    for block in blocks:
        if block.kind == BlockKind.FOOTNOTE:
            continue
        block.footnote_refs = [notes[m.group(0)] for m in _CALL_MARK.finditer(block.text) if m.group(0) in notes]


# --- paragraphs ------------------------------------------------------------------------------------


class _Layout:
    """Body measurements the paragraph rules compare against."""

    def __init__(self, size: float, left: float, right: float, pitch: float, max_size: float) -> None:
        self.size, self.left, self.right, self.pitch, self.max_size = size, left, right, pitch, max_size

    @classmethod
    def measure(cls, lines: list[Line], size: float) -> _Layout:
        body = [line for line in lines if abs(line.size - size) < 0.5] or lines
        left = Counter(round(line.x0) for line in body).most_common(1)[0][0]
        rights = sorted(line.x1 for line in body)
        right = rights[int(len(rights) * 0.9)]
        pitches = [b.top - a.top for a, b in itertools.pairwise(body) if a.page == b.page and b.top > a.top]
        pitch = Counter(round(p, 0) for p in pitches).most_common(1)[0][0] if pitches else size * 1.8
        return cls(size, left, right, pitch, max(line.size for line in lines))


def _body_size(lines: Iterable[Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 12.0


def _group_paragraphs(lines: list[Line], layout: _Layout) -> list[list[Line]]:
    groups: list[list[Line]] = []
    for line in lines:
        if groups and _continues(groups[-1][-1], line, layout):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _continues(prev: Line, line: Line, layout: _Layout) -> bool:
    """Whether ``line`` carries on the paragraph that ``prev`` belongs to."""
    if abs(prev.size - line.size) >= 0.5 or (prev.bold != line.bold and line.bold):
        return False
    if line.page == prev.page:
        if line.top - prev.top > max(layout.pitch, line.size * 1.5) * 1.25:
            return False
    elif line.page != prev.page + 1:
        return False
    if _is_heading_line(prev, layout) or line.x0 - layout.left > line.size * 0.8:
        return _centred_pair(prev, line, layout)
    return True


def _centred_pair(prev: Line, line: Line, layout: _Layout) -> bool:
    """Two centred lines in a row (a cover page, a title) that wrap one text."""
    middle = (layout.left + layout.right) / 2

    def centred(one: Line) -> bool:
        return abs((one.x0 + one.x1) / 2 - middle) < one.size * 1.5

    # A justified body line spans the full measure and is centred too: the previous line must not.
    prev_free = prev.x0 > layout.left + 2 or prev.x1 < layout.right - prev.size
    narrow = line.x1 - line.x0 < 0.9 * (layout.right - layout.left) and line.x0 > layout.left + line.size
    return line.page == prev.page and prev_free and narrow and centred(prev) and centred(line)


def _is_heading_line(line: Line, layout: _Layout) -> bool:
    """Larger type set bold or numbered like a heading, or much larger type."""
    larger = line.size > layout.size * 1.1
    return larger and (line.bold or line.size > layout.size * 1.3 or heading_level(line.text) > 0)


def _make_block(lines: list[Line], layout: _Layout) -> Block:
    text = join_fragments([line.text for line in lines])
    first = lines[0]
    if first.page == 1 and first.size >= layout.max_size and first.size > layout.size * 1.3:
        return _block(BlockKind.TITLE, lines, text)
    if _is_heading_line(first, layout):
        return _block(BlockKind.HEADING, lines, text, level=heading_level(text) or 1)
    if all(line.bold for line in lines) and len(lines) <= 2:
        return _block(BlockKind.HEADING, lines, text, level=heading_level(text) or 2)
    return _block(BlockKind.PARAGRAPH, lines, text)


def _block(kind: BlockKind, lines: list[Line], text: str, level: int | None = None, label: str | None = None) -> Block:
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


def _number(blocks: list[Block]) -> list[Block]:
    """Give blocks stable ids in reading order, keeping footnote references pointing at the same notes."""
    new_ids = {block.id: f"b{index:04d}" for index, block in enumerate(blocks, start=1) if block.id}
    numbered = []
    for index, block in enumerate(blocks, start=1):
        refs = [new_ids[ref] for ref in block.footnote_refs if ref in new_ids]
        numbered.append(block.model_copy(update={"id": f"b{index:04d}", "footnote_refs": refs}))
    return numbered
