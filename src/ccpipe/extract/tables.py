"""Tables on a PDF page: ruled tables through pdfplumber's table finder, borderless ones by alignment.

Merged cells are kept as row/column spans on a grid built from the cell edges, so a header cell over
three columns is one cell with ``colspan=3``, not three copies or two blanks.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from ccpipe.models import BBox, Cell, PageTable, Table
from ccpipe.textutil import join_fragments

# Edges closer than this (points) are the same grid line.
_SNAP = 2.0
# A borderless table needs this many consecutive rows of at least _MIN_COLUMNS aligned cells.
_MIN_ROWS = 3
_MIN_COLUMNS = 3
# Words further apart than this share of the font size belong to different cells of a borderless row.
_CELL_GAP = 1.5
# Cell starts closer than this (points) are one column.
_ALIGN = 4.0


def find_tables(page: Any, words: list[dict[str, Any]] | None = None) -> list[PageTable]:
    """Ruled tables first; where there are none, look for borderless ones among ``words`` (the page's
    ``extract_words()``, if the caller has them already)."""
    number = page.page_number
    ruled = [table for found in page.find_tables() if (table := _ruled_table(found, number))]
    if ruled:
        return ruled
    borderless = _borderless_table(page, page_words(page) if words is None else words)
    return [borderless] if borderless else []


def page_words(page: Any) -> list[dict[str, Any]]:
    """The page's words as the table and column finders read them (one pass over its characters)."""
    words: list[dict[str, Any]] = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    return words


def _ruled_table(found: Any, page: int) -> PageTable | None:
    cells = [cell for cell in found.cells if cell is not None]
    xs = _grid([edge for x0, _, x1, _ in cells for edge in (x0, x1)])
    ys = _grid([edge for _, top, _, bottom in cells for edge in (top, bottom)])
    texts = _cell_texts(found)
    grid_cells: list[Cell] = []
    for (x0, top, x1, bottom), text in zip(cells, texts, strict=True):
        row, col = _index(ys, top), _index(xs, x0)
        grid_cells.append(
            Cell(row=row, col=col, rowspan=_index(ys, bottom) - row, colspan=_index(xs, x1) - col, text=text)
        )
    grid_cells.sort(key=lambda cell: (cell.row, cell.col))
    table = Table(rows=len(ys) - 1, cols=len(xs) - 1, cells=grid_cells)
    filled = sum(1 for cell in table.cells if cell.text)
    if table.rows < 2 or table.cols < 2 or filled * 2 < len(table.cells):
        return None  # a frame around text, or an empty grid: not a table
    x0, top, x1, bottom = found.bbox
    return PageTable(bbox=BBox(page=page, x0=x0, top=top, x1=x1, bottom=bottom), table=table)


def _cell_texts(found: Any) -> list[str]:
    """Each cell's text (in ``found.cells`` order), wrapped lines joined without spaces between Chinese.

    ``Table.extract`` reads all cells in one pass over the characters; cropping the page per cell
    instead costs a pass per cell (seconds on a page of financial tables)."""
    by_box: dict[tuple[float, ...], str] = {}
    for row, texts in zip(found.rows, found.extract(), strict=True):
        for box, raw in zip(row.cells, texts, strict=True):
            if box is not None:
                lines = [line.strip() for line in (raw or "").splitlines() if line.strip()]
                by_box[tuple(box)] = join_fragments(lines)
    return [by_box.get(tuple(cell), "") for cell in found.cells if cell is not None]


def _grid(edges: Sequence[float]) -> list[float]:
    lines: list[float] = []
    for edge in sorted(edges):
        if not lines or edge - lines[-1] > _SNAP:
            lines.append(edge)
    return lines


def _index(grid: list[float], edge: float) -> int:
    return min(range(len(grid)), key=lambda i: abs(grid[i] - edge))


def _borderless_table(page: Any, words: list[dict[str, Any]]) -> PageTable | None:
    """The longest run of consecutive rows whose ≥3 cells start at aligned positions, as a table."""
    best: list[list[dict[str, Any]]] = []
    run: list[list[dict[str, Any]]] = []
    for row in _word_rows(words):
        cells = _segments(row)
        if len(cells) < _MIN_COLUMNS:
            run = []
        elif run and _aligned(_segments(run[-1]), cells):
            run.append(row)
        else:
            run = [row]
        if len(run) > len(best):
            best = list(run)
    if len(best) < _MIN_ROWS:
        return None
    found = [word for row in best for word in row]
    bbox = BBox(
        page=page.page_number,
        x0=min(w["x0"] for w in found),
        top=min(w["top"] for w in found),
        x1=max(w["x1"] for w in found),
        bottom=max(w["bottom"] for w in found),
    )
    return PageTable(bbox=bbox, table=_aligned_table([_segments(row) for row in best]))


def _aligned_table(rows: list[list[tuple[float, str]]]) -> Table:
    """Columns at the cell starts of the widest row; each cell goes to the last column starting before it."""
    anchors = sorted(x for x, _ in max(rows, key=len))
    cells = []
    for row_index, row in enumerate(rows):
        for x0, text in row:
            col = max((i for i, anchor in enumerate(anchors) if anchor <= x0 + _ALIGN), default=0)
            cells.append(Cell(row=row_index, col=col, text=text))
    return Table(rows=len(rows), cols=len(anchors), cells=cells)


def _word_rows(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) <= 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def _segments(row: list[dict[str, Any]]) -> list[tuple[float, str]]:
    """Split a row of words into cells wherever the gap is wider than a few characters."""
    cells: list[tuple[float, list[str]]] = [(row[0]["x0"], [row[0]["text"]])]
    for left, right in itertools.pairwise(row):
        size = right["bottom"] - right["top"]
        if right["x0"] - left["x1"] > _CELL_GAP * size:
            cells.append((right["x0"], [right["text"]]))
        else:
            cells[-1][1].append(right["text"])
    return [(x0, " ".join(words)) for x0, words in cells]


def _aligned(previous: list[tuple[float, str]], current: list[tuple[float, str]]) -> bool:
    """Rows belong to one table when every cell start of the sparser row lines up with the other's."""
    fewer, more = sorted(([x for x, _ in previous], [x for x, _ in current]), key=len)
    return all(any(abs(x - y) <= _ALIGN for y in more) for x in fewer)
