"""What every extractor shares: the file's identity."""

from __future__ import annotations

from pathlib import Path

from ccpipe.hashing import sha256_of
from ccpipe.models import Source

__all__ = ["sha256_of", "source_of"]


def source_of(path: Path, fmt: str, pages: int, encoding: str | None = None) -> Source:
    return Source(path=str(path), sha256=sha256_of(path), pages=pages, format=fmt, encoding=encoding)
