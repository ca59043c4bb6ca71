"""Document ids: one output folder per source, the same one run after run.

A source is known by its path relative to the output folder (``../source_docs/2024/report.pdf``), which
stays the same when the project folder moves and whether the file was found in the source folder or named on
the command line. Its id is the one its build record already gives it; a source without a record takes the
first of these that no other source holds, sources considered in path order:

1. the file name's stem (``report``);
2. the stem and the suffix (``ext-docx``), when another source has the same stem with another suffix;
3. the parent folder and the stem (``2024-report``), when the same file name is in another folder;
4. the stem and a short hash of the path (``report-3f3e35e0``), which nothing else holds.

So a file keeps its id when its content changes, when another file with the same stem arrives, or when
files around it come and go; ids are only ever given, never taken back while the source exists.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath

from ccpipe.naming import safe_id


def assign_ids(names: Iterable[str], kept: Mapping[str, str]) -> dict[str, str]:
    """An id for every source name (a relative POSIX path), keeping ``kept`` ids (name → recorded id)."""
    ordered = sorted(set(names))
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for name in ordered:
        recorded = kept.get(name)
        if recorded and recorded not in taken:
            ids[name] = recorded
            taken.add(recorded)
    file_names = Counter(PurePosixPath(name).name for name in ordered)
    for name in ordered:
        if name not in ids:
            shared = file_names[PurePosixPath(name).name] > 1
            ids[name] = next(c for c in candidates(name, shared) if c not in taken)
            taken.add(ids[name])
    return ids


def candidates(name: str, name_shared: bool) -> Iterator[str]:
    """The ids ``name`` may take, best first; ``name_shared``: another source has the same file name."""
    path = PurePosixPath(name)
    stem = safe_id(path.stem)
    yield stem
    suffix = path.suffix.lstrip(".").lower()
    if suffix and not name_shared:  # the suffix tells the sources apart only if the file names differ
        yield safe_id(f"{path.stem}-{suffix}")
    parent = path.parent.name
    if parent and parent != "..":
        yield safe_id(f"{parent}-{path.stem}")
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
    yield safe_id(f"{path.stem}-{digest[:8]}")
    yield f"document-{digest[:32]}"
