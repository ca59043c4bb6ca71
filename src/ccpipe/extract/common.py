"""What every extractor shares: the file's identity, and the libraries' warnings as the document's issues."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ccpipe.hashing import sha256_of
from ccpipe.models import DocIssue, Source

__all__ = ["library_warnings", "sha256_of", "source_of"]

# The libraries extraction calls that report through logging (pdfminer's "Data-loss while decompressing
# corrupted data", pypandoc passing on pandoc's "[WARNING] Could not fetch resource").
LIBRARY_LOGGERS = ("pdfminer", "pdfplumber", "pypandoc", "PIL", "pypdfium2")
# Warnings about the file, not about the code: deprecations are for developers and stay out of documents.
_FILE_WARNINGS = (UserWarning, RuntimeWarning, UnicodeWarning, BytesWarning)
# Enough to see what went wrong; a file that warns on every object would bury its document in issues.
MAX_WARNINGS = 20


def source_of(path: Path, fmt: str, pages: int, encoding: str | None = None) -> Source:
    return Source(path=str(path), sha256=sha256_of(path), pages=pages, format=fmt, encoding=encoding)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name.split('.')[0]}: {record.getMessage().strip()}")


@contextmanager
def library_warnings(issues: list[DocIssue]) -> Iterator[None]:
    """Inside the block, what the reading libraries warn about becomes ``EXTRACT_LIBRARY_WARNING`` issues of the
    document instead of lines on the run's stderr. Their loggers are given back as they were afterwards
    (the library never configures logging beyond its own reading of a file)."""
    collector = _Collector()
    loggers = [logging.getLogger(name) for name in LIBRARY_LOGGERS]
    saved = [(logger, logger.handlers[:], logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.handlers, logger.propagate = [collector], False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
    finally:
        for logger, handlers, propagate in saved:
            logger.handlers, logger.propagate = handlers, propagate
    messages = collector.messages + [
        f"{item.category.__name__}: {item.message}" for item in caught if issubclass(item.category, _FILE_WARNINGS)
    ]
    issues.extend(_as_issues(messages))


def _as_issues(messages: list[str]) -> list[DocIssue]:
    distinct = list(dict.fromkeys(message for message in messages if message))
    issues = [DocIssue(code="EXTRACT_LIBRARY_WARNING", message=message) for message in distinct[:MAX_WARNINGS]]
    if len(distinct) > MAX_WARNINGS:
        more = f"{len(distinct) - MAX_WARNINGS} more warning(s) of the reading libraries not listed"
        issues.append(DocIssue(code="EXTRACT_LIBRARY_WARNING", message=more))
    return issues
