"""Headings and the title of a structured source whose headings are typed as plain paragraphs.

Chinese government Word files seldom use heading styles: a heading is a paragraph that starts with
official numbering (一、 （一） 1. （1）), or is set in bold, or — as in the Sichuan 2025 government work
report, whose sections (2024年工作回顾, 2025年工作安排建议…) look exactly like body text — is merely a short
line without any punctuation between two paragraphs of prose. The rules below are deliberately strict:
a heading is short and never a sentence, and never a table-of-contents entry.
"""

from __future__ import annotations

import re
import unicodedata

from ccpipe.extract.numbering import heading_level
from ccpipe.models import Block, BlockKind

_MAX_HEADING = 40  # characters; a longer paragraph is prose even when it starts 一、 or is bold
_MAX_BARE = 20  # characters; a heading without numbering or bold must be shorter still
_SENTENCE_MARKS = "。！？；!?;"
# A definition ("6.“两重”：是指……") or a lead-in ("主要做了以下工作：") is not a heading.
_CLAUSE_MARKS = _SENTENCE_MARKS + "：:"
_PROSE_END = re.compile(r"[。！？!?…][”’」』）)]*$")
_DATE = re.compile(
    r"[\d〇零一二三四五六七八九十]{2,4}\s*年\s*[\d〇一二三四五六七八九十]{1,2}\s*月(\s*[\d〇一二三四五六七八九十]{1,3}\s*日)?"
)


def promote_headings(blocks: list[Block], bold: set[str], toc: set[str]) -> list[Block]:
    """Top-level paragraphs that are really headings become heading blocks with their level.

    ``bold`` holds the ids of paragraphs set entirely in bold, ``toc`` those of table-of-contents entries.
    """
    out: list[Block] = []
    for index, block in enumerate(blocks):
        level = 0
        if block.kind == BlockKind.PARAGRAPH and block.level is None and block.id not in toc:
            prev = blocks[index - 1] if index else None
            after = blocks[index + 1] if index + 1 < len(blocks) else None
            level = _heading_level(block, block.id in bold, prev, after)
        out.append(block.model_copy(update={"kind": BlockKind.HEADING, "level": level}) if level else block)
    return out


def _heading_level(block: Block, bold: bool, prev: Block | None, after: Block | None) -> int:
    text = block.text
    if len(text) > _MAX_HEADING or any(mark in text[:-1] for mark in _CLAUSE_MARKS) or text[-1] in "：:；;，,":
        return 0
    numbered = heading_level(text)
    if numbered:
        return numbered
    if bold:
        return 2
    if _is_bare_heading(text) and _is_prose_or_structure(prev) and _is_prose(after):
        return 1
    return 0


def _is_bare_heading(text: str) -> bool:
    """Short, with an ideograph, and no punctuation or space at all (so no name line like 省长 施小琳)."""
    if len(text) > _MAX_BARE or _DATE.fullmatch(text):
        return False
    if any(unicodedata.category(ch)[0] in "PZS" for ch in text):
        return False
    return any(unicodedata.category(ch) == "Lo" for ch in text)


def _is_prose(block: Block | None) -> bool:
    return block is not None and block.kind == BlockKind.PARAGRAPH and bool(_PROSE_END.search(block.text))


def _is_prose_or_structure(block: Block | None) -> bool:
    # Before the first paragraph of prose come the cover lines (issuer, date), which are not headings.
    return _is_prose(block) or (block is not None and block.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE))


def mark_title(blocks: list[Block], meta_title: str | None, bold: set[str]) -> tuple[list[Block], str | None]:
    """Make the opening heading the title block when it is one; return blocks and the document title.

    The opening heading is the title when it repeats the metadata title, or — without metadata — when it
    is unnumbered and either set in bold or the only heading of its level or above.
    """
    headings = [block for block in blocks if block.kind == BlockKind.HEADING]
    if not blocks or blocks[0].kind != BlockKind.HEADING:
        return blocks, meta_title or (headings[0].text if headings else None)
    first = blocks[0]
    level = first.level or 1
    sole = all((other.level or 1) > level for other in headings[1:])
    unnumbered = heading_level(first.text) == 0
    is_title = first.text == meta_title if meta_title else unnumbered and (first.id in bold or sole)
    if not is_title:
        return blocks, meta_title or first.text
    title = first.model_copy(update={"kind": BlockKind.TITLE, "level": None})
    return [title, *blocks[1:]], meta_title or first.text
