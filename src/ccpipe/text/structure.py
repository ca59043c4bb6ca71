"""Structure read from text alone: Chinese heading numbering and run-in lead sentences."""

from __future__ import annotations

import re

from ccpipe.models import Cell, Table

# 一是…… / 二是…… / 首先…… opening a paragraph, up to the first full stop.
_RUN_IN_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+是|首先|其次|再次|最后)[^。！？]{2,80}?[。！？]")


def numbered_lead_end(text: str) -> int:
    """End offset of a numbered run-in lead sentence (一是……。), or 0 when there is none."""
    found = _RUN_IN_LEAD.match(text)
    return found.end() if found else 0


def table_text(table: Table) -> str:
    """A table as text for tagging and search: cells joined by " | ", rows by newlines."""
    return table_layout(table)[0]


def table_layout(table: Table) -> tuple[str, list[tuple[Cell, int]]]:
    """:func:`table_text` plus where each cell's text starts in it, so marks on the text map to cells."""
    rows: dict[int, list[Cell]] = {}
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(cell.row, []).append(cell)
    text, placed = "", []
    for index, (_, cells) in enumerate(sorted(rows.items())):
        if index:
            text += "\n"
        for position, cell in enumerate(cells):
            if position:
                text += " | "
            placed.append((cell, len(text)))
            text += cell.text
    return text, placed
