"""Atomic writes: a file through a temporary file and a rename; a folder of files through a temporary
folder and an exchange, so readers (and a run killed half-way) see the old set or the new one, never a mix.

Temporary names are hidden and end in ``.tmp`` (a run sweeps what a killed one left); a long name is
replaced by its hash there, so a file name near the file system's limit still gets a temporary beside it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_SUFFIX = ".tmp"
# Names longer than this (in bytes) are hashed in temporary names: the random part and the suffix must fit.
_SHORT_NAME_BYTES = 64
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
try:  # Linux: swap two paths in one step (ext4, xfs, btrfs, tmpfs); elsewhere two renames
    _renameat2: Callable[..., int] | None = ctypes.CDLL(None, use_errno=True).renameat2
except (OSError, AttributeError):
    _renameat2 = None


def temp_prefix(name: str) -> str:
    """The hidden prefix of a temporary file or folder standing in for ``name``."""
    short = name if len(name.encode("utf-8", "surrogateescape")) <= _SHORT_NAME_BYTES else _digest(name)
    return f".{short}."


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600): give it the old file's mode, or that of a new file.
        os.chmod(tmp_name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def folder_replaced(folder: Path) -> Iterator[Path]:
    """A temporary folder to fill; on leaving the block it replaces ``folder`` as a whole.

    If the block fails, ``folder`` is left as it was and the temporary folder is removed."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=temp_prefix(folder.name), suffix=TEMP_SUFFIX, dir=folder.parent))
    try:
        os.chmod(staged, 0o755)  # mkdtemp makes it private
        yield staged
        _fsync_dir(staged)
        _swap_in(staged, folder)
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # after a swap it holds the old set


def discard_staged(folder: Path) -> None:
    """Remove the temporary folders that :func:`folder_replaced` left for ``folder`` (a process killed while
    filling one)."""
    prefix = temp_prefix(folder.name)
    if folder.parent.is_dir():
        for path in folder.parent.iterdir():
            if path.name.startswith(prefix) and path.name.endswith(TEMP_SUFFIX):
                shutil.rmtree(path, ignore_errors=True)


def _swap_in(staged: Path, folder: Path) -> None:
    """Put ``staged`` at ``folder``; the old ``folder``, if any, ends up at ``staged``."""
    if not folder.exists():
        os.rename(staged, folder)
    elif not _exchange(staged, folder):
        # Two renames: in between, ``folder`` is missing (never mixed); a kill there leaves the build
        # record pointing at outputs that are gone, so the next run builds the document again.
        old = Path(tempfile.mkdtemp(prefix=temp_prefix(folder.name), suffix=TEMP_SUFFIX, dir=folder.parent))
        os.rename(folder, old / "old")
        os.rename(staged, folder)
        os.rename(old, staged)
    _fsync_dir(folder.parent)


def _exchange(first: Path, second: Path) -> bool:
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # this file system cannot exchange
    raise OSError(error, os.strerror(error), str(second))


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
