"""Content hashes of files: the identity of a source and of each output."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return sha256_of_handle(handle)


def sha256_of_handle(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()
