"""Tagging: find glossary terms in block text, on the raw characters, independent of segmentation.

Matching is leftmost-longest over every surface form of every entry, with one Aho-Corasick automaton
per glossary, on the search copy of the text (see :mod:`ccpipe.terms.searchtext`: width, traditional
characters, dashes and white space folded), with offsets mapped back exactly. Chinese forms match
anywhere; forms that begin or end with a Latin letter or digit need an ASCII alphanumeric boundary there
(``G7`` is not in ``G77``) and match case-sensitively. A form written with book-title marks
(``《公约》``) matches only with the marks, and the mention is the text inside them. A numbered session of
a treaty body (``COP26``, ``COP 28``, ``CMA5``) is one mention: of the session's own entry when the
glossary has one, else of the body. A match inside one of its entry's ``negative_contexts`` is dropped,
and whenever the longest match at a position is refused, the next-longest there is tried. Entries may
be given priority levels (a supplementary thesaurus below the curated glossary): a lower level's matches
only fill the gaps a higher level's leave.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from ccpipe.models import Block, BlockKind
from ccpipe.terms.glossary import Glossary
from ccpipe.terms.searchtext import search_copy, search_key

_TAGGED_KINDS = frozenset(
    {BlockKind.TITLE, BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.FOOTNOTE, BlockKind.TABLE}
)
# Treaty bodies that meet in numbered sessions (COP26, CMA5, CMP18, SBSTA58).
_SESSION_BODIES = frozenset({"COP", "CMA", "CMP", "SBSTA", "SBI"})
_SESSION_NUMBER = re.compile(r" ?([0-9]{1,3})(?![A-Za-z0-9])")
_SESSION_FORM = re.compile(r"([A-Z]+) ?([0-9]{1,3})")


class Match(NamedTuple):
    """A glossary hit inside one block: ``block.text[start:end] == text``.

    A named tuple rather than a frozen dataclass: tagging creates one per term, and a frozen dataclass
    costs three times as much to build.
    """

    block_id: str
    start: int
    end: int
    text: str
    entry_id: str


# A match in the copy: where the next match may start, the mention's start and end, the entry.
_Hit = tuple[int, int, int, str]


@dataclass(frozen=True, slots=True)
class _Form:
    """One surface form as the automaton sees it."""

    key: str
    entry_id: str
    titled: bool  # written 《…》: only matches with the marks, the mention is inside
    latin_start: bool
    latin_end: bool
    session_body: bool
    plain: bool  # none of the checks below apply: the match is accepted as found
    level: int  # priority: lower levels choose first, higher ones fill the gaps
    # (where the key sits inside the phrase, the phrase): contexts in which this form must not match
    negatives: tuple[tuple[int, str], ...]


class Matcher:
    """The compiled surface forms of a glossary (or of a document's own abbreviations)."""

    def __init__(
        self, glossary: Glossary, extra: Iterable[tuple[str, str]] = (), levels: Mapping[str, int] | None = None
    ) -> None:
        """``levels``: entry id → priority (0, the default, is highest), e.g. 1 for a supplementary glossary's
        entries, whose matches then only fill the gaps the curated ones leave (扩大气候投融资 keeps 气候投融资
        rather than lose it to a thesaurus' 大气). By default the glossary's own: the order its locations
        were loaded in."""
        levels = glossary.levels if levels is None else levels
        self.glossary = glossary
        self._forms: dict[str, _Form] = {}
        self._sessions: dict[tuple[str, str], str] = {}
        for entry in glossary.entries:
            negatives = [search_key(phrase) for phrase in entry.negative_contexts]
            level = levels.get(entry.id, 0) if levels else 0
            for surface in entry.surfaces():
                self._add(surface, entry.id, negatives, level)
        for surface, entry_id in extra:
            self._add(surface, entry_id, [], 0)
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

    def find(self, block_id: str, text: str, extra: Matcher | None = None) -> list[Match]:
        """Leftmost-longest matches in ``text``; ``extra`` adds its forms as if they were this glossary's."""
        copy, offsets = search_copy(text)
        by_level: dict[int, dict[int, tuple[int, _Form]]] = {}
        for matcher in (self, extra):
            if matcher is not None and matcher._automaton is not None:
                matcher._candidates(copy, by_level)
        taken: list[tuple[int, _Hit]] = []
        for level in sorted(by_level):
            taken = self._select(copy, level, by_level[level], taken, extra)
        if not offsets.breaks:  # nothing was dropped from the copy: its offsets are the text's
            return [Match(block_id, start, end, text[start:end], entry_id) for _, (_, start, end, entry_id) in taken]
        matches = []
        for _, (_, inner_start, inner_end, entry_id) in taken:
            start, end = offsets.span(inner_start, inner_end)
            matches.append(Match(block_id, start, end, text[start:end], entry_id))
        return matches

    def _select(
        self,
        copy: str,
        level: int,
        best: dict[int, tuple[int, _Form]],
        taken: list[tuple[int, _Hit]],
        extra: Matcher | None,
    ) -> list[tuple[int, _Hit]]:
        """Leftmost-longest choice among ``best`` in the gaps that ``taken`` (a higher level's) leaves."""
        spans = [(start, hit[0]) for start, hit in taken]
        chosen = list(taken)
        position = following = 0  # where the next match may start; the next taken span
        for start in sorted(best):
            if start < position:
                continue
            while following < len(spans) and spans[following][1] <= start:
                following += 1
            if following < len(spans) and spans[following][0] <= start:
                position = spans[following][1]
                continue
            limit = spans[following][0] if following < len(spans) else len(copy)
            length, form = best[start]
            hit: _Hit | None
            if form.plain and start + length <= limit:  # most Chinese terms: no check to make
                hit = (start + length, start, start + length, form.entry_id)
            else:
                hit = self._accept(copy, start, form, limit) or self._next_longest(
                    copy, start, length, level, extra, limit
                )
            if hit is not None:
                chosen.append((start, hit))
                position = hit[0]
        return sorted(chosen) if taken else chosen

    def _add(self, surface: str, entry_id: str, negatives: list[str], level: int) -> None:
        key = search_key(surface)
        titled = len(key) > 2 and key[0] == "《" and key[-1] == "》"
        if not key or key in self._forms:  # the first entry to claim a folded form keeps it
            return
        session = _SESSION_FORM.fullmatch(key)
        if session:
            self._sessions.setdefault((session.group(1), session.group(2)), entry_id)
        latin_start, latin_end = _is_latin_alnum(key[0]), _is_latin_alnum(key[-1])
        contexts = tuple((at, phrase) for phrase in negatives for at in _occurrences(key, phrase))
        session_body = key in _SESSION_BODIES
        self._forms[key] = _Form(
            key=key,
            entry_id=entry_id,
            titled=titled,
            latin_start=latin_start,
            latin_end=latin_end,
            session_body=session_body,
            plain=not (titled or latin_start or latin_end or session_body or contexts),
            level=level,
            negatives=contexts,
        )

    def _candidates(self, copy: str, by_level: dict[int, dict[int, tuple[int, _Form]]]) -> None:
        """The longest form starting at each position, per priority level: level → start → (length, form)."""
        assert self._automaton is not None
        # pyahocorasick's iter_long() is not leftmost-longest (it drops matches after a failed longer
        # attempt: upstream issues #133, #185), so every match is collected and the choice made here.
        if len(self._levels) == 1:  # the usual case: no routing by level in the loop
            best = by_level.setdefault(self._levels[0], {})
            for end, value in self._automaton.iter(copy):
                start = end - value[0] + 1
                known = best.get(start)
                if known is None or known[0] < value[0]:
                    best[start] = value
            return
        for end, value in self._automaton.iter(copy):
            start = end - value[0] + 1
            best = by_level.setdefault(value[1].level, {})
            known = best.get(start)
            if known is None or known[0] < value[0]:
                best[start] = value

    def _accept(self, copy: str, start: int, form: _Form, limit: int) -> _Hit | None:
        """The match of ``form`` at ``start`` ending by ``limit`` (copy offsets), or None if refused."""
        end = start + len(form.key)
        entry_id = form.entry_id
        if form.session_body and (number := _SESSION_NUMBER.match(copy, end)):
            entry_id = self._sessions.get((form.key, number.group(1)), entry_id)
            end = number.end()
        if end > limit:
            return None
        if form.latin_start and start > 0 and _is_latin_alnum(copy[start - 1]):
            return None
        if form.latin_end and end < len(copy) and _is_latin_alnum(copy[end]):
            return None
        for at, phrase in form.negatives:
            if start >= at and copy.startswith(phrase, start - at):
                return None
        if form.titled:
            return end, start + 1, end - 1, entry_id
        return end, start, end, entry_id

    def _next_longest(
        self, copy: str, start: int, length: int, level: int, extra: Matcher | None, limit: int
    ) -> _Hit | None:
        """The longest acceptable form of ``level`` at ``start`` that is shorter than ``length``."""
        for size in self._lengths if extra is None else sorted({*self._lengths, *extra._lengths}, reverse=True):
            if size >= length or start + size > limit:
                continue
            key = copy[start : start + size]
            form = self._forms.get(key) or (extra._forms.get(key) if extra is not None else None)
            if form is not None and form.level == level and (hit := self._accept(copy, start, form, limit)):
                return hit
        return None


def tag(blocks: list[Block], matcher: Matcher, extra: Matcher | None = None) -> list[Match]:
    """Every glossary match in every taggable block, in reading order."""
    return [
        match for block in blocks if block.kind in _TAGGED_KINDS for match in matcher.find(block.id, block.text, extra)
    ]


def _occurrences(key: str, phrase: str) -> list[int]:
    return [at for at in range(len(phrase) - len(key) + 1) if phrase.startswith(key, at)]


def _is_latin_alnum(ch: str) -> bool:
    # str.isalnum() is True for Chinese characters too; boundaries are about Latin letters and digits.
    return ch.isascii() and ch.isalnum()
