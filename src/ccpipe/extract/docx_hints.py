"""What a Word file says about its paragraphs that pandoc's AST does not keep: outline levels and centring.

Pandoc turns paragraphs in the built-in heading styles into headers, but not paragraphs given an outline
level directly (``<w:outlineLvl>``) or through a style of their own, and it drops alignment. Both are read
here from ``word/document.xml`` and ``word/styles.xml``, keyed by the paragraph's text without white space
(the walker matches pandoc's paragraphs to them by their text).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from ccpipe.models import Typography

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Word's outline level 9 means body text.
_BODY_LEVEL = 9


def docx_hints(path: Path) -> dict[str, Typography]:
    """Outline level (1-based) and centring of the paragraphs that have either, by text without spaces."""
    try:
        with zipfile.ZipFile(path) as archive:
            document = ElementTree.fromstring(archive.read("word/document.xml"))
            styles = _style_levels(archive)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}  # pandoc reports a broken file; without hints the text is still read
    hints: dict[str, Typography] = {}
    for paragraph in document.iter(f"{_W}p"):
        properties = paragraph.find(f"{_W}pPr")
        level = _outline(properties, styles)
        centred = properties is not None and _value(properties.find(f"{_W}jc")) == "center"
        text = re.sub(r"\s+", "", "".join(node.text or "" for node in paragraph.iter(f"{_W}t")))
        if text and (level is not None or centred):
            hints.setdefault(text, Typography(outline=level, centred=centred))
    return hints


def _value(element: Element | None) -> str | None:
    return element.get(f"{_W}val") if element is not None else None


def _level(value: str | None) -> int | None:
    """Word's 0-based outline level as a 1-based heading level; None for body text."""
    return int(value) + 1 if value and value.isdigit() and int(value) < _BODY_LEVEL else None


def _outline(properties: Element | None, styles: dict[str, int]) -> int | None:
    """The paragraph's own outline level, or its style's; None for body text."""
    if properties is None:
        return None
    own = properties.find(f"{_W}outlineLvl")
    if own is not None:
        return _level(_value(own))
    return styles.get(_value(properties.find(f"{_W}pStyle")) or "")


def _style_levels(archive: zipfile.ZipFile) -> dict[str, int]:
    """Outline levels of paragraph styles (1-based), following basedOn chains."""
    try:
        root = ElementTree.fromstring(archive.read("word/styles.xml"))
    except KeyError:
        return {}
    own: dict[str, int | None] = {}
    based: dict[str, str] = {}
    for style in root.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId") or ""
        properties = style.find(f"{_W}pPr")
        own[style_id] = _level(_value(properties.find(f"{_W}outlineLvl"))) if properties is not None else None
        parent = _value(style.find(f"{_W}basedOn"))
        if parent:
            based[style_id] = parent
    levels: dict[str, int] = {}
    for style_id in own:
        current, seen = style_id, set()
        while current and current not in seen:
            seen.add(current)
            level = own.get(current)
            if level is not None:
                levels[style_id] = level
                break
            current = based.get(current, "")
    return levels
