"""Which files make up a glossary, and their fingerprint: cheap to import, so that planning a run can tell
whether the glossary changed without loading YAML, pydantic or the models."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from ccpipe.errors import GlossaryError


def glossary_files(location: str | Path) -> list[Path]:
    path = Path(location)
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        raise GlossaryError(path, "no *.yaml glossary files found", advice="add at least one glossary file")
    return files


def glossary_fingerprint(locations: Sequence[str | Path]) -> str:
    """A digest of the glossary files' names and bytes: cheap to compute, so a run can tell without parsing
    whether the glossary changed since a document was last processed."""
    digest = hashlib.sha256()
    for level, location in enumerate(locations):
        if level:  # keeps the fingerprint of a single glossary what it always was
            digest.update(f"\0level {level}\0".encode())
        for file in glossary_files(location):
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]
