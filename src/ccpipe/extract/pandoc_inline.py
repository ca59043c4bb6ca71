"""Pieces of pandoc's JSON AST read on their own: inline text, list markers, and paragraph shapes."""

from __future__ import annotations

import re
from typing import Any

from ccpipe.textutil import is_cjk_or_punct, needs_space

Node = dict[str, Any]

GAPS = frozenset({"Space", "SoftBreak", "LineBreak"})
_DELIMS = {"OneParen": "{})", "TwoParens": "({})"}  # Period and DefaultDelim: "1."
_ROMAN = {1000: "M", 900: "CM", 500: "D", 400: "CD", 100: "C", 90: "XC", 50: "L", 40: "XL", 10: "X", 9: "IX", 5: "V"}
_ROMAN |= {4: "IV", 1: "I"}


def payload(node: Node) -> Any:
    """A node's payload; its shape depends on the node type (none for Space and the like)."""
    return node.get("c")


class TextRun:
    """Accumulates inline text, deciding each gap only when the word after it arrives.

    A source space (``Space``) stays, except between two CJK characters, where Word and HTML spaces are
    layout (目 录). A line break (``SoftBreak``/``LineBreak``) is a wrap: nothing between Chinese
    characters, one space between Latin words (:func:`ccpipe.textutil.needs_space`).
    """

    def __init__(self) -> None:
        self.out = ""
        self._gap: str | None = None

    def word(self, text: str) -> None:
        if not text:
            return
        if self._gap and self.out:
            if self._gap == "Space":
                cjk_pair = is_cjk_or_punct(self.out[-1]) and is_cjk_or_punct(text[0])
                self.out += "" if cjk_pair or self.out[-1].isspace() else " "
            elif needs_space(self.out, text):
                self.out += " "
        self._gap = None
        self.out += text

    def gap(self, kind: str) -> None:
        # A real space next to a break counts as a space.
        if self._gap != "Space":
            self._gap = kind


def _ordinal(number: int, style: str) -> str:
    if style in ("LowerAlpha", "UpperAlpha"):
        letters = ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if style == "UpperAlpha" else letters
    if style in ("LowerRoman", "UpperRoman"):
        roman = _roman(number)
        return roman if style == "UpperRoman" else roman.lower()
    return str(number)


def _roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN.items():
        count, number = divmod(number, value)
        out += letters * count
    return out


def list_label(number: int, style: str, delim: str) -> str:
    """The visible marker of an ordered-list item: "1.", "a)", "(iv)"."""
    return _DELIMS.get(delim, "{}.").format(_ordinal(number, style))


def clean(text: str) -> str:
    """One line of text: runs of white space (line breaks inside TeX, say) become one space."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def all_strong(inlines: list[Node]) -> bool:
    """Whether every piece of text in the paragraph is set in bold (anchors and spaces aside)."""
    found = False
    for node in inlines:
        kind, children = node["t"], payload(node)
        if kind in GAPS or kind == "Image" or _blank(node):
            continue
        if kind == "Strong":
            found = True
        elif kind in ("Span", "Link") and children[1]:
            if not all_strong(children[1]):
                return False
            found = True
        elif kind == "Span":  # an empty bookmark anchor
            continue
        else:
            return False
    return found


def leading_strong(inlines: list[Node]) -> list[Node]:
    """The bold inlines that open a paragraph (a run-in heading or lead set in bold), spaces included."""
    opening: list[Node] = []
    for node in inlines:
        if node["t"] in GAPS or node["t"] == "Strong" or _blank(node):
            opening.append(node)
        else:
            break
    return opening if any(node["t"] == "Strong" for node in opening) else []


def _blank(node: Node) -> bool:
    """A run of white space only (Word indents paragraphs with ideographic spaces: "　　")."""
    return node["t"] == "Str" and not str(payload(node)).strip()


def is_toc_entry(inlines: list[Node]) -> bool:
    """A Word table-of-contents field result: one link to an in-document anchor (#_Toc…)."""
    rest = [node for node in inlines if node["t"] not in GAPS]
    return len(rest) == 1 and rest[0]["t"] == "Link" and payload(rest[0])[2][0].startswith("#")
