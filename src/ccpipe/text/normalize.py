"""Normalisation: rebuild clean blocks (title, headings, paragraphs, lists, tables, footnotes) from pages.

Page furniture (running headers, footers, page numbers) is detected by position and repetition and
kept aside; paragraphs are joined across line and page breaks without spurious spaces.
"""

from __future__ import annotations

import re
from collections import Counter

from ccpipe.models import Block, BlockKind, DocIssue, Extracted, Furniture, Line, Page
from ccpipe.text.paragraphs import FlowItem, Layout, body_size, build_blocks, line_block, page_flow
from ccpipe.textutil import join_fragments

# Share of the page height, at top and bottom, where furniture lives.
_MARGIN_BAND = 0.10
# A line repeated (digits ignored) in the band on at least this share of pages is furniture.
_REPEAT_SHARE = 0.4
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(第\s*)?(\d{1,4}|[ivxlcdm]{1,6})(\s*页)?(\s*/\s*\d{1,4})?[-–—\s]*$", re.I)
_FOOTNOTE_MARK = re.compile(r"^(\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|[\u2460-\u2473]|\d{1,3}(?=[\s.、)]))\s*")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_BODY_KINDS = frozenset({BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM, BlockKind.TABLE})
_CALL_MARK = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+|[\u2460-\u2473]|\[\d{1,3}\]")


def normalize(extracted: Extracted) -> tuple[list[Block], list[Furniture], list[DocIssue]]:
    """Turn extracted pages into reading-order blocks, furniture, and issues found on the way."""
    if not extracted.pages:  # a structured source (Word, HTML): its blocks need numbering only
        blocks = _number(extracted.blocks)
        return blocks, [], [] if blocks else [DocIssue(code="NORMALIZE_NO_BODY", message="no body text found")]
    furniture, body_pages = split_furniture(extracted.pages)
    size = body_size(line for page in body_pages for line in page.lines)
    flow: list[FlowItem] = []
    footnote_groups: list[list[Line]] = []
    for page in body_pages:
        body, notes = _split_footnotes(page.lines, size)
        flow += page_flow(body, page.tables)
        footnote_groups += notes
    layout = Layout.measure([item for item in flow if isinstance(item, Line)], size)
    blocks = build_blocks(flow, layout) + [_make_footnote(group) for group in footnote_groups]
    blocks = _number(blocks)
    _link_footnotes(blocks)
    issues: list[DocIssue] = []
    if not any(block.kind in _BODY_KINDS for block in blocks):
        issues.append(DocIssue(code="NORMALIZE_NO_BODY", message="no body text found"))
    return blocks, furniture, issues


# --- furniture -------------------------------------------------------------------------------------


def split_furniture(pages: list[Page]) -> tuple[list[Furniture], list[Page]]:
    """Separate running headers/footers and page numbers from body lines."""
    banded = [[line for line in page.lines if _in_band(line, page)] for page in pages]
    counts = Counter(_shape(line.text) for lines in banded for line in _distinct_shapes(lines))
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


def _distinct_shapes(lines: list[Line]) -> list[Line]:
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
    return line_block(BlockKind.FOOTNOTE, lines, body.strip(), label=label)


def _link_footnotes(blocks: list[Block]) -> None:
    """Point each body block at the footnotes whose markers it calls (¹ or ① or [1] all call note 1)."""
    notes = {_label_key(b.label): b.id for b in blocks if b.kind == BlockKind.FOOTNOTE and b.label}
    for block in blocks:
        if block.kind != BlockKind.FOOTNOTE:
            keys = [_label_key(m.group(0)) for m in _CALL_MARK.finditer(block.text)]
            block.footnote_refs = list(dict.fromkeys(notes[key] for key in keys if key in notes))


def _label_key(label: str) -> str:
    """The note number behind a marker: ¹ → 1, ⑫ → 12, [3] → 3, 4 → 4."""
    if len(label) == 1 and "\u2460" <= label <= "\u2473":
        return str(ord(label) - 0x2460 + 1)
    return label.strip("[]").translate(_FROM_SUPERSCRIPT)


def _number(blocks: list[Block]) -> list[Block]:
    """Give blocks stable ids in reading order, keeping footnote references pointing at the same notes."""
    new_ids = {block.id: f"b{index:04d}" for index, block in enumerate(blocks, start=1) if block.id}
    numbered = []
    for index, block in enumerate(blocks, start=1):
        refs = [new_ids[ref] for ref in block.footnote_refs if ref in new_ids]
        numbered.append(block.model_copy(update={"id": f"b{index:04d}", "footnote_refs": refs}))
    return numbered
