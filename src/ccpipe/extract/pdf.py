"""PDF extraction with pdfplumber: pages of lines with position, size and weight."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import NoTextLayerError, PdfBrokenError, PdfEncryptedError
from ..models import DocIssue, Extracted, Line, Page
from ..textutil import is_cjk_or_punct
from .common import source_of

# A horizontal gap wider than this share of the font size between two non-CJK glyphs is a word space.
_WORD_GAP = 0.25


def extract_pdf(path: Path, password: str | None = None) -> Extracted:
    try:
        pdf = pdfplumber.open(path, password=password or "")
    except Exception as exc:  # pdfplumber wraps pdfminer's many ad-hoc error types
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            detail = "the password given is wrong" if password else "the PDF is password-protected"
            raise PdfEncryptedError(path, detail) from exc
        raise PdfBrokenError(path, f"not a readable PDF ({type(cause).__name__}: {cause})") from exc
    issues: list[DocIssue] = []
    with pdf:
        pages = [_read_page(pdf_page, issues) for pdf_page in pdf.pages]
        title = str(pdf.metadata.get("Title") or "").strip() or None
    source = source_of(path, "pdf", len(pages))
    if not any(page.lines for page in pages):
        raise NoTextLayerError(path, f"none of its {len(pages)} page(s) has a text layer")
    return Extracted(source=source, pages=pages, metadata_title=title, issues=issues)


def _read_page(pdf_page: Any, issues: list[DocIssue]) -> Page:
    number = pdf_page.page_number
    page = Page(number=number, width=float(pdf_page.width), height=float(pdf_page.height))
    try:
        raw_lines = pdf_page.dedupe_chars().extract_text_lines(return_chars=True, keep_blank_chars=True)
    except RecursionError:
        issues.append(DocIssue(code="PDF_PAGE_UNREADABLE", message="page content nests without end", page=number))
        return page
    except Exception as exc:  # one damaged page must not lose the others
        issues.append(DocIssue(code="PDF_PAGE_UNREADABLE", message=f"{type(exc).__name__}: {exc}", page=number))
        return page
    page.lines = [line for raw in raw_lines if (line := _make_line(raw["chars"], number)) is not None]
    if not page.lines:
        issues.append(DocIssue(code="EXTRACT_NO_TEXT_LAYER", message="page has no text layer", page=number))
    return page


def _make_line(chars: list[dict[str, Any]], page: int) -> Line | None:
    glyphs = sorted((c for c in chars if c["text"].strip()), key=lambda c: c["x0"])
    if not glyphs:
        return None
    size = _dominant_size(glyphs)
    text = _line_text(sorted(chars, key=lambda c: c["x0"]), size)
    bold = sum(1 for c in glyphs if _is_bold(c))
    return Line(
        text=text,
        page=page,
        x0=round(glyphs[0]["x0"], 2),
        top=round(min(c["top"] for c in glyphs), 2),
        x1=round(glyphs[-1]["x1"], 2),
        bottom=round(max(c["bottom"] for c in glyphs), 2),
        size=size,
        bold=bold == len(glyphs),
    )


def _line_text(chars: Iterable[dict[str, Any]], size: float) -> str:
    """Rebuild a line's text: real space glyphs count once; gaps become spaces only outside CJK."""
    out: list[str] = []
    prev_x1: float | None = None
    for char in chars:
        text = char["text"]
        if not text.strip():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if prev_x1 is not None and out and out[-1] != " ":
            gap = char["x0"] - prev_x1
            if gap > _WORD_GAP * size and not (is_cjk_or_punct(out[-1][-1]) and is_cjk_or_punct(text[0])):
                out.append(" ")
        out.append(text)
        prev_x1 = char["x1"]
    return "".join(out).strip()


def _dominant_size(glyphs: list[dict[str, Any]]) -> float:
    sizes: dict[float, int] = {}
    for glyph in glyphs:
        key = round(float(glyph["size"]), 1)
        sizes[key] = sizes.get(key, 0) + 1
    return max(sizes.items(), key=lambda item: (item[1], item[0]))[0]


def _is_bold(char: dict[str, Any]) -> bool:
    name = str(char.get("fontname", "")).lower()
    return any(mark in name for mark in ("bold", "heavy", "black", "semibold"))
