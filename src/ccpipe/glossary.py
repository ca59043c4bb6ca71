"""The bilingual glossary: loading, validation and the surface forms the tagger looks for.

Source format: YAML files in ``glossary/`` (``*.yaml``), each a list of entries; see glossary/README.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import GlossaryError
from .models import Category

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


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

    def surfaces(self) -> list[str]:
        """Every form under which this entry may appear in a text."""
        forms = [self.zh, *self.zh_aliases, self.en, *self.en_aliases, *self.abbreviations]
        return list(dict.fromkeys(form.strip() for form in forms if form.strip()))


class Glossary:
    """Validated entries plus a fingerprint of the source files (for caching and provenance)."""

    def __init__(self, entries: Iterable[GlossaryEntry], fingerprint: str) -> None:
        self.entries = tuple(entries)
        self.fingerprint = fingerprint
        self._by_id = {entry.id: entry for entry in self.entries}

    def get(self, entry_id: str) -> GlossaryEntry:
        return self._by_id[entry_id]

    def __len__(self) -> int:
        return len(self.entries)


def glossary_files(location: str | Path) -> list[Path]:
    path = Path(location)
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        raise GlossaryError(path, "no *.yaml glossary files found", advice="add at least one glossary file")
    return files


def load_glossary(location: str | Path) -> Glossary:
    """Load and validate every ``*.yaml`` file at ``location`` (a directory or one file)."""
    digest = hashlib.sha256()
    entries: list[GlossaryEntry] = []
    for file in glossary_files(location):
        raw = file.read_bytes()
        digest.update(file.name.encode() + b"\0" + raw)
        entries.extend(_parse_file(file, raw))
    _check_unique(entries)
    return Glossary(entries=tuple(entries), fingerprint=digest.hexdigest()[:16])


def _parse_file(file: Path, raw: bytes) -> Iterable[GlossaryEntry]:
    try:
        data = yaml.safe_load(raw.decode("utf-8")) or []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise GlossaryError(file, f"not valid UTF-8 YAML ({exc})") from exc
    if not isinstance(data, list):
        raise GlossaryError(file, "the top level must be a list of entries")
    for position, item in enumerate(data, start=1):
        yield _parse_entry(file, position, item)


def _parse_entry(file: Path, position: int, item: Any) -> GlossaryEntry:
    name = item.get("id", f"#{position}") if isinstance(item, dict) else f"#{position}"
    if not isinstance(item, dict):
        raise GlossaryError(file, f"entry {name} is not a mapping")
    try:
        return GlossaryEntry.model_validate(item)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors())
        raise GlossaryError(file, f"entry '{name}': {problems}") from exc


def _check_unique(entries: list[GlossaryEntry]) -> None:
    seen_ids: set[str] = set()
    owners: dict[str, str] = {}
    for entry in entries:
        if entry.id in seen_ids:
            raise GlossaryError(None, f"duplicate entry id '{entry.id}'")
        seen_ids.add(entry.id)
        for surface in entry.surfaces():
            owner = owners.setdefault(surface, entry.id)
            if owner != entry.id:
                raise GlossaryError(None, f"surface form '{surface}' is claimed by both '{owner}' and '{entry.id}'")
