"""What every extractor shares: the file's identity."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..models import Source


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_of(path: Path, fmt: str, pages: int, encoding: str | None = None) -> Source:
    return Source(path=str(path), sha256=sha256_of(path), pages=pages, format=fmt, encoding=encoding)
