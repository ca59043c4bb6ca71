"""Document metadata read off the blocks: publisher and date (the title: :mod:`ccpipe.text.title`)."""

from __future__ import annotations

import re
from pathlib import Path

from ccpipe.models import Block, BlockKind
from ccpipe.naming import safe_id

_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?$")
_PUBLISHER_WORDS = re.compile(r"(中心|研究院|研究所|委员会|办公室|大学|学院|政府|部|局|署|协会|基金会)$")


def document_id(path: Path) -> str:
    """A stable, file-system-safe id from the file name (CJK kept: ids are read by people)."""
    return safe_id(path.stem)


def cover_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks on the first page before the first heading or long paragraph."""
    cover = []
    first_page = min((block.page for block in blocks), default=1)
    for block in blocks:
        if block.page != first_page or block.kind == BlockKind.HEADING or len(block.text) > 80:
            break
        cover.append(block)
    return cover


def date_of(blocks: list[Block]) -> str | None:
    """ISO date (YYYY-MM or YYYY-MM-DD) printed on the cover, if any."""
    for block in cover_blocks(blocks):
        found = _DATE.match(block.text.strip())
        if found:
            year, month, day = found.groups()
            return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    return None


def publisher_of(blocks: list[Block]) -> str | None:
    for block in cover_blocks(blocks):
        if block.kind == BlockKind.PARAGRAPH and _PUBLISHER_WORDS.search(block.text.strip()):
            return block.text.strip()
    return None
