"""Lexical anchors: what a Chinese text and its English translation both contain, whatever the wording.

Numbers (Arabic, or Chinese numerals the quantities stage read: 1000亿美元 and US$100 billion share 1e+11),
month names, footnote calls, section numbers of headings, glossary terms (the Chinese edition's mentions,
found in the English by the glossary's English names, aliases and abbreviations) and Latin words that the
Chinese text keeps as they are (acronyms in brackets, names, addresses). Only anchors found in both
editions count, each weighted by how rare it is (a year on every page says little).
"""

from __future__ import annotations

import math
import re
from collections import Counter

import cn2an

from ccpipe.models import BlockKind, Document, Quantity
from ccpipe.terms.glossary import Glossary
from ccpipe.translate.items import Item

Anchors = Counter[str]

_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_SCALE = re.compile(r"\s*(thousand|million|billion|trillion)\b", re.IGNORECASE)
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SUPERSCRIPTS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUPER_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MONTHS = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b")
_MONTH_NUMBER = {name: index for index, name in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"), start=1)}  # fmt: skip
# A Latin token a translation keeps verbatim: an acronym (two capitals: ICMA, SBTi), a token with a digit
# (CO2) or an address (www.iigcc.org). Words that merely start a sentence or a name with a capital are too
# common in English to say anything.
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9&@./_-]*[A-Za-z0-9]")
_KEPT = re.compile(r"[A-Z].*[A-Z]|[0-9@/]|\.\w")
# Section numbers opening a heading: 一、 （二） 第三章 第3条 | 1. 1 - 2.1 (a) | I. II - Chapter 3.
_SECTION_ZH = re.compile(
    r"^\s*(?:第([一二三四五六七八九十百零〇\d]+)[章节条部篇]|[（(]?([一二三四五六七八九十]+)[）)、])"
)
_SECTION_EN = re.compile(r"^\s*(?:(?:chapter|part|section|article)\s+)?(\d+(?:\.\d+)*|[IVXL]+)\b[.):\s–—-]", re.I)
_NOTE_NUMBER = re.compile(r"^(\d{1,2})\s+(?=[^\d\s.])")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def number_key(value: float) -> str:
    return f"n:{value:.6g}"


def numbers(text: str) -> Anchors:
    """Arabic numbers (with an English scale word multiplied out), month names, superscript note calls."""
    found: Anchors = Counter()
    for match in _NUMBER.finditer(text):
        value = float(match.group().replace(",", ""))
        scale = _SCALE.match(text, match.end())
        found[number_key(value * _SCALES[scale.group(1).lower()] if scale else value)] += 1
    for match in _MONTHS.finditer(text):
        found[number_key(_MONTH_NUMBER[match.group(1)])] += 1
    for match in _SUPERSCRIPTS.finditer(text):
        found[f"fn:{int(match.group().translate(_SUPER_DIGITS))}"] += 1
    return found


def latin_words(text: str) -> Anchors:
    return Counter(w for w in _LATIN.findall(text) if _KEPT.search(w))


def section_number(text: str) -> str | None:
    """The number a heading opens with, as ``s:<n>`` (一、 and 1. and I. all give s:1), or None."""
    zh = _SECTION_ZH.match(text)
    if zh:
        numeral = zh.group(1) or zh.group(2)
        try:
            return f"s:{int(cn2an.cn2an(numeral, 'smart'))}"
        except ValueError:
            return None
    en = _SECTION_EN.match(text)
    if not en:
        return None
    number = en.group(1)
    return f"s:{number}" if number[0].isdigit() else f"s:{_roman(number.upper())}"


def _roman(numeral: str) -> int:
    values = [_ROMAN[ch] for ch in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


class AnchorFinder:
    """Anchors of the items of one pair of editions (the Chinese one, ``source``, and its ``target``)."""

    def __init__(self, source: Document, target: Document, glossary: Glossary) -> None:
        self.mentions: dict[str, list[tuple[int, int, str]]] = {}
        # The outermost names only: a term inside a longer name (中国 in 中国气象局) is part of that name's anchor.
        source_names = [mention for mention in source.mentions if mention.inside is None]
        target_names = [mention for mention in target.mentions if mention.inside is None]
        for mention in source_names:
            self.mentions.setdefault(mention.block_id, []).append(
                (mention.start, mention.end, f"t:{mention.entity_id}")
            )
        for quantity in source.quantities:
            key = _quantity_anchor(quantity)
            if key:
                self.mentions.setdefault(quantity.block_id, []).append((quantity.start, quantity.end, key))
        entity_ids = sorted({m.entity_id for m in source_names} | {m.entity_id for m in target_names})
        self.english = _EnglishTerms(glossary, entity_ids)
        self.source_notes, self.target_notes = _note_numbers(source), _note_numbers(target)

    @staticmethod
    def _common(item: Item, notes: dict[str, str]) -> Anchors:
        found = numbers(item.text) + latin_words(item.text) + _section(item)
        note = notes.get(item.refs[0].block_id)
        return found + Counter([note]) if note else found

    def source_anchors(self, item: Item) -> Anchors:
        found = self._common(item, self.source_notes)
        for ref in item.refs:
            found.update(
                name for start, end, name in self.mentions.get(ref.block_id, []) if ref.start <= start < ref.end
            )
        return found

    def target_anchors(self, item: Item) -> Anchors:
        return self._common(item, self.target_notes) + self.english.find(item.text)


class _EnglishTerms:
    """Glossary entries found in English text by their English names, aliases (any case) and abbreviations."""

    def __init__(self, glossary: Glossary, entity_ids: list[str]) -> None:
        self.names: dict[str, str] = {}
        self.abbreviations: dict[str, str] = {}
        for entity_id in entity_ids:
            try:
                entry = glossary.get(entity_id)
            except KeyError:
                continue  # a document short form, not a glossary entry
            for name in (entry.en, *entry.en_aliases):
                self.names.setdefault(name.casefold(), entity_id)
            for abbreviation in entry.abbreviations:
                self.abbreviations.setdefault(abbreviation, entity_id)
        forms = sorted({*self.names, *self.abbreviations}, key=lambda form: (-len(form), form))
        self.pattern = (
            re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w-])", re.I) if forms else None
        )

    def find(self, text: str) -> Anchors:
        found: Anchors = Counter()
        for match in self.pattern.finditer(text) if self.pattern else ():
            surface = match.group()
            entity_id = self.abbreviations.get(surface) or self.names.get(surface.casefold())
            if entity_id:  # an abbreviation matched in the wrong case is no match
                found[f"t:{entity_id}"] += 1
        return found


def _note_numbers(document: Document) -> dict[str, str]:
    """``fn:<n>`` for each footnote block with a numeric label."""
    notes = {}
    for block in document.blocks:
        digits = (block.label or "").translate(_SUPER_DIGITS)
        if block.kind == BlockKind.FOOTNOTE and digits.isdigit():
            notes[block.id] = f"fn:{int(digits)}"
    return notes


def _section(item: Item) -> Anchors:
    """A heading's section number; a footnote's number (from its label, or the number opening a footnote
    that one edition printed as a paragraph: "9 The guidance…")."""
    if item.kind == BlockKind.HEADING:
        key = section_number(item.text)
        return Counter([key]) if key else Counter()
    note = _NOTE_NUMBER.match(item.text)
    return Counter([f"fn:{int(note.group(1))}"]) if note and item.kind != BlockKind.LIST_ITEM else Counter()


def _quantity_anchor(quantity: Quantity) -> str | None:
    """Numbers written in Chinese numerals (百分之五十, 三千万): the quantities stage read their value."""
    if any(ch.isdigit() for ch in quantity.text) or quantity.value is None:
        return None
    return number_key(quantity.value)


def weights(source: list[Anchors], target: list[Anchors]) -> dict[str, float]:
    """Anchors found in both editions, weighted by rarity: log(items / items holding the anchor)."""
    shared = set().union(*source) & set().union(*target) if source and target else set()
    frequency: Counter[str] = Counter()
    for anchors in (*source, *target):
        frequency.update(key for key in anchors if key in shared)
    total = len(source) + len(target)
    return {key: math.log(1 + total / count) for key, count in frequency.items()}
