"""Incremental runs: what changed since a document was last built, and the record of each build.

A build is keyed by the source's content hash, the glossary fingerprint, the ccpipe version, the output
formats and languages; a failure also by what it may have depended on: the password (hashed) and the limits.
Its record (``output/.state/<hash of the doc id>.json``) names the source and lists the hash of every output
written, so a run can skip a document whose key is unchanged and whose outputs are all still there, intact.
Record names are hashes so that a document id of any length or script makes a valid file name.
This module reads files and hashes only: planning a run imports neither Prefect nor the NLP stack.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ValidationError

from ccpipe import __version__
from ccpipe.atomic import write_atomic
from ccpipe.errors import SourceError
from ccpipe.extract.sources import Refused, open_regular
from ccpipe.hashing import sha256_of, sha256_of_handle
from ccpipe.publish.formats import FORMAT_FILES
from ccpipe.runs.ids import assign_ids
from ccpipe.textutil import visible

STATE_DIR = ".state"
TRANSLATIONS_FILE = "translations.json"  # ccpipe.translate.store's file; named here so planning imports nothing
# Failures that will fail again on the same bytes: not retried until the source or glossary changes.
PERMANENT_ERRORS = frozenset(
    {"SOURCE_EMPTY", "SOURCE_UNSUPPORTED", "PDF_ENCRYPTED", "PDF_BROKEN", "DOCX_BROKEN", "EXTRACT_NO_TEXT_LAYER",
     "TEXT_UNDECODABLE", "EXTRACT_CRASHED", "SOURCE_ZIP_BOMB", "SOURCE_TOO_DEEP", "DOCUMENT_OUT_OF_MEMORY",
     "DOCUMENT_CRASHED"}
)  # fmt: skip


class BuildKey(BaseModel):
    """Everything that changes a document's outputs: a different key means the document is built again."""

    source_sha256: str
    glossary: str
    version: str
    formats: list[str]
    languages: list[str] = []  # the brief's languages, in order
    # The other-language edition the document is aligned with: a change of either edition rebuilds.
    edition_sha256: str | None = None
    # The translations recorded for the document (translations.json in its output folder, see
    # ccpipe.translate.store): importing a translation rebuilds exactly the briefs it changes.
    translations_sha256: str | None = None
    # What only a failure depends on: a wrong password, a limit too tight. Empty in a success's record.
    password: str = ""
    limits: str = ""

    def of_success(self) -> BuildKey:
        """The key as a successful build records it: a new password or limit does not rebuild it."""
        return self.model_copy(update={"password": "", "limits": ""})


class BuildRecord(BaseModel):
    """What the last build of one document produced (or how it failed)."""

    document_id: str
    source: str  # the file name, for people
    key: BuildKey
    outputs: dict[str, str] = {}
    error_code: str | None = None
    error: str | None = None
    # The source's path relative to the output folder: what keeps its id from run to run ("" in old records).
    source_path: str = ""

    def built_with(self, key: BuildKey) -> bool:
        return self.key == (key if self.error_code else key.of_success())


class Planned(NamedTuple):
    """A source to build: its path, its build key and the id of its output folder."""

    path: Path
    key: BuildKey
    document_id: str


@dataclass
class Plan:
    """A run's work list: documents to build, documents skipped (and why), sources refused, outputs left by
    deleted sources."""

    build: list[Planned] = field(default_factory=list)
    # Chinese edition → its English edition, for the sources that have one.
    editions: dict[Path, Path] = field(default_factory=dict)
    unchanged: list[Planned] = field(default_factory=list)
    failed_before: list[BuildRecord] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


def source_name(path: Path, output_dir: Path) -> str:
    """A source's identity across runs: its path relative to the output folder, in POSIX form (bytes of a
    name that are not UTF-8 written as escapes, so that the name can be stored as text)."""
    relative = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(output_dir))).as_posix()
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def plan_run(
    sources: Iterable[Path], output_dir: Path, settings: BuildKey, editions: dict[Path, Path] | None = None
) -> Plan:
    """Decide per source whether it needs building, comparing with its last build record.

    ``settings`` is the run's part of the key (glossary, formats, languages, password, limits); each source
    adds its hash, and a source with an English edition (``editions``) the edition's, so a change of either
    edition rebuilds. A source that cannot be read (gone, not a regular file) is refused, never waited for."""
    plan = Plan()
    records = read_records(output_dir)
    hashes: dict[Path, str] = {}
    for path in sources:
        try:
            hashes[path] = source_sha256(path)
        except SourceError as exc:
            plan.refused.append(Refused(path, exc))
    # An edition that cannot be read leaves its document unpaired (it is refused itself).
    plan.editions = {zh: en for zh, en in (editions or {}).items() if zh in hashes and en in hashes}
    names = {path: source_name(path, output_dir) for path in hashes}
    kept = {record.source_path: doc_id for doc_id, record in records.items() if record.source_path}
    ids = assign_ids(names.values(), kept)
    for path, sha256 in hashes.items():
        doc_id = ids[names[path]]
        edition = plan.editions.get(path)
        translations = output_dir / doc_id / TRANSLATIONS_FILE
        key = settings.model_copy(
            update={
                "source_sha256": sha256,
                "version": __version__,
                "edition_sha256": hashes[edition] if edition else None,
                "translations_sha256": sha256_of(translations) if translations.is_file() else None,
            }
        )
        record = records.get(doc_id)
        if record is None or not record.built_with(key) or record.source_path not in ("", names[path]):
            plan.build.append(Planned(path, key, doc_id))
        elif record.error_code in PERMANENT_ERRORS:
            plan.failed_before.append(record)
        elif record.error_code is None and _outputs_intact(output_dir / doc_id, record.outputs, key.formats):
            plan.unchanged.append(Planned(path, key, doc_id))
        else:
            plan.build.append(Planned(path, key, doc_id))
    plan.stale = sorted(set(records) - set(ids.values()))
    return plan


def source_sha256(path: Path) -> str:
    """The content hash of a source, read without ever blocking (a FIFO or device is a SourceError)."""
    try:
        with os.fdopen(open_regular(path), "rb") as handle:
            return sha256_of_handle(handle)
    except OSError as exc:
        raise SourceError(path, f"reading it failed ({exc.strerror or exc})") from exc


def password_fingerprint(password: str | None) -> str:
    """What the build key keeps of a password: a slow, salted hash, so the record does not give it away."""
    if not password:
        return ""
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), b"ccpipe build key", 100_000).hex()[:16]


def _outputs_intact(folder: Path, outputs: dict[str, str], formats: Iterable[str]) -> bool:
    """Every recorded output exists with the recorded hash, and the formats' files are all recorded: a
    half-finished or damaged build is redone, and so is one from before a format wrote a file it writes now
    (the English edition)."""
    expected = {name for fmt in formats for name in FORMAT_FILES.get(fmt, ())}
    return (
        bool(outputs)
        and expected <= set(outputs)
        and all((folder / name).is_file() and sha256_of(folder / name) == h for name, h in outputs.items())
    )


def record_path(output_dir: Path, doc_id: str) -> Path:
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return output_dir / STATE_DIR / f"{digest}.json"


def read_records(output_dir: Path) -> dict[str, BuildRecord]:
    """Every build record in the output folder, by document id (records that cannot be read are left out:
    their documents are built again)."""
    folder = output_dir / STATE_DIR
    records: dict[str, BuildRecord] = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            record = BuildRecord.model_validate_json(path.read_bytes())
        except (OSError, ValidationError):
            continue
        if path == record_path(output_dir, record.document_id) or record.document_id not in records:
            records[record.document_id] = record
    return records


def read_record(output_dir: Path, doc_id: str) -> BuildRecord | None:
    return read_records(output_dir).get(doc_id)


def write_record(output_dir: Path, record: BuildRecord) -> Path:
    """Written last, after every output: a run killed before this point rebuilds the document next time."""
    payload = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    written = write_atomic(record_path(output_dir, record.document_id), payload.encode("utf-8"))
    _remove_old_record(output_dir, record.document_id, written)
    return written


def _remove_old_record(output_dir: Path, doc_id: str, current: Path) -> None:
    """A record of an older ccpipe, named after the id itself, is replaced by the hashed one."""
    if "/" in doc_id or doc_id in (".", ".."):
        return
    old = output_dir / STATE_DIR / f"{doc_id}.json"
    if old != current and old.is_file():
        old.unlink(missing_ok=True)


def success_record(planned: Planned, output_dir: Path, outputs: Iterable[Path]) -> BuildRecord:
    hashes = {output.name: sha256_of(output) for output in sorted(outputs)}
    return BuildRecord(
        document_id=planned.document_id,
        source=visible(planned.path.name),
        source_path=source_name(planned.path, output_dir),
        key=planned.key.of_success(),
        outputs=hashes,
    )


def failure_record(planned: Planned, output_dir: Path, code: str, error: str) -> BuildRecord:
    return BuildRecord(
        document_id=planned.document_id,
        source=visible(planned.path.name),
        source_path=source_name(planned.path, output_dir),
        key=planned.key,
        error_code=code,
        error=error,
    )


def recorded_ids(output_dir: Path) -> list[str]:
    return sorted(read_records(output_dir))


def prune(output_dir: Path, doc_ids: Iterable[str]) -> list[str]:
    """Remove the outputs and records of documents whose sources were deleted (only when asked)."""
    removed = []
    records = read_records(output_dir)
    for doc_id in doc_ids:
        shutil.rmtree(output_dir / doc_id, ignore_errors=True)
        record_path(output_dir, doc_id).unlink(missing_ok=True)
        if doc_id in records:
            _remove_old_record(output_dir, doc_id, record_path(output_dir, doc_id))
        removed.append(doc_id)
    return removed
