"""Tagging quality against a hand annotation: precision, recall and F1, per category and overall.

A gold file is a mapping with the items under ``mentions`` (or a bare list of them); ``source`` names the
document (relative to a folder above the gold file, or to the shared material beside the project) and
``scope`` the annotated part (from a page on, minus blocks starting with given text). Two kinds of item:

* ``{text, entity, en, count}`` (the sample's annotation, tests/data/sample_entities.yaml): a mention is
  correct when its surface and its glossary entry agree with an item, so a term bound to the wrong entry
  is both a false tag and a miss;
* ``{text, en, category, count, nested_in}`` (tests/data/entities/: annotated independently of the
  glossary, no entry ids): a mention is correct when its surface is an item's, compared with white space
  removed and width, traditional characters and dashes folded as the tagger folds them.

Counts include occurrences inside a longer annotated name (碳达峰 inside 碳达峰行动方案), as the tagger's
nested mentions do. The English is compared separately, case-insensitively: it follows the glossary, and a
disagreement is a glossary question to review, not a tagging error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ccpipe.errors import CcpipeError
from ccpipe.models import Block, Document, Mention
from ccpipe.terms.glossary import Glossary
from ccpipe.terms.searchtext import char_table

# (surface key, entry id): the entry id is "" for a gold file without ids.
Key = tuple[str, str]


class GoldError(CcpipeError):
    code = "EVAL_GOLD_INVALID"
    advice = (
        "a gold file is a mapping with a list of {text, en, count} items (with entity, or category) under "
        "'mentions', or that list alone"
    )


def surface_key(text: str) -> str:
    """A surface as evaluation compares it: white space removed, folded like the tagger's search copy."""
    return "".join(text.translate(char_table()).split())


@dataclass(frozen=True)
class GoldItem:
    text: str
    en: str
    count: int
    entity: str | None = None
    category: str | None = None
    nested_in: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        return surface_key(self.text), self.entity or ""


@dataclass(frozen=True)
class Gold:
    """A hand annotation: its items and the annotated scope of its document."""

    items: tuple[GoldItem, ...]
    name: str = "gold"
    path: Path | None = None
    source: str | None = None
    from_page: int = 1
    exclude_prefixes: tuple[str, ...] = ()

    @property
    def by_entity(self) -> bool:
        """Whether the items name glossary entries (then a mention must name the same entry)."""
        return any(item.entity for item in self.items)

    @property
    def counts(self) -> Counter[Key]:
        counts: Counter[Key] = Counter()
        for item in self.items:
            counts[item.key] += item.count
        return counts

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

    @property
    def gold(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def tagged(self) -> int:
        return self.true_positives + self.false_positives

    def __add__(self, other: Score) -> Score:
        return Score(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )


@dataclass(frozen=True)
class EnglishDifference:
    surface: str
    entity: str
    gold: str
    tagged: str
    count: int


@dataclass(frozen=True)
class Evaluation:
    overall: Score
    by_category: dict[str, Score]
    misses: list[tuple[Key, int]] = field(default_factory=list)
    false_tags: list[tuple[Key, int]] = field(default_factory=list)
    # Found mentions whose English differs (case aside) from the annotation's
    english_differs: list[EnglishDifference] = field(default_factory=list)
    name: str = ""
    # Mentions inside a longer mention (all of them, and the correct ones)
    nested: Score = field(default_factory=Score)


def load_gold(path: Path) -> Gold:
    """Read a gold file (see the module doc); a malformed one raises :class:`GoldError`."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data["mentions"] if isinstance(data, dict) else data
        scope = (data.get("scope") or {}) if isinstance(data, dict) else {}
        return Gold(
            items=tuple(_item(item) for item in items),
            name=path.stem,
            path=path,
            source=data.get("source") if isinstance(data, dict) else None,
            from_page=int(scope.get("from_page", 1)),
            exclude_prefixes=tuple(scope.get("exclude_starting_with", [])),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GoldError(path, f"{type(exc).__name__}: {exc}") from exc


def _item(item: dict[str, Any]) -> GoldItem:
    entity, category = item.get("entity"), item.get("category")
    return GoldItem(
        text=str(item["text"]),
        en=str(item.get("en") or ""),
        count=int(item["count"]),
        entity=str(entity) if entity else None,
        category=str(category) if category else None,
        nested_in=tuple(str(outer) for outer in item.get("nested_in") or ()),
    )


def gold_files(location: Path) -> list[Path]:
    """The gold files at ``location``: the file itself, or every ``*.yaml`` in a folder."""
    return sorted(location.glob("*.yaml")) if location.is_dir() else [location]


class _Categories:
    """The category a key is scored under: the annotation's, else the glossary's, else the mention's."""

    def __init__(self, gold: Gold, mentions: list[Mention], glossary: Glossary | None) -> None:
        self._gold = {item.key: item.category for item in gold.items if item.category}
        self._mentioned = {mention.entity_id: mention.category.value for mention in mentions}
        self._glossary = glossary
        self._by_surface = {_key(mention, gold.by_entity): mention.category.value for mention in mentions}

    def __call__(self, key: Key) -> str:
        if key in self._gold:
            return self._gold[key]
        entity = key[1]
        if entity in self._mentioned:
            return self._mentioned[entity]
        if entity and self._glossary is not None:
            try:
                return self._glossary.get(entity).category.value
            except KeyError:
                pass
        return self._by_surface.get(key, "unknown")


def _key(mention: Mention, by_entity: bool) -> Key:
    return surface_key(mention.text), mention.entity_id if by_entity else ""


def evaluate(document: Document, gold: Gold, glossary: Glossary | None = None) -> Evaluation:
    """Compare the document's mentions (nested ones included) in the gold scope with the annotation."""
    scope = gold.in_scope(document.blocks)
    mentions = [mention for mention in document.mentions if mention.block_id in scope]
    keys = [_key(mention, gold.by_entity) for mention in mentions]
    tagged: Counter[Key] = Counter(keys)
    expected = gold.counts
    if glossary is not None and not gold.by_entity:  # an annotation by entry counts references, as the tagger does
        tagged += _own_shorter_names(mentions, glossary, expected)
    hits, misses, false_tags = expected & tagged, expected - tagged, tagged - expected
    category_of = _Categories(gold, mentions, glossary)
    by_category: dict[str, Score] = {}
    for name in sorted({category_of(key) for key in [*expected, *tagged]}):

        def total(counter: Counter[Key], name: str = name) -> int:
            return sum(n for key, n in counter.items() if category_of(key) == name)

        by_category[name] = Score(total(hits), total(false_tags), total(misses))
    return Evaluation(
        overall=Score(sum(hits.values()), sum(false_tags.values()), sum(misses.values())),
        by_category=by_category,
        misses=sorted(misses.items(), key=_by_count),
        false_tags=sorted(false_tags.items(), key=_by_count),
        english_differs=_english_differences(gold, mentions, keys, hits),
        name=gold.name,
        nested=_nested_score(mentions, keys, expected),
    )


def _own_shorter_names(mentions: list[Mention], glossary: Glossary, expected: Counter[Key]) -> Counter[Key]:
    """The annotated surfaces that are a mention's own shorter names written inside it (浙江 in 浙江省, 减污降碳 in
    减污降碳协同增效): the annotation counts each occurrence of a surface, the tagger records the name once, as one
    reference to its entity. Only surfaces the annotation lists are counted; for annotations by surface only."""
    implied: Counter[Key] = Counter()
    for mention in mentions:
        text = surface_key(mention.text)
        for surface in _surface_keys(glossary, mention.entity_id):
            key = (surface, "")
            if surface != text and key in expected and surface in text:
                implied[key] += text.count(surface)
    return implied


def _surface_keys(glossary: Glossary, entity_id: str) -> list[str]:
    try:
        entry = glossary.get(entity_id)
    except KeyError:  # a document's own short form, not a glossary entry
        return []
    return [surface_key(surface) for surface in entry.surfaces()]


def _by_count(item: tuple[Key, int]) -> tuple[int, Key]:
    return -item[1], item[0]


def _nested_score(mentions: list[Mention], keys: list[Key], expected: Counter[Key]) -> Score:
    """How the nested mentions fare: those whose surface the annotation counts, and the others."""
    nested = Counter(key for mention, key in zip(mentions, keys, strict=True) if mention.inside is not None)
    right = sum(min(n, expected[key]) for key, n in nested.items())
    return Score(right, sum(nested.values()) - right, 0)


def _english_differences(
    gold: Gold, mentions: list[Mention], keys: list[Key], hits: Counter[Key]
) -> list[EnglishDifference]:
    english = {item.key: item.en for item in gold.items if item.en}
    tagged: dict[Key, str] = {}
    for mention, key in zip(mentions, keys, strict=True):
        tagged.setdefault(key, mention.en)
    differences = []
    for key in sorted(hits):
        wanted, got = english.get(key), tagged.get(key)  # none for a name credited inside its own longer one
        if wanted and got is not None and _loose(wanted) != _loose(got):
            differences.append(EnglishDifference(key[0], key[1], wanted, got, hits[key]))
    return differences


def _loose(english: str) -> str:
    return " ".join(english.casefold().split())


def combine(evaluations: Iterable[Evaluation], name: str = "total") -> Evaluation:
    """The evaluations of several documents as one: their counts added up."""
    overall, nested = Score(), Score()
    by_category: dict[str, Score] = {}
    differences: list[EnglishDifference] = []
    for evaluation in evaluations:
        overall += evaluation.overall
        nested += evaluation.nested
        for category, score in evaluation.by_category.items():
            by_category[category] = by_category.get(category, Score()) + score
        differences.extend(evaluation.english_differs)
    return Evaluation(overall, dict(sorted(by_category.items())), english_differs=differences, name=name, nested=nested)
