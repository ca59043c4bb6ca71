"""What an alignment tells a reviewer: stretches it is unsure of, text found in one edition only.

Consecutive paragraph links of one kind make one issue, so a missing page is one line, not thirty.
Codes: ``ALIGN_LOW_CONFIDENCE`` (links below the threshold), ``ALIGN_ONLY_IN_SOURCE`` (Chinese text with
no English counterpart), ``ALIGN_ONLY_IN_EDITION`` (English text with no Chinese counterpart).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from ccpipe.models import Alignment, AlignmentLink, DocIssue, Document, LinkLevel

LOW_CONFIDENCE = "ALIGN_LOW_CONFIDENCE"
ONLY_IN_SOURCE = "ALIGN_ONLY_IN_SOURCE"
ONLY_IN_EDITION = "ALIGN_ONLY_IN_EDITION"


def link_status(link: AlignmentLink, threshold: float) -> str:
    """``linked``, ``low`` (linked, but below the threshold), ``source-only`` or ``edition-only``."""
    if not link.target:
        return "source-only"
    if not link.source:
        return "edition-only"
    return "linked" if link.confidence >= threshold else "low"


def _stretches(alignment: Alignment) -> Iterator[tuple[str, list[AlignmentLink]]]:
    paragraphs = [link for link in alignment.links if link.level == LinkLevel.BLOCK]
    for status, group in itertools.groupby(paragraphs, key=lambda link: link_status(link, alignment.threshold)):
        if status != "linked":
            yield status, list(group)


def alignment_issues(alignment: Alignment, document: Document) -> list[DocIssue]:
    pages = {block.id: block.page for block in document.blocks}
    edition_pages = {block.id: block.page for block in alignment.edition.blocks}
    issues = []
    for status, links in _stretches(alignment):
        source_ids = [ref.block_id for link in links for ref in link.source]
        target_ids = [ref.block_id for link in links for ref in link.target]
        page = pages[source_ids[0]] if source_ids else None
        where = _span("blocks", source_ids) + (" ↔ " if source_ids and target_ids else "")
        where += _span(f"English edition p. {edition_pages[target_ids[0]]} blocks", target_ids) if target_ids else ""
        if status == "low":
            lowest = min(link.confidence for link in links)
            message = (
                f"{where}: {len(links)} paragraph link(s) below confidence {alignment.threshold} (lowest {lowest})"
            )
            issues.append(DocIssue(code=LOW_CONFIDENCE, message=message, page=page))
        elif status == "source-only":
            issues.append(
                DocIssue(code=ONLY_IN_SOURCE, message=f"{where}: no counterpart in the English edition", page=page)
            )
        else:
            issues.append(DocIssue(code=ONLY_IN_EDITION, message=f"{where}: no counterpart in this edition", page=page))
    return issues


def _span(label: str, ids: list[str]) -> str:
    unique = list(dict.fromkeys(ids))
    return f"{label} {unique[0]}" + (f"–{unique[-1]}" if len(unique) > 1 else "")
