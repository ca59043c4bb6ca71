"""Build the catalogue of an output folder: ``index.html``, ``feed.xml`` and ``manifest.json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ccpipe.atomic import write_atomic
from ccpipe.catalog.feed import FEED_NAME, render_feed
from ccpipe.catalog.index import render_index
from ccpipe.catalog.manifest import (
    MANIFEST_NAME,
    CatalogWarning,
    Entry,
    Manifest,
    manifest_json,
    read_manifest,
    reconcile,
    scan,
    timestamp,
)

INDEX_NAME = "index.html"


@dataclass
class Catalogue:
    """What a build found and wrote; ``changed`` are the new or updated briefs (for notification)."""

    paths: list[Path] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    warnings: list[CatalogWarning] = field(default_factory=list)


def update_catalogue(output_dir: Path, *, now: datetime | None = None, base_url: str | None = None) -> Catalogue:
    """Scan ``output_dir`` and (re)write its catalogue files; ``now`` dates only new or changed documents."""
    output_dir = Path(output_dir)
    moment = now if now is not None else datetime.now(UTC)
    scanned, warnings = scan(output_dir)
    previous = read_manifest(output_dir)
    entries, changed = reconcile(scanned, previous, moment)
    if entries:
        updated = max(entry.updated for entry in entries)
    else:
        # An empty catalogue keeps the time it became empty, so rebuilding it changes nothing either.
        updated = previous.updated if previous.updated and not previous.documents else timestamp(moment)
    manifest = Manifest(updated=updated, documents=entries, warnings=warnings)
    mentioned = {item.dir: item.document.entities for item in scanned}
    paths = [
        _write_if_changed(output_dir / INDEX_NAME, render_index(entries, mentioned).encode("utf-8")),
        _write_if_changed(output_dir / FEED_NAME, render_feed(entries, updated, base_url)),
        _write_if_changed(output_dir / MANIFEST_NAME, manifest_json(manifest)),
    ]
    return Catalogue(paths=paths, entries=entries, changed=changed, warnings=warnings)


def build_catalogue(output_dir: Path, *, now: datetime | None = None, base_url: str | None = None) -> list[Path]:
    """Write ``index.html``, ``feed.xml`` and ``manifest.json`` into ``output_dir``; return their paths.

    Folders without a valid document.json are skipped and listed under ``warnings`` in the manifest
    (:func:`update_catalogue` returns them too, with the new and updated entries).
    """
    return update_catalogue(output_dir, now=now, base_url=base_url).paths


def _write_if_changed(path: Path, data: bytes) -> Path:
    # Leaving an identical file alone keeps its mtime, so servers' caches and rsync see nothing new.
    try:
        if path.read_bytes() == data:
            return path
    except OSError:
        pass
    return write_atomic(path, data)
