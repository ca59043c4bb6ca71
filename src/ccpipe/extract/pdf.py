"""PDF extraction with pdfplumber: pages of lines with position, size and weight."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ccpipe.errors import NoTextLayerError, PdfBrokenError, PdfEncryptedError
from ccpipe.extract.columns import reading_regions
from ccpipe.extract.common import source_of
from ccpipe.extract.lines import make_line, merge_small_glyphs
from ccpipe.extract.ocr import ocr_pages
from ccpipe.extract.pages import read_pages
from ccpipe.extract.pdfcheck import census, incomplete_pages, missing_pages, rebuilt, repaired
from ccpipe.extract.tables import find_tables, page_words
from ccpipe.extract.textlayer import Verdict, judge
from ccpipe.models import DocIssue, Extracted, Line, Page, PageTable

# Characters repeated within this distance (points) are one character printed twice.
_OVERPRINT = 1.0


def extract_pdf(path: Path, password: str | None = None) -> Extracted:
    issues: list[DocIssue] = []
    pdf = _open_or_repair(path, password, issues)
    count = census(path, password)
    if count is not None and len(pdf.pages) < count.pages:
        pdf = _repaired(path, pdf, password, count.pages, issues)
    with pdf:
        read = read_pages(pdf.pages, _read_and_judge, issues, lambda: _reopen(path, pdf, password))
        pages = [page for page, _ in read]
        ocr = ocr_pages(path, pdf.pages, pages, [verdict for _, verdict in read], issues)
        title = str(pdf.metadata.get("Title") or "").strip() or None
    if count is not None:
        ocred = {entry.page for entry in ocr}
        issues += [issue for issue in incomplete_pages(pages, count) if issue.page not in ocred]
    source = source_of(path, "pdf", len(pages))
    source.ocr = ocr
    if not any(page.lines for page in pages):
        raise NoTextLayerError(path, f"none of its {len(pages)} page(s) has a text layer")
    return Extracted(source=source, pages=pages, metadata_title=title, issues=issues)


def _open(path: Path, source: Path | io.BytesIO, password: str | None) -> Any:
    try:
        return pdfplumber.open(source, password=password or "")
    except Exception as exc:  # pdfplumber wraps pdfminer's many ad-hoc error types
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            detail = "the password given is wrong" if password else "the PDF is password-protected"
            raise PdfEncryptedError(path, detail) from exc
        raise PdfBrokenError(path, f"not a readable PDF ({type(cause).__name__}: {cause})") from exc


def _reopen(path: Path, pdf: Any, password: str | None) -> Any:
    """``pdf`` opened again: from the file, or from the same bytes when it was read from a repaired copy."""
    stream = pdf.stream
    source = io.BytesIO(stream.getbuffer()) if isinstance(stream, io.BytesIO) else path
    return _open(path, source, password)


def _open_or_repair(path: Path, password: str | None, issues: list[DocIssue]) -> Any:
    """The PDF as pdfminer reads it; if it cannot, as PDFium rebuilds it (when PDFium can)."""
    try:
        return _open(path, path, password)
    except PdfBrokenError as broken:
        if isinstance(broken, PdfEncryptedError):
            raise
        data = rebuilt(path, password)
        if data is None:
            raise
        try:
            pdf = _open(path, io.BytesIO(data), password)
        except PdfBrokenError:
            raise broken from None
        issues.append(DocIssue(code="PDF_REPAIRED", message="the file is damaged; read from PDFium's rebuilt copy"))
        return pdf


def _repaired(path: Path, pdf: Any, password: str | None, expected: int, issues: list[DocIssue]) -> Any:
    """The PDF read again from PDFium's rebuilt copy when that finds every page; else as it was, with the loss
    recorded."""
    found = len(pdf.pages)
    data = rebuilt(path, password)
    if data is not None:
        again = _open(path, io.BytesIO(data), password)
        if len(again.pages) == expected:
            pdf.close()
            issues.append(repaired(found, expected))
            return again
        again.close()
    issues.append(missing_pages(found, expected))
    return pdf


def _read_and_judge(pdf_page: Any, issues: list[DocIssue]) -> tuple[Page, Verdict]:
    """The page's lines, and whether it needs OCR, from one parse of the page: pdfplumber keeps a page's objects
    until it is closed, and a long PDF's pages kept at once took 400 MB (62 pages)."""
    page = _read_page(pdf_page, issues)
    verdict = judge(pdf_page, page)
    pdf_page.close()
    return page, verdict


def _read_page(pdf_page: Any, issues: list[DocIssue]) -> Page:
    number = pdf_page.page_number
    page = Page(number=number, width=float(pdf_page.width), height=float(pdf_page.height))
    try:
        page.tables, page.lines = _tables_and_lines(_without_overprint(pdf_page))
    except RecursionError:
        issues.append(DocIssue(code="PDF_PAGE_UNREADABLE", message="page content nests without end", page=number))
        return page
    except Exception as exc:  # one damaged page must not lose the others
        issues.append(DocIssue(code="PDF_PAGE_UNREADABLE", message=f"{type(exc).__name__}: {exc}", page=number))
        return page
    if not page.lines and not page.tables:
        issues.append(DocIssue(code="EXTRACT_NO_TEXT_LAYER", message="page has no text layer", page=number))
    return page


def _tables_and_lines(page: Any) -> tuple[list[PageTable], list[Line]]:
    """Tables, then the remaining text as lines in reading order (column by column where there are two)."""
    words: list[dict[str, Any]] | None = page_words(page)  # for borderless tables and columns: one pass
    tables = find_tables(page, words)
    if tables:
        boxes = [(t.bbox.x0, t.bbox.top, t.bbox.x1, t.bbox.bottom) for t in tables]
        page = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
        words = None  # the page without its tables has other words
    lines: list[Line] = []
    for region, column in reading_regions(page, words):
        part = page if region == tuple(page.bbox) else page.within_bbox(region)
        for raw in merge_small_glyphs(part.extract_text_lines(return_chars=True, keep_blank_chars=True)):
            line = make_line(raw["chars"], page.page_number, column)
            if line is not None:
                lines.append(line)
    return tables, lines


def _without_overprint(page: Any) -> Any:
    """The page without characters printed again on top of themselves (bold faked by overprinting).

    Same job as pdfplumber's ``dedupe_chars``, in linear time: a character is a duplicate when one
    with the same text, font and size was kept within _OVERPRINT points of it. Buckets on a 1-point
    grid make that a handful of lookups per character."""
    kept_ids: set[int] = set()
    grid: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for char in page.chars:
        key = (char["text"], char["fontname"], round(char["size"], 1))
        cx, cy = round(char["x0"]), round(char["top"])
        neighbours = (grid.get((*key, cx + dx, cy + dy), []) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
        if any(
            abs(other["x0"] - char["x0"]) <= _OVERPRINT and abs(other["top"] - char["top"]) <= _OVERPRINT
            for bucket in neighbours
            for other in bucket
        ):
            continue
        grid.setdefault((*key, cx, cy), []).append(char)
        kept_ids.add(id(char))
    if len(kept_ids) == len(page.chars):
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in kept_ids)


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    middle_x, middle_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)
