"""The translation memory: every Chinese-English pair ccpipe has seen, in one SQLite file.

Pairs come from official editions (the aligner's sure links), imported XLIFF/PO and TMX from other tools.
A lookup finds the exact normalised source, else the closest one by rapidfuzz's ratio on the normalised
text, with its percentage; at equal scores the better origin (official before human before memory before
machine), then the earlier entry wins, so lookups are deterministic.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ccpipe.translate.units import Origin, TranslationUnit, unit_id

MEMORY_FILE = "memory.sqlite"
FUZZY_THRESHOLD = 75  # percent; below this a match costs the translator more than it saves
_SPACE = re.compile(r"\s+")
_RANK = {Origin.OFFICIAL: 0, Origin.HUMAN: 1, Origin.MEMORY: 2, Origin.MACHINE: 3}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pairs (
    id INTEGER PRIMARY KEY,
    normalised TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL,
    rank INTEGER NOT NULL,
    provenance TEXT NOT NULL DEFAULT '',
    UNIQUE (normalised, target)
);
CREATE INDEX IF NOT EXISTS pairs_normalised ON pairs (normalised);
"""


def normalise(text: str) -> str:
    """The form sources are compared in: spaces collapsed and trimmed, full-width ASCII folded."""
    folded = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text)
    return _SPACE.sub(" ", folded).strip()


@dataclass(frozen=True)
class Match:
    source: str
    target: str
    origin: Origin
    percent: int  # 100 for an exact match


class Memory:
    """One SQLite translation memory; open it with :func:`open_memory`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._db.executescript(_SCHEMA)
        self._sources: list[tuple[str, int]] | None = None  # normalised sources, loaded once per lookup run

    def close(self) -> None:
        self._db.close()

    def add(self, pairs: Iterable[tuple[str, str, Origin, str]]) -> int:
        """Add (source, target, origin, provenance) pairs; a pair already held keeps its first origin.
        Returns the number of new pairs."""
        rows = [
            (normalise(source), source, target.strip(), origin.value, _RANK[origin], provenance)
            for source, target, origin, provenance in pairs
            if source.strip() and target.strip()
        ]
        before = self.count()
        with self._db:
            self._db.executemany(
                "INSERT OR IGNORE INTO pairs (normalised, source, target, origin, rank, provenance)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
        self._sources = None
        return self.count() - before

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM pairs").fetchone()[0])

    def _best(self, normalised: str) -> tuple[str, str, str] | None:
        row = self._db.execute(
            "SELECT source, target, origin FROM pairs WHERE normalised = ? ORDER BY rank, id LIMIT 1", (normalised,)
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def exact(self, source: str) -> Match | None:
        found = self._best(normalise(source))
        return Match(found[0], found[1], Origin(found[2]), 100) if found else None

    def lookup(self, source: str, threshold: int = FUZZY_THRESHOLD) -> Match | None:
        """The exact match of ``source``, else the closest at or above ``threshold`` percent."""
        from rapidfuzz import fuzz, process

        key = normalise(source)
        exact = self._best(key)
        if exact is not None:
            return Match(exact[0], exact[1], Origin(exact[2]), 100)
        if self._sources is None:
            rows = self._db.execute("SELECT normalised, MIN(id) FROM pairs GROUP BY normalised ORDER BY MIN(id)")
            self._sources = [(row[0], row[1]) for row in rows]
        found = process.extractOne(key, [s for s, _ in self._sources], scorer=fuzz.ratio, score_cutoff=threshold)
        if found is None:
            return None
        best = self._best(found[0])
        assert best is not None
        return Match(best[0], best[1], Origin(best[2]), min(99, int(found[1])))

    def units(self) -> Iterator[TranslationUnit]:
        rows = self._db.execute("SELECT source, target, origin, provenance FROM pairs ORDER BY id")
        for number, (source, target, origin, provenance) in enumerate(rows, 1):
            yield TranslationUnit(f"{unit_id(source)}-tm{number}", source, target, Origin(origin), None, provenance)


def open_memory(path: Path) -> closing[Memory]:
    """The memory at ``path`` (created if missing), closed at the end of a ``with`` block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return closing(Memory(sqlite3.connect(path, timeout=60)))  # parallel workers wait for each other


def tmx_pairs(data: bytes, origin: Origin = Origin.MEMORY) -> list[tuple[str, str, Origin, str]]:
    """The Chinese-English pairs of a TMX file from any tool (``tuv`` languages zh* and en*), with the
    origin ccpipe recorded in its ``x-origin`` property when it wrote the file."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(data, parser)
    pairs = []
    for tu in root.iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower()
            seg = tuv.find("seg")
            if seg is not None:
                texts.setdefault(lang[:2], "".join(seg.itertext()))
        prop = tu.find("prop[@type='x-origin']")
        kind = Origin(prop.text) if prop is not None and prop.text in Origin._value2member_map_ else origin
        note = tu.find("note")
        if "zh" in texts and "en" in texts:
            pairs.append((texts["zh"], texts["en"], kind, note.text or "" if note is not None else ""))
    return pairs
