"""Incremental runs: what changed since a document was last built, and the record of each build.

A build is keyed by the source's content hash, the glossary fingerprint, the ccpipe version and the
output formats. Its record (``output/.state/<doc-id>.json``) lists the hash of every output written,
so a run can skip a document whose key is unchanged and whose outputs are all still there, intact.
This module reads files and hashes only: planning a run imports neither Prefect nor the NLP stack.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from ccpipe import __version__
from ccpipe.atomic import write_atomic
from ccpipe.hashing import sha256_of
from ccpipe.text.describe import document_id

STATE_DIR = ".state"
TRANSLATIONS_FILE = "translations.json"  # ccpipe.translate.store's file; named here so planning imports nothing
# Failures that will fail again on the same bytes: not retried until the source or glossary changes.
PERMANENT_ERRORS = frozenset(
    {"SOURCE_EMPTY", "SOURCE_UNSUPPORTED", "PDF_ENCRYPTED", "PDF_BROKEN", "DOCX_BROKEN", "EXTRACT_NO_TEXT_LAYER",
     "TEXT_UNDECODABLE", "EXTRACT_CRASHED"}
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


class BuildRecord(BaseModel):
    """What the last build of one document produced (or how it failed)."""

    document_id: str
    source: str
    key: BuildKey
    outputs: dict[str, str] = {}
    error_code: str | None = None
    error: str | None = None


@dataclass
class Plan:
    """A run's work list: documents to build, documents skipped (and why), outputs left by deleted sources."""

    build: list[tuple[Path, BuildKey]] = field(default_factory=list)
    # Chinese edition → its English edition, for the sources that have one.
    editions: dict[Path, Path] = field(default_factory=dict)
    unchanged: list[Path] = field(default_factory=list)
    failed_before: list[BuildRecord] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


def plan_run(
    sources: Iterable[Path], output_dir: Path, settings: BuildKey, editions: dict[Path, Path] | None = None
) -> Plan:
    """Decide per source whether it needs building, comparing with its last build record.

    ``settings`` is the run's part of the key (glossary, formats, languages); each source adds its hash, and a
    source with an English edition (``editions``) the edition's, so a change of either edition rebuilds."""
    plan = Plan(editions=dict(editions or {}))
    seen: set[str] = set()
    for path in sources:
        doc_id = document_id(path)
        seen.add(doc_id)
        edition = plan.editions.get(path)
        translations = output_dir / doc_id / TRANSLATIONS_FILE
        key = settings.model_copy(
            update={
                "source_sha256": sha256_of(path),
                "version": __version__,
                "edition_sha256": sha256_of(edition) if edition else None,
                "translations_sha256": sha256_of(translations) if translations.is_file() else None,
            }
        )
        record = read_record(output_dir, doc_id)
        if record is None or record.key != key:
            plan.build.append((path, key))
        elif record.error_code in PERMANENT_ERRORS:
            plan.failed_before.append(record)
        elif record.error_code is None and _outputs_intact(output_dir / doc_id, record.outputs):
            plan.unchanged.append(path)
        else:
            plan.build.append((path, key))
    plan.stale = sorted(set(recorded_ids(output_dir)) - seen)
    return plan


def _outputs_intact(folder: Path, outputs: dict[str, str]) -> bool:
    """Every recorded output exists with the recorded hash: a half-finished or damaged build is redone."""
    return bool(outputs) and all(
        (folder / name).is_file() and sha256_of(folder / name) == h for name, h in outputs.items()
    )


def record_path(output_dir: Path, doc_id: str) -> Path:
    return output_dir / STATE_DIR / f"{doc_id}.json"


def read_record(output_dir: Path, doc_id: str) -> BuildRecord | None:
    path = record_path(output_dir, doc_id)
    try:
        return BuildRecord.model_validate_json(path.read_bytes())
    except (OSError, ValueError):
        return None  # missing or unreadable: build again


def write_record(output_dir: Path, record: BuildRecord) -> Path:
    """Written last, after every output: a run killed before this point rebuilds the document next time."""
    payload = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return write_atomic(record_path(output_dir, record.document_id), payload.encode("utf-8"))


def success_record(path: Path, key: BuildKey, doc_id: str, outputs: Iterable[Path]) -> BuildRecord:
    hashes = {output.name: sha256_of(output) for output in sorted(outputs)}
    return BuildRecord(document_id=doc_id, source=path.name, key=key, outputs=hashes)


def failure_record(path: Path, key: BuildKey, error_code: str, error: str) -> BuildRecord:
    return BuildRecord(document_id=document_id(path), source=path.name, key=key, error_code=error_code, error=error)


def recorded_ids(output_dir: Path) -> list[str]:
    folder = output_dir / STATE_DIR
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def prune(output_dir: Path, doc_ids: Iterable[str]) -> list[str]:
    """Remove the outputs and records of documents whose sources were deleted (only when asked)."""
    removed = []
    for doc_id in doc_ids:
        shutil.rmtree(output_dir / doc_id, ignore_errors=True)
        record_path(output_dir, doc_id).unlink(missing_ok=True)
        removed.append(doc_id)
    return removed
