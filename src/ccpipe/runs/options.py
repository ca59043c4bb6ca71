"""The options a document's stages need from the settings: plain values, cheap to import and to pickle."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceOptions:
    """How to read a source and what a document may cost: a password for encrypted PDFs, the extraction time
    limit, OCR workers, and the document's budget over all its stages (seconds, megabytes of memory)."""

    password: str | None
    extract_seconds: float
    ocr_workers: int
    document_seconds: float
    memory_mb: int
    # Processes reading one PDF's pages: more than one only for a document alone in its batch
    # (Batch.source_options), where the run's other cores would otherwise wait.
    page_processes: int = 1


@dataclass(frozen=True)
class PublishOptions:
    """Where and what to publish: the output folder, the formats, the brief's languages and label catalogs."""

    output_dir: Path
    formats: tuple[str, ...]
    languages: tuple[str, ...]
    catalog_dirs: tuple[Path, ...]
    # The translation memory that an aligned document's sure sentence pairs go into (None: not kept).
    memory: Path | None = None
