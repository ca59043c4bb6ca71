"""Plain-text extraction: decode, then lay the text out as lines for the paragraph builder."""

from __future__ import annotations

from pathlib import Path

from ..errors import EmptySourceError, TextDecodingError
from ..models import Extracted, Line, Page
from ..textutil import is_cjk_or_punct
from .common import source_of

# Tried in order; the first that decodes without error wins (BOMs first). Big5 needs real detection:
# GB18030 decodes most Big5 bytes without error, so guessing between them is left to a detector.
_TEXT_ENCODINGS = ("utf-8", "gb18030")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_TEXT_SIZE = 12.0
_TEXT_PITCH = 1.8 * _TEXT_SIZE


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes of a text file, returning (text, encoding name)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    for encoding in _TEXT_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise TextDecodingError(path, f"could not decode as any of {', '.join(_TEXT_ENCODINGS)}")


def extract_text(path: Path) -> Extracted:
    """Lay a text file out as one page of lines: blank lines widen the gap, leading spaces indent."""
    text, encoding = decode_text(path.read_bytes(), path)
    lines: list[Line] = []
    top = 0.0
    for raw in text.splitlines():
        if not raw.strip():
            top += _TEXT_PITCH
            continue
        indent = len(raw) - len(raw.lstrip(" \t\u3000"))
        x0 = indent * _TEXT_SIZE / 2
        stripped = raw.strip()
        width = sum(_TEXT_SIZE if is_cjk_or_punct(ch) else _TEXT_SIZE / 2 for ch in stripped)
        lines.append(
            Line(text=stripped, page=1, x0=x0, top=top, x1=x0 + width, bottom=top + _TEXT_SIZE, size=_TEXT_SIZE)
        )
        top += _TEXT_PITCH
    if not lines:
        raise EmptySourceError(path, "the file contains only white space")
    source = source_of(path, "text", 1, encoding)
    page = Page(number=1, width=max(line.x1 for line in lines), height=top, lines=lines)
    return Extracted(source=source, pages=[page])
