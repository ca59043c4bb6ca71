"""Reading order on multi-column pages: find a vertical gutter, then read band by band, column by column.

pdfplumber groups characters into lines across the whole page width, so two columns set side by side
come out interleaved ("Header 2.1 Header 2.3"). A page is read as two columns only where the text on
both sides of a gutter is running prose filling its column; key-value rows and tables, whose cells
also sit on both sides of some gap, are left alone.
"""

from __future__ import annotations

from typing import Any

from ccpipe.extract.tables import page_words

Region = tuple[float, float, float, float]

# Where to look for a gutter, as shares of the page width.
_GUTTER_RANGE = (0.3, 0.7)
# At least this many rows on each side must fill most of their column for a page to be two columns.
_MIN_PROSE_ROWS = 4
_FILL = 0.6
# A gutter is a channel at least twice this wide (points): wider than a word space (about 3).
_HALF_CHANNEL = 3.0


def reading_regions(page: Any, words: list[dict[str, Any]] | None = None) -> list[tuple[Region, int]]:
    """Regions of ``page`` in reading order with their column (0 full width, 1 left, 2 right): the whole
    page, or a two-column band (left column, then right) between full-width text above and below.

    ``words``: the page's :func:`~ccpipe.extract.tables.page_words`, if the caller has them already."""
    x0, top, x1, bottom = (float(v) for v in page.bbox)
    if words is None:
        words = page_words(page)
    band = _two_column_band(words, float(page.width), top, bottom)
    if band is None:
        return [((x0, top, x1, bottom), 0)]
    gutter, band_top, band_bottom = band
    regions = [
        ((x0, top, x1, band_top), 0),
        ((x0, band_top, gutter, band_bottom), 1),
        ((gutter, band_top, x1, band_bottom), 2),
        ((x0, band_bottom, x1, bottom), 0),
    ]
    return [(region, column) for region, column in regions if region[3] - region[1] > 1]


def _two_column_band(
    words: list[dict[str, Any]], width: float, top: float, bottom: float
) -> tuple[float, float, float] | None:
    """The gutter x and the vertical extent of the tallest white channel with prose on both sides."""
    best: tuple[int, float, float, float] | None = None
    low, high = (int(width * share) for share in _GUTTER_RANGE)
    heights = sorted(w["bottom"] - w["top"] for w in words)
    # A channel too short for _MIN_PROSE_ROWS lines cannot hold two columns: skip it without looking.
    min_height = heights[len(heights) // 2] * _MIN_PROSE_ROWS if heights else 0.0
    for x in range(low, high, 2):
        covered = _merge(
            sorted((w["top"], w["bottom"]) for w in words if w["x0"] - _HALF_CHANNEL < x < w["x1"] + _HALF_CHANNEL)
        )
        for y0, y1 in _free(covered, top, bottom):
            if y1 - y0 < min_height:
                continue
            inside = [w for w in words if w["top"] >= y0 and w["bottom"] <= y1]
            left = [w for w in inside if w["x1"] <= x]
            right = [w for w in inside if w["x0"] >= x]
            if not left or not right:
                continue
            score = min(
                _prose_rows(left, min(w["x0"] for w in left), x), _prose_rows(right, x, max(w["x1"] for w in right))
            )
            if score >= _MIN_PROSE_ROWS and (best is None or score > best[0]):
                best = (score, float(x), y0, y1)
    return None if best is None else best[1:]


def _free(covered: list[tuple[float, float]], top: float, bottom: float) -> list[tuple[float, float]]:
    gaps, cursor = [], top
    for start, end in covered:
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < bottom:
        gaps.append((cursor, bottom))
    return gaps


def _prose_rows(words: list[dict[str, Any]], start: float, end: float) -> int:
    """Rows whose text spans most of the column: running prose, not labels or table cells."""
    rows: dict[int, list[dict[str, Any]]] = {}
    for word in words:
        rows.setdefault(round(word["top"]), []).append(word)
    span = max(end - start, 1.0)
    return sum(1 for row in rows.values() if (max(w["x1"] for w in row) - min(w["x0"] for w in row)) / span >= _FILL)


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
