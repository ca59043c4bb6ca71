"""Alignment quality against a hand reference: precision and recall of links, per level.

The reference (benchmarks/data/alignment/*.yaml) lists paragraph and sentence links as the texts of their
two sides. A predicted link with both sides counts as correct when both its texts equal a reference link's,
white space aside: a link that takes in a sentence too many, or too few, is both a false link and a miss.
One-sided links (text in one edition only) are not scored.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ccpipe.models import Alignment, Document, LinkLevel
from ccpipe.translate.items import ref_text

_SPACE = re.compile(r"\s+")
LEVELS = {"paragraphs": LinkLevel.BLOCK, "sentences": LinkLevel.SENTENCE}
Pair = tuple[str, str]


def _key(zh: str, en: str) -> Pair:
    return _SPACE.sub("", zh), _SPACE.sub("", en)


def read_reference(path: Path) -> dict[LinkLevel, Counter[Pair]]:
    """The reference links per level, counted: a heading repeated in every section is a link each time."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {level: Counter(_key(link["zh"], link["en"]) for link in data[name]) for name, level in LEVELS.items()}


def predicted_links(document: Document) -> dict[LinkLevel, list[tuple[Pair, float]]]:
    """The document's two-sided links as (zh, en) texts with their confidence, per level."""
    alignment: Alignment | None = document.alignment
    found: dict[LinkLevel, list[tuple[Pair, float]]] = {level: [] for level in LinkLevel}
    if alignment is None:
        return found
    source = {block.id: block.text for block in document.blocks}
    target = {block.id: block.text for block in alignment.edition.blocks}
    for link in alignment.links:
        if link.source and link.target:
            pair = _key(ref_text(source, link.source), ref_text(target, link.target))
            found[link.level].append((pair, link.confidence))
    return found


@dataclass(frozen=True)
class Score:
    predicted: int
    reference: int
    correct: int
    low: int  # predicted links below the alignment's threshold
    low_correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.reference if self.reference else 1.0

    @property
    def low_share(self) -> float:
        return self.low / self.predicted if self.predicted else 0.0


def _matched(predicted: Counter[Pair], gold: Counter[Pair]) -> int:
    return sum(min(count, gold[pair]) for pair, count in predicted.items())


def score(document: Document, reference: dict[LinkLevel, Counter[Pair]]) -> dict[LinkLevel, Score]:
    threshold = document.alignment.threshold if document.alignment else 0.0
    scores = {}
    for level, links in predicted_links(document).items():
        gold = reference.get(level, Counter())
        low = Counter(pair for pair, confidence in links if confidence < threshold)
        scores[level] = Score(
            predicted=len(links),
            reference=sum(gold.values()),
            correct=_matched(Counter(pair for pair, _ in links), gold),
            low=sum(low.values()),
            low_correct=_matched(low, gold),
        )
    return scores
