"""Translation units: a Chinese text with its English, where the English came from, and a stable id.

The aligner's sentence links become units of origin ``official``; the translation round trip (XLIFF/PO
import, the translation memory, machine translation) adds units of other origins under the same ids, so
the same sentence in next year's edition finds its English again.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from ccpipe.models import Document, LinkLevel
from ccpipe.translate.items import ref_text

_SPACE = re.compile(r"\s+")


class Origin(StrEnum):
    OFFICIAL = "official"  # an official edition, aligned
    HUMAN = "human"
    MEMORY = "memory"
    MACHINE = "machine"


@dataclass(frozen=True)
class TranslationUnit:
    id: str
    source: str
    target: str
    origin: Origin
    confidence: float | None = None
    note: str = ""  # where the unit comes from, for people: link id, blocks, pages


def unit_id(source: str, occurrence: int = 1) -> str:
    """A stable id for a source text: the same sentence keeps its id across versions of a document; the
    second and later occurrences of one text in a document get a numbered id."""
    digest = hashlib.sha1(_SPACE.sub(" ", source).strip().encode("utf-8")).hexdigest()[:16]
    return f"u{digest}" if occurrence == 1 else f"u{digest}-{occurrence}"


def official_units(document: Document) -> list[TranslationUnit]:
    """The document's sentence links to its official edition that are sure enough for a translation memory
    (at or above the alignment's threshold), in reading order."""
    alignment = document.alignment
    if alignment is None:
        return []
    source = {block.id: block.text for block in document.blocks}
    target = {block.id: block.text for block in alignment.edition.blocks}
    pages = {block.id: block.page for block in document.blocks}
    seen: Counter[str] = Counter()
    units = []
    for link in alignment.links:
        if link.level != LinkLevel.SENTENCE or not link.source or not link.target:
            continue
        if link.confidence < alignment.threshold:
            continue
        text = ref_text(source, link.source)
        seen[text] += 1
        note = f"{link.id}, p. {pages[link.source[0].block_id]}"
        units.append(
            TranslationUnit(
                unit_id(text, seen[text]), text, ref_text(target, link.target), Origin.OFFICIAL, link.confidence, note
            )
        )
    return units
