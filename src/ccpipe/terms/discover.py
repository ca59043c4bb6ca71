"""New-term discovery: names and terms a document uses that the glossary lacks, ranked for a terminologist.

Sources, each a habit of Chinese policy writing: book titles 《…》, bilingual parentheticals
中文（English name, ABBR）, quoted names “…”, recurring strings that behave like words (降碳, 减污降碳,
碳排放双控: see :mod:`ccpipe.terms.ngrams`), and Latin short forms the tagger left alone (an ambiguous
acronym the document did not confirm, an agency it never names). A candidate the glossary
already covers (inside a mention) is not proposed again; one that contains mentions is (a longer name).

Candidates are ranked by how term-like and how frequent they are: the kind of source, the share of their
words that the glossary's own names use, how rare their words are in general Chinese (jieba's IDF table:
发展 and 建设 are everywhere, 降碳 nowhere but here), and the number of occurrences. Each carries up to two
example sentences and a proposed English where there is one: the document's own parenthetical, or the
English of the glossary terms it is composed of (see :mod:`ccpipe.terms.compose`).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import jieba

from ccpipe.models import Block, BlockKind, Candidate, Document, Mention
from ccpipe.terms.compose import Composer
from ccpipe.terms.ngrams import Ngram, word_like
from ccpipe.text import lexicon

_TITLE = re.compile(r"《([^《》\n]{2,40})》")
# Quoted names, not quoted clauses: no clause punctuation or enumeration comma inside.
_QUOTED = re.compile(r"“([^“”\n，。；！？、]{2,24})”")
# Chinese followed by a parenthesis holding Latin text: （English name, ABBR）, （ABBR） or （English name）.
_PARENTHETICAL = re.compile(r"([\u4e00-\u9fff·\-—“”]{2,40})（\s*([A-Za-z][A-Za-z0-9 .,'&/\-]*?)\s*）")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9\-]{1,11}$")
_LATIN_SHORT = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z]*[A-Z](?![A-Za-z0-9])")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Parts of speech that can open a name: nouns of all kinds, place and organisation names, abbreviations,
# and the modifiers names start with (主要, 绿色).
_NAME_START = ("n", "nr", "ns", "nt", "nz", "j", "vn", "l", "eng", "b", "a")
_WEIGHT = {"title": 3.0, "parenthetical": 3.0, "quoted": 2.0, "term": 1.5, "acronym": 1.0}
_EXAMPLES = 2
# Branching entropy (bits): below the minimum a string is a fragment of a longer one; above "full" it is
# as free-standing as a word gets.
_MIN_ENTROPY = 0.9
_FULL_ENTROPY = 2.5
# Parts of speech that can head a term: nouns, verbal nouns, abbreviations, idioms, Latin words.
_HEAD_POS = ("n", "vn", "j", "l", "eng")
# A single word whose IDF is below this share of jieba's median IDF is general vocabulary (发展, 建设, 生态).
_GENERAL_IDF = 0.6
# Parts of speech that do not open a term: adverbs, pronouns, prepositions, conjunctions, numerals.
_NOT_FIRST = ("d", "r", "p", "c", "m", "u")


@dataclass
class _Found:
    kind: str
    zh: str
    en: str | None = None
    abbreviation: str | None = None
    en_source: str | None = None
    count: int = 0
    spots: list[tuple[str, int]] = field(default_factory=list)


class Discoverer:
    """Candidate extraction sharing the run's private jieba tokenizer (never jieba's global one)."""

    def __init__(self, tokenizer: jieba.Tokenizer, composer: Composer | None = None) -> None:
        self._tokenizer = tokenizer
        self._composer = composer
        self._grams: dict[str, Ngram] = {}

    # jieba's tag and IDF tables load with the first document's discovery, once per process (see lexicon).
    @cached_property
    def _pos(self) -> Any:
        return lexicon.pos_tagger(self._tokenizer)

    @cached_property
    def _idf(self) -> lexicon.IdfTable:
        return lexicon.idf_table(self._tokenizer)

    def candidates(self, document: Document) -> list[Candidate]:
        """Candidates, best first (score, then count, then text)."""
        blocks = [block for block in document.blocks if block.kind != BlockKind.TABLE or block.text]
        outer = [mention for mention in document.mentions if mention.inside is None]
        mentions = _by_block(outer)
        found: dict[str, _Found] = {}
        for item, block, start in self._spans(blocks, mentions):
            if not _known(mentions.get(block.id, _NONE), start, start + len(item.zh)):
                kept = found.setdefault(item.zh, item)
                if _WEIGHT[item.kind] > _WEIGHT[kept.kind]:  # the strongest source names the candidate
                    item.count, found[item.zh], kept = kept.count, item, item
                kept.en = kept.en or item.en
                kept.count += 1
        text = "\n".join(block.text for block in blocks)
        out = []
        for item in found.values():
            if self._composer is not None and self._composer.known(item.zh):
                continue  # a glossary form the tagger refused here (a cut word, an unconfirmed short form)
            if self._composer is not None and item.en is None:
                item.en = self._composer.english(item.zh)
                item.en_source = "composition" if item.en else None
            count = item.count if item.kind == "term" else max(item.count, text.count(item.zh))
            if item.kind == "term" and count < 2:
                continue  # used once outside the glossary's terms: not yet a term of this document
            out.append(
                Candidate(
                    kind=item.kind,
                    zh=item.zh,
                    en=item.en,
                    en_source=item.en_source or ("document" if item.en else None),
                    abbreviation=item.abbreviation,
                    count=count,
                    score=round(self._score(item, count), 4),
                    examples=_examples(blocks, item.zh),
                )
            )
        return sorted(out, key=lambda c: (-(c.score or 0.0), -c.count, c.zh))

    def _spans(self, blocks: list[Block], mentions: dict[str, _BlockMentions]) -> Iterator[tuple[_Found, Block, int]]:
        for block in blocks:
            for match in _TITLE.finditer(block.text):
                yield _Found("title", match.group(1).strip()), block, match.start(1)
            for match in _QUOTED.finditer(block.text):
                yield _Found("quoted", match.group(1).strip()), block, match.start(1)
            for match in _PARENTHETICAL.finditer(block.text):
                en, abbreviation = _split_parenthesis(match.group(2))
                name, offset = self._trailing_name(match.group(1))
                yield _Found("parenthetical", name, en, abbreviation), block, match.start(1) + offset
            for match in _LATIN_SHORT.finditer(block.text):
                yield _Found("acronym", match.group()), block, match.start()
        yield from self._recurring(blocks, mentions)

    def _recurring(
        self, blocks: list[Block], mentions: dict[str, _BlockMentions]
    ) -> Iterator[tuple[_Found, Block, int]]:
        """Word-like strings (see :mod:`ccpipe.terms.ngrams`) at each of their occurrences."""
        for gram in word_like(block.text for block in blocks if block.kind != BlockKind.FOOTNOTE):
            if gram.entropy < _MIN_ENTROPY or gram.cohesion <= 0 or not self._nominal(gram.text):
                continue
            self._grams[gram.text] = gram
            for block in blocks:
                at = block.text.find(gram.text)
                while at != -1:
                    yield _Found("term", gram.text), block, at
                    at = block.text.find(gram.text, at + 1)

    def _nominal(self, text: str) -> bool:
        """Whether a string ends in a noun (the head of a Chinese term) and is not a general word."""
        pairs = list(self._pos.cut(text))
        heads = _HEAD_POS if len(pairs) == 1 else (*_HEAD_POS, "v")  # 碳|排放, 减污|降碳: policy terms
        if not pairs or not pairs[-1].flag.startswith(heads) or pairs[0].flag.startswith(_NOT_FIRST):
            return False
        if pairs[-1].flag.startswith("v") and len(pairs[-1].word) < 2:
            return False  # a verb of one character ends a clause (发展中国家|提), not a term
        if len(pairs) == 1 and len(text) <= 3:  # a short word: a term only if general Chinese rarely uses it
            idf, median = self._idf.idf_freq, self._idf.median_idf
            return idf.get(text, median) >= _GENERAL_IDF * median
        return True

    def _score(self, item: _Found, count: int) -> float:
        words = [word for word in self._tokenizer.lcut(item.zh) if word.strip()] or [item.zh]
        idf, median = self._idf.idf_freq, self._idf.median_idf
        rarity = sum(min(idf.get(word, median), median) for word in words) / (len(words) * median)
        field_share = self._composer.field_share(words) if self._composer is not None else 0.5
        # A title, quote or parenthetical is marked as a name by the document itself; a recurring string
        # or a short form must also be uncommon in general Chinese to be a term.
        marked = item.kind in ("title", "quoted", "parenthetical")
        score = _WEIGHT[item.kind] * (0.5 + field_share) * (1.0 if marked else rarity**2) * (1 + math.log(count))
        gram = self._grams.get(item.zh)
        if item.kind == "term" and gram is not None:  # varied neighbours: a word of its own, not a fragment
            score *= min(gram.entropy, _FULL_ENTROPY) / _FULL_ENTROPY
        return score

    def _trailing_name(self, run: str) -> tuple[str, int]:
        """The name at the end of a run of Chinese: leading verbs and particles (召集, 建立了…) dropped."""
        words = list(self._pos.cut(run))
        start = 0
        for index, pair in enumerate(words):
            if pair.flag.startswith(_NAME_START):
                break
            start = index + 1
        offset = sum(len(pair.word) for pair in words[:start])
        return run[offset:].strip("“”"), offset


def _split_parenthesis(inside: str) -> tuple[str | None, str | None]:
    """English name and abbreviation from the inside of （…）: "Name, ABBR", "ABBR" or "Name"."""
    head, _, tail = inside.rpartition(",")
    if head and _ACRONYM.match(tail.strip()):
        return head.strip(), tail.strip()
    if _ACRONYM.match(inside) and inside.upper() == inside:
        return None, inside
    return inside, None


class _BlockMentions:
    """A block's mentions sorted by start, with the furthest end reached so far at each: the mentions that
    overlap a span are found by bisection, so a block with thousands of mentions is not quadratic."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.mentions]
        self.reach = list(itertools.accumulate((m.end for m in self.mentions), max))

    def overlapping(self, start: int, end: int) -> list[Mention]:
        last = bisect.bisect_left(self.starts, end)  # the mentions that start before ``end``
        first = last
        while first > 0 and self.reach[first - 1] > start:
            first -= 1
        return [m for m in self.mentions[first:last] if m.end > start]


def _by_block(mentions: list[Mention]) -> dict[str, _BlockMentions]:
    spans: dict[str, list[Mention]] = {}
    for mention in mentions:
        spans.setdefault(mention.block_id, []).append(mention)
    return {block_id: _BlockMentions(found) for block_id, found in spans.items()}


_NONE = _BlockMentions([])


def _known(mentions: _BlockMentions, start: int, end: int) -> bool:
    """Whether a span is a mention, inside one or cuts one: a span holding whole mentions is a longer name."""
    return any(
        not (start <= m.start and m.end <= end and (start, end) != (m.start, m.end))
        for m in mentions.overlapping(start, end)
    )


def _examples(blocks: list[Block], term: str) -> list[str]:
    out: list[str] = []
    for block in blocks:
        for sentence in block.sentences or []:
            text = block.text[sentence.start : sentence.end]
            if term in text:
                out.append(text)
                if len(out) == _EXAMPLES:
                    return out
    return out
