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
from ccpipe.translate.memory import Memory, normalise
from ccpipe.translate.qa import EMPTY, Problem, check_unit
from ccpipe.translate.segments import SourceUnit
from ccpipe.translate.store import State, Translations, UnitTranslation
from ccpipe.translate.units import Origin, official_units
from ccpipe.translate.xliff import ReadUnit, source_mrk_ids

UNKNOWN_UNIT = "IMPORT_UNKNOWN_UNIT"
SOURCE_CHANGED = "IMPORT_SOURCE_CHANGED"
_ORIGINS = {origin.value: origin for origin in Origin}


def prefilled(units: list[SourceUnit], recorded: Translations, memory: Memory | None) -> dict[str, UnitTranslation]:
    """What an export carries for each unit: its recorded translation, else the memory's best match
    (state ``translated`` for an exact match, ``initial`` for a fuzzy one, origin ``memory``)."""
    done: dict[str, UnitTranslation] = {}
    for unit in units:
        known = recorded.units.get(unit.id)
        if known is not None and known.source == unit.text and known.target:
            done[unit.id] = known
            continue
        match = memory.lookup(unit.text) if memory is not None else None
        if match is not None:
            state = State.TRANSLATED if match.percent == 100 else State.INITIAL
            done[unit.id] = UnitTranslation(
                source=unit.text, target=match.target, state=state, origin=Origin.MEMORY, match=match.percent
            )
    return done


@dataclass
class ImportReport:
    applied: int = 0
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
        problems = check_unit(unit, item.target, item.target_inline, source_mrk_ids(unit), variants)
        report.problems += problems
        if [p for p in problems if p.code == EMPTY]:
            continue
        before = recorded.units.get(item.id)
        match = before.match if before is not None and before.target == item.target else None
        state = item.state if item.state != State.INITIAL else State.TRANSLATED
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
