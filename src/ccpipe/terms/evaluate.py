"""Tagging quality against a hand annotation: precision, recall and F1, per category and overall.

The gold file (tests/data/sample_entities.yaml) lists, per (surface, entity) pair, how often the pair
occurs in the annotated part of a document; ``scope`` says which part (from a page on, minus blocks
starting with given text), ``source`` which document. A mention counts as correct when its surface
and entity agree with the annotation, so a term found inside a longer one, or bound to the wrong entry,
is both a false tag and a miss. The English of the entries is compared separately: it follows the
glossary, and a renamed entry is a glossary change to review, not a tagging error.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from ccpipe.errors import CcpipeError
from ccpipe.models import Block, Document
from ccpipe.terms.glossary import Glossary

Key = tuple[str, str]  # (surface, entity id)


class GoldError(CcpipeError):
    code = "EVAL_GOLD_INVALID"
    advice = "a gold file is a list of {text, entity, en, count}, or a mapping with that list under 'mentions'"


@dataclass(frozen=True)
class Gold:
    """A hand annotation: counts of (surface, entity), their English, and the annotated scope."""

    counts: Counter[Key]
    english: dict[Key, str]
    source: str | None = None
    from_page: int = 1
    exclude_prefixes: tuple[str, ...] = ()

    def in_scope(self, blocks: list[Block]) -> set[str]:
        """Ids of the annotated blocks."""
        return {
            block.id
            for block in blocks
            if block.page >= self.from_page and not block.text.startswith(self.exclude_prefixes)
        }


@dataclass(frozen=True)
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Evaluation:
    overall: Score
    by_category: dict[str, Score]
    misses: list[tuple[Key, int]] = field(default_factory=list)
    false_tags: list[tuple[Key, int]] = field(default_factory=list)
    # (surface, entity, gold English, tagged English) where the glossary's English differs from the annotation
    english_differs: list[tuple[str, str, str, str]] = field(default_factory=list)


def load_gold(path: Path) -> Gold:
    """Read a gold file: a list of items, or a mapping with ``mentions`` and optional ``scope``/``source``."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data["mentions"] if isinstance(data, dict) else data
        scope = data.get("scope", {}) if isinstance(data, dict) else {}
        counts: Counter[Key] = Counter()
        english: dict[Key, str] = {}
        for item in items:
            key = (str(item["text"]), str(item["entity"]))
            counts[key] += int(item["count"])
            english[key] = str(item.get("en", ""))
        return Gold(
            counts=counts,
            english=english,
            source=data.get("source") if isinstance(data, dict) else None,
            from_page=int(scope.get("from_page", 1)),
            exclude_prefixes=tuple(scope.get("exclude_starting_with", [])),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GoldError(path, f"{type(exc).__name__}: {exc}") from exc


def evaluate(document: Document, gold: Gold, glossary: Glossary | None = None) -> Evaluation:
    """Compare the document's mentions in the gold scope with the annotation."""
    scope = gold.in_scope(document.blocks)
    mentions = [mention for mention in document.mentions if mention.block_id in scope]
    tagged: Counter[Key] = Counter((mention.text, mention.entity_id) for mention in mentions)
    category = {mention.entity_id: mention.category.value for mention in mentions}

    def category_of(entity: str) -> str:
        if entity in category:
            return category[entity]
        if glossary is not None:
            try:
                return glossary.get(entity).category.value
            except KeyError:
                pass
        return "unknown"

    hits, misses, false_tags = gold.counts & tagged, gold.counts - tagged, tagged - gold.counts
    by_category: dict[str, Score] = {}
    for name in sorted({category_of(entity) for _, entity in [*gold.counts, *tagged]}):

        def total(counter: Counter[Key], name: str = name) -> int:
            return sum(n for (_, entity), n in counter.items() if category_of(entity) == name)

        by_category[name] = Score(total(hits), total(false_tags), total(misses))
    tagged_english = {(mention.text, mention.entity_id): mention.en for mention in mentions}
    english_differs = [
        (text, entity, gold.english[(text, entity)], tagged_english[(text, entity)])
        for text, entity in sorted(hits)
        if gold.english.get((text, entity)) and gold.english[(text, entity)] != tagged_english[(text, entity)]
    ]
    return Evaluation(
        overall=Score(sum(hits.values()), sum(false_tags.values()), sum(misses.values())),
        by_category=by_category,
        misses=sorted(misses.items()),
        false_tags=sorted(false_tags.items()),
        english_differs=english_differs,
    )


def print_evaluation(evaluation: Evaluation, console: Console) -> None:
    """The score table, then every miss, false tag and English difference."""
    table = Table(title="Tagging against the hand annotation")
    for column in ("category", "gold", "tagged", "correct", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "category" else "right")
    rows = [*evaluation.by_category.items(), ("overall", evaluation.overall)]
    for index, (name, score) in enumerate(rows):
        gold = score.true_positives + score.false_negatives
        found = score.true_positives + score.false_positives
        cells = [f"{value:.3f}" for value in (score.precision, score.recall, score.f1)]
        table.add_row(
            name, str(gold), str(found), str(score.true_positives), *cells, end_section=index == len(rows) - 2
        )
    console.print(table)
    for title, items in (("Missed", evaluation.misses), ("False tags", evaluation.false_tags)):
        console.print(f"{title}: {sum(n for _, n in items)}" + ("" if items else " (none)"))
        for (text, entity), count in items:
            console.print(f"  {text}  → {entity}  ×{count}", markup=False)
    if evaluation.english_differs:
        console.print(f"English differs from the annotation: {len(evaluation.english_differs)}")
        for text, entity, gold_en, tagged_en in evaluation.english_differs:
            console.print(f"  {text} ({entity}): annotated '{gold_en}', glossary '{tagged_en}'", markup=False)
