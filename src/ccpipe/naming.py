"""File-system-safe ids from names: cheap to import, since planning a run names every source."""

from __future__ import annotations

import hashlib
import re

# Ids name folders and files: well under any file system's 255-byte limit, with room for suffixes.
MAX_ID_BYTES = 96


def safe_id(text: str) -> str:
    """``text`` as an id: runs of anything but letters, digits, ``_`` and ``-`` become ``-``; a long id is cut
    (at a character) and ends with a hash of the whole, so two long names never share an id."""
    cleaned = re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE).strip("-") or "document"
    encoded = cleaned.encode("utf-8", "surrogateescape")
    if len(encoded) <= MAX_ID_BYTES:
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    head = encoded[: MAX_ID_BYTES - len(digest) - 1].decode("utf-8", "ignore").rstrip("-")
    return f"{head}-{digest}"
