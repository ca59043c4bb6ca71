"""Chinese heading numbering (GB/T 9704): shared by extraction of structured sources and the text stage."""

from __future__ import annotations

import re

# 一、 > （一） > 1. > （1）: the numbering hierarchy of Chinese official documents (GB/T 9704).
_HEADING_NUMBERING = (
    (re.compile(r"^[一二三四五六七八九十]+、"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 2),
    (re.compile(r"^\d{1,2}[.．、]\s*\D"), 3),
    (re.compile(r"^[（(]\d{1,2}[）)]"), 4),
)


def heading_level(text: str) -> int:
    """The heading level implied by a numbering prefix, or 0 when the text has none."""
    for pattern, level in _HEADING_NUMBERING:
        if pattern.match(text):
            return level
    return 0
