"""What the catalogue knows about each output folder, and ``manifest.json`` that remembers it between runs.

The manifest is the catalogue's memory: a document's ``first_published`` and ``updated`` times are carried
over from the previous manifest while its output files hash the same, so rebuilding an unchanged output
folder gives byte-identical files, and the feed tells readers only about briefs that really changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
# The files a document's folder may hold, in the order the catalogue lists them.
OUTPUT_FILES = (
    "brief.html", "brief.pdf", "brief.en.html", "brief.en.pdf", "brief.docx", "brief.md", "document.json",
    "candidates.csv",
)  # fmt: skip
# Folders in the output directory that are not documents (run logs and the like).
RESERVED_DIRS = frozenset({"runs"})
TOP_ENTITIES = 12


class _Lenient(BaseModel):
    # Read only what the catalogue needs: a document.json from a newer ccpipe with more fields still lists.
    model_config = ConfigDict(extra="ignore")


class _SourceIn(_Lenient):
    path: str
    sha256: str
    pages: int = 0
    format: str | None = None


class _InfoIn(_Lenient):
    id: str
    title: str
    title_en: str | None = None
    publisher: str | None = None
    date: str | None = None
    source: _SourceIn


class EntityRef(BaseModel):
    id: str
    zh: str
    en: str
    category: str
    count: int


class _CoverageIn(_Lenient):
    characters: int
    translated_characters: dict[str, int]


class _DocumentIn(_Lenient):
    document: _InfoIn
    entities: list[EntityRef] = Field(default_factory=list)
    translation: _CoverageIn | None = None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(_Strict):
    path: str
    sha256: str
    pages: int
    format: str | None = None


class OutputFile(_Strict):
    name: str
    sha256: str
    size: int


class Entry(_Strict):
    """One document in the catalogue; ``dir`` is its folder under the output directory (the links' base)."""

    dir: str
    id: str
    title: str
    title_en: str | None = None
    date: str | None = None
    publisher: str | None = None
    source: SourceRef
    files: list[OutputFile]
    entities: list[EntityRef] = Field(default_factory=list)  # the main ones, most mentioned first
    # Share of the text with English the brief shows (document.json's translation coverage), in percent.
    translated: int | None = None
    feed_id: str
    first_published: str
    updated: str

    def has(self, name: str) -> bool:
        return any(f.name == name for f in self.files)


class CatalogWarning(_Strict):
    dir: str
    code: str
    message: str


class Manifest(_Strict):
    manifest_version: int = MANIFEST_VERSION
    updated: str | None = None
    documents: list[Entry] = Field(default_factory=list)
    warnings: list[CatalogWarning] = Field(default_factory=list)


class Scanned(BaseModel):
    """A document folder as found now, before timestamps are decided."""

    dir: str
    document: _DocumentIn
    files: list[OutputFile]


def timestamp(moment: datetime) -> str:
    """UTC to the second, ``Z``-suffixed: naive datetimes are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _file_record(path: Path) -> OutputFile:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return OutputFile(name=path.name, sha256=digest.hexdigest(), size=path.stat().st_size)


def _is_document_dir(path: Path) -> bool:
    name = path.name
    hidden_or_temp = name.startswith((".", "~")) or name.endswith((".tmp", "~", ".part"))
    return path.is_dir() and not hidden_or_temp and name not in RESERVED_DIRS


def scan(output_dir: Path) -> tuple[list[Scanned], list[CatalogWarning]]:
    """Every folder with a readable document.json, and a warning for each folder that has none."""
    found: list[Scanned] = []
    warnings: list[CatalogWarning] = []
    dirs = sorted(p for p in output_dir.iterdir() if _is_document_dir(p)) if output_dir.is_dir() else []
    for folder in dirs:
        doc_path = folder / "document.json"
        if not doc_path.is_file():
            warnings.append(CatalogWarning(dir=folder.name, code="CATALOG_NO_DOCUMENT", message="no document.json"))
            continue
        try:
            document = _DocumentIn.model_validate_json(doc_path.read_bytes())
        except (ValidationError, OSError) as exc:
            # A half-written or foreign folder must not stop the catalogue; it is listed as skipped.
            warnings.append(CatalogWarning(dir=folder.name, code="CATALOG_BAD_DOCUMENT", message=_reason(exc)))
            continue
        files = [_file_record(folder / name) for name in OUTPUT_FILES if (folder / name).is_file()]
        found.append(Scanned(dir=folder.name, document=document, files=files))
    return found, warnings


def _reason(exc: ValidationError | OSError) -> str:
    if isinstance(exc, OSError):
        return f"document.json unreadable: {exc.strerror or exc}"
    problems = [f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors()[:3]]
    return f"document.json is not a ccpipe document ({'; '.join(problems)})"


def read_manifest(output_dir: Path) -> Manifest:
    """The previous manifest, or an empty one when there is none or it cannot be read (it is rebuilt anyway)."""
    path = output_dir / MANIFEST_NAME
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        return Manifest()


def top_entities(entities: Iterable[EntityRef], limit: int = TOP_ENTITIES) -> list[EntityRef]:
    return sorted(entities, key=lambda e: (-e.count, e.zh, e.id))[:limit]


def _feed_ids(scanned: list[Scanned], before: dict[str, Entry]) -> dict[str, str]:
    """Each folder's Atom id: kept while its source is the same file, else made from the source's hash.

    The hash names the report wherever the folder is served; a second copy of one file gets its folder appended.
    """
    ids: dict[str, str] = {}
    for item in scanned:
        old = before.get(item.dir)
        if old is not None and old.source.sha256 == item.document.document.source.sha256:
            ids[item.dir] = old.feed_id
    taken = set(ids.values())
    for item in scanned:
        if item.dir not in ids:
            feed_id = f"urn:sha256:{item.document.document.source.sha256}"
            ids[item.dir] = feed_id if feed_id not in taken else f"{feed_id}#{item.dir}"
            taken.add(ids[item.dir])
    return ids


def _translated(document: _DocumentIn) -> int | None:
    coverage = document.translation
    if coverage is None or not coverage.characters:
        return None
    return round(100 * sum(coverage.translated_characters.values()) / coverage.characters)


def reconcile(scanned: list[Scanned], previous: Manifest, now: datetime) -> tuple[list[Entry], list[Entry]]:
    """Entries for what was scanned, with timestamps carried over where the files are unchanged.

    Returns (all entries, newest first; the new or updated ones): ``now`` stamps only the latter.
    """
    stamp = timestamp(now)
    before = {entry.dir: entry for entry in previous.documents}
    feed_ids = _feed_ids(scanned, before)
    entries: list[Entry] = []
    changed: list[Entry] = []
    for item in scanned:
        info = item.document.document
        old = before.get(item.dir)
        unchanged = old is not None and old.files == item.files
        entry = Entry(
            dir=item.dir,
            id=info.id,
            title=info.title,
            title_en=info.title_en,
            date=info.date,
            publisher=info.publisher,
            source=SourceRef(**info.source.model_dump(include={"path", "sha256", "pages", "format"})),
            files=item.files,
            entities=top_entities(item.document.entities),
            translated=_translated(item.document),
            feed_id=feed_ids[item.dir],
            first_published=old.first_published if old is not None else stamp,
            updated=old.updated if old is not None and unchanged else stamp,
        )
        entries.append(entry)
        if not unchanged:
            changed.append(entry)
    return newest_first(entries), newest_first(changed)


def newest_first(entries: list[Entry]) -> list[Entry]:
    """By the document's own date, newest first (ISO dates, so text order is time order), then title; undated last."""
    ordered = sorted(entries, key=lambda e: (e.title, e.dir))
    # Stable sorts: the second keeps title order among documents of the same date.
    return sorted(ordered, key=lambda e: e.date or "", reverse=True)


def manifest_json(manifest: Manifest) -> bytes:
    data = manifest.model_dump(mode="json")
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
