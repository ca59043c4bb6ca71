"""Tagging: find glossary terms in block text, on the raw characters, independent of segmentation.

Matching is leftmost-longest over every surface form of every entry. Chinese forms match anywhere;
forms that begin or end with a Latin letter or digit need an alphanumeric boundary there (so ``G7``
never matches inside ``G77``) and match case-sensitively; spaces inside a form match any run of white
space. A form written with book-title marks (``《公约》``) matches only with the marks, and the mention
covers the text inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .glossary import Glossary
from .models import Block, BlockKind

_TITLE_OPEN, _TITLE_CLOSE = "《", "》"
_TAGGED_KINDS = frozenset(
    {BlockKind.TITLE, BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.FOOTNOTE, BlockKind.TABLE}
)


@dataclass(frozen=True)
class Match:
    """A glossary hit inside one block: ``block.text[start:end] == text``."""

    block_id: str
    start: int
    end: int
    text: str
    entry_id: str


class Matcher:
    """Compiled surface forms of a glossary."""

    def __init__(self, glossary: Glossary) -> None:
        self._owner: dict[str, str] = {}
        for entry in glossary.entries:
            for surface in entry.surfaces():
                self._owner[_canonical(surface)] = entry.id
        # Longest first, so that at any position the longest form wins (leftmost-longest).
        forms = sorted(self._owner, key=lambda form: (-len(form), form))
        self._pattern = re.compile("|".join(_form_pattern(form) for form in forms)) if forms else None

    def find(self, block_id: str, text: str) -> list[Match]:
        if self._pattern is None:
            return []
        matches = []
        for hit in self._pattern.finditer(text):
            start, end = hit.span()
            entry_id = self._owner[_canonical(hit.group(0))]
            if text[start] == _TITLE_OPEN and text[end - 1] == _TITLE_CLOSE:
                start, end = start + 1, end - 1
            matches.append(Match(block_id, start, end, text[start:end], entry_id))
        return matches


def tag(blocks: list[Block], matcher: Matcher) -> list[Match]:
    """Every glossary match in every taggable block, in reading order."""
    return [match for block in blocks if block.kind in _TAGGED_KINDS for match in matcher.find(block.id, block.text)]


def _canonical(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())


def _is_latin_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _form_pattern(form: str) -> str:
    body = r"\s+".join(re.escape(part) for part in form.split(" "))
    if _is_latin_alnum(form[0]):
        body = r"(?<![A-Za-z0-9])" + body
    if _is_latin_alnum(form[-1]):
        body += r"(?![A-Za-z0-9])"
    return body
