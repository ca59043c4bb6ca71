"""Zip bombs: a .docx is a zip archive, and a few kilobytes of it can unpack to gigabytes.

The archive is measured before pandoc opens it: the sizes its parts really unpack to (read and thrown away,
never trusting the sizes it declares) must stay within what any real Word document needs.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ccpipe.errors import ZipBombError

# The largest .docx of the corpus unpacks to 3 MB; a report full of photos to a few hundred MB.
MAX_UNPACKED_BYTES = 1 << 30
MAX_PARTS = 10_000
# Word's XML compresses about 10:1 and images hardly at all; a bomb is made of parts that compress 1000:1.
MAX_RATIO = 200
_RATIO_FROM_BYTES = 50 << 20
_CHUNK = 1 << 20


def check_not_a_bomb(path: Path) -> None:
    """Raise :class:`ZipBombError` if ``path`` unpacks to far more than a document; anything else that is
    wrong with the archive is left for pandoc to report."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise ZipBombError(path, f"it holds {len(parts)} parts")
        packed = max(path.stat().st_size, 1)
        unpacked = 0
        for part in parts:
            unpacked += _unpacked_size(archive, part, MAX_UNPACKED_BYTES - unpacked)
            if unpacked >= MAX_UNPACKED_BYTES or (unpacked > _RATIO_FROM_BYTES and unpacked > MAX_RATIO * packed):
                detail = f"its {packed:,} bytes unpack to more than {unpacked:,}"
                raise ZipBombError(path, detail)


def _unpacked_size(archive: zipfile.ZipFile, part: zipfile.ZipInfo, allowance: int) -> int:
    """What ``part`` really unpacks to, counting no further than ``allowance`` (+1 chunk)."""
    size = 0
    try:
        with archive.open(part) as stream:
            while size <= allowance:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError):
        return size  # a damaged or encrypted part: pandoc says what is wrong with it
    return size
