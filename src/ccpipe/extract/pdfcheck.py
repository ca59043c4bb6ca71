"""A second opinion on a PDF: PDFium (pypdfium2, which pdfplumber already uses for images) counts its pages and
the text on each, independently of pdfminer, so that nothing is lost without a word.

A damaged cross-reference table can hide pages from pdfminer while PDFium, which rebuilds the table, finds
them all: the file is then rebuilt by PDFium in memory and read again (``PDF_REPAIRED``), or the loss is
recorded (``PDF_PAGES_MISSING``). A page whose recovered text is far shorter than PDFium's is recorded as
``EXTRACT_TEXT_INCOMPLETE``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2

from ccpipe.models import DocIssue, Page

# A page is incomplete when ccpipe recovers less than this share of the characters PDFium reads on it, and
# the gap is at least _MIN_GAP characters. On the sample, the fixtures and the corpus both counts agree to
# the character, but for a cover whose overprinted text is deduplicated (65%) and a page whose content
# stream calls itself without end, which pdfminer stops and PDFium unrolls (6%).
_MIN_SHARE = 0.5
_MIN_GAP = 100
_SPACE = re.compile(r"\s+")


@dataclass
class Census:
    """What PDFium finds in a PDF: its pages and the non-space characters of text on each."""

    pages: int
    characters: list[int] = field(default_factory=list)


def census(source: Path | bytes, password: str | None) -> Census | None:
    """PDFium's count, or None when PDFium cannot open the file either."""
    try:
        document = pypdfium2.PdfDocument(source, password=password)
    except pypdfium2.PdfiumError:
        return None
    try:
        counts = []
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage().get_text_range()
            counts.append(len(_SPACE.sub("", text)))
        return Census(len(document), counts)
    except pypdfium2.PdfiumError:
        return None
    finally:
        document.close()


def rebuilt(path: Path, password: str | None) -> bytes | None:
    """The PDF as PDFium saves it (a fresh cross-reference table), or None if it cannot."""
    try:
        document = pypdfium2.PdfDocument(path, password=password)
    except pypdfium2.PdfiumError:
        return None
    try:
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    except pypdfium2.PdfiumError:
        return None
    finally:
        document.close()


def missing_pages(found: int, expected: int) -> DocIssue:
    return DocIssue(
        code="PDF_PAGES_MISSING",
        message=f"only {found} of the {expected} pages that PDFium finds could be read (a damaged file?)",
    )


def repaired(found: int, expected: int) -> DocIssue:
    return DocIssue(
        code="PDF_REPAIRED",
        message=f"the file's page index is damaged: pdfminer found {found} of its {expected} pages; "
        "read from PDFium's rebuilt copy",
    )


def incomplete_pages(pages: list[Page], count: Census) -> list[DocIssue]:
    """An issue for every page whose recovered text is far shorter than what PDFium reads there."""
    issues = []
    for page, theirs in zip(pages, count.characters, strict=False):
        ours = sum(len(_SPACE.sub("", line.text)) for line in page.lines)
        ours += sum(len(_SPACE.sub("", cell.text)) for table in page.tables for cell in table.table.cells)
        if theirs - ours >= _MIN_GAP and ours < _MIN_SHARE * theirs:
            issues.append(
                DocIssue(
                    code="EXTRACT_TEXT_INCOMPLETE",
                    message=f"{ours} characters of text recovered where PDFium reads {theirs}",
                    page=page.number,
                )
            )
    return issues
