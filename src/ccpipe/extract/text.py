"""Plain-text extraction: decode, then lay the text out as lines for the paragraph builder."""

from __future__ import annotations

import codecs
from pathlib import Path

import charset_normalizer

from ccpipe.errors import EmptySourceError, TextDecodingError
from ccpipe.extract.common import source_of
from ccpipe.models import Extracted, Line, Page
from ccpipe.textutil import is_cjk_or_punct

# BOMs are checked longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# GB2312 and GBK are subsets of GB18030, and files labelled with them often hold GBK-only characters,
# so the GB family is always decoded (and reported) as GB18030. Names not listed are Python's own.
_CODEC_NAMES = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "euc_cn": "gb18030"}
_TEXT_SIZE = 12.0
_TEXT_PITCH = 1.8 * _TEXT_SIZE
# A title line: set this much larger than the text (normalisation takes the largest type on page 1 as the
# title), when it has at most _TITLE_CHARS characters and does not end like a sentence.
_TITLE_SIZE = 1.5 * _TEXT_SIZE
_TITLE_CHARS = 80
_SENTENCE_END = "。！？!?；;，,：:"


def codec_name(label: str) -> str | None:
    """The normalised codec name ("utf-8", "gb18030", "big5", …) for an encoding label, or None if unknown."""
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return _CODEC_NAMES.get(name.replace("-", "_"), name)


def decode_text(data: bytes, path: Path, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes of a text file, returning (text, normalised encoding name).

    A BOM decides; then valid UTF-8 wins, even over a ``declared`` charset (an HTML meta tag), because
    pages re-saved as UTF-8 often keep a stale ``gb2312`` declaration while GB or Big5 bytes are almost
    never valid UTF-8. Then the declared charset, then detection: GB18030 decodes most Big5 bytes
    without error, so only a statistical detector (charset-normalizer) tells the two apart.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise TextDecodingError(path, f"invalid {encoding} after its byte-order mark ({exc.reason})") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for candidate in (declared, _detect(data)):
        name = codec_name(candidate) if candidate else None
        if name:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                continue
    raise TextDecodingError(path, "not valid UTF-8, and no other encoding (GB18030, Big5, …) fits the bytes")


def _detect(data: bytes) -> str | None:
    best = charset_normalizer.from_bytes(data).best()
    return best.encoding if best is not None else None


def extract_text(path: Path) -> Extracted:
    """Lay a text file out as one page of lines: a blank line ends a paragraph, leading spaces indent, and a
    short first line standing alone (no sentence end) is set large, as the title."""
    text, encoding = decode_text(path.read_bytes(), path)
    lines: list[Line] = []
    top = 0.0
    after_blank = False
    for raw in text.splitlines():
        if not raw.strip():
            top += _TEXT_PITCH
            after_blank = bool(lines)
            continue
        lines.append(_line(raw, top, after_blank))
        top += _TEXT_PITCH
        after_blank = False
    if not lines:
        raise EmptySourceError(path, "the file contains only white space")
    _set_title(lines)
    source = source_of(path, "text", 1, encoding)
    page = Page(number=1, width=max(line.x1 for line in lines), height=top, lines=lines)
    return Extracted(source=source, pages=[page])


def _line(raw: str, top: float, paragraph_start: bool) -> Line:
    indent = len(raw) - len(raw.lstrip(" \t\u3000"))
    x0 = indent * _TEXT_SIZE / 2
    stripped = raw.strip()
    width = sum(_TEXT_SIZE if is_cjk_or_punct(ch) else _TEXT_SIZE / 2 for ch in stripped)
    return Line(
        text=stripped,
        page=1,
        x0=x0,
        top=top,
        x1=x0 + width,
        bottom=top + _TEXT_SIZE,
        size=_TEXT_SIZE,
        paragraph_start=paragraph_start,
    )


def _set_title(lines: list[Line]) -> None:
    """The first line as the title when it is a paragraph of its own, short, and not a sentence."""
    first = lines[0]
    alone = len(lines) == 1 or lines[1].paragraph_start
    if alone and len(first.text) <= _TITLE_CHARS and first.text[-1] not in _SENTENCE_END:
        lines[0] = first.model_copy(update={"size": _TITLE_SIZE, "bottom": first.top + _TITLE_SIZE})
