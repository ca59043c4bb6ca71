"""Terminology checked against the official English: what the aligned English says where a glossary term is.

For every outermost mention in a sentence linked (at or above the alignment's threshold) to the English
edition, the linked English is searched for the entry's English name, English aliases and abbreviations
(case-insensitive for names, exact for abbreviations; hyphens and spaces alike, plurals allowed). A term the
official English renders otherwise is reported with sentence pairs as evidence, and one it renders otherwise
at least twice becomes a glossary candidate (kind ``rendering``) for the review loop (candidates.csv,
``ccpipe merge-candidates``): the reviewer reads the pairs and writes the English the official edition uses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ccpipe.models import (
    Alignment,
    AlignmentLink,
    Candidate,
    Document,
    LinkLevel,
    Mention,
    SentencePair,
    TermRendering,
    TextRef,
)
from ccpipe.terms.glossary import Glossary, GlossaryEntry
from ccpipe.translate.items import ref_text

MAX_EXAMPLES = 3
# A rendering that differs this often is worth a terminologist's look.
CANDIDATE_MIN_OTHER = 2


@dataclass
class _Tally:
    zh: str
    linked: int = 0
    found: int = 0
    examples: list[SentencePair] = field(default_factory=list)


def term_renderings(document: Document, glossary: Glossary) -> list[TermRendering]:
    """Every glossary term of the aligned ``document`` with how often the official English uses its English."""
    alignment = document.alignment
    if alignment is None:
        return []
    sentences = _linked_sentences(alignment)
    tallies: dict[str, _Tally] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    for mention in document.mentions:
        link = _link_of(mention, sentences)
        if mention.inside is not None or link is None:
            continue
        entry = glossary.get(mention.entity_id)
        tally = tallies.setdefault(entry.id, _Tally(entry.zh))
        pattern = patterns.setdefault(entry.id, english_pattern(entry))
        english = _texts(link.target, alignment, document, edition=True)
        tally.linked += 1
        if pattern.search(english):
            tally.found += 1
        elif len(tally.examples) < MAX_EXAMPLES:
            tally.examples.append(SentencePair(zh=_texts(link.source, alignment, document), en=english))
    return [
        TermRendering(entity_id=entity_id, zh=tally.zh, glossary_en=glossary.get(entity_id).en, linked=tally.linked,
                      found=tally.found, examples=tally.examples)
        for entity_id, tally in sorted(tallies.items(), key=lambda item: (item[1].found - item[1].linked, item[0]))
    ]  # fmt: skip


def with_term_report(document: Document, glossary: Glossary) -> Document:
    """The aligned ``document`` with its term-consistency report and the rendering candidates it raises."""
    if document.alignment is None:
        return document
    renderings = term_renderings(document, glossary)
    alignment = document.alignment.model_copy(update={"terms": renderings})
    candidates = [*document.candidates, *rendering_candidates(renderings)]
    return document.model_copy(update={"alignment": alignment, "candidates": candidates})


def rendering_candidates(renderings: list[TermRendering]) -> list[Candidate]:
    """Terms the official English renders otherwise at least twice, with the sentence pairs as evidence."""
    return [
        Candidate(kind="rendering", zh=term.zh, count=term.linked - term.found,
                  examples=[f"{pair.zh} ⇄ {pair.en}" for pair in term.examples])
        for term in renderings
        if term.linked - term.found >= CANDIDATE_MIN_OTHER
    ]  # fmt: skip


def english_pattern(entry: GlossaryEntry) -> re.Pattern[str]:
    """The entry's English forms as one search pattern: names in any case, abbreviations as written."""
    names = sorted({_flexible(name) for name in (entry.en, *entry.en_aliases)}, key=len, reverse=True)
    abbreviations = [re.escape(abbreviation) for abbreviation in entry.abbreviations]
    alternatives = [f"(?i:{name})" for name in names] + [f"(?-i:{a})" for a in abbreviations]
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(alternatives) + r")")


def _flexible(name: str) -> str:
    """A name with hyphens and spaces interchangeable (low-carbon, low carbon)."""
    words = re.split(r"[\s\-‐‑–—]+", name.strip())
    return r"[\s\-‐‑–—]+".join(re.escape(word) for word in words if word)


def _linked_sentences(alignment: Alignment) -> dict[str, list[AlignmentLink]]:
    by_block: dict[str, list[AlignmentLink]] = defaultdict(list)
    for link in alignment.links:
        if link.level == LinkLevel.SENTENCE and link.source and link.target and link.confidence >= alignment.threshold:
            for ref in link.source:
                by_block[ref.block_id].append(link)
    return by_block


def _link_of(mention: Mention, sentences: dict[str, list[AlignmentLink]]) -> AlignmentLink | None:
    for link in sentences.get(mention.block_id, ()):
        if any(ref.block_id == mention.block_id and ref.start <= mention.start < ref.end for ref in link.source):
            return link
    return None


def _texts(refs: list[TextRef], alignment: Alignment, document: Document, *, edition: bool = False) -> str:
    blocks = {block.id: block.text for block in (alignment.edition.blocks if edition else document.blocks)}
    return ref_text(blocks, refs)
