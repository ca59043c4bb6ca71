"""OCR output as positioned lines, like the ones the PDF text layer gives.

Normalisation (furniture, paragraphs, headings, footnotes) reads a line's text, box and type size;
this module gives OCRed pages the same: recognised segments on one baseline are joined into a line,
boxes are mapped from pixels to PDF points, and the type size is estimated from the height of the ink,
then made one value per type size over the document (:func:`snap_sizes`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from ccpipe.extract.ocr_image import PageImage
from ccpipe.extract.rapid import Segment
from ccpipe.models import Line
from ccpipe.textutil import is_cjk, needs_space

# The rows of ideographs' ink that count (see rapid._glyph_height) span about this share of the em
# square, so the type size is their height over it (the sample report scanned: 12.5 pt body 0.86,
# 15 pt headings 0.83, 9 pt running head 0.81).
_INK_SHARE = 0.86
# Latin text's ink (ascenders to descenders) is about this much taller than an ideograph's.
_LATIN_SHARE = 1.05
# Segments side by side whose vertical middles are closer than this share of their height are on one
# line (the detector cuts a line at wide gaps: a tab stop, justified Latin text).
_SAME_LINE = 0.5
# ...unless the gap between them is wider than this many times the height: then they are separate
# pieces of text that happen to align (a header's left and right parts, two columns).
_MAX_GAP = 4.0
# Sorted OCR sizes further apart than this share belong to different type sizes (see snap_sizes) ...
_CLOUD_GAP = 0.04
# ... and a type size this close to one of the text layer's is that one.
_SIZE_TOLERANCE = 0.08


@dataclass
class PageText:
    lines: list[Line]
    confidence: float  # mean character probability over the page, 0-100
    characters: int
    skew: float = 0.0  # degrees the page image was turned to straighten it


def page_text(segments: list[Segment], image: PageImage, page: int) -> PageText:
    """The page's lines in reading order (top to bottom, left to right) and its confidence."""
    lines = [_make_line(group, image, page) for group in _rows(segments)]
    weights = [len(segment.text.replace(" ", "")) for segment in segments]
    total = sum(weights)
    mean = sum(s.score * w for s, w in zip(segments, weights, strict=True)) / total if total else 0.0
    return PageText(lines=lines, confidence=round(100 * mean, 1), characters=total, skew=image.skew)


def _rows(segments: list[Segment]) -> list[list[Segment]]:
    """Segments grouped into lines: same baseline band, ordered left to right, split at wide gaps."""
    rows: list[list[Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.top + s.bottom) / 2):
        row = next((row for row in rows if _same_band(row[-1], segment)), None)
        if row is None:
            rows.append([segment])
        else:
            row.append(segment)
    lines: list[list[Segment]] = []
    for row in rows:
        row.sort(key=lambda s: s.left)
        current = [row[0]]
        for segment in row[1:]:
            height = max(segment.bottom - segment.top, current[-1].bottom - current[-1].top, 1.0)
            if segment.left - current[-1].right > _MAX_GAP * height:
                lines.append(current)
                current = []
            current.append(segment)
        lines.append(current)
    return sorted(lines, key=lambda line: (round(min(s.top for s in line)), line[0].left))


def _same_band(one: Segment, other: Segment) -> bool:
    height = max(min(one.bottom - one.top, other.bottom - other.top), 1.0)
    return abs((one.top + one.bottom) / 2 - (other.top + other.bottom) / 2) < _SAME_LINE * height


def _make_line(segments: list[Segment], image: PageImage, page: int) -> Line:
    text = ""
    for segment in segments:
        text += (" " if needs_space(text, segment.text) else "") + segment.text
    # The segment with most ideographs sets the size (their median height; else its ink's height):
    # a short one ("。", "一、") can be all low or small marks.
    ink = max(segments, key=lambda s: (_ideographs(s.text), s.bottom - s.top))
    size = (ink.glyph or (ink.bottom - ink.top) / _LATIN_SHARE) / image.scale / _INK_SHARE
    middle = image.point_y((ink.top + ink.bottom) / 2)
    return Line(
        text=text,
        page=page,
        x0=image.point_x(min(s.left for s in segments)),
        top=round(middle - size / 2, 2),
        x1=image.point_x(max(s.right for s in segments)),
        bottom=round(middle + size / 2, 2),
        size=round(size, 1),
    )


def _ideographs(text: str) -> int:
    return min(3, sum(is_cjk(ch) for ch in text))  # enough ideographs, then the tallest


def snap_sizes(lines: list[Line], anchors: Iterable[Line] = ()) -> list[Line]:
    """``lines`` (from OCR) with the sizes of one type size made one value.

    OCR heights jitter by several per cent from line to line (the ink of 十 and 藏 differ), and the
    paragraph builder starts a new paragraph at a size change of half a point. One type size measured
    many times is a dense cloud of sizes; different type sizes are clouds apart. So the sorted sizes are
    cut where two neighbours differ by more than 4%, and each cloud takes its weighted median, or the
    size of a line from a real text layer (``anchors``, exact) within 8% of that.
    """
    if not lines:
        return lines
    order = sorted(range(len(lines)), key=lambda index: lines[index].size)
    clouds: list[list[int]] = [[order[0]]]
    for previous, index in itertools.pairwise(order):
        if lines[index].size > lines[previous].size * (1 + _CLOUD_GAP):
            clouds.append([])
        clouds[-1].append(index)
    exact = sorted({line.size for line in anchors if line.size > 0})
    sizes = [0.0] * len(lines)
    for cloud in clouds:
        size = _weighted_median([(lines[index].size, _weight(lines[index])) for index in cloud])
        near = [anchor for anchor in exact if abs(anchor - size) <= _SIZE_TOLERANCE * anchor]
        for index in cloud:
            sizes[index] = min(near, key=lambda anchor: abs(anchor - size)) if near else size
    return [line.model_copy(update={"size": size}) for line, size in zip(lines, sizes, strict=True)]


def _weight(line: Line) -> int:
    return max(1, sum(is_cjk(ch) or ch.isalnum() for ch in line.text))


def _weighted_median(pairs: list[tuple[float, int]]) -> float:
    half, running = sum(weight for _, weight in pairs) / 2, 0
    for size, weight in sorted(pairs):
        running += weight
        if running >= half:
            return size
    return pairs[-1][0]
