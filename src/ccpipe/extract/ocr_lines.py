"""OCR output as positioned lines, like the ones the PDF text layer gives.

Normalisation (furniture, paragraphs, headings, footnotes) reads a line's text, box and type size;
this module gives OCRed pages the same: recognised segments on one baseline are joined into a line,
boxes are mapped from pixels to PDF points, and the type size is estimated from the height of the ink,
then made one value per type size over the document (:func:`snap_sizes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ccpipe.extract.ocr_image import PageImage
from ccpipe.extract.rapid import Segment
from ccpipe.models import Line
from ccpipe.textutil import is_cjk, needs_space

# Chinese ink fills about this share of the em square, so the type size is the ink's height over it
# (12.5 pt body and 9 pt running head of the sample report, scanned: 0.94 and 0.85; Latin capitals
# and ascenders with descenders span about the same).
_INK_SHARE = 0.92
# Segments side by side whose vertical middles are closer than this share of their height are on one
# line (the detector cuts a line at wide gaps: a tab stop, justified Latin text).
_SAME_LINE = 0.5
# ...unless the gap between them is wider than this many times the height: then they are separate
# pieces of text that happen to align (a header's left and right parts, two columns).
_MAX_GAP = 4.0
# Sizes closer than this share are one type size measured with OCR's jitter (see snap_sizes).
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
    # The tallest segment's ink sets the size: a short one ("。", "一、") can be all low or small marks.
    ink = max(segments, key=lambda s: (_ideographs(s.text), s.bottom - s.top))
    size = (ink.bottom - ink.top) / image.scale / _INK_SHARE
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

    OCR heights jitter by a few per cent from line to line and page to page, and the paragraph builder
    starts a new paragraph at a size change of half a point. The most-used sizes become centres (first
    those of ``anchors``, lines from a real text layer, whose sizes are exact), each at least 8% from
    the others: body 10.5 pt and notes 9 pt stay apart (14%), jitter goes. Each OCR line then takes the
    weighted median size of the lines nearest its centre.
    """

    def weight(line: Line) -> int:
        return sum(is_cjk(ch) or ch.isalnum() for ch in line.text)

    def centres_of(group: Iterable[Line], centres: list[float]) -> list[float]:
        for line in sorted(group, key=weight, reverse=True):
            if line.size > 0 and all(abs(line.size - centre) > _SIZE_TOLERANCE * centre for centre in centres):
                centres.append(line.size)
        return centres

    exact = centres_of(anchors, [])  # real sizes from a text layer, kept as they are
    centres = centres_of(lines, list(exact))
    if not centres:
        return lines
    nearest = [min(centres, key=lambda centre: abs(line.size - centre) / centre) for line in lines]
    sizes = {centre: centre for centre in exact}
    for centre in centres[len(exact) :]:
        members = sorted((line.size, weight(line)) for line, near in zip(lines, nearest, strict=True) if near == centre)
        half, running = sum(w for _, w in members) / 2, 0
        sizes[centre] = next((size for size, w in members if (running := running + w) >= half), centre)
    return [line.model_copy(update={"size": sizes[near]}) for line, near in zip(lines, nearest, strict=True)]
