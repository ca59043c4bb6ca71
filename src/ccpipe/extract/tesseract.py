"""The tesseract CLI as an OCR engine: page images in, positioned :class:`Line` objects out.

The CLI (Debian's tesseract-ocr) rather than a Python binding: nothing to compile, and a page that
crashes the engine only fails that page.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ccpipe.models import Line
from ccpipe.textutil import is_cjk, is_ideograph, needs_space, normalize_width

# Pages are rendered at this resolution for OCR. Measured on the shared A4 scan (2-core machine, one
# tesseract thread each): 300 dpi takes 60% more time per page than 200 dpi (6.2 vs 3.7 s) for no
# better mean word confidence (89/87/90/90 vs 89/87/91/89 on four pages); 150 dpi loses confidence on
# small print (a signature page: 81 vs 90).
OCR_DPI = 200
# ...but never more pixels on the long side than an A4 page at 300 dpi: oversized pages (a 17x25 in book
# scan) gain nothing from more pixels than their scan has, and a hostile page size must not make a
# gigapixel image.
_MAX_SIDE_PX = 3508
# Fully automatic page segmentation: book and report pages have several blocks (running head, body,
# footnotes) whose order and paragraphs tesseract then reports.
_PSM = "3"
# One OpenMP thread per tesseract: with its default threads it was 3-5x slower per page on a 2-core
# machine even alone (measured), and two pages at once would fight over the cores.
_ENV_OVERRIDES = {"OMP_THREAD_LIMIT": "1"}
# Chinese ink fills about this share of the em square, so the type size is the typical word height over
# it. Calibrated on the sample report rendered and OCRed: 12.5 pt body and 9 pt header words are both
# 92% of their size tall.
_INK_SHARE = 0.92
# Sizes closer than this share are one type size measured with OCR's jitter (see snap_sizes).
_SIZE_TOLERANCE = 0.08


class EngineMissing(Exception):
    """tesseract or one of the requested languages is not installed; ``str()`` says which."""


class EngineFailed(Exception):
    """tesseract ran but failed on one page image."""


@dataclass(frozen=True)
class Engine:
    binary: str
    version: str
    languages: str

    @property
    def label(self) -> str:
        return f"tesseract {self.version} {self.languages}"


@dataclass(frozen=True)
class PageImage:
    """A rendered page ready for tesseract, with the mapping from its pixels back to PDF points."""

    data: bytes
    dpi: float
    left: float
    top: float
    scale: float  # pixels per point


@dataclass
class PageText:
    lines: list[Line]
    confidence: float  # mean word confidence, 0-100
    words: int


def find_engine(binary: str, languages: str) -> Engine:
    """The installed engine, or :class:`EngineMissing` naming what is absent.

    ``binary`` is looked up on PATH now (not once per process), so a changed PATH or TESSDATA_PREFIX
    is seen by the next document.
    """
    found = shutil.which(binary)
    if found is None:
        raise EngineMissing(f"the OCR engine '{binary}' is not installed (not found on PATH)")
    version, installed = _probe(found, os.environ.get("TESSDATA_PREFIX"))
    missing = [lang for lang in languages.split("+") if lang not in installed]
    if missing:
        raise EngineMissing(f"tesseract has no {'+'.join(missing)} language data installed")
    return Engine(found, version, languages)


@lru_cache(maxsize=8)
def _probe(binary: str, tessdata: str | None) -> tuple[str, frozenset[str]]:
    """Version and installed languages (``tessdata``, the data directory override, is the cache key)."""
    try:
        shown = _run([binary, "--version"], b"").decode(errors="replace").split()
        listed = _run([binary, "--list-langs"], b"").decode(errors="replace").splitlines()
    except (OSError, EngineFailed) as exc:
        raise EngineMissing(f"the OCR engine '{binary}' does not run: {exc}") from exc
    version = shown[1] if len(shown) > 1 else "unknown"
    # The first line is a header ("List of available languages in ...").
    return version, frozenset(line.strip() for line in listed[1:] if line.strip())


def render(pdf_page: Any) -> PageImage:
    """The page as a greyscale image (pdfium via pdfplumber). Not thread-safe: call from one thread."""
    long_side = max(float(pdf_page.width), float(pdf_page.height), 1.0)
    dpi = min(float(OCR_DPI), _MAX_SIDE_PX * 72 / long_side)
    # Antialiasing raised mean word confidence on 7 of 8 scan pages measured (by up to 7 points; -1 on
    # the eighth), for 10-25% more time.
    shown = pdf_page.to_image(resolution=dpi, antialias=True)
    buffer = io.BytesIO()
    shown.original.convert("L").save(buffer, format="PPM")  # uncompressed: cheapest to write and read
    left, top = float(shown.bbox[0]), float(shown.bbox[1])
    return PageImage(buffer.getvalue(), dpi, left, top, float(shown.scale))


def recognize(engine: Engine, image: PageImage, page: int) -> PageText:
    """OCR one rendered page (safe to call from worker threads: the work is in a subprocess)."""
    command = [engine.binary, "stdin", "stdout", "-l", engine.languages, "--psm", _PSM, "--dpi", str(round(image.dpi))]
    tsv = _run([*command, "tsv"], image.data).decode("utf-8", errors="replace")
    return lines_from_tsv(tsv, page, image)


def _run(command: list[str], stdin: bytes) -> bytes:
    env = {**os.environ, **_ENV_OVERRIDES}
    done = subprocess.run(command, input=stdin, capture_output=True, env=env, check=False)
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise EngineFailed(tail[0])
    return done.stdout


@dataclass
class _Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float


def lines_from_tsv(tsv: str, page: int, image: PageImage) -> PageText:
    """Lines from tesseract's TSV (one row per block, paragraph, line and word)."""
    words: dict[tuple[str, ...], list[_Word]] = {}
    line_heights: dict[tuple[str, ...], int] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or cells[0] not in ("4", "5"):
            continue  # only line and word rows matter
        key = tuple(cells[1:5])  # page, block, paragraph, line
        left, top, width, height = (int(cell) for cell in cells[6:10])
        if cells[0] == "4":
            line_heights[key] = height
        elif cells[11].strip():
            words.setdefault(key, []).append(
                _Word(cells[11].strip(), left, top, left + width, top + height, float(cells[10]))
            )
    lines = [
        _make_line(line_words, _line_height(key, words, line_heights), page, image) for key, line_words in words.items()
    ]
    # Tesseract gives -1 to rows that are not recognised words; they say nothing about quality.
    confidences = [word.confidence for line in words.values() for word in line if word.confidence >= 0]
    mean = round(statistics.fmean(confidences), 1) if confidences else 0.0
    return PageText(lines=lines, confidence=mean, words=len(confidences))


def _line_height(
    key: tuple[str, ...], words: dict[tuple[str, ...], list[_Word]], boxes: dict[tuple[str, ...], int]
) -> int:
    """A line's text height in pixels.

    Boxes overestimate in two ways: some one-character words get the whole line's height with its
    punctuation and ascenders (sometimes most of a line's), and the line's own box grows with them on
    other lines. Each estimate is right where the other is wrong, so take the smaller of the line box
    and the median one-ideograph word (the unit of Chinese text); a line with fewer than three of
    those uses its paragraph's, then all of its own words.
    """

    def singles(line_words: list[_Word]) -> list[int]:
        return [w.bottom - w.top for w in line_words if len(w.text) == 1 and is_ideograph(w.text)]

    paragraph = [h for other, line_words in words.items() if other[:3] == key[:3] for h in singles(line_words)]
    pool = next((heights for heights in (singles(words[key]), paragraph) if len(heights) >= 3), None)
    median = statistics.median_low(pool or [w.bottom - w.top for w in words[key]])
    return min(median, boxes.get(key, median))


def _make_line(words: list[_Word], height: float, page: int, image: PageImage) -> Line:
    text = ""
    for word in words:
        # Tesseract separates Chinese characters like words; only Latin words and numbers keep a space.
        piece = normalize_width(word.text)
        text += (" " if needs_space(text, piece) else "") + piece

    def x(px: float) -> float:
        return round(image.left + px / image.scale, 2)

    def y(px: float) -> float:
        return round(image.top + px / image.scale, 2)

    return Line(
        text=text,
        page=page,
        x0=x(min(word.left for word in words)),
        top=y(statistics.median_low(word.top for word in words)),
        x1=x(max(word.right for word in words)),
        bottom=y(statistics.median_low(word.bottom for word in words)),
        size=round(height / image.scale / _INK_SHARE, 1),
    )


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
