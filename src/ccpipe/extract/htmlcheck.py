"""HTML that would make pandoc lose text, and a count of the text that tells when it did.

pandoc reads an inline ``<svg>`` as an image: everything up to its end tag becomes the image's data. An
``<svg onload=…>`` left unclosed in a heading therefore swallows the rest of the page into one image URI. Such
a start tag is dropped before pandoc reads the page (``HTML_REPAIRED``); and the text pandoc gives back is
compared with the text of the page as Python's own HTML parser sees it, so that any other way of losing
text is recorded (``HTML_TEXT_LOST``) rather than silent.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ccpipe.models import Block, DocIssue

_SVG_ELEMENT = re.compile(r"<svg\b[^>]*>.*?</svg\s*>", re.IGNORECASE | re.DOTALL)
_SVG_TAG = re.compile(r"</?svg\b[^>]*>", re.IGNORECASE)
# Elements whose content is not text of the page.
_HIDDEN = frozenset({"script", "style", "head", "title", "svg", "noscript", "template", "math"})
# Text lost: pandoc's blocks hold less than this share of the page's text, short by at least _MIN_GAP
# characters (the gov.cn pages of the corpus: 98-100%; what pandoc drops is link targets and alt texts).
_MIN_SHARE = 0.5
_MIN_GAP = 100
_SPACE = re.compile(r"\s+")


def without_unclosed_svg(html: str, issues: list[DocIssue]) -> str:
    """``html`` with every ``<svg>`` start tag that has no end tag dropped (its content kept as text)."""
    closed = [(m.start(), m.end()) for m in _SVG_ELEMENT.finditer(html)]
    unclosed = [m for m in _SVG_TAG.finditer(html) if not any(a <= m.start() < b for a, b in closed)]
    if not unclosed:
        return html
    issues.append(
        DocIssue(
            code="HTML_REPAIRED",
            message=f"{len(unclosed)} unclosed <svg> tag(s) dropped: they would have swallowed the text after them",
        )
    )
    kept, position = [], 0
    for match in unclosed:
        kept.append(html[position : match.start()])
        position = match.end()
    kept.append(html[position:])
    return "".join(kept)


class _TextCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.characters = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.characters += len(_SPACE.sub("", data))


def page_characters(html: str) -> int:
    """Non-space characters of text on the page (not in scripts, styles, the head, SVG or MathML)."""
    counter = _TextCounter()
    counter.feed(html)
    counter.close()
    return counter.characters


# Elements whose end tag may be left out (or that have none): they do not count towards the nesting depth.
_OPTIONAL_END = frozenset(
    {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "html", "head", "body", "colgroup",
     "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)  # fmt: skip
# libxml2, which reads the page's structure, silently drops what lies deeper than 255 elements.
MAX_DEPTH = 200


class _DepthCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _OPTIONAL_END:
            self.open.append(tag)
            self.deepest = max(self.deepest, len(self.open))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass


def nesting_depth(html: str) -> int:
    """How deep the page's elements nest (those whose end tag is required)."""
    counter = _DepthCounter()
    counter.feed(html)
    counter.close()
    return counter.deepest


def text_lost(html: str, blocks: list[Block]) -> list[DocIssue]:
    """An issue when the blocks hold far less text than the page."""
    page = page_characters(html)
    ours = sum(len(_SPACE.sub("", block.text)) for block in blocks)
    if page - ours >= _MIN_GAP and ours < _MIN_SHARE * page:
        return [DocIssue(code="HTML_TEXT_LOST", message=f"{ours} characters of text read where the page has {page}")]
    return []
