"""Which files are sources, and finding them: kept free of heavy imports so planning a run is fast.

A source is a regular file. In a source folder, a symbolic link is followed only to a file inside that
folder (unless ``follow_symlinks``): a link to ``/etc/passwd`` dropped into ``source_docs/`` is refused, not
published. FIFOs, devices and sockets are refused wherever they are, without being opened (opening a FIFO
blocks until someone writes to it).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ccpipe.errors import SourceError, SourceNotRegularError, SourceOutsideError, SourceUnreadableError

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".txt"})
DOCX_SUFFIXES = frozenset({".docx"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
PANDOC_SUFFIXES = DOCX_SUFFIXES | HTML_SUFFIXES | MARKDOWN_SUFFIXES
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES | PANDOC_SUFFIXES
_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}  # fmt: skip


@dataclass(frozen=True)
class Refused:
    """A path that looked like a source but is not one ccpipe will read, and why."""

    path: Path
    error: SourceError


def is_source(path: Path) -> bool:
    """A supported file that is not hidden or a partial download (.part, ~$lock files of Office)."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith((".", "~$"))


def find_sources(paths: list[Path], *, follow_symlinks: bool = False) -> tuple[list[Path], list[Refused]]:
    """Supported files under the given folders, and the files given, in a stable order; and what was refused.

    Files named directly are taken as named (a link is followed), but must be regular files too."""
    found: list[Path] = []
    refused: list[Refused] = []
    for path in paths:
        if path.is_dir():
            folder = None if follow_symlinks else path.resolve()
            candidates = [p for p in sorted(path.rglob("*")) if is_source(p) and not _is_folder(p)]
        else:
            folder, candidates = None, [path]
        for candidate in candidates:
            error = source_problem(candidate, folder)
            if error is None:
                found.append(candidate)
            else:
                refused.append(Refused(candidate, error))
    return found, refused


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except OSError:
        return False


def source_problem(path: Path, folder: Path | None = None) -> SourceError | None:
    """Why ``path`` cannot be read as a source (None if it can), without opening it.

    ``folder``: the resolved source folder it was found in, which a link must not lead out of."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        broken = path.is_symlink()
        detail = "a symbolic link to nothing" if broken else f"it cannot be read ({exc.strerror or exc})"
        return SourceUnreadableError(path, detail)
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        return SourceNotRegularError(path, f"it is {kind}")
    if folder is not None and not path.resolve().is_relative_to(folder):
        return SourceOutsideError(path, f"it links to {path.resolve()}, outside the source folder")
    return None


def open_regular(path: Path) -> int:
    """A read-only descriptor of ``path`` if it is a regular file; never blocks (a FIFO is refused)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise SourceUnreadableError(path, f"it cannot be read ({exc.strerror or exc})") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise SourceNotRegularError(path, f"it is {_KINDS.get(stat.S_IFMT(mode), 'not a regular file')}")
    return fd
