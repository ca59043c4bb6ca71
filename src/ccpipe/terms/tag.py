"""Tagging: find glossary terms in block text, on the raw characters, before segmentation.

Matching is leftmost-longest over every surface form of every entry, with one Aho-Corasick automaton
per glossary, on the search copy of the text (see :mod:`ccpipe.terms.searchtext`: width, traditional
characters, dashes and white space folded), with offsets mapped back exactly. Forms that begin or end with
a Latin letter or digit need an ASCII alphanumeric boundary there (``G7`` is not in ``G77``) and match
case-sensitively. A form written with book-title or quotation marks around it (``《公约》``, ``“十三五”``)
matches only with the marks, and the mention is the text inside them. A numbered session of a treaty body
(``COP26``, ``COP 28``, ``CMA5``) is one mention: of the session's own entry when the glossary has one, else
of the body. A match inside one of its entry's ``negative_contexts`` is dropped; a short Chinese form that
would cut a word of the text apart is dropped (:mod:`ccpipe.terms.words`); an ambiguous Latin short form is
dropped unless the document confirmed it (:mod:`ccpipe.terms.policy`, :mod:`ccpipe.terms.aliases`).
Whenever the longest match at a position is refused, the next-longest there is tried. Entries may be given
priority levels (a supplementary thesaurus below the curated glossary): a lower level's matches only fill
the gaps a higher level's leave.

Inside every match the terms it contains are found the same way, leftmost-longest among the shorter forms
(中国 and 气象局 in 中国气象局, 碳达峰 in 碳达峰行动方案), down to any depth: each is a match of its own with
its ``depth``, listed right after the match that contains it.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick

from ccpipe.models import Block, BlockKind
from ccpipe.terms.glossary import Glossary
from ccpipe.terms.policy import needs_confirmation, needs_word_check
from ccpipe.terms.searchtext import search_copy, search_key
from ccpipe.terms.words import WordBoundaries

_TAGGED_KINDS = frozenset(
    {BlockKind.TITLE, BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.FOOTNOTE, BlockKind.TABLE}
)
# Marks around a whole form: the form matches only with them, and the mention is what they enclose
# (《公约》 → 公约, “十三五” → 十三五); quotation marks inside a name stay part of it (“十四五”规划).
_MARKS = frozenset({("《", "》"), ("“", "”")})
# Treaty bodies that meet in numbered sessions (COP26, CMA5, CMP18, SBSTA58).
_SESSION_BODIES = frozenset({"COP", "CMA", "CMP", "SBSTA", "SBI"})
_SESSION_NUMBER = re.compile(r" ?([0-9]{1,3})(?![A-Za-z0-9])")
_SESSION_FORM = re.compile(r"([A-Z]+) ?([0-9]{1,3})")
# An English title around a short form: a capitalised word before it (function words skipped) and after it.
_TITLE_BEFORE = re.compile(r"[A-Z][A-Za-z]+(?: (?:of|the|and|for|on|in|&))* $")
_TITLE_AFTER = re.compile(r" [A-Z][a-z]")


class Match(NamedTuple):
    """A glossary hit inside one block: ``block.text[start:end] == text``; ``depth`` > 0 inside another.

    A named tuple rather than a frozen dataclass: tagging creates one per term, and a frozen dataclass
    costs three times as much to build.
    """

    block_id: str
    start: int
    end: int
    text: str
    entry_id: str
    depth: int = 0


# A match in the copy: where the next match may start, the mention's start and end, the entry, its level.
_Hit = tuple[int, int, int, str, int]


@dataclass(frozen=True, slots=True)
class _Form:
    """One surface form as the automaton sees it."""

    key: str
    entry_id: str
    titled: bool  # written 《…》 or “…”: only matches with the marks, the mention is inside
    latin_start: bool
    latin_end: bool
    session_body: bool
    word_check: bool  # a short Chinese form: must not cut a word of the text apart
    confirm: bool  # an ambiguous Latin short form: only where the document confirmed it
    plain: bool  # none of the checks below apply: the match is accepted as found
    level: int  # priority: lower levels choose first, higher ones fill the gaps
    # (where the key sits inside the phrase, the phrase): contexts in which this form must not match
    negatives: tuple[tuple[int, str], ...]


@dataclass
class _Scan:
    """One block's search: its copy, every automaton hit (ordered by end), the document's extras."""

    copy: str
    extra: Matcher | None
    confirmed: frozenset[str]
    # Every automaton hit as pyahocorasick gives it, (index of the last character, (length, form)), by end.
    hits: list[tuple[int, tuple[int, _Form]]] = field(default_factory=list)


class Matcher:
    """The compiled surface forms of a glossary (or of a document's own abbreviations)."""

    def __init__(
        self,
        glossary: Glossary,
        extra: Iterable[tuple[str, str]] = (),
        levels: Mapping[str, int] | None = None,
        words: WordBoundaries | None = None,
    ) -> None:
        """``levels``: entry id → priority (0, the default, is highest), e.g. 1 for a supplementary glossary's
        entries, whose matches then only fill the gaps the curated ones leave (扩大气候投融资 keeps 气候投融资
        rather than lose it to a thesaurus' 大气). By default the glossary's own: the order its locations
        were loaded in. ``words``: the word-boundary check for short Chinese forms (the run's jieba
        tokenizer); without it they match anywhere."""
        levels = glossary.levels if levels is None else levels
        self.glossary = glossary
        self.words = words
        self._forms: dict[str, _Form] = {}
        self._sessions: dict[tuple[str, str], str] = {}
        for entry in glossary.entries:
            negatives = [search_key(phrase) for phrase in entry.negative_contexts]
            level = levels.get(entry.id, 0) if levels else 0
            for surface in entry.surfaces():
                key = search_key(surface)
                checks = needs_word_check(key, entry.match), needs_confirmation(entry, surface)
                self._add(key, entry.id, negatives, level, *checks)
        for surface, entry_id in extra:
            key = search_key(surface)
            self._add(key, entry_id, [], 0, needs_word_check(key), False)
        # Lengths shorter than a refused match, to look for the next-longest form at its position.
        self._lengths = sorted({len(key) for key in self._forms}, reverse=True)
        self._levels = sorted({form.level for form in self._forms.values()})
        self._automaton: ahocorasick.Automaton | None = None
        if self._forms:
            automaton = ahocorasick.Automaton()
            for key, form in self._forms.items():
                automaton.add_word(key, (len(key), form))
            automaton.make_automaton()
            self._automaton = automaton

    @classmethod
    def of_surfaces(cls, glossary: Glossary, surfaces: Iterable[tuple[str, str]]) -> Matcher:
        """A matcher for extra (surface, entry id) pairs only, e.g. one document's defined short forms."""
        return cls(Glossary((), glossary.fingerprint), surfaces)

    def entry_of(self, surface: str) -> str | None:
        """The entry a surface form belongs to, if it is one (after search-copy folding)."""
        form = self._forms.get(search_key(surface))
        return form.entry_id if form else None

    def is_ambiguous(self, surface: str) -> bool:
        """Whether ``surface`` is a glossary form that the document must confirm before it is tagged."""
        form = self._forms.get(search_key(surface))
        return form is not None and form.confirm

    def ambiguous_forms(self) -> dict[str, str]:
        """Every form that needs confirmation (search-copy key) → its entry."""
        return {key: form.entry_id for key, form in self._forms.items() if form.confirm}

    def find(
        self, block_id: str, text: str, extra: Matcher | None = None, confirmed: frozenset[str] = frozenset()
    ) -> list[Match]:
        """Matches in ``text``, each followed by those inside it; ``extra`` adds its forms as if they were this
        glossary's; ``confirmed``: the ambiguous forms (search-copy keys) this document confirmed."""
        copy, offsets = search_copy(text)
        scan = _Scan(copy, extra, confirmed)
        by_level: dict[int, dict[int, tuple[int, _Form]]] = {}
        for matcher in (extra, self):  # the document's own forms first: they win a tie (see aliases)
            if matcher is not None and matcher._automaton is not None:
                matcher._candidates(scan, by_level)
        if extra is not None and extra._automaton is not None and self._automaton is not None:
            scan.hits.sort(key=_last_index)
        hits: list[tuple[_Hit, int]] = []
        for hit in self._choose(scan, by_level, 0, len(copy)):
            self._with_nested(scan, hit, 0, hits)
        matches = []
        for (_, inner_start, inner_end, entry_id, _), depth in hits:
            start, end = offsets.span(inner_start, inner_end)
            matches.append(Match(block_id, start, end, text[start:end], entry_id, depth))
        return matches

    def _with_nested(
        self,
        scan: _Scan,
        hit: _Hit,
        depth: int,
        out: list[tuple[_Hit, int]],
        entry_id: str | None = None,
        seen: set[tuple[int, int]] | None = None,
    ) -> None:
        """``hit``, then the matches inside it, each followed by its own. With ``entry_id`` (the container's entry),
        ``hit`` is that entry's own shorter name inside its container: not recorded, only searched for terms.
        ``seen``: the spans recorded inside the outermost match (a term inside two overlapping ones counts once)."""
        seen = set() if seen is None else seen
        if entry_id is None:
            out.append((hit, depth))
            entry_id = hit[3]
        else:
            depth -= 1
        _, start, end, _, level = hit
        if end - start < 3:  # a form has two characters at least: nothing shorter fits inside
            return
        # The hits ending inside the span: last character at start + 1 (two characters at least) to end - 1.
        low = bisect_left(scan.hits, start + 1, key=_last_index)
        high = bisect_right(scan.hits, end - 1, key=_last_index)
        by_level: dict[int, dict[int, tuple[int, _Form]]] = {}
        for last, (length, form) in scan.hits[low:high]:
            first = last - length + 1
            if first < start or (first == start and length >= end - start) or form.level > level:
                continue
            best = by_level.setdefault(form.level, {})
            known = best.get(first)
            if known is None or known[0] < length:
                best[first] = (length, form)
        chosen = self._choose(scan, by_level, start, end)
        crossing = self._crossing(scan, by_level, chosen, end)
        inners = sorted([*chosen, *crossing], key=lambda inner: (inner[1], -inner[2]))
        for inner in inners:
            # Not the container again: a shorter form grown to its span (COP → COP26) adds no reference, nor does
            # its own other name (十九大报告 in 党的十九大报告), but the terms inside that name are references
            # (降碳 in 减污降碳 in 减污降碳协同增效).
            span = (inner[1], inner[2])
            if span != (start, end) and span not in seen:
                seen.add(span)
                self._with_nested(scan, inner, depth + 1, out, entry_id if inner[3] == entry_id else None, seen)

    def _crossing(
        self, scan: _Scan, by_level: dict[int, dict[int, tuple[int, _Form]]], chosen: list[_Hit], high: int
    ) -> list[_Hit]:
        """The terms inside a name that cross the leftmost-longest ones: 低碳发展 beside 绿色低碳 in 绿色低碳发展,
        转型融资 beside 气候转型 in 气候转型融资手册. The reader sees one name; it refers to both. A crossing term
        must be whole words of jieba's route, whatever its length: 碳循环 is no term in 绿色低碳循环发展 (低碳|循环),
        nor 市人民政府 in 直辖市人民政府."""
        spans = sorted((hit[1], hit[2]) for hit in chosen)  # the chosen never overlap: sorted by start and end
        found: list[_Hit] = []
        for level in sorted(by_level):
            for first, (length, form) in by_level[level].items():
                if _covered(spans, first, first + length):
                    continue
                hit = self._accept(scan, first, form, high) or self._next_longest(scan, first, length, level, high)
                if hit is None or (self.words is not None and not self.words.on_route(scan.copy, hit[1], hit[2])):
                    continue
                if not any(low <= hit[1] and hit[2] <= end for low, end in spans):
                    found.append(hit)
                    insort(spans, (hit[1], hit[2]))
        return found

    def _choose(
        self, scan: _Scan, by_level: dict[int, dict[int, tuple[int, _Form]]], low: int, high: int
    ) -> list[_Hit]:
        """Leftmost-longest hits inside ``[low, high)``, level by level, each filling the gaps of the ones before."""
        taken: list[tuple[int, _Hit]] = []
        for level in sorted(by_level):
            taken = self._select(scan, level, by_level[level], taken, low, high)
        return [hit for _, hit in taken]

    def _select(
        self,
        scan: _Scan,
        level: int,
        best: dict[int, tuple[int, _Form]],
        taken: list[tuple[int, _Hit]],
        low: int,
        high: int,
    ) -> list[tuple[int, _Hit]]:
        """Leftmost-longest choice among ``best`` in the gaps that ``taken`` (a higher level's) leaves."""
        spans = [(start, hit[0]) for start, hit in taken]
        chosen = list(taken)
        position, following = low, 0  # where the next match may start; the next taken span
        for start in sorted(best):
            if start < position:
                continue
            while following < len(spans) and spans[following][1] <= start:
                following += 1
            if following < len(spans) and spans[following][0] <= start:
                position = spans[following][1]
                continue
            limit = spans[following][0] if following < len(spans) else high
            length, form = best[start]
            hit: _Hit | None
            if form.plain and start + length <= limit:  # most longer Chinese terms: no check to make
                hit = (start + length, start, start + length, form.entry_id, level)
            else:
                hit = self._accept(scan, start, form, limit) or self._next_longest(scan, start, length, level, limit)
            if hit is not None:
                chosen.append((start, hit))
                position = hit[0]
        return sorted(chosen) if taken else chosen

    def _add(self, key: str, entry_id: str, negatives: list[str], level: int, word_check: bool, confirm: bool) -> None:
        titled = len(key) > 2 and (key[0], key[-1]) in _MARKS and key[0] not in key[1:-1]
        if not key or key in self._forms:  # the first entry to claim a folded form keeps it
            return
        session = _SESSION_FORM.fullmatch(key)
        if session:
            self._sessions.setdefault((session.group(1), session.group(2)), entry_id)
        latin_start, latin_end = _is_latin_alnum(key[0]), _is_latin_alnum(key[-1])
        contexts = tuple((at, phrase) for phrase in negatives for at in _occurrences(key, phrase))
        session_body = key in _SESSION_BODIES
        word_check = word_check and not titled
        checks = (titled, latin_start, latin_end, session_body, contexts, word_check, confirm)
        self._forms[key] = _Form(
            key=key,
            entry_id=entry_id,
            titled=titled,
            latin_start=latin_start,
            latin_end=latin_end,
            session_body=session_body,
            word_check=word_check,
            confirm=confirm,
            plain=not any(checks),
            level=level,
            negatives=contexts,
        )

    def _candidates(self, scan: _Scan, by_level: dict[int, dict[int, tuple[int, _Form]]]) -> None:
        """The longest form starting at each position, per priority level (level → start → (length, form)),
        and every hit (for the terms inside a match)."""
        assert self._automaton is not None
        # pyahocorasick's iter_long() is not leftmost-longest (it drops matches after a failed longer
        # attempt: upstream issues #133, #185), so every match is collected and the choice made here.
        hits = list(self._automaton.iter(scan.copy))
        scan.hits.extend(hits)
        single = self._levels[0] if len(self._levels) == 1 else None
        best = by_level.setdefault(single, {}) if single is not None else {}
        for end, (length, form) in hits:
            start = end - length + 1
            if single is None:
                best = by_level.setdefault(form.level, {})
            known = best.get(start)
            if known is None or known[0] < length:
                best[start] = (length, form)

    def _accept(self, scan: _Scan, start: int, form: _Form, limit: int) -> _Hit | None:
        """The match of ``form`` at ``start`` ending by ``limit`` (copy offsets), or None if refused."""
        copy = scan.copy
        end = start + len(form.key)
        entry_id = form.entry_id
        if form.session_body and (number := _SESSION_NUMBER.match(copy, end)):
            entry_id = self._sessions.get((form.key, number.group(1)), entry_id)
            end = number.end()
        elif form.confirm and (form.key not in scan.confirmed or _in_english_title(copy, start, end)):
            return None
        if end > limit:
            return None
        if form.latin_start and start > 0 and _is_latin_alnum(copy[start - 1]):
            return None
        if form.latin_end and end < len(copy) and _is_latin_alnum(copy[end]):
            return None
        for at, phrase in form.negatives:
            if start >= at and copy.startswith(phrase, start - at):
                return None
        if form.word_check and self.words is not None and self.words.cuts_word(copy, start, end):
            return None
        if form.titled:
            return end, start + 1, end - 1, entry_id, form.level
        return end, start, end, entry_id, form.level

    def _next_longest(self, scan: _Scan, start: int, length: int, level: int, limit: int) -> _Hit | None:
        """The longest acceptable form of ``level`` at ``start`` that is shorter than ``length``."""
        extra = scan.extra
        for size in self._lengths if extra is None else sorted({*self._lengths, *extra._lengths}, reverse=True):
            if size >= length or start + size > limit:
                continue
            key = scan.copy[start : start + size]
            form = (extra._forms.get(key) if extra is not None else None) or self._forms.get(key)
            if form is not None and form.level == level and (hit := self._accept(scan, start, form, limit)):
                return hit
        return None


def tag(
    blocks: list[Block], matcher: Matcher, extra: Matcher | None = None, confirmed: frozenset[str] = frozenset()
) -> list[Match]:
    """Every glossary match in every taggable block, in reading order, nested ones after their container."""
    return [
        match
        for block in blocks
        if block.kind in _TAGGED_KINDS
        for match in matcher.find(block.id, block.text, extra, confirmed)
    ]


def outermost(matches: Iterable[Match]) -> list[Match]:
    """The matches not inside another one (what a reader sees marked up)."""
    return [match for match in matches if match.depth == 0]


def _in_english_title(copy: str, start: int, end: int) -> bool:
    """Whether a short form stands inside an English title (Journal of the HAC Studies, 《CCP Review》)."""
    before = copy[max(0, start - 40) : start]
    if _TITLE_BEFORE.search(before) and _TITLE_AFTER.match(copy, end):
        return True
    opening = before.rfind("《")
    if opening == -1 or "》" in before[opening:]:
        return False
    closing = copy.find("》", end)
    title = before[opening + 1 :] + copy[end : closing if closing != -1 else end]
    return any(ch.isascii() and ch.isalpha() for ch in title)


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans`` (sorted)."""
    return any(last >= end for _, last in spans[: bisect_right(spans, (start, math.inf))])


def _last_index(hit: tuple[int, tuple[int, _Form]]) -> int:
    return hit[0]


def _occurrences(key: str, phrase: str) -> list[int]:
    return [at for at in range(len(phrase) - len(key) + 1) if phrase.startswith(key, at)]


def _is_latin_alnum(ch: str) -> bool:
    # str.isalnum() is True for Chinese characters too; boundaries are about Latin letters and digits.
    return ch.isascii() and ch.isalnum()
