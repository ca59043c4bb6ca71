"""Structure quality against a hand-read reference: headings (recall, precision, levels), title, metadata.

A reference (``benchmarks/data/structure/*.yaml``, format in its README) lists a document's title, every
section heading with its level, and the GB/T 9704 elements it prints. Headings are compared as text after
removing white space, folding full-/half-width forms and dropping a closing ：/:/。, so that a heading found
with its run-in colon or a half-width 1. still counts; they are paired in reading order, and a pair's level
is right when it is the reference's (levels are per document: 1 is the highest level the document uses).
Unnumbered run-in lead phrases, which the references keep in place as ``# lead: - {level: N, text: …}`` comments
(a judgement call), are scored apart: they count as found when they are a heading or a paragraph's lead span,
and a heading that is one is not counted extra.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ccpipe.models import BlockKind, Document

_SPACE = re.compile(r"\s+")
_LEAD_COMMENT = re.compile(r"^\s*# lead: - \{level: \d+, text: (.+)\}\s*$", re.M)
_NOTE_MARKS = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_CLOSING = "：:。.；;"
# The metadata fields a reference may give, as named in DocumentInfo.official.
OFFICIAL_FIELDS = ("issuer", "number", "addressees", "date", "attachments", "draft", "abridged")


def fold(text: str) -> str:
    """Heading text for comparison: no footnote marks (¹), NFKC (full-width to half-width), no white space,
    no closing mark."""
    folded = _SPACE.sub("", unicodedata.normalize("NFKC", _NOTE_MARKS.sub("", text)))
    return folded.rstrip(_CLOSING)


@dataclass(frozen=True)
class Reference:
    name: str
    source: str
    title: str
    headings: list[tuple[int, str]]
    leads: list[str]
    official: dict[str, Any] | None


def load_reference(path: Path) -> Reference:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    headings = [(int(item["level"]), str(item["text"])) for item in data.get("headings") or []]
    leads = [match.group(1).strip() for match in _LEAD_COMMENT.finditer(text)]
    official = data.get("official")
    if official and isinstance(official.get("date"), datetime.date):
        official = {**official, "date": official["date"].isoformat()}
    return Reference(path.stem, str(data["source"]), str(data["title"]), headings, leads, official)


@dataclass
class Score:
    """One document's score, or the sum of several (``documents`` > 1)."""

    expected: int = 0
    found: int = 0
    matched: int = 0
    level_right: int = 0
    titles_right: int = 0
    documents: int = 0
    official_right: int = 0
    official_wrong: int = 0
    leads_expected: int = 0
    leads_found: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong_levels: list[str] = field(default_factory=list)
    wrong_official: list[str] = field(default_factory=list)
    title: str = ""

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def levels(self) -> float:
        return self.level_right / self.matched if self.matched else 1.0

    def add(self, other: Score) -> None:
        for name in ("expected", "found", "matched", "level_right", "titles_right", "documents"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("official_right", "official_wrong", "leads_expected", "leads_found"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def detected_headings(document: Document) -> list[tuple[int, str]]:
    return [(block.level or 1, block.text) for block in document.blocks if block.kind == BlockKind.HEADING]


def score(document: Document, reference: Reference) -> Score:
    result = Score(documents=1, title=document.document.title)
    leads = {fold(text) for text in reference.leads} - {fold(text) for _, text in reference.headings}
    found = [(level, text) for level, text in detected_headings(document) if fold(text) not in leads]
    _score_headings(found, reference.headings, result)
    _score_leads(document, reference.leads, result)
    result.titles_right = int(fold(document.document.title) == fold(reference.title))
    _score_official(document, reference, result)
    return result


def _score_headings(found: list[tuple[int, str]], expected: list[tuple[int, str]], result: Score) -> None:
    result.expected, result.found = len(expected), len(found)
    want, got = [fold(text) for _, text in expected], [fold(text) for _, text in found]
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    paired_want: set[int] = set()
    paired_got: set[int] = set()
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            i, j = block.a + offset, block.b + offset
            paired_want.add(i)
            paired_got.add(j)
            if expected[i][0] == found[j][0]:
                result.level_right += 1
            else:
                result.wrong_levels.append(f"{expected[i][1]} (level {found[j][0]}, not {expected[i][0]})")
    result.matched = len(paired_want)
    result.missed = [f"{level} {text}" for i, (level, text) in enumerate(expected) if i not in paired_want]
    result.extra = [f"{level} {text}" for j, (level, text) in enumerate(found) if j not in paired_got]


def _score_leads(document: Document, expected: list[str], result: Score) -> None:
    """Lead entries found as a heading, or as the lead span opening a paragraph."""
    shown = {fold(text) for _, text in detected_headings(document)}
    shown |= {fold(b.text[b.lead.start : b.lead.end]) for b in document.blocks if b.lead is not None}
    result.leads_expected = len(expected)
    result.leads_found = sum(1 for text in expected if fold(text) in shown)


def _score_official(document: Document, reference: Reference, result: Score) -> None:
    if not reference.official:
        return
    found = _official_of(document)
    for name in OFFICIAL_FIELDS:
        if name not in reference.official:
            continue
        want, got = reference.official[name], found.get(name)
        if name in ("draft", "abridged"):
            got = bool(got)
        if _same(want, got):
            result.official_right += 1
        else:
            result.official_wrong += 1
            result.wrong_official.append(f"{name}: {got!r}, not {want!r}")


def _official_of(document: Document) -> dict[str, Any]:
    official = getattr(document.document, "official", None)
    return official.model_dump() if official is not None else {}


def _same(want: Any, got: Any) -> bool:
    if isinstance(want, list):
        return isinstance(got, list) and [fold(str(x)) for x in want] == [fold(str(x)) for x in got]
    if isinstance(want, str):
        return isinstance(got, str) and fold(want) == fold(got)
    return bool(want == got)
