"""Normalisation: rebuild clean blocks (title, headings, paragraphs, lists, tables, footnotes) from pages.

Page furniture (running headers, footers, page numbers) is detected by position and repetition and
kept aside; paragraphs are joined across line and page breaks without spurious spaces. Layout sources
(PDF) and structured ones (Word, HTML) then go through the same rules for the title, the headings and the
official-document metadata (:mod:`ccpipe.text.title`, :mod:`ccpipe.text.headings`, :mod:`ccpipe.text.official`).
Look-alike characters are then mapped to the ones search expects, each block recording what
(:mod:`ccpipe.text.characters`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ccpipe.models import (
    Block,
    BlockKind,
    DocIssue,
    Extracted,
    Furniture,
    Line,
    OfficialInfo,
    Page,
    PageTable,
    Typography,
)
from ccpipe.text.assemble import assemble_lines, assemble_structured
from ccpipe.text.characters import normalize_blocks, plain
from ccpipe.text.headings import Unit, find_headings
from ccpipe.text.latin import repair_pages
from ccpipe.text.official import official_info
from ccpipe.text.paragraphs import (
    FlowItem,
    Group,
    Layout,
    body_size,
    group_flow,
    group_text,
    line_block,
    page_flow,
    typography_of,
)
from ccpipe.text.structure import table_text
from ccpipe.text.title import front_matter
from ccpipe.textutil import join_fragments

# Share of the page height, at top and bottom, where furniture lives.
_MARGIN_BAND = 0.10
# Page numbers (— 3 — under GB/T 9704) may sit higher in the bottom margin than running footers.
_PAGE_NUMBER_BAND = 0.15
# A line repeated (digits ignored) in the band on at least this share of pages is furniture.
_REPEAT_SHARE = 0.4
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(第\s*)?(\d{1,4}|[ivxlcdm]{1,6})(\s*页)?(\s*/\s*\d{1,4})?[-–—\s]*$", re.I)
_FOOTNOTE_MARK = re.compile(r"^(\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|[\u2460-\u2473]|\d{1,3}(?=[\s.、)]))\s*")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_BODY_KINDS = frozenset({BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM, BlockKind.TABLE})
_CALL_MARK = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+|[\u2460-\u2473]|\[\d{1,3}\]")


@dataclass
class Normalized:
    """What normalisation makes of one extracted file."""

    blocks: list[Block]
    furniture: list[Furniture]
    issues: list[DocIssue]
    title: str
    official: OfficialInfo | None


def normalize(extracted: Extracted) -> Normalized:
    """Turn an extracted file into reading-order blocks with its title, headings and official metadata."""
    furniture: list[Furniture] = []
    if extracted.pages:
        furniture, groups, notes, layout = _layout(extracted.pages)
        units = [_group_unit(group, layout) for group in groups]
    else:  # a structured source (Word, HTML): blocks already, their typography on the side
        body = [b for b in extracted.blocks if b.kind != BlockKind.FOOTNOTE]
        notes = [b for b in extracted.blocks if b.kind == BlockKind.FOOTNOTE]
        units = [_block_unit(block, extracted.typography.get(block.id)) for block in body]
    path = Path(extracted.source.path)
    front = front_matter(units, extracted.metadata_title, extracted.title_declared, path)
    headings = find_headings(units, front.skip | set(front.title_units), front.parts)
    # A table of contents is navigation, not text: kept aside with the running headers.
    furniture += [Furniture(kind="contents", page=units[i].page, text=units[i].text) for i in sorted(front.contents)]
    if extracted.pages:
        blocks = assemble_lines(groups, front.title_units, headings, front.contents) + notes
    else:
        styles = [unit.style for unit in units]
        blocks = assemble_structured(body, styles, front.title_units, headings, front.contents) + notes
    blocks, issues = normalize_blocks(_number(blocks))
    if extracted.pages:
        _link_footnotes(blocks)
    furniture = [item.model_copy(update={"text": plain(item.text)}) for item in furniture]
    if not any(block.kind in _BODY_KINDS for block in blocks):
        issues.append(DocIssue(code="NORMALIZE_NO_BODY", message="no body text found"))
    title = plain(front.title)
    return Normalized(blocks, furniture, issues, title, official_info(blocks, extracted.official, title))


def _layout(pages: list[Page]) -> tuple[list[Furniture], list[Group], list[Block], Layout]:
    """Furniture, the body's paragraph groups and tables, the footnotes, and the body's measurements."""
    furniture, body_pages = split_furniture(pages)
    body_pages = repair_pages(body_pages)
    size = body_size(line for page in body_pages for line in page.lines)
    flow: list[FlowItem] = []
    footnote_groups: list[list[Line]] = []
    for page in body_pages:
        body, notes = _split_footnotes(page.lines, size)
        flow += page_flow(body, page.tables)
        footnote_groups += notes
    layout = Layout.measure([item for item in flow if isinstance(item, Line)], size)
    return furniture, group_flow(flow, layout), [_make_footnote(group) for group in footnote_groups], layout


def _group_unit(group: Group, layout: Layout) -> Unit:
    if isinstance(group, PageTable):
        return Unit(table_text(group.table), Typography(), BlockKind.TABLE, group.bbox.page)
    return Unit(group_text(group), typography_of(group, layout), BlockKind.PARAGRAPH, group[0].page, len(group))


def _block_unit(block: Block, style: Typography | None) -> Unit:
    if style is None:
        style = Typography(outline=block.level if block.kind == BlockKind.HEADING else None)
    return Unit(block.text, style, block.kind, block.page)


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
        # By identity: comparing lines field by field made a long page (a whole text file) quadratic.
        band_ids = {id(line) for line in band}
        for line in page.lines:
            kind = _furniture_kind(line, page, id(line) in band_ids, counts, threshold)
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


def _furniture_kind(line: Line, page: Page, in_band: bool, counts: Counter[str], threshold: int) -> str:
    if _PAGE_NUMBER.match(line.text) and _in_band(line, page, _PAGE_NUMBER_BAND):
        return "page_number"
    if not in_band:
        return ""
    if counts[_shape(line.text)] >= threshold:
        return "header" if line.top < page.height / 2 else "footer"
    return ""


def _in_band(line: Line, page: Page, share: float = _MARGIN_BAND) -> bool:
    return line.bottom <= page.height * share or line.top >= page.height * (1 - share)


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
