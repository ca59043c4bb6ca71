"""One run at a time per output folder: an advisory lock file, released even if the run is killed."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ccpipe.errors import CcpipeError, output_error
from ccpipe.forked import close_in_children, release_in_children

LOCK_NAME = ".lock"


class RunLockedError(CcpipeError):
    code = "RUN_LOCKED"
    advice = "another ccpipe run is writing this output folder; wait for it to finish and run again"


@contextmanager
def run_lock(output_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``output_dir`` for the duration of a run.

    flock is released by the kernel when the last descriptor of the lock file closes, so a run killed
    with kill -9 never leaves a stale lock behind (a pid file would). That last descriptor is the run's
    own: it is not passed to programs the run starts (O_CLOEXEC) nor kept by processes it forks
    (:func:`ccpipe.forked.close_in_children`), which could otherwise outlive the run and hold the lock."""
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(output_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise output_error(exc, output_dir) from exc
    close_in_children(fd)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            raise RunLockedError(output_dir, f"locked by process {holder}") from exc
        with contextlib.suppress(OSError):  # the holder's number is for people; a full disk must not stop the run
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        release_in_children(fd)
        os.close(fd)
