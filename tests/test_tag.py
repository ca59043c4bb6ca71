"""Glossary tagging: exact offsets, boundaries, longest match, precision and recall on the annotated sample."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ccpipe.models import BlockKind, Document
from ccpipe.terms.evaluate import evaluate, load_gold
from ccpipe.terms.glossary import load_glossary
from ccpipe.terms.tag import Matcher

from .conftest import DATA

GLOSSARY_YAML = """
- {id: g7, category: organization, zh: 七国集团, en: Group of Seven, abbreviations: [G7]}
- {id: g77, category: organization, zh: 七十七国集团, en: Group of 77, abbreviations: [G77]}
- id: unfccc
  category: agreement
  zh: 联合国气候变化框架公约
  en: United Nations Framework Convention on Climate Change
  zh_aliases: ["《公约》"]
  abbreviations: [UNFCCC]
- {id: china, category: country, zh: 中国, en: China}
- {id: cma, category: organization, zh: 中国气象局, en: China Meteorological Administration}
- id: tec
  category: mechanism
  zh: 技术执行委员会
  en: Technology Executive Committee
  abbreviations: [TEC]
  ambiguous: false
"""


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    path = tmp_path_factory.mktemp("glossary") / "terms.yaml"
    path.write_text(GLOSSARY_YAML, encoding="utf-8")
    return Matcher(load_glossary(path))


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    """The outermost matches (the terms inside them are tested on their own)."""
    return [(m.text, m.entry_id) for m in matcher.find("b1", text) if m.depth == 0]


def test_acronyms_need_alphanumeric_boundaries(matcher: Matcher) -> None:
    assert found(matcher, "G77和G7成员") == [("G77", "g77"), ("G7", "g7")]
    assert found(matcher, "推动 G7 成员国") == [("G7", "g7")]
    assert found(matcher, "G7x and xG7 and G70") == []


def test_longest_match_wins(matcher: Matcher) -> None:
    assert found(matcher, "中国气象局与中国") == [("中国气象局", "cma"), ("中国", "china")]


def test_bracketed_alias_only_with_marks_and_mention_inside(matcher: Matcher) -> None:
    text = "《公约》明确了原则，公约一词不算"
    matches = matcher.find("b1", text)
    assert [(m.start, m.end, m.text) for m in matches] == [(1, 3, "公约")]


def test_english_in_parentheses_and_flexible_spaces(matcher: Matcher) -> None:
    text = "技术执行委员会（Technology  Executive\nCommittee, TEC）"
    assert [m.entry_id for m in matcher.find("b1", text)] == ["tec", "tec", "tec"]


def test_acronyms_are_case_sensitive(matcher: Matcher) -> None:
    assert found(matcher, "tec and Tec") == []


def test_every_mention_offset_is_exact(sample_document: Document) -> None:
    texts = {block.id: block.text for block in sample_document.blocks}
    assert sample_document.mentions
    for mention in sample_document.mentions:
        assert texts[mention.block_id][mention.start : mention.end] == mention.text


def test_outermost_mentions_never_overlap(sample_document: Document) -> None:
    last_end: dict[str, int] = {}
    for mention in (m for m in sample_document.mentions if m.inside is None):
        assert mention.start >= last_end.get(mention.block_id, 0)
        last_end[mention.block_id] = mention.end


def test_precision_and_recall_on_the_annotated_sample_report(sample_document: Document) -> None:
    result = evaluate(sample_document, load_gold(DATA / "sample_entities.yaml"))
    assert result.overall.recall >= 0.95, f"missed: {result.misses[:30]}"
    assert result.overall.precision >= 0.95, f"false tags: {result.false_tags[:30]}"


def test_known_entities_with_their_english(sample_document: Document) -> None:
    english = {(m.text, m.en) for m in sample_document.mentions}
    for pair in [
        ("巴黎协定", "Paris Agreement"),
        ("公约", "United Nations Framework Convention on Climate Change"),
        ("TEC", "Technology Executive Committee"),
        ("CTCN", "Climate Technology Centre and Network"),
        ("绿色气候基金", "Green Climate Fund"),
        ("碳边境调节机制", "Carbon Border Adjustment Mechanism"),
        ("埃塞俄比亚", "Ethiopia"),
    ]:
        assert pair in english, pair


def test_entity_index_counts_match_mentions(sample_document: Document) -> None:
    counts = Counter(m.entity_id for m in sample_document.mentions)
    assert {e.id: e.count for e in sample_document.entities} == dict(counts)


def test_headings_and_footnotes_are_tagged_too(sample_document: Document) -> None:
    kinds = {block.id: block.kind for block in sample_document.blocks}
    tagged_kinds = {kinds[m.block_id] for m in sample_document.mentions}
    assert BlockKind.FOOTNOTE in tagged_kinds or BlockKind.HEADING in tagged_kinds


def test_project_glossary_loads(tmp_path: Path) -> None:
    glossary = load_glossary(Path(__file__).resolve().parent.parent / "glossary")
    assert len(glossary) >= 100
