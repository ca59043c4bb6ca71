"""The bilingual glossary: loading, validation and the surface forms the tagger looks for.

Source format: YAML files in ``glossary/`` (``*.yaml``), each a list of entries; the header of
glossary/terms.yaml documents the fields and matching rules. A single ``.tbx`` or ``.csv`` file may be
loaded too (see :mod:`ccpipe.terms.termbase`).

Several glossaries can be stacked in priority order (the curated one first, then supplementary ones such
as an imported UNBIS file), see :func:`load_glossaries`: a surface a higher glossary already owns is dropped
from the lower entry and recorded, while two entries of one glossary claiming a surface is an error.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ccpipe.errors import GlossaryError
from ccpipe.models import Category
from ccpipe.parsecache import JSON, cached_parse
from ccpipe.terms.fingerprint import glossary_files as glossary_files
from ccpipe.terms.fingerprint import glossary_fingerprint as glossary_fingerprint

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The longest name of the curated glossary has 135 characters (an English policy title). Far longer
# strings are not terms, and they bloat the matcher (a term of 3 million characters crashed it).
MAX_TERM_CHARS = 300
# Key under which the YAML loader records each mapping's line; never a valid entry field.
_LINE = "__line__"
# Cache entries of parsed YAML files; the number changes when what _yaml_data returns changes shape.
YAML_CACHE = "glossary-yaml-1"


class GlossaryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    category: Category
    zh: str
    en: str
    zh_aliases: list[str] = Field(default_factory=list)
    en_aliases: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)
    # Longer phrases inside which this entry's surfaces must not match (e.g. 德国 in 德国哥特体).
    negative_contexts: list[str] = Field(default_factory=list)
    # Where the English comes from (e.g. "State Council English edition", "UNFCCC", "body's own site").
    source: str | None = None
    # Where its Chinese surfaces may match: "word" only where they cut no word of the text apart (海地 is not
    # in 沿海地市), "anywhere" also inside words; unset: by length (see ccpipe.terms.policy).
    match: Literal["word", "anywhere"] | None = None
    # Whether its Latin short forms (abbreviations, acronym-like aliases) need the document to confirm them
    # (HAC, NEA); unset: by shape (see ccpipe.terms.policy).
    ambiguous: bool | None = None
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be lowercase ascii words joined by '-', e.g. paris-agreement")
        return value

    @field_validator("zh", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @model_validator(mode="after")
    def _ambiguous_needs_short_forms(self) -> GlossaryEntry:
        if self.ambiguous is not None and not (self.abbreviations or self.en_aliases):
            raise ValueError("ambiguous is about Latin short forms: give abbreviations (or English aliases) first")
        return self

    @field_validator("zh", "en", "zh_aliases", "en_aliases", "abbreviations", "negative_contexts")
    @classmethod
    def _term_length(cls, value: str | list[str]) -> str | list[str]:
        for form in [value] if isinstance(value, str) else value:
            if len(form) > MAX_TERM_CHARS:
                raise ValueError(f"a term of {len(form):,} characters; terms have at most {MAX_TERM_CHARS}")
        return value

    def surfaces(self) -> list[str]:
        """Every form under which this entry may appear in a text."""
        forms = [self.zh, *self.zh_aliases, self.en, *self.en_aliases, *self.abbreviations]
        return list(dict.fromkeys(form.strip() for form in forms if form.strip()))


@dataclass(frozen=True)
class DroppedSurface:
    """A surface of a supplementary entry that a higher-priority glossary already owns."""

    entry_id: str
    surface: str
    owner_id: str
    # The surface was the entry's zh or en: the whole entry was left out rather than lose its name.
    whole_entry: bool
    source: str


class Glossary:
    """Validated entries plus a fingerprint of the source files (for caching and provenance)."""

    def __init__(
        self,
        entries: Iterable[GlossaryEntry],
        fingerprint: str,
        dropped: Iterable[DroppedSurface] = (),
        levels: Mapping[str, int] | None = None,
    ) -> None:
        self.entries = tuple(entries)
        self.fingerprint = fingerprint
        self.dropped = tuple(dropped)
        # Entry id → priority of the glossary it came from (0: the first, curated one; 1, 2…: supplements).
        self.levels = dict(levels or {})
        self._by_id = {entry.id: entry for entry in self.entries}

    def get(self, entry_id: str) -> GlossaryEntry:
        return self._by_id[entry_id]

    def __len__(self) -> int:
        return len(self.entries)

    def dropped_entries(self) -> list[str]:
        """Ids of supplementary entries left out because their main name belongs to a higher glossary."""
        return list(dict.fromkeys(d.entry_id for d in self.dropped if d.whole_entry))


@dataclass(frozen=True)
class _Located:
    entry: GlossaryEntry
    file: Path
    line: int | None

    @property
    def where(self) -> str:
        return f"{self.file}" + (f" line {self.line}" if self.line else "")


def load_glossary(location: str | Path) -> Glossary:
    """Load and validate every ``*.yaml`` file at ``location`` (a directory or one file)."""
    return load_glossaries([location])


def load_glossaries(locations: Sequence[str | Path], cache_dir: Path | None = None) -> Glossary:
    """Load several glossaries, highest priority first (e.g. ``[Path("glossary"), Path("extra/unbis.yaml")]``).

    ``cache_dir``: where parsed YAML files are kept as JSON for the next process (:mod:`ccpipe.parsecache`).

    Inside one glossary a duplicate id or a surface claimed by two entries is an error. A lower glossary's
    entry that reuses a surface of a higher one loses that surface (recorded in ``Glossary.dropped``), or is
    left out whole when the surface is its main zh or en name; reusing a higher glossary's id is an error.
    """
    if not locations:
        raise GlossaryError(None, "no glossary location given")
    accepted: dict[str, _Located] = {}
    owners: dict[str, str] = {}
    dropped: list[DroppedSurface] = []
    levels: dict[str, int] = {}
    for level, location in enumerate(locations):
        located: list[_Located] = []
        for file in glossary_files(location):
            located.extend(_read_file(file, file.read_bytes(), cache_dir))
        _check_unique(located, settled=owners)
        for item in located:
            kept = _apply_priority(item, owners, dropped, accepted)
            if kept is not None:
                accepted[kept.entry.id] = kept
                levels[kept.entry.id] = level
                owners.update((_canonical(s), kept.entry.id) for s in kept.entry.surfaces())
    fingerprint = glossary_fingerprint(locations)
    return Glossary((a.entry for a in accepted.values()), fingerprint=fingerprint, dropped=dropped, levels=levels)


def _apply_priority(
    item: _Located, owners: dict[str, str], dropped: list[DroppedSurface], by_id: dict[str, _Located]
) -> _Located | None:
    entry = item.entry
    if entry.id in by_id:
        raise GlossaryError(
            item.file, f"duplicate entry id '{entry.id}' (also in {by_id[entry.id].where}; {item.where})"
        )
    taken = [s for s in entry.surfaces() if _canonical(s) in owners]
    if not taken:
        return item
    main = {_canonical(entry.zh), _canonical(entry.en)}
    whole = any(_canonical(s) in main for s in taken)
    for surface in taken:
        dropped.append(DroppedSurface(entry.id, surface, owners[_canonical(surface)], whole, item.where))
    if whole:
        return None
    gone = {_canonical(s) for s in taken}
    update = {
        field: [s for s in getattr(entry, field) if _canonical(s) not in gone]
        for field in ("zh_aliases", "en_aliases", "abbreviations")
    }
    return _Located(entry.model_copy(update=update), item.file, item.line)


def _canonical(surface: str) -> str:
    # As the tagger compares forms: runs of white space are one space (str.split's white space is re's \s).
    return " ".join(surface.split())


def _read_file(file: Path, raw: bytes, cache_dir: Path | None = None) -> list[_Located]:
    suffix = file.suffix.lower()
    if suffix in (".tbx", ".csv"):
        # Imported lazily: the termbase readers build on this module.
        from ccpipe.terms.termbase import parse_entries

        return [_Located(entry, file, line) for entry, line in parse_entries(file, raw)]
    return list(_parse_yaml(file, raw, cache_dir))


# libyaml's parser when present: several times faster on a large supplementary glossary.
try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _LineLoader(_SafeLoader):
    """Safe loader that records the line of every mapping, so errors can point into the file."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        mapping: dict[Hashable, Any] = super().construct_mapping(node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


def _parse_yaml(file: Path, raw: bytes, cache_dir: Path | None = None) -> Iterable[_Located]:
    # Parsing the glossary's YAML took 0.8 s of a cold run; its JSON copy reads in a fortieth of that.
    data = cached_parse(raw, cache_dir, YAML_CACHE, JSON, lambda: _yaml_data(file, raw))
    if not isinstance(data, list):
        raise GlossaryError(file, "the top level must be a list of entries")
    for position, item in enumerate(data, start=1):
        line: int | None = item.pop(_LINE, None) if isinstance(item, dict) else None
        yield _Located(validate_entry(file, item, position=position, line=line), file, line)


def _yaml_data(file: Path, raw: bytes) -> Any:
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_LineLoader) or []
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise GlossaryError(file, f"line {bad_line}: not valid UTF-8 YAML ({exc.reason})") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise GlossaryError(file, f"{where}not valid UTF-8 YAML ({exc.problem or exc})") from exc
    except yaml.YAMLError as exc:
        raise GlossaryError(file, f"not valid UTF-8 YAML ({exc})") from exc
    return data


def validate_entry(file: Path, item: Any, *, position: int, line: int | None = None) -> GlossaryEntry:
    """One entry from a parsed mapping; errors name the file, the line (where known) and the entry."""
    name = item.get("id", f"#{position}") if isinstance(item, dict) else f"#{position}"
    where = f"line {line}: " if line else ""
    if not isinstance(item, dict):
        raise GlossaryError(file, f"{where}entry {name} is not a mapping")
    try:
        return GlossaryEntry.model_validate(item)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors())
        raise GlossaryError(file, f"{where}entry '{name}': {problems}") from exc


def _check_unique(located: list[_Located], settled: Mapping[str, str]) -> None:
    """Inside one glossary no rule can decide between two owners of an id or a surface: both are errors.

    A surface a higher glossary already owns (``settled``) is not contested: it goes to that owner.
    """
    seen_ids: dict[str, _Located] = {}
    owners: dict[str, _Located] = {}
    for item in located:
        entry = item.entry
        if entry.id in seen_ids:
            raise GlossaryError(
                item.file, f"duplicate entry id '{entry.id}' ({seen_ids[entry.id].where}; {item.where})"
            )
        seen_ids[entry.id] = item
        for surface in entry.surfaces():
            if _canonical(surface) in settled:
                continue
            owner = owners.setdefault(_canonical(surface), item)
            if owner.entry.id != entry.id:
                raise GlossaryError(
                    item.file,
                    f"surface form '{surface}' is claimed by both '{owner.entry.id}' and '{entry.id}' "
                    f"({owner.where}; {item.where})",
                )
