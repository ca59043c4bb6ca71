"""The translation round trip: export a document's units pre-filled, import a translated file with QA.

An import never applies what does not fit the document: a unit id the document lacks (``IMPORT_UNKNOWN_UNIT``)
or whose source text differs from the document's (``IMPORT_SOURCE_CHANGED``, an export of another version)
is reported and left out. Every other unit with English is checked (:mod:`ccpipe.translate.qa`) and recorded
with its state, origin and QA codes; a unit marked ``final`` by its reviewer counts as accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ccpipe.models import Document
from ccpipe.textutil import join_fragments
from ccpipe.translate.memory import Match, Memory, normalise
from ccpipe.translate.qa import EMPTY, Problem, check_unit
from ccpipe.translate.segments import SourceUnit
from ccpipe.translate.store import State, Translations, UnitTranslation
from ccpipe.translate.units import Origin, official_units
from ccpipe.translate.xliff import ReadUnit, source_mrk_ids

UNKNOWN_UNIT = "IMPORT_UNKNOWN_UNIT"
SOURCE_CHANGED = "IMPORT_SOURCE_CHANGED"
JOINED = "joined"  # the subState of a unit whose English the previous unit carries
_ORIGINS = {origin.value: origin for origin in Origin}


JOIN_MAX = 3  # sentences one English sentence may render (an n:1 link of the official edition)


def _memory_fill(match: Match) -> UnitTranslation:
    state = State.TRANSLATED if match.percent == 100 else State.INITIAL
    return UnitTranslation(
        source=match.source, target=match.target, state=state, origin=Origin.MEMORY, match=match.percent
    )


def _joined_match(units: list[SourceUnit], index: int, memory: Memory) -> tuple[Match, int] | None:
    """An exact match of this unit joined with the next ones of its paragraph, and how many it joins:
    where the official English renders two Chinese sentences as one, the memory holds them together."""
    for count in range(2, JOIN_MAX + 1):
        run = units[index : index + count]
        if len(run) < count or run[-1].paragraph != run[0].paragraph:
            return None
        found = memory.exact(join_fragments([unit.text for unit in run]))
        if found is not None:
            return found, count
    return None


def prefilled(units: list[SourceUnit], recorded: Translations, memory: Memory | None) -> dict[str, UnitTranslation]:
    """What an export carries for each unit: its recorded translation, else the memory's best match
    (state ``translated`` for an exact match, ``initial`` for a fuzzy one, origin ``memory``), else an exact
    match of the unit joined with the next ones (the English on the first, the others marked ``joined``)."""
    done: dict[str, UnitTranslation] = {}
    for index, unit in enumerate(units):
        known = recorded.units.get(unit.id)
        if unit.id in done:
            continue  # joined to the previous unit
        if known is not None and known.source == unit.text and (known.target or known.joined):
            done[unit.id] = known
            continue
        if memory is None:
            continue
        match = memory.lookup(unit.text)
        joined = _joined_match(units, index, memory) if match is None or match.percent < 100 else None
        if joined is not None:
            found, count = joined
            done[unit.id] = _memory_fill(found).model_copy(update={"source": unit.text})
            for follower in units[index + 1 : index + count]:
                done[follower.id] = UnitTranslation(
                    source=follower.text, target="", state=State.TRANSLATED, origin=Origin.MEMORY, match=100,
                    joined=True,
                )  # fmt: skip
        elif match is not None:
            done[unit.id] = _memory_fill(match).model_copy(update={"source": unit.text})
    return done


@dataclass
class ImportReport:
    applied: int = 0
    untouched: int = 0  # units left in state initial (unconfirmed memory matches)
    problems: list[Problem] = field(default_factory=list)

    def codes(self) -> dict[str, list[str]]:
        """Unit ids by problem code."""
        found: dict[str, list[str]] = {}
        for problem in self.problems:
            found.setdefault(problem.code, []).append(problem.unit_id)
        return found


def _origin(read: ReadUnit, match: int | None) -> Origin:
    if read.origin in _ORIGINS:
        return _ORIGINS[read.origin]
    return Origin.MEMORY if match is not None else Origin.HUMAN


def import_units(
    units: list[SourceUnit],
    read: list[ReadUnit],
    recorded: Translations,
    variants: Mapping[str, frozenset[str]] = {},
) -> ImportReport:
    """Check ``read`` against the document's ``units`` and record the fitting ones into ``recorded``."""
    by_id = {unit.id: unit for unit in units}
    report = ImportReport()
    for item in read:
        unit = by_id.get(item.id)
        if unit is None:
            report.problems.append(Problem(UNKNOWN_UNIT, item.id, "no such unit in the document"))
            continue
        if normalise(item.source) != normalise(unit.text):
            report.problems.append(Problem(SOURCE_CHANGED, item.id, "the source differs from the document's"))
            continue
        if item.origin == JOINED and not item.target.strip():
            recorded.units[item.id] = UnitTranslation(
                source=unit.text, target="", state=item.state, origin=Origin.MEMORY, match=100, joined=True
            )
            report.applied += 1
            continue
        if item.state == State.INITIAL and item.target.strip():
            report.untouched += 1  # a fuzzy pre-fill nobody confirmed: not a translation yet
            continue
        problems = check_unit(unit, item.target, item.target_inline, source_mrk_ids(unit), variants)
        report.problems += problems
        if [p for p in problems if p.code == EMPTY]:
            continue
        before = recorded.units.get(item.id)
        match = before.match if before is not None and before.target == item.target else None
        state = item.state
        recorded.units[item.id] = UnitTranslation(
            source=unit.text,
            target=item.target,
            state=state,
            origin=_origin(item, match),
            match=match,
            qa=sorted({p.code for p in problems}),
            accepted=state == State.FINAL or bool(before and before.accepted and before.target == item.target),
        )
        report.applied += 1
    return report


def official_pairs(document: Document) -> list[tuple[str, str, Origin, str]]:
    """The pairs an aligned document gives the memory: its sure sentence links, and its heading and title
    block links (which the sentence level does not hold)."""
    pairs = [(u.source, u.target, Origin.OFFICIAL, u.note) for u in official_units(document)]
    alignment = document.alignment
    if alignment is None:
        return pairs
    blocks = {block.id: block for block in document.blocks}
    targets = {block.id: block.text for block in alignment.edition.blocks}
    for link in alignment.links:
        if link.confidence < alignment.threshold or len(link.source) != 1 or len(link.target) != 1:
            continue
        block = blocks[link.source[0].block_id]
        if block.kind.value in ("heading", "title"):
            pairs.append((block.text, targets[link.target[0].block_id], Origin.OFFICIAL, link.id))
    return pairs
