"""Extraction on real files: the sample report, broken PDFs, and text files in Chinese encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccpipe.errors import EmptySourceError, PdfEncryptedError, SourceError, UnsupportedFormatError
from ccpipe.extract import extract

from .conftest import SAMPLE_PDF, SHARED, shared_file

SAMPLE_TEXT = "应对气候变化是人类共同事业，不仅需要全球性应对。\n\n《巴黎协定》为 2020 年后全球合作指明了方向。\n"


def test_sample_pdf_has_fourteen_pages_of_lines() -> None:
    extracted = extract(SAMPLE_PDF)
    assert extracted.source.pages == 14
    assert extracted.source.format == "pdf"
    assert len(extracted.source.sha256) == 64
    assert all(page.lines for page in extracted.pages)
    assert extracted.issues == []


def test_line_text_keeps_real_spaces_and_adds_none_between_cjk() -> None:
    lines = [line.text for line in extract(SAMPLE_PDF).pages[1].lines]
    assert "要全球性合作。《巴黎协定》为 2020 年后全球合作应对气候变化指明了方向，" in lines


def test_bold_lines_are_marked() -> None:
    page_seven = extract(SAMPLE_PDF).pages[6].lines
    bold = [line.text for line in page_seven if line.bold]
    assert "印度强化印非合作机制，推动应对气候变化南南合作。" in bold


@pytest.mark.parametrize(
    ("name", "error", "code"),
    [
        ("empty-zero-bytes.pdf", EmptySourceError, "SOURCE_EMPTY"),
        ("password-protected.pdf", PdfEncryptedError, "PDF_ENCRYPTED"),
    ],
)
def test_unusable_pdfs_raise_a_specific_error_naming_the_file(name: str, error: type, code: str) -> None:
    path = shared_file("malformed", name)
    with pytest.raises(error) as caught:
        extract(path)
    assert caught.value.code == code
    assert name in str(caught.value)
    assert caught.value.advice  # tells the user what to do


def test_password_opens_a_protected_pdf() -> None:
    extracted = extract(shared_file("malformed", "password-protected.pdf"), password="test")
    assert extracted.source.pages >= 1


def test_every_malformed_pdf_ends_in_a_result_or_a_source_error() -> None:
    for path in sorted(shared_file("malformed").glob("*.pdf")):
        try:
            extracted = extract(path)
        except SourceError as exc:
            assert exc.code and path.name in exc.message
        else:
            assert extracted.pages, path.name


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnsupportedFormatError, match="SOURCE_UNSUPPORTED"):
        extract(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_files_in_chinese_encodings(tmp_path: Path, encoding: str) -> None:
    text = SAMPLE_TEXT
    path = tmp_path / f"note-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    extracted = extract(path)
    assert extracted.source.encoding is not None
    assert [line.text for line in extracted.pages[0].lines] == [line for line in text.splitlines() if line]


def test_ligatures_are_read_once() -> None:
    pairs = SHARED / "corpus" / "pairs"
    extracted = extract(pairs / "icma-climate-transition-finance-handbook-2020.en.pdf")
    text = " ".join(line.text for page in extracted.pages for line in page.lines)
    assert "these flows" in text and "financing" in text
    assert "flfl" not in text and "fifi" not in text
