"""A document's translations: ``translations.json`` beside its ``document.json``.

One record per unit id with the English, its state (XLIFF 2's translated, reviewed, final), its origin
(official edition, human, memory, machine), the QA codes it failed and whether a person accepted it anyway.
Written sorted and without dates, so the same translations give the same bytes (the file is part of the
document's build key).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ccpipe.translate.units import Origin

TRANSLATIONS_FILE = "translations.json"


class State(StrEnum):
    INITIAL = "initial"
    TRANSLATED = "translated"
    REVIEWED = "reviewed"
    FINAL = "final"


class UnitTranslation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    target: str
    state: State
    origin: Origin
    match: int | None = None  # the memory's match percentage, for a unit pre-filled from it
    qa: list[str] = Field(default_factory=list)  # the QA codes the unit failed
    accepted: bool = False  # a person accepted the unit despite its QA codes
    # The English of the previous unit renders this one too (an n:1 link): no English of its own.
    joined: bool = False

    @property
    def usable(self) -> bool:
        """Whether the brief may show it: translated, and clean or accepted."""
        translated = bool(self.target.strip()) or self.joined
        return self.state != State.INITIAL and translated and (not self.qa or self.accepted)


class Translations(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_id: str
    units: dict[str, UnitTranslation] = Field(default_factory=dict)

    def usable(self) -> dict[str, UnitTranslation]:
        return {uid: unit for uid, unit in self.units.items() if unit.usable}


def translations_path(folder: Path) -> Path:
    return folder / TRANSLATIONS_FILE


def read_translations(folder: Path, document_id: str) -> Translations:
    """The translations recorded in a document's output folder (none yet: an empty record)."""
    path = translations_path(folder)
    if not path.is_file():
        return Translations(document_id=document_id)
    return Translations.model_validate_json(path.read_bytes())


def translations_bytes(translations: Translations) -> bytes:
    data = translations.model_dump(mode="json")
    data["units"] = dict(sorted(data["units"].items()))
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
