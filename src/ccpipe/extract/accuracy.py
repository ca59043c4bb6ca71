"""Extraction accuracy: character error rate and stray spaces against a reference text.

The reference is plain text, one paragraph per line. Where the printed source cut a sentence at a
page break the reference cuts it too; :func:`join_page_break_splits` joins those before comparing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ccpipe.models import BlockKind, Document
from ccpipe.textutil import is_cjk_or_punct, is_ideograph

# A cut paragraph is running text (has clause punctuation, unlike titles and headings) ending on an ideograph.
_CLAUSE_PUNCT = re.compile(r"[，。；：]")
_INLINE_SPACE = re.compile(r"[ \t\u3000]+")


@dataclass(frozen=True)
class Accuracy:
    reference_chars: int
    edit_distance: int
    stray_cjk_spaces: int

    @property
    def cer(self) -> float:
        return self.edit_distance / max(self.reference_chars, 1)

    def summary(self) -> str:
        return (
            f"character error rate {self.cer:.3%} ({self.edit_distance} edits / {self.reference_chars} chars); "
            f"stray spaces between CJK characters: {self.stray_cjk_spaces}"
        )


def reference_paragraphs(text: str) -> list[str]:
    return join_page_break_splits([line.strip() for line in text.splitlines() if line.strip()])


def join_page_break_splits(paragraphs: list[str]) -> list[str]:
    joined: list[str] = []
    for paragraph in paragraphs:
        previous = joined[-1] if joined else ""
        if _CLAUSE_PUNCT.search(previous) and is_ideograph(previous[-1]) and is_ideograph(paragraph[0]):
            joined[-1] = previous + paragraph
        else:
            joined.append(paragraph)
    return joined


def document_paragraphs(document: Document) -> list[str]:
    """Body text laid out as the printed page (and the reference): each footnote after the last
    body block on its page."""
    body = [block for block in document.blocks if block.kind != BlockKind.FOOTNOTE]
    notes_after: dict[str, list[str]] = {}
    for note in (block for block in document.blocks if block.kind == BlockKind.FOOTNOTE):
        anchor = [block for block in body if note.page in block.pages] or body
        text = f"{note.label} {note.text}" if note.label else note.text
        notes_after.setdefault(anchor[-1].id, []).append(text)
    out: list[str] = []
    for block in body:
        out.append(block.text)
        out.extend(notes_after.get(block.id, []))
    return out


def stray_cjk_spaces(text: str, reference: str) -> int:
    """Spaces between two CJK characters in ``text`` whose surroundings the reference lacks."""
    count = 0
    for match in _INLINE_SPACE.finditer(text):
        start, end = match.span()
        if start > 0 and end < len(text) and is_cjk_or_punct(text[start - 1]) and is_cjk_or_punct(text[end]):
            context = text[max(0, start - 3) : start] + " " + text[end : end + 3]
            count += context not in reference
    return count


def measure(document: Document, reference_text: str) -> Accuracy:
    reference = "\n".join(reference_paragraphs(reference_text))
    extracted = "\n".join(document_paragraphs(document))
    return Accuracy(
        reference_chars=len(reference),
        edit_distance=Levenshtein.distance(extracted, reference),
        stray_cjk_spaces=stray_cjk_spaces(extracted, reference),
    )
