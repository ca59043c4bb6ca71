"""Structured sources (Word .docx, HTML, Markdown) through pandoc's JSON AST into ready blocks.

pandoc comes bundled with ``pypandoc_binary``, so no system install is needed. Text formats are decoded
here (see :func:`ccpipe.extract.text.decode_text`) and handed to pandoc as UTF-8, because pandoc reads
nothing else. These sources have no pages: every block is on page 1 and has no boxes.
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypandoc

from ccpipe.errors import DocxBrokenError, EmptySourceError, SourceError, SourceTooDeepError
from ccpipe.extract.common import source_of
from ccpipe.extract.docx_hints import docx_hints
from ccpipe.extract.html_page import HtmlPage, read_page
from ccpipe.extract.htmlcheck import MAX_DEPTH, nesting_depth, text_lost, without_unclosed_svg
from ccpipe.extract.pandoc_ast import Walker
from ccpipe.extract.sources import DOCX_SUFFIXES, HTML_SUFFIXES
from ccpipe.extract.text import decode_text
from ccpipe.extract.zipcheck import check_not_a_bomb
from ccpipe.models import DocIssue, Extracted, Typography

# Chinese lines wrapped in Markdown must join without a space (pandoc would otherwise keep one).
_MARKDOWN = "markdown+east_asian_line_breaks"
# <meta charset="gb2312"> or <meta http-equiv="Content-Type" content="text/html; charset=gbk">
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)


def extract_pandoc(path: Path) -> Extracted:
    """Read a .docx, .html/.htm or .md file into blocks."""
    try:
        return _extract(path)
    except RecursionError:  # pandoc's JSON, or its tree, nests deeper than Python reads
        raise SourceTooDeepError(path, "its elements nest too deeply to be read") from None


def _extract(path: Path) -> Extracted:
    suffix = path.suffix.lower()
    encoding: str | None = None
    page: HtmlPage | None = None
    hints: dict[str, Typography] = {}
    issues: list[DocIssue] = []
    if suffix in DOCX_SUFFIXES:
        fmt = "docx"
        check_not_a_bomb(path)
        # pypandoc globs the path it is given, so "报告[1].docx" is escaped; the sandbox keeps pandoc from
        # reading other files or the network on behalf of an untrusted document.
        ast = _run(path, lambda: pypandoc.convert_file(glob.escape(str(path)), "json", format="docx", sandbox=True))
        hints = docx_hints(path)
    else:
        data = path.read_bytes()
        declared = _declared_charset(data) if suffix in HTML_SUFFIXES else None
        text, encoding = decode_text(data, path, declared)
        if not text.strip():
            raise EmptySourceError(path, "the file contains only white space")
        if suffix in HTML_SUFFIXES:
            depth = nesting_depth(text)
            if depth > MAX_DEPTH:
                raise SourceTooDeepError(path, f"its elements nest {depth} deep")
            fmt, reader, page = "html", "html", read_page(without_unclosed_svg(text, issues))
            text, hints = page.html, page.hints
        else:
            fmt, reader = "markdown", _MARKDOWN
        ast = _run(path, lambda: pypandoc.convert_text(text, "json", format=reader, sandbox=True))
    walker = Walker(hints)
    blocks = walker.document(ast.get("blocks", []))
    if not blocks:
        raise EmptySourceError(path, f"pandoc found no text in this {fmt} file")
    if page is not None:
        issues += text_lost(page.html, blocks)
    title = _meta_title(ast.get("meta", {}))
    return Extracted(
        source=source_of(path, fmt, 1, encoding),
        blocks=blocks,
        typography=walker.typography,
        metadata_title=(page.declared_title or page.title or title) if page else title,
        title_declared=bool(page and page.declared_title),
        official=page.official() if page else None,
        issues=issues,
    )


def _run(path: Path, convert: Callable[[], str]) -> dict[str, Any]:
    """Run one pandoc conversion, turning its failures into source errors that name the file."""
    try:
        output = convert()
    except RuntimeError as exc:  # pypandoc reports every pandoc failure as RuntimeError
        detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else "pandoc failed"
        detail = re.sub(r"^Pandoc died with exitcode \"\d+\" during conversion: ", "", detail)
        if path.suffix.lower() in DOCX_SUFFIXES:
            raise DocxBrokenError(path, f"not a readable Word document ({detail})") from exc
        raise SourceError(path, f"pandoc could not read it ({detail})") from exc
    ast: dict[str, Any] = json.loads(output)
    return ast


def _declared_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def _meta_title(meta: dict[str, Any]) -> str | None:
    """The ``title`` field of pandoc's metadata (Word's document title, HTML <title>, YAML front matter)."""
    value = meta.get("title")
    walker = Walker()  # a fresh one: nothing in the title may add blocks to the body
    if not value:
        return None
    if value["t"] == "MetaInlines":
        title = walker.render(value["c"])
    elif value["t"] == "MetaString":
        title = str(value["c"]).strip()
    elif value["t"] == "MetaBlocks":
        title = walker.flat_text(value["c"], [])
    else:
        return None
    return title or None
