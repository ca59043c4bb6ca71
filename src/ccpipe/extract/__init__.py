"""Extraction: read a source file into raw pages of positioned lines (PDF, text) or ready blocks.

This is one of the two stages that touch disk. Layout sources (PDF, plain text) become pages of lines
for :mod:`ccpipe.text.normalize` to rebuild; structured sources (Word, HTML, Markdown) become blocks through
pandoc; one module per input format.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ccpipe.errors import EmptySourceError, UnsupportedFormatError
from ccpipe.extract.sources import PANDOC_SUFFIXES, PDF_SUFFIXES, SUPPORTED_SUFFIXES, open_regular

if TYPE_CHECKING:  # planning a run and reading the settings import this package: the models load with a reader
    from ccpipe.models import DocIssue, Extracted

__all__ = ["SUPPORTED_SUFFIXES", "extract"]


def extract(path: str | Path, password: str | None = None) -> Extracted:
    """Read ``path``, or raise a :class:`ccpipe.errors.SourceError` that names it and says what to do."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(path, f"'{suffix or path.name}' files are not supported")
    fd = open_regular(path)  # a FIFO or a device is refused here, never read (that would block or never end)
    try:
        if os.fstat(fd).st_size == 0:
            raise EmptySourceError(path, "the file has 0 bytes")
    finally:
        os.close(fd)
    # Readers are imported on use: planning a run imports this package for its suffixes only.
    from ccpipe.extract.common import library_warnings

    issues: list[DocIssue] = []
    with library_warnings(issues):
        extracted = _read(path, suffix, password)
    extracted.issues += issues
    return extracted


def _read(path: Path, suffix: str, password: str | None) -> Extracted:
    if suffix in PDF_SUFFIXES:
        from ccpipe.extract.pdf import extract_pdf

        return extract_pdf(path, password)
    if suffix in PANDOC_SUFFIXES:
        from ccpipe.extract.pandoc import extract_pandoc

        return extract_pandoc(path)
    from ccpipe.extract.text import extract_text

    return extract_text(path)
