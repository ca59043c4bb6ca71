"""One run at a time per output folder: an advisory lock file, released even if the run is killed."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ccpipe.errors import CcpipeError

LOCK_NAME = ".lock"
# Lock files held by this process: a forked child (extraction, a worker of a parallel run) must not keep the
# lock alive if it outlives the run, or the next run would find it taken.
_held: set[int] = set()


def _release_in_child() -> None:
    if not _held:
        return
    null = os.open(os.devnull, os.O_RDONLY)
    for fd in _held:  # the number stays valid for the file object; this process's share of the lock goes
        os.dup2(null, fd)
    os.close(null)
    _held.clear()


os.register_at_fork(after_in_child=_release_in_child)


class RunLockedError(CcpipeError):
    code = "RUN_LOCKED"
    advice = "another ccpipe run is writing this output folder; wait for it to finish and run again"


@contextmanager
def run_lock(output_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``output_dir`` for the duration of a run.

    flock is released by the kernel when the process dies, so a run killed with kill -9 never leaves
    a stale lock behind (a pid file would)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / LOCK_NAME
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunLockedError(output_dir, f"locked by process {holder}") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        _held.add(handle.fileno())
        yield
    finally:
        _held.discard(handle.fileno())
        handle.close()
